// The hosts of an emulated CWP account and how each fares in a scan task: a deterministic function
// of the task and of how far it has got, so a test knows what DescribeScanTaskDetails will answer,
// and the demo shows hosts that are offline, time out, fail or run an agent too old to scan.
import { createHash } from 'node:crypto';

/**
 * Why a host is not scanned, as DescribeScanTaskDetails' FailType says it: the four codes its model
 * documents, and `other`, a failure the cloud gives no documented FailType for (0), said only in
 * the host's Description, as real tasks have.
 */
const FAIL_TYPES = { offline: 3, timeout: 4, failed: 5, agent_outdated: 8, other: 0 } as const;
type HostFailure = keyof typeof FAIL_TYPES;

export interface TencentEmulatedHost {
  uuid: string;
  name: string;
  ip: string;
  wanIp?: string;
  os?: string;
  /** Every scan task fails on this host for this reason; absent: the host is scanned. */
  failure?: HostFailure;
  /** The Description of its failure; default "scan failed: <failure>". */
  description?: string;
}

function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A UUID-shaped id derived from a name. */
function uuidFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** In a generated fleet, one host in 20 at these positions fails for this reason: 30% of all hosts. */
const GENERATED_FAILURES: Readonly<Record<number, HostFailure>> = {
  3: 'offline',
  8: 'timeout',
  11: 'other',
  13: 'failed',
  17: 'agent_outdated',
  19: 'offline',
};
/** What a generated host failing without a documented FailType says of it. */
export const GENERATED_OTHER_FAILURE = 'the agent reported no result: not enough disk space to unpack the scan rules';

/** Host i (0-based) of a generated fleet. */
function generatedHost(account: string, index: number): TencentEmulatedHost {
  const failure = GENERATED_FAILURES[index % 20];
  return {
    uuid: uuidFor(`${account}/host/${index}`),
    name: `${account}-cvm-${String(index + 1).padStart(3, '0')}`,
    ip: `172.16.${(index >> 8) & 255}.${index & 255}`,
    wanIp: index % 3 === 0 ? `203.0.113.${index % 250}` : '',
    os: index % 4 === 3 ? 'Windows Server 2019' : 'TencentOS Server 3.1',
    ...(failure ? { failure } : {}),
    ...(failure === 'other' ? { description: GENERATED_OTHER_FAILURE } : {}),
  };
}

export function generatedHosts(account: string, size: number): TencentEmulatedHost[] {
  return Array.from({ length: size }, (_, i) => generatedHost(account, i));
}

/** What a scan task is, as far as its hosts are concerned. */
export interface TaskProgress {
  /** The task runs (ScanState 1 or 3), at Schedule percent; otherwise it has finished. */
  running: boolean;
  schedule: number;
  scanBeginTime: string | null;
  scanEndTime: string | null;
  /** The emulator's time, as the API writes times: when a host of a running task finished. */
  now: string;
}

/**
 * One host's entry of ScanTaskDetailList. While the task runs, a host is done once the task's
 * progress passes the host's own point (an offline host at once: there is nothing to wait for);
 * once done it is Ok, or Fail with its FailType.
 */
export function hostEntry(taskKey: string, host: TencentEmulatedHost, index: number, task: TaskProgress): Record<string, unknown> {
  const point = hash32(`${taskKey}/${host.uuid}`) % 100;
  const done = !task.running || host.failure === 'offline' || point < task.schedule;
  const status = !done ? 'Scanning' : host.failure ? 'Fail' : 'Ok';
  return {
    Id: index + 1,
    Uuid: host.uuid,
    Quuid: host.uuid,
    HostName: host.name,
    HostIp: host.ip,
    MachineWanIp: host.wanIp ?? '',
    OsName: host.os ?? '',
    Status: status,
    FailType: status === 'Fail' ? FAIL_TYPES[host.failure!] : 0,
    RiskNum: status === 'Ok' ? point % 4 : 0,
    Description: status === 'Fail' ? (host.description ?? `scan failed: ${host.failure}`) : '',
    ScanBeginTime: task.scanBeginTime,
    ScanEndTime: done ? (task.scanEndTime ?? task.now) : null,
    MachineExtraInfo: {
      WanIP: host.wanIp ?? '',
      PrivateIP: host.ip,
      NetworkType: 1,
      NetworkName: 'vpc-emulated',
      InstanceID: `ins-${host.uuid.slice(0, 8)}`,
      HostName: host.name,
    },
  };
}

/** The task-level fields of DescribeScanTaskDetails for all of a task's host entries. */
export function taskSummary(entries: ReadonlyArray<Record<string, unknown>>, task: TaskProgress, type: unknown): Record<string, unknown> {
  const risky = entries.filter((e) => Number(e['RiskNum']) > 0);
  const risks = risky.reduce((sum, e) => sum + Number(e['RiskNum']), 0);
  return {
    TotalCount: entries.length,
    ScanMachineCount: entries.length,
    RiskMachineCount: risky.length,
    ScanBeginTime: task.scanBeginTime,
    ScanEndTime: task.running ? null : task.scanEndTime,
    ScanTime: 0,
    ScanProgress: task.running ? task.schedule : 100,
    // The documents give no unit; the emulator sends seconds, nothing reads it as such.
    ScanLeftTime: task.running ? Math.round((100 - task.schedule) * 6) : 0,
    ScanContent: [],
    VulInfo: null,
    RiskEventCount: risks,
    Type: type,
    StoppingAll: false,
    VulCount: risks,
  };
}
