// The emulator's Alibaba half on its own: signatures, error bodies, determinism.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenApiCore from '@alicloud/openapi-core';
import * as Dara from '@darabonba/typescript';
import { startEmulator } from '../../../src/emulator/server.js';
import { AlibabaEmulator, subtaskAt } from '../../../src/emulator/alibaba/index.js';

const ACCOUNT = { name: 'a', accessKeyId: 'LTAI5tEmuA', accessKeySecret: 'secret-of-a-0123', fleetSize: 2 };

test('the older HMAC-SHA1 RPC signature (signatureAlgorithm v2) is checked too', async () => {
  const emulator = await startEmulator({ alibaba: { accounts: [ACCOUNT] } });
  try {
    const call = (secret: string) => {
      const client = new OpenApiCore.default(
        new OpenApiCore.$OpenApiUtil.Config({
          accessKeyId: ACCOUNT.accessKeyId,
          accessKeySecret: secret,
          endpoint: `127.0.0.1:${emulator.port}`,
          protocol: 'HTTP',
          signatureAlgorithm: 'v2',
        }),
      );
      const params = new OpenApiCore.$OpenApiUtil.Params({
        action: 'DescribeCloudCenterInstances',
        version: '2018-12-03',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const request = new OpenApiCore.$OpenApiUtil.OpenApiRequest({
        query: OpenApiCore.OpenApiUtil.query({ PageSize: 10, Criteria: '[{"name":"x y","value":"*!"}]' }),
      });
      return client.callApi(params, request, new Dara.RuntimeOptions({}));
    };
    const answer = (await call(ACCOUNT.accessKeySecret)) as { body: { Instances: unknown[] } };
    assert.equal(answer.body.Instances.length, 2);
    const [recorded] = emulator.calls.list({ account: 'a' });
    assert.equal(recorded?.params?.['PageSize'], '10');
    for (const key of ['AccessKeyId', 'Signature', 'SignatureNonce'])
      assert.equal(recorded?.params?.[key], undefined, `${key} is not recorded`);
    await assert.rejects(call('wrong-secret-xyz'), { code: 'SignatureDoesNotMatch', statusCode: 400 });
  } finally {
    await emulator.close();
  }
});

test("error answers carry RequestId, HostId, Code, Message and Recommend, with the code's HTTP status", async () => {
  const emulator = await startEmulator({ alibaba: { accounts: [ACCOUNT] } });
  try {
    const response = await fetch(`${emulator.url}/?Action=DescribeVulCheckTaskStatusDetail&Version=2018-12-03`, { method: 'POST' });
    assert.equal(response.status, 400);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
    assert.equal(body['Code'], 'IncompleteSignature');
    assert.equal(emulator.calls.count({ provider: 'alibaba', account: '' }), 1);
  } finally {
    await emulator.close();
  }
});

test('the simulation is a pure function of the clock', () => {
  const at = (now: number) => subtaskAt('a', 'u', 't', 'cve', now, 600, 0.25);
  assert.deepEqual(at(1_000_000), at(1_000_000));
  const states = new Set(Array.from({ length: 60 }, (_, i) => at(i * 10_000).Status));
  assert.deepEqual([...states].sort(), ['0', '1', '2', '3', '4']);
});

test("an account's quota is answered with Throttling.User, the code the SDK raises a throttling error for", async () => {
  const emulator = await startEmulator({ alibaba: { accounts: [ACCOUNT] }, clock: () => 5_000_000 });
  emulator.quotas.set('alibaba', ACCOUNT.name, 1);
  try {
    const client = new OpenApiCore.default(
      new OpenApiCore.$OpenApiUtil.Config({
        accessKeyId: ACCOUNT.accessKeyId,
        accessKeySecret: ACCOUNT.accessKeySecret,
        endpoint: `127.0.0.1:${emulator.port}`,
        protocol: 'HTTP',
      }),
    );
    const call = () =>
      client.callApi(
        new OpenApiCore.$OpenApiUtil.Params({
          action: 'DescribeCloudCenterInstances',
          version: '2018-12-03',
          protocol: 'HTTP',
          pathname: '/',
          method: 'POST',
          authType: 'AK',
          style: 'RPC',
          reqBodyType: 'formData',
          bodyType: 'json',
        }),
        new OpenApiCore.$OpenApiUtil.OpenApiRequest({ query: { CurrentPage: '1', PageSize: '20' } }),
        new Dara.RuntimeOptions({}),
      );
    await call();
    await assert.rejects(call(), { code: 'Throttling.User', statusCode: 400 });
    assert.equal(emulator.quotas.throttled('alibaba', ACCOUNT.name), 1);
  } finally {
    await emulator.close();
  }
});

test('a generated fleet has the offline and paused agents asked for, spread by hash, the same every time', () => {
  const emulator = new AlibabaEmulator({ accounts: [{ ...ACCOUNT, fleetSize: 100, offlineAgents: 7, pausedAgents: 3 }] }, () => 0);
  const statuses = emulator.servers('a').map((s) => s.clientStatus);
  assert.deepEqual(
    ['online', 'offline', 'pause'].map((status) => statuses.filter((s) => s === status).length),
    [90, 7, 3],
  );
  const again = new AlibabaEmulator({ accounts: [{ ...ACCOUNT, fleetSize: 100, offlineAgents: 7, pausedAgents: 3 }] }, () => 0);
  assert.deepEqual(
    again.servers('a').map((s) => s.clientStatus),
    statuses,
  );
  assert.notDeepEqual(statuses.slice(0, 7), Array(7).fill('offline'), 'not simply the first servers');
});

test("an offline agent's checks fail with push_command_failed, a paused agent's stay unhandled; TotalCount counts subtasks", () => {
  const emulator = new AlibabaEmulator({ accounts: [{ ...ACCOUNT, fleetSize: 3, tasksPerServer: 2 }] }, () => 123_456);
  const [online, offline, paused] = emulator.servers('a');
  emulator.setClientStatus('a', offline!.uuid, 'offline');
  emulator.setClientStatus('a', paused!.uuid, 'pause');
  const subtasks = (uuid: string) => emulator.vulCheckAnswer('a', uuid).TaskStatuses.flatMap((t) => t.TaskStatusList);
  assert.ok(subtasks(offline!.uuid).every((s) => s.Status === '4' && s.Code === 'push_command_failed'));
  assert.ok(subtasks(paused!.uuid).every((s) => s.Status === '0' && s.Code === ''));
  assert.equal(subtasks(online!.uuid).length, 8);
  assert.equal(emulator.vulCheckAnswer('a', online!.uuid).TotalCount, 8, '2 tasks x 4 types');
  assert.deepEqual(
    emulator.servers('a').map((s) => s.clientStatus),
    ['online', 'offline', 'pause'],
  );
  assert.throws(() => emulator.setClientStatus('a', 'no-such-uuid', 'offline'), /no server no-such-uuid/);
});
