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

export interface AlibabaSnapshot extends Snapshot {
  provider: 'alibaba';
  servers: SasServerStatus[];
  /**
   * Every discovered server's agent, in discovery order. Absent when the configuration lists the
   * servers: then discovery, the only call that reports agents, is not made.
   */
  agents?: SasAgent[];
}

export function isAlibabaSnapshot(snapshot: Snapshot): snapshot is AlibabaSnapshot {
  return snapshot.provider === 'alibaba' && Array.isArray((snapshot as Partial<AlibabaSnapshot>).servers);
}
