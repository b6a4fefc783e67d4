// Alibaba Cloud Security Center's domain types: what its source hands to its renderer.
import type { CoveredServer } from '../coverage/coverage.js';
import type { Snapshot } from '../../contract/types.js';

export const SAS_VUL_TYPES = ['cve', 'sys', 'cms', 'sca'] as const;
export type SasVulType = (typeof SAS_VUL_TYPES)[number];

/** Status "0".."4" of DescribeVulCheckTaskStatusDetail, in code order. */
export const SAS_SUBTASK_STATES = ['unhandled', 'collecting', 'collected', 'matching', 'complete'] as const;
export type SasSubtaskState = (typeof SAS_SUBTASK_STATES)[number] | 'unknown';

export interface SasSubtaskStatus {
  taskId: string;
  /** cve, sys, cms, sca, or whatever else the API sent. */
  type: string;
  state: SasSubtaskState;
  /** Failure code; "" when the API sent none. */
  code: string;
}

export interface SasServerStatus {
  uuid: string;
  instanceName: string;
  /** TotalCount: the server's vulnerability-check subtasks as the API counts them; null when absent (it is optional). */
  subtaskTotal: number | null;
  subtasks: SasSubtaskStatus[];
  /** Unix ms when this server's status was fetched (older than the snapshot when carried over). */
  fetchedAt: number;
}

/** ClientStatus of DescribeCloudCenterInstances (online, offline, pause), named as the exporter exports them. */
export const SAS_AGENT_STATES = ['online', 'offline', 'paused'] as const;
export type SasAgentState = (typeof SAS_AGENT_STATES)[number] | 'unknown';

/**
 * A server as discovery (DescribeCloudCenterInstances) lists it: who it is, how its Security Center
 * agent is (ClientStatus), and its coverage (ClientSubStatus and the instance's Status). The listing
 * names no agent version: agentVersion is "". Never changed once made.
 */
export interface SasAgent extends CoveredServer {
  /** The `instance` label: InstanceName (InstanceId when the API sends no name). */
  instanceName: string;
  /** RegionId. */
  region: string;
  /** Ip (IntranetIp, then InternetIp, when Ip is empty). */
  ip: string;
  state: SasAgentState;
}

/** A vulnerability check as the task list (DescribeOnceTask) showed it: what tells that it started, progressed or ended. */
export interface VulCheckMark {
  /** TaskId (a check listed without one: by its start). */
  taskId: string;
  /** TaskStatus as sent: "1" started, "2" completed, "3" failed, "4" timed out. */
  status: string;
  /** Progress as sent, e.g. "40%". */
  progress: string;
  /** TaskStartTime and TaskEndTime: Unix ms, the cloud's; null when not sent. */
  startedAt: number | null;
  endedAt: number | null;
}

/** TaskStatus of a check that has ended: completed, failed, timed out. Any other (1 started, or a code not documented) runs. */
const ENDED = new Set(['2', '3', '4']);

/** Whether a check has ended (completed, failed or timed out). */
export function hasEnded(mark: VulCheckMark): boolean {
  return ENDED.has(mark.status);
}

/** The account's vulnerability checks as a refresh listed them (change-signal.ts). */
export interface TaskListState {
  /** Unix ms (the exporter's clock): when it was asked for, before any server of that refresh was read. */
  listedAt: number;
  tasks: VulCheckMark[];
  /** Unix ms: the last list that showed a check started, running, progressed or ended. A server's answer older than this is read again. */
  changedAt: number;
}

/**
 * Why a refresh read a server, or served its last answer (kept): new (no answer yet), no_signal (the
 * task list could not be used: every server is read), unfinished (its last answer had a subtask not
 * complete), task_list (a check started, ran or ended since its answer), interval (its answer is
 * full_read_interval old).
 */
export const SERVER_READS = ['new', 'no_signal', 'unfinished', 'task_list', 'interval', 'kept'] as const;
export type ServerRead = (typeof SERVER_READS)[number];

/** Why a refresh could not use the task list, counted: it failed, or is refused for lack of permission. */
export const SIGNAL_FALLBACKS = ['failed', 'refused'] as const;
type SignalFallback = (typeof SIGNAL_FALLBACKS)[number];

/** What the refreshes read, and what they did not have to. */
export interface ServerReads {
  /** The last refresh's servers by why they were read or kept. */
  last: Record<ServerRead, number>;
  /** DescribeVulCheckTaskStatusDetail calls not made (servers kept), since the account's data began. */
  savedTotal: number;
  /** Refreshes that read every server because the task list could not be used, since the account's data began. */
  fallbacksTotal: Record<SignalFallback, number>;
}

export interface AlibabaSnapshot extends Snapshot {
  provider: 'alibaba';
  servers: SasServerStatus[];
  /**
   * Every discovered server's agent, in discovery order. Absent when the configuration lists the
   * servers: then discovery, the only call that reports agents, is not made.
   */
  agents?: SasAgent[];
  /** The task list of the refresh, when it could be read (the next refresh compares its own with it). */
  taskList?: TaskListState;
  /** What was read and why (every snapshot AlibabaSource makes has it). */
  reads?: ServerReads;
}

export function isAlibabaSnapshot(snapshot: Snapshot): snapshot is AlibabaSnapshot {
  return snapshot.provider === 'alibaba' && Array.isArray((snapshot as Partial<AlibabaSnapshot>).servers);
}
