// Which servers a refresh reads (read only what changed): a server's answer is served again unless
// its status can have changed since it was read. It is read when it is new (no answer, or one older
// than max_stale), when the task list cannot be used (failed, refused, or not available to a member
// named through ResourceDirectoryAccountId: then every server is read, as before), when its last
// answer had a subtask not complete (it may still move), when the task list showed a check started,
// running, progressed or ended since its answer (no check names its servers: all of them), or when
// its answer is full_read_interval old (the safety net, for what no list shows).
import type { SignalRead } from './change-signal.js';
import type { SasServer } from './map.js';
import { SERVER_READS, type SasServerStatus, type ServerRead } from './types.js';

interface ReadPlan {
  /** The servers to read now, in the order given. */
  read: SasServer[];
  /** Every server's last answer still fit to serve (fetched after staleBefore), the kept ones' with their name as discovery gives it now. */
  last: Map<string, SasServerStatus>;
  /** The servers by why they are read or kept. */
  counts: Record<ServerRead, number>;
}

export function planReads(
  servers: readonly SasServer[],
  previous: readonly SasServerStatus[],
  signal: SignalRead,
  options: { now: number; staleBefore: number; fullReadIntervalMs: number },
): ReadPlan {
  const before = new Map(previous.map((status) => [status.uuid, status]));
  const counts = Object.fromEntries(SERVER_READS.map((reason) => [reason, 0])) as Record<ServerRead, number>;
  const read: SasServer[] = [];
  const last = new Map<string, SasServerStatus>();
  for (const server of servers) {
    const kept = before.get(server.uuid);
    const fit = kept !== undefined && kept.fetchedAt >= options.staleBefore ? kept : undefined;
    const reason = readReason(fit, signal, options);
    counts[reason]++;
    if (fit !== undefined)
      last.set(
        server.uuid,
        reason === 'kept' && fit.instanceName !== server.instanceName ? { ...fit, instanceName: server.instanceName } : fit,
      );
    if (reason !== 'kept') read.push(server);
  }
  return { read, last, counts };
}

function readReason(
  status: SasServerStatus | undefined,
  signal: SignalRead,
  options: { now: number; fullReadIntervalMs: number },
): ServerRead {
  if (status === undefined) return 'new';
  if (signal.kind !== 'read') return 'no_signal';
  if (status.subtasks.some((subtask) => subtask.state !== 'complete')) return 'unfinished';
  if (status.fetchedAt < signal.state.changedAt) return 'task_list';
  if (options.now - status.fetchedAt >= options.fullReadIntervalMs) return 'interval';
  return 'kept';
}
