// Member-account discovery end to end: the real CommonClient and Darabonba client -> the emulator's
// organization listings (paged, signatures checked) -> accounts that join and leave between scrapes.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { TencentEmulatedMember } from '../../src/emulator/tencent/index.js';
import type { AlibabaEmulatedMember } from '../../src/emulator/alibaba/index.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { OffsetClock } from '../support/offset-clock.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaDirectory } from '../support/alibaba.js';
import { tencentAccount, tencentOrganization } from '../support/tencent.js';

const MANAGEMENT = { secretId: 'AKIDorgTestManagement000000000000001', secretKey: 'orgTestManagementSecretKey0000001' };
const ALIBABA_MANAGEMENT = { accessKeyId: 'LTAI5tOrgTestMgmt00001', accessKeySecret: 'org-test-alibaba-management-secret-01' };
const ROLE = 'CloudscanReadOnly';

function tencentMember(i: number, overrides: Partial<TencentEmulatedMember> = {}): TencentEmulatedMember {
  return { uin: String(100000000000 + i), name: `team-${i}`, roles: [ROLE], account: `tencent-member-${i}`, ...overrides };
}

function alibabaMember(i: number, overrides: Partial<AlibabaEmulatedMember> = {}): AlibabaEmulatedMember {
  return { accountId: String(1000000000000000 + i), displayName: `shop-${i}`, roles: [ROLE], account: `member-${i}`, ...overrides };
}

