// How an account's role is told in `--config.check` and the startup log: its ARN, session name,
// duration and STS endpoint; that an external id is given, never its value.
import { formatDuration } from '../../base/duration.js';
import { formatEndpoint, type Endpoint } from '../../base/endpoint.js';
import type { RoleSettings } from './role-settings.js';

/** ", role <arn> (session <name>, <duration>[, external id]) via STS <endpoint>", or "" without a role. */
export function describeRole(role: RoleSettings | undefined, stsEndpoint: (role: RoleSettings) => Endpoint): string {
  if (role === undefined) return '';
  const details = [
    `session ${role.sessionName}`,
    formatDuration(role.durationSeconds),
    ...(role.externalId === undefined ? [] : ['external id']),
  ];
  return `, role ${role.arn} (${details.join(', ')}) via STS ${formatEndpoint(stsEndpoint(role))}`;
}
