// Resident memory of the real CLI process in steady state: a large fleet refreshed over and over
// (short TTL, scrapes every second), read after a few full refreshes and again after more.
import { fullRefreshes, rssMiB, scrape, startCliFleet } from './cli.js';

export interface SteadyRssResult {
  servers: number;
  refreshes: number;
  scrapes: number;
  /** RSS once `settleRefreshes` full refreshes were done, and at the end. */
  settledMiB: number;
  endMiB: number;
  peakMiB: number;
  seconds: number;
}

export async function steadyRss(options: {
  servers: number;
  perServerSeries: boolean;
  rateLimit: number;
  ttl: string;
  settleRefreshes: number;
  refreshes: number;
  maxMs: number;
}): Promise<SteadyRssResult> {
  const fleet = await startCliFleet({ servers: options.servers, rateLimit: options.rateLimit, ttl: options.ttl, perServerSeries: options.perServerSeries });
  try {
    const metrics = `${fleet.url}/metrics`;
    const started = performance.now();
    let settledMiB = NaN;
    let peakMiB = 0;
    let scrapes = 0;
    while (performance.now() - started < options.maxMs) {
      const begun = performance.now();
      const result = await scrape(metrics, { timeoutSeconds: 10 });
      if (result.status !== 200) throw new Error(`/metrics answered ${result.status}`);
      scrapes++;
      const rss = rssMiB(fleet.pid);
      peakMiB = Math.max(peakMiB, rss);
      const done = fullRefreshes(fleet.emulator, options.servers);
      if (Number.isNaN(settledMiB) && done >= options.settleRefreshes) settledMiB = rss;
      if (done >= options.refreshes) break;
      const wait = 1000 - (performance.now() - begun);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return {
      servers: options.servers,
      refreshes: fullRefreshes(fleet.emulator, options.servers),
      scrapes,
      settledMiB,
      endMiB: rssMiB(fleet.pid),
      peakMiB,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await fleet.close();
  }
}
