// A simulated vulnerability-check subtask: the hashes its simulation is made of, the states it walks
// through in a continuously checking account, and the failure codes it may end with.
import { createHash } from 'node:crypto';

/** The Security Center agent (ClientStatus): online, offline, pause. */
export type ClientStatus = 'online' | 'offline' | 'pause';

/** Failure codes a completed subtask may carry. */
export const FAILURE_CODES = ['push_command_failed', 'agent_offline', 'timeout', 'client_not_online', 'command_exec_failed'] as const;

export function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** `length` hex digits derived from a name. */
export function hex(text: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${text}#${i}`).digest('hex');
  return out.slice(0, length);
}

export interface SimulatedSubtask {
  Type: string;
  Status: string;
  Code: string;
}

/**
 * A subtask at time `now`: it walks 0 -> 4 over the cycle, from a phase of its own; when a run
 * reaches 4 it ends with a failure Code in about `failureRate` of the runs.
 */
export function subtaskAt(
  account: string,
  uuid: string,
  taskId: string,
  type: string,
  now: number,
  cycleSeconds: number,
  failureRate: number,
): SimulatedSubtask {
  const cycleMs = Math.max(1000, Math.round(cycleSeconds * 1000));
  const key = `${account}/${uuid}/${taskId}/${type}`;
  const phase = now + (hash32(key) % cycleMs);
  const run = Math.floor(phase / cycleMs);
  const state = Math.min(4, Math.floor(((phase % cycleMs) * 5) / cycleMs));
  let code = '';
  if (state === 4) {
    const roll = hash32(`${key}/run/${run}`);
    if (roll % 10_000 < failureRate * 10_000) code = FAILURE_CODES[roll % FAILURE_CODES.length]!;
  }
  return { Type: type, Status: String(state), Code: code };
}
