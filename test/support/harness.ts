// The whole exporter in-process: the real SDK clients -> the emulator, and real HTTP to /metrics.
// Each cloud's account and organization settings come from its own test support (test/support/<cloud>.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Endpoint, ExporterConfig } from '../../src/config/types.js';
import { PROVIDERS, type ProviderConfigs } from '../../src/sources/registry.js';
import type { Clock } from '../../src/collect/clock.js';
import { Exporter, type ExporterOptions } from '../../src/exporter/exporter.js';
import { createApp } from '../../src/http/app.js';
import { ExporterMetrics } from '../../src/metrics/exporter-metrics.js';
import type { Emulator } from '../../src/emulator/server.js';
import type { ApiCallRecord } from '../../src/contract/types.js';
import { memoryLogger } from './logger.js';

export function endpointOf(emulator: Emulator): Endpoint {
  return { protocol: 'http', host: `127.0.0.1:${emulator.port}` };
}

/** A configuration of these accounts and organizations, each list under its key in the file (a cloud's name, or its discovery key). */
export function exporterConfig(
  options: Partial<ProviderConfigs> & {
    ttlSeconds?: number;
    maxStaleSeconds?: number;
    timeoutSeconds?: number;
  },
): ExporterConfig {
  const { ttlSeconds, maxStaleSeconds, timeoutSeconds, ...accounts } = options;
  // Every registered cloud's key, with no accounts unless given: as config/build.ts, the one cast from the registry's names.
  const none: Record<string, readonly unknown[]> = Object.fromEntries(PROVIDERS.map(({ name }) => [name, []]));
  return {
    file: '/test/config.yaml',
    cache: { ttlSeconds: ttlSeconds ?? 60, maxStaleSeconds: maxStaleSeconds ?? 1800 },
    scrape: { timeoutSeconds: timeoutSeconds ?? 9, timeoutOffsetSeconds: 0.5 },
    ...none,
    ...accounts,
  } as ExporterConfig;
}

export interface Running {
  url: string;
  exporter: Exporter;
  metrics: ExporterMetrics;
  logText: () => string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  scrape(): Promise<string>;
  /** Scrapes once to start the refresh that is due (that scrape is served the data there was), waits for it, and scrapes its result. */
  scrapeAfterRefresh(): Promise<string>;
  close(): Promise<void>;
}

/** Starts the exporter's HTTP app on 127.0.0.1 with this configuration. */
export async function startExporter(
  config: ExporterConfig,
  options: {
    enableLifecycle?: boolean;
    reload?: () => Promise<void>;
    providers?: ExporterOptions['providers'];
    clock?: Clock;
    /** Told of every API attempt the exporter makes, as its metrics are. */
    onCall?: (provider: string, account: string, call: ApiCallRecord) => void;
  } = {},
): Promise<Running> {
  const { logger, text } = memoryLogger();
  const metrics = new ExporterMetrics({ build: { version: 'test', revision: 'test' }, defaultMetrics: false });
  const onCall = options.onCall;
  if (onCall !== undefined) {
    const observer = metrics.observer.bind(metrics);
    metrics.observer = (provider, account, initial) => {
      const counted = observer(provider, account, initial);
      return { ...counted, onCall: (call) => (counted.onCall(call), onCall(provider, account, call)) };
    };
  }
  const exporter = new Exporter(config, {
    metrics,
    logger,
    ...(options.providers === undefined ? {} : { providers: options.providers }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const app = createApp({
    exporter: () => exporter,
    contentType: metrics.contentType,
    reload: options.reload ?? (async () => {}),
    enableLifecycle: options.enableLifecycle ?? false,
    ready: () => true,
    logger,
    version: 'test',
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, body: await response.text() };
  };
  const scrape = async () => {
    const { status, body } = await get('/metrics');
    if (status !== 200) throw new Error(`/metrics answered ${status}: ${body}`);
    return body;
  };
  return {
    url,
    exporter,
    metrics,
    logText: text,
    get,
    scrape,
    async scrapeAfterRefresh() {
      await scrape();
      await exporter.collector.settled();
      return scrape();
    },
    async close() {
      exporter.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
