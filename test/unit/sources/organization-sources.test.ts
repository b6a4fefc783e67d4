// The member listers on answers the clouds should never send but might: ids of any form and size, a
// null id, a Total lower than the members listed; and on what they do send: members whose account
// does not exist yet (or any more), and members Security Center does not monitor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJsonKeepingIntegers } from '../../../src/sources/kit/json-answer.js';
import { parseMembers, type OrganizationClient } from '../../../src/sources/tencent/organization-client.js';
import { TencentMemberSource } from '../../../src/sources/tencent/organization-source.js';
import { parseListAccounts, type ResourceManagerClient } from '../../../src/sources/alibaba/resource-manager-client.js';
import { parseMonitorAccounts, type MonitorAccountsClient } from '../../../src/sources/alibaba/monitor-accounts.js';
import { AlibabaMemberSource } from '../../../src/sources/alibaba/organization-source.js';
import { NOT_EXISTING_MEMBER_STATUSES } from '../../../src/emulator/alibaba/index.js';
import { EXISTING_MEMBER_STATUSES } from '../../../src/sources/alibaba/resource-manager-api.js';
import { ApiError, type ApiCall, type CallTrace } from '../../../src/contract/types.js';
import { alibabaDirectory } from '../../support/alibaba.js';
import { tencentOrganization } from '../../support/tencent.js';

const endpoint = { protocol: 'http' as const, host: '127.0.0.1:1' };
const invoke = <T>(_action: string, call: ApiCall<T>): Promise<T> => call(new AbortController().signal, {} as CallTrace);

/** A Tencent lister whose pages are these raw JSON answers, read as the client reads them. */
function tencentLister(pages: string[]): TencentMemberSource {
  let page = 0;
  const client = {
    describeOrganizationMembers: async () => parseMembers(parseJsonKeepingIntegers(pages[page++] ?? '{"Items":[],"Total":0}')),
  };
  return new TencentMemberSource(
    tencentOrganization('acme', { secretId: 'id', secretKey: 'key' }, endpoint),
    client as unknown as OrganizationClient,
  );
}

const item = (uin: string, name = 'm') => `{"MemberUin":${uin},"Name":${JSON.stringify(name)}}`;

describe('Tencent member ids', () => {
  test('only uins become members: null, negative, leading zeros, out of 64 bits, exponents, huge numbers and text are left out with one warning', async () => {
    const huge = '9'.repeat(3_000_000);
    const items = [
      item('100000000001', 'good'),
      item('null'),
      item('-1'),
      item('"00"'),
      item('1e21'),
      item('"0200000000000"'),
      item('18446744073709551616'),
      item(huge),
      item('"uin"'),
      item('{"a":1}'),
      item('18446744073709551615', 'largest'),
    ];
    const listing = await tencentLister([`{"Items":[${items.join(',')}],"Total":${items.length}}`]).list(invoke);
    assert.deepEqual(listing.members, [
      { id: '100000000001', name: 'good' },
      { id: '18446744073709551615', name: 'largest' },
    ]);
    assert.equal(listing.skipped.length, 9);
    assert.ok(
      listing.skipped.every((member) => member.reason === 'invalid_id' && member.id.length < 80),
      'every shown id is cut short',
    );
    assert.equal(listing.warnings.length, 1);
    assert.match(
      listing.warnings[0]!.message,
      /9 member\(s\) left out, their MemberUin not a uin .*: null, "-1", "00", "1000000000000000000000", "0200000000000" and 4 more$/,
    );
    assert.ok(listing.warnings[0]!.message.length < 400);
  });

  test('a Total lower than the members listed does not cut the listing: every page is read, and a warning says so', async () => {
    const page = (from: number, count: number) =>
      `{"Items":[${Array.from({ length: count }, (_, i) => item(String(100000000000 + from + i))).join(',')}],"Total":50}`;
    const listing = await tencentLister([page(0, 50), page(50, 50), page(100, 20)]).list(invoke);
    assert.equal(listing.members.length, 120);
    assert.match(listing.warnings[0]!.message, /Total 50 is lower than the 120 members listed; every page was read/);
  });

  test('a listing of a whole number of pages asks for one more: a Total is checked, never trusted to end it', async () => {
    let pages = 0;
    const client = {
      describeOrganizationMembers: async () => {
        const count = pages++ === 0 ? 50 : 0;
        return {
          Items: Array.from({ length: count }, (_, i) => ({ MemberUin: String(100000000000 + i), Name: '' })),
          Total: 50,
          RequestId: '',
        };
      },
    };
    const listing = await new TencentMemberSource(
      tencentOrganization('acme', { secretId: 'id', secretKey: 'key' }, endpoint),
      client as unknown as OrganizationClient,
    ).list(invoke);
    assert.equal(listing.members.length, 50);
    assert.equal(pages, 2);
    assert.deepEqual(listing.warnings, []);
  });
});

