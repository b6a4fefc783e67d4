// Tencent Cloud CWP's domain types: what its source hands to its renderer.
import type { Snapshot } from '../types.js';

export const CWP_MODULES = ['Malware', 'Vul', 'Baseline'] as const;
export type CwpModule = (typeof CWP_MODULES)[number];

/** ScanState 0..4 of DescribeScanState, in code order. */
export const CWP_SCAN_STATES = ['never_scanned', 'scanning', 'completed', 'stopping', 'stopped'] as const;
export type CwpScanState = (typeof CWP_SCAN_STATES)[number] | 'unknown';

/** Type 0..1 of DescribeScanState, in code order. */
export const CWP_TRIGGERS = ['one_click', 'scheduled'] as const;
export type CwpTrigger = (typeof CWP_TRIGGERS)[number] | 'unknown';

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
}

export interface TencentSnapshot extends Snapshot {
  provider: 'tencent';
  scans: CwpScanStatus[];
}

export function isTencentSnapshot(snapshot: Snapshot): snapshot is TencentSnapshot {
  return snapshot.provider === 'tencent' && Array.isArray((snapshot as Partial<TencentSnapshot>).scans);
}
