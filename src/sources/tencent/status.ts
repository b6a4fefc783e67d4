// What the status page shows of a Tencent CWP account: each module's (and Baseline strategy's) latest
// scan, its state, progress, findings and hosts; and the hosts those scans failed on (with the
// module and reason), the first ones as the API listed them. One pass over the snapshot.
import { FAILING_LISTED, type FailingList, type ScanSummary, type SummaryRow, type SummaryTone } from '../../contract/scan-summary.js';
import type { Snapshot } from '../../contract/types.js';
import { describeTarget } from './map.js';
import { isTencentSnapshot, type CwpHostStatus, type CwpScanState, type CwpScanStatus } from './types.js';
import { coverageTable, uncoveredServers } from '../coverage/status.js';

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
  const machines = snapshot.coverage?.servers;
  return {
    tables: [
      { title: 'CWP scans (latest task per module)', rows: snapshot.scans.map(scanRow) },
      coverageTable(machines, 'coverage is off, refused, or not read yet (DescribeMachines)'),
    ],
    ...(machines === undefined ? {} : { attention: [uncoveredServers(machines)] }),
    failing: failingHosts(snapshot.scans),
  };
}

/** Hosts a scan failed on, each once (its failures in every module together), in the order listed. */
function failingHosts(scans: readonly CwpScanStatus[]): FailingList {
  const failing = new Map<string, { host: CwpHostStatus; failures: string[] }>();
  for (const scan of scans) {
    for (const host of scan.hosts?.hosts ?? []) {
      if (host.result !== 'failed') continue;
      const entry = failing.get(host.uuid) ?? { host, failures: [] };
      failing.set(host.uuid, entry);
      const why = host.description === undefined ? host.reason.replace('_', ' ') : `${host.reason} (${host.description})`;
      if (entry.failures.length < 6) entry.failures.push(`${describeTarget(scan)}: ${why}`);
    }
  }
  return {
    title: 'Hosts the latest scans failed on',
    total: failing.size,
    first: [...failing.values()].slice(0, FAILING_LISTED).map(({ host, failures }) => ({
      name: `${host.host === '' ? host.uuid : `${host.host} (${host.uuid})`}${host.ip === '' ? '' : `, ${host.ip}`}`,
      detail: failures.join(', '),
    })),
  };
}

function scanRow(scan: CwpScanStatus): SummaryRow {
  const label =
    scan.strategyId === ''
      ? scan.module
      : `${scan.module}: ${scan.strategyName === '' ? 'strategy' : scan.strategyName} (${scan.strategyId})`;
  const parts: string[] = [scan.state.replace('_', ' ')];
  if (scan.progressRatio !== null && scan.state !== 'never_scanned') parts.push(`${Math.round(scan.progressRatio * 100)}%`);
  if (scan.vulnerabilityCount !== null) parts.push(`${scan.vulnerabilityCount} vulnerabilit${scan.vulnerabilityCount === 1 ? 'y' : 'ies'}`);
  if (scan.riskEventCount !== null) parts.push(`${scan.riskEventCount} risk event${scan.riskEventCount === 1 ? '' : 's'}`);
  if (scan.hosts) {
    const hosts = Object.values(scan.hosts.byResult).reduce((sum, n) => sum + n, 0);
    const failed = scan.hosts.byResult.failed;
    parts.push(`${hosts} host${hosts === 1 ? '' : 's'}${failed > 0 ? `, ${failed} failed` : ''}`);
  }
  if (scan.endTime !== null && scan.state === 'completed') parts.push(`ended ${utc(scan.endTime)}`);
  else if (scan.startTime !== null && scan.state !== 'never_scanned') parts.push(`started ${utc(scan.startTime)}`);
  return { label, value: parts.join(' · '), tone: TONE[scan.state] };
}

function utc(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
