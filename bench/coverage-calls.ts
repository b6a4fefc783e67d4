// What coverage (issue 26) adds to a refresh in calls, at 1,000 and 10,000 servers, counted at the
// emulator through the real CLI process. Tencent: DescribeMachines, one call per machine type and
// region and one more per further 100 machines, once per coverage.interval; measured side by side
// with the same account, in the same process, with coverage off. Alibaba: coverage is read from
// discovery's own answers (ClientSubStatus), so it adds no call: DescribeCloudCenterInstances stays
// at ceil(servers / 100) pages per refresh.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server.js';
import { generatedHosts, generatedMachines, type TencentEmulatedMachine } from '../src/emulator/tencent/index.js';
import { largestPage } from '../src/emulator/tencent/actions.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { scrape } from './cli.js';
import { get } from './latency.js';

const TENCENT_ON = { secretId: 'AKIDbenchCoverageOn00000000000000001', secretKey: 'benchOnlyCoverageOnSecretKey00001' };
const TENCENT_OFF = { secretId: 'AKIDbenchCoverageOff0000000000000001', secretKey: 'benchOnlyCoverageOffSecretKey0001' };
const ALIBABA = { accessKeyId: 'LTAI5tBenchCoverage001', accessKeySecret: 'bench-only-coverage-secret-0000001' };
/** cache.ttl and coverage.interval in the same ratio as the defaults (60 s and 10 min): one read every 10 refreshes. */
const TTL_SECONDS = 1;
const INTERVAL_SECONDS = 10;
const DEFAULT_TTL_SECONDS = 60;
const DEFAULT_INTERVAL_SECONDS = 600;

export interface CoverageCallsRow {
  servers: number;
  tencent: {
    /** Σ over the listings (CVM, LH in ap-guangzhou; Other in ap-others) of ceil(machines / 100), at least 1 each. */
    expectedPerRead: number;
    /** DescribeMachines calls in all, and listings read (calls / expectedPerRead). */
    machineCalls: number;
    reads: number;
    /** Refreshes of each account (its DescribeScanState calls: one module). */
    refreshesOn: number;
    refreshesOff: number;
    perRefreshOn: number;
    perRefreshOff: number;
    /** cloudscan_server_coverage series served at the end (6 per server). */
    coverageSeries: number;
  };
  alibaba: {
    /** Refreshes begun: discovery's first pages. */
    refreshes: number;
    discoveryPerRefresh: number;
    /** ceil(servers / 100): the pages discovery took before coverage was read from them. */
    discoveryMinimum: number;
    coverageSeries: number;
  };
}

/** The Tencent listings of the default coverage, and what each holds of these machines. */
function expectedCallsPerRead(machines: readonly TencentEmulatedMachine[]): number {
  const listings: Array<[string, string]> = [
    ['CVM', 'ap-guangzhou'],
    ['LH', 'ap-guangzhou'],
    ['Other', 'ap-others'],
  ];
  return listings.reduce((sum, [type, region]) => {
    const held = machines.filter((m) => m.machineType === type && m.region === region).length;
    return sum + Math.max(1, Math.ceil(held / largestPage('DescribeMachines')));
  }, 0);
}

