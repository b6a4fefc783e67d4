// Tencent Cloud CWP's domain types: what its source hands to its renderer.
import type { ServerCoverage } from '../coverage/coverage.js';
import type { Snapshot } from '../../contract/types.js';

export const CWP_MODULES = ['Malware', 'Vul', 'Baseline'] as const;
export type CwpModule = (typeof CWP_MODULES)[number];

/** ScanState 0..4 of DescribeScanState, in code order. */
export const CWP_SCAN_STATES = ['never_scanned', 'scanning', 'completed', 'stopping', 'stopped'] as const;
export type CwpScanState = (typeof CWP_SCAN_STATES)[number] | 'unknown';

/** Type 0..1 of DescribeScanState, in code order. */
export const CWP_TRIGGERS = ['one_click', 'scheduled'] as const;
export type CwpTrigger = (typeof CWP_TRIGGERS)[number] | 'unknown';

/** A host's result in a scan task (DescribeScanTaskDetails Status Ok, Fail, Scanning), in exposition order. */
export const CWP_HOST_RESULTS = ['ok', 'failed', 'scanning'] as const;
export type CwpHostResult = (typeof CWP_HOST_RESULTS)[number] | 'unknown';

/** Why a host failed (DescribeScanTaskDetails FailType), by code. */
export const CWP_FAIL_TYPES = { 3: 'offline', 4: 'timeout', 5: 'failed', 8: 'agent_outdated' } as const;
export const CWP_FAILURE_REASONS = ['offline', 'timeout', 'failed', 'agent_outdated'] as const;
/** The longest Description kept of a host failed for a reason the FailType does not name. */
export const MAX_DESCRIPTION = 200;
export type CwpFailureReason = (typeof CWP_FAILURE_REASONS)[number] | 'unknown';

/** One host of a scan task. Never changed once made: a rendered block of hosts is reused while the same objects are. */
export interface CwpHostStatus {
  uuid: string;
  /** HostName; "" when absent. */
  host: string;
  /** HostIp, MachineWanIp, OsName; "" when absent. */
  ip: string;
  wanIp: string;
  os: string;
  result: CwpHostResult;
  /** For a failed host, why; "" for the others. */
  reason: CwpFailureReason | '';
  /**
   * For a failed host whose FailType is none of the known codes (reason "unknown"): its
   * Description, which says why (one line, at most MAX_DESCRIPTION characters). Shown on the
   * status page and the debug probe, never a label: the reasons stay a bounded set.
   */
  description?: string;
  /** RiskNum; null when absent. */
  risks: number | null;
}

/** The hosts of one scan task (DescribeScanTaskDetails, all pages). */
export interface CwpTaskHosts {
  /** The task they belong to (CwpScanStatus.taskId). */
  taskId: string;
  /** Read after the task had finished (completed or stopped): final, so not read again for this task. */
  final: boolean;
  /** Unix ms when they were read (older than the snapshot when carried over). */
  fetchedAt: number;
  /** Hosts with a Uuid, each once, in the order the API listed them. */
  hosts: readonly CwpHostStatus[];
  /** Every listed host by result, and the failed ones by reason (hosts without a Uuid included). */
  byResult: Readonly<Record<CwpHostResult, number>>;
  byReason: Readonly<Record<CwpFailureReason, number>>;
}

export interface CwpScanStatus {
  module: CwpModule;
  /** Baseline strategy id; "" for Malware and Vul. */
  strategyId: string;
  strategyName: string;
  state: CwpScanState;
  /** Schedule / 100; null when the API sent none. */
  progressRatio: number | null;
  riskEventCount: number | null;
  /** Number of VulId entries; null when VulId was null. */
  vulnerabilityCount: number | null;
  /** Unix seconds; null when absent or unparsable. */
  startTime: number | null;
  endTime: number | null;
  /** Decimal string; big integers keep their digits. "" when absent. */
  taskId: string;
  trigger: CwpTrigger;
  /** Number of KBNumber entries (Windows KB patches the scan covered); null when KBNumber was null. */
  kbCount: number | null;
  /** The task's hosts; absent when the scan has no task, or they could not be read. */
  hosts?: CwpTaskHosts;
}

export interface TencentSnapshot extends Snapshot {
  provider: 'tencent';
  scans: CwpScanStatus[];
  /** The machines of the configured types and regions with their agents (DescribeMachines); absent while coverage is off or not yet read. */
  coverage?: ServerCoverage;
}

export function isTencentSnapshot(snapshot: Snapshot): snapshot is TencentSnapshot {
  return snapshot.provider === 'tencent' && Array.isArray((snapshot as Partial<TencentSnapshot>).scans);
}
