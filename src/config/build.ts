// From the validated file to the ExporterConfig: defaults, endpoints, credentials, and the checks
// that span several keys (unique account names, at least one account, scrape offset < timeout).
import { resolve } from 'node:path';
import { alibabaEndpointForRegion } from '../sources/alibaba/endpoint.js';
import { alibabaRegionProblem } from '../sources/alibaba/regions.js';
import { tencentRegionProblem } from '../sources/tencent/regions.js';
import { SecretResolver, type ReadSecretFile } from './credentials.js';
import { DEFAULTS } from './defaults.js';
import type { YamlFile } from './document.js';
import { formatDuration } from './duration.js';
import { ConfigError } from './errors.js';
import type { ConfigFile } from './schema.js';
import type { AlibabaAccountConfig, ExporterConfig, TencentAccountConfig } from './types.js';

export function buildConfig(file: ConfigFile, yaml: YamlFile, readFile: ReadSecretFile): { config: ExporterConfig; warnings: string[] } {
  const secrets = new SecretResolver(yaml, readFile);
  for (const provider of ['tencent', 'alibaba'] as const) checkUniqueNames(file[provider] ?? [], provider, yaml);

  const scrape = {
    timeoutSeconds: file.scrape?.timeout ?? DEFAULTS.scrape.timeoutSeconds,
    timeoutOffsetSeconds: file.scrape?.timeout_offset ?? DEFAULTS.scrape.timeoutOffsetSeconds,
  };
  if (scrape.timeoutSeconds <= 0) throw located(yaml, ['scrape', 'timeout'], 'must be greater than 0');
  if (scrape.timeoutOffsetSeconds >= scrape.timeoutSeconds) {
    throw located(yaml, ['scrape', 'timeout_offset'], `must be less than scrape.timeout (${formatDuration(scrape.timeoutSeconds)})`);
  }

  const tencent = (file.tencent ?? []).map((account, index): TencentAccountConfig => {
    const path = ['tencent', index];
    if (account.request_timeout === 0) throw located(yaml, [...path, 'request_timeout'], 'must be greater than 0');
    // An explicit endpoint takes any region: it may serve one the lists do not know yet.
    const regionProblem = account.region === undefined || account.endpoint !== undefined ? undefined : tencentRegionProblem(account.region);
    if (regionProblem !== undefined) throw located(yaml, [...path, 'region'], regionProblem);
    return {
      name: account.name,
      credentials: secrets.tencent(account.credentials, [...path, 'credentials']),
      endpoint: account.endpoint ?? { ...DEFAULTS.tencent.endpoint },
      ...(account.region === undefined ? {} : { region: account.region }),
      modules: account.modules ?? [...DEFAULTS.tencent.modules],
      baselineStrategies: account.baseline_strategies ?? DEFAULTS.tencent.baselineStrategies,
      rateLimit: account.rate_limit ?? DEFAULTS.tencent.rateLimit,
      timeZone: account.time_zone ?? DEFAULTS.tencent.timeZone,
      requestTimeoutSeconds: account.request_timeout ?? DEFAULTS.tencent.requestTimeoutSeconds,
      maxResponseBytes: account.max_response_bytes ?? DEFAULTS.tencent.maxResponseBytes,
    };
  });

  const alibaba = (file.alibaba ?? []).map((account, index): AlibabaAccountConfig => {
    const path = ['alibaba', index];
    if (account.request_timeout === 0) throw located(yaml, [...path, 'request_timeout'], 'must be greater than 0');
    const regionProblem = account.endpoint === undefined ? alibabaRegionProblem(account.region) : undefined;
    if (regionProblem !== undefined) throw located(yaml, [...path, 'region'], regionProblem);
    return {
      name: account.name,
      credentials: secrets.alibaba(account.credentials, [...path, 'credentials']),
      region: account.region,
      endpoint: account.endpoint ?? alibabaEndpointForRegion(account.region),
      servers: account.servers ?? DEFAULTS.alibaba.servers,
      taskIds: account.task_ids ?? [...DEFAULTS.alibaba.taskIds],
      types: account.types ?? [...DEFAULTS.alibaba.types],
      perServerSeries: account.per_server_series ?? DEFAULTS.alibaba.perServerSeries,
      rateLimit: account.rate_limit ?? DEFAULTS.alibaba.rateLimit,
      requestTimeoutSeconds: account.request_timeout ?? DEFAULTS.alibaba.requestTimeoutSeconds,
      maxResponseBytes: account.max_response_bytes ?? DEFAULTS.alibaba.maxResponseBytes,
      ...(account.resource_directory_account_id === undefined ? {} : { resourceDirectoryAccountId: account.resource_directory_account_id }),
    };
  });

  if (tencent.length === 0 && alibaba.length === 0) {
    throw new ConfigError(yaml.file, 'no accounts: configure at least one under tencent: or alibaba:');
  }

  const config: ExporterConfig = {
    file: resolve(yaml.file),
    cache: {
      ttlSeconds: file.cache?.ttl ?? DEFAULTS.cache.ttlSeconds,
      maxStaleSeconds: file.cache?.max_stale ?? DEFAULTS.cache.maxStaleSeconds,
    },
    scrape,
    tencent,
    alibaba,
  };
  return { config, warnings: secrets.warnings };
}

function checkUniqueNames(accounts: ReadonlyArray<{ name: string }>, provider: string, yaml: YamlFile): void {
  const first = new Map<string, number>();
  accounts.forEach((account, index) => {
    const earlier = first.get(account.name);
    if (earlier === undefined) {
      first.set(account.name, index);
      return;
    }
    const earlierLine = yaml.lineOf([provider, earlier, 'name']);
    const where = earlierLine === undefined ? `${provider}[${earlier}]` : `line ${earlierLine}`;
    throw located(yaml, [provider, index, 'name'], `duplicate account name ${JSON.stringify(account.name)} (first at ${where})`);
  });
}

function located(yaml: YamlFile, path: ReadonlyArray<string | number>, detail: string): ConfigError {
  return new ConfigError(yaml.file, detail, yaml.lineOf(path), path);
}
