// What the status page shows of an Alibaba Security Center account: its vulnerability-check subtasks
// by state over all servers, its agents by state, the servers whose agent is offline (their checks
// cannot run) and those whose subtasks failed (with the failure codes), the first ones by name. One
// pass over the snapshot, so a 10,000-server fleet costs milliseconds.
import {
  FAILING_LISTED,
  type FailingList,
  type ScanSummary,
  type SummaryRow,
  type SummaryTable,
  type SummaryTone,
} from '../../shared/scan-summary.js';
import type { Snapshot } from '../types.js';
import {
  SAS_AGENT_STATES,
  SAS_SUBTASK_STATES,
  isAlibabaSnapshot,
  type SasAgent,
  type SasAgentState,
  type SasServerStatus,
  type SasSubtaskState,
} from './types.js';

const TONE: Record<SasSubtaskState, SummaryTone> = {
  unhandled: 'idle',
  collecting: 'busy',
  collected: 'busy',
  matching: 'busy',
  complete: 'good',
  unknown: 'bad',
};

export function summarizeAlibaba(snapshot: Snapshot): ScanSummary {
  if (!isAlibabaSnapshot(snapshot)) return { tables: [] };
  const byState = new Map<SasSubtaskState, number>(SAS_SUBTASK_STATES.map((state) => [state, 0]));
  let subtasks = 0;
  let failedSubtasks = 0;
  const failing: SasServerStatus[] = [];
  for (const server of snapshot.servers) {
    let failed = false;
    for (const subtask of server.subtasks) {
      subtasks++;
      byState.set(subtask.state, (byState.get(subtask.state) ?? 0) + 1);
      if (subtask.code !== '') {
        failedSubtasks++;
        failed = true;
      }
    }
    if (failed) failing.push(server);
  }
  const rows: SummaryRow[] = [...byState]
    .filter(([state, count]) => state !== 'unknown' || count > 0)
    .map(([state, count]) => ({ label: state, value: String(count), tone: count === 0 ? 'idle' : TONE[state] }));
  rows.push({ label: 'failed (with a code)', value: String(failedSubtasks), tone: failedSubtasks > 0 ? 'bad' : 'good' });
  const agents = snapshot.agents;
  return {
    tables: [
      {
        title: `Vulnerability-check subtasks by state: ${subtasks} on ${servers(snapshot.servers.length)}`,
        rows,
      },
      agentTable(agents),
    ],
    ...(agents === undefined ? {} : { attention: [offlineAgents(agents)] }),
    failing: {
      title: 'Servers with failed subtasks',
      total: failing.length,
      first: failing.slice(0, FAILING_LISTED).map((server) => ({
        name: server.instanceName === '' ? server.uuid : `${server.instanceName} (${server.uuid})`,
        detail: server.subtasks
          .filter((subtask) => subtask.code !== '')
          .map((subtask) => `${subtask.type}: ${subtask.code}`)
          .join(', '),
      })),
    },
  };
}

const AGENT_TONE: Record<SasAgentState, SummaryTone> = { online: 'good', offline: 'bad', paused: 'idle', unknown: 'bad' };

function servers(count: number): string {
  return `${count} server${count === 1 ? '' : 's'}`;
}

/** Agents by state (unknown only when there are some); or why they are not known. */
function agentTable(agents: readonly SasAgent[] | undefined): SummaryTable {
  if (agents === undefined) {
    return {
      title: 'Security Center agents',
      rows: [{ label: 'not known', value: 'servers are listed in the configuration; only discovery (servers: auto) reports agents', tone: 'idle' }],
    };
  }
  const byState = new Map<SasAgentState, number>([...SAS_AGENT_STATES, 'unknown' as const].map((state) => [state, 0]));
  for (const agent of agents) byState.set(agent.state, (byState.get(agent.state) ?? 0) + 1);
  return {
    title: `Security Center agents: ${servers(agents.length)}`,
    rows: [...byState]
      .filter(([state, count]) => state !== 'unknown' || count > 0)
      .map(([state, count]) => ({ label: state, value: String(count), tone: count === 0 ? 'idle' : AGENT_TONE[state] })),
  };
}

/** The servers whose agent is offline, the first ones in discovery order, with what identifies them. */
function offlineAgents(agents: readonly SasAgent[]): FailingList {
  const offline = agents.filter((agent) => agent.state === 'offline');
  return {
    title: 'Servers whose Security Center agent is offline',
    total: offline.length,
    first: offline.slice(0, FAILING_LISTED).map((agent) => ({
      name: agent.instanceName === '' ? agent.uuid : `${agent.instanceName} (${agent.uuid})`,
      detail: [agent.instanceId, agent.ip, agent.region, agent.os].filter((part) => part !== '').join(', ') || 'offline',
    })),
  };
}
