// Tencent CWP API calls per refresh once the hosts of the scans are read (issue 12): with every task
// finished, a refresh must make no more calls than before DescribeScanTaskDetails existed (the
// minimum); with running tasks, the minimum plus one call per 100 hosts of each running module.
// Counted at the emulator, refresh by refresh, through the real exporter in this process.
import { startEmulator } from '../src/emulator/server.js';
import { largestPage } from '../src/emulator/tencent/actions.js';
import { endpointOf, exporterConfig, startExporter } from '../test/support/harness.js';
import { tencentAccount } from '../test/support/tencent.js';

export interface CwpHostsScenario {
  hosts: number;
  strategies: number;
  /** Modules whose latest task is running (scanning); the others' tasks have completed. */
  running: ReadonlyArray<'Malware' | 'Vul' | 'Baseline'>;
  /** Refreshes measured after the first (which reads every finished task once). */
  refreshes: number;
}

export interface CwpHostsRow {
  scenario: CwpHostsScenario;
  /** Calls of the first refresh (each finished task's hosts read once). */
  firstRefresh: number;
  /** Calls per refresh after the first, averaged over the measured refreshes. */
  perRefresh: number;
  detailsPerRefresh: number;
  /** What a refresh made before this issue: DescribeScanState per module and strategy, one strategy-list page. */
  minimum: number;
  /** The minimum plus one DescribeScanTaskDetails per 100 hosts of each running task. */
  expected: number;
}

const KEYS = { secretId: 'AKIDbenchCwpHosts000000000000000001', secretKey: 'benchOnlyCwpHostsSecretKey0000001' };

export async function cwpHostCalls(scenario: CwpHostsScenario): Promise<CwpHostsRow> {
  const emulator = await startEmulator();
  const strategies = Array.from({ length: scenario.strategies }, (_, i) => ({ id: 800 + i, name: `strategy ${i}` }));
  emulator.tencent.addAccount({ name: 'prod', ...KEYS, strategies, fleetSize: scenario.hosts });
  let taskId = 5000;
  const pin = (module: 'Malware' | 'Vul' | 'Baseline', strategyId?: number) => {
    const running = scenario.running.includes(module);
    emulator.tencent.pinScanState('prod', module, strategyId, {
      ScanState: running ? 1 : 2,
      Schedule: running ? 50 : 100,
      TaskId: taskId++,
      VulId: [],
      Type: 1,
      ScanBeginTime: '2026-11-23 10:00:00',
      ScanEndTime: running ? null : '2026-11-23 11:00:00',
      RiskEventCount: 0,
    });
  };
  pin('Malware');
  pin('Vul');
  for (const s of strategies) pin('Baseline', s.id);
  // rate_limit raised so that a refresh of many pages takes milliseconds: calls are counted, not timed.
  const running = await startExporter(
    // Coverage off: its listings are part 14's.
    exporterConfig({
      ttlSeconds: 0,
      tencent: [
        tencentAccount('prod', KEYS, endpointOf(emulator), {
          rateLimit: 1000,
          coverage: { enabled: false, regions: [], machineTypes: [], intervalSeconds: 600 },
        }),
      ],
    }),
  );
  const calls = (action?: string) => emulator.calls.count({ provider: 'tencent', account: 'prod', ...(action ? { action } : {}) });
  try {
    // The first scrape waits for the account's first refresh; each later scrape (cache.ttl 0) starts one.
    await running.scrape();
    await running.exporter.collector.settled();
    const firstRefresh = calls();
    for (let i = 0; i < scenario.refreshes; i++) {
      await running.scrape();
      await running.exporter.collector.settled();
    }
    const pages = Math.ceil(scenario.hosts / largestPage('DescribeScanTaskDetails'));
    const runningTasks = scenario.running.reduce((n, m) => n + (m === 'Baseline' ? scenario.strategies : 1), 0);
    const minimum = 2 + scenario.strategies + 1;
    return {
      scenario,
      firstRefresh,
      perRefresh: (calls() - firstRefresh) / scenario.refreshes,
      detailsPerRefresh: (calls('DescribeScanTaskDetails') - (firstRefresh - minimum)) / scenario.refreshes,
      minimum,
      expected: minimum + runningTasks * pages,
    };
  } finally {
    await running.close();
    await emulator.close();
  }
}
