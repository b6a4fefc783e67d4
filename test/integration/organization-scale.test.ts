// Organizations as the largest users run them, through the real SDK clients and the emulator: one
// principal's quota shared by every member it signs for, member lists as the clouds really answer
// them, nothing that grows as members come and go, and what a sharded setup sees on /probe.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Counter, Gauge } from 'prom-client';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { TencentEmulatedMember } from '../../src/emulator/tencent/index.js';
import type { AlibabaEmulatedMember } from '../../src/emulator/alibaba/index.js';
import type { ProviderEntry } from '../../src/contract/provider.js';
import { PROVIDERS } from '../../src/sources/registry.js';
import type { ApiCallRecord, Member } from '../../src/contract/types.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { OffsetClock } from '../support/offset-clock.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaDirectory } from '../support/alibaba.js';
import { tencentAccount, tencentOrganization } from '../support/tencent.js';

const MANAGEMENT = { secretId: 'AKIDscaleTestManagement0000000000001', secretKey: 'scaleTestManagementSecretKey00001' };
const ALIBABA_MANAGEMENT = { accessKeyId: 'LTAI5tScaleTestMgmt001', accessKeySecret: 'scale-test-alibaba-management-secret' };
const ROLE = 'CloudscanReadOnly';
const MEMBERS = 40;
/** Members of the organization whose status page is looked at: more than it shows cards of. */
const PAGE_MEMBERS = 130;

