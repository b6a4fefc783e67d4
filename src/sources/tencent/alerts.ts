// Tencent Cloud CWP's part of prometheus/alerts.yml: its thresholds and the alerts on its scans.
import type { CloudAlerts } from '../../contract/alert-rules.js';
import { TENCENT_AUTH_CODES, TENCENT_PERMISSION_CODES, TENCENT_THROTTLING_CODES } from './errors.js';
import { TENCENT_PERMISSIONS } from './permissions.js';

export const TENCENT_THRESHOLDS = {
  cwp_scan_stuck_after: 'duration',
  cwp_scan_overdue_after: 'duration',
  cwp_risk_events_window: 'duration',
  cwp_hosts_missed_ratio: 'share',
  cwp_hosts_missed_for: 'duration',
} as const;

/** The keys that identify one CWP scan series (the module's latest scan) across families. */
export const CWP_SCAN_KEY = 'job, instance, account, module, strategy_id';
/** Names a CWP scan in a description: "module Vul" or "module Baseline (strategy 12)". */
const CWP_SCAN_NAME =
  'module {{ $labels.module }}{{ with $labels.strategy_id }} (baseline strategy {{ . }}){{ end }} of Tencent account {{ $labels.account }}';

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const tencentAlerts: CloudAlerts<typeof TENCENT_THRESHOLDS> = {
  thresholds: TENCENT_THRESHOLDS,
  codes: { auth: TENCENT_AUTH_CODES, permission: TENCENT_PERMISSION_CODES, throttling: TENCENT_THROTTLING_CODES },
  permissions: TENCENT_PERMISSIONS,
  groups: ({ heldRule, seconds }, t) => [
    {
      name: 'cloudscan-tencent-cwp',
      rules: [
        heldRule(
          'CloudscanCwpScanStuck',
          'warning',
          `
(time() - cloudscan_cwp_scan_start_timestamp_seconds)
  * on (${CWP_SCAN_KEY}) group_right ()
(cloudscan_cwp_scan_state{state=~"scanning|stopping"} == 1)
  > ${seconds(t.cwp_scan_stuck_after)}`,
          '5m',
          'A Tencent CWP scan is stuck in progress.',
          {
            known: `The scan of ${CWP_SCAN_NAME} started {{ $value | humanizeDuration }} ago and is still {{ $labels.state }} (threshold ${t.cwp_scan_stuck_after}).`,
            held: `The scan of ${CWP_SCAN_NAME} started more than ${t.cwp_scan_stuck_after} ago and was still {{ $labels.state }}.`,
          },
        ),
        heldRule(
          'CloudscanCwpScanOverdue',
          'warning',
          `
(
    (time() - cloudscan_cwp_scan_end_timestamp_seconds)
      * on (${CWP_SCAN_KEY}) group_right ()
    (cloudscan_cwp_scan_state{state=~"completed|stopped"} == 1)
  > ${seconds(t.cwp_scan_overdue_after)}
)
  or
cloudscan_cwp_scan_state{state="never_scanned"} == 1`,
          '1h',
          'A Tencent CWP module has not completed a scan recently.',
          {
            known: `{{ if eq $labels.state "never_scanned" }}${capitalised(CWP_SCAN_NAME)} has never been scanned{{ else }}The latest scan of ${CWP_SCAN_NAME} ended {{ $value | humanizeDuration }} ago, {{ $labels.state }}{{ end }}; no scan has completed within ${t.cwp_scan_overdue_after}.`,
            held: `{{ if eq $labels.state "never_scanned" }}${capitalised(CWP_SCAN_NAME)} had never been scanned{{ else }}The latest scan of ${CWP_SCAN_NAME} ended more than ${t.cwp_scan_overdue_after} ago, {{ $labels.state }}{{ end }}.`,
          },
        ),
        heldRule(
          'CloudscanCwpRiskEventsRising',
          'info',
          `
(
    cloudscan_cwp_scan_risk_events
  -
    max_over_time(cloudscan_cwp_scan_risk_events[${t.cwp_risk_events_window}] offset ${t.cwp_risk_events_window})
) > 0
  and on (${CWP_SCAN_KEY})
cloudscan_cwp_scan_state{state="completed"} == 1`,
          '0m',
          'A Tencent CWP scan found more risks than before.',
          {
            known: `The latest completed scan of ${CWP_SCAN_NAME} found {{ $value }} more risk events than any scan of it in the ${t.cwp_risk_events_window} before.`,
            held: `The latest completed scan of ${CWP_SCAN_NAME} found more risk events than any scan of it in the ${t.cwp_risk_events_window} before.`,
          },
        ),
        heldRule(
          'CloudscanCwpHostsMissed',
          'warning',
          `
(
    cloudscan_cwp_scan_hosts{result="failed"}
      / ignoring (result)
    sum without (result) (cloudscan_cwp_scan_hosts)
) > ${t.cwp_hosts_missed_ratio}
  and on (${CWP_SCAN_KEY})
cloudscan_cwp_scan_state{state="completed"} == 1`,
          t.cwp_hosts_missed_for,
          'A completed Tencent CWP scan missed many of its hosts.',
          {
            known: `The latest completed scan of ${CWP_SCAN_NAME} failed on {{ $value | humanizePercentage }} of its hosts (threshold ${t.cwp_hosts_missed_ratio * 100}%): cloudscan_cwp_scan_hosts_failed tells why (offline, timeout, failed, agent_outdated), cloudscan_cwp_host_scan_failure which hosts.`,
            held: `The latest completed scan of ${CWP_SCAN_NAME} failed on more than ${t.cwp_hosts_missed_ratio * 100}% of its hosts: cloudscan_cwp_scan_hosts_failed tells why (offline, timeout, failed, agent_outdated), cloudscan_cwp_host_scan_failure which hosts.`,
          },
        ),
      ],
    },
  ],
};
