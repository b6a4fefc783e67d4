// Tencent Cloud CWP's part of docs/metrics.md (scripts/metrics-doc.ts).
import { codeList } from '../../base/prose.js';
import type { CloudMetricsDoc } from '../../contract/metrics-doc.js';
import { CWP } from './families.js';
import { HOST_PAGE_SIZE, MACHINE_PAGE_SIZE, MAX_HOST_PAGES, MAX_MACHINE_PAGES } from './plan.js';
import { CWP_FAIL_TYPES, CWP_HOST_RESULTS, CWP_MODULES, CWP_SCAN_STATES, CWP_TRIGGERS } from './types.js';

const MAX_HOSTS = MAX_HOST_PAGES * HOST_PAGE_SIZE;
const MAX_MACHINES = MAX_MACHINE_PAGES * MACHINE_PAGE_SIZE;

export const tencentMetricsDoc: CloudMetricsDoc = {
  title: 'Tencent Cloud CWP',
  short: 'Tencent',
  text: [
    'From `DescribeScanState`: one set per account and module; for the Baseline module one set per',
    'baseline strategy (`strategy_id`), otherwise `strategy_id=""`.',
    '',
    "The hosts of each scan's latest task come from `DescribeScanTaskDetails` (`cloudscan_cwp_scan_hosts*`",
    "and `cloudscan_cwp_host_*`): a finished task's (completed or stopped) are read once per task id and",
    "reused on later refreshes, a running task's on every refresh, 100 hosts per call. They are absent",
    "for a module never scanned and until the task's hosts have been read. With `per_host_series: false`",
    'only `cloudscan_cwp_scan_hosts` and `cloudscan_cwp_scan_hosts_failed` are emitted.',
    '`cloudscan_cwp_host_info` carries what a dashboard table of failed hosts shows beside the name',
    '(IP, public IP, OS); join it on `account, module, strategy_id, uuid`.',
    '',
    'No remaining-time series: `ScanLeftTime` of `DescribeScanTaskDetails` is an Integer documented as',
    '"Remaining scan time" (API document DescribeScanTaskDetails, version 2018-02-28, last updated',
    '2024-08-27) and "扫描剩余时间" in the generated SDK\'s model (tencentcloud-sdk-nodejs 4.1.313,',
    "`cwp_models.d.ts`), with no unit in either, and the document's example value is 1. A",
    '`..._seconds` series would be a guess, so none is exported. `ScanProgress` names no unit either;',
    '`cloudscan_cwp_scan_progress_ratio` (from `Schedule`) is the progress.',
  ],
  families: Object.values(CWP),
  labelValues: [
    { label: '`module` (CWP)', values: codeList(CWP_MODULES) },
    { label: '`state` (CWP)', values: `${codeList([...CWP_SCAN_STATES, 'unknown'])} (ScanState 0 to 4; \`unknown\` for any other code)` },
    { label: '`trigger` (CWP)', values: `${codeList([...CWP_TRIGGERS, 'unknown'])} (Type 0 and 1)` },
    {
      label: '`result`, `state` (CWP hosts)',
      values: `${codeList([...CWP_HOST_RESULTS, 'unknown'])} (Status \`Ok\`, \`Fail\`, \`Scanning\`; \`unknown\` for any other)`,
    },
    {
      label: '`reason` (CWP hosts)',
      values: `${Object.entries(CWP_FAIL_TYPES)
        .map(([code, reason]) => `\`${reason}\` (FailType ${code})`)
        .join(', ')}, \`unknown\` (any other FailType of a failed host)`,
    },
    {
      label: '`uuid`, `host`, `ip`, `wan_ip`, `os` (CWP hosts)',
      values: `\`Uuid\`, \`HostName\`, \`HostIp\`, \`MachineWanIp\`, \`OsName\` of \`DescribeScanTaskDetails\`, bounded as below; a host without \`Uuid\` is counted but has no series of its own`,
    },
  ],
  codes: [],
  coverage: {
    listing: [
      "`DescribeMachines`, one call per machine type and region of the account's `coverage:`",
      '(and per further 100 machines), every `coverage.interval` (10 minutes by default); in between the',
      "last listing is served. Coverage from the machine's `InstanceStatus` (`STOPED`, the SDK model's",
      'spelling, and `STOPPED` both taken; `EXPIRED`), `MachineStatus` (`SHUTDOWN`) and `AgentStatus`',
      '(`ONLINE`, `OFFLINE`, `UNINSTALLED` in any case), the `MachineStatus` values `ONLINE`, `OFFLINE`,',
      '`UNINSTALLED` where `AgentStatus` says nothing known. Refused for lack of `cwp:DescribeMachines`,',
      'coverage is off and the account stays up ([permissions](permissions.md)).',
    ],
    uuid: "the machine's agent `Uuid`, or its `Quuid` (the CVM's id) when the API sends none (an agent offline for long, none installed), else its `InstanceId`",
    serverInfo: '`MachineName`, `InstanceId`, `MachineIp`, `MachineOs`, `AgentVersion`',
    perServerSeriesOff: 'per_host_series: false',
  },
  dropReasons: [
    { reason: 'hosts', bound: MAX_HOSTS, text: `hosts of one CWP task beyond the first ${MAX_HOSTS.toLocaleString('en-US')}` },
    {
      reason: 'servers',
      bound: MAX_MACHINES,
      text: `machines of one CWP coverage listing beyond the first ${MAX_MACHINES.toLocaleString('en-US')}`,
    },
  ],
  exampleAction: 'DescribeScanState',
};