export async function coverageCalls(servers: number, seconds: number): Promise<CoverageCallsRow> {
  const emulator = await startEmulator();
  const machines = (name: string) => generatedMachines(name, generatedHosts(name, 10), servers - 10);
  for (const [name, keys] of [
    ['on', TENCENT_ON],
    ['off', TENCENT_OFF],
  ] as const) {
    emulator.tencent.addAccount({ name, ...keys, strategies: [], fleetSize: 10, machines: machines(name) });
    emulator.tencent.pinScanState(name, 'Vul', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 9001,
      VulId: [],
      Type: 1,
      ScanBeginTime: '2026-11-23 10:00:00',
      ScanEndTime: '2026-11-23 11:00:00',
      RiskEventCount: 0,
    });
  }
  emulator.alibaba.addAccount({
    name: 'shop',
    ...ALIBABA,
    fleetSize: servers,
    tasksPerServer: 1,
    offlineAgents: Math.ceil(servers / 50),
    pausedAgents: Math.ceil(servers / 200),
  });
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-coverage-'));
  const config = join(dir, 'config.yaml');
  const tencent = (name: string, env: string, coverage: string) => [
    `  - name: ${name}`,
    `    credentials: { secret_id: "\${${env}_ID}", secret_key: "\${${env}_KEY}" }`,
    `    endpoint: ${emulator.url}`,
    '    modules: [Vul]',
    // Far above the cloud's 20/s so that a 10,000-machine listing takes seconds: calls are counted, not timed.
    '    rate_limit: 200',
    `    coverage: ${coverage}`,
  ];
  writeFileSync(
    config,
    [
      `cache: { ttl: ${TTL_SECONDS}s, max_stale: 1h }`,
      'tencent:',
      ...tencent('on', 'ON', `{ interval: ${INTERVAL_SECONDS}s }`),
      ...tencent('off', 'OFF', '{ enabled: false }'),
      'alibaba:',
      '  - name: shop',
      '    credentials: { access_key_id: "${ALI_ID}", access_key_secret: "${ALI_SECRET}" }',
      '    region: cn-shanghai',
      `    endpoint: ${emulator.url}`,
      '    rate_limit: 5000',
      '    request_timeout: 30s',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const exporter = start(
    process.execPath,
    [...mainNodeFlags, distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    {
      env: {
        ...process.env,
        ON_ID: TENCENT_ON.secretId,
        ON_KEY: TENCENT_ON.secretKey,
        OFF_ID: TENCENT_OFF.secretId,
        OFF_KEY: TENCENT_OFF.secretKey,
        ALI_ID: ALIBABA.accessKeyId,
        ALI_SECRET: ALIBABA.accessKeySecret,
      },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('the exporter to listen', async () => ((await get(`${url}/-/ready`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      describe: exporter.output,
    });
    const ends = Date.now() + seconds * 1000;
    let last = '';
    while (Date.now() < ends) {
      const answer = await scrape(`${url}/metrics`, { timeoutSeconds: 10, keepBody: true });
      last = answer.body?.toString('utf8') ?? '';
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // No scrape, no new refresh: let the ones under way end, so only whole refreshes and listings are counted.
    for (let calls = -1; calls !== emulator.calls.count();) {
      calls = emulator.calls.count();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const count = (provider: 'tencent' | 'alibaba', account: string, action?: string) =>
      emulator.calls.count({ provider, account, ...(action === undefined ? {} : { action }) });
    const series = (provider: string) =>
      last.split('\n').filter((line) => line.startsWith(`cloudscan_server_coverage{provider="${provider}"`)).length;
    const expectedPerRead = expectedCallsPerRead(emulator.tencent.machines('on'));
    const machineCalls = count('tencent', 'on', 'DescribeMachines');
    const refreshesOn = count('tencent', 'on', 'DescribeScanState');
    const refreshesOff = count('tencent', 'off', 'DescribeScanState');
    // A refresh's discovery starts with the page asked without a NextToken.
    const discovery = emulator.calls.list({ provider: 'alibaba', account: 'shop', action: 'DescribeCloudCenterInstances' });
    const alibabaRefreshes = Math.max(1, discovery.filter((call) => (call.params?.['NextToken'] ?? '') === '').length);
    return {
      servers,
      tencent: {
        expectedPerRead,
        machineCalls,
        reads: machineCalls / expectedPerRead,
        refreshesOn,
        refreshesOff,
        perRefreshOn: count('tencent', 'on') / refreshesOn,
        perRefreshOff: count('tencent', 'off') / refreshesOff,
        coverageSeries: series('tencent'),
      },
      alibaba: {
        refreshes: alibabaRefreshes,
        discoveryPerRefresh: discovery.length / alibabaRefreshes,
        discoveryMinimum: Math.ceil(servers / 100),
        coverageSeries: series('alibaba'),
      },
    };
  } finally {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Calls a refresh adds at the defaults: one read's calls every DEFAULT_INTERVAL / DEFAULT_TTL refreshes. */
export function perRefreshAtDefaults(callsPerRead: number): number {
  return callsPerRead * (DEFAULT_TTL_SECONDS / DEFAULT_INTERVAL_SECONDS);
}

export const COVERAGE_BENCH = {
  ttlSeconds: TTL_SECONDS,
  intervalSeconds: INTERVAL_SECONDS,
  defaultTtlSeconds: DEFAULT_TTL_SECONDS,
  defaultIntervalSeconds: DEFAULT_INTERVAL_SECONDS,
};
