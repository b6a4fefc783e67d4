// DescribeCloudCenterInstances' assets -> SasAgent: each server's identity, the state of its
// Security Center agent and its coverage, as discovery already receives them (no call of their own).
// Odd values become `unknown` with a warning, never a made-up state.
import { boundedLabel } from '../../contract/labels.js';
import { sameCoverage, uncoveredSince, type Coverage } from '../coverage/coverage.js';
import type { CloudCenterInstance } from './api.js';
import type { SasAgent, SasAgentState } from './types.js';

/** ClientStatus as the API sends it (the reference and SDK model: online, offline, pause). */
const CLIENT_STATUSES: Readonly<Record<string, SasAgentState>> = { online: 'online', offline: 'offline', pause: 'paused' };
/** ClientSubStatus (the SDK model: online, offline, pause, uninstalled, stopped) as coverage. */
const SUB_STATUSES: Readonly<Record<string, Coverage>> = {
  online: 'protected',
  offline: 'agent_offline',
  pause: 'agent_paused',
  uninstalled: 'agent_missing',
  stopped: 'server_stopped',
};
/** ClientStatus as coverage, where ClientSubStatus says nothing known. */
const STATUS_COVERAGE: Readonly<Record<SasAgentState, Coverage>> = {
  online: 'protected',
  offline: 'agent_offline',
  paused: 'agent_paused',
  unknown: 'unknown',
};

export function agentState(clientStatus: string | null): SasAgentState {
  return (clientStatus !== null && CLIENT_STATUSES[clientStatus.trim().toLowerCase()]) || 'unknown';
}

/**
 * A server's coverage: server_stopped when the instance is not running (Status notRunning) or its
 * ClientSubStatus says stopped, whatever its agent says; otherwise its ClientSubStatus, or, when that
 * is absent or none of its values, its ClientStatus (`oddSubStatus` is told of a value it does not know).
 */
export function agentCoverage(
  instance: Pick<CloudCenterInstance, 'ClientStatus' | 'ClientSubStatus' | 'Status'>,
  oddSubStatus: (value: string) => void,
): Coverage {
  const sub = (instance.ClientSubStatus ?? '').trim().toLowerCase();
  const known = SUB_STATUSES[sub];
  if (sub !== '' && known === undefined) oddSubStatus(instance.ClientSubStatus!);
  if ((instance.Status ?? '').trim().toLowerCase() === 'notrunning' || known === 'server_stopped') return 'server_stopped';
  return known ?? STATUS_COVERAGE[agentState(instance.ClientStatus)];
}

/**
 * One listed asset with a Uuid as an agent, its uncovered-since carried from its `previous` listing;
 * `warn` is told of every value that had to change. An agent equal in every field to `previous` is
 * that very object: a refresh that finds a server unchanged keeps it, so its rendered (and
 * compressed) series are reused.
 */
export function toAgent(
  instance: CloudCenterInstance & { Uuid: string },
  previous: SasAgent | undefined,
  now: number,
  warn: (kind: string, message: string) => void,
): SasAgent {
  const server = instance.Uuid.slice(0, 64);
  const bounded = (text: string | null, kind: 'id' | 'name', field: string) =>
    boundedLabel(text ?? '', kind, field, (oddKind, message) => warn(oddKind, `server ${server}: ${message}`));
  const coverage = agentCoverage(instance, (value) =>
    warn(
      'ClientSubStatus none of the known',
      `server ${server}: ClientSubStatus ${JSON.stringify(value.slice(0, 40))} is none of online, offline, pause, uninstalled, stopped; its coverage taken from ClientStatus`,
    ),
  );
  const agent: SasAgent = {
    uuid: bounded(instance.Uuid, 'id', 'Uuid'),
    instanceName: bounded(instance.InstanceName ?? instance.InstanceId, 'name', 'InstanceName'),
    instanceId: bounded(instance.InstanceId, 'id', 'InstanceId'),
    region: bounded(instance.RegionId, 'id', 'RegionId'),
    ip: bounded(instance.Ip || instance.IntranetIp || instance.InternetIp, 'id', 'Ip'),
    os: bounded(instance.Os, 'name', 'Os'),
    agentVersion: '',
    state: agentState(instance.ClientStatus),
    coverage,
    uncoveredSince: uncoveredSince(coverage, previous, now),
  };
  return previous !== undefined && previous.state === agent.state && sameCoverage(previous, agent) ? previous : agent;
}
