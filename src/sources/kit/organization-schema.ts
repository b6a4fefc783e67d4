// What every cloud's organization has in the configuration file beside its own keys: which members
// to read, how often and how fast the listing calls, and credentials that assume the members' roles
// themselves. Each cloud's organization schema (sources/<cloud>/organization-schema.ts) adds its own.
import { duration, memberList, positiveNumber } from '../../base/config-schema.js';
import { DEFAULTS } from '../../base/defaults.js';
import type { SettingsContext } from '../../contract/provider.js';

/** The listing's keys, in the order the clouds' schemas place them (after the member role's). */
export const memberListingSchemas = {
  include: memberList.optional(),
  exclude: memberList.optional(),
  refresh_interval: duration.optional(),
  rate_limit: positiveNumber.optional(),
  request_timeout: duration.optional(),
};

/** The listing's keys of a validated organization. */
interface MemberListingKeys {
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  refresh_interval?: number | undefined;
  rate_limit?: number | undefined;
  request_timeout?: number | undefined;
}

/** The listing's settings with the defaults, `rateLimit` being the cloud's own for its listing action. */
interface MemberListingSettings {
  include: string[];
  exclude: string[];
  refreshIntervalSeconds: number;
  rateLimit: number;
  requestTimeoutSeconds: number;
  maxResponseBytes: number;
}

/** What the schema cannot say of the listing's keys; checked before the rest of the organization. */
export function checkMemberListing(file: MemberListingKeys, context: SettingsContext): void {
  if (file.request_timeout === 0) throw context.error(['request_timeout'], 'must be greater than 0');
  if (file.refresh_interval !== undefined && file.refresh_interval < 1) throw context.error(['refresh_interval'], 'must be at least 1s');
}

export function memberListingSettings(file: MemberListingKeys, rateLimit: number): MemberListingSettings {
  return {
    include: file.include ?? [],
    exclude: file.exclude ?? [],
    refreshIntervalSeconds: file.refresh_interval ?? DEFAULTS.organization.refreshIntervalSeconds,
    rateLimit: file.rate_limit ?? rateLimit,
    requestTimeoutSeconds: file.request_timeout ?? DEFAULTS.organization.requestTimeoutSeconds,
    maxResponseBytes: DEFAULTS.account.maxResponseBytes,
  };
}

/**
 * An organization's own credentials, which may not assume a role: its principal assumes each
 * member's role itself, and a role of its own would make a chain of roles.
 */
export function organizationCredentials<C extends { role?: unknown }>(credentials: C, context: SettingsContext): C {
  if (credentials.role !== undefined) {
    throw context.error(
      ['credentials', 'role_arn'],
      'not on an organization: its own credentials list the members and assume their roles (give them keys or source:, not a role)',
    );
  }
  return credentials;
}
