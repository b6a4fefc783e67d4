// The series of Alibaba Cloud Security Center: name, type, labels and help text. Dashboards, alerts and users depend on these names.
import { CACHED_HELP, family } from '../../shared/series.js';

export const SAS = {
  subtaskState: family(
    'cloudscan_sas_vul_check_subtask_state',
    'gauge',
    ['account', 'uuid', 'instance', 'task_id', 'type', 'state'],
    `State of a Security Center vulnerability-check subtask on a server (DescribeVulCheckTaskStatusDetail Status), one-hot: 1 for the current state; "unknown" for a code the exporter does not know. ${CACHED_HELP}`,
  ),
  subtaskFailed: family(
    'cloudscan_sas_vul_check_subtask_failed',
    'gauge',
    ['account', 'uuid', 'instance', 'task_id', 'type', 'code'],
    `1 for each Security Center vulnerability-check subtask that reports an error Code (DescribeVulCheckTaskStatusDetail Code). ${CACHED_HELP}`,
  ),
  subtasks: family(
    'cloudscan_sas_vul_check_subtasks',
    'gauge',
    ['account', 'type', 'state'],
    `Security Center vulnerability-check subtasks in each state, all servers of the account together. ${CACHED_HELP}`,
  ),
  tasks: family(
    'cloudscan_sas_vul_check_tasks',
    'gauge',
    ['account', 'uuid', 'instance'],
    `Vulnerability-check tasks on a server (DescribeVulCheckTaskStatusDetail TotalCount). ${CACHED_HELP}`,
  ),
} as const;
