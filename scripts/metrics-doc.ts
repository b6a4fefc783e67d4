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
import { SAS } from '../src/sources/alibaba/families.js';
import { CWP } from '../src/sources/tencent/families.js';
import { CWP_FAIL_TYPES, CWP_HOST_RESULTS, CWP_MODULES, CWP_SCAN_STATES, CWP_TRIGGERS } from '../src/sources/tencent/types.js';
import { SAS_AGENT_STATES, SAS_SUBTASK_STATES, SAS_VUL_TYPES } from '../src/sources/alibaba/types.js';
import { COVERAGE } from '../src/sources/coverage/families.js';
import { COVERAGES } from '../src/sources/coverage/coverage.js';

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

function code(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

function table(families: readonly Family[]): string[] {
  return [
    '| name | type | labels | meaning |',
    '|---|---|---|---|',
    ...families.map(
      (f) => `| \`${f.name}\` | ${f.type} | ${f.labels.length === 0 ? '' : code(f.labels)} | ${cell(f.help)} |`,
    ),
  ];
}

export function renderMetricsDoc(): string {
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
    "- `account` is the account's configured `name` (never a credential); `provider` is `tencent` or `alibaba`.",
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
    '## Tencent Cloud CWP',
    '',
    'From `DescribeScanState`: one set per account and module; for the Baseline module one set per',
    'baseline strategy (`strategy_id`), otherwise `strategy_id=""`.',
    '',
    'The hosts of each scan\'s latest task come from `DescribeScanTaskDetails` (`cloudscan_cwp_scan_hosts*`',
    'and `cloudscan_cwp_host_*`): a finished task\'s (completed or stopped) are read once per task id and',
    'reused on later refreshes, a running task\'s on every refresh, 100 hosts per call. They are absent',
    'for a module never scanned and until the task\'s hosts have been read. With `per_host_series: false`',
    'only `cloudscan_cwp_scan_hosts` and `cloudscan_cwp_scan_hosts_failed` are emitted.',
    '`cloudscan_cwp_host_info` carries what a dashboard table of failed hosts shows beside the name',
    '(IP, public IP, OS); join it on `account, module, strategy_id, uuid`.',
    '',
    'No remaining-time series: `ScanLeftTime` of `DescribeScanTaskDetails` is an Integer documented as',
    '"Remaining scan time" (API document DescribeScanTaskDetails, version 2018-02-28, last updated',
    '2024-08-27) and "扫描剩余时间" in the generated SDK\'s model (tencentcloud-sdk-nodejs 4.1.313,',
    '`cwp_models.d.ts`), with no unit in either, and the document\'s example value is 1. A',
    '`..._seconds` series would be a guess, so none is exported. `ScanProgress` names no unit either;',
    '`cloudscan_cwp_scan_progress_ratio` (from `Schedule`) is the progress.',
    '',
    ...table(Object.values(CWP)),
    '',
    '## Alibaba Cloud Security Center (SAS)',
    '',
    'From `DescribeVulCheckTaskStatusDetail`, one call per server; servers come from the configuration',
    'or from `DescribeCloudCenterInstances` (`servers: auto`), whose answer also gives each server\'s',
    'Security Center agent state (`ClientStatus`), instance ID, region, IP and OS: the agent and server',
    'series, at no extra call. With servers listed in the configuration discovery is not called, so the',
    'agent and server series are absent (not known, rather than a made-up zero). With',
    `\`per_server_series: false\` only the counts are emitted: \`${SAS.subtasks.name}\` and \`${SAS.agents.name}\`.`,
    '',
    `\`${SAS.serverSubtasks.name}\` was \`cloudscan_sas_vul_check_tasks\` up to version 0.1.0:`,
    '`TotalCount` counts subtasks, not tasks ([CHANGELOG](../CHANGELOG.md)).',
    '',
    ...table(Object.values(SAS)),
    '',
    '## Coverage: servers no scan can see (both clouds)',
    '',
    'A scan reports on the servers its agent reached; a server whose agent is offline, paused or not',
    'installed is never reached, so no scan series shows it. These series list every server the',
    "cloud's server listing knows, with the same words on both clouds (`provider` tells which):",
    '',
    '- Tencent: `DescribeMachines`, one call per machine type and region of the account\'s `coverage:`',
    '  (and per further 100 machines), every `coverage.interval` (10 minutes by default); in between the',
    "  last listing is served. Coverage from the machine's `InstanceStatus` (`STOPED`, the SDK model's",
    '  spelling, and `STOPPED` both taken; `EXPIRED`), `MachineStatus` (`SHUTDOWN`) and `AgentStatus`',
    '  (`ONLINE`, `OFFLINE`, `UNINSTALLED` in any case), the `MachineStatus` values `ONLINE`, `OFFLINE`,',
    '  `UNINSTALLED` where `AgentStatus` says nothing known. Refused for lack of `cwp:DescribeMachines`,',
    '  coverage is off and the account stays up ([permissions](permissions.md)).',
    '- Alibaba: discovery (`DescribeCloudCenterInstances`, `servers: auto`), at no extra call:',
    '  `ClientSubStatus` (`online`, `offline`, `pause`, `uninstalled`, `stopped`), `ClientStatus` where',
    '  it says nothing known, and the instance\'s `Status` (`notRunning`: stopped). With servers listed',
    '  in the configuration coverage is not known and these series are absent.',
    '',
    'A stopped or expired server is `server_stopped` whatever its agent says. With per-server series off',
    `(\`per_host_series: false\`, \`per_server_series: false\`) only \`${COVERAGE.servers.name}\` is emitted.`,
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
    `| \`provider\` | \`tencent\`, \`alibaba\` |`,
    `| \`module\` (CWP) | ${code(CWP_MODULES)} |`,
    `| \`state\` (CWP) | ${code([...CWP_SCAN_STATES, 'unknown'])} (ScanState 0 to 4; \`unknown\` for any other code) |`,
    `| \`trigger\` (CWP) | ${code([...CWP_TRIGGERS, 'unknown'])} (Type 0 and 1) |`,
    `| \`result\`, \`state\` (CWP hosts) | ${code([...CWP_HOST_RESULTS, 'unknown'])} (Status \`Ok\`, \`Fail\`, \`Scanning\`; \`unknown\` for any other) |`,
    `| \`reason\` (CWP hosts) | ${Object.entries(CWP_FAIL_TYPES).map(([code, reason]) => `\`${reason}\` (FailType ${code})`).join(', ')}, \`unknown\` (any other FailType of a failed host) |`,
    `| \`uuid\`, \`host\`, \`ip\`, \`wan_ip\`, \`os\` (CWP hosts) | \`Uuid\`, \`HostName\`, \`HostIp\`, \`MachineWanIp\`, \`OsName\` of \`DescribeScanTaskDetails\`, bounded as below; a host without \`Uuid\` is counted but has no series of its own |`,
    `| \`type\` (SAS) | ${code(SAS_VUL_TYPES)} |`,
    `| \`state\` (SAS) | ${code([...SAS_SUBTASK_STATES, 'unknown'])} (Status 0 to 4; \`unknown\` for any other code) |`,
    `| \`state\` (\`${SAS.agentState.name}\`, \`${SAS.agents.name}\`) | ${code([...SAS_AGENT_STATES, 'unknown'])} (ClientStatus \`online\`, \`offline\`, \`pause\`; \`unknown\` for any other value) |`,
    `| \`ip\` (\`${SAS.serverInfo.name}\`) | the server's \`Ip\` as Security Center lists it; its \`IntranetIp\`, then \`InternetIp\`, when \`Ip\` is empty |`,
    `| \`coverage\` | ${code(COVERAGES)} |`,
    `| \`uuid\` (coverage) | Tencent: the machine's agent \`Uuid\`, or its \`Quuid\` (the CVM's id) when the API sends none (an agent offline for long, none installed), else its \`InstanceId\`; Alibaba: the asset's \`Uuid\` |`,
    `| \`instance\`, \`instance_id\`, \`ip\`, \`os\`, \`agent_version\` (\`${COVERAGE.serverInfo.name}\`) | Tencent: \`MachineName\`, \`InstanceId\`, \`MachineIp\`, \`MachineOs\`, \`AgentVersion\`; Alibaba: \`InstanceName\`, \`InstanceId\`, \`Ip\`, \`Os\`, and no agent version (its listing names none: \`""\`) |`,
    `| \`code\` (\`${SAS.subtaskFailed.name}\`) | the subtask's failure code as the API reports it, e.g. \`push_command_failed\` |`,
    `| \`code\` (\`${HEALTH.apiErrors.name}\`) | the cloud's error code (at most 64 characters of \`A-Za-z0-9._:/-\`, the first 20 distinct codes per account and action, then \`other\`), or \`timeout\`, \`network\`, \`invalid_response\`, \`invalid_credentials\`, \`http_NNN\` (a redirect included: \`http_302\`); see [troubleshooting.md](troubleshooting.md) |`,
    `| \`reason\` (\`${HEALTH.droppedSeries.name}\`) | \`error_code\` (an error code counted as \`other\`), \`subtasks\` (subtasks beyond the first 500 of one server answer), \`hosts\` (hosts of one CWP task beyond the first 50,000), \`servers\` (machines of one CWP coverage listing beyond the first 100,000) |`,
    `| task ids, types, codes, UUIDs, names | as the cloud sends them, bounded: ids and codes to 64 characters of \`A-Za-z0-9._:/-\` (others become \`_\`), names to 128 characters without control characters; a changed value is logged (one line per kind of odd value and refresh, with the count) and its answer counted once as \`invalid_response\` |`,
    `| \`action\` | the cloud API action, e.g. \`DescribeScanState\`, \`DescribeVulCheckTaskStatusDetail\` |`,
    '',
    '## Process and Node.js metrics',
    '',
    "The exporter also serves prom-client's default metrics about its own process, with their usual",
    `names: \`process_*\` and \`nodejs_*\`, for example ${code(DEFAULT_METRIC_EXAMPLES)}.`,
    'Some of them (open file descriptors, for one) exist only on Linux.',
    '',
    `Left out: ${code(DROPPED_DEFAULT_METRICS)}. prom-client serves them as gauges with a counter's`,
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
