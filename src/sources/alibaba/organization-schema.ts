// Alibaba Cloud's member-account discovery in the configuration file: one resource directory under
// `alibaba_resource_directories:`, validated strictly, and turned into the settings the member
// lister and each member's account read.
import { z } from 'zod';
import {
  MEMBER_REFRESH_INTERVAL_SECONDS,
  ROLE_DURATION,
  ROLE_SESSION_NAME,
  accountName,
  credentialsSchema,
  duration,
  endpoint,
  externalId,
  memberList,
  oneOf,
  positiveNumber,
  roleName,
  roleSessionName,
} from '../../shared/config-schema.js';
import type { SettingsContext } from '../provider.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../size-limit.js';
import { MEMBER_ACCESS, type AlibabaResourceDirectoryConfig } from './organization-config.js';
import { RESOURCE_MANAGER_ENDPOINT } from './resource-manager-api.js';
import { ALIBABA_SECRET_KEYS, ALIBABA_SOURCES, alibabaAccountOptions, alibabaAccountSchema, alibabaCredentials } from './schema.js';

/** As for a role on a configured account: STS AssumeRole's own default. */
const DEFAULT_ROLE_DURATION_SECONDS = 3600;

export const ALIBABA_DIRECTORY_DEFAULTS = {
  /** No rate is published for ListAccounts: conservative, as for Security Center. */
  rateLimit: 10,
  requestTimeoutSeconds: 5,
  memberAccess: 'resource_directory_account_id' as const,
} as const;

export const alibabaResourceDirectorySchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(ALIBABA_SOURCES, ALIBABA_SECRET_KEYS, ['access_key_id', 'access_key_secret']),
  endpoint: endpoint.optional(),
  member_access: oneOf(MEMBER_ACCESS).optional(),
  member_role: roleName.optional(),
  role_session_name: roleSessionName.optional(),
  duration: duration.optional(),
  external_id: externalId.optional(),
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
  const durationSeconds = file.duration ?? DEFAULT_ROLE_DURATION_SECONDS;
  if (durationSeconds < ROLE_DURATION.minSeconds || durationSeconds > ROLE_DURATION.maxSeconds) {
    throw context.error(['duration'], `must be between 15m and 12h (STS AssumeRole's DurationSeconds is ${ROLE_DURATION.minSeconds} to ${ROLE_DURATION.maxSeconds})`);
  }
  const member = alibabaAccountOptions(file.members, { ...context, error: (key, detail) => context.error(['members', ...key], detail) });
  return {
    name: file.name,
    credentials: alibabaCredentials(file.credentials, context),
    endpoint: file.endpoint ?? { protocol: 'https', host: RESOURCE_MANAGER_ENDPOINT },
    memberAccess,
    ...(file.member_role === undefined
      ? {}
      : {
          memberRole: {
            name: file.member_role,
            sessionName: file.role_session_name ?? ROLE_SESSION_NAME,
            durationSeconds,
            ...(file.external_id === undefined ? {} : { externalId: file.external_id }),
          },
        }),
    include: file.include ?? [],
    exclude: file.exclude ?? [],
    refreshIntervalSeconds: file.refresh_interval ?? MEMBER_REFRESH_INTERVAL_SECONDS,
    rateLimit: file.rate_limit ?? ALIBABA_DIRECTORY_DEFAULTS.rateLimit,
    requestTimeoutSeconds: file.request_timeout ?? ALIBABA_DIRECTORY_DEFAULTS.requestTimeoutSeconds,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    member,
  };
}
