// Tencent Cloud's member-account discovery in the configuration file: one organization under
// `tencent_organizations:`, validated strictly, and turned into the settings the member lister and
// each member's account read.
import { z } from 'zod';
import {
  MEMBER_REFRESH_INTERVAL_SECONDS,
  accountName,
  credentialsSchema,
  duration,
  endpoint,
  memberList,
  patterned,
  positiveNumber,
  region,
  roleName,
  roleOptionSchemas,
} from '../../base/config-schema.js';
import type { SettingsContext } from '../../contract/provider.js';
import { memberRoleSettings } from '../kit/role-schema.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../kit/size-limit.js';
import { ORGANIZATION_ENDPOINT } from './organization-api.js';
import type { TencentOrganizationConfig } from './organization-config.js';
import { TENCENT_DEFAULTS, TENCENT_ROLE_KEYS, TENCENT_SECRET_KEYS, TENCENT_SOURCES, tencentAccountOptions, tencentAccountSchema, tencentCredentials } from './schema.js';
import { sameSiteEndpoint } from './site.js';

/** A trusted service's product abbreviation (cwp, cloudaudit, ...): lower-case letters, digits and -. */
const TRUSTED_SERVICE = /^[a-z][a-z0-9-]{0,63}$/;

export const TENCENT_ORGANIZATION_DEFAULTS = {
  /** ListOrganizationMembers' documented limit; DescribeOrganizationMembers' page names none. */
  rateLimit: 20,
  requestTimeoutSeconds: 5,
} as const;

export const tencentOrganizationSchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(TENCENT_SOURCES, TENCENT_SECRET_KEYS, ['secret_id', 'secret_key'], TENCENT_ROLE_KEYS),
  endpoint: endpoint.optional(),
  region: region('ap-guangzhou').optional(),
  member_role: roleName,
  trusted_service: patterned(TRUSTED_SERVICE, 'a trusted service\'s product abbreviation, e.g. cwp (DescribeOrganizationMembers\' Product)').optional(),
  ...roleOptionSchemas(TENCENT_ROLE_KEYS),
  include: memberList.optional(),
  exclude: memberList.optional(),
  refresh_interval: duration.optional(),
  rate_limit: positiveNumber.optional(),
  request_timeout: duration.optional(),
  members: tencentAccountSchema.omit({ name: true, credentials: true }).optional(),
});

export type TencentOrganizationFile = z.output<typeof tencentOrganizationSchema>;

export function tencentOrganizationSettings(file: TencentOrganizationFile, context: SettingsContext): TencentOrganizationConfig {
  if (file.request_timeout === 0) throw context.error(['request_timeout'], 'must be greater than 0');
  if (file.refresh_interval !== undefined && file.refresh_interval < 1) throw context.error(['refresh_interval'], 'must be at least 1s');
  const memberRole = memberRoleSettings(file.member_role, file, context, TENCENT_DEFAULTS.roleDurationSeconds);
  const endpoint = file.endpoint ?? { protocol: 'https', host: ORGANIZATION_ENDPOINT };
  const options = tencentAccountOptions(file.members ?? {}, { ...context, error: (key, detail) => context.error(['members', ...key], detail) });
  // Members are on the organization's site: their CWP (and so their STS) at its hosts, unless members.endpoint says otherwise.
  const members = file.members?.endpoint === undefined ? { ...options, endpoint: sameSiteEndpoint(endpoint, 'cwp') } : options;
  const credentials = tencentCredentials(file.credentials, context);
  // The organization's principal assumes each member's role itself: a role of its own would be a chain of roles.
  if (credentials.role !== undefined) {
    throw context.error(['credentials', 'role_arn'], 'not on an organization: its own credentials list the members and assume their roles (give them keys or source:, not a role)');
  }
  return {
    name: file.name,
    credentials,
    endpoint,
    ...(file.region === undefined ? {} : { region: file.region }),
    ...(file.trusted_service === undefined ? {} : { trustedService: file.trusted_service }),
    memberRole,
    include: file.include ?? [],
    exclude: file.exclude ?? [],
    refreshIntervalSeconds: file.refresh_interval ?? MEMBER_REFRESH_INTERVAL_SECONDS,
    rateLimit: file.rate_limit ?? TENCENT_ORGANIZATION_DEFAULTS.rateLimit,
    requestTimeoutSeconds: file.request_timeout ?? TENCENT_ORGANIZATION_DEFAULTS.requestTimeoutSeconds,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    member: members,
  };
}
