// Alibaba Cloud Security Center's part of prometheus/alerts.yml: its thresholds and the alerts on its
// vulnerability checks and agents.
import type { CloudAlerts } from '../../contract/alert-rules.js';
import { ALIBABA_AUTH_CODES, ALIBABA_PERMISSION_CODES, ALIBABA_THROTTLING_CODES } from './errors.js';
import { ALIBABA_PERMISSIONS } from './permissions.js';

const ALIBABA_THRESHOLDS = {
  sas_subtask_failed_for: 'duration',
  sas_subtask_stuck_for: 'duration',
  sas_agent_offline_for: 'duration',
} as const;

const SAS_SERVER_NAME =
  'server {{ with $labels.exported_instance }}{{ . }} ({{ $labels.uuid }}){{ else }}{{ $labels.uuid }}{{ end }} of Alibaba account {{ $labels.account }}';
const SAS_SUBTASK_NAME =
  'The {{ $labels.type }} subtask of task {{ $labels.task_id }} on server {{ with $labels.exported_instance }}{{ . }} ({{ $labels.uuid }}){{ else }}{{ $labels.uuid }}{{ end }} of Alibaba account {{ $labels.account }}';

export const alibabaAlerts: CloudAlerts<typeof ALIBABA_THRESHOLDS> = {
  thresholds: ALIBABA_THRESHOLDS,
  codes: { auth: ALIBABA_AUTH_CODES, permission: ALIBABA_PERMISSION_CODES, throttling: ALIBABA_THROTTLING_CODES },
  permissions: ALIBABA_PERMISSIONS,
  groups: ({ heldRule }, t) => [
    {
      name: 'cloudscan-alibaba-sas',
      rules: [
        heldRule(
          'CloudscanSasSubtaskFailed',
          'warning',
          'cloudscan_sas_vul_check_subtask_failed == 1',
          t.sas_subtask_failed_for,
          'An Alibaba Security Center vulnerability check failed on a server.',
          `${SAS_SUBTASK_NAME} reports error code {{ $labels.code }}.`,
        ),
        heldRule(
          'CloudscanSasSubtaskStuck',
          'warning',
          'cloudscan_sas_vul_check_subtask_state{state=~"unhandled|collecting|collected|matching"} == 1',
          t.sas_subtask_stuck_for,
          'An Alibaba Security Center vulnerability check is stuck before completing.',
          `${SAS_SUBTASK_NAME} has been {{ $labels.state }} for ${t.sas_subtask_stuck_for}.`,
        ),
        heldRule(
          'CloudscanSasAgentOffline',
          'warning',
          'cloudscan_sas_agent_state{state="offline"} == 1',
          t.sas_agent_offline_for,
          'The Alibaba Security Center agent of a server is offline, so its scans miss it.',
          `The Security Center agent on ${SAS_SERVER_NAME} has been offline for ${t.sas_agent_offline_for}: no vulnerability check can run there until it is back online.`,
        ),
      ],
    },
  ],
};
