// The shape of the YAML file (snake_case keys), validated strictly: unknown keys are errors. Values
// are checked and converted here (durations to seconds, endpoints parsed); defaults, credentials
// and cross-account checks are applied when building the ExporterConfig (build.ts).
import { z } from 'zod';
import { CWP_MODULES, SAS_VUL_TYPES } from '../sources/types.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import { parseEndpoint } from '../shared/endpoint.js';

export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const TIME_ZONE = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;

type Issues = z.core.$RefinementCtx['issues'];

function fail(issues: Issues, input: unknown, message: string): typeof z.NEVER {
  issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  return String(value);
}

/** A duration (30s, 5m, 1h30m, 500ms) or a number of seconds, in seconds. */
const duration = z.unknown().transform((value, ctx): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    return fail(ctx.issues, value, `expected a duration (${DURATION_HINT}), got ${describe(value)}`);
  }
  const seconds = parseDuration(value);
  if (seconds === undefined) return fail(ctx.issues, value, `${JSON.stringify(String(value))} is not a duration (${DURATION_HINT})`);
  return seconds;
});

/** A number greater than 0; a numeric string (from ${ENV}) is accepted. */
const positiveNumber = z.unknown().transform((value, ctx): number | undefined => {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number') return fail(ctx.issues, value, `expected a number, got ${describe(value)}`);
  if (!(number > 0) || !Number.isFinite(number)) return fail(ctx.issues, value, `must be greater than 0, got ${number}`);
  return number;
});

/** true or false; "true"/"false" (from ${ENV}) is accepted. */
const boolean = z.unknown().transform((value, ctx): boolean | undefined => {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(ctx.issues, value, `expected true or false, got ${describe(value)}`);
});

const endpoint = z.string().transform((value, ctx) => {
  const parsed = parseEndpoint(value);
  return 'error' in parsed ? fail(ctx.issues, value, parsed.error) : parsed;
});

