// Both clouds' STS in the emulator, through the real SDK base clients: AssumeRole answers temporary
// keys that work for CWP / Security Center calls only with their own token, and stop working when
// they expire on the emulator's clock; a missing role, a trust policy that refuses the caller and a
// wrong ExternalId get the clouds' own error codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenApiCore from '@alicloud/openapi-core';
import * as Dara from '@darabonba/typescript';
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';
import { FakeClock } from '../../support/fake-clock.js';

const MANAGER = { secretId: 'AKIDstsUnitManager000000000000000001', secretKey: 'stsUnitManagerSecretKey0000000001' };
const MEMBER = { secretId: 'AKIDstsUnitMember0000000000000000001', secretKey: 'stsUnitMemberSecretKey00000000001' };
const ALI_MANAGER = { accessKeyId: 'LTAI5tStsUnitManager0001', accessKeySecret: 'sts-unit-manager-secret-0001' };
const ALI_MEMBER = { accessKeyId: 'LTAI5tStsUnitMember00001', accessKeySecret: 'sts-unit-member-secret-00001' };

describe('the emulated STS', () => {
  let emulator: Emulator;
  const clock = new FakeClock();

  before(async () => {
    emulator = await startEmulator({ clock: () => clock.now() });
    emulator.tencent.addAccount({ name: 'org', ...MANAGER });
    emulator.tencent.addAccount({
      name: 'member',
      ...MEMBER,
      roles: [
        { name: 'cloudscan-reader', trusted: ['org'] },
        { name: 'with-external-id', trusted: ['org'], externalId: 'ext-0001' },
        { name: 'not-for-org', trusted: ['someone-else'] },
      ],
    });
    emulator.alibaba.addAccount({ name: 'org', ...ALI_MANAGER, fleetSize: 1 });
    emulator.alibaba.addAccount({
      name: 'member',
      ...ALI_MEMBER,
      fleetSize: 2,
      roles: [
        { name: 'cloudscan-reader', trusted: ['org'], maxSessionSeconds: 7200 },
        { name: 'with-external-id', trusted: ['org'], externalId: 'ext-0001' },
        { name: 'not-for-org', trusted: ['someone-else'] },
      ],
    });
  });
  after(() => emulator.close());

  describe('Tencent (STS 2018-08-13)', () => {
    const client = (version: string, credential: { secretId: string; secretKey: string; token?: string }) =>
      new tencentcloud.CommonClient(`127.0.0.1:${emulator.port}`, version, {
        credential,
        region: 'ap-guangzhou',
        profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
      });
    const assume = (params: Record<string, unknown>) =>
      client('2018-08-13', MANAGER).request('AssumeRole', { RoleSessionName: 'unit', ...params }) as Promise<{
        Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string };
        ExpiredTime: number;
        Expiration: string;
      }>;
    const scan = (credential: { secretId: string; secretKey: string; token?: string }) =>
      client('2018-02-28', credential).request('DescribeScanState', { ModuleType: 'Vul' }) as Promise<Record<string, unknown>>;

    test('AssumeRole answers keys that live DurationSeconds on the emulator clock and sign calls of the member account', async () => {
      const answer = await assume({ RoleArn: emulator.tencent.roleArn('member', 'cloudscan-reader'), DurationSeconds: 1800 });
      assert.equal(answer.ExpiredTime, Math.floor(clock.now() / 1000) + 1800);
      assert.equal(answer.Expiration, new Date(answer.ExpiredTime * 1000).toISOString().replace('.000Z', 'Z'));
      const keys = {
        secretId: answer.Credentials.TmpSecretId,
        secretKey: answer.Credentials.TmpSecretKey,
        token: answer.Credentials.Token,
      };
      emulator.calls.clear();
      assert.equal(typeof (await scan(keys))['ScanState'], 'number');
      assert.deepEqual(
        emulator.calls.list().map((c) => [c.account, c.action]),
        [['member', 'DescribeScanState']],
      );

      await assert.rejects(scan({ ...keys, token: 'not-the-token' }), { code: 'AuthFailure.TokenFailure' });
      await assert.rejects(scan({ secretId: keys.secretId, secretKey: keys.secretKey }), { code: 'AuthFailure.TokenFailure' });
      await assert.rejects(scan({ ...keys, secretKey: 'wrong' }), { code: 'AuthFailure.SignatureFailure' });
      await assert.rejects(scan({ ...keys, secretId: 'AKIDtmpNeverIssued000000000000000' }), { code: 'AuthFailure.SecretIdNotFound' });

      await clock.advance(1800 * 1000 - 1);
      assert.equal(typeof (await scan(keys))['ScanState'], 'number', 'still alive 1 ms before expiry');
      await clock.advance(1);
      await assert.rejects(scan(keys), { code: 'AuthFailure.TokenFailure', message: 'The token has expired.' });
    });

    test("the AssumeRole call is counted as the member account's, by the role its ARN names", async () => {
      emulator.calls.clear();
      await assume({ RoleArn: emulator.tencent.roleArn('member', 'cloudscan-reader') });
      assert.equal(emulator.calls.count({ provider: 'tencent', account: 'member', action: 'AssumeRole' }), 1);
    });

    test('a missing role, a refusing trust policy, a wrong ExternalId and too long a session get the API codes', async () => {
      await assert.rejects(assume({ RoleArn: emulator.tencent.roleArn('member', 'no-such-role') }), {
        code: 'ResourceNotFound.RoleNotFound',
      });
      await assert.rejects(assume({ RoleArn: emulator.tencent.roleArn('member', 'not-for-org') }), { code: 'UnauthorizedOperation' });
      await assert.rejects(assume({ RoleArn: emulator.tencent.roleArn('member', 'with-external-id') }), { code: 'UnauthorizedOperation' });
      await assert.rejects(assume({ RoleArn: emulator.tencent.roleArn('member', 'with-external-id'), ExternalId: 'wrong' }), {
        code: 'UnauthorizedOperation',
      });
      const ok = await assume({ RoleArn: emulator.tencent.roleArn('member', 'with-external-id'), ExternalId: 'ext-0001' });
      assert.ok(ok.Credentials.Token.length > 20);
      await assert.rejects(assume({ RoleArn: emulator.tencent.roleArn('member', 'cloudscan-reader'), DurationSeconds: 43_201 }), {
        code: 'InvalidParameter.OverTimeError',
      });
      await assert.rejects(assume({ RoleArn: 'acs:ram::1:role/x' }), { code: 'InvalidParameter.ParamError' });
    });

    test('the session_expired fault ends the keys of the call it matches, in the middle of their life', async () => {
      const answer = await assume({ RoleArn: emulator.tencent.roleArn('member', 'cloudscan-reader') });
      const keys = {
        secretId: answer.Credentials.TmpSecretId,
        secretKey: answer.Credentials.TmpSecretKey,
        token: answer.Credentials.Token,
      };
      await scan(keys);
      emulator.faults.add({
        provider: 'tencent',
        account: 'member',
        action: 'DescribeScanState',
        fault: { kind: 'session_expired' },
        times: 1,
      });
      await assert.rejects(scan(keys), { code: 'AuthFailure.TokenFailure' });
      await assert.rejects(scan(keys), { code: 'AuthFailure.TokenFailure' }, 'the keys stay expired');
      assert.equal(typeof (await scan(MEMBER))['ScanState'], 'number', "the member's own keys are untouched");
    });
  });

  describe('Alibaba (STS 2015-04-01)', () => {
    const { $OpenApiUtil, OpenApiUtil } = OpenApiCore;
    const call = async (
      keys: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
      action: string,
      version: string,
      query: Record<string, string | number>,
    ): Promise<Record<string, unknown>> => {
      const client = new OpenApiCore.default(
        new $OpenApiUtil.Config({
          ...keys,
          endpoint: `127.0.0.1:${emulator.port}`,
          protocol: 'HTTP',
          readTimeout: 5000,
          connectTimeout: 5000,
        }),
      );
      const params = new $OpenApiUtil.Params({
        action,
        version,
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const answer = (await client.callApi(
        params,
        new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) }),
        new Dara.RuntimeOptions({}),
      )) as { body: Record<string, unknown> };
      return answer.body;
    };
    const assume = async (params: Record<string, string | number>) =>
      (await call(ALI_MANAGER, 'AssumeRole', '2015-04-01', { RoleSessionName: 'unit', ...params })) as {
        Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string };
        AssumedRoleUser: { Arn: string };
      };
    const instances = (keys: { accessKeyId: string; accessKeySecret: string; securityToken?: string }) =>
      call(keys, 'DescribeCloudCenterInstances', '2018-12-03', { CurrentPage: 1, PageSize: 10 });

    test('AssumeRole answers STS. keys that live DurationSeconds on the emulator clock and sign calls of the member account', async () => {
      const answer = await assume({ RoleArn: emulator.alibaba.roleArn('member', 'cloudscan-reader'), DurationSeconds: 7200 });
      assert.match(answer.Credentials.AccessKeyId, /^STS\./);
      assert.equal(Date.parse(answer.Credentials.Expiration), Math.floor((clock.now() + 7200 * 1000) / 1000) * 1000);
      assert.equal(answer.AssumedRoleUser.Arn, `${emulator.alibaba.roleArn('member', 'cloudscan-reader')}/unit`);
      const keys = {
        accessKeyId: answer.Credentials.AccessKeyId,
        accessKeySecret: answer.Credentials.AccessKeySecret,
        securityToken: answer.Credentials.SecurityToken,
      };
      emulator.calls.clear();
      assert.equal(((await instances(keys))['Instances'] as unknown[]).length, 2, "the member's two servers");
      assert.deepEqual(
        emulator.calls.list().map((c) => [c.account, c.action]),
        [['member', 'DescribeCloudCenterInstances']],
      );

      await assert.rejects(instances({ ...keys, securityToken: 'not-the-token' }), { code: 'InvalidSecurityToken.MismatchWithAccessKey' });
      await assert.rejects(instances({ accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret }), {
        code: 'MissingSecurityToken',
      });
      await assert.rejects(instances({ ...keys, accessKeySecret: 'wrong' }), { code: 'SignatureDoesNotMatch' });
      await assert.rejects(instances({ ...keys, accessKeyId: 'STS.NeverIssued0000000000' }), { code: 'InvalidAccessKeyId.NotFound' });

      await clock.advance(7200 * 1000 - 1);
      await instances(keys);
      await clock.advance(1);
      await assert.rejects(instances(keys), { code: 'InvalidSecurityToken.Expired' });
    });

    test('a missing role, a refusing trust policy, a wrong ExternalId and too long a session get the API codes and statuses', async () => {
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'no-such-role') }), {
        code: 'EntityNotExist.Role',
        statusCode: 404,
      });
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'not-for-org') }), {
        code: 'NoPermission',
        statusCode: 403,
      });
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'with-external-id'), ExternalId: 'wrong' }), {
        code: 'NoPermission',
      });
      await assume({ RoleArn: emulator.alibaba.roleArn('member', 'with-external-id'), ExternalId: 'ext-0001' });
      await assert.rejects(
        assume({ RoleArn: emulator.alibaba.roleArn('member', 'with-external-id'), ExternalId: 'ext-0001', DurationSeconds: 3601 }),
        {
          code: 'InvalidParameter.DurationSeconds',
        },
      );
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'cloudscan-reader'), DurationSeconds: 899 }), {
        code: 'InvalidParameter.DurationSeconds',
      });
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'cloudscan-reader'), RoleSessionName: 'a b' }), {
        code: 'InvalidParameter.RoleSessionName',
      });
      await assert.rejects(assume({ RoleArn: 'qcs::cam::uin/1:roleName/x' }), { code: 'InvalidParameter.RoleArn' });
    });

    test("throttling injected on AssumeRole is the member's, and expire through the control API ends the keys", async () => {
      emulator.faults.add({
        provider: 'alibaba',
        account: 'member',
        action: 'AssumeRole',
        fault: { kind: 'error', code: 'Throttling.User' },
        times: 1,
      });
      await assert.rejects(assume({ RoleArn: emulator.alibaba.roleArn('member', 'cloudscan-reader') }), { code: 'Throttling.User' });
      const answer = await assume({ RoleArn: emulator.alibaba.roleArn('member', 'cloudscan-reader') });
      const keys = {
        accessKeyId: answer.Credentials.AccessKeyId,
        accessKeySecret: answer.Credentials.AccessKeySecret,
        securityToken: answer.Credentials.SecurityToken,
      };
      await instances(keys);
      const expired = (await (
        await fetch(`${emulator.url}/_emulator/temporary-keys/expire?provider=alibaba&account=member`, { method: 'POST' })
      ).json()) as { expired: number };
      assert.ok(expired.expired >= 1);
      await assert.rejects(instances(keys), { code: 'InvalidSecurityToken.Expired' });
    });
  });
});
