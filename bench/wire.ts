// Bytes on the wire and the exporter's CPU per scrape, asking for gzip (as Prometheus always does)
// against asking for identity, from a warm cache with per-server series. Real CLI process; CPU is
// read from /proc/<pid>/stat around blocks of scrapes, blocks of the two kinds alternating.
import { gzipSync } from 'node:zlib';
import { cpuMs, scrape, startCliFleet, untilFirstRefresh } from './cli.js';

export interface WireColumn {
  /** Content-Encoding of the answers ("identity" when none). */
  contentEncoding: string;
  bytes: number;
  cpuMsPerScrape: number;
  wallMsPerScrape: number;
}

export interface WireResult {
  servers: number;
  gzip: WireColumn;
  identity: WireColumn;
  /** What `gzip -1` makes of the identity answer here, in this process: the reachable size and its cost. */
  reference: { bytes: number; ms: number };
}

export async function wireCost(servers: number, scrapesPerBlock: number, blocks: number): Promise<WireResult> {
  const fleet = await startCliFleet({ servers, rateLimit: 5000, ttl: '1h', perServerSeries: true });
  try {
    const metrics = `${fleet.url}/metrics`;
    const first = await untilFirstRefresh(metrics);
    const columns = {
      gzip: { encodings: new Set<string>(), bytes: 0, cpu: 0, wall: 0, n: 0 },
      identity: { encodings: new Set<string>(), bytes: 0, cpu: 0, wall: 0, n: 0 },
    };
    for (let block = 0; block < blocks * 2; block++) {
      const kind = block % 2 === 0 ? 'gzip' : 'identity';
      const column = columns[kind];
      const cpuBefore = cpuMs(fleet.pid);
      const wallBefore = performance.now();
      for (let i = 0; i < scrapesPerBlock; i++) {
        const result = await scrape(metrics, { timeoutSeconds: 10, gzip: kind === 'gzip' });
        if (result.status !== 200) throw new Error(`/metrics answered ${result.status}`);
        column.encodings.add(result.contentEncoding);
        column.bytes = result.bytes;
      }
      column.cpu += cpuMs(fleet.pid) - cpuBefore;
      column.wall += performance.now() - wallBefore;
      column.n += scrapesPerBlock;
    }
    const identityBody = first.body!;
    const started = performance.now();
    const compressed = gzipSync(identityBody, { level: 1 });
    const reference = { bytes: compressed.length, ms: performance.now() - started };
    const toColumn = (c: (typeof columns)['gzip']): WireColumn => ({
      contentEncoding: [...c.encodings].join('+'),
      bytes: c.bytes,
      cpuMsPerScrape: c.cpu / c.n,
      wallMsPerScrape: c.wall / c.n,
    });
    return { servers, gzip: toColumn(columns.gzip), identity: toColumn(columns.identity), reference };
  } finally {
    await fleet.close();
  }
}
