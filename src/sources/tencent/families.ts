// The series of Tencent Cloud CWP: name, type, labels and help text. Dashboards, alerts and users depend on these names.
import { CACHED_HELP, family } from '../../contract/series.js';

export const CWP = {
  scanState: family(
    'cloudscan_cwp_scan_state',
    'gauge',
    ['account', 'module', 'strategy_id', 'state'],
    `State of the latest CWP scan of a module (DescribeScanState ScanState), one-hot: 1 for the current state, 0 for the others; "unknown" for a code the exporter does not know. ${CACHED_HELP}`,
  ),
  progress: family(
    'cloudscan_cwp_scan_progress_ratio',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Progress of the latest CWP scan of a module, 0 to 1 (DescribeScanState Schedule / 100). ${CACHED_HELP}`,
  ),
  riskEvents: family(
    'cloudscan_cwp_scan_risk_events',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Risks found by the latest CWP scan of a module (DescribeScanState RiskEventCount); absent when the API returns null. ${CACHED_HELP}`,
  ),
  vulnerabilities: family(
    'cloudscan_cwp_scan_vulnerabilities',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Vulnerability ids listed by the latest CWP scan of a module (length of DescribeScanState VulId). ${CACHED_HELP}`,
  ),
  startTime: family(
    'cloudscan_cwp_scan_start_timestamp_seconds',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Start of the latest CWP scan of a module, Unix time (DescribeScanState ScanBeginTime); absent when null or unparsable. ${CACHED_HELP}`,
  ),
  endTime: family(
    'cloudscan_cwp_scan_end_timestamp_seconds',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `End of the latest CWP scan of a module, Unix time (DescribeScanState ScanEndTime); absent when null or unparsable. ${CACHED_HELP}`,
  ),
  info: family(
    'cloudscan_cwp_scan_info',
    'gauge',
    ['account', 'module', 'strategy_id', 'strategy_name', 'task_id', 'trigger'],
    `Identity of the latest CWP scan of a module: baseline strategy name, task id and trigger (one_click or scheduled); always 1. ${CACHED_HELP}`,
  ),
  windowsPatches: family(
    'cloudscan_cwp_scan_windows_patches',
    'gauge',
    ['account', 'module', 'strategy_id'],
    `Windows KB patches the latest CWP scan of a module covered (length of DescribeScanState KBNumber); absent when the API returns none. ${CACHED_HELP}`,
  ),
  hosts: family(
    'cloudscan_cwp_scan_hosts',
    'gauge',
    ['account', 'module', 'strategy_id', 'result'],
    `Hosts of the latest CWP scan task of a module by result (DescribeScanTaskDetails Status): ok, failed, scanning, unknown, every result always present; absent while the task's hosts have not been read. ${CACHED_HELP}`,
  ),
  hostsFailed: family(
    'cloudscan_cwp_scan_hosts_failed',
    'gauge',
    ['account', 'module', 'strategy_id', 'reason'],
    `Hosts the latest CWP scan task of a module failed on, by reason (DescribeScanTaskDetails FailType): offline (3), timeout (4), failed (5), agent_outdated (8), unknown, every reason always present. ${CACHED_HELP}`,
  ),
  hostScanState: family(
    'cloudscan_cwp_host_scan_state',
    'gauge',
    ['account', 'module', 'strategy_id', 'uuid', 'host', 'state'],
    `Result of the latest CWP scan task of a module on a host (DescribeScanTaskDetails Status), one-hot: ok, failed, scanning, unknown. Off with per_host_series: false. ${CACHED_HELP}`,
  ),
  hostScanFailure: family(
    'cloudscan_cwp_host_scan_failure',
    'gauge',
    ['account', 'module', 'strategy_id', 'uuid', 'host', 'reason'],
    `1 for each host the latest CWP scan task of a module failed on, with the reason (DescribeScanTaskDetails FailType). Off with per_host_series: false. ${CACHED_HELP}`,
  ),
  hostRisks: family(
    'cloudscan_cwp_host_risks',
    'gauge',
    ['account', 'module', 'strategy_id', 'uuid', 'host'],
    `Risks the latest CWP scan task of a module found on a host (DescribeScanTaskDetails RiskNum); absent when the API returns none. Off with per_host_series: false. ${CACHED_HELP}`,
  ),
  hostInfo: family(
    'cloudscan_cwp_host_info',
    'gauge',
    ['account', 'module', 'strategy_id', 'uuid', 'host', 'ip', 'wan_ip', 'os'],
    `A host of the latest CWP scan task of a module: private IP (HostIp), public IP (MachineWanIp) and OS (OsName), "" when absent; always 1. Off with per_host_series: false. ${CACHED_HELP}`,
  ),
} as const;
