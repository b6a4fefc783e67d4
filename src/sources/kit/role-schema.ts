// The role settings of the configuration file, for accounts and organizations alike: an account's
// `credentials.role_arn` with its options, and an organization's `member_role` with the same options
// (each cloud's schema has checked the ARN, session name and external id; the defaults and the
// duration limits are applied here, once).
import { DEFAULTS } from '../../base/defaults.js';
import { formatDuration } from '../../base/duration.js';
import { isLoopback, type Endpoint } from '../../base/endpoint.js';
import type { SettingsContext } from '../../contract/provider.js';
import { ROLE_DURATION_LIMITS, type MemberRole, type RoleSettings } from './role-settings.js';

/** How a role is assumed, as a validated mapping gives it (`credentials:` of an account, or an organization). */
interface RoleOptionKeys {
  role_session_name?: string | undefined;
  duration?: number | undefined;
  external_id?: string | undefined;
}

/** The role keys of a validated `credentials:` mapping. */
interface RoleKeys extends RoleOptionKeys {
  role_arn?: string | undefined;
  sts_endpoint?: Endpoint | undefined;
}

type RoleOptions = Pick<RoleSettings, 'sessionName' | 'durationSeconds' | 'externalId'>;

/**
 * The session name, duration and external id of a role, with the defaults (`defaultDurationSeconds`
 * is the cloud's own); `at` is where the keys are in the account or organization, for the message.
 */
function roleOptions(keys: RoleOptionKeys, context: SettingsContext, at: readonly string[], defaultDurationSeconds: number): RoleOptions {
  const durationSeconds = keys.duration ?? defaultDurationSeconds;
  const { minSeconds, maxSeconds } = ROLE_DURATION_LIMITS;
  // STS takes DurationSeconds as an integer.
  if (durationSeconds < minSeconds || durationSeconds > maxSeconds || !Number.isInteger(durationSeconds)) {
    throw context.error(
      [...at, 'duration'],
      `must be whole seconds from ${formatDuration(minSeconds)} to ${formatDuration(maxSeconds)} (the temporary keys' lifetime), got ${formatDuration(durationSeconds)}`,
    );
  }
  return {
    sessionName: keys.role_session_name ?? DEFAULTS.role.sessionName,
    durationSeconds,
    ...(keys.external_id === undefined ? {} : { externalId: keys.external_id }),
  };
}

/** The role to assume, or undefined without role_arn; `defaultDurationSeconds` is the cloud's own default. */
export function roleSettings(credentials: RoleKeys, context: SettingsContext, defaultDurationSeconds: number): RoleSettings | undefined {
  if (credentials.role_arn === undefined) return undefined;
  const options = roleOptions(credentials, context, ['credentials'], defaultDurationSeconds);
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
    ...options,
    ...(credentials.sts_endpoint === undefined ? {} : { stsEndpoint: credentials.sts_endpoint }),
  };
}

/**
 * An organization's `member_role` (its `name`) with the organization's role keys, checked as an
 * account's role is; `defaultDurationSeconds` is the cloud's own default.
 */
export function memberRoleSettings(
  name: string,
  organization: RoleOptionKeys,
  context: SettingsContext,
  defaultDurationSeconds: number,
): MemberRole {
  return { name, ...roleOptions(organization, context, [], defaultDurationSeconds) };
}
