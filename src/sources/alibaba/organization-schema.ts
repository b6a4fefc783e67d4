// Alibaba Cloud's member-account discovery in the configuration file: one resource directory under
// `alibaba_resource_directories:`, validated strictly, and turned into the settings the member
// lister and each member's account read.
import { z } from 'zod';
import { accountName, credentialsSchema, endpoint, oneOf, roleName, roleOptionSchemas } from '../../base/config-schema.js';
import type { SettingsContext } from '../../contract/provider.js';
import { checkMemberListing, memberListingSchemas, memberListingSettings, organizationCredentials } from '../kit/organization-schema.js';
import { memberRoleSettings } from '../kit/role-schema.js';
import { MEMBER_ACCESS, type AlibabaResourceDirectoryConfig } from './organization-config.js';
import { RESOURCE_MANAGER_ENDPOINT } from './resource-manager-api.js';
import {
  ALIBABA_DEFAULTS,
  ALIBABA_ROLE_KEYS,
  ALIBABA_SECRET_KEYS,
  ALIBABA_SOURCES,
  alibabaAccountOptions,
  alibabaAccountSchema,
  alibabaCredentials,
} from './schema.js';

export const alibabaResourceDirectorySchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(ALIBABA_SOURCES, ALIBABA_SECRET_KEYS, ['access_key_id', 'access_key_secret'], ALIBABA_ROLE_KEYS),
  endpoint: endpoint.optional(),
  member_access: oneOf(MEMBER_ACCESS).optional(),
  member_role: roleName.optional(),
  ...roleOptionSchemas(ALIBABA_ROLE_KEYS),
  ...memberListingSchemas,
  members: alibabaAccountSchema.omit({ name: true, credentials: true, resource_directory_account_id: true }),
});

export type AlibabaResourceDirectoryFile = z.output<typeof alibabaResourceDirectorySchema>;

export function alibabaResourceDirectorySettings(
  file: AlibabaResourceDirectoryFile,
  context: SettingsContext,
): AlibabaResourceDirectoryConfig {
  checkMemberListing(file, context);
  const memberAccess = file.member_access ?? ALIBABA_DEFAULTS.memberAccess;
  const roleKeys = (['member_role', 'role_session_name', 'duration', 'external_id'] as const).filter((key) => file[key] !== undefined);
  if (memberAccess === 'assume_role' && file.member_role === undefined) {
    throw context.error(['member_role'], 'required with member_access: assume_role (the RAM role to assume in each member)');
  }
  if (memberAccess !== 'assume_role' && roleKeys.length > 0) {
    throw context.error(
      [roleKeys[0]!],
      'only with member_access: assume_role (resource_directory_account_id reads every member with the management credentials)',
    );
  }
  const memberRole =
    file.member_role === undefined ? undefined : memberRoleSettings(file.member_role, file, context, ALIBABA_DEFAULTS.roleDurationSeconds);
  const member = alibabaAccountOptions(file.members, { ...context, error: (key, detail) => context.error(['members', ...key], detail) });
  return {
    name: file.name,
    credentials: organizationCredentials(alibabaCredentials(file.credentials, context), context),
    endpoint: file.endpoint ?? { protocol: 'https', host: RESOURCE_MANAGER_ENDPOINT },
    memberAccess,
    ...(memberRole === undefined ? {} : { memberRole }),
    ...memberListingSettings(file, ALIBABA_DEFAULTS.directoryRateLimit),
    member,
  };
}
