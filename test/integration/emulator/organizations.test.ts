// The emulator's organization listings through the real clients: Tencent's DescribeOrganizationMembers
// and Alibaba's ListAccounts page as the clouds document, refuse what the clouds refuse, and take faults.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';
import { Secret } from '../../../src/base/secret.js';
import type { ApiError } from '../../../src/contract/types.js';
import { OrganizationClient } from '../../../src/sources/tencent/organization-client.js';
import { ResourceManagerClient } from '../../../src/sources/alibaba/resource-manager-client.js';
import { MonitorAccountsClient } from '../../../src/sources/alibaba/monitor-accounts.js';

const TENCENT = { secretId: 'AKIDemuOrgTest00000000000000000000001', secretKey: 'emuOrgTestSecretKey000000000000001' };
const OTHER = { secretId: 'AKIDemuOrgOther0000000000000000000001', secretKey: 'emuOrgOtherSecretKey00000000000001' };
const ALIBABA = { accessKeyId: 'LTAI5tEmuOrgTest000001', accessKeySecret: 'emu-org-test-alibaba-secret-000001' };

describe('emulated organization listings', () => {
  let emulator: Emulator;
  const signal = new AbortController().signal;
  const endpoint = () => ({ protocol: 'http' as const, host: `127.0.0.1:${emulator.port}` });
  const tencent = (keys = TENCENT) =>
    new OrganizationClient({
      endpoint: endpoint(),
      credentials: { source: 'static', secretId: new Secret(keys.secretId), secretKey: new Secret(keys.secretKey) },
      requestTimeoutSeconds: 2,
    });
  const alibaba = () =>
    new ResourceManagerClient({
      endpoint: endpoint(),
      credentials: { source: 'static', accessKeyId: new Secret(ALIBABA.accessKeyId), accessKeySecret: new Secret(ALIBABA.accessKeySecret) },
      requestTimeoutSeconds: 2,
    });

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'management', ...TENCENT });
    emulator.tencent.addAccount({ name: 'outsider', ...OTHER });
    emulator.tencent.organizations.set(
      'management',
      Array.from({ length: 75 }, (_, i) => ({ uin: String(700000000001 + i), name: `m${i}`, roles: i === 3 ? [] : ['CloudscanReadOnly'] })),
    );
    emulator.alibaba.addAccount({ name: 'rd', ...ALIBABA, fleetSize: 1 });
    emulator.alibaba.directories.set(
      'rd',
      Array.from({ length: 150 }, (_, i) => ({
        accountId: String(1500000000000001 + i),
        displayName: `shop ${i}`,
        roles: ['CloudscanReadOnly'],
      })),
    );
  });
  after(() => emulator.close());

  test('Tencent pages by Offset and Limit (at most 50), Total counting every member, MemberUin as an integer', async () => {
    const first = await tencent().describeOrganizationMembers({ Offset: 0, Limit: 50 }, signal);
    const second = await tencent().describeOrganizationMembers({ Offset: 50, Limit: 50 }, signal);
    assert.equal(first.Total, 75);
    assert.equal(first.Items.length, 50);
    assert.equal(second.Items.length, 25);
    assert.deepEqual(second.Items[24], { MemberUin: '700000000075', Name: 'm74' });
    await assert.rejects(tencent().describeOrganizationMembers({ Offset: 0, Limit: 51 }, signal), { code: 'InvalidParameterValue' });
    await assert.rejects(tencent().describeOrganizationMembers({ Offset: 10, Limit: 50 }, signal), { code: 'InvalidParameterValue' });
  });

  test('a Tencent account that manages no organization is told so', async () => {
    await assert.rejects(tencent(OTHER).describeOrganizationMembers({ Offset: 0, Limit: 50 }, signal), {
      code: 'ResourceNotFound.OrganizationNotExist',
    });
  });

  test('the member table carries each member role: one member lacks it', () => {
    assert.deepEqual(emulator.tencent.organizations.member('700000000004')?.member.roles, []);
    assert.deepEqual(emulator.tencent.organizations.member('700000000005')?.member.roles, ['CloudscanReadOnly']);
  });

  test('Alibaba pages by PageNumber and PageSize (at most 100), with TotalCount', async () => {
    const first = await alibaba().listAccounts({ PageNumber: 1, PageSize: 100 }, signal);
    const second = await alibaba().listAccounts({ PageNumber: 2, PageSize: 100 }, signal);
    assert.equal(first.TotalCount, 150);
    assert.equal(first.Accounts.length, 100);
    assert.deepEqual(second.Accounts[49], { AccountId: '1500000000000150', DisplayName: 'shop 149', Status: 'CreateSuccess' });
    await assert.rejects(alibaba().listAccounts({ PageNumber: 1, PageSize: 101 }, signal), { code: 'InvalidParameter' });
  });

  test('DescribeMonitorAccounts answers the members Security Center monitors: not those left out of it, nor those whose account does not exist', async () => {
    const monitors = new MonitorAccountsClient({
      endpoint: endpoint(),
      credentials: { source: 'static', accessKeyId: new Secret(ALIBABA.accessKeyId), accessKeySecret: new Secret(ALIBABA.accessKeySecret) },
      requestTimeoutSeconds: 2,
    });
    const before = emulator.alibaba.directories.members('rd')!;
    emulator.alibaba.directories.set('rd', [
      { accountId: '1500000000000001', displayName: 'a', roles: [] },
      { accountId: '1500000000000002', displayName: 'b', roles: [], monitored: false },
      { accountId: '1500000000000003', displayName: 'c', roles: [], status: 'CreateVerifying' },
      { accountId: '1500000000000004', displayName: 'd', roles: [], status: 'PromoteVerifying' },
    ]);
    try {
      const answer = await monitors.describeMonitorAccounts(signal);
      assert.deepEqual(answer.AccountIds, ['1500000000000001', '1500000000000004']);
      assert.match(answer.RequestId, /^[0-9A-F-]{36}$/);
      const [call] = emulator.calls.list({ action: 'DescribeMonitorAccounts' });
      assert.equal(call?.principal, ALIBABA.accessKeyId, 'counted against the key that signed it');
    } finally {
      emulator.alibaba.directories.set('rd', before);
    }
  });

  test('listing faults: throttled and failing answers come back as the clouds send them', async () => {
    emulator.faults.add({
      provider: 'tencent',
      action: 'DescribeOrganizationMembers',
      fault: { kind: 'error', code: 'RequestLimitExceeded' },
      times: 1,
    });
    emulator.faults.add({ provider: 'alibaba', action: 'ListAccounts', fault: { kind: 'error', code: 'Throttling.User' }, times: 1 });
    await assert.rejects(
      tencent().describeOrganizationMembers({ Offset: 0, Limit: 50 }, signal),
      (error: ApiError) => error.kind === 'throttled',
    );
    await assert.rejects(
      alibaba().listAccounts({ PageNumber: 1, PageSize: 100 }, signal),
      (error: ApiError) => error.kind === 'throttled' && error.code === 'Throttling.User',
    );
    emulator.faults.add({ provider: 'alibaba', action: 'ListAccounts', fault: { kind: 'http_status', status: 503 }, times: 1 });
    await assert.rejects(alibaba().listAccounts({ PageNumber: 1, PageSize: 100 }, signal), (error: ApiError) => error.kind === 'server');
    // The rules were used up: the next calls succeed.
    assert.equal((await alibaba().listAccounts({ PageNumber: 1, PageSize: 100 }, signal)).TotalCount, 150);
  });
});
