// Organizations at the size of the users who need them: 500 and 5,000 members of a Tencent
// organization (read through a role in each) and of an Alibaba resource directory (read through
// ResourceDirectoryAccountId), the real CLI process against the emulator. What the cloud sees of
// each signing principal (calls per second of each action, counted by the emulator per key id as it
// checks signatures), the process's memory, what one /probe of one member costs, the status page, how
// long the event loop stalls when a member joins and another leaves, and how many series the process
// holds after 30 listings in which members come and go, scraped only through /probe as a sharded
// setup is. The emulator runs on a thread of its own (emulator-thread.ts), so that it stamps calls
// when they arrive, not when the benchmark's thread is free.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrincipalPeak } from '../src/emulator/kit/calls.js';
import type { TencentEmulatedMember } from '../src/emulator/tencent/index.js';
import type { AlibabaEmulatedMember } from '../src/emulator/alibaba/index.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { cpuMs, percentile, rssMiB } from './cli.js';
import { startEmulatorThread, type EmulatorCall, type EmulatorThread } from './emulator-thread.js';
import { get } from './latency.js';

const ROLE = 'CloudscanReadOnly';
const TENCENT_MANAGEMENT = { secretId: 'AKIDbenchScaleManagement000000000001', secretKey: 'benchOnlyScaleManagementKey000001' };
const ALIBABA_MANAGEMENT = { accessKeyId: 'LTAI5tBenchScaleMgmt01', accessKeySecret: 'bench-only-scale-management-secret' };
/** The listing's actions: limited by the organization's rate_limit; every other action by the members'. */
const LISTING_ACTIONS = new Set(['DescribeOrganizationMembers', 'ListAccounts', 'DescribeMonitorAccounts']);
/** Members of each cloud replaced by new ones at each churning listing. */
export const CHURN_PER_LISTING = 250;
export const CHURN_LISTINGS = 30;
/** How often the members are listed: short, so 30 listings take minutes. */
const REFRESH_INTERVAL_SECONDS = 2;
/** Members of each cloud probed to measure what one /probe costs. */
const PROBED_PER_CLOUD = 50;
const PROBE_ROUNDS = 3;

export interface ScaleOptions {
  /** Members of each cloud. */
  members: number;
  /** The members' rate_limit (their calls, and the management key's calls for them). */
  rateLimit: number;
  /** The organizations' rate_limit (their listing calls). */
  listingRateLimit: number;
  /** How long the first refresh of every member may take before it is measured as it is. */
  startupLimitMs: number;
}

export interface PrincipalRate {
  /** Who signed: the management key, or a member's role keys. */
  who: string;
  action: string;
  peakPerSecond: number;
  limit: number;
}

export interface ScaleResult {
  members: number;
  /** From the first /metrics scrape to every member's first refresh finished (or the limit). */
  startupMs: number;
  membersUp: number;
  membersRefreshed: number;
  /** Members with a call that timed out in their first refresh. */
  membersTimedOut: number;
  /** Tencent's management key's AssumeRole, Alibaba's management key's DescribeVulCheckTaskStatusDetail. */
  assumeRole: PrincipalRate;
  vulCheck: PrincipalRate;
  /** The principal and action with the highest peak against its limit. */
  worst: PrincipalRate;
  peakRssMiB: number;
  /** CPU of the exporter per /probe of one member (warm), and the probe's wall time. */
  probeCpuMs: number;
  probeP50Ms: number;
  statusPageBytes: number;
  statusPageMs: number;
  /** The longest answer to /-/healthy while one member joins and one leaves, next to its quiet median. */
  loopBlockMs: number;
  quietHealthyMs: number;
  /** After the churning listings: series held, those of members that left, accounts they name, against the accounts there are now. */
  seriesAfterChurn: number;
  leakedSeries: number;
  accountsWithSeries: number;
  accountsNow: number;
  rssAfterChurnMiB: number;
}

const tencentUin = (i: number) => String(400000000000 + i);
const alibabaId = (i: number) => String(1800000000000000 + i);
const pad = (i: number) => String(i).padStart(6, '0');
const tencentKeys = (i: number) => ({
  secretId: `AKIDbenchScaleMember${pad(i)}0000000001`.slice(0, 36),
  secretKey: `benchOnlyScaleMember${pad(i)}00000001`,
});
const alibabaKeys = (i: number) => ({ accessKeyId: `LTAI5tScale${pad(i)}`, accessKeySecret: `bench-only-scale-member-${pad(i)}` });

