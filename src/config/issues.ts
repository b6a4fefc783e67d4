// Turns zod's issues into located, one-line problems, worded for a person editing YAML. No issue
// text quotes a value from under `credentials` (schema.ts words those without the value).
import type { z } from 'zod';
import { describeValue } from '../shared/config-schema.js';
import type { KeyPath } from './errors.js';
import type { YamlFile } from './document.js';
import { fileSchema } from './schema.js';

export interface Problem {
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

/** Every problem of a failed parse, each with its line, in the order of the file. */
export function problemsOf(issues: readonly z.core.$ZodIssue[], yaml: YamlFile, schema: z.ZodType = fileSchema): Problem[] {
  const problems: Problem[] = [];
  const add = (issue: z.core.$ZodIssue, prefix: KeyPath): void => {
    const path = [...prefix, ...issue.path.map((step) => (typeof step === 'symbol' ? String(step) : step))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const suggestion = closestKey(key, knownKeys(schema, path));
        problems.push({
          path: [...path, key],
          detail: suggestion === undefined ? 'unknown key' : `unknown key (did you mean ${suggestion}?)`,
          line: yaml.lineOfKey(path, key),
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
    problems.push({ path, detail: issue.message, line: yaml.lineOf(path) });
  };
  for (const issue of issues) add(issue, []);
  return problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
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

/**
 * The known key nearest the unknown one (the first of equals), when within `maxDistance` edits:
 * by default 2, or a third of the key's length.
 */
export function closestKey(key: string, known: readonly string[], maxDistance?: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= (maxDistance ?? Math.max(2, Math.floor(best.length / 3))) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one edit.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}
