// `npm run bench`: every figure of the performance table, measured side by side in one run.
import { cpus, totalmem } from 'node:os';
import { callEfficiency, type Scenario } from './call-efficiency.js';
import { closeAgent } from './latency.js';
import { exporterRss } from './rss.js';
import { scrapeLatency } from './scrape-latency.js';
import { alibabaAccount, endpointOf, exporterConfig, tencentAccount } from '../test/support/harness.js';

const quick = process.argv.includes('--quick');
/** --part=N runs only table N (1: latency, 2: calls and rate, 4: memory). */
const part = process.argv.find((a) => a.startsWith('--part='))?.slice('--part='.length);
const want = (n: string) => part === undefined || part === n;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function efficiencyScenario(servers: number, rate: number): (emulator: Parameters<Parameters<typeof callEfficiency>[0]>[0]) => Scenario {
  return (emulator) => {
    const keys = { accessKeyId: 'LTAI5tBenchCalls000001', accessKeySecret: 'bench-only-secret-0000000000000002' };
    emulator.alibaba.addAccount({ name: 'fleet', ...keys, fleetSize: servers, tasksPerServer: 1 });
    const tencentKeys = { secretId: 'AKIDbenchCalls0000000000000000000001', secretKey: 'benchOnlyTencentSecretKey00000001' };
    const strategies = Array.from({ length: 30 }, (_, i) => ({ id: 700 + i, name: `strategy ${i}` }));
    emulator.tencent.addAccount({ name: 'prod', ...tencentKeys, strategies });
    const pages = Math.max(1, Math.ceil(servers / 100));
    return {
      config: exporterConfig({
        ttlSeconds: 5,
        alibaba: [alibabaAccount('fleet', keys, endpointOf(emulator), { rateLimit: rate })],
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
      ],
    };
  };
}

async function main(): Promise<void> {
  console.log(`# cloudscan-exporter benchmark${quick ? ' (--quick)' : ''}`);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, node ${process.version}`);
  console.log('The emulated accounts allow 5000 requests/s (the clouds allow 10-20) so that refreshing 10,000 servers takes seconds, not 17 minutes.\n');

  if (want('1')) {
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

  if (want('2')) {
    const scrapers = 100;
    const seconds = quick ? 10 : 30;
    console.log(`\n## 2-3. API calls per refresh and peak 1-second rate, ${scrapers} concurrent scrapers for ${seconds} s, cache.ttl 5s`);
    const result = await callEfficiency(efficiencyScenario(300, 50), scrapers, seconds * 1000);
    console.log(`scrapes answered: ${result.scrapes}`);
    console.log('| account | refreshes | calls | minimum per refresh | calls / minimum | peak calls in 1 s | limit | peak / limit |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const a of result.accounts) {
      console.log(
        `| ${a.target} | ${a.refreshes} | ${a.calls} | ${a.minimumPerRefresh} | ${fmt(a.ratio, 2)} | ${a.peakPerSecond} | ${a.limit} | ${fmt(a.peakPerSecond / a.limit, 2)} |`,
      );
    }
  }

  if (want('4')) {
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
  closeAgent();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
