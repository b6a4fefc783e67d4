// `npm run bench`: every figure of the performance table, measured side by side in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { callEfficiency, type Scenario } from './call-efficiency.js';
import { cwpHostCalls, type CwpHostsScenario } from './cwp-hosts.js';
import { percentile } from './cli.js';
import { closeAgent } from './latency.js';
import { reportHeapGrowth } from './heap-diff.js';
import { rollingScrapes, warmScrapes } from './rolling.js';
import { exporterRss } from './rss.js';
import { highAvailability } from './high-availability.js';
import { soak } from './soak.js';
import { steadyRss } from './steady-rss.js';
import { wireCost } from './wire.js';
import { scrapeLatency } from './scrape-latency.js';
import { organizationBench } from './organizations.js';
import { CHURN_LISTINGS, CHURN_PER_LISTING, organizationScale, type ScaleOptions } from './organization-scale.js';
import { bomSecrets, cloudMessages, logFlood, pipelining, scrapeSlots, strategyPaging } from './hostile.js';
import { COVERAGE_BENCH, coverageCalls, perRefreshAtDefaults } from './coverage-calls.js';
import { statusPageCost } from './status-page.js';
import { readChanged, type ReadChangedScenario } from './read-changed.js';
import { endpointOf, exporterConfig } from '../test/support/harness.js';
import { alibabaAccount } from '../test/support/alibaba.js';
import { tencentAccount } from '../test/support/tencent.js';

const quick = process.argv.includes('--quick');
/**
 * --part=N runs only table N (1: latency, 2: calls and rate, 4: memory, 5: scrapes during a rolling
 * refresh, 6: heap soak, 7: bytes and CPU per scrape, 8: steady-state RSS, 9: two replicas of one account,
 * 10: CWP calls per refresh with the hosts of finished and running scan tasks, 11: organizations,
 * 12: organizations at 500 and 5,000 members per cloud: per-principal rates, memory, probe and churn costs,
 * 13: hostile clients and answers, each of issue 21's six measured figures (--only=a..f runs one of them),
 * 14: the calls coverage adds per refresh, 15: Alibaba refreshes that read only what changed, 10,000 servers and 200 members,
 * 16: the status page's bytes and Chromium's time to paint it at 12, 200 and 5,000 accounts).
 * --heap-snapshots (with part 6): also two heap snapshots and what grew between them.
 */
const part = process.argv.find((a) => a.startsWith('--part='))?.slice('--part='.length);
const want = (n: string) => part === undefined || part === n;
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const MiB = 2 ** 20;

function efficiencyScenario(servers: number, rate: number): (emulator: Parameters<Parameters<typeof callEfficiency>[0]>[0]) => Scenario {
  return (emulator) => {
    const keys = { accessKeyId: 'LTAI5tBenchCalls000001', accessKeySecret: 'bench-only-secret-0000000000000002' };
    emulator.alibaba.addAccount({ name: 'fleet', ...keys, fleetSize: servers, tasksPerServer: 1 });
    // Discovery by NextToken with agents offline and paused, and a fleet that is not a whole number of pages.
    const agentKeys = { accessKeyId: 'LTAI5tBenchAgents00001', accessKeySecret: 'bench-only-secret-0000000000000003' };
    const agentServers = servers - 50;
    emulator.alibaba.addAccount({
      name: 'agents',
      ...agentKeys,
      fleetSize: agentServers,
      tasksPerServer: 1,
      offlineAgents: 10,
      pausedAgents: 5,
    });
    const agentPages = Math.max(1, Math.ceil(agentServers / 100));
    const tencentKeys = { secretId: 'AKIDbenchCalls0000000000000000000001', secretKey: 'benchOnlyTencentSecretKey00000001' };
    const strategies = Array.from({ length: 30 }, (_, i) => ({ id: 700 + i, name: `strategy ${i}` }));
    emulator.tencent.addAccount({ name: 'prod', ...tencentKeys, strategies });
    const pages = Math.max(1, Math.ceil(servers / 100));
    return {
      config: exporterConfig({
        ttlSeconds: 5,
        alibaba: [
          alibabaAccount('fleet', keys, endpointOf(emulator), { rateLimit: rate }),
          alibabaAccount('agents', agentKeys, endpointOf(emulator), { rateLimit: rate }),
        ],
        tencent: [tencentAccount('prod', tencentKeys, endpointOf(emulator), { rateLimit: 20 })],
      }),
      accounts: [
        {
          provider: 'tencent',
          name: 'prod',
          refreshAction: 'DescribeBaselineStrategyList',
          pages: 1,
          // Malware + Vul + one call per strategy + one discovery page.
          minimum: 2 + strategies.length + 1,
          limitedAction: 'DescribeScanState',
          limit: 20,
          // The hosts of the scan tasks depend on which tasks run: part 10 counts them; coverage's listings, part 14.
          notCounted: ['DescribeScanTaskDetails', 'DescribeMachines'],
        },
        {
          provider: 'alibaba',
          name: 'fleet',
          refreshAction: 'DescribeCloudCenterInstances',
          pages,
          minimum: pages + servers,
          limitedAction: 'DescribeVulCheckTaskStatusDetail',
          limit: rate,
        },
        {
          provider: 'alibaba',
          name: 'agents',
          refreshAction: 'DescribeCloudCenterInstances',
          pages: agentPages,
          // ceil(servers / 100) discovery pages, as paging by number took, + one status call per server.
          minimum: agentPages + agentServers,
          limitedAction: 'DescribeVulCheckTaskStatusDetail',
          limit: rate,
        },
      ],
    };
  };
}

