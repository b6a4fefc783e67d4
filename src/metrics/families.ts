// Every metric the exporter exposes: name, type, labels and help text, in one place. Dashboards,
// alerts and users depend on these names; the README's metric table is tested against this file.

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family<L extends string = string> {
  name: string;
  type: MetricType;
  labels: readonly L[];
  help: string;
}

const CACHED = 'Cached: refreshed at most once per cache.ttl.';

function family<const L extends string>(name: string, type: MetricType, labels: readonly L[], help: string): Family<L> {
  return { name, type, labels, help };
}

export const CWP = {
  scanState: family(
    'cloudscan_cwp_scan_state',
    'gauge',
    ['account', 'module', 'strategy_id', 'state'],
    `State of the latest CWP scan of a module (DescribeScanState ScanState), one-hot: 1 for the current state, 0 for the others; "unknown" for a code the exporter does not know. ${CACHED}`,
  ),
  progress: family(
    'cloudscan_cwp_scan_progress_ratio',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Progress of the latest CWP scan of a module, 0 to 1 (DescribeScanState Schedule / 100). ${CACHED}`,
  ),
  riskEvents: family(
    'cloudscan_cwp_scan_risk_events',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Risks found by the latest CWP scan of a module (DescribeScanState RiskEventCount); absent when the API returns null. ${CACHED}`,
  ),
  vulnerabilities: family(
    'cloudscan_cwp_scan_vulnerabilities',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Vulnerability ids listed by the latest CWP scan of a module (length of DescribeScanState VulId). ${CACHED}`,
  ),
  startTime: family(
    'cloudscan_cwp_scan_start_timestamp_seconds',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Start of the latest CWP scan of a module, Unix time (DescribeScanState ScanBeginTime); absent when null or unparsable. ${CACHED}`,
  ),
  endTime: family(
    'cloudscan_cwp_scan_end_timestamp_seconds',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `End of the latest CWP scan of a module, Unix time (DescribeScanState ScanEndTime); absent when null or unparsable. ${CACHED}`,
  ),
  info: family(
    'cloudscan_cwp_scan_info',
    'gauge',
    ['account', 'module', 'strategy_id', 'strategy_name', 'task_id', 'trigger'],
    `Identity of the latest CWP scan of a module: baseline strategy name, task id and trigger (one_click or scheduled); always 1. ${CACHED}`,
  ),
} as const;

export const SAS = {
  subtaskState: family(
    'cloudscan_sas_vul_check_subtask_state',
    'gauge',
    ['account', 'uuid', 'instance', 'task_id', 'type', 'state'],
    `State of a Security Center vulnerability-check subtask on a server (DescribeVulCheckTaskStatusDetail Status), one-hot: 1 for the current state; "unknown" for a code the exporter does not know. ${CACHED}`,
  ),
  subtaskFailed: family(
    'cloudscan_sas_vul_check_subtask_failed',
    'gauge',
    ['account', 'uuid', 'instance', 'task_id', 'type', 'code'],
    `1 for each Security Center vulnerability-check subtask that reports an error Code (DescribeVulCheckTaskStatusDetail Code). ${CACHED}`,
  ),
  subtasks: family(
    'cloudscan_sas_vul_check_subtasks',
    'gauge',
    ['account', 'type', 'state'],
    `Security Center vulnerability-check subtasks in each state, all servers of the account together. ${CACHED}`,
  ),
  tasks: family(
    'cloudscan_sas_vul_check_tasks',
    'gauge',
    ['account', 'uuid', 'instance'],
    `Vulnerability-check tasks on a server (DescribeVulCheckTaskStatusDetail TotalCount). ${CACHED}`,
  ),
} as const;

export const HEALTH = {
  up: family(
    'cloudscan_up',
    'gauge',
    ['provider', 'account'],
    'Whether the last refresh of this account succeeded without any API error (1) or not (0).',
  ),
  lastSuccess: family(
    'cloudscan_last_success_timestamp_seconds',
    'gauge',
    ['provider', 'account'],
    'Unix time when data for this account was last fetched by a refresh without errors.',
  ),
  collectDuration: family(
    'cloudscan_collect_duration_seconds',
    'gauge',
    ['provider', 'account'],
    'How long the last refresh of this account took, in seconds.',
  ),
  refreshFailedCalls: family(
    'cloudscan_last_refresh_failed_calls',
    'gauge',
    ['provider', 'account'],
    'Calls of the last finished refresh of this account that failed after their retries; above 0, the refresh was partial (or failed) and cloudscan_last_success_timestamp_seconds did not move.',
  ),
  refreshProgress: family(
    'cloudscan_refresh_progress_ratio',
    'gauge',
    ['provider', 'account'],
    "Share of the running refresh of this account done, 0 to 1, in the source's items (servers, scans); 1 when no refresh is running.",
  ),
  dataAge: family(
    'cloudscan_data_age_seconds',
    'gauge',
    ['provider', 'account'],
    "Age of the data served for this account, in seconds: since the snapshot served was taken (a rolling refresh's published part counts); absent when there is no data.",
  ),
  apiRequests: family(
    'cloudscan_api_requests_total',
    'counter',
    ['provider', 'account', 'action'],
    'Cloud API calls made, retries included.',
  ),
  apiErrors: family(
    'cloudscan_api_errors_total',
    'counter',
    ['provider', 'account', 'action', 'code'],
    "Cloud API calls that failed, by the cloud's error code (the first 20 distinct per account and action, then other) or timeout, network, invalid_response, http_NNN. Calls canceled by a reload or shutdown are not counted.",
  ),
  droppedSeries: family(
    'cloudscan_dropped_series_total',
    'counter',
    ['provider', 'account', 'reason'],
    'Values from the cloud left out to bound the number of series: reason "error_code" for error codes beyond the first 20 distinct ones per account and action (counted as code "other" in cloudscan_api_errors_total), "subtasks" for subtasks beyond the first 500 of one server answer.',
  ),
  apiDuration: family(
    'cloudscan_api_request_duration_seconds',
    'histogram',
    ['provider', 'action'],
    'Duration of cloud API calls, in seconds.',
  ),
  cacheRequests: family(
    'cloudscan_cache_requests_total',
    'counter',
    ['provider'],
    'Account lookups made by scrapes.',
  ),
  cacheHits: family(
    'cloudscan_cache_hits_total',
    'counter',
    ['provider'],
    'Account lookups answered from data younger than cache.ttl, with no refresh due or running.',
  ),
  buildInfo: family(
    'cloudscan_build_info',
    'gauge',
    ['version', 'revision', 'nodejs'],
    'Build of the exporter; always 1.',
  ),
  reloadSuccessful: family(
    'cloudscan_config_last_reload_successful',
    'gauge',
    [],
    'Whether the last configuration reload succeeded.',
  ),
  reloadSuccessTime: family(
    'cloudscan_config_last_reload_success_timestamp_seconds',
    'gauge',
    [],
    'Unix time of the last successful configuration reload.',
  ),
} as const;

export const API_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const ALL_FAMILIES: readonly Family[] = [...Object.values(CWP), ...Object.values(SAS), ...Object.values(HEALTH)];
