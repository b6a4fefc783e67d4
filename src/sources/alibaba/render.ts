// Alibaba Cloud Security Center snapshots -> samples: the pure mapping from what
// DescribeVulCheckTaskStatusDetail and discovery said to series, per server in blocks, and counted per account.
import type { SnapshotRenderer } from '../../contract/account-state.js';
import { ItemMemo } from '../../base/item-memo.js';
import { inBlocks, oneHot, type Sample, type SampleBlock } from '../../contract/series.js';
import type { Snapshot } from '../../contract/types.js';
import { SAS } from './families.js';
import { COVERAGE_FAMILIES, coverageCounts, coverageServerSamples } from '../coverage/render.js';
import {
  SAS_AGENT_STATES,
  SAS_SUBTASK_STATES,
  SERVER_READS,
  SIGNAL_FALLBACKS,
  isAlibabaSnapshot,
  type AlibabaSnapshot,
  type SasAgent,
  type SasServerStatus,
} from './types.js';

const SAS_STATES_WITH_UNKNOWN = [...SAS_SUBTASK_STATES, 'unknown'] as const;
const AGENT_STATES_WITH_UNKNOWN = [...SAS_AGENT_STATES, 'unknown'] as const;

interface AlibabaRenderOptions {
  /** false keeps only the aggregated counts (subtasks, agents and coverage). */
  perServerSeries: boolean;
  /** The vulnerability types asked for, so their counts are present even when zero. */
  types: readonly string[];
}

export function alibabaRenderer(options: AlibabaRenderOptions): SnapshotRenderer {
  return {
    families: [...Object.values(SAS), ...COVERAGE_FAMILIES],
    blocks: (snapshot: Snapshot) => (isAlibabaSnapshot(snapshot) ? alibabaSampleBlocks(snapshot, options) : []),
  };
}

function alibabaSampleBlocks(snapshot: AlibabaSnapshot, options: AlibabaRenderOptions): SampleBlock[] {
  const { account, agents } = snapshot;
  const perServer: SampleBlock[] = options.perServerSeries
    ? [
        ...inBlocks(snapshot.servers).map((batch) => ({
          sources: batch,
          samples: () => batch.flatMap((server) => alibabaServerSamples(account, server)),
        })),
        ...inBlocks(agents ?? []).map((batch) => ({
          sources: batch,
          samples: () => batch.flatMap((agent) => alibabaAgentSamples(account, agent)),
        })),
      ]
    : [];
  const counts: SampleBlock[] = [
    { sources: undefined, samples: () => alibabaSubtaskCounts(snapshot, options) },
    { sources: undefined, samples: () => alibabaReadSamples(snapshot) },
  ];
  if (agents !== undefined) {
    counts.push({
      sources: undefined,
      samples: () => [...alibabaAgentCounts(account, agents), ...coverageCounts('alibaba', account, agents)],
    });
  }
  return [...perServer, ...counts];
}

/** One server's series: its subtask total, and each subtask's one-hot state and failure code. */
function alibabaServerSamples(account: string, server: SasServerStatus): Sample[] {
  const samples: Sample[] = [];
  const serverLabels = { account, uuid: server.uuid, instance: server.instanceName };
  if (server.subtaskTotal !== null) samples.push({ family: SAS.serverSubtasks, labels: serverLabels, value: server.subtaskTotal });
  samples.push({ family: SAS.serverRead, labels: serverLabels, value: server.fetchedAt / 1000 });
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
function alibabaSubtaskCounts(snapshot: AlibabaSnapshot, options: AlibabaRenderOptions): Sample[] {
  const counts = new Map<string, Map<string, number>>();
  for (const type of options.types) counts.set(type, new Map());
  for (const block of inBlocks(snapshot.servers)) {
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

/** What the refreshes read and did not have to: the oldest answer served, the last refresh's servers by why, and the counters. */
function alibabaReadSamples(snapshot: AlibabaSnapshot): Sample[] {
  const labels = { account: snapshot.account };
  const samples: Sample[] = [];
  let oldest = Infinity;
  for (const server of snapshot.servers) oldest = Math.min(oldest, server.fetchedAt);
  if (oldest !== Infinity) samples.push({ family: SAS.oldestRead, labels, value: oldest / 1000 });
  const reads = snapshot.reads;
  if (reads === undefined) return samples;
  for (const reason of SERVER_READS) samples.push({ family: SAS.refreshServers, labels: { ...labels, reason }, value: reads.last[reason] });
  samples.push({ family: SAS.refreshCallsSaved, labels, value: reads.savedTotal });
  for (const reason of SIGNAL_FALLBACKS)
    samples.push({ family: SAS.changeSignalFallbacks, labels: { ...labels, reason }, value: reads.fallbacksTotal[reason] });
  return samples;
}

/** One discovered server's series: its agent's one-hot state, what it is, and its coverage. */
function alibabaAgentSamples(account: string, agent: SasAgent): Sample[] {
  const labels = { account, uuid: agent.uuid, instance: agent.instanceName };
  const samples = oneHot(SAS.agentState, labels, 'state', AGENT_STATES_WITH_UNKNOWN, agent.state);
  samples.push({
    family: SAS.serverInfo,
    labels: { ...labels, instance_id: agent.instanceId, region: agent.region, ip: agent.ip, os: agent.os },
    value: 1,
  });
  samples.push(...coverageServerSamples('alibaba', account, agent));
  return samples;
}

/** Agents by state, per block of agents, kept while the block's agents are the same objects. */
const agentBlockCounts = new ItemMemo<ReadonlyMap<string, number>>();

/** Agents of all discovered servers by state; every state always present. */
function alibabaAgentCounts(account: string, agents: readonly SasAgent[]): Sample[] {
  const counts = new Map<string, number>();
  for (const block of inBlocks(agents)) {
    const byState = agentBlockCounts.get(block, () => {
      const inBlock = new Map<string, number>();
      for (const { state } of block) inBlock.set(state, (inBlock.get(state) ?? 0) + 1);
      return inBlock;
    });
    for (const [state, count] of byState) counts.set(state, (counts.get(state) ?? 0) + count);
  }
  return AGENT_STATES_WITH_UNKNOWN.map((state) => ({ family: SAS.agents, labels: { account, state }, value: counts.get(state) ?? 0 }));
}
