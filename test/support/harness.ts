// The whole exporter in-process: the real SDK clients -> the emulator, and real HTTP to /metrics.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../src/base/secret.js';
import type { Endpoint, ExporterConfig } from '../../src/config/types.js';
import type { AlibabaAccountConfig } from '../../src/sources/alibaba/config.js';
import type { TencentAccountConfig } from '../../src/sources/tencent/config.js';
import type { TencentOrganizationConfig } from '../../src/sources/tencent/organization-config.js';
import type { AlibabaResourceDirectoryConfig } from '../../src/sources/alibaba/organization-config.js';
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

export function tencentAccount(
  name: string,
  keys: { secretId: string; secretKey: string },
  endpoint: Endpoint,
  overrides: Partial<TencentAccountConfig> = {},
): TencentAccountConfig {
  return {
    name,
    credentials: { source: 'static', secretId: new Secret(keys.secretId), secretKey: new Secret(keys.secretKey) },
    endpoint,
    modules: ['Malware', 'Vul', 'Baseline'],
    baselineStrategies: 'auto',
    rateLimit: 20,
    timeZone: '+08:00',
    perHostSeries: true,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    coverage: { enabled: true, regions: ['ap-guangzhou'], machineTypes: ['CVM', 'LH', 'Other'], intervalSeconds: 600 },
    ...overrides,
  };
}

export function alibabaAccount(
  name: string,
  keys: { accessKeyId: string; accessKeySecret: string },
  endpoint: Endpoint,
  overrides: Partial<AlibabaAccountConfig> = {},
): AlibabaAccountConfig {
  return {
    name,
    credentials: {
      source: 'static',
      accessKeyId: new Secret(keys.accessKeyId),
      accessKeySecret: new Secret(keys.accessKeySecret),
    },
    region: 'cn-shanghai',
    endpoint,
    servers: 'auto',
    taskIds: [],
    types: ['cve', 'sys', 'cms', 'sca'],
    perServerSeries: true,
    rateLimit: 50,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    fullReadIntervalSeconds: 3 * 3600,
    ...overrides,
  };
}

/** A Tencent organization managed by `keys`' account, its Organization API and its members' CWP both at `endpoint`. */
export function tencentOrganization(
  name: string,
  keys: { secretId: string; secretKey: string },
  endpoint: Endpoint,
  overrides: Partial<TencentOrganizationConfig> = {},
): TencentOrganizationConfig {
  const { name: _name, credentials, ...member } = tencentAccount(name, keys, endpoint);
  return {
    name,
    credentials,
    endpoint,
    memberRole: { name: 'CloudscanReadOnly', sessionName: 'cloudscan-exporter', durationSeconds: 3600 },
    include: [],
    exclude: [],
    refreshIntervalSeconds: 300,
    rateLimit: 20,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    member: { ...member, modules: ['Malware', 'Vul'] },
    ...overrides,
  };
}

/** An Alibaba resource directory managed by `keys`' account, Resource Manager and Security Center both at `endpoint`. */
export function alibabaDirectory(
  name: string,
  keys: { accessKeyId: string; accessKeySecret: string },
  endpoint: Endpoint,
  overrides: Partial<AlibabaResourceDirectoryConfig> = {},
): AlibabaResourceDirectoryConfig {
  const { name: _name, credentials, resourceDirectoryAccountId: _id, ...member } = alibabaAccount(name, keys, endpoint);
  return {
    name,
    credentials,
    endpoint,
    memberAccess: 'resource_directory_account_id',
    include: [],
    exclude: [],
    refreshIntervalSeconds: 300,
    rateLimit: 10,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    member,
    ...overrides,
  };
}

export function exporterConfig(accounts: {
  tencent?: TencentAccountConfig[];
  alibaba?: AlibabaAccountConfig[];
  tencentOrganizations?: TencentOrganizationConfig[];
  alibabaDirectories?: AlibabaResourceDirectoryConfig[];
  ttlSeconds?: number;
  maxStaleSeconds?: number;
  timeoutSeconds?: number;
}): ExporterConfig {
  return {
    file: '/test/config.yaml',
    cache: { ttlSeconds: accounts.ttlSeconds ?? 60, maxStaleSeconds: accounts.maxStaleSeconds ?? 1800 },
    scrape: { timeoutSeconds: accounts.timeoutSeconds ?? 9, timeoutOffsetSeconds: 0.5 },
    tencent: accounts.tencent ?? [],
    alibaba: accounts.alibaba ?? [],
    ...(accounts.tencentOrganizations ? { tencent_organizations: accounts.tencentOrganizations } : {}),
    ...(accounts.alibabaDirectories ? { alibaba_resource_directories: accounts.alibabaDirectories } : {}),
  };
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
