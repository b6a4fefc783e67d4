// Generates docs/metrics.md from src/metrics/families.ts, the one place that names every metric,
// so the reference cannot drift from what /metrics serves (test/shipped/docs.test.ts compares them).
//
//   node --import tsx scripts/metrics-doc.ts          # rewrite docs/metrics.md
//   node --import tsx scripts/metrics-doc.ts --check  # exit 1 when docs/metrics.md is out of date
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DROPPED_DEFAULT_METRICS } from '../src/metrics/exporter-metrics.js';
import { API_DURATION_BUCKETS, HEALTH, type Family } from '../src/metrics/families.js';
import { API_ERROR_KINDS } from '../src/contract/types.js';
import { codeList, spokenList } from '../src/base/prose.js';
import type { CloudMetricsDoc, LabelValuesRow } from '../src/contract/metrics-doc.js';
import type { ProviderEntry } from '../src/contract/provider.js';
import { COVERAGE } from '../src/sources/coverage/families.js';
import { COVERAGES } from '../src/sources/coverage/coverage.js';
import { PROVIDERS } from '../src/sources/registry.js';

/** prom-client's default metrics the doc names; test/shipped/docs.test.ts checks prom-client still has them. */
export const DEFAULT_METRIC_EXAMPLES = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_version_info',
] as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(families: readonly Family[]): string[] {
  return [
    '| name | type | labels | meaning |',
    '|---|---|---|---|',
    ...families.map((f) => `| \`${f.name}\` | ${f.type} | ${f.labels.length === 0 ? '' : codeList(f.labels)} | ${cell(f.help)} |`),
  ];
}

function row({ label, values }: LabelValuesRow): string {
  return `| ${label} | ${values} |`;
}

/** A cloud's section: its heading, its prose and the table of its families. */
function cloudSection({ title, text, families }: CloudMetricsDoc): string[] {
  return [`## ${title}`, '', ...text, '', ...table(families), ''];
}

/** "both clouds", "all 3 clouds". */
function theClouds(count: number): string {
  return count === 2 ? 'both clouds' : count === 1 ? 'one cloud' : `all ${count} clouds`;
}