/** An Alibaba lister over these ListAccounts pages and DescribeMonitorAccounts answers (raw JSON; an Error is thrown). */
function alibabaLister(
  pages: string[],
  monitored: Array<string | ApiError>,
  memberAccess: 'resource_directory_account_id' | 'assume_role' = 'resource_directory_account_id',
) {
  let page = 0;
  const client = {
    listAccounts: async () => parseListAccounts(parseJsonKeepingIntegers(pages[page++] ?? '{"Accounts":{"Account":[]},"TotalCount":0}')),
  };
  const monitors = {
    describeMonitorAccounts: async () => {
      const next = monitored.shift()!;
      if (next instanceof ApiError) throw next;
      return parseMonitorAccounts(parseJsonKeepingIntegers(next));
    },
  };
  const directory = alibabaDirectory('rd', { accessKeyId: 'id', accessKeySecret: 'secret' }, endpoint, {
    memberAccess,
    ...(memberAccess === 'assume_role' ? { memberRole: { name: 'CloudscanReadOnly', sessionName: 's', durationSeconds: 3600 } } : {}),
  });
  return new AlibabaMemberSource(directory, client as unknown as ResourceManagerClient, monitors as unknown as MonitorAccountsClient);
}

const ALL_STATUSES = [...EXISTING_MEMBER_STATUSES, ...NOT_EXISTING_MEMBER_STATUSES];
const account = (id: string, status: string) => `{"AccountId":"${id}","DisplayName":"${status}","Status":"${status}"}`;

describe('Alibaba members', () => {
  test("every Status the document lists is either a member that exists or one that does not, by both the exporter's and the emulator's lists", () => {
    assert.deepEqual([...ALL_STATUSES].sort(), [
      'CreateCancelled',
      'CreateExpired',
      'CreateFailed',
      'CreateSuccess',
      'CreateVerifying',
      'InviteSuccess',
      'PromoteCancelled',
      'PromoteExpired',
      'PromoteFailed',
      'PromoteSuccess',
      'PromoteVerifying',
      'Removed',
    ]);
  });

  test('only members whose account exists become accounts (created, invited, and every upgrade state); the others are counted, with their Status', async () => {
    const accounts = ALL_STATUSES.map((status, i) => account(String(1600000000000001 + i), status));
    const listing = await alibabaLister(
      [`{"Accounts":{"Account":[${accounts.join(',')}]},"TotalCount":${accounts.length}}`],
      [],
      'assume_role',
    ).list(invoke);
    assert.deepEqual(
      listing.members.map((member) => member.name),
      [...EXISTING_MEMBER_STATUSES],
    );
    assert.deepEqual(
      listing.skipped.map((member) => [member.reason, member.detail]),
      NOT_EXISTING_MEMBER_STATUSES.map((status) => ['inactive', `Status "${status}"`]),
    );
    assert.match(listing.fixes.inactive!, /does not exist/);
  });

  test('read through ResourceDirectoryAccountId, only the members Security Center monitors are read; the others are skipped with the fix', async () => {
    const page = `{"Accounts":{"Account":[${account('1600000000000001', 'CreateSuccess')},${account('1600000000000002', 'CreateSuccess')}]},"TotalCount":2}`;
    const listing = await alibabaLister([page], ['{"AccountIds":["1600000000000001"],"RequestId":"r"}']).list(invoke);
    assert.deepEqual(
      listing.members.map((member) => member.id),
      ['1600000000000001'],
    );
    assert.deepEqual(
      listing.skipped.map((member) => [member.id, member.reason]),
      [['1600000000000002', 'not_monitored']],
    );
    assert.match(listing.fixes.not_monitored!, /multi-account management.*member_access: assume_role/);
  });

  test('when Security Center cannot say which members it monitors, the last answer is kept, and before any every member is read, said as partial', async () => {
    const page = `{"Accounts":{"Account":[${account('1600000000000001', 'CreateSuccess')},${account('1600000000000002', 'CreateSuccess')}]},"TotalCount":2}`;
    const refused = () =>
      new ApiError('alibaba', 'DescribeMonitorAccounts', 'NoPermission', 'auth', 'NoPermission: caller has no permission');
    const lister = alibabaLister([page, page, page], [refused(), '{"AccountIds":["1600000000000002"]}', refused()]);
    const first = await lister.list(invoke);
    assert.equal(first.members.length, 2);
    assert.match(first.partial[0]!.instead, /reading every member that exists.*yundun-sas:DescribeMonitorAccounts/);
    assert.deepEqual(
      (await lister.list(invoke)).members.map((member) => member.id),
      ['1600000000000002'],
    );
    const third = await lister.list(invoke);
    assert.deepEqual(
      third.members.map((member) => member.id),
      ['1600000000000002'],
    );
    assert.match(third.partial[0]!.instead, /keeping the members it monitored at its last answer/);
  });

  test('an AccountId that is not an account id, or null, leaves out that member alone', async () => {
    const accounts = [
      '{"AccountId":null,"Status":"CreateSuccess"}',
      account('-5', 'CreateSuccess'),
      account('12345678901234567', 'CreateSuccess'),
      account('1600000000000001', 'CreateSuccess'),
    ];
    const listing = await alibabaLister([`{"Accounts":{"Account":[${accounts.join(',')}]},"TotalCount":4}`], [], 'assume_role').list(
      invoke,
    );
    assert.deepEqual(
      listing.members.map((member) => member.id),
      ['1600000000000001'],
    );
    assert.equal(listing.skipped.filter((member) => member.reason === 'invalid_id').length, 3);
    assert.equal(listing.warnings.length, 1);
  });
});
