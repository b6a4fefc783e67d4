// Snapshots -> samples: the pure mapping from what the clouds said to series, before prom-client.
import {
  CWP_SCAN_STATES,
  SAS_SUBTASK_STATES,
  type AlibabaSnapshot,
  type SasServerStatus,
  type TencentSnapshot,
} from '../sources/types.js';
import type { AccountState, RenderOptions } from '../shared/account-state.js';
import { CWP, HEALTH, SAS, type Family } from './families.js';
import { ItemMemo } from './item-memo.js';

export interface Sample {
  family: Family;
  labels: Record<string, string>;
  value: number;
}

const CWP_STATES_WITH_UNKNOWN = [...CWP_SCAN_STATES, 'unknown'] as const;
const SAS_STATES_WITH_UNKNOWN = [...SAS_SUBTASK_STATES, 'unknown'] as const;

/**
 * Some of an account's samples, in exposition order. `sources`, when set, are the immutable items
 * of a snapshot they are made from alone (servers' statuses): while a later snapshot holds the
 * same objects, the samples are the same, so their rendered text can be reused. A rolling refresh
 * of a large fleet replaces a few servers at a time, so a scrape renders the blocks of those only.
 */
export interface SampleBlock {
  sources: readonly object[] | undefined;
  samples(): Sample[];
}

/** Servers per block: small, so a rolling refresh re-renders little beside the servers it replaced; big enough to compress well. */
export const SERVERS_PER_BLOCK = 25;

export function accountSampleBlocks(state: AccountState, options: RenderOptions): SampleBlock[] {
  const snapshot = state.snapshot;
  const health: SampleBlock = { sources: undefined, samples: () => healthSamples(state) };
  if (snapshot?.provider === 'tencent') return [health, { sources: undefined, samples: () => tencentSamples(snapshot) }];
  if (snapshot?.provider === 'alibaba') {
    const servers: SampleBlock[] = options.perServerSeries
      ? serverBlocks(snapshot).map((batch) => ({ sources: batch, samples: () => batch.flatMap((server) => alibabaServerSamples(snapshot.account, server)) }))
      : [];
    return [health, ...servers, { sources: undefined, samples: () => alibabaSubtaskCounts(snapshot, options) }];
  }
  return [health];
}

export function accountSamples(state: AccountState, options: RenderOptions): Sample[] {
  // concat, not push(...): a large fleet has more samples than a call may take arguments.
  return accountSampleBlocks(state, options).reduce<Sample[]>((all, block) => all.concat(block.samples()), []);
}

export function healthSamples(state: AccountState): Sample[] {
  const labels = { provider: state.provider, account: state.account };
  const samples: Sample[] = [{ family: HEALTH.up, labels, value: state.up ? 1 : 0 }];
  if (state.lastSuccessAt !== undefined) {
    samples.push({ family: HEALTH.lastSuccess, labels, value: state.lastSuccessAt / 1000 });
  }
  if (state.lastDurationSeconds !== undefined) {
    samples.push({ family: HEALTH.collectDuration, labels, value: state.lastDurationSeconds });
  }
  if (state.lastRefreshCalls !== undefined) {
    samples.push({ family: HEALTH.refreshFailedCalls, labels, value: state.lastRefreshCalls.failed });
  }
  return samples;
}

/** Samples whose values move between changes of the state (progress, age): rendered on every scrape. */
export function liveSamples(state: AccountState, now: number): Sample[] {
  const labels = { provider: state.provider, account: state.account };
  const { refresh, snapshot } = state;
  const progress = refresh === undefined ? 1 : refresh.total > 0 ? Math.min(1, refresh.done / refresh.total) : 0;
  const samples: Sample[] = [{ family: HEALTH.refreshProgress, labels, value: progress }];
  if (snapshot !== undefined) {
    samples.push({ family: HEALTH.dataAge, labels, value: Math.max(0, now - snapshot.takenAt) / 1000 });
  }
  return samples;
}

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

export function alibabaSamples(snapshot: AlibabaSnapshot, options: RenderOptions): Sample[] {
  const perServer = options.perServerSeries ? snapshot.servers.flatMap((server) => alibabaServerSamples(snapshot.account, server)) : [];
  return perServer.concat(alibabaSubtaskCounts(snapshot, options));
}

/** One server's series: its task count, and each subtask's one-hot state and failure code. */
export function alibabaServerSamples(account: string, server: SasServerStatus): Sample[] {
  const samples: Sample[] = [];
  const serverLabels = { account, uuid: server.uuid, instance: server.instanceName };
  if (server.taskCount !== null) samples.push({ family: SAS.tasks, labels: serverLabels, value: server.taskCount });
  for (const subtask of server.subtasks) {
    const labels = { ...serverLabels, task_id: subtask.taskId, type: subtask.type };
    for (const state of SAS_STATES_WITH_UNKNOWN) {
      samples.push({ family: SAS.subtaskState, labels: { ...labels, state }, value: subtask.state === state ? 1 : 0 });
    }
    if (subtask.code !== '') {
      samples.push({ family: SAS.subtaskFailed, labels: { ...labels, code: subtask.code }, value: 1 });
    }
  }
  return samples;
}

/** The snapshot's servers in blocks of SERVERS_PER_BLOCK, by position. */
function serverBlocks(snapshot: AlibabaSnapshot): SasServerStatus[][] {
  const blocks: SasServerStatus[][] = [];
  for (let start = 0; start < snapshot.servers.length; start += SERVERS_PER_BLOCK) {
    blocks.push(snapshot.servers.slice(start, start + SERVERS_PER_BLOCK));
  }
  return blocks;
}

/** Subtasks by type and state ("type state" -> count), per block of servers, kept while the block's servers are the same. */
const blockCounts = new ItemMemo<Map<string, number>>();

function countSubtasks(servers: readonly SasServerStatus[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const server of servers) {
    for (const { type, state } of server.subtasks) counts.set(`${type} ${state}`, (counts.get(`${type} ${state}`) ?? 0) + 1);
  }
  return counts;
}

/** Subtasks of all servers together by type and state; every asked-for type's states always present. */
export function alibabaSubtaskCounts(snapshot: AlibabaSnapshot, options: RenderOptions): Sample[] {
  const counts = new Map<string, Map<string, number>>();
  for (const type of options.types) counts.set(type, new Map());
  for (const block of serverBlocks(snapshot)) {
    for (const [key, count] of blockCounts.get(block, () => countSubtasks(block))) {
      const split = key.lastIndexOf(' ');
      const type = key.slice(0, split);
      const state = key.slice(split + 1);
      const byState = counts.get(type) ?? new Map<string, number>();
      counts.set(type, byState);
      byState.set(state, (byState.get(state) ?? 0) + count);
    }
  }
  const samples: Sample[] = [];
  for (const [type, byState] of counts) {
    for (const state of SAS_STATES_WITH_UNKNOWN) {
      samples.push({
        family: SAS.subtasks,
        labels: { account: snapshot.account, type, state },
        value: byState.get(state) ?? 0,
      });
    }
  }
  return samples;
}
