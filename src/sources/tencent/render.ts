// Tencent Cloud CWP snapshots -> samples: the pure mapping from what DescribeScanState and
// DescribeScanTaskDetails said to series; each task's hosts in blocks, so a block whose hosts were
// carried over (a finished task's) keeps its rendered text.
import type { SnapshotRenderer } from '../../contract/account-state.js';
import { inBlocks, type Family, type Sample, type SampleBlock } from '../../contract/series.js';
import type { Snapshot } from '../../contract/types.js';
import { CWP } from './families.js';
import { COVERAGE_FAMILIES, coverageCounts, coverageServerSamples } from '../coverage/render.js';
import {
  CWP_FAILURE_REASONS,
  CWP_HOST_RESULTS,
  CWP_SCAN_STATES,
  isTencentSnapshot,
  type CwpHostStatus,
  type CwpScanStatus,
  type TencentSnapshot,
} from './types.js';

const CWP_STATES_WITH_UNKNOWN = [...CWP_SCAN_STATES, 'unknown'] as const;
const HOST_RESULTS_WITH_UNKNOWN = [...CWP_HOST_RESULTS, 'unknown'] as const;
const FAILURE_REASONS_WITH_UNKNOWN = [...CWP_FAILURE_REASONS, 'unknown'] as const;

interface TencentRenderOptions {
  /** false keeps only the per-scan host counts and the servers counted by coverage. */
  perHostSeries: boolean;
}

export function tencentRenderer(options: TencentRenderOptions): SnapshotRenderer {
  return {
    families: [...Object.values(CWP), ...COVERAGE_FAMILIES],
    blocks: (snapshot: Snapshot) => (isTencentSnapshot(snapshot) ? tencentSampleBlocks(snapshot, options) : []),
  };
}

function tencentSampleBlocks(snapshot: TencentSnapshot, options: TencentRenderOptions): SampleBlock[] {
  const blocks: SampleBlock[] = [{ sources: undefined, samples: () => tencentSamples(snapshot) }];
  const coverage = snapshot.coverage;
  if (coverage !== undefined)
    blocks.push({ sources: undefined, samples: () => coverageCounts('tencent', snapshot.account, coverage.servers) });
  if (!options.perHostSeries) return blocks;
  for (const batch of inBlocks(coverage?.servers ?? [])) {
    blocks.push({ sources: batch, samples: () => batch.flatMap((server) => coverageServerSamples('tencent', snapshot.account, server)) });
  }
  for (const scan of snapshot.scans) {
    if (!scan.hosts) continue;
    const labels = scanLabels(snapshot.account, scan);
    for (const batch of inBlocks(scan.hosts.hosts)) blocks.push({ sources: batch, samples: () => hostSamples(labels, batch) });
  }
  return blocks;
}

function scanLabels(account: string, scan: CwpScanStatus): Record<string, string> {
  return { account, module: scan.module, strategy_id: scan.strategyId };
}

/** Each scan's series: its state, progress, findings, identity, and its task's hosts counted. */
function tencentSamples(snapshot: TencentSnapshot): Sample[] {
  const samples: Sample[] = [];
  for (const scan of snapshot.scans) {
    const labels = scanLabels(snapshot.account, scan);
    for (const state of CWP_STATES_WITH_UNKNOWN) {
      samples.push({ family: CWP.scanState, labels: { ...labels, state }, value: scan.state === state ? 1 : 0 });
    }
    const optional: Array<[Family, number | null]> = [
      [CWP.progress, scan.progressRatio],
      [CWP.riskEvents, scan.riskEventCount],
      [CWP.vulnerabilities, scan.vulnerabilityCount],
      [CWP.startTime, scan.startTime],
      [CWP.endTime, scan.endTime],
      [CWP.windowsPatches, scan.kbCount],
    ];
    for (const [family, value] of optional) if (value !== null) samples.push({ family, labels, value });
    samples.push({
      family: CWP.info,
      labels: { ...labels, strategy_name: scan.strategyName, task_id: scan.taskId, trigger: scan.trigger },
      value: 1,
    });
    if (!scan.hosts) continue;
    for (const result of HOST_RESULTS_WITH_UNKNOWN) {
      samples.push({ family: CWP.hosts, labels: { ...labels, result }, value: scan.hosts.byResult[result] });
    }
    for (const reason of FAILURE_REASONS_WITH_UNKNOWN) {
      samples.push({ family: CWP.hostsFailed, labels: { ...labels, reason }, value: scan.hosts.byReason[reason] });
    }
  }
  return samples;
}

/** Each host's series: its one-hot result, its failure reason, its risks and what it is. */
function hostSamples(scanLabels: Record<string, string>, hosts: readonly CwpHostStatus[]): Sample[] {
  const samples: Sample[] = [];
  for (const host of hosts) {
    const labels = { ...scanLabels, uuid: host.uuid, host: host.host };
    for (const state of HOST_RESULTS_WITH_UNKNOWN) {
      samples.push({ family: CWP.hostScanState, labels: { ...labels, state }, value: host.result === state ? 1 : 0 });
    }
    if (host.reason !== '') samples.push({ family: CWP.hostScanFailure, labels: { ...labels, reason: host.reason }, value: 1 });
    if (host.risks !== null) samples.push({ family: CWP.hostRisks, labels, value: host.risks });
    samples.push({ family: CWP.hostInfo, labels: { ...labels, ip: host.ip, wan_ip: host.wanIp, os: host.os }, value: 1 });
  }
  return samples;
}
