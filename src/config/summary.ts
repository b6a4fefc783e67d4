// What `--config.check` prints for a good file: the accounts per provider, never a secret.
import type { ProviderEntry } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';
import { formatDuration } from '../base/duration.js';
import type { ExporterConfig } from './types.js';

export function summarize(
  file: string,
  config: ExporterConfig,
  warnings: readonly string[],
  providers: readonly ProviderEntry[] = PROVIDERS,
): string {
  const accounts = providers.flatMap((provider) =>
    provider.accounts(config).map((account) => `  ${provider.name}/${account.settings.name}: ${account.describe()}`),
  );
  const organizations = providers.flatMap((provider) =>
    (provider.discovery?.organizations(config) ?? []).map(
      (organization) => `  ${provider.name}/${organization.settings.name}: ${organization.describe()}`,
    ),
  );
  const counted = organizations.length === 0 ? '' : ` and ${organizations.length} organization(s) whose members become accounts`;
  const lines = [`${file}: OK, ${accounts.length} account(s)${counted}`];
  lines.push(`  cache: ttl ${formatDuration(config.cache.ttlSeconds)}, max_stale ${formatDuration(config.cache.maxStaleSeconds)}`);
  lines.push(...accounts, ...organizations);
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
