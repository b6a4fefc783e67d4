// The role part of a `credentials:` mapping, as both clouds' settings builders turn it into
// RoleSettings: the defaults, and the duration limits (the ARN, session name and external id were
// checked by the cloud's schema).
import { formatDuration } from '../../base/duration.js';
import { isLoopback, type Endpoint } from '../../base/endpoint.js';
import type { SettingsContext } from '../../contract/provider.js';
import { DEFAULT_ROLE_SESSION_NAME, ROLE_DURATION_LIMITS, type RoleSettings } from './role-settings.js';

/** The role keys of a validated `credentials:` mapping. */
export interface RoleKeys {
  role_arn?: string | undefined;
  role_session_name?: string | undefined;
  duration?: number | undefined;
  external_id?: string | undefined;
  sts_endpoint?: Endpoint | undefined;
}

/** The role to assume, or undefined without role_arn; `defaultDurationSeconds` is the cloud's own default. */
export function roleSettings(credentials: RoleKeys, context: SettingsContext, defaultDurationSeconds: number): RoleSettings | undefined {
  if (credentials.role_arn === undefined) return undefined;
  const durationSeconds = credentials.duration ?? defaultDurationSeconds;
  const { minSeconds, maxSeconds } = ROLE_DURATION_LIMITS;
  if (durationSeconds < minSeconds || durationSeconds > maxSeconds || !Number.isInteger(durationSeconds)) {
    throw context.error(
      ['credentials', 'duration'],
      `must be whole seconds from ${formatDuration(minSeconds)} to ${formatDuration(maxSeconds)} (the temporary keys' lifetime), got ${formatDuration(durationSeconds)}`,
    );
  }
  // The answer holds the temporary keys: over plain HTTP only to this machine (an emulator, a local proxy).
  const sts = credentials.sts_endpoint;
  if (sts !== undefined && sts.protocol === 'http' && !isLoopback(sts)) {
    throw context.error(
      ['credentials', 'sts_endpoint'],
      `http://${sts.host} would carry the role's temporary keys in cleartext: use https://, or http:// only to this machine (127.0.0.1, [::1], localhost)`,
    );
  }
  return {
    arn: credentials.role_arn,
    sessionName: credentials.role_session_name ?? DEFAULT_ROLE_SESSION_NAME,
    durationSeconds,
    ...(credentials.external_id === undefined ? {} : { externalId: credentials.external_id }),
    ...(credentials.sts_endpoint === undefined ? {} : { stsEndpoint: credentials.sts_endpoint }),
  };
}
