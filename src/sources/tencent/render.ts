// Tencent Cloud CWP snapshots -> samples: the pure mapping from what DescribeScanState said to series.
import type { SnapshotRenderer } from '../../shared/account-state.js';
import type { Family, Sample } from '../../shared/series.js';
import type { Snapshot } from '../types.js';
import { CWP } from './families.js';
import { CWP_SCAN_STATES, isTencentSnapshot, type TencentSnapshot } from './types.js';

const CWP_STATES_WITH_UNKNOWN = [...CWP_SCAN_STATES, 'unknown'] as const;

export const tencentRenderer: SnapshotRenderer = {
  families: Object.values(CWP),
  blocks: (snapshot: Snapshot) => (isTencentSnapshot(snapshot) ? [{ sources: undefined, samples: () => tencentSamples(snapshot) }] : []),
};

export function tencentSamples(snapshot: TencentSnapshot): Sample[] {
  const samples: Sample[] = [];
  for (const scan of snapshot.scans) {
    const labels = { account: snapshot.account, module: scan.module, strategy_id: scan.strategyId };
    for (const state of CWP_STATES_WITH_UNKNOWN) {
      samples.push({ family: CWP.scanState, labels: { ...labels, state }, value: scan.state === state ? 1 : 0 });
    }
    const optional: Array<[Family, number | null]> = [
      [CWP.progress, scan.progressRatio],
      [CWP.riskEvents, scan.riskEventCount],
      [CWP.vulnerabilities, scan.vulnerabilityCount],
      [CWP.startTime, scan.startTime],
      [CWP.endTime, scan.endTime],
    ];
    for (const [family, value] of optional) if (value !== null) samples.push({ family, labels, value });
    samples.push({
      family: CWP.info,
      labels: { ...labels, strategy_name: scan.strategyName, task_id: scan.taskId, trigger: scan.trigger },
      value: 1,
    });
  }
  return samples;
}
