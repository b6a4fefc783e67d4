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
  serverRead: family(
    'cloudscan_sas_server_read_timestamp_seconds',
    'gauge',
    ['account', 'uuid', 'instance'],
    `Unix time when the server's status was read (DescribeVulCheckTaskStatusDetail): a refresh reads only the servers whose status can have changed and serves the others' last answer, so time() minus this is the age of the server's data (at most full_read_interval). ${CACHED_HELP}`,
  ),
  oldestRead: family(
    'cloudscan_sas_oldest_server_read_timestamp_seconds',
    'gauge',
    ['account'],
    `Unix time of the oldest server answer served for the account (the smallest cloudscan_sas_server_read_timestamp_seconds; present with per_server_series false too); absent without servers. ${CACHED_HELP}`,
  ),
  refreshServers: family(
    'cloudscan_sas_refresh_servers',
    'gauge',
    ['account', 'reason'],
    'Servers of the last refresh by why it read each one, or served its last answer: new (no answer yet), no_signal (the list of vulnerability checks, DescribeOnceTask, could not be used: every server is read), unfinished (its last answer had a subtask not complete), task_list (a check started, ran or ended since its answer), interval (its answer was full_read_interval old), kept (served from its last answer, no call).',
  ),
  refreshCallsSaved: family(
    'cloudscan_sas_refresh_calls_saved_total',
    'counter',
    ['account'],
    'DescribeVulCheckTaskStatusDetail calls not made because the server\'s status could not have changed (cloudscan_sas_refresh_servers{reason="kept"}, summed over refreshes). Starts again at 0 when the account\'s data does (a restart, a reload that changes the account).',
  ),
  changeSignalFallbacks: family(
    'cloudscan_sas_change_signal_fallbacks_total',
    'counter',
    ['account', 'reason'],
    "Refreshes that read every server because the list of vulnerability checks could not be used: failed (DescribeOnceTask failed; cloudscan_api_errors_total has its code, the log says it each refresh), refused (refused for lack of yundun-sas:DescribeOnceTask: cloudscan_action_up 0, tried again every 10 minutes). Starts again at 0 when the account's data does.",
  ),
} as const;
