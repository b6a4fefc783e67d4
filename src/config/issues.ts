// Turns zod's issues into located, one-line problems, worded for a person editing YAML. No issue
// text quotes a value from under `credentials` (schema.ts words those without the value).
import type { z } from 'zod';
import { describeValue } from '../base/config-schema.js';
import { closest } from '../base/did-you-mean.js';
import type { KeyPath } from './errors.js';
import type { YamlFile } from './document.js';
import { fileSchema } from './schema.js';

interface Problem {
  path: KeyPath;
  detail: string;
  line: number | undefined;
}

/** Messages for the issues whose schema gave none of its own. */
export const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${article(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

/** A problem as found, with what ordering needs: the mapping it is in, and the key it misses or does not know. */
interface Found extends Problem {
  mapping: string;
  /** The key this problem says is unknown, and the known key it is a near miss of. */
  unknown?: { suggested: string | undefined };
  /** The key this problem says is missing. */
  missing?: string;
}

/**
 * Every problem of a failed parse, each with its line, in the order of the file; except that a
 * mapping's unknown keys come before the keys it misses (a missing key has no line of its own, so it
 * takes its mapping's, above the misspelt key), and a missing key that an unknown key is a near
 * miss of is not reported apart: `regoin: cn-shanghai` is "unknown key (did you mean region?)",
 * not "region: required".
 */
export function problemsOf(issues: readonly z.core.$ZodIssue[], yaml: YamlFile, schema: z.ZodType = fileSchema): Problem[] {
  const found: Found[] = [];
  const add = (issue: z.core.$ZodIssue, prefix: KeyPath): void => {
    const path = [...prefix, ...issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = closestKey(key, knownKeys(schema, path));
        found.push({
          path: [...path, key],
          detail: suggestion === undefined ? 'unknown key' : `unknown key (did you mean ${suggestion}?)`,
          line: yaml.lineOfKey(path, key),
          mapping: JSON.stringify(path),
          unknown: { suggested: suggestion },
        });
      }
      return;
    }
    if (issue.code === 'invalid_union' && Array.isArray(issue.input)) {
      // "auto or a list": for a list, the list branch's own issues say what is wrong inside it.
      const branch = issue.errors.find((errors) => errors.every((inner) => inner.path.length > 0 || inner.code === 'too_small'));
      if (branch !== undefined && branch.length > 0) {
        for (const inner of branch) add(inner, path);
        return;
      }
    }
    const key = path.at(-1);
    const missing = issue.input === undefined && typeof key === 'string' && (issue.code === 'invalid_type' || issue.message === 'required');
    found.push({
      path,
      detail: issue.message,
      line: yaml.lineOf(path),
      mapping: JSON.stringify(path.slice(0, -1)),
      ...(missing ? { missing: key } : {}),
    });
  };
  for (const issue of issues) add(issue, []);

  const unknown = found.filter((p) => p.unknown !== undefined);
  const nearMisses = new Set(unknown.flatMap((p) => (p.unknown?.suggested === undefined ? [] : [`${p.mapping}|${p.unknown.suggested}`])));
  const lastUnknownLine = new Map<string, number>();
  for (const p of unknown) lastUnknownLine.set(p.mapping, Math.max(lastUnknownLine.get(p.mapping) ?? -Infinity, p.line ?? -Infinity));
  const order = (p: Found): number => {
    const line = p.line ?? Infinity;
    return p.missing === undefined ? line : Math.max(line, (lastUnknownLine.get(p.mapping) ?? -Infinity) + 0.5);
  };
  return found
    .filter((p) => p.missing === undefined || !nearMisses.has(`${p.mapping}|${p.missing}`))
    .sort((a, b) => order(a) - order(b))
    .map(({ path, detail, line }) => ({ path, detail, line }));
}

/** The keys `root` (a zod schema) allows at this path, for did-you-mean. */
export function knownKeys(root: unknown, path: KeyPath): string[] {
  let schema: unknown = root;
  const unwrap = (s: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (s as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
      if (def?.type === 'optional' || def?.type === 'default' || def?.type === 'nullable') s = def.innerType;
      else if (def?.type === 'pipe') s = def.in;
      else return s;
    }
    return s;
  };
  for (const step of path) {
    schema = unwrap(schema);
    const def = (schema as { _zod?: { def?: { type?: string; element?: unknown; shape?: Record<string, unknown> } } })._zod?.def;
    if (def?.type === 'array' && typeof step === 'number') schema = def.element;
    else if (def?.type === 'object' && typeof step === 'string') schema = def.shape?.[step];
    else return [];
  }
  const def = (unwrap(schema) as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The known key nearest the unknown one, for did-you-mean (base/did-you-mean.ts). */
export const closestKey = closest;
