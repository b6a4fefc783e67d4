// Tencent Cloud's member-account discovery in the configuration file: one organization under
// `tencent_organizations:`, validated strictly, and turned into the settings the member lister and
// each member's account read.
import { z } from 'zod';
import { accountName, credentialsSchema, endpoint, patterned, region, roleName, roleOptionSchemas } from '../../base/config-schema.js';
import type { SettingsContext } from '../../contract/provider.js';
import { checkMemberListing, memberListingSchemas, memberListingSettings, organizationCredentials } from '../kit/organization-schema.js';
import { memberRoleSettings } from '../kit/role-schema.js';
import { ORGANIZATION_ENDPOINT } from './organization-api.js';
import type { TencentOrganizationConfig } from './organization-config.js';
import {
  TENCENT_DEFAULTS,
  TENCENT_ROLE_KEYS,
  TENCENT_SECRET_KEYS,
  TENCENT_SOURCES,
  tencentAccountOptions,
  tencentAccountSchema,
  tencentCredentials,
} from './schema.js';
import { sameSiteEndpoint } from './site.js';

/** A trusted service's product abbreviation (cwp, cloudaudit, ...): lower-case letters, digits and -. */
const TRUSTED_SERVICE = /^[a-z][a-z0-9-]{0,63}$/;

export const tencentOrganizationSchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(TENCENT_SOURCES, TENCENT_SECRET_KEYS, ['secret_id', 'secret_key'], TENCENT_ROLE_KEYS),
  endpoint: endpoint.optional(),
  region: region('ap-guangzhou').optional(),
  member_role: roleName,
  trusted_service: patterned(
    TRUSTED_SERVICE,
    "a trusted service's product abbreviation, e.g. cwp (DescribeOrganizationMembers' Product)",
  ).optional(),
  ...roleOptionSchemas(TENCENT_ROLE_KEYS),
  ...memberListingSchemas,
  members: tencentAccountSchema.omit({ name: true, credentials: true }).optional(),
});

export type TencentOrganizationFile = z.output<typeof tencentOrganizationSchema>;

export function tencentOrganizationSettings(file: TencentOrganizationFile, context: SettingsContext): TencentOrganizationConfig {
  checkMemberListing(file, context);
  const memberRole = memberRoleSettings(file.member_role, file, context, TENCENT_DEFAULTS.roleDurationSeconds);
  const endpoint = file.endpoint ?? { protocol: 'https', host: ORGANIZATION_ENDPOINT };
  const options = tencentAccountOptions(file.members ?? {}, {
    ...context,
    error: (key, detail) => context.error(['members', ...key], detail),
  });
  // Members are on the organization's site: their CWP (and so their STS) at its hosts, unless members.endpoint says otherwise.
  const members = file.members?.endpoint === undefined ? { ...options, endpoint: sameSiteEndpoint(endpoint, 'cwp') } : options;
  return {
    name: file.name,
    credentials: organizationCredentials(tencentCredentials(file.credentials, context), context),
    endpoint,
    ...(file.region === undefined ? {} : { region: file.region }),
    ...(file.trusted_service === undefined ? {} : { trustedService: file.trusted_service }),
    memberRole,
    ...memberListingSettings(file, TENCENT_DEFAULTS.organizationRateLimit),
    member: members,
  };
}
