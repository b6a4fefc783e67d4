// What the status page shows of a Tencent CWP account: each module's (and Baseline strategy's) latest
// scan, its state, progress and findings. DescribeScanState says nothing of single hosts, so no
// failing-server list.
import type { ScanSummary, SummaryRow, SummaryTone } from '../../shared/scan-summary.js';
import type { Snapshot } from '../types.js';
import { isTencentSnapshot, type CwpScanState, type CwpScanStatus } from './types.js';

const TONE: Record<CwpScanState, SummaryTone> = {
  never_scanned: 'idle',
  scanning: 'busy',
  completed: 'good',
  stopping: 'busy',
  stopped: 'bad',
  unknown: 'bad',
};

export function summarizeTencent(snapshot: Snapshot): ScanSummary {
  if (!isTencentSnapshot(snapshot)) return { tables: [] };
  return { tables: [{ title: 'CWP scans (latest task per module)', rows: snapshot.scans.map(scanRow) }] };
}

function scanRow(scan: CwpScanStatus): SummaryRow {
  const label =
    scan.strategyId === '' ? scan.module : `${scan.module}: ${scan.strategyName === '' ? 'strategy' : scan.strategyName} (${scan.strategyId})`;
  const parts: string[] = [scan.state.replace('_', ' ')];
  if (scan.progressRatio !== null && scan.state !== 'never_scanned') parts.push(`${Math.round(scan.progressRatio * 100)}%`);
  if (scan.vulnerabilityCount !== null) parts.push(`${scan.vulnerabilityCount} vulnerabilit${scan.vulnerabilityCount === 1 ? 'y' : 'ies'}`);
  if (scan.riskEventCount !== null) parts.push(`${scan.riskEventCount} risk event${scan.riskEventCount === 1 ? '' : 's'}`);
  if (scan.endTime !== null && scan.state === 'completed') parts.push(`ended ${utc(scan.endTime)}`);
  else if (scan.startTime !== null && scan.state !== 'never_scanned') parts.push(`started ${utc(scan.startTime)}`);
  return { label, value: parts.join(' · '), tone: TONE[scan.state] };
}

function utc(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