async function part1(): Promise<void> {
  console.log('## 1. /metrics latency from a warm cache (Alibaba servers, per-server series on), exporter vs bare prom-client floor');
  console.log('| servers | series | exporter p50 ms | exporter p99 ms | floor p50 ms | floor p99 ms | p50 ratio | p99 ratio |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const servers of quick ? [100, 1000] : [100, 1000, 10000]) {
    const row = await scrapeLatency(servers, servers >= 10000 ? 40 : 200);
    console.log(
      `| ${servers} | ${row.series} | ${fmt(row.exporter.p50Ms)} | ${fmt(row.exporter.p99Ms)} | ${fmt(row.floor.p50Ms)} | ${fmt(row.floor.p99Ms)} | ${fmt(row.exporter.p50Ms / row.floor.p50Ms, 2)} | ${fmt(row.exporter.p99Ms / row.floor.p99Ms, 2)} |`,
    );
  }
}

async function part2(): Promise<void> {
  const scrapers = 100;
  const seconds = quick ? 10 : 30;
  console.log(`\n## 2-3. API calls per refresh and peak 1-second rate, ${scrapers} concurrent scrapers for ${seconds} s, cache.ttl 5s`);
  const result = await callEfficiency(efficiencyScenario(300, 50), scrapers, seconds * 1000);
  console.log(`scrapes answered: ${result.scrapes}`);
  console.log('(tencent/prod: DescribeScanTaskDetails and DescribeMachines not counted here; parts 10 and 12 count them.)');
  console.log('| account | refreshes | calls | minimum per refresh | calls / minimum | peak calls in 1 s | limit | peak / limit |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const a of result.accounts) {
    console.log(
      `| ${a.target} | ${a.refreshes} | ${a.calls} | ${a.minimumPerRefresh} | ${fmt(a.ratio, 2)} | ${a.peakPerSecond} | ${a.limit} | ${fmt(a.peakPerSecond / a.limit, 2)} |`,
    );
  }
}

async function part4(): Promise<void> {
  const servers = quick ? 1000 : 10000;
  const scrapes = quick ? 100 : 1000;
  console.log(`\n## 4. Exporter RSS after ${scrapes} scrapes at ${servers} servers (the real CLI process)`);
  console.log('| per_server_series | RSS MiB | growth over the second half |');
  console.log('|---|---:|---:|');
  for (const perServerSeries of [true, false]) {
    const rss = await exporterRss(servers, scrapes, perServerSeries);
    console.log(`| ${perServerSeries} | ${fmt(rss.rssMiB)} | ${fmt(rss.growthPercent)}% |`);
  }
}

