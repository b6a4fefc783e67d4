// The building blocks of the configuration file's schema (zod), shared by config (the file's frame:
// cache, scrape) and each cloud's part of it under sources/<cloud>/schema.ts. Messages say what was
// expected and what was given, never the value of a secret.
import { z } from 'zod';
import { DURATION_HINT, parseDuration } from './duration.js';
import { parseEndpoint } from './endpoint.js';

const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
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
 * The role to assume with a `credentials:` mapping's base credential (each cloud gives the schema
 * of its own ARN, session name and external id; durations and the STS endpoint are common).
 */
interface RoleKeySchemas {
  role_arn: z.ZodType<string>;
  role_session_name: z.ZodType<string>;
  external_id: z.ZodType<string>;
}

/**
 * How a role is assumed: its session name and external id (each cloud's own rules) and the lifetime
 * of its keys. An account's `credentials:` give them with `role_arn`, an organization with `member_role`.
 */
export function roleOptionSchemas(role: RoleKeySchemas) {
  return {
    role_session_name: role.role_session_name.optional(),
    duration: duration.optional(),
    external_id: role.external_id.optional(),
  };
}

/** The keys of `credentials:` that only mean something with `role_arn`. */
const ROLE_OPTION_KEYS = ['role_session_name', 'duration', 'external_id', 'sts_endpoint'] as const;

/**
 * A `credentials:` mapping: `source: <one of sources>`, or static keys (each inline or as <key>_file),
 * never both; `required` are the static keys that must be given. With `role_arn` the base credential
 * assumes that role (with its options, `role` giving the cloud's own checks of them) and the
 * account's calls are signed with the role's temporary keys.
 */
export function credentialsSchema<const S extends readonly [string, ...string[]]>(
  sources: S,
  keys: readonly string[],
  required: readonly string[],
  role: RoleKeySchemas,
) {
  const missing = `missing credentials: give ${required.join(' and ')}, or source: ${sources.join('|')}`;
  const shape: Record<string, z.ZodOptional<z.ZodString>> = {};
  for (const key of keys) {
    shape[key] = z.string().optional();
    shape[`${key}_file`] = z.string().optional();
  }
  return z
    .strictObject(
      {
        source: oneOf(sources).optional(),
        ...shape,
        role_arn: role.role_arn.optional(),
        ...roleOptionSchemas(role),
        sts_endpoint: endpoint.optional(),
      },
      { error: (issue) => (issue.input === undefined ? missing : `expected a mapping, got ${describeValue(issue.input)}`) },
    )
    .superRefine((value, ctx) => {
      checkCredentials(value, ctx, keys, required, missing);
      checkRoleOptions(value, ctx);
    });
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
    // A role is assumed with a base credential: role_arn alone has nothing to sign AssumeRole with.
    const detail = value['role_arn'] === undefined ? missing : `role_arn needs a base credential to assume the role with; ${missing}`;
    ctx.addIssue({ code: 'custom', path: [], input: undefined, message: detail });
    return;
  }
  for (const key of required) {
    if (!given(key)) ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: 'required' });
  }
}

/** The role's options only mean something with role_arn. */
function checkRoleOptions(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (value['role_arn'] !== undefined) return;
  for (const key of ROLE_OPTION_KEYS) {
    if (value[key] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: 'only with role_arn (the role to assume)' });
    }
  }
}

/**
 * A role ARN, checked by the cloud's `problem` (undefined when good). The message quotes the value
 * only when it looks like an ARN: a secret pasted into the wrong key is never echoed.
 */
export function roleArn(problem: (text: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const found = problem(value);
    if (found === undefined) return;
    const shown = /^[\w+=,.@:/ -]{1,256}$/.test(value) && value.includes(':') ? JSON.stringify(value) : 'the value';
    ctx.addIssue({ code: 'custom', input: undefined, message: `${shown} ${found}` });
  });
}

/** A string matching `pattern`, described by `rule` when it does not (the value is not quoted). */
export function patterned(pattern: RegExp, rule: string) {
  return z.string().regex(pattern, { error: () => `must be ${rule}` });
}

// ---- Organizations (member-account discovery) ----------------------------------------------------

/** A role's name in its member account (CAM and RAM both allow these characters). */
export const roleName = z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a role name (letters, digits and + = , . @ _ - only, at most 64)`,
});

/** Members named by id or by display name (include:, exclude:). */
export const memberList = list(id, 'member id or name');
