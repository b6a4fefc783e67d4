// Alibaba Cloud Security Center's part of the configuration file: one account under `alibaba:`,
// validated strictly, and turned into the settings its source reads, with the defaults applied.
import { z } from 'zod';
import {
  accountName,
  autoOrList,
  boolean,
  credentialsSchema,
  duration,
  endpoint,
  id,
  list,
  oneOf,
  patterned,
  positiveNumber,
  REGION,
  roleArn,
} from '../../base/config-schema.js';
import { DEFAULTS } from '../../base/defaults.js';
import type { SettingsContext } from '../../contract/provider.js';
import { roleSettings } from '../kit/role-schema.js';
import type { AlibabaAccountConfig, AlibabaBaseCredentials, AlibabaCredentials } from './config.js';
import { alibabaEndpointForRegion } from './endpoint.js';
import { alibabaRegionProblem } from './regions.js';
import { ALIBABA_EXTERNAL_ID, ALIBABA_SESSION_NAME, alibabaRoleArnProblem } from './role-arn.js';
import { SAS_VUL_TYPES, type SasVulType } from './types.js';

export const ALIBABA_SOURCES = ['default'] as const;
export const ALIBABA_SECRET_KEYS = ['access_key_id', 'access_key_secret', 'security_token'] as const;

/** Alibaba Cloud's own defaults: of an account, its role and a resource directory (the rest are every cloud's, base/defaults.ts). */
export const ALIBABA_DEFAULTS = {
  servers: 'auto' as const,
  taskIds: [] as readonly string[],
  types: ['cve', 'sys', 'cms', 'sca'] as readonly SasVulType[],
  perServerSeries: true,
  rateLimit: 10,
  /** The safety net of read-only-what-changed: every answer read again at least this often. */
  fullReadIntervalSeconds: 3 * 3600,
  /** STS AssumeRole's own default (and most roles' longest session). */
  roleDurationSeconds: 3600,
  /** How a resource directory's members are read. */
  memberAccess: 'resource_directory_account_id' as const,
  /** No rate is published for ListAccounts: conservative, as for Security Center. */
  directoryRateLimit: 10,
} as const;

export const ALIBABA_ROLE_KEYS = {
  role_arn: roleArn(alibabaRoleArnProblem),
  role_session_name: patterned(ALIBABA_SESSION_NAME, '2 to 64 letters, digits or .@_- (RoleSessionName)'),
  external_id: patterned(ALIBABA_EXTERNAL_ID, '2 to 1224 letters, digits or +=,.@:/_- (ExternalId)'),
};

export const alibabaAccountSchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(ALIBABA_SOURCES, ALIBABA_SECRET_KEYS, ['access_key_id', 'access_key_secret'], ALIBABA_ROLE_KEYS),
  region: z
    .string({ error: (issue) => (issue.input === undefined ? 'required (e.g. cn-shanghai, or ap-southeast-1 outside China)' : undefined) })
    .regex(REGION, { error: (issue) => `${JSON.stringify(issue.input)} is not a region (e.g. cn-shanghai)` }),
  endpoint: endpoint.optional(),
  servers: autoOrList(id, 'server UUID').optional(),
  task_ids: z.array(id).optional(),
  types: list(oneOf(SAS_VUL_TYPES), 'type').optional(),
  per_server_series: boolean.optional(),
  rate_limit: positiveNumber.optional(),
  request_timeout: duration.optional(),
  max_response_bytes: positiveNumber.optional(),
  full_read_interval: duration.optional(),
  resource_directory_account_id: id.optional(),
});

export type AlibabaAccountFile = z.output<typeof alibabaAccountSchema>;

export function alibabaSettings(account: AlibabaAccountFile, context: SettingsContext): AlibabaAccountConfig {
  return {
    name: account.name,
    credentials: alibabaCredentials(account.credentials, context),
    ...alibabaAccountOptions(account, context),
    ...(account.resource_directory_account_id === undefined ? {} : { resourceDirectoryAccountId: account.resource_directory_account_id }),
  };
}

/** Everything of an account but its name, credentials and member id: what a resource directory's `members:` gives each member too. */
export type AlibabaAccountOptions = Omit<AlibabaAccountConfig, 'name' | 'credentials' | 'resourceDirectoryAccountId'>;

export function alibabaAccountOptions(
  account: Omit<AlibabaAccountFile, 'name' | 'credentials' | 'resource_directory_account_id'>,
  context: SettingsContext,
): AlibabaAccountOptions {
  if (account.request_timeout === 0) throw context.error(['request_timeout'], 'must be greater than 0');
  if (account.full_read_interval === 0) throw context.error(['full_read_interval'], 'must be greater than 0');
  // An explicit endpoint takes any region: it may serve one the lists do not know yet.
  const regionProblem = account.endpoint === undefined ? alibabaRegionProblem(account.region) : undefined;
  if (regionProblem !== undefined) throw context.error(['region'], regionProblem);
  return {
    region: account.region,
    endpoint: account.endpoint ?? alibabaEndpointForRegion(account.region),
    servers: account.servers ?? ALIBABA_DEFAULTS.servers,
    taskIds: account.task_ids ?? [...ALIBABA_DEFAULTS.taskIds],
    types: account.types ?? [...ALIBABA_DEFAULTS.types],
    perServerSeries: account.per_server_series ?? ALIBABA_DEFAULTS.perServerSeries,
    rateLimit: account.rate_limit ?? ALIBABA_DEFAULTS.rateLimit,
    requestTimeoutSeconds: account.request_timeout ?? DEFAULTS.account.requestTimeoutSeconds,
    maxResponseBytes: account.max_response_bytes ?? DEFAULTS.account.maxResponseBytes,
    fullReadIntervalSeconds: account.full_read_interval ?? ALIBABA_DEFAULTS.fullReadIntervalSeconds,
  };
}

export function alibabaCredentials(credentials: AlibabaAccountFile['credentials'], context: SettingsContext): AlibabaCredentials {
  const role = roleSettings(credentials, context, ALIBABA_DEFAULTS.roleDurationSeconds);
  return { ...baseCredentials(credentials, context), ...(role === undefined ? {} : { role }) };
}

function baseCredentials(credentials: AlibabaAccountFile['credentials'], { credentials: reader }: SettingsContext): AlibabaBaseCredentials {
  if (credentials.source !== undefined) return { source: credentials.source };
  const securityToken = reader.secret('security_token', { secretProper: true });
  return {
    source: 'static',
    accessKeyId: reader.required('access_key_id'),
    accessKeySecret: reader.required('access_key_secret', { secretProper: true }),
    ...(securityToken === undefined ? {} : { securityToken }),
  };
}