/** The two organizations: member i is emulated account i with a small fleet and the member role. */
async function emulated(
  emulator: EmulatorThread,
  members: number,
): Promise<{ tencent: TencentEmulatedMember[]; alibaba: AlibabaEmulatedMember[] }> {
  const calls: EmulatorCall[] = [
    { path: 'tencent.addAccount', args: [{ name: 'management', ...TENCENT_MANAGEMENT, strategies: [] }] },
    { path: 'alibaba.addAccount', args: [{ name: 'rd-management', ...ALIBABA_MANAGEMENT, fleetSize: 1 }] },
  ];
  const tencent: TencentEmulatedMember[] = [];
  const alibaba: AlibabaEmulatedMember[] = [];
  // Members 1..members are read; two more per cloud are the members that join in the measured changes.
  for (let i = 1; i <= members + 2; i++) {
    calls.push({ path: 'tencent.addAccount', args: [{ name: `tencent-${i}`, ...tencentKeys(i), strategies: [], fleetSize: 10 }] });
    calls.push({
      path: 'alibaba.addAccount',
      args: [{ name: `alibaba-${i}`, ...alibabaKeys(i), fleetSize: 1, tasksPerServer: 1, cycleSeconds: 3600 }],
    });
    if (i > members) continue;
    tencent.push({ uin: tencentUin(i), name: `team-${i}`, roles: [ROLE], account: `tencent-${i}` });
    alibaba.push({ accountId: alibabaId(i), displayName: `shop-${i}`, roles: [ROLE], account: `alibaba-${i}` });
  }
  calls.push(
    { path: 'tencent.organizations.set', args: ['management', tencent] },
    { path: 'alibaba.directories.set', args: ['rd-management', alibaba] },
  );
  await emulator.run(...calls);
  return { tencent, alibaba };
}

