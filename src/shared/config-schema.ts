// The building blocks of the configuration file's schema (zod), shared by config (the file's frame:
// cache, scrape) and each cloud's part of it under sources/<cloud>/schema.ts. Messages say what was
// expected and what was given, never the value of a secret.
import { z } from 'zod';
import { DURATION_HINT, parseDuration } from './duration.js';
import { parseEndpoint } from './endpoint.js';

export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

type Issues = z.core.$RefinementCtx['issues'];

function fail(issues: Issues, input: unknown, message: string): typeof z.NEVER {
  issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

/** What a value is, in a message: "a list", "a mapping", "a string", or the value itself (numbers, booleans, null). */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  return String(value);
}

/** A duration (30s, 5m, 1h30m, 500ms) or a number of seconds, in seconds. */
export const duration = z.unknown().transform((value, ctx): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    return fail(ctx.issues, value, `expected a duration (${DURATION_HINT}), got ${describeValue(value)}`);
  }
  const seconds = parseDuration(value);
  if (seconds === undefined) return fail(ctx.issues, value, `${JSON.stringify(String(value))} is not a duration (${DURATION_HINT})`);
  return seconds;
});

/** A number greater than 0; a numeric string (from ${ENV}) is accepted. */
export const positiveNumber = z.unknown().transform((value, ctx): number | undefined => {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number') return fail(ctx.issues, value, `expected a number, got ${describeValue(value)}`);
  if (!(number > 0) || !Number.isFinite(number)) return fail(ctx.issues, value, `must be greater than 0, got ${number}`);
  return number;
});

/** true or false; "true"/"false" (from ${ENV}) is accepted. */
export const boolean = z.unknown().transform((value, ctx): boolean | undefined => {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(ctx.issues, value, `expected true or false, got ${describeValue(value)}`);
});

/** A host name or a URL, parsed. */
export const endpoint = z.string().transform((value, ctx) => {
  const parsed = parseEndpoint(value);
  return 'error' in parsed ? fail(ctx.issues, value, parsed.error) : parsed;
});

export const accountName = z.string().regex(ACCOUNT_NAME, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a valid account name (letters, digits, _ . - only, starting with a letter or digit)`,
});

/** A region id such as cn-shanghai; `example` names one of the cloud's. */
export function region(example: string) {
  return z.string().regex(REGION, { error: (issue) => `${JSON.stringify(issue.input)} is not a region (e.g. ${example})` });
}

/** An id in a list: a string, or an integer (kept as its decimal digits). */
export const id = z
  .union([z.string().trim().min(1), z.number().int().nonnegative()], {
    error: (issue) => `expected an id (a string or a whole number), got ${describeValue(issue.input)}`,
  })
  .transform((value) => String(value));

/** A non-empty list without repeats. */
export function list<T extends z.ZodType<string>>(item: T, what: string) {
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
export function autoOrList<T extends z.ZodType<string>>(item: T, what: string) {
  return z.union([z.literal('auto'), list(item, what)], {
    error: (issue) => `expected auto or a list of ${what}s, got ${describeValue(issue.input)}`,
  });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      `${typeof issue.input === 'string' ? JSON.stringify(issue.input) : describeValue(issue.input)} is not one of ${values.join(', ')}`,
  });
}

/**
 * A `credentials:` mapping: `source: <one of sources>`, or static keys (each inline or as <key>_file),
 * never both; `required` are the static keys that must be given.
 */
export function credentialsSchema<const S extends readonly [string, ...string[]]>(sources: S, keys: readonly string[], required: readonly string[]) {
  const missing = `missing credentials: give ${required.join(' and ')}, or source: ${sources.join('|')}`;
  const shape: Record<string, z.ZodOptional<z.ZodString>> = {};
  for (const key of keys) {
    shape[key] = z.string().optional();
    shape[`${key}_file`] = z.string().optional();
  }
  return z
    .strictObject(
      { source: oneOf(sources).optional(), ...shape },
      { error: (issue) => (issue.input === undefined ? missing : `expected a mapping, got ${describeValue(issue.input)}`) },
    )
    .superRefine((value, ctx) => checkCredentials(value, ctx, keys, required, missing));
}

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

// ---- Organizations (member-account discovery) ----------------------------------------------------

/** A role's name in its member account (CAM and RAM both allow these characters). */
export const roleName = z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a role name (letters, digits and + = , . @ _ - only, at most 64)`,
});

/** A role session's name: what the member's audit log shows as who assumed the role. */
export const roleSessionName = z.string().regex(/^[A-Za-z0-9+=,.@_-]{2,64}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a role session name (2 to 64 of letters, digits and + = , . @ _ -)`,
});

/** An external id the member role's trust policy asks for. */
export const externalId = z.string().regex(/^[A-Za-z0-9+=,.@:/_-]{2,1224}$/, {
  error: 'is not an external id (2 to 1224 of letters, digits and + = , . @ : / _ -)',
});

/** Members named by id or by display name (include:, exclude:). */
export const memberList = list(id, 'member id or name');

/** The lifetime of assumed role credentials both clouds accept, in seconds. */
export const ROLE_DURATION = { minSeconds: 900, maxSeconds: 43200 } as const;
export const ROLE_SESSION_NAME = 'cloudscan-exporter';
/** How often an organization's member list is read again, by default. */
export const MEMBER_REFRESH_INTERVAL_SECONDS = 300;
