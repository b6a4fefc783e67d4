// Alibaba Cloud Security Center's part of docs/metrics.md (scripts/metrics-doc.ts).
import { codeList } from '../../base/prose.js';
import { MAX_SUBTASKS_PER_SERVER } from '../../contract/labels.js';
import type { CloudMetricsDoc } from '../../contract/metrics-doc.js';
import { SAS } from './families.js';
import { SAS_AGENT_STATES, SAS_SUBTASK_STATES, SAS_VUL_TYPES } from './types.js';

export const alibabaMetricsDoc: CloudMetricsDoc = {
  title: 'Alibaba Cloud Security Center (SAS)',
  short: 'Alibaba',
  text: [
    'From `DescribeVulCheckTaskStatusDetail`, one call per server; servers come from the configuration',
    "or from `DescribeCloudCenterInstances` (`servers: auto`), whose answer also gives each server's",
    'Security Center agent state (`ClientStatus`), instance ID, region, IP and OS: the agent and server',
    'series, at no extra call. With servers listed in the configuration discovery is not called, so the',
    'agent and server series are absent (not known, rather than a made-up zero). With',
    `\`per_server_series: false\` only the counts are emitted: \`${SAS.subtasks.name}\` and \`${SAS.agents.name}\`.`,
    '',
    `\`${SAS.serverSubtasks.name}\` was \`cloudscan_sas_vul_check_tasks\` up to version 0.1.0:`,
    '`TotalCount` counts subtasks, not tasks ([CHANGELOG](../CHANGELOG.md)).',
  ],
  families: Object.values(SAS),
  labelValues: [
    { label: '`type` (SAS)', values: codeList(SAS_VUL_TYPES) },
    { label: '`state` (SAS)', values: `${codeList([...SAS_SUBTASK_STATES, 'unknown'])} (Status 0 to 4; \`unknown\` for any other code)` },
    {
      label: `\`state\` (\`${SAS.agentState.name}\`, \`${SAS.agents.name}\`)`,
      values: `${codeList([...SAS_AGENT_STATES, 'unknown'])} (ClientStatus \`online\`, \`offline\`, \`pause\`; \`unknown\` for any other value)`,
    },
    {
      label: `\`ip\` (\`${SAS.serverInfo.name}\`)`,
      values: "the server's `Ip` as Security Center lists it; its `IntranetIp`, then `InternetIp`, when `Ip` is empty",
    },
  ],
  codes: [
    {
      label: `\`code\` (\`${SAS.subtaskFailed.name}\`)`,
      values: "the subtask's failure code as the API reports it, e.g. `push_command_failed`",
    },
  ],
  coverage: {
    listing: [
      'discovery (`DescribeCloudCenterInstances`, `servers: auto`), at no extra call:',
      '`ClientSubStatus` (`online`, `offline`, `pause`, `uninstalled`, `stopped`), `ClientStatus` where',
      "it says nothing known, and the instance's `Status` (`notRunning`: stopped). With servers listed",
      'in the configuration coverage is not known and these series are absent.',
    ],
    uuid: "the asset's `Uuid`",
    serverInfo: '`InstanceName`, `InstanceId`, `Ip`, `Os`, and no agent version (its listing names none: `""`)',
    perServerSeriesOff: 'per_server_series: false',
  },
  dropReasons: [
    {
      reason: 'subtasks',
      bound: MAX_SUBTASKS_PER_SERVER,
      text: `subtasks beyond the first ${MAX_SUBTASKS_PER_SERVER} of one server answer`,
    },
  ],
  exampleAction: 'DescribeVulCheckTaskStatusDetail',
};