const uin = (i: number) => String(300000000000 + i);
const accountId = (i: number) => String(1300000000000000 + i);
const tencentMember = (i: number, overrides: Partial<TencentEmulatedMember> = {}): TencentEmulatedMember => ({
  uin: uin(i),
  name: `team-${i}`,
  roles: [ROLE],
  account: `t-${i}`,
  ...overrides,
});
const alibabaMember = (i: number, overrides: Partial<AlibabaEmulatedMember> = {}): AlibabaEmulatedMember => ({
  accountId: accountId(i),
  displayName: `shop-${i}`,
  roles: [ROLE],
  account: `a-${i}`,
  ...overrides,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The most of `times` in any 1-second window. */
function peak(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('organizations at real scale', () => {
  let emulator: Emulator;
  let running: Running | undefined;
  let clock: OffsetClock;

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'management', ...MANAGEMENT, strategies: [] });
    emulator.alibaba.addAccount({ name: 'rd-management', ...ALIBABA_MANAGEMENT, fleetSize: 1 });
    for (const i of range(PAGE_MEMBERS)) {
      const n = String(i).padStart(4, '0');
      emulator.tencent.addAccount({
        name: `t-${i}`,
        secretId: `AKIDscaleTestMember${n}000000000000001`.slice(0, 36),
        secretKey: `scaleTestMember${n}SecretKey0000001`,
        strategies: [],
        fleetSize: 1,
      });
      if (i <= MEMBERS)
        emulator.alibaba.addAccount({
          name: `a-${i}`,
          accessKeyId: `LTAI5tScaleMember${String(i).padStart(5, '0')}`,
          accessKeySecret: `scale-member-secret-${i}-00000000`,
          fleetSize: 1,
        });
    }
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.faults.clear();
    emulator.calls.clear();
    emulator.tencent.organizations.reportTotal('management', undefined);
    emulator.tencent.organizations.set('management', []);
    emulator.alibaba.directories.set('rd-management', []);
  });

  type Options = {
    tencent?: Parameters<typeof tencentOrganization>[3];
    alibaba?: Parameters<typeof alibabaDirectory>[3];
    onCall?: (provider: string, account: string, call: ApiCallRecord) => void;
    providers?: readonly ProviderEntry[];
  };

  async function start(options: Options = {}) {
    clock = new OffsetClock();
    const endpoint = endpointOf(emulator);
    // 130 members' calls to an emulator in this process take more than the support's 2 s on a loaded machine.
    const tencentMembers = {
      ...tencentOrganization('x', MANAGEMENT, endpoint).member,
      modules: ['Vul' as const],
      requestTimeoutSeconds: 30,
    };
    running = await startExporter(
      exporterConfig({
        tencent_organizations:
          options.tencent === undefined
            ? []
            : [tencentOrganization('acme', MANAGEMENT, endpoint, { member: tencentMembers, ...options.tencent })],
        alibaba_resource_directories:
          options.alibaba === undefined ? [] : [alibabaDirectory('acme-rd', ALIBABA_MANAGEMENT, endpoint, options.alibaba)],
      }),
      { clock, ...(options.onCall ? { onCall: options.onCall } : {}), ...(options.providers ? { providers: options.providers } : {}) },
    );
    return running;
  }

  /** Scrapes once to start what is due, waits for the listings and refreshes, and scrapes their result. */
  /**
   * A scrape once every listing and refresh it started has ended: the members a listing found become
   * accounts at the scrape after it, so on a slow machine that scrape's refreshes are waited for too.
   */
  async function settledScrape(): Promise<string> {
    await running!.scrape();
    await running!.exporter.organizationsSettled();
    await running!.exporter.collector.settled();
    await running!.scrape();
    await running!.exporter.collector.settled();
    return running!.scrape();
  }

  const accountsOf = (text: string, provider: string) =>
    sampleLines(text, `cloudscan_up{provider="${provider}"`).map((line) => /account="([^"]*)"/.exec(line)![1]!);
  const naming = (text: string, account: string) => sampleLines(text, 'cloudscan_').filter((line) => line.includes(`"${account}"`));

  describe('one principal, one quota', () => {
    test("the management key's AssumeRole for every member shares one rate limit; each member role's own calls count against that member", async (t) => {
      emulator.tencent.organizations.set(
        'management',
        range(30).map((i) => tencentMember(i)),
      );
      const granted: Record<string, number[]> = {};
      const { exporter, scrape } = await start({
        tencent: { member: { ...tencentOrganization('x', MANAGEMENT, endpointOf(emulator)).member, modules: ['Vul'], rateLimit: 10 } },
        onCall: (_provider, account, call) => {
          if (account !== 'acme') (granted[call.action] ??= []).push(call.grantedAt);
        },
      });
      await scrape();
      await exporter.collector.settled();
      assert.equal(granted['AssumeRole']?.length, 30);
      assert.ok(
        peak(granted['AssumeRole']!) <= 10,
        `${peak(granted['AssumeRole']!)} AssumeRole calls in one second from the management key (rate_limit 10)`,
      );
      // Every AssumeRole was signed by the management key: the emulator counts them against it.
      assert.deepEqual(
        new Set(emulator.calls.list({ action: 'AssumeRole' }).map((call) => call.principal)),
        new Set([MANAGEMENT.secretId]),
      );
      // The members' own calls are signed by their roles' keys: 30 principals, not the management key.
      const scanStates = emulator.calls.list({ action: 'DescribeScanState' });
      assert.equal(new Set(scanStates.map((call) => call.principal)).size, 30);
      assert.ok(!scanStates.some((call) => call.principal === MANAGEMENT.secretId));
      t.diagnostic(
        `peak AssumeRole/s from the management key as the emulator counted arrivals: ${emulator.calls.peakPerSecond({ principal: MANAGEMENT.secretId, action: 'AssumeRole' })} (rate_limit 10)`,
      );
    });

    test("through ResourceDirectoryAccountId every member's Security Center calls are the management key's, and share its limit per action", async (t) => {
      emulator.alibaba.directories.set(
        'rd-management',
        range(30).map((i) => alibabaMember(i)),
      );
      const granted: Record<string, number[]> = {};
      const { exporter, scrape } = await start({
        alibaba: { member: { ...alibabaDirectory('x', ALIBABA_MANAGEMENT, endpointOf(emulator)).member, rateLimit: 10 } },
        onCall: (_provider, account, call) => {
          if (account !== 'acme-rd') (granted[call.action] ??= []).push(call.grantedAt);
        },
      });
      await scrape();
      await exporter.collector.settled();
      for (const action of ['DescribeCloudCenterInstances', 'DescribeVulCheckTaskStatusDetail']) {
        assert.equal(granted[action]?.length, 30, action);
        assert.ok(
          peak(granted[action]!) <= 10,
          `${action}: ${peak(granted[action]!)} calls in one second from the management key (rate_limit 10)`,
        );
        assert.deepEqual(new Set(emulator.calls.list({ action }).map((call) => call.principal)), new Set([ALIBABA_MANAGEMENT.accessKeyId]));
        t.diagnostic(
          `${action}: peak ${emulator.calls.peakPerSecond({ principal: ALIBABA_MANAGEMENT.accessKeyId, action })}/s as the emulator counted arrivals (rate_limit 10)`,
        );
      }
    });

    test('members that leave give back their share: no rate limiter is left behind', async () => {
      emulator.tencent.organizations.set(
        'management',
        range(6).map((i) => tencentMember(i)),
      );
      const { exporter, scrape } = await start({ tencent: { refreshIntervalSeconds: 60 } });
      await scrape();
      await exporter.collector.settled();
      const held = exporter.sharedBuckets;
      emulator.tencent.organizations.set(
        'management',
        range(2).map((i) => tencentMember(i)),
      );
      clock.skip(60_000);
      await settledScrape();
      assert.ok(exporter.sharedBuckets < held, `${exporter.sharedBuckets} buckets held after 4 of 6 members left, ${held} before`);
      // Left: the management key's AssumeRole and listing buckets, and two members' roles (DescribeScanState, DescribeScanTaskDetails, DescribeMachines).
      assert.ok(exporter.sharedBuckets <= 2 + 2 * 3, `${exporter.sharedBuckets} buckets`);
    });
  });

  describe('real member lists', () => {
    test('only Resource Manager members whose account exists become accounts; the others are counted, never down', async () => {
      const statuses = [
        'CreateSuccess',
        'InviteSuccess',
        'PromoteVerifying',
        'PromoteSuccess',
        'CreateVerifying',
        'CreateFailed',
        'CreateExpired',
        'CreateCancelled',
        'Removed',
      ];
      emulator.alibaba.directories.set(
        'rd-management',
        statuses.map((status, i) => alibabaMember(i + 1, { status })),
      );
      const { scrape, logText } = await start({
        alibaba: { memberAccess: 'assume_role', memberRole: { name: ROLE, sessionName: 'cloudscan-exporter', durationSeconds: 3600 } },
      });
      const text = await scrape();
      assert.deepEqual(accountsOf(text, 'alibaba'), range(4).map(accountId));
      assert.equal(sampleLines(text, 'cloudscan_up{').filter((line) => line.endsWith(' 0')).length, 0);
      assert.equal(valueOf(text, 'cloudscan_organization_members_skipped{provider="alibaba",organization="acme-rd",reason="inactive"}'), 5);
      assert.equal(valueOf(text, 'cloudscan_organization_members{provider="alibaba",organization="acme-rd"}'), 4);
      assert.doesNotMatch(logText(), /"account":"1300000000000005"/);
    });

    test("member ids not of the cloud's form are refused with one warning and a counter; a null id skips that member only; exclude compares canonical ids", async () => {
      emulator.tencent.organizations.set('management', [
        tencentMember(1),
        tencentMember(2, { memberUinJson: 'null' }),
        tencentMember(3, { memberUinJson: '-1' }),
        tencentMember(4, { memberUinJson: '1e21' }),
        tencentMember(5, { memberUinJson: '"0200000000000"' }),
        tencentMember(6, { memberUinJson: '9'.repeat(1_000_000) }),
        tencentMember(7),
        tencentMember(8),
      ]);
      const { scrape, logText } = await start({ tencent: { exclude: [`0${uin(8)}`] } });
      const text = await scrape();
      assert.deepEqual(accountsOf(text, 'tencent'), [uin(1), uin(7)]);
      assert.equal(valueOf(text, 'cloudscan_organization_members_skipped{provider="tencent",organization="acme",reason="invalid_id"}'), 5);
      assert.equal(valueOf(text, 'cloudscan_organization_members_skipped{provider="tencent",organization="acme",reason="excluded"}'), 1);
      assert.equal(
        valueOf(
          text,
          'cloudscan_api_errors_total{provider="tencent",account="acme",action="DescribeOrganizationMembers",code="invalid_response"}',
        ),
        1,
      );
      assert.equal(logText().match(/left out, their MemberUin not a uin/g)?.length, 1);
      assert.ok(text.length < 100_000, `a scrape of ${text.length} bytes`);
      assert.ok(logText().length < 100_000, `a log of ${logText().length} bytes`);
    });

    test('a Total lower than the members listed does not cut the listing', async () => {
      emulator.tencent.organizations.set(
        'management',
        range(MEMBERS).map((i) => tencentMember(i)),
      );
      emulator.tencent.organizations.reportTotal('management', 10);
      const { scrape, exporter } = await start({ tencent: {} });
      await scrape();
      await exporter.organizationsSettled();
      const text = await scrape();
      assert.equal(accountsOf(text, 'tencent').length, MEMBERS);
      assert.equal(
        valueOf(
          text,
          'cloudscan_api_errors_total{provider="tencent",account="acme",action="DescribeOrganizationMembers",code="invalid_response"}',
        ),
        1,
      );
    });

    test('a Tencent member that leaves goes after one early listing, its series with it, before any alert could fire', async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
      const { scrape, exporter } = await start({ tencent: {} }); // members listed every 5 min
      await scrape();
      emulator.tencent.organizations.remove('management', uin(2)); // Organization deletes its member access role
      emulator.tencent.expireTemporaryKeys('t-2'); // the next call renews them: AssumeRole finds no role
      clock.skip(60_000);
      await scrape(); // starts the refreshes that are due
      await exporter.collector.settled();
      const failed = clock.now();
      const down = await scrape();
      assert.equal(valueOf(down, `cloudscan_up{provider="tencent",account="${uin(2)}"}`), 0);
      clock.skip(30_000);
      await scrape(); // the early listing starts
      await exporter.organizationsSettled();
      const gone = await scrape();
      assert.deepEqual(accountsOf(gone, 'tencent'), [uin(1)]);
      assert.deepEqual(naming(gone, uin(2)), [], 'no series of the member that left, counters included');
      assert.ok(
        clock.now() - failed <= 60_000,
        'gone within a minute of its first failure; CloudscanAccountDown waits 15 min, CloudscanAuthFailing 5',
      );
      assert.equal(emulator.calls.count({ action: 'DescribeOrganizationMembers' }), 2);
    });

    test('an Alibaba member that leaves the directory goes after one early listing, never waiting for the next interval', async () => {
      emulator.alibaba.directories.set('rd-management', [alibabaMember(1), alibabaMember(2)]);
      const { scrape, exporter } = await start({ alibaba: {} });
      await scrape();
      emulator.alibaba.directories.remove('rd-management', accountId(2)); // Security Center now refuses it: NoPermission
      clock.skip(60_000);
      await scrape();
      await exporter.collector.settled();
      clock.skip(30_000);
      await scrape();
      await exporter.organizationsSettled();
      const gone = await scrape();
      assert.deepEqual(accountsOf(gone, 'alibaba'), [accountId(1)]);
      assert.deepEqual(naming(gone, accountId(2)), []);
    });

    test('a throttled listing is retried even when refresh_interval is shorter than request_timeout', async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1)]);
      emulator.faults.add({
        provider: 'tencent',
        action: 'DescribeOrganizationMembers',
        fault: { kind: 'error', code: 'RequestLimitExceeded' },
        times: 1,
      });
      const { scrape } = await start({ tencent: { refreshIntervalSeconds: 1, requestTimeoutSeconds: 2 } });
      const text = await scrape();
      assert.deepEqual(accountsOf(text, 'tencent'), [uin(1)]);
      assert.equal(valueOf(text, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 1);
      assert.equal(emulator.calls.count({ action: 'DescribeOrganizationMembers' }), 2);
    });
  });

  describe('nothing that grows with churn', () => {
    test('members that leave take every series with them when only /probe is scraped, counters included', async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2), tencentMember(3)]);
      const { get, exporter, metrics } = await start({ tencent: { refreshIntervalSeconds: 60 } });
      const probe = async () => assert.equal((await get(`/probe?target=tencent/${uin(1)}`)).status, 200);
      await probe();
      for (const next of [4, 5, 6, 7]) {
        emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(next)]);
        clock.skip(60_000);
        await probe();
        await exporter.organizationsSettled();
        await probe();
      }
      const held = await metrics.expositionText();
      for (const left of [2, 3, 4, 5, 6]) assert.deepEqual(naming(held, uin(left)), [], `member ${uin(left)} left`);
      assert.ok(naming(held, uin(7)).length > 0, 'the member that joined last has its counters at 0');
    });

    test('a reload that adds an exclude entry while the listing fails keeps the members last listed, less the newly excluded', async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2), tencentMember(3)]);
      const { scrape, exporter } = await start({ tencent: {} });
      await scrape();
      await exporter.collector.settled();
      emulator.faults.add({ provider: 'tencent', action: 'DescribeOrganizationMembers', fault: { kind: 'error', code: 'InternalError' } });
      emulator.calls.clear();
      const [organization] = exporter.config.tencent_organizations!;
      exporter.reload({ ...exporter.config, tencent_organizations: [{ ...organization!, exclude: ['team-2'] }] });
      await scrape();
      await exporter.organizationsSettled();
      const text = await scrape();
      assert.deepEqual(accountsOf(text, 'tencent'), [uin(1), uin(3)]);
      assert.equal(valueOf(text, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 0);
      assert.equal(emulator.calls.count({ action: 'DescribeScanState' }), 0, 'the members kept their caches: nothing read again from cold');
    });

    test('a probe reads only its own series: no other account is looked at, and cloudscan_account_info is not rebuilt', async (t) => {
      emulator.tencent.organizations.set(
        'management',
        range(MEMBERS).map((i) => tencentMember(i)),
      );
      const { get, metrics, exporter } = await start({ tencent: {} });
      await get(`/probe?target=tencent/${uin(1)}`);
      await exporter.organizationsSettled();
      await get(`/probe?target=tencent/${uin(1)}`);
      let reads = 0;
      const counted = (Class: typeof Counter | typeof Gauge) => {
        const get = Class.prototype.get;
        Class.prototype.get = function (this: Counter | Gauge) {
          reads++;
          return get.call(this);
        } as typeof get;
        return () => (Class.prototype.get = get);
      };
      const restore = [counted(Counter), counted(Gauge)];
      let infoRebuilds = 0;
      const setAccountInfo = metrics.setAccountInfo.bind(metrics);
      metrics.setAccountInfo = (accounts) => (infoRebuilds++, setAccountInfo(accounts));
      t.after(() => restore.forEach((undo) => undo()));
      for (const i of [1, 2, 3]) assert.equal((await get(`/probe?target=tencent/${uin(i)}`)).status, 200);
      assert.equal(reads, 0, 'no metric was read whole');
      assert.equal(infoRebuilds, 0);
      const debug = await get(`/probe?target=tencent/${uin(1)}&debug=true`);
      assert.equal(debug.status, 200);
      assert.equal(reads, 0);
    });

    test("a member that joins builds that member's account alone, whatever the number of members", async () => {
      emulator.tencent.organizations.set(
        'management',
        range(MEMBERS).map((i) => tencentMember(i)),
      );
      let built = 0;
      let planned = 0;
      const providers: readonly ProviderEntry[] = PROVIDERS;
      const counting = providers.map((provider) =>
        provider.discovery === undefined
          ? provider
          : {
              ...provider,
              discovery: {
                ...provider.discovery,
                organizations: (config: unknown) =>
                  provider.discovery!.organizations(config).map((organization) => ({
                    ...organization,
                    memberAccount: (member: Member) => {
                      built++;
                      const account = organization.memberAccount(member);
                      return { ...account, plan: () => (planned++, account.plan()) };
                    },
                  })),
              },
            },
      );
      const { get, exporter } = await start({ tencent: { refreshIntervalSeconds: 60 }, providers: counting });
      await get(`/probe?target=tencent/${uin(1)}`);
      assert.equal(built, MEMBERS);
      emulator.tencent.organizations.add('management', tencentMember(MEMBERS + 1, { account: 't-1' }));
      clock.skip(60_000);
      await get(`/probe?target=tencent/${uin(1)}`);
      await exporter.organizationsSettled();
      planned = 0;
      assert.equal((await get(`/probe?target=tencent/${uin(MEMBERS + 1)}&debug=true`)).status, 200);
      assert.equal(built, MEMBERS + 1, 'the member that joined, and no other');
      assert.equal(planned, 1, "a debug probe plans its own account's refresh, not every account's");
    });
  });

  describe('visible where it is scraped', () => {
    test("each member's /probe carries its organization's listing state and counters, so a sharded setup sees a listing fail", async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
      const { get, exporter } = await start({ tencent: { refreshIntervalSeconds: 60 } });
      const probe = async () => (await get(`/probe?target=tencent/${uin(2)}`)).body;
      const healthy = await probe();
      assert.equal(valueOf(healthy, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 1);
      assert.equal(valueOf(healthy, 'cloudscan_organization_members{provider="tencent",organization="acme"}'), 2);
      assert.equal(
        valueOf(healthy, 'cloudscan_api_requests_total{provider="tencent",account="acme",action="DescribeOrganizationMembers"}'),
        1,
      );
      assert.equal(sampleLines(healthy, 'cloudscan_up{').length, 1, 'the member alone, not its organization as an account');
      emulator.faults.add({
        provider: 'tencent',
        action: 'DescribeOrganizationMembers',
        fault: { kind: 'error', code: 'AuthFailure.UnauthorizedOperation' },
      });
      clock.skip(60_000);
      await probe();
      await exporter.organizationsSettled();
      const failing = await probe();
      assert.equal(valueOf(failing, 'cloudscan_organization_up{provider="tencent",organization="acme"}'), 0);
      assert.equal(
        valueOf(
          failing,
          'cloudscan_api_errors_total{provider="tencent",account="acme",action="DescribeOrganizationMembers",code="AuthFailure.UnauthorizedOperation"}',
        ),
        1,
      );
    });

    test('/targets serves every account as a /probe target for Prometheus HTTP service discovery, members as listed now', async () => {
      emulator.tencent.organizations.set('management', [tencentMember(1), tencentMember(2)]);
      emulator.alibaba.directories.set('rd-management', [alibabaMember(1)]);
      clock = new OffsetClock();
      const endpoint = endpointOf(emulator);
      running = await startExporter(
        exporterConfig({
          tencent: [tencentAccount('prod', MANAGEMENT, endpoint, { modules: ['Vul'] })],
          tencent_organizations: [tencentOrganization('acme', MANAGEMENT, endpoint, { refreshIntervalSeconds: 60 })],
          alibaba_resource_directories: [alibabaDirectory('acme-rd', ALIBABA_MANAGEMENT, endpoint)],
        }),
        { clock },
      );
      const targets = async () => {
        const response = await fetch(`${running!.url}/targets`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        return (await response.json()) as Array<{ targets: string[]; labels: Record<string, string> }>;
      };
      assert.deepEqual(await targets(), [
        { targets: ['tencent/prod'], labels: { __meta_cloudscan_provider: 'tencent' } },
        {
          targets: [`tencent/${uin(1)}`, `tencent/${uin(2)}`],
          labels: { __meta_cloudscan_provider: 'tencent', __meta_cloudscan_organization: 'acme' },
        },
        {
          targets: [`alibaba/${accountId(1)}`],
          labels: { __meta_cloudscan_provider: 'alibaba', __meta_cloudscan_organization: 'acme-rd' },
        },
      ]);
      emulator.tencent.organizations.add('management', tencentMember(3));
      clock.skip(60_000);
      await targets();
      await running.exporter.organizationsSettled();
      assert.deepEqual((await targets())[1]!.targets, [`tencent/${uin(1)}`, `tencent/${uin(2)}`, `tencent/${uin(3)}`]);
      assert.equal(emulator.calls.count({ action: 'DescribeScanState' }), 0, 'service discovery reads no account');
    });

    test('the status page has a line per organization, and pages its members 100 at a time, those down first', async () => {
      emulator.tencent.organizations.set(
        'management',
        range(PAGE_MEMBERS).map((i) => tencentMember(i)),
      );
      emulator.tencent.setRoles('t-5', []); // member 5 cannot be read: its role is missing
      const { get } = await start({ tencent: {} });
      await settledScrape();
      const page = (await get('/')).body;
      assert.match(page, /data-organization="tencent\/acme" data-state="up"/);
      assert.match(page, /<td>130 of 130 listed: 129 up, 1 down<\/td>/);
      assert.equal(page.match(/<tr class="\w+" data-target=/g)?.length, 100);
      const table = page.slice(page.indexOf('<tbody>', page.indexOf('<table class="accounts">')));
      assert.match(table, /^<tbody>\s*<tr class="down" data-target="tencent\/300000000005"/, 'a member that is down comes first');
      assert.match(page, /<p class="overview">130 accounts: <span class="up">129 up<\/span>, <span class="down">1 down<\/span><\/p>/);
      assert.match(page, /Page 1 of 2 \(100 accounts a page\)/);
      const second = (await get('/?page=2')).body;
      assert.equal(second.match(/<tr class="up" data-target=/g)?.length, 30, 'the other 30 on the second page');
      // The organization's own page: its members, paged the same way.
      const own = (await get('/?organization=tencent/acme&state=down')).body;
      assert.match(own, /<dd data-fact="members">130 of 130 listed: 129 up, 1 down<\/dd>/);
      assert.deepEqual(
        [...own.matchAll(/<tr class="\w+" data-target="([^"]+)"/g)].map((m) => m[1]),
        ['tencent/300000000005'],
      );
      // A bad /probe target names the first accounts, not thousands.
      const bad = await get('/probe?target=tencent/1');
      assert.equal(bad.status, 400);
      assert.match(bad.body, /, and 110 more: GET \/targets lists them\)/);
      assert.ok(bad.body.length < 2000, `${bad.body.length} bytes`);
      emulator.tencent.setRoles('t-5', [{ name: ROLE, trusted: ['management'] }]);
    });
  });
});