export function renderMetricsDoc(providers: readonly ProviderEntry[] = PROVIDERS): string {
  const docs = providers.map((provider) => provider.metricsDoc);
  const covered = docs.flatMap(({ short, coverage }) => (coverage === undefined ? [] : [{ short, ...coverage }]));
  const dropReasons = docs.flatMap((doc) => doc.dropReasons).sort((a, b) => a.bound - b.bound);
  const lines = [
    '# Metrics',
    '',
    '<!-- Generated from src/metrics/families.ts by scripts/metrics-doc.ts; do not edit by hand.',
    '     Regenerate with: node --import tsx scripts/metrics-doc.ts -->',
    '',
    'Every series the exporter serves on `/metrics` (all accounts) and `/probe?target=<provider>/<account>`',
    '(one account). Names are stable: dashboards and alerts depend on them. The `meaning` column is the',
    '`# HELP` text of the exposition.',
    '',
    'Conventions:',
    '',
    `- \`account\` is the account's configured \`name\` (never a credential); \`provider\` is ${spokenList(
      providers.map(({ name }) => `\`${name}\``),
      'or',
    )}.`,
    '- States are one-hot gauges: every state of a scan or subtask is present, exactly one is 1, so',
    '  `== 1` selects the current state and no series goes missing when the state changes.',
    '- Cloud data is cached: it is refreshed at most once per `cache.ttl`, and after failed refreshes',
    '  the last good data is served until it is `cache.max_stale` old, with `cloudscan_up` at 0.',
    '- Series of a scan, server or account that is no longer in the data disappear at once (no stale series).',
    '- Counters start at 0 from the first scrape for every label set known before any call: each',
    "  account's API actions (with error codes `timeout`, `network` and `invalid_response`), its drop",
    "  reasons, each configured provider's cache lookups and hits; so a rate or ratio reads 0, not",
    '  "No data", and the first error is an increase `rate()` can see. Other codes appear with their first error.',
    '',
    ...docs.flatMap(cloudSection),
    `## Coverage: servers no scan can see (${theClouds(covered.length)})`,
    '',
    'A scan reports on the servers its agent reached; a server whose agent is offline, paused or not',
    'installed is never reached, so no scan series shows it. These series list every server the',
    `cloud's server listing knows, with the same words on ${theClouds(covered.length)} (\`provider\` tells which):`,
    '',
    ...covered.flatMap(({ short, listing: [first, ...rest] }) => [`- ${short}: ${first}`, ...rest.map((line) => `  ${line}`)]),
    '',
    'A stopped or expired server is `server_stopped` whatever its agent says. With per-server series off',
    `(${codeList(covered.map((cloud) => cloud.perServerSeriesOff))}) only \`${COVERAGE.servers.name}\` is emitted.`,
    `\`${COVERAGE.uncoveredSince.name}\` counts from what this exporter has seen: a restart starts it again.`,
    '',
    ...table(Object.values(COVERAGE)),
    '',
    '## Exporter health',
    '',
    ...table(Object.values(HEALTH)),
    '',
    `\`${HEALTH.apiDuration.name}\` is a histogram: \`_bucket\` (with \`le\`), \`_sum\` and \`_count\` series,`,
    `buckets ${API_DURATION_BUCKETS.map(String).join(', ')} seconds.`,
    '',
    '## Label values',
    '',
    '| label | values |',
    '|---|---|',
    `| \`provider\` | ${codeList(providers.map(({ name }) => name))} |`,
    ...docs.flatMap((doc) => doc.labelValues).map(row),
    `| \`coverage\` | ${codeList(COVERAGES)} |`,
    `| \`uuid\` (coverage) | ${covered.map(({ short, uuid }) => `${short}: ${uuid}`).join('; ')} |`,
    `| \`instance\`, \`instance_id\`, \`ip\`, \`os\`, \`agent_version\` (\`${COVERAGE.serverInfo.name}\`) | ${covered.map(({ short, serverInfo }) => `${short}: ${serverInfo}`).join('; ')} |`,
    ...docs.flatMap((doc) => doc.codes).map(row),
    `| \`code\` (\`${HEALTH.apiErrors.name}\`) | the cloud's error code (at most 64 characters of \`A-Za-z0-9._:/-\`, the first 20 distinct codes per account and action, then \`other\`), or \`timeout\`, \`network\`, \`invalid_response\`, \`invalid_credentials\`, \`http_NNN\` (a redirect included: \`http_302\`); see [troubleshooting.md](troubleshooting.md) |`,
    `| \`class\` (\`${HEALTH.lastRefreshError.name}\`) | ${[...Object.entries(API_ERROR_KINDS).map(([kind, text]) => `\`${kind}\` (${text})`), '`none` (no call of the last refresh failed; `action` and `code` empty)'].join(', ')}; its \`code\` is the last error's, as \`code\` of \`${HEALTH.apiErrors.name}\` but never folded into \`other\` (the series is one per account whatever the code); the alerts CloudscanAuthFailing and CloudscanApiThrottled read it |`,
    `| \`reason\` (\`${HEALTH.droppedSeries.name}\`) | ${['`error_code` (an error code counted as `other`)', ...dropReasons.map(({ reason, text }) => `\`${reason}\` (${text})`)].join(', ')} |`,
    `| task ids, types, codes, UUIDs, names | as the cloud sends them, bounded: ids and codes to 64 characters of \`A-Za-z0-9._:/-\` (others become \`_\`), names to 128 characters without control characters; a changed value is logged (one line per kind of odd value and refresh, with the count) and its answer counted once as \`invalid_response\` |`,
    `| \`action\` | the cloud API action, e.g. ${codeList(docs.map((doc) => doc.exampleAction))} |`,
    '',
    '## Process and Node.js metrics',
    '',
    "The exporter also serves prom-client's default metrics about its own process, with their usual",
    `names: \`process_*\` and \`nodejs_*\`, for example ${codeList(DEFAULT_METRIC_EXAMPLES)}.`,
    'Some of them (open file descriptors, for one) exist only on Linux.',
    '',
    `Left out: ${codeList(DROPPED_DEFAULT_METRICS)}. prom-client serves them as gauges with a counter's`,
    '`_total` suffix, which `promtool check metrics` rejects and PromQL readers misread; each is the sum',
    'over `type` of the gauge without the suffix, which stays: use `sum(nodejs_active_handles)`.',
    'The exposition passes `promtool check metrics` with no findings.',
    '',
  ];
  return lines.join('\n');
}

/** The repository root: the nearest directory above with a package.json (from scripts/ or dist/scripts/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above scripts/');
    dir = parent;
  }
  return dir;
}

export const metricsDocPath = join(repoRoot(), 'docs', 'metrics.md');

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const text = renderMetricsDoc();
  if (process.argv.includes('--check')) {
    const current = readFileSync(metricsDocPath, 'utf8');
    if (current !== text) {
      process.stderr.write(`${metricsDocPath} is out of date; run: node --import tsx scripts/metrics-doc.ts\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(metricsDocPath, text);
    process.stdout.write(`wrote ${metricsDocPath}\n`);
  }
}
