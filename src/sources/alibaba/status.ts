// What the status page shows of an Alibaba Security Center account: its vulnerability-check subtasks
// by state over all servers, its servers by coverage, those without a working agent (their checks
// cannot run) and those whose subtasks failed (with the failure codes), the first ones by name. One
// pass over the snapshot, so a 10,000-server fleet costs milliseconds.
import { FAILING_LISTED, type ScanSummary, type SummaryRow, type SummaryTable, type SummaryTone } from '../../contract/scan-summary.js';
import { coverageTable, uncoveredServers } from '../coverage/status.js';
import type { Snapshot } from '../../contract/types.js';
import {
  SAS_SUBTASK_STATES,
  SERVER_READS,
  hasEnded,
  isAlibabaSnapshot,
  type AlibabaSnapshot,
  type SasServerStatus,
  type SasSubtaskState,
  type ServerRead,
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
      coverageTable(agents, 'servers are listed in the configuration; only discovery (servers: auto) reports agents'),
      ...readsTable(snapshot),
    ],
    ...(agents === undefined ? {} : { attention: [uncoveredServers(agents)] }),
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

/** What read-only-what-changed said of the last refresh: the vulnerability checks it found, and the servers it read and why. */
const READ_LABELS: Record<ServerRead, string> = {
  new: 'read: new',
  no_signal: 'read: no list of checks',
  unfinished: 'read: a subtask not complete',
  task_list: 'read: a check started, ran or ended',
  interval: 'read: full_read_interval old',
  kept: 'served from the last answer',
};

function readsTable(snapshot: AlibabaSnapshot): SummaryTable[] {
  const reads = snapshot.reads;
  if (reads === undefined) return [];
  const total = SERVER_READS.reduce((sum, reason) => sum + reads.last[reason], 0);
  const running = snapshot.taskList?.tasks.filter((task) => !hasEnded(task));
  const checks: SummaryRow =
    running === undefined
      ? {
          label: 'vulnerability checks (DescribeOnceTask)',
          value: 'not read: every server read',
          tone: reads.last.no_signal > 0 ? 'bad' : 'idle',
        }
      : {
          label: 'vulnerability checks running',
          value: running.length === 0 ? 'none' : running.map((task) => task.progress || '?').join(', '),
          tone: running.length === 0 ? 'idle' : 'busy',
        };
  return [
    {
      title: `Last refresh: ${total - reads.last.kept} of ${servers(total)} read, ${reads.last.kept} served from their last answer (${reads.savedTotal} calls saved in all)`,
      rows: [
        checks,
        ...SERVER_READS.filter((reason) => reads.last[reason] > 0).map((reason): SummaryRow => ({
          label: READ_LABELS[reason],
          value: String(reads.last[reason]),
          tone: reason === 'kept' ? 'good' : 'idle',
        })),
      ],
    },
  ];
}

function servers(count: number): string {
  return `${count} server${count === 1 ? '' : 's'}`;
}
