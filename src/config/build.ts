// From the validated file to the ExporterConfig: defaults, endpoints, credentials, and the checks
// that span several keys (unique account names, at least one account, scrape offset < timeout).
// Each cloud's accounts are built by its own settings() from the provider registry.
import { resolve } from 'node:path';
import { formatDuration } from '../base/duration.js';
import type { AccountSettings, OrganizationSettings, ProviderEntry, SettingsContext } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';
import { SecretResolver, type ReadSecretFile } from './credentials.js';
import { DEFAULTS } from '../base/defaults.js';
import type { YamlFile } from './document.js';
import { ConfigError } from './errors.js';
import type { ConfigFile } from './schema.js';
import type { ExporterConfig } from './types.js';

export function buildConfig(
  file: ConfigFile,
  yaml: YamlFile,
  readFile: ReadSecretFile,
  providers: readonly ProviderEntry[] = PROVIDERS,
): { config: ExporterConfig; warnings: string[] } {
  const secrets = new SecretResolver(yaml, readFile);
  const listOf = (key: string): readonly unknown[] => {
    const list = file[key];
    return Array.isArray(list) ? list : [];
  };
  const accountsOf = (provider: ProviderEntry): readonly unknown[] => listOf(provider.name);
  for (const provider of providers) {
    checkUniqueNames(accountsOf(provider), provider.name, yaml);
    if (provider.discovery) checkUniqueNames(listOf(provider.discovery.key), provider.discovery.key, yaml);
  }

  const scrape = {
    timeoutSeconds: file.scrape?.timeout ?? DEFAULTS.scrape.timeoutSeconds,
    timeoutOffsetSeconds: file.scrape?.timeout_offset ?? DEFAULTS.scrape.timeoutOffsetSeconds,
  };
  if (scrape.timeoutSeconds <= 0) throw located(yaml, ['scrape', 'timeout'], 'must be greater than 0');
  if (scrape.timeoutOffsetSeconds >= scrape.timeoutSeconds) {
    throw located(yaml, ['scrape', 'timeout_offset'], `must be less than scrape.timeout (${formatDuration(scrape.timeoutSeconds)})`);
  }

  const contextAt = (key: string, index: number, entry: unknown): SettingsContext => {
    const path = [key, index];
    return {
      credentials: secrets.reader((entry as { credentials?: Record<string, unknown> }).credentials ?? {}, [...path, 'credentials']),
      error: (at, detail) => located(yaml, [...path, ...at], detail),
    };
  };
  const accounts: Record<string, Array<AccountSettings | OrganizationSettings>> = {};
  for (const provider of providers) {
    accounts[provider.name] = accountsOf(provider).map((account, index) =>
      provider.settings(account, contextAt(provider.name, index, account)),
    );
    const discovery = provider.discovery;
    // Only where the file has organizations: a file without any loads to the same configuration as before discovery.
    const organizations = discovery ? listOf(discovery.key) : [];
    if (discovery && organizations.length > 0) {
      accounts[discovery.key] = organizations.map((organization, index) =>
        discovery.settings(organization, contextAt(discovery.key, index, organization)),
      );
    }
  }
  if (Object.values(accounts).every((list) => list.length === 0)) {
    const keys = (list: string[]) => list.map((key) => `${key}:`).join(' or ');
    const discoveryKeys = providers.flatMap((provider) => (provider.discovery ? [provider.discovery.key] : []));
    const organizations = discoveryKeys.length === 0 ? '' : `, or an organization under ${keys(discoveryKeys)}`;
    throw new ConfigError(
      yaml.file,
      `no accounts: configure at least one under ${keys(providers.map((provider) => provider.name))}${organizations}`,
    );
  }

  const frame = {
    file: resolve(yaml.file),
    cache: {
      ttlSeconds: file.cache?.ttl ?? DEFAULTS.cache.ttlSeconds,
      maxStaleSeconds: file.cache?.max_stale ?? DEFAULTS.cache.maxStaleSeconds,
    },
    scrape,
  };
  // Each list was built by its cloud's settings() from what its schema validated: the registry's types.
  return { config: { ...frame, ...accounts } as ExporterConfig, warnings: secrets.warnings };
}

function checkUniqueNames(accounts: readonly unknown[], provider: string, yaml: YamlFile): void {
  const first = new Map<string, number>();
  accounts.forEach((account, index) => {
    const name = (account as { name: string }).name;
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, index);
      return;
    }
    const earlierLine = yaml.lineOf([provider, earlier, 'name']);
    const where = earlierLine === undefined ? `${provider}[${earlier}]` : `line ${earlierLine}`;
    throw located(yaml, [provider, index, 'name'], `duplicate account name ${JSON.stringify(name)} (first at ${where})`);
  });
}

function located(yaml: YamlFile, path: ReadonlyArray<string | number>, detail: string): ConfigError {
  return new ConfigError(yaml.file, detail, yaml.lineOf(path), path);
}
