// Alibaba Cloud's member-account discovery in the configuration file: one resource directory under
// `alibaba_resource_directories:`, validated strictly, and turned into the settings the member
// lister and each member's account read.
import { z } from 'zod';
import {
  MEMBER_REFRESH_INTERVAL_SECONDS,
  accountName,
  credentialsSchema,
  duration,
  endpoint,
  memberList,
  oneOf,
  positiveNumber,
  roleName,
  roleOptionSchemas,
} from '../../base/config-schema.js';
import type { SettingsContext } from '../../contract/provider.js';
import { memberRoleSettings } from '../kit/role-schema.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../kit/size-limit.js';
import { MEMBER_ACCESS, type AlibabaResourceDirectoryConfig } from './organization-config.js';
import { RESOURCE_MANAGER_ENDPOINT } from './resource-manager-api.js';
import { ALIBABA_DEFAULTS, ALIBABA_ROLE_KEYS, ALIBABA_SECRET_KEYS, ALIBABA_SOURCES, alibabaAccountOptions, alibabaAccountSchema, alibabaCredentials } from './schema.js';

export const ALIBABA_DIRECTORY_DEFAULTS = {
  /** No rate is published for ListAccounts: conservative, as for Security Center. */
  rateLimit: 10,
  requestTimeoutSeconds: 5,
  memberAccess: 'resource_directory_account_id' as const,
} as const;

export const alibabaResourceDirectorySchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(ALIBABA_SOURCES, ALIBABA_SECRET_KEYS, ['access_key_id', 'access_key_secret'], ALIBABA_ROLE_KEYS),
  endpoint: endpoint.optional(),
  member_access: oneOf(MEMBER_ACCESS).optional(),
  member_role: roleName.optional(),
  ...roleOptionSchemas(ALIBABA_ROLE_KEYS),
  include: memberList.optional(),
  exclude: memberList.optional(),
  refresh_interval: duration.optional(),
  rate_limit: positiveNumber.optional(),
  request_timeout: duration.optional(),
  members: alibabaAccountSchema.omit({ name: true, credentials: true, resource_directory_account_id: true }),
});

export type AlibabaResourceDirectoryFile = z.output<typeof alibabaResourceDirectorySchema>;

export function alibabaResourceDirectorySettings(file: AlibabaResourceDirectoryFile, context: SettingsContext): AlibabaResourceDirectoryConfig {
  if (file.request_timeout === 0) throw context.error(['request_timeout'], 'must be greater than 0');
  if (file.refresh_interval !== undefined && file.refresh_interval < 1) throw context.error(['refresh_interval'], 'must be at least 1s');
  const memberAccess = file.member_access ?? ALIBABA_DIRECTORY_DEFAULTS.memberAccess;
  const roleKeys = (['member_role', 'role_session_name', 'duration', 'external_id'] as const).filter((key) => file[key] !== undefined);
  if (memberAccess === 'assume_role' && file.member_role === undefined) {
    throw context.error(['member_role'], 'required with member_access: assume_role (the RAM role to assume in each member)');
  }
  if (memberAccess !== 'assume_role' && roleKeys.length > 0) {
    throw context.error([roleKeys[0]!], 'only with member_access: assume_role (resource_directory_account_id reads every member with the management credentials)');
  }
  const memberRole = file.member_role === undefined ? undefined : memberRoleSettings(file.member_role, file, context, ALIBABA_DEFAULTS.roleDurationSeconds);
  const member = alibabaAccountOptions(file.members, { ...context, error: (key, detail) => context.error(['members', ...key], detail) });
  const credentials = alibabaCredentials(file.credentials, context);
  // The organization's principal assumes each member's role itself: a role of its own would be a chain of roles.
  if (credentials.role !== undefined) {
    throw context.error(['credentials', 'role_arn'], 'not on an organization: its own credentials list the members and assume their roles (give them keys or source:, not a role)');
  }
  return {
    name: file.name,
    credentials,
    endpoint: file.endpoint ?? { protocol: 'https', host: RESOURCE_MANAGER_ENDPOINT },
    memberAccess,
    ...(memberRole === undefined ? {} : { memberRole }),
    include: file.include ?? [],
    exclude: file.exclude ?? [],
    refreshIntervalSeconds: file.refresh_interval ?? MEMBER_REFRESH_INTERVAL_SECONDS,
    rateLimit: file.rate_limit ?? ALIBABA_DIRECTORY_DEFAULTS.rateLimit,
    requestTimeoutSeconds: file.request_timeout ?? ALIBABA_DIRECTORY_DEFAULTS.requestTimeoutSeconds,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    member,
  };
}
