// Tencent Cloud CWP's part of the configuration file: one account under `tencent:`, validated
// strictly, and turned into the settings its source reads, with the defaults applied.
import { z } from 'zod';
import {
  accountName,
  autoOrList,
  boolean,
  describeValue,
  credentialsSchema,
  duration,
  endpoint,
  id,
  list,
  oneOf,
  patterned,
  positiveNumber,
  region,
  roleArn,
} from '../../base/config-schema.js';
import { DEFAULTS } from '../../base/defaults.js';
import type { Endpoint } from '../../base/endpoint.js';
import type { SettingsContext } from '../../contract/provider.js';
import { roleSettings } from '../kit/role-schema.js';
import type { TencentAccountConfig, TencentBaseCredentials, TencentCoverageConfig, TencentCredentials } from './config.js';
import { TENCENT_EXTERNAL_ID, TENCENT_SESSION_NAME, tencentRoleArnProblem } from './role-arn.js';
import { CWP_MODULES, type CwpModule } from './types.js';
import { TENCENT_REGIONS, tencentRegionProblem } from './regions.js';
import { CWP_MACHINE_TYPES, type CwpMachineType } from './api.js';

const TIME_ZONE = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;

export const TENCENT_SOURCES = ['env', 'profile', 'cvm_role', 'oidc'] as const;
export const TENCENT_SECRET_KEYS = ['secret_id', 'secret_key', 'token'] as const;

/** Tencent Cloud's own defaults: of an account, its role and an organization (the rest are every cloud's, base/defaults.ts). */
export const TENCENT_DEFAULTS = {
  endpoint: { protocol: 'https', host: 'cwp.tencentcloudapi.com' } satisfies Endpoint as Endpoint,
  modules: ['Malware', 'Vul', 'Baseline'] as readonly CwpModule[],
  baselineStrategies: 'auto' as const,
  rateLimit: 20,
  timeZone: '+08:00',
  perHostSeries: true,
  /** STS AssumeRole's own default. */
  roleDurationSeconds: 7200,
  /** Coverage: asked in the account's region, else this one. */
  coverageRegion: 'ap-guangzhou',
  coverageMachineTypes: ['CVM', 'LH', 'Other'] as readonly CwpMachineType[],
  coverageIntervalSeconds: 600,
  /** ListOrganizationMembers' documented limit; DescribeOrganizationMembers' page names none. */
  organizationRateLimit: 20,
} as const;

const coverageSchema = z.strictObject({
  enabled: boolean.optional(),
  regions: z
    .union([z.literal('all'), list(region('ap-guangzhou'), 'region')], {
      error: (issue) => `expected all or a list of regions, got ${describeValue(issue.input)}`,
    })
    .optional(),
  machine_types: list(oneOf(CWP_MACHINE_TYPES), 'machine type').optional(),
  interval: duration.optional(),
});

export const TENCENT_ROLE_KEYS = {
  role_arn: roleArn(tencentRoleArnProblem),
  role_session_name: patterned(TENCENT_SESSION_NAME, '2 to 128 letters, digits or =,.@_- (RoleSessionName)'),
  external_id: patterned(TENCENT_EXTERNAL_ID, '2 to 128 letters, digits or +=,.@:/_- (ExternalId)'),
};

export const tencentAccountSchema = z.strictObject({
  name: accountName,
  credentials: credentialsSchema(TENCENT_SOURCES, TENCENT_SECRET_KEYS, ['secret_id', 'secret_key'], TENCENT_ROLE_KEYS),
  endpoint: endpoint.optional(),
  region: region('ap-guangzhou').optional(),
  modules: list(oneOf(CWP_MODULES), 'module').optional(),
  baseline_strategies: autoOrList(id, 'strategy id').optional(),
  rate_limit: positiveNumber.optional(),
  time_zone: z
    .string()
    .regex(TIME_ZONE, { error: (issue) => `${JSON.stringify(issue.input)} is not a time zone offset (write +08:00 or -05:00)` })
    .optional(),
  per_host_series: boolean.optional(),
  request_timeout: duration.optional(),
  max_response_bytes: positiveNumber.optional(),
  coverage: coverageSchema.optional(),
});

