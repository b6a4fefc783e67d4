// The series of Tencent Cloud CWP: name, type, labels and help text. Dashboards, alerts and users depend on these names.
import { CACHED_HELP, family } from '../../shared/series.js';

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
} as const;
