// What `--config.check` prints for a good file: the accounts per provider, never a secret.
import { formatDuration } from './duration.js';
import { formatEndpoint } from './endpoint.js';
import type { ExporterConfig } from './types.js';

export function summarize(file: string, config: ExporterConfig, warnings: readonly string[]): string {
  const lines = [`${file}: OK, ${config.tencent.length + config.alibaba.length} account(s)`];
  lines.push(`  cache: ttl ${formatDuration(config.cache.ttlSeconds)}, max_stale ${formatDuration(config.cache.maxStaleSeconds)}`);
  for (const account of config.tencent) {
    lines.push(`  tencent/${account.name}: ${formatEndpoint(account.endpoint)}, credentials ${account.credentials.source}, modules ${account.modules.join(',')}`);
  }
  for (const account of config.alibaba) {
    const servers = account.servers === 'auto' ? 'auto' : `${account.servers.length}`;
    lines.push(
      `  alibaba/${account.name}: ${account.region} via ${formatEndpoint(account.endpoint)}, credentials ${account.credentials.source}, servers ${servers}`,
    );
  }
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
