// Alibaba Cloud Security Center's domain types: what its source hands to its renderer.
import type { Snapshot } from '../types.js';

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
  /** TotalCount; null when absent. */
  taskCount: number | null;
  subtasks: SasSubtaskStatus[];
  /** Unix ms when this server's status was fetched (older than the snapshot when carried over). */
  fetchedAt: number;
}

export interface AlibabaSnapshot extends Snapshot {
  provider: 'alibaba';
  servers: SasServerStatus[];
}

export function isAlibabaSnapshot(snapshot: Snapshot): snapshot is AlibabaSnapshot {
  return snapshot.provider === 'alibaba' && Array.isArray((snapshot as Partial<AlibabaSnapshot>).servers);
}
