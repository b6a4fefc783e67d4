// DescribeCloudCenterInstances' assets -> SasAgent: each server's identity and the state of its
// Security Center agent, as discovery already receives them (no call of their own). Odd values
// become `unknown` with a warning, never a made-up state.
import { boundedLabel } from '../../shared/labels.js';
import type { CloudCenterInstance } from './api.js';
import type { SasAgent, SasAgentState } from './types.js';

/** ClientStatus as the API sends it (the reference and SDK model: online, offline, pause). */
const CLIENT_STATUSES: Readonly<Record<string, SasAgentState>> = { online: 'online', offline: 'offline', pause: 'paused' };

export function agentState(clientStatus: string | null): SasAgentState {
  return (clientStatus !== null && CLIENT_STATUSES[clientStatus.trim().toLowerCase()]) || 'unknown';
}

/** One listed asset with a Uuid as an agent; `warn` is told of every value that had to change. */
export function toAgent(instance: CloudCenterInstance & { Uuid: string }, warn: (kind: string, message: string) => void): SasAgent {
  const bounded = (text: string | null, kind: 'id' | 'name', field: string) =>
    boundedLabel(text ?? '', kind, field, (oddKind, message) => warn(oddKind, `server ${instance.Uuid.slice(0, 64)}: ${message}`));
  return {
    uuid: bounded(instance.Uuid, 'id', 'Uuid'),
    instanceName: bounded(instance.InstanceName ?? instance.InstanceId, 'name', 'InstanceName'),
    instanceId: bounded(instance.InstanceId, 'id', 'InstanceId'),
    region: bounded(instance.RegionId, 'id', 'RegionId'),
    ip: bounded(instance.Ip || instance.IntranetIp || instance.InternetIp, 'id', 'Ip'),
    os: bounded(instance.Os, 'name', 'Os'),
    state: agentState(instance.ClientStatus),
  };
}

/**
 * `agent` itself, or the previous snapshot's agent when that one is equal in every field: a refresh
 * that finds a server unchanged keeps the very object, so its rendered (and compressed) series are reused.
 */
export function keptAgent(agent: SasAgent, previous: SasAgent | undefined): SasAgent {
  if (
    previous !== undefined &&
    previous.uuid === agent.uuid &&
    previous.instanceName === agent.instanceName &&
    previous.instanceId === agent.instanceId &&
    previous.region === agent.region &&
    previous.ip === agent.ip &&
    previous.os === agent.os &&
    previous.state === agent.state
  ) {
    return previous;
  }
  return agent;
}