export type TencentAccountFile = z.output<typeof tencentAccountSchema>;

export function tencentSettings(account: TencentAccountFile, context: SettingsContext): TencentAccountConfig {
  return { name: account.name, credentials: tencentCredentials(account.credentials, context), ...tencentAccountOptions(account, context) };
}

/** Everything of an account but its name and credentials: what an organization's `members:` gives each member too. */
export type TencentAccountOptions = Omit<TencentAccountConfig, 'name' | 'credentials'>;

export function tencentAccountOptions(
  account: Omit<TencentAccountFile, 'name' | 'credentials'>,
  context: SettingsContext,
): TencentAccountOptions {
  if (account.request_timeout === 0) throw context.error(['request_timeout'], 'must be greater than 0');
  // An explicit endpoint takes any region: it may serve one the lists do not know yet.
  const regionProblem = account.region === undefined || account.endpoint !== undefined ? undefined : tencentRegionProblem(account.region);
  if (regionProblem !== undefined) throw context.error(['region'], regionProblem);
  return {
    endpoint: account.endpoint ?? { ...TENCENT_DEFAULTS.endpoint },
    ...(account.region === undefined ? {} : { region: account.region }),
    modules: account.modules ?? [...TENCENT_DEFAULTS.modules],
    baselineStrategies: account.baseline_strategies ?? TENCENT_DEFAULTS.baselineStrategies,
    rateLimit: account.rate_limit ?? TENCENT_DEFAULTS.rateLimit,
    timeZone: account.time_zone ?? TENCENT_DEFAULTS.timeZone,
    perHostSeries: account.per_host_series ?? TENCENT_DEFAULTS.perHostSeries,
    requestTimeoutSeconds: account.request_timeout ?? DEFAULTS.account.requestTimeoutSeconds,
    maxResponseBytes: account.max_response_bytes ?? DEFAULTS.account.maxResponseBytes,
    coverage: coverageSettings(account.coverage, account.region, context),
  };
}

/** Coverage with its defaults: every region known when `all`; each listed region checked as `region` is. */
function coverageSettings(
  coverage: z.output<typeof coverageSchema> | undefined,
  accountRegion: string | undefined,
  context: SettingsContext,
): TencentCoverageConfig {
  if (coverage?.interval === 0) throw context.error(['coverage', 'interval'], 'must be greater than 0');
  const listed = coverage?.regions;
  if (Array.isArray(listed)) {
    listed.forEach((region, index) => {
      const problem = tencentRegionProblem(region);
      if (problem !== undefined)
        throw context.error(
          ['coverage', 'regions', index],
          problem.replace(/; a region not listed.*$/, ' (docs/configuration.md lists them)'),
        );
    });
  }
  return {
    enabled: coverage?.enabled ?? true,
    regions: listed === 'all' ? [...TENCENT_REGIONS] : (listed ?? [accountRegion ?? TENCENT_DEFAULTS.coverageRegion]),
    machineTypes: coverage?.machine_types ?? [...TENCENT_DEFAULTS.coverageMachineTypes],
    intervalSeconds: coverage?.interval ?? TENCENT_DEFAULTS.coverageIntervalSeconds,
  };
}

export function tencentCredentials(credentials: TencentAccountFile['credentials'], context: SettingsContext): TencentCredentials {
  const role = roleSettings(credentials, context, TENCENT_DEFAULTS.roleDurationSeconds);
  return { ...baseCredentials(credentials, context), ...(role === undefined ? {} : { role }) };
}

function baseCredentials(credentials: TencentAccountFile['credentials'], { credentials: reader }: SettingsContext): TencentBaseCredentials {
  if (credentials.source !== undefined) return { source: credentials.source };
  const token = reader.secret('token', { secretProper: true });
  return {
    source: 'static',
    secretId: reader.required('secret_id'),
    secretKey: reader.required('secret_key', { secretProper: true }),
    ...(token === undefined ? {} : { token }),
  };
}