async function part5(): Promise<void> {
  const rows = [
    { servers: 1000, rateLimit: 50, ttl: '5s', perServerSeries: true },
    { servers: 2000, rateLimit: 50, ttl: '5s', perServerSeries: true },
    { servers: 10000, rateLimit: 500, ttl: '5s', perServerSeries: false },
  ].filter((r) => !quick || r.servers <= 2000);
  const maxScrapes = 20;
  const maxSeconds = 45;
  console.log(
    '\n## 5. /metrics during a continuous rolling refresh (a refresh outlasts the TTL), next to the warm cache (the real CLI process)',
  );
  console.log(
    `Scrapes one at a time, 1 s apart (later when one takes longer), header X-Prometheus-Scrape-Timeout-Seconds: 10, at most ${maxScrapes} scrapes or ${maxSeconds} s; the first scrape (no data yet) is not counted.`,
  );
  console.log(
    'The 10,000-server row uses rate_limit 500 (the clouds allow 10-20) so its refresh (20 s at the least) still outlasts the 5 s TTL within the time bound, and per_server_series: false (a 97 MB exposition is not a 1 s scrape even warm).',
  );
  console.log('Targets: rolling p99 within 1.5x of warm p99, and no scrape above 1 s.');
  console.log(
    '| servers | rate_limit | shortest refresh s | ttl | per_server_series | scrapes | rolling p50 ms | rolling p99 ms | max ms | over 1 s | at >= 9 s | warm p50 ms | warm p99 ms | rolling p99 / warm p99 | refreshes of calls in window |',
  );
  console.log('|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const each: string[] = [];
  for (const row of rows) {
    const rolling = await rollingScrapes({ ...row, maxScrapes, maxMs: maxSeconds * 1000, intervalMs: 1000 });
    each.push(`${thousands(row.servers)} servers: ${rolling.scrapes.map((ms) => fmt(ms / 1000, 2)).join(', ')}`);
    const warm = await warmScrapes(row.servers, row.perServerSeries, 30);
    const p99 = percentile(rolling.scrapes, 0.99);
    console.log(
      `| ${thousands(row.servers)} | ${row.rateLimit} | ${fmt(row.servers / row.rateLimit, 0)} | ${row.ttl} | ${row.perServerSeries} | ${rolling.scrapes.length}${rolling.failed ? ` (${rolling.failed} failed)` : ''} | ${fmt(percentile(rolling.scrapes, 0.5))} | ${fmt(p99)} | ${fmt(Math.max(...rolling.scrapes))} | ${rolling.over1s} of ${rolling.scrapes.length} | ${rolling.atDeadline} of ${rolling.scrapes.length} | ${fmt(warm.p50Ms)} | ${fmt(warm.p99Ms)} | ${fmt(p99 / warm.p99Ms, 1)} | ${fmt(rolling.callsDuringWindow / row.servers, 1)} |`,
    );
  }
  console.log(`each scrape, s: ${each.join('; ')}`);
}

async function part6(): Promise<void> {
  const checkpoints = quick ? [20_000, 100_000] : [100_000, 250_000, 500_000, 1_000_000];
  const accounts = 8;
  const servers = 50;
  console.log(
    `\n## 6. Soak: live heap of the exporter after ${thousands(checkpoints.at(-1)!)} API calls against after ${thousands(checkpoints[0]!)}`,
  );
  console.log(
    `The real per-call path (invoker, AlibabaSource, Darabonba SDK client, HTTP to the emulator in another process), ${accounts} accounts of ${servers} servers refreshed back to back (cache.ttl 1 ms),`,
  );
  console.log(
    'rate_limit raised to 1,000,000/s (the clouds allow 10-20: raised so a million calls take minutes, not a day); heap read after global.gc() (--expose-gc). Target: under 2 MB of growth.',
  );
  const result = await soak({ servers, accounts, rateLimit: 1_000_000, checkpoints, timeLimitMs: (quick ? 3 : 12) * 60_000 });
  console.log('| API calls | heap used MiB | heap total MiB | external MiB | RSS MiB | seconds |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const h of result.heap) {
    console.log(
      `| ${thousands(h.calls)} | ${fmt(h.heapUsed / MiB, 2)} | ${fmt(h.heapTotal / MiB, 1)} | ${fmt(h.external / MiB, 1)} | ${fmt(h.rss / MiB)} | ${fmt(h.seconds, 0)} |`,
    );
  }
  const first = result.heap[0];
  const last = result.heap.at(-1);
  if (first && last && last !== first) {
    const grown = last.heapUsed - first.heapUsed;
    console.log(
      `growth ${thousands(first.calls)} -> ${thousands(last.calls)} calls: ${fmt(grown / MiB, 2)} MiB (${fmt(grown / (last.calls - first.calls), 1)} bytes per call); target under 2 MB: ${grown < 2e6 ? 'met' : 'missed'}`,
    );
  }
  console.log(
    `calls counted at the emulator: ${thousands(result.emulatorCalls)}${result.finished ? '' : ' (stopped at the time limit before the last checkpoint)'}; ${fmt(result.seconds, 0)} s`,
  );
  if (process.argv.includes('--heap-snapshots')) {
    const dir = mkdtempSync(join(tmpdir(), 'cloudscan-heap-'));
    try {
      const at = [20_000, 120_000];
      console.log(
        `\nHeap snapshots after ${thousands(at[0]!)} and ${thousands(at[1]!)} calls (same setup); kinds that grew most in bytes:`,
      );
      const snaps = await soak({
        servers,
        accounts,
        rateLimit: 1_000_000,
        checkpoints: [],
        snapshotsAt: at,
        snapshotDir: dir,
        timeLimitMs: 5 * 60_000,
      });
      const [a, b] = snaps.snapshots;
      if (a && b) reportHeapGrowth(a.file, b.file, b.calls - a.calls);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function part7(): Promise<void> {
  console.log(
    '\n## 7. Bytes on the wire and exporter CPU per scrape: Accept-Encoding gzip against identity (warm cache, per_server_series: true, the real CLI process)',
  );
  console.log(
    'CPU is utime+stime of the exporter process from /proc/<pid>/stat (10 ms ticks) around blocks of scrapes, gzip and identity blocks alternating. "gzip -1 here" is what zlib level 1 makes of the identity answer in the benchmark process: the size a fix can reach, and its one-off cost.',
  );
  console.log(
    '| servers | asked gzip: Content-Encoding | bytes | CPU ms / scrape | wall ms / scrape | asked identity: bytes | CPU ms / scrape | wall ms / scrape | wire ratio gzip / identity | CPU ratio | gzip -1 here: bytes | gzip -1 ms |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const servers of quick ? [1000] : [1000, 10000]) {
    const r = servers >= 10000 ? await wireCost(servers, 3, 2) : await wireCost(servers, 20, 2);
    console.log(
      `| ${thousands(servers)} | ${r.gzip.contentEncoding} | ${thousands(r.gzip.bytes)} | ${fmt(r.gzip.cpuMsPerScrape)} | ${fmt(r.gzip.wallMsPerScrape)} | ${thousands(r.identity.bytes)} | ${fmt(r.identity.cpuMsPerScrape)} | ${fmt(r.identity.wallMsPerScrape)} | ${fmt(r.gzip.bytes / r.identity.bytes, 3)} | ${fmt(r.gzip.cpuMsPerScrape / r.identity.cpuMsPerScrape, 2)} | ${thousands(r.reference.bytes)} | ${fmt(r.reference.ms, 0)} |`,
    );
  }
}

async function part8(): Promise<void> {
  const servers = quick ? 1000 : 10000;
  console.log(
    `\n## 8. Exporter RSS in steady state: ${thousands(servers)} servers, per_server_series: false, a scrape every second, a refresh always running (the real CLI process)`,
  );
  console.log(
    'Two regimes: rate_limit 50 (a cloud-like rate: a full refresh of 10,000 servers takes 200 s) after 1 and 2 full refreshes; and rate_limit 5,000 ' +
      '(about 900 calls/s reached; far above any cloud, the worst allocation rate) with cache.ttl 2s, after 3 and 8. Target: under 120 MiB.',
  );
  console.log(
    'CPU: user + system time of the exporter process (/proc/<pid>/stat), averaged over the run, and its busiest interval between two scrapes (about 1 s).',
  );
  console.log(
    '| rate_limit | servers | full refreshes | scrapes | RSS MiB after the first | RSS MiB at the end | peak RSS MiB | growth | CPU cores, average | CPU cores, busiest second | seconds |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const regimes = [
    { rateLimit: 50, ttl: '60s', settleRefreshes: 1, refreshes: 2, maxMs: ((servers * 2) / 50) * 1000 * 1.2 },
    { rateLimit: 5000, ttl: '2s', settleRefreshes: 3, refreshes: 8, maxMs: 150_000 },
  ];
  for (const regime of regimes) {
    const r = await steadyRss({ servers, perServerSeries: false, ...regime });
    console.log(
      `| ${thousands(regime.rateLimit)} | ${thousands(servers)} | ${r.refreshes} | ${r.scrapes} | ${fmt(r.settledMiB)} | ${fmt(r.endMiB)} | ${fmt(r.peakMiB)} | ${fmt(((r.endMiB - r.settledMiB) / r.settledMiB) * 100)}% | ${fmt(r.averageCores, 3)} | ${fmt(r.busiestSecondCores, 2)} | ${fmt(r.seconds, 0)} |`,
    );
  }
}

async function part9(): Promise<void> {
  const seconds = quick ? 35 : 65;
  const scenario = { servers: 100, limit: 10, ttl: '30s', seconds };
  console.log(
    `\n## 9. High availability: replicas of the same account against a cloud that enforces its limit (the real CLI processes, each scraped every second for ${seconds} s)`,
  );
  console.log(
    `One Alibaba account of ${scenario.servers} servers; the cloud allows ${scenario.limit} calls/s per account and action (the emulator's quota answers Throttling.User beyond it), rate_limit ${scenario.limit}, cache.ttl ${scenario.ttl}.`,
  );
  console.log(
    "| replicas | --cloud.rate-limit-share | cloud calls | calls / one replica's | calls/s | peak calls in 1 s / limit | throttled (share of calls) | scrapes finding the account down |",
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  let single = NaN;
  for (const [replicas, share] of [
    [1, 1],
    [2, 1],
    [2, 0.5],
  ] as const) {
    const r = await highAvailability({ ...scenario, replicas, share });
    if (replicas === 1) single = r.calls;
    console.log(
      `| ${replicas} | ${share} | ${thousands(r.calls)} | ${fmt(r.calls / single, 2)} | ${fmt(r.calls / r.seconds)} | ${r.peakPerSecond} / ${scenario.limit} = ${fmt(r.peakPerSecond / scenario.limit, 2)} | ${thousands(r.throttled)} (${fmt((r.throttled / r.calls) * 100)}%) | ${r.scrapesDown} of ${r.scrapes} |`,
    );
  }
}

async function part10(): Promise<void> {
  const refreshes = quick ? 3 : 10;
  console.log(
    `\n## 10. Tencent CWP API calls per refresh with the hosts of the latest scan tasks (DescribeScanTaskDetails), ${refreshes} refreshes after the first`,
  );
  console.log(
    'Malware, Vul and Baseline with 3 strategies (auto: one DescribeBaselineStrategyList page). Minimum = the calls of a refresh before hosts were read ' +
      '(2 + 3 DescribeScanState, 1 strategy page); expected = minimum + 1 DescribeScanTaskDetails per 100 hosts of each running task ' +
      '(a Baseline strategy is a task of its own). The first refresh reads each finished task once; it is shown apart.',
  );
  console.log(
    '| hosts per task | running tasks | first refresh calls | calls per later refresh | DescribeScanTaskDetails per refresh | minimum | expected | calls / expected |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  const scenarios: CwpHostsScenario[] = [
    { hosts: 250, strategies: 3, running: [], refreshes },
    { hosts: 250, strategies: 3, running: ['Vul'], refreshes },
    { hosts: 250, strategies: 3, running: ['Vul', 'Malware'], refreshes },
    { hosts: 1000, strategies: 3, running: [], refreshes },
    { hosts: 1000, strategies: 3, running: ['Vul'], refreshes },
    { hosts: 1000, strategies: 3, running: ['Baseline'], refreshes },
  ];
  for (const scenario of scenarios) {
    const r = await cwpHostCalls(scenario);
    const running =
      scenario.running.length === 0
        ? 'none'
        : scenario.running.map((m) => (m === 'Baseline' ? `Baseline (${scenario.strategies} strategies)` : m)).join(', ');
    console.log(
      `| ${thousands(scenario.hosts)} | ${running} | ${r.firstRefresh} | ${fmt(r.perRefresh)} | ${fmt(r.detailsPerRefresh)} | ${r.minimum} | ${r.expected} | ${fmt(r.perRefresh / r.expected, 2)} |`,
    );
  }
}

async function part11(): Promise<void> {
  const members = quick ? 20 : 100;
  const serversPerMember = 3;
  console.log(
    `\n## 11. Organizations: ${members} members of a Tencent organization and ${members} of an Alibaba resource directory ` +
      `(${serversPerMember} servers each), discovered vs the same accounts written out (the real CLI process)`,
  );
  console.log(
    'Calls of a cold first refresh and of the next one. Account calls: what the accounts make themselves (Tencent Malware + Vul and their ' +
      'scan task details, Alibaba one instance page + one call per server), as written-out accounts do. Minimum = account calls + the listing ' +
      'pages (Tencent 50 members a page, Alibaba 100, until a short page: a whole number of pages asks for one more) + one DescribeMonitorAccounts ' +
      '(the Alibaba directory is read through ResourceDirectoryAccountId) + one AssumeRole per Tencent member per key lifetime (2 h). ' +
      "cache.ttl and refresh_interval 15s; rate limits far above the clouds'.",
  );
  console.log(
    '| accounts | how | start to first complete scrape ms | refresh | account calls | listing calls (min) | AssumeRole (min) | total | minimum | total / minimum | RSS MiB |',
  );
  console.log('|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const discovered of [false, true]) {
    const r = await organizationBench({ members, serversPerMember, discovered });
    const how = discovered ? 'discovered' : 'written out';
    for (const [which, c] of [
      ['first', r.first],
      ['next', r.second],
    ] as const) {
      console.log(
        `| ${r.accounts} | ${how} | ${which === 'first' ? thousands(r.startToCompleteMs) : ''} | ${which} | ${c.accountCalls} | ${c.listing} (${c.listingMinimum}) | ` +
          `${c.assumeRole} (${c.assumeRoleMinimum}) | ${c.total} | ${c.minimum} | ${fmt(c.total / c.minimum, 2)} | ${which === 'next' ? fmt(r.rssMiB) : ''} |`,
      );
    }
  }
}

async function part12(): Promise<void> {
  const rows: ScaleOptions[] = [
    { members: quick ? 100 : 500, rateLimit: 20, listingRateLimit: 100, startupLimitMs: 240_000 },
    ...(quick ? [] : [{ members: 5000, rateLimit: 100, listingRateLimit: 100, startupLimitMs: 420_000 }]),
  ];
  console.log(
    '\n## 12. Organizations at scale: a Tencent organization (members through their role) and an Alibaba resource directory ' +
      '(ResourceDirectoryAccountId) of N members each, the real CLI process',
  );
  console.log(
    'Rates: the busiest second of each signing key id and action, as the emulator counted them while every member was first refreshed ' +
      "(/metrics scraped every 5 s, as an unsharded Prometheus would), against its rate_limit (the members' for their actions, the " +
      "organization's for the listing). Probe: exporter CPU (/proc) per /probe of one member, warm, 100 members probed 3 times. Loop block: " +
      'the longest /-/healthy answer while one member of each cloud leaves and another joins. Churn: ' +
      `${CHURN_LISTINGS} listings (refresh_interval 2s), each replacing ${CHURN_PER_LISTING} members of each cloud, only /probe scraped; ` +
      'then the cloudscan_ series one /metrics answer holds, those naming a member that left, and the accounts they name. ' +
      'The emulator runs on a thread of its own, so it stamps a call when it arrives, not when the benchmark thread is free.',
  );
  console.log(
    '| members per cloud | rate_limit | Tencent management key AssumeRole/s (limit) | Alibaba management key DescribeVulCheckTaskStatusDetail/s (limit) | ' +
      'worst principal: peak / limit | first refresh of all: s, up / refreshed, timed out | peak RSS MiB | /probe CPU ms per member (wall p50 ms) | ' +
      '`GET /` bytes, ms | loop block ms (quiet /-/healthy ms) | series after churn: all, of members that left (accounts named / accounts now) | RSS after churn MiB |',
  );
  console.log('|---:|---:|---:|---:|---|---|---:|---:|---|---:|---|---:|');
  for (const options of rows) {
    const r = await organizationScale(options);
    const rate = (p: { peakPerSecond: number; limit: number }) => `${p.peakPerSecond} (${p.limit})`;
    console.log(
      `| ${thousands(r.members)} | ${options.rateLimit} | ${rate(r.assumeRole)} | ${rate(r.vulCheck)} | ` +
        `${r.worst.who} ${r.worst.action}: ${r.worst.peakPerSecond} / ${r.worst.limit} = ${fmt(r.worst.peakPerSecond / r.worst.limit, 2)} | ` +
        `${fmt(r.startupMs / 1000, 0)} s, ${thousands(r.membersUp)} / ${thousands(r.membersRefreshed)}, ${thousands(r.membersTimedOut)} | ${fmt(r.peakRssMiB)} | ` +
        `${fmt(r.probeCpuMs, 2)} (${fmt(r.probeP50Ms)}) | ${thousands(r.statusPageBytes)} B, ${fmt(r.statusPageMs, 0)} | ${fmt(r.loopBlockMs, 0)} (${fmt(r.quietHealthyMs, 1)}) | ` +
        `${thousands(r.seriesAfterChurn)}, ${thousands(r.leakedSeries)} (${thousands(r.accountsWithSeries)} / ${thousands(r.accountsNow)}) | ${fmt(r.rssAfterChurnMiB)} |`,
    );
  }
}

async function part13(): Promise<void> {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const one = (letter: string) => only === undefined || only === letter;
  console.log('\n## 13. Hostile clients and answers (issue 21): what each costs the real CLI process');
  if (one('a')) {
    console.log(
      '\n### 13a. HTTP pipelining: connections sending pipelined GET /metrics that never read, beside a normal gzip scrape every second (Alibaba, 1,000 servers, per-server series, warm cache)',
    );
    console.log(
      'Targets: one such connection costs under 32 MiB, and the normal scrape stays under 1 s. The first row has no such connection: the normal scrapes alone, what the others are compared with.',
    );
    console.log(
      "| connections x requests | RSS before MiB | peak RSS MiB | peak - before MiB | peak - first row's peak MiB | RSS 5 s after they closed MiB | normal scrape before ms | normal scrape during, slowest ms | failed |",
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    let control = NaN;
    for (const [connections, requests] of [
      [0, 0],
      [1, 2000],
      [4, 5000],
    ] as const) {
      const r = await pipelining({ connections, requests, servers: 1000, holdMs: quick ? 10_000 : 20_000 });
      if (connections === 0) control = r.peakRssMiB;
      console.log(
        `| ${connections} x ${thousands(requests)} | ${fmt(r.rssBeforeMiB)} | ${fmt(r.peakRssMiB)} | ${fmt(r.peakRssMiB - r.rssBeforeMiB)} | ${connections === 0 ? '' : fmt(r.peakRssMiB - control)} | ${fmt(r.rssAfterCloseMiB)} | ${fmt(r.scrapeBeforeMs)} | ${fmt(r.scrapeDuringMs)} | ${r.scrapesDuringFailed} |`,
      );
    }
  }
  if (one('b')) {
    console.log('\n### 13b. Cloud error messages: organization members whose STS answers AssumeRole with a 3 MB Message');
    console.log(
      '| members | RSS MiB | peak RSS MiB | GET / status | GET / bytes | GET / ms | event loop blocked ms (slowest /-/healthy meanwhile) | debug probe bytes (one member) |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const members of quick ? [50] : [100, 200]) {
      const r = await cloudMessages({ members, messageBytes: 3_000_000 });
      console.log(
        `| ${r.members} | ${fmt(r.rssMiB)} | ${fmt(r.peakRssMiB)} | ${r.statusPageStatus} | ${thousands(r.statusPageBytes)} | ${fmt(r.statusPageMs, 0)} | ${fmt(r.loopBlockedMs, 0)} | ${thousands(r.debugProbeBytes)} |`,
      );
    }
  }
  if (one('c')) {
    const seconds = quick ? 10 : 30;
    console.log(
      `\n### 13c. Baseline strategy discovery against a cloud answering TotalCount 1e9 with 100 new strategies per page (rate_limit 20), watched for ${seconds} s`,
    );
    console.log(
      '| seconds | DescribeBaselineStrategyList calls | calls/s | DescribeScanState calls | a refresh ended | cloudscan_up | status page | last error |',
    );
    console.log('|---:|---:|---:|---:|---|---|---|---|');
    const r = await strategyPaging({ seconds });
    console.log(
      `| ${fmt(r.seconds, 0)} | ${r.strategyPages} | ${fmt(r.strategyPages / r.seconds)} | ${r.scanStateCalls} | ${r.refreshEnded ? 'yes' : 'no'} | ${r.up} | ${r.statusPage} | ${r.lastError} |`,
    );
  }
  if (one('d')) {
    console.log('\n### 13d. Secret files saved with a byte-order mark: a token_file, and a secret_id_file');
    console.log(
      '| configuration loads | token in log / GET / / debug probe | SecretId in log / GET / / debug probe | "Signature=" shown | code (token) | code (SecretId) | attempts per refresh (SecretId) |',
    );
    console.log('|---|---|---|---:|---|---|---:|');
    const r = await bomSecrets();
    if (!r.loaded) console.log(`| no: ${r.loadError.replace(/\|/g, '\\|')} | - | - | - | - | - | - |`);
    else {
      console.log(
        `| yes | ${r.token.log} / ${r.token.statusPage} / ${r.token.debugProbe} | ${r.secretId.log} / ${r.secretId.statusPage} / ${r.secretId.debugProbe} | ${r.secretId.signatures} | ${r.tokenCode} | ${r.secretIdCode} | ${r.secretIdAttempts} |`,
      );
    }
  }
  if (one('e')) {
    const hosts = quick ? 2000 : 20_000;
    console.log(
      `\n### 13e. Hostile values in the log: ${thousands(hosts)} hostile hosts of a running CWP scan, and one 600 KB Security Center answer of odd subtasks (log level info, cache.ttl 5s)`,
    );
    console.log(
      '| odd fields per host | refreshes counted | Tencent refreshes failed | warning lines per refresh, Tencent | Alibaba | log bytes per refresh | invalid_response per refresh | API calls per refresh |',
    );
    console.log('|---:|---:|---|---:|---:|---:|---:|---:|');
    for (const oddFieldsPerHost of [6, 7] as const) {
      const r = await logFlood({ hosts, oddFieldsPerHost, sasBytes: 600_000, refreshes: quick ? 1 : 2 });
      const failed = r.tencentFailed === 0 ? '0' : `${r.tencentFailed}: ${r.tencentError}`;
      console.log(
        `| ${oddFieldsPerHost} | ${r.refreshes} | ${failed} | ${thousands(r.tencentLines)} | ${thousands(r.alibabaLines)} | ${thousands(r.bytes)} | ${thousands(r.invalidResponse)} | ${thousands(r.calls)} |`,
      );
    }
  }
  if (one('f')) {
    const giveUp = quick ? 40 : 90;
    console.log(
      `\n### 13f. The scrape-timeout header and the connection cap: --web.max-connections=16, an account without data (a first refresh minutes long), 16 scrapes sending X-Prometheus-Scrape-Timeout-Seconds: 600 (given up after ${giveUp} s)`,
    );
    console.log(
      '| /-/healthy at 2 s | at 15 s | at 40 s | scrapes answered | longest answered scrape s | scrapes ended without an answer | the last of them ended at s |',
    );
    console.log('|---|---|---|---:|---:|---:|---:|');
    const r = await scrapeSlots({ maxConnections: 16, giveUpSeconds: giveUp });
    console.log(
      `| ${r.healthy.map((h) => h.answer).join(' | ')} | ${r.scrapesAnswered} of 16 | ${fmt(r.longestScrapeSeconds)} | ${r.scrapesUnanswered} | ${fmt(r.lastUnansweredSeconds)} |`,
    );
  }
}

async function part14(): Promise<void> {
  const seconds = quick ? 25 : 45;
  const { ttlSeconds, intervalSeconds, defaultTtlSeconds, defaultIntervalSeconds } = COVERAGE_BENCH;
  console.log(`\n## 14. Coverage: the calls it adds per refresh (the real CLI process, scraped every 0.5 s for ${seconds} s)`);
  console.log(
    `Tencent: two accounts with the same machines in one process, coverage on (defaults: CVM, LH in ap-guangzhou, Other in ap-others) and off; ` +
      `cache.ttl ${ttlSeconds}s and coverage.interval ${intervalSeconds}s (the defaults' ratio, ${defaultTtlSeconds}s and ${defaultIntervalSeconds / 60}m: one listing every ${intervalSeconds / ttlSeconds} refreshes), ` +
      'one module (Vul, its task finished). Expected per listing: ceil(machines / 100) per type and region, at least 1 each. ' +
      "Alibaba: one account of as many servers, servers: auto; coverage is read from discovery's answers.",
  );
  console.log(
    '| servers | Tencent DescribeMachines per listing (expected) | listings | refreshes on / off | calls per refresh, coverage off | calls per refresh, coverage on | added per refresh | added per refresh at the defaults | coverage series | Alibaba discovery calls per refresh (before coverage) | added | coverage series |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const servers of quick ? [1000] : [1000, 10_000]) {
    const r = await coverageCalls(servers, seconds);
    const t = r.tencent;
    const perRead = t.machineCalls / Math.max(1, Math.round(t.reads));
    if (!Number.isInteger(t.reads))
      console.log(
        `(${thousands(servers)} servers: ${t.machineCalls} DescribeMachines calls are not whole listings of ${t.expectedPerRead})`,
      );
    console.log(
      `| ${thousands(servers)} | ${fmt(perRead, 0)} (${t.expectedPerRead}) | ${fmt(t.reads, 2)} | ${t.refreshesOn} / ${t.refreshesOff} | ${fmt(t.perRefreshOff, 2)} | ${fmt(t.perRefreshOn, 2)} | ` +
        `${fmt(t.perRefreshOn - t.perRefreshOff, 2)} | ${fmt(perRefreshAtDefaults(t.expectedPerRead), 1)} | ${thousands(t.coverageSeries)} | ` +
        `${fmt(r.alibaba.discoveryPerRefresh, 1)} (${r.alibaba.discoveryMinimum}) | ${fmt(r.alibaba.discoveryPerRefresh - r.alibaba.discoveryMinimum, 1)} | ${thousands(r.alibaba.coverageSeries)} |`,
    );
  }
}

async function part15(): Promise<void> {
  console.log(
    '\n## 15. Read only what changed: Alibaba calls per refresh with no vulnerability check running, while one runs on 2,000 of the servers, and after it (the real CLI process)',
  );
  console.log(
    "Emulated accounts whose subtasks move only in the checks DescribeOnceTask lists (the emulator's checks: 'tasks'); cache.ttl 1s, rate_limit 5,000 (the clouds allow 10-20: raised so a " +
      "full read of 10,000 servers takes seconds), /metrics scraped once the calls of the refresh the last scrape started have stopped for 1 s. A refresh is an account's calls from one first discovery page to the next; " +
      "its phase is that of its start (the check runs 40 s). Calls per refresh of one account, every action but the organization's own (listing, AssumeRole). Bound (issue 25): discovery pages + task-list pages + 1% of the servers. " +
      "Checked: every subtask state served against the emulator's answer at one of the server's reads the served refresh could hold, and no older than the start of the refresh before (changes served within two refreshes); late or wrong must be 0.",
  );
  const scenarios: Array<{ name: string; scenario: ReadChangedScenario }> = [
    {
      name: `${thousands(quick ? 2000 : 10_000)} servers, one account`,
      scenario: { kind: 'account', servers: quick ? 2000 : 10_000, checked: quick ? 400 : 2000 },
    },
    ...(['resource_directory_account_id', 'assume_role'] as const).map((access) => ({
      name: `${quick ? 40 : 200} members x 50 servers, ${access}`,
      scenario: { kind: 'members' as const, members: quick ? 40 : 200, serversPerMember: 50, checkedMembers: quick ? 8 : 40, access },
    })),
  ];
  console.log(
    "| accounts | servers | phase | refreshes per account | calls per refresh | DescribeVulCheckTaskStatusDetail | DescribeOnceTask | bound (pages + task list + 1%) | today's minimum (servers + pages) |",
  );
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
  const details: string[] = [];
  for (const { name, scenario } of scenarios) {
    const r = await readChanged(scenario);
    const perAccount = r.servers / r.accounts;
    for (const [phase, calls] of r.phases) {
      console.log(
        `| ${name} | ${thousands(r.servers)} | ${phase} | ${fmt(calls.refreshes)} | ${fmt(calls.perRefresh)} | ${fmt(calls.statusPerRefresh)} | ${fmt(calls.taskListPerRefresh)} | ${fmt(r.discoveryPages + 1 + r.onePercent)} | ${thousands(perAccount + r.discoveryPages)} |`,
      );
    }
    details.push(
      `${name}: servers account ${r.sequenceOf} read in each refresh from the check's start: ${r.sequence.map((t) => `${thousands(t.statusCalls)} (${t.check})`).join(', ')}; ` +
        `servers the check changed ${thousands(r.changedServers)}; servers compared ${thousands(r.compared)}, late ${r.late}, wrong ${r.wrong}` +
        (r.examples.length > 0 ? ` (${r.examples.join('; ')})` : '') +
        `; calls per refresh round by signing principal: ${r.principals.map((p) => `${p.who} ${fmt(p.callsPerRound)}, busiest second ${p.peakPerSecond} (rate_limit ${thousands(p.rateLimit)})`).join('; ')}`,
    );
  }
  for (const line of details) console.log(`- ${line}`);
}

async function part16(): Promise<void> {
  console.log(
    '\n## 16. The status page at organization scale (issue 24): `GET /` of the fleet scenario (test/support/fleet-scenario.ts), in headless Chromium',
  );
  console.log(
    'Two written-out accounts and the rest members of a Tencent organization and an Alibaba resource directory; about 1 in 17 Tencent ' +
      "and 1 in 23 Alibaba members down, 1 in 29 Tencent members stale. Medians of 5 loads; Chromium's times from navigation start " +
      '(Navigation Timing): first byte, load event end, and the whole page styled and laid out (forced at the load event).',
  );
  console.log('| accounts | pages | GET / bytes | exporter answer ms | Chromium: first byte ms | load ms | laid out ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const accounts of quick ? [12, 200] : [12, 200, 5000]) {
    const r = await statusPageCost(accounts);
    console.log(
      `| ${thousands(r.accounts)} | ${r.pages} | ${thousands(r.bytes)} | ${fmt(r.serverMs)} | ${fmt(r.firstByteMs)} | ${fmt(r.loadMs)} | ${fmt(r.laidOutMs)} |`,
    );
  }
}

/** Each part by its number (`--part=N`), run in that order. */
const PARTS: Record<string, () => Promise<void>> = {
  '1': part1,
  '2': part2,
  '4': part4,
  '5': part5,
  '6': part6,
  '7': part7,
  '8': part8,
  '9': part9,
  '10': part10,
  '11': part11,
  '12': part12,
  '13': part13,
  '14': part14,
  '15': part15,
  '16': part16,
};

async function main(): Promise<void> {
  console.log(`# cloudscan-exporter benchmark${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, node ${process.version}`);
  console.log(
    'The emulated accounts allow 5000 requests/s (the clouds allow 10-20) so that refreshing 10,000 servers takes seconds, not 17 minutes.\n',
  );
  for (const [name, run] of Object.entries(PARTS)) if (want(name)) await run();
  closeAgent();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
