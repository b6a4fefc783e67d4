// Scrape latency in the regime big fleets live in: a refresh takes longer than the TTL, so one is
// always running (a continuous rolling refresh). Scraped as Prometheus does (one scrape at a time,
// its 10 s timeout header), next to the warm-cache latency of the same fleet. Real CLI process.
import { percentile, scrape, startCliFleet, untilFirstRefresh } from './cli.js';

export interface RollingOptions {
  servers: number;
  /** Per-second limit of the account: servers / rateLimit is the shortest refresh. */
  rateLimit: number;
  ttl: string;
  perServerSeries: boolean;
  /** Bounds of the measured window. */
  maxScrapes: number;
  maxMs: number;
  /** Time between scrape starts (a slower scrape delays the next, as in Prometheus). */
  intervalMs: number;
}

export interface RollingResult {
  scrapes: number[];
  failed: number;
  /** Scrapes over 1 s, and at 9 s or more (at Prometheus' 10 s timeout). */
  over1s: number;
  atDeadline: number;
  /** Per-server calls the emulator answered during the window (divide by servers: refreshes' worth). */
  callsDuringWindow: number;
  windowSeconds: number;
}

export const SCRAPE_TIMEOUT_SECONDS = 10;

export async function rollingScrapes(options: RollingOptions): Promise<RollingResult> {
  const fleet = await startCliFleet({
    servers: options.servers,
    rateLimit: options.rateLimit,
    ttl: options.ttl,
    perServerSeries: options.perServerSeries,
  });
  try {
    const metrics = `${fleet.url}/metrics`;
    // The first scrape starts the first refresh and may wait for it (the account has no data yet):
    // not part of the measurement.
    await scrape(metrics, { timeoutSeconds: SCRAPE_TIMEOUT_SECONDS });
    const callsBefore = fleet.emulator.calls.count({ action: 'DescribeVulCheckTaskStatusDetail' });
    const times: number[] = [];
    let failed = 0;
    const started = performance.now();
    while (times.length < options.maxScrapes && performance.now() - started < options.maxMs) {
      const begun = performance.now();
      const result = await scrape(metrics, { timeoutSeconds: SCRAPE_TIMEOUT_SECONDS });
      times.push(result.ms);
      if (result.status !== 200) failed++;
      const wait = options.intervalMs - (performance.now() - begun);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return {
      scrapes: times,
      failed,
      over1s: times.filter((t) => t > 1000).length,
      atDeadline: times.filter((t) => t >= 9000).length,
      callsDuringWindow: fleet.emulator.calls.count({ action: 'DescribeVulCheckTaskStatusDetail' }) - callsBefore,
      windowSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await fleet.close();
  }
}

/** p50/p99 of scrapes from a warm cache (TTL 1 h, first refresh finished) of the same fleet, same CLI. */
export async function warmScrapes(servers: number, perServerSeries: boolean, count: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const fleet = await startCliFleet({ servers, rateLimit: 5000, ttl: '1h', perServerSeries });
  try {
    const metrics = `${fleet.url}/metrics`;
    await untilFirstRefresh(metrics);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const result = await scrape(metrics, { timeoutSeconds: SCRAPE_TIMEOUT_SECONDS });
      if (result.status !== 200) throw new Error(`/metrics answered ${result.status}`);
      times.push(result.ms);
    }
    return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
  } finally {
    await fleet.close();
  }
}