describe('organizations: each member becomes an account', () => {
  let emulator: Emulator;
  let running: Running | undefined;
  let clock: OffsetClock;

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'management', ...MANAGEMENT, strategies: [] });
    emulator.alibaba.addAccount({ name: 'rd-management', ...ALIBABA_MANAGEMENT, fleetSize: 1 });
    for (let i = 1; i <= 120; i++) {
      const n = String(i).padStart(4, '0');
      emulator.tencent.addAccount({
        name: `tencent-member-${i}`,
        secretId: `AKIDorgTestMember${n}0000000000000001`.slice(0, 36),
        secretKey: `orgTestMember${n}SecretKey000000001`,
        strategies: [],
      });
    }
    for (let i = 1; i <= 130; i++) {
      emulator.alibaba.addAccount({
        name: `member-${i}`,
        accessKeyId: `LTAI5tOrgMember${String(i).padStart(7, '0')}`,
        accessKeySecret: `member-secret-${i}-0000000000`,
        fleetSize: 2,
      });
    }
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.faults.clear();
    emulator.calls.clear();
  });

  async function start(
    options: { tencent?: Parameters<typeof tencentOrganization>[3]; alibaba?: Parameters<typeof alibabaDirectory>[3] } = {},
  ) {
    clock = new OffsetClock();
    const endpoint = endpointOf(emulator);
    running = await startExporter(
      exporterConfig({
        tencent_organizations: options.tencent === undefined ? [] : [tencentOrganization('acme', MANAGEMENT, endpoint, options.tencent)],
        alibaba_resource_directories:
          options.alibaba === undefined ? [] : [alibabaDirectory('acme-rd', ALIBABA_MANAGEMENT, endpoint, options.alibaba)],
      }),
      { clock },
    );
    return running;
  }

  const accountsOf = (text: string, provider: string) =>
    sampleLines(text, `cloudscan_up{provider="${provider}"`).map((line) => /account="([^"]*)"/.exec(line)![1]!);

  test("a Tencent organization's members are accounts named by uin, their names in cloudscan_account_info", async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2), tencentMember(3)]);
    const { scrape } = await start({ tencent: {} });
    const text = await scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000001', '100000000002', '100000000003']);
    assert.equal(valueOf(text, 'cloudscan_account_info{provider="tencent",account="100000000002",name="team-2",discovered_by="acme"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_organization_members{provider="tencent",organization="acme"}'), 3);
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="tencent",account="acme",action="DescribeOrganizationMembers"}'), 1);
    // Each member's scans were read (Malware and Vul, as the organization's members: asks).
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="tencent",account="100000000003",action="DescribeScanState"}'), 2);
  });

  test('120 Tencent members are listed in 3 pages of 50, 130 Alibaba members in 2 pages of 100', async () => {
    emulator.tencent.organizations.set(
      'management',
      Array.from({ length: 120 }, (_, i) => tencentMember(i + 1)),
    );
    emulator.alibaba.directories.set(
      'rd-management',
      Array.from({ length: 130 }, (_, i) => alibabaMember(i + 1)),
    );
    const { scrape, exporter } = await start({
      tencent: { member: { ...tencentOrganization('x', MANAGEMENT, endpointOf(emulator)).member, modules: ['Vul'] } },
      alibaba: {},
    });
    await exporter.organizationsSettled();
    const text = await scrape();
    assert.equal(accountsOf(text, 'tencent').length, 120);
    assert.equal(accountsOf(text, 'alibaba').length, 130);
    assert.equal(emulator.calls.count({ provider: 'tencent', action: 'DescribeOrganizationMembers' }), 3);
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'ListAccounts' }), 2);
  });

  test('members that join appear and members that leave disappear at the next listing, the others keeping their cache', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
    const { scrape } = await start({ tencent: { refreshIntervalSeconds: 60 } });
    assert.deepEqual(accountsOf(await scrape(), 'tencent'), ['100000000001', '100000000002']);
    emulator.tencent.organizations.remove('management', '100000000001');
    emulator.tencent.organizations.add('management', tencentMember(3));
    emulator.calls.clear();

    // Before the interval: the list is not read again.
    clock.skip(30_000);
    assert.deepEqual(accountsOf(await scrape(), 'tencent'), ['100000000001', '100000000002']);
    assert.equal(emulator.calls.count({ action: 'DescribeOrganizationMembers' }), 0);

    clock.skip(30_000);
    await scrape(); // finds the listing due; it runs in the background
    await running!.exporter.organizationsSettled();
    const text = await scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000002', '100000000003']);
    assert.equal(
      sampleLines(text, 'cloudscan_').filter((line) => line.includes('"100000000001"')).length,
      0,
      'no series of the member that left',
    );
    assert.equal(valueOf(text, 'cloudscan_account_info{provider="tencent",account="100000000003",name="team-3",discovered_by="acme"}'), 1);
    // The member that stayed was served from its cache (cache.ttl 60 s has passed, so it refreshes once, not twice).
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="tencent",account="100000000002",action="DescribeScanState"}'), 4);
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="tencent",account="100000000003",action="DescribeScanState"}'), 2);
  });

  test('a reload that leaves the organization as it was keeps its member list and every member cache; removing it drops them', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
    const { scrape, exporter } = await start({ tencent: {} });
    await scrape();
    emulator.calls.clear();
    exporter.reload(exporter.config);
    const text = await scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000001', '100000000002']);
    assert.equal(emulator.calls.count(), 0, 'no listing, no refresh, no AssumeRole');
    exporter.reload({
      ...exporter.config,
      tencent_organizations: [],
      tencent: [tencentAccount('prod', MANAGEMENT, endpointOf(emulator), { modules: ['Vul'] })],
    });
    const after = await scrape();
    assert.deepEqual(accountsOf(after, 'tencent'), ['prod']);
    assert.equal(sampleLines(after, 'cloudscan_organization_').length, 0);
    assert.equal(
      sampleLines(after, 'cloudscan_api_requests_total{provider="tencent",account="acme"').length,
      0,
      "the organization's counters go with it",
    );
  });

  test('a failed listing keeps the last known members, is counted under the listing action and logged', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
    const { scrape, logText, exporter } = await start({ tencent: { refreshIntervalSeconds: 60 } });
    await scrape();
    emulator.tencent.organizations.remove('management', '100000000001');
    emulator.faults.add({ provider: 'tencent', action: 'DescribeOrganizationMembers', fault: { kind: 'error', code: 'InternalError' } });
    clock.skip(60_000);
    await scrape();
    await exporter.organizationsSettled();
    const text = await scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000001', '100000000002']);
    assert.equal(valueOf(text, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 0);
    assert.ok(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="acme",action="DescribeOrganizationMembers",code="InternalError"}',
      )! >= 1,
    );
    assert.match(logText(), /listing the organization's members failed; keeping the 2 member\(s\) last listed/);
    assert.match(logText(), /"code":"InternalError"/);

    emulator.faults.clear();
    clock.skip(60_000);
    await scrape();
    await exporter.organizationsSettled();
    const healed = await scrape();
    assert.deepEqual(accountsOf(healed, 'tencent'), ['100000000002']);
    assert.equal(valueOf(healed, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 1);
  });

  test('a throttled listing page is retried and the listing completes', async () => {
    emulator.tencent.organizations.set(
      'management',
      Array.from({ length: 60 }, (_, i) => tencentMember(i + 1)),
    );
    emulator.faults.add({
      provider: 'tencent',
      action: 'DescribeOrganizationMembers',
      fault: { kind: 'error', code: 'RequestLimitExceeded' },
      times: 1,
    });
    const { scrape, exporter } = await start({ tencent: {} });
    await scrape();
    await exporter.organizationsSettled();
    const text = await scrape();
    assert.equal(accountsOf(text, 'tencent').length, 60);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="acme",action="DescribeOrganizationMembers",code="RequestLimitExceeded"}',
      ),
      1,
    );
    assert.equal(emulator.calls.count({ action: 'DescribeOrganizationMembers' }), 3);
  });

  test('each Tencent member is read as the member, through its role, assumed once and not again on the next refresh', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
    const { scrape, exporter } = await start({ tencent: { refreshIntervalSeconds: 60 } });
    await scrape();
    assert.equal(emulator.calls.count({ account: 'tencent-member-1', action: 'AssumeRole' }), 1);
    assert.equal(emulator.calls.count({ account: 'tencent-member-1', action: 'DescribeScanState' }), 2, "the member's own data");
    assert.equal(emulator.calls.count({ account: 'management', action: 'DescribeScanState' }), 0, "never the management account's");
    clock.skip(60_000);
    await scrape();
    await exporter.collector.settled();
    await exporter.organizationsSettled();
    const text = await scrape();
    assert.equal(emulator.calls.count({ action: 'AssumeRole' }), 2, 'one per member, not one per refresh');
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="tencent",account="100000000001",action="DescribeScanState"}'), 4);
  });

  test('a member whose role is missing is down alone, its AssumeRole failure counted under its own account', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2, { roles: [] })]);
    emulator.tencent.setRoles('tencent-member-2', []);
    const { scrape } = await start({ tencent: {} });
    const text = await scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="100000000001"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="100000000002"}'), 0);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="100000000002",action="AssumeRole",code="ResourceNotFound.RoleNotFound"}',
      ),
      1,
    );
    assert.equal(valueOf(text, 'cloudscan_account_info{provider="tencent",account="100000000002",name="team-2",discovered_by="acme"}'), 1);
    emulator.tencent.organizations.add('management', tencentMember(2));
  });

  test('include and exclude select members by id or by name', async () => {
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2), tencentMember(3), tencentMember(4)]);
    const { scrape } = await start({ tencent: { include: ['100000000001', 'team-2', 'team-3'], exclude: ['100000000003'] } });
    const text = await scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000001', '100000000002']);
    assert.equal(valueOf(text, 'cloudscan_organization_members{provider="tencent",organization="acme"}'), 2);
  });

  test('/probe accepts a discovered member, so Prometheus can shard an organization', async () => {
    emulator.alibaba.directories.set('rd-management', [alibabaMember(1), alibabaMember(2)]);
    const { get } = await start({ alibaba: {} });
    const probe = await get('/probe?target=alibaba/1000000000000002');
    assert.equal(probe.status, 200, probe.body);
    assert.equal(valueOf(probe.body, 'cloudscan_up{provider="alibaba",account="1000000000000002"}'), 1);
    assert.equal(
      valueOf(probe.body, 'cloudscan_account_info{provider="alibaba",account="1000000000000002",name="shop-2",discovered_by="acme-rd"}'),
      1,
    );
    assert.equal(sampleLines(probe.body, 'cloudscan_up{').length, 1);
    // The status page names the member and its resource directory, in the table and on the member's own page.
    assert.match((await get('/')).body, /data-target="alibaba\/1000000000000002"[\s\S]*?<small>shop-2 · acme-rd<\/small>/);
    const page = (await get('/?account=alibaba/1000000000000002')).body;
    assert.match(
      page,
      /data-target="alibaba\/1000000000000002"[\s\S]*?<dd data-fact="member">shop-2 of organization <a href="\?organization=alibaba%2Facme-rd">acme-rd<\/a><\/dd>/,
    );
    assert.equal((await get('/probe?target=alibaba/1000000000000009')).status, 400);
  });

  test('Alibaba members are read through ResourceDirectoryAccountId; one Security Center does not monitor is counted and shown with the fix, never down', async () => {
    emulator.alibaba.directories.set('rd-management', [alibabaMember(1), alibabaMember(2, { monitored: false })]);
    const { scrape, get } = await start({ alibaba: {} });
    const text = await scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="1000000000000001"}'), 1);
    assert.deepEqual(accountsOf(text, 'alibaba'), ['1000000000000001'], 'the member Security Center does not monitor is not read');
    assert.equal(sampleLines(text, 'cloudscan_').filter((line) => line.includes('account="1000000000000002"')).length, 0);
    assert.equal(
      valueOf(text, 'cloudscan_organization_members_skipped{provider="alibaba",organization="acme-rd",reason="not_monitored"}'),
      1,
    );
    assert.equal(valueOf(text, 'cloudscan_organization_members{provider="alibaba",organization="acme-rd"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_api_requests_total{provider="alibaba",account="acme-rd",action="DescribeMonitorAccounts"}'), 1);
    // The member's own servers: the emulator answered with member-1's data for the management account's call.
    assert.equal(emulator.calls.count({ account: 'member-1', action: 'DescribeVulCheckTaskStatusDetail' }), 2);
    assert.match(
      (await get('/')).body,
      /data-organization="alibaba\/acme-rd"[\s\S]*?1 not monitored/,
      "the organization's line counts the member not read",
    );
    const page = (await get('/?organization=alibaba/acme-rd')).body;
    assert.match(
      page,
      /data-organization="alibaba\/acme-rd"[\s\S]*?1 not read: not in Security Center&#39;s multi-account management[\s\S]*?member_access: assume_role[\s\S]*?1000000000000002 \(shop-2\)/,
    );
  });

  test('Alibaba members read with member_access assume_role: as the member, its role assumed once; one without the role is down alone', async () => {
    emulator.alibaba.directories.set('rd-management', [alibabaMember(1), alibabaMember(2), alibabaMember(3, { roles: [] })]);
    emulator.alibaba.setRoles('member-3', []);
    const role = { name: ROLE, sessionName: 'cloudscan-exporter', durationSeconds: 3600 };
    const { scrape } = await start({ alibaba: { memberAccess: 'assume_role', memberRole: role } });
    const text = await scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="1000000000000001"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="1000000000000003"}'), 0);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="1000000000000003",action="AssumeRole",code="EntityNotExist.Role"}',
      ),
      1,
    );
    assert.equal(emulator.calls.count({ account: 'member-1', action: 'AssumeRole' }), 1);
    assert.equal(
      emulator.calls.count({ account: 'member-2', action: 'DescribeVulCheckTaskStatusDetail' }),
      2,
      "the member's own servers, as the member",
    );
    assert.equal(
      emulator.calls
        .list({ action: 'DescribeVulCheckTaskStatusDetail' })
        .filter((call) => call.params?.['ResourceDirectoryAccountId'] !== undefined).length,
      0,
    );
    emulator.alibaba.directories.set('rd-management', []);
  });

  test('a member whose id is a configured account name is left out with a warning, the configured account kept', async () => {
    emulator.tencent.addAccount({
      name: 'configured',
      secretId: 'AKIDorgTestConfigured000000000000001',
      secretKey: 'orgTestConfiguredSecretKey0000001',
      strategies: [],
    });
    emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
    clock = new OffsetClock();
    const endpoint = endpointOf(emulator);
    running = await startExporter(
      exporterConfig({
        tencent: [
          tencentAccount(
            '100000000001',
            { secretId: 'AKIDorgTestConfigured000000000000001', secretKey: 'orgTestConfiguredSecretKey0000001' },
            endpoint,
            { modules: ['Vul'] },
          ),
        ],
        tencent_organizations: [tencentOrganization('acme', MANAGEMENT, endpoint)],
      }),
      { clock },
    );
    const text = await running.scrape();
    assert.deepEqual(accountsOf(text, 'tencent'), ['100000000001', '100000000002']);
    assert.equal(
      valueOf(text, 'cloudscan_account_info{provider="tencent",account="100000000001",name="100000000001",discovered_by=""}'),
      1,
    );
    assert.match(running.logText(), /member left out: an account of that name is already configured/);
  });
});