const accountName = z.string().regex(ACCOUNT_NAME, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a valid account name (letters, digits, _ . - only, starting with a letter or digit)`,
});

/** An id in a list: a string, or an integer (kept as its decimal digits). */
const id = z
  .union([z.string().trim().min(1), z.number().int().nonnegative()], {
    error: (issue) => `expected an id (a string or a whole number), got ${describe(issue.input)}`,
  })
  .transform((value) => String(value));

/** A non-empty list without repeats. */
function list<T extends z.ZodType<string>>(item: T, what: string) {
  return z
    .array(item)
    .min(1, { error: `must not be empty (list at least one ${what})` })
    .superRefine((values, ctx) => {
      // A Set, not indexOf: a list of 100,000 ids must not take 10^10 comparisons.
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value)) {
          ctx.addIssue({ code: 'custom', path: [index], input: value, message: `${JSON.stringify(value)} is listed twice` });
        }
        seen.add(value);
      });
    });
}

/** "auto" or a non-empty list. */
function autoOrList<T extends z.ZodType<string>>(item: T, what: string) {
  return z.union([z.literal('auto'), list(item, what)], {
    error: (issue) => `expected auto or a list of ${what}s, got ${describe(issue.input)}`,
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      `${typeof issue.input === 'string' ? JSON.stringify(issue.input) : describe(issue.input)} is not one of ${values.join(', ')}`,
  });
}

const secretText = z.string();

/** `credentials: { secret_id, secret_key, token? }` (each also as *_file) or `{ source: ... }`. */
export const TENCENT_SOURCES = ['env', 'profile', 'cvm_role', 'oidc'] as const;
export const TENCENT_SECRET_KEYS = ['secret_id', 'secret_key', 'token'] as const;
const MISSING_TENCENT = `missing credentials: give secret_id and secret_key, or source: ${TENCENT_SOURCES.join('|')}`;

const tencentCredentials = z
  .strictObject(
    {
      source: oneOf(TENCENT_SOURCES).optional(),
      secret_id: secretText.optional(),
      secret_id_file: z.string().optional(),
      secret_key: secretText.optional(),
      secret_key_file: z.string().optional(),
      token: secretText.optional(),
      token_file: z.string().optional(),
    },
    { error: (issue) => (issue.input === undefined ? MISSING_TENCENT : `expected a mapping, got ${describe(issue.input)}`) },
  )
  .superRefine((value, ctx) => checkCredentials(value, ctx, TENCENT_SECRET_KEYS, ['secret_id', 'secret_key'], MISSING_TENCENT));

export const ALIBABA_SOURCES = ['default'] as const;
export const ALIBABA_SECRET_KEYS = ['access_key_id', 'access_key_secret', 'security_token'] as const;
const MISSING_ALIBABA = `missing credentials: give access_key_id and access_key_secret, or source: ${ALIBABA_SOURCES.join('|')}`;

const alibabaCredentials = z
  .strictObject(
    {
      source: oneOf(ALIBABA_SOURCES).optional(),
      access_key_id: secretText.optional(),
      access_key_id_file: z.string().optional(),
      access_key_secret: secretText.optional(),
      access_key_secret_file: z.string().optional(),
      security_token: secretText.optional(),
      security_token_file: z.string().optional(),
    },
    { error: (issue) => (issue.input === undefined ? MISSING_ALIBABA : `expected a mapping, got ${describe(issue.input)}`) },
  )
  .superRefine((value, ctx) =>
    checkCredentials(value, ctx, ALIBABA_SECRET_KEYS, ['access_key_id', 'access_key_secret'], MISSING_ALIBABA),
  );

/** Either source:, or the static keys (each given once, inline or as *_file), never both. */
function checkCredentials(
  value: Record<string, unknown>,
  ctx: z.RefinementCtx,
  keys: readonly string[],
  required: readonly string[],
  missing: string,
): void {
  const given = (key: string) => value[key] !== undefined || value[`${key}_file`] !== undefined;
  for (const key of keys) {
    if (value[key] !== undefined && value[`${key}_file`] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [`${key}_file`], input: undefined, message: `give ${key} or ${key}_file, not both` });
    }
  }
  const anyStatic = keys.some(given);
  if (value['source'] !== undefined) {
    if (anyStatic) {
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        input: undefined,
        message: `give either source: or ${required.join(' and ')}, not both`,
      });
    }
    return;
  }
  if (!anyStatic) {
    ctx.addIssue({ code: 'custom', path: [], input: undefined, message: missing });
    return;
  }
  for (const key of required) {
    if (!given(key)) ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: 'required' });
  }
}

const tencentAccount = z.strictObject({
  name: accountName,
  credentials: tencentCredentials,
  endpoint: endpoint.optional(),
  region: z.string().regex(REGION, { error: (issue) => `${JSON.stringify(issue.input)} is not a region (e.g. ap-guangzhou)` }).optional(),
  modules: list(oneOf(CWP_MODULES), 'module').optional(),
  baseline_strategies: autoOrList(id, 'strategy id').optional(),
  rate_limit: positiveNumber.optional(),
  time_zone: z
    .string()
    .regex(TIME_ZONE, { error: (issue) => `${JSON.stringify(issue.input)} is not a time zone offset (write +08:00 or -05:00)` })
    .optional(),
  request_timeout: duration.optional(),
  max_response_bytes: positiveNumber.optional(),
});

const alibabaAccount = z.strictObject({
  name: accountName,
  credentials: alibabaCredentials,
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
  resource_directory_account_id: id.optional(),
});

export const fileSchema = z.strictObject({
  cache: z.strictObject({ ttl: duration.optional(), max_stale: duration.optional() }).optional(),
  scrape: z.strictObject({ timeout: duration.optional(), timeout_offset: duration.optional() }).optional(),
  tencent: z.array(tencentAccount).optional(),
  alibaba: z.array(alibabaAccount).optional(),
});

export type ConfigFile = z.output<typeof fileSchema>;
export type TencentAccountFile = z.output<typeof tencentAccount>;
export type AlibabaAccountFile = z.output<typeof alibabaAccount>;
