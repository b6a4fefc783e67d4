// The soak's exporter process: the real exporter (invoker, AlibabaSource, the Darabonba SDK
// client, HTTP to the emulator in the parent process) refreshed back to back, with live heap read
// after a full GC at given call counts. Run with --expose-gc; talks to the parent over IPC.
import { writeHeapSnapshot } from 'node:v8';
import { Exporter } from '../src/exporter/exporter.js';
import { createLogger } from '../src/base/log.js';
import { ExporterMetrics } from '../src/metrics/exporter-metrics.js';
import { exporterConfig } from '../test/support/harness.js';
import { alibabaAccount } from '../test/support/alibaba.js';

export interface SoakRequest {
  emulatorPort: number;
  accessKeyId: string;
  accessKeySecret: string;
  uuids: string[];
  /** Exporter accounts, each with its own invoker and rate limiter, all asking about `uuids`. */
  accounts: number;
  rateLimit: number;
  /** Call counts at which live heap is read (ascending). */
  checkpoints: number[];
  /** Call counts at which a heap snapshot is written into `snapshotDir` (optional). */
  snapshotsAt: number[];
  snapshotDir?: string;
}

export type SoakMessage =
  | { kind: 'heap'; calls: number; heapUsed: number; heapTotal: number; external: number; rss: number; seconds: number }
  | { kind: 'snapshot'; calls: number; file: string }
  | { kind: 'done'; calls: number; seconds: number };

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  // Twice: the first pass can leave weakly held objects for the second.
  collect();
  collect();
}

async function soak(request: SoakRequest): Promise<void> {
  const send = (message: SoakMessage) => process.send!(message);
  const config = exporterConfig({
    // Every lookup starts the next refresh at once: refreshes back to back, as fast as calls go.
    ttlSeconds: 0.001,
    timeoutSeconds: 60,
    // Several accounts: one account's limiter spaces calls at least 1 ms apart (a timer per
    // wait), which would cap the soak near 1,000 calls/s.
    alibaba: Array.from({ length: request.accounts }, (_, i) =>
      alibabaAccount(
        `soak-${i}`,
        { accessKeyId: request.accessKeyId, accessKeySecret: request.accessKeySecret },
        { protocol: 'http', host: `127.0.0.1:${request.emulatorPort}` },
        { servers: request.uuids, types: ['cve'], perServerSeries: false, rateLimit: request.rateLimit, requestTimeoutSeconds: 10 },
      ),
    ),
  });
  const metrics = new ExporterMetrics({ build: { version: 'bench', revision: 'bench' }, defaultMetrics: false });
  const exporter = new Exporter(config, { metrics, logger: createLogger('warn', 'json') });
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const heapAt = [...request.checkpoints];
  const snapshotAt = [...request.snapshotsAt];
  const last = Math.max(...heapAt, ...snapshotAt);
  let calls = 0;
  while (calls < last) {
    await exporter.scrape(Date.now() + 60_000);
    await exporter.collector.settled();
    calls += request.uuids.length * request.accounts;
    if (heapAt.length > 0 && calls >= heapAt[0]!) {
      heapAt.shift();
      gc();
      const usage = process.memoryUsage();
      send({
        kind: 'heap',
        calls,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        rss: usage.rss,
        seconds: seconds(),
      });
    }
    if (snapshotAt.length > 0 && calls >= snapshotAt[0]!) {
      snapshotAt.shift();
      gc();
      const file = writeHeapSnapshot(`${request.snapshotDir}/soak-${calls}.heapsnapshot`);
      send({ kind: 'snapshot', calls, file });
    }
  }
  exporter.close();
  send({ kind: 'done', calls, seconds: seconds() });
}

process.once('message', (request: SoakRequest) => {
  soak(request).then(
    () => process.disconnect(),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
