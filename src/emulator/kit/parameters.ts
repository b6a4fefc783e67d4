// The request parameters an emulated action takes, as its API document gives them: which are required,
// their types and their documented limits. Each cloud's dispatch layer (tencent/actions.ts,
// alibaba/actions.ts) holds one table of these per action and turns a problem into the cloud's own
// error code; the handlers behind it only see requests that passed.

export interface ParameterRule {
  name: string;
  required?: boolean;
  /** string[]: a JSON array of strings (Tencent) or Key.1, Key.2, ... (Alibaba's flattened query). */
  type: 'integer' | 'string' | 'string[]' | 'boolean';
  /** Integers: the smallest and largest value; strings: their length; arrays: their number of items. */
  min?: number;
  max?: number;
  /** The values allowed (a string's, each item of a string[]). */
  oneOf?: readonly string[];
  /** What a string (each item of a string[]) must match. */
  pattern?: RegExp;
  /** An integer that must be a multiple of this other integer parameter (Tencent's Offset of Limit). */
  multipleOf?: string;
  /** The cloud's own error code for a value out of its limits, where the action's document names one. */
  code?: string;
}

interface ParameterProblem {
  /** missing: a required one is absent; type: not of its type; value: outside its documented values. */
  kind: 'missing' | 'type' | 'value';
  name: string;
  message: string;
  /** The rule's own code for this problem, if it has one. */
  code?: string;
}

/** A parameter as the request carries it: a JSON value (Tencent) or the query's text (Alibaba). */
type ParameterValue = unknown;

/** The first problem of a request's parameters, in the order of the rules; undefined when none. */
export function parameterProblem(
  rules: readonly ParameterRule[],
  valueOf: (name: string) => ParameterValue,
  form: 'json' | 'query',
): ParameterProblem | undefined {
  for (const rule of rules) {
    const raw = valueOf(rule.name);
    if (raw === undefined || raw === null || raw === '') {
      if (rule.required)
        return { kind: 'missing', name: rule.name, message: `The request is missing the required parameter ${rule.name}.` };
      continue;
    }
    const problem = ruleProblem(rule, raw, form, (name) => integerOf(valueOf(name), form));
    if (problem) return problem;
  }
  return undefined;
}

function ruleProblem(
  rule: ParameterRule,
  raw: ParameterValue,
  form: 'json' | 'query',
  integer: (name: string) => number | undefined,
): ParameterProblem | undefined {
  const type = (detail: string): ParameterProblem => ({ kind: 'type', name: rule.name, message: `The parameter ${rule.name} ${detail}.` });
  const value = (detail: string): ParameterProblem => ({
    kind: 'value',
    name: rule.name,
    message: `The value of parameter ${rule.name} ${detail}.`,
    ...(rule.code === undefined ? {} : { code: rule.code }),
  });
  const range = (n: number, what: string) =>
    (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)
      ? value(`${what} must be ${rule.min ?? '-∞'} to ${rule.max ?? '∞'}`)
      : undefined;
  switch (rule.type) {
    case 'integer': {
      const n = integerOf(raw, form);
      if (n === undefined) return type('must be an integer');
      const step = rule.multipleOf === undefined ? undefined : integer(rule.multipleOf);
      if (step !== undefined && step > 0 && n % step !== 0) return value(`must be a multiple of ${rule.multipleOf}`);
      return range(n, 'is out of range:');
    }
    case 'boolean':
      return (form === 'json' ? typeof raw === 'boolean' : raw === 'true' || raw === 'false') ? undefined : type('must be true or false');
    case 'string': {
      if (typeof raw !== 'string') return type('must be a string');
      return textProblem(rule, raw, value) ?? range(raw.length, 'length');
    }
    case 'string[]': {
      if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) return type('must be a list of strings');
      for (const item of raw as string[]) {
        const problem = textProblem(rule, item, value);
        if (problem) return problem;
      }
      return range(raw.length, 'has a number of items that');
    }
  }
}

function textProblem(rule: ParameterRule, text: string, value: (detail: string) => ParameterProblem): ParameterProblem | undefined {
  if (rule.oneOf && !rule.oneOf.includes(text)) return value(`${JSON.stringify(text)} is not one of ${rule.oneOf.join(', ')}`);
  if (rule.pattern && !rule.pattern.test(text)) return value(`${JSON.stringify(text)} is not well-formed`);
  return undefined;
}

function integerOf(raw: ParameterValue, form: 'json' | 'query'): number | undefined {
  if (form === 'json') return typeof raw === 'number' && Number.isInteger(raw) ? raw : typeof raw === 'bigint' ? Number(raw) : undefined;
  return typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}
