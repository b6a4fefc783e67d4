// The series of Alibaba Cloud Security Center: name, type, labels and help text. Dashboards, alerts and users depend on these names.
import { CACHED_HELP, family } from '../../contract/series.js';

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
  serverSubtasks: family(
    'cloudscan_sas_server_vul_check_subtasks',
    'gauge',
    ['account', 'uuid', 'instance'],
    `Vulnerability-check subtasks on a server, as the API counts them (DescribeVulCheckTaskStatusDetail TotalCount); absent when the answer has none. ${CACHED_HELP}`,
  ),
  agentState: family(
    'cloudscan_sas_agent_state',
    'gauge',
    ['account', 'uuid', 'instance', 'state'],
    `State of the Security Center agent on a server (DescribeCloudCenterInstances ClientStatus), one-hot: online, offline, paused; "unknown" for any other value. Discovered servers only (servers: auto). ${CACHED_HELP}`,
  ),
  agents: family(
    'cloudscan_sas_agents',
    'gauge',
    ['account', 'state'],
    `Security Center agents in each state (online, offline, paused, unknown), all discovered servers of the account together; absent when the configuration lists the servers. ${CACHED_HELP}`,
  ),
  serverInfo: family(
    'cloudscan_sas_server_info',
    'gauge',
    ['account', 'uuid', 'instance', 'instance_id', 'region', 'ip', 'os'],
    `A server Security Center protects, as DescribeCloudCenterInstances lists it (InstanceId, RegionId, IP, Os); always 1. Discovered servers only. ${CACHED_HELP}`,
  ),
} as const;