function configText(emulator: EmulatorThread, options: ScaleOptions): string {
  return [
    'cache: { ttl: 1h, max_stale: 2h }',
    'scrape: { timeout: 10s }',
    'tencent_organizations:',
    '  - name: scale-org',
    '    credentials: { secret_id: "${ORG_ID}", secret_key: "${ORG_KEY}" }',
    `    endpoint: ${emulator.url}`,
    `    member_role: ${ROLE}`,
    `    refresh_interval: ${REFRESH_INTERVAL_SECONDS}s`,
    `    rate_limit: ${options.listingRateLimit}`,
    `    members: { endpoint: "${emulator.url}", modules: [Vul], rate_limit: ${options.rateLimit}, request_timeout: 5s }`,
    'alibaba_resource_directories:',
    '  - name: scale-rd',
    '    credentials: { access_key_id: "${RD_ID}", access_key_secret: "${RD_KEY}" }',
    `    endpoint: ${emulator.url}`,
    `    refresh_interval: ${REFRESH_INTERVAL_SECONDS}s`,
    `    rate_limit: ${options.listingRateLimit}`,
    `    members: { region: cn-shanghai, endpoint: "${emulator.url}", rate_limit: ${options.rateLimit}, request_timeout: 5s }`,
    '',
  ].join('\n');
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

const lines = (text: string, prefix: string) => text.split('\n').filter((line) => line.startsWith(prefix));

export async function organizationScale(options: ScaleOptions): Promise<ScaleResult> {
  const emulator = await startEmulatorThread();
  const { tencent, alibaba } = await emulated(emulator, options.members);
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-scale-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, configText(emulator, options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const exporter = start(
    process.execPath,
    [...mainNodeFlags, distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    {
      env: {
        ...process.env,
        ORG_ID: TENCENT_MANAGEMENT.secretId,
        ORG_KEY: TENCENT_MANAGEMENT.secretKey,
        RD_ID: ALIBABA_MANAGEMENT.accessKeyId,
        RD_KEY: ALIBABA_MANAGEMENT.accessKeySecret,
      },
    },
  );
  const pid = exporter.child.pid!;
  const accounts = options.members * 2;
  const probe = (target: string, timeoutSeconds = 10) =>
    get(`${url}/probe?target=${target}`, { 'X-Prometheus-Scrape-Timeout-Seconds': String(timeoutSeconds) });
  try {
    await waitFor('the exporter to listen', async () => ((await get(`${url}/-/ready`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      describe: exporter.output,
    });

    // 1. Startup as an unsharded Prometheus sees it: /metrics every 5 s until every member's first refresh has finished.
    const started = Date.now();
    let text = '';
    for (;;) {
      text = (await get(`${url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '10' })).body;
      const finished = lines(text, 'cloudscan_collect_duration_seconds{').length;
      if (finished >= accounts || Date.now() - started > options.startupLimitMs) break;
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
    const startupMs = Date.now() - started;
    const membersUp = lines(text, 'cloudscan_up{').filter((line) => line.endsWith(' 1')).length;
    const membersRefreshed = lines(text, 'cloudscan_collect_duration_seconds{').length;
    const timedOut = new Set(
      lines(text, 'cloudscan_api_errors_total{')
        .filter((line) => line.includes('code="timeout"') && !line.endsWith(' 0'))
        .map((line) => /account="([^"]*)"/.exec(line)?.[1]),
    );
    const rates = principalRates(await emulator.run<PrincipalPeak[]>({ path: 'calls.peaksByPrincipal', args: [] }), options);
    const peakRss = peakRssMiB(pid);
    await emulator.run({ path: 'calls.clear', args: [] });

    // 2. One /probe of one member, warm: CPU of the exporter per probe.
    const probed = [
      ...tencent.slice(0, PROBED_PER_CLOUD).map((m) => `tencent/${m.uin}`),
      ...alibaba.slice(0, PROBED_PER_CLOUD).map((m) => `alibaba/${m.accountId}`),
    ];
    for (const target of probed) await probe(target);
    const cpuBefore = cpuMs(pid);
    const probeTimes: number[] = [];
    for (let round = 0; round < PROBE_ROUNDS; round++) {
      for (const target of probed) {
        const at = performance.now();
        await probe(target);
        probeTimes.push(performance.now() - at);
      }
    }
    const probeCpuMs = (cpuMs(pid) - cpuBefore) / probeTimes.length;

    // 3. The status page.
    const pageTimes: number[] = [];
    let statusPageBytes = 0;
    for (let i = 0; i < 3; i++) {
      const at = performance.now();
      statusPageBytes = Buffer.byteLength((await get(`${url}/`)).body);
      pageTimes.push(performance.now() - at);
    }

    // 4. One member of each cloud leaves and another joins: the longest /-/healthy answer meanwhile.
    const pinger = healthPinger(url);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const quietHealthyMs = pinger.median();
    pinger.reset();
    const joinerT: TencentEmulatedMember = {
      uin: tencentUin(options.members + 1),
      name: 'joined',
      roles: [ROLE],
      account: `tencent-${options.members + 1}`,
    };
    const joinerA: AlibabaEmulatedMember = {
      accountId: alibabaId(options.members + 1),
      displayName: 'joined',
      roles: [ROLE],
      account: `alibaba-${options.members + 1}`,
    };
    await emulator.run(
      { path: 'tencent.organizations.remove', args: ['management', tencent.at(-1)!.uin] },
      { path: 'alibaba.directories.remove', args: ['rd-management', alibaba.at(-1)!.accountId] },
      { path: 'tencent.organizations.add', args: ['management', joinerT] },
      { path: 'alibaba.directories.add', args: ['rd-management', joinerA] },
    );
    await waitFor(
      'the joined members',
      async () => {
        const [t, a] = await Promise.all([probe(`tencent/${joinerT.uin}`, 0.6), probe(`alibaba/${joinerA.accountId}`, 0.6)]);
        return t.status === 200 && a.status === 200 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200, describe: exporter.output },
    );
    const loopBlockMs = pinger.max();
    await pinger.stop();

    // 5. 30 listings, each replacing CHURN_PER_LISTING members of each cloud (only /probe is scraped).
    const stableT = tencent.slice(0, options.members - CHURN_PER_LISTING);
    const stableA = alibaba.slice(0, options.members - CHURN_PER_LISTING);
    let next = options.members + 10;
    let current = new Set<string>();
    for (let listing = 1; listing <= CHURN_LISTINGS; listing++) {
      // The last member of each round is a real emulated account (one of two that take turns), so a probe can tell it joined.
      const spare = options.members + 1 + (listing % 2);
      const churnT: TencentEmulatedMember[] = Array.from({ length: CHURN_PER_LISTING - 1 }, () => ({
        uin: tencentUin(next++),
        name: 'churn',
        roles: [],
      }));
      const churnA: AlibabaEmulatedMember[] = Array.from({ length: CHURN_PER_LISTING - 1 }, () => ({
        accountId: alibabaId(next++),
        displayName: 'churn',
        roles: [],
      }));
      const checkT: TencentEmulatedMember = { uin: tencentUin(next++), name: 'check', roles: [ROLE], account: `tencent-${spare}` };
      const checkA: AlibabaEmulatedMember = {
        accountId: alibabaId(next++),
        displayName: 'check',
        roles: [ROLE],
        account: `alibaba-${spare}`,
      };
      await emulator.run(
        { path: 'tencent.organizations.set', args: ['management', [...stableT, ...churnT, checkT]] },
        { path: 'alibaba.directories.set', args: ['rd-management', [...stableA, ...churnA, checkA]] },
      );
      current = new Set([
        'scale-org',
        'scale-rd',
        ...[...stableT, ...churnT, checkT].map((member) => member.uin),
        ...[...stableA, ...churnA, checkA].map((member) => member.accountId),
      ]);
      await waitFor(
        `listing ${listing}`,
        async () => {
          const [t, a] = await Promise.all([probe(`tencent/${checkT.uin}`, 0.6), probe(`alibaba/${checkA.accountId}`, 0.6)]);
          return t.status === 200 && a.status === 200 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, describe: exporter.output },
      );
    }
    const rssAfterChurnMiB = rssMiB(pid);
    const after = (await get(`${url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '2' })).body;
    const series = after.split('\n').filter((line) => line.startsWith('cloudscan_'));
    const accountOf = (line: string) => /[{,]account="([^"]*)"/.exec(line)?.[1];
    const named = new Set(series.flatMap((line) => accountOf(line) ?? []));
    const leaked = series.filter((line) => {
      const account = accountOf(line);
      return account !== undefined && !current.has(account);
    });
    return {
      members: options.members,
      startupMs,
      membersUp,
      membersRefreshed,
      membersTimedOut: timedOut.size,
      ...rates,
      peakRssMiB: peakRss,
      probeCpuMs,
      probeP50Ms: percentile(probeTimes, 0.5),
      statusPageBytes,
      statusPageMs: percentile(pageTimes, 0.5),
      loopBlockMs,
      quietHealthyMs,
      seriesAfterChurn: series.length,
      leakedSeries: leaked.length,
      accountsWithSeries: named.size,
      // The members of each cloud now, and each organization's own counters.
      accountsNow: current.size,
      rssAfterChurnMiB,
    };
  } finally {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each signing principal's busiest second of each action, as the emulator counted them, against its limit. */
function principalRates(peaks: readonly PrincipalPeak[], options: ScaleOptions): Pick<ScaleResult, 'assumeRole' | 'vulCheck' | 'worst'> {
  const management = new Map([
    [TENCENT_MANAGEMENT.secretId, 'Tencent management key'],
    [ALIBABA_MANAGEMENT.accessKeyId, 'Alibaba management key'],
  ]);
  const rates = peaks.map(({ principal, action, peakPerSecond, provider }) => ({
    who: management.get(principal) ?? `a ${provider} member's role keys`,
    action,
    peakPerSecond,
    limit: LISTING_ACTIONS.has(action) ? options.listingRateLimit : options.rateLimit,
  }));
  const find = (who: string, action: string) =>
    rates.find((r) => r.who === who && r.action === action) ?? { who, action, peakPerSecond: 0, limit: options.rateLimit };
  const worst = rates.reduce((a, b) => (b.peakPerSecond / b.limit > a.peakPerSecond / a.limit ? b : a));
  return {
    assumeRole: find('Tencent management key', 'AssumeRole'),
    vulCheck: find('Alibaba management key', 'DescribeVulCheckTaskStatusDetail'),
    worst,
  };
}

/** GET /-/healthy one after another, each answer's time kept: the longest is the longest stall of the exporter's loop. */
function healthPinger(url: string): { max(): number; median(): number; reset(): void; stop(): Promise<void> } {
  let times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      await get(`${url}/-/healthy`);
      times.push(performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    max: () => Math.max(...times),
    median: () => percentile(times, 0.5),
    reset: () => (times = []),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
