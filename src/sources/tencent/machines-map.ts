// DescribeMachines' machines -> CoveredServer: each machine's coverage from its three status fields,
// and what identifies it. The answer's words are not the filters' (see api.ts), and the model spells
// some of them its own way (STOPED, UNINStALLED): both spellings are taken, in any case. Odd values
// become `unknown` with a warning, never a made-up state.
import type { Warn } from '../kit/answer-warnings.js';
import { boundedLabel } from '../../contract/labels.js';
import { sameCoverage, uncoveredSince, type Coverage, type CoveredServer } from '../coverage/coverage.js';
import type { Machine } from './api.js';

/** InstanceStatus: the server itself. The model writes STOPED; the MachineStatus filter, STOPPED. */
const INSTANCE_STATUSES: Readonly<Record<string, 'running' | 'stopped'>> = {
  RUNNING: 'running',
  STOPED: 'stopped',
  STOPPED: 'stopped',
  EXPIRED: 'stopped',
};
/** AgentStatus: the CWP agent. */
const AGENT_STATUSES: Readonly<Record<string, Coverage>> = { ONLINE: 'protected', OFFLINE: 'agent_offline', UNINSTALLED: 'agent_missing' };
/** MachineStatus: the agent's words, or a machine shut down. */
const MACHINE_STATUSES: Readonly<Record<string, Coverage>> = { ...AGENT_STATUSES, SHUTDOWN: 'server_stopped' };

function word(value: string | null): string {
  return (value ?? '').trim().toUpperCase();
}

/**
 * A machine's coverage: server_stopped when the server is stopped or expired (InstanceStatus) or shut
 * down (MachineStatus), whatever its agent says; otherwise its AgentStatus, or its MachineStatus when
 * the AgentStatus is absent or not one of its values; unknown when neither says. `odd` is told of
 * each field whose value is not one of its documented ones.
 */
export function machineCoverage(machine: Machine, odd: (field: string, value: string) => void): Coverage {
  const instance = word(machine.InstanceStatus);
  const agent = word(machine.AgentStatus);
  const status = word(machine.MachineStatus);
  if (instance !== '' && INSTANCE_STATUSES[instance] === undefined) odd('InstanceStatus', machine.InstanceStatus!);
  if (agent !== '' && AGENT_STATUSES[agent] === undefined) odd('AgentStatus', machine.AgentStatus!);
  if (status !== '' && MACHINE_STATUSES[status] === undefined) odd('MachineStatus', machine.MachineStatus!);
  if (INSTANCE_STATUSES[instance] === 'stopped' || MACHINE_STATUSES[status] === 'server_stopped') return 'server_stopped';
  return AGENT_STATUSES[agent] ?? MACHINE_STATUSES[status] ?? 'unknown';
}

/**
 * A machine's `uuid` label: its agent's Uuid; for a machine whose agent has been offline for long,
 * or has never been installed, the API sends none, and its Quuid (the CVM's own id), then its
 * InstanceId, stands in. "" when it has none of them.
 */
export function machineKey(machine: Machine): string {
  return machine.Uuid?.trim() || machine.Quuid?.trim() || machine.InstanceId?.trim() || '';
}

/** One listed machine, read in `region`, as a covered server; its uncovered-since from its previous listing. */
export function toCoveredServer(
  machine: Machine,
  region: string,
  previous: CoveredServer | undefined,
  now: number,
  warn: Warn,
  odd: (field: string, value: string) => void,
): CoveredServer {
  const key = machineKey(machine);
  const shown = key.slice(0, 64);
  const bounded = (text: string | null, kind: 'id' | 'name', field: string) =>
    boundedLabel(text ?? '', kind, field, (oddKind, message) => warn(oddKind, `machine ${shown}: ${message}`));
  const coverage = machineCoverage(machine, odd);
  const server: CoveredServer = {
    uuid: bounded(key, 'id', 'Uuid'),
    instanceName: bounded(machine.MachineName, 'name', 'MachineName'),
    instanceId: bounded(machine.InstanceId, 'id', 'InstanceId'),
    region: bounded(machine.RegionInfo?.Region || region, 'id', 'Region'),
    ip: bounded(machine.MachineIp, 'id', 'MachineIp'),
    os: bounded(machine.MachineOs, 'name', 'MachineOs'),
    agentVersion: bounded(machine.AgentVersion, 'id', 'AgentVersion'),
    coverage,
    uncoveredSince: uncoveredSince(coverage, previous, now),
  };
  return previous !== undefined && sameCoverage(previous, server) ? previous : server;
}
