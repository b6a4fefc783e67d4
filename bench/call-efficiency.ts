// Cloud API calls per refresh against the minimum, and the peak 1-second API rate against the
// configured limit, while many concurrent scrapers hammer /metrics. Counted at the emulator.
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import type { ExporterConfig } from '../src/config/types.js';
import { startExporter } from '../test/support/harness.js';
import { get } from './latency.js';

export interface AccountCalls {
  target: string;
  refreshes: number;
  calls: number;
  /** Calls one refresh needs at the least. */
  minimumPerRefresh: number;
  ratio: number;
  peakPerSecond: number;
  limit: number;
}

export interface Scenario {
  config: ExporterConfig;
  /** For each account: the action whose first page starts a refresh, its pages per refresh, and the minimum calls per refresh. */
  accounts: Array<{
    provider: 'tencent' | 'alibaba';
    name: string;
    refreshAction: string;
    pages: number;
    minimum: number;
    limitedAction: string;
    limit: number;
    /** Calls of these actions are not counted (measured by a part of their own). */
    notCounted?: string[];
  }>;
}

export async function callEfficiency(
  build: (emulator: Emulator) => Scenario,
  scrapers: number,
  durationMs: number,
): Promise<{ scrapes: number; accounts: AccountCalls[] }> {
  const emulator = await startEmulator();
  const scenario = build(emulator);
  const running = await startExporter(scenario.config);
  let scrapes = 0;
  try {
    const until = Date.now() + durationMs;
    await Promise.all(
      Array.from({ length: scrapers }, async () => {
        while (Date.now() < until) {
          const { status } = await get(`${running.url}/metrics`);
          if (status !== 200) throw new Error(`/metrics answered ${status}`);
          scrapes++;
        }
      }),
    );
    await running.exporter.collector.settled();
    const accounts = scenario.accounts.map((a) => {
      const filter = { provider: a.provider, account: a.name };
      const refreshes = emulator.calls.count({ ...filter, action: a.refreshAction }) / a.pages;
      const calls =
        emulator.calls.count(filter) - (a.notCounted ?? []).reduce((n, action) => n + emulator.calls.count({ ...filter, action }), 0);
      return {
        target: `${a.provider}/${a.name}`,
        refreshes,
        calls,
        minimumPerRefresh: a.minimum,
        ratio: calls / (refreshes * a.minimum),
        peakPerSecond: emulator.calls.peakPerSecond({ ...filter, action: a.limitedAction }),
        limit: a.limit,
      };
    });
    return { scrapes, accounts };
  } finally {
    await running.close();
    await emulator.close();
  }
}
