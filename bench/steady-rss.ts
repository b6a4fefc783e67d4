// Resident memory of the real CLI process in steady state: a large fleet refreshed over and over
// (short TTL, scrapes every second), read after a few full refreshes and again after more. The
// process's CPU time is read alongside: its average and busiest second are what a Kubernetes
// container's CPU request and limit are sized from (deploy/kubernetes, docs/capacity.md).
import { cpuMs, fullRefreshes, rssMiB, scrape, startCliFleet } from './cli.js';

export interface SteadyRssResult {
  servers: number;
  refreshes: number;
  scrapes: number;
  /** RSS once `settleRefreshes` full refreshes were done, and at the end. */
  settledMiB: number;
  endMiB: number;
  peakMiB: number;
  seconds: number;
  /** CPU time (user + system) over wall time from the first scrape to the end, in cores. */
  averageCores: number;
  /** The most CPU time used between two scrapes (about a second apart) over that interval, in cores. */
  busiestSecondCores: number;
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
  const fleet = await startCliFleet({
    servers: options.servers,
    rateLimit: options.rateLimit,
    ttl: options.ttl,
    perServerSeries: options.perServerSeries,
  });
  try {
    const metrics = `${fleet.url}/metrics`;
    const started = performance.now();
    let settledMiB = NaN;
    let peakMiB = 0;
    let scrapes = 0;
    const cpuAtStart = cpuMs(fleet.pid);
    let busiestSecondCores = 0;
    let cpuBefore = cpuAtStart;
    let wallBefore = started;
    while (performance.now() - started < options.maxMs) {
      const begun = performance.now();
      const result = await scrape(metrics, { timeoutSeconds: 10 });
      if (result.status !== 200) throw new Error(`/metrics answered ${result.status}`);
      scrapes++;
      const rss = rssMiB(fleet.pid);
      const [cpuNow, wallNow] = [cpuMs(fleet.pid), performance.now()];
      if (wallNow - wallBefore >= 500) busiestSecondCores = Math.max(busiestSecondCores, (cpuNow - cpuBefore) / (wallNow - wallBefore));
      [cpuBefore, wallBefore] = [cpuNow, wallNow];
      peakMiB = Math.max(peakMiB, rss);
      const done = fullRefreshes(fleet.emulator, options.servers);
      if (Number.isNaN(settledMiB) && done >= options.settleRefreshes) settledMiB = rss;
      if (done >= options.refreshes) break;
      const wait = 1000 - (performance.now() - begun);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      servers: options.servers,
      refreshes: fullRefreshes(fleet.emulator, options.servers),
      scrapes,
      settledMiB,
      endMiB: rssMiB(fleet.pid),
      peakMiB,
      seconds,
      averageCores: (cpuMs(fleet.pid) - cpuAtStart) / 1000 / seconds,
      busiestSecondCores,
    };
  } finally {
    await fleet.close();
  }
}
