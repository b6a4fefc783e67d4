// ${NAME} and ${NAME:-default} references in scalar values. `$${` writes a literal `${`.
// An unset variable without a default is an error that names the variable, never a value; every
// unset variable of a value is named (document.ts gathers those of the whole file into one error). A
// malformed reference is never quoted: what sits between ${ and } may be the secret itself
// (`secret_key: ${my-real-key}`), and the message reaches --config.check, the log and /-/reload.

import { formatPath, type KeyPath } from './errors.js';

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export class EnvReferenceError extends Error {
  override readonly name = 'EnvReferenceError';
}

/** The variables a value refers to that are not set (and have no default), in the order written. */
export class UnsetVariablesError extends EnvReferenceError {
  constructor(readonly variables: readonly string[]) {
    super(
      `environment variable${variables.length === 1 ? '' : 's'} ${variables.join(', ')} ${variables.length === 1 ? 'is' : 'are'} not set`,
    );
  }
}

/** True when the text holds at least one ${...} reference (so it is not a plain literal). */
export function hasEnvReference(text: string): boolean {
  return text.replaceAll('$${', '').includes('${');
}

/**
 * Replaces every reference; throws EnvReferenceError for a malformed reference (the first), else
 * UnsetVariablesError naming every unset variable.
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
  const unset: string[] = [];
  let out = '';
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf('$', index);
    if (start < 0) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, start);
    if (text.startsWith('$${', start)) {
      out += '${';
      index = start + 3;
      continue;
    }
    if (!text.startsWith('${', start)) {
      out += '$';
      index = start + 1;
      continue;
    }
    const end = text.indexOf('}', start + 2);
    if (end < 0) throw new EnvReferenceError('unclosed ${ (write ${NAME} or ${NAME:-default}; $${ for a literal ${)');
    const inner = text.slice(start + 2, end);
    const match = REFERENCE.exec(inner);
    if (match === null || match[1] === undefined) {
      throw new EnvReferenceError(
        'malformed ${...} reference: not a variable name (write ${NAME} or ${NAME:-default}; $${ for a literal ${)',
      );
    }
    const name = match[1];
    const fallback = match[2];
    const value = env[name];
    if (value !== undefined && (value !== '' || fallback === undefined)) out += value;
    else if (fallback !== undefined) out += fallback;
    else if (!unset.includes(name)) unset.push(name);
    index = end + 1;
  }
  if (unset.length > 0) throw new UnsetVariablesError(unset);
  return out;
}

/** Where an unset variable is referred to: the key path and line of its value. */
export interface UnsetReference {
  readonly variable: string;
  readonly path: KeyPath;
  readonly line: number | undefined;
  /**
   * For a secret, the `<key>_file` key that could read it from a file instead. A secret gets no
   * `${NAME:-default}` hint: a default secret written into the file is a secret written inline.
   */
  readonly secretFileKey: string | undefined;
}

/** The remedies for unset variables: set them; a secret from its file key; a default for the rest. */
function remedies(references: readonly UnsetReference[]): string {
  const fileKeys = [
    ...new Set(references.flatMap((reference) => (reference.secretFileKey === undefined ? [] : [reference.secretFileKey]))),
  ];
  const defaults = references
    .filter((reference) => reference.secretFileKey === undefined)
    .map((reference) => `\${${reference.variable}:-default}`);
  if (references.length === 1)
    return fileKeys.length > 0
      ? `set it, or read the secret from a file with ${fileKeys.join('')}`
      : `set it, or write ${defaults.join('')}`;
  return [
    'set them',
    ...(fileKeys.length > 0 ? [`or read the secrets from files (${fileKeys.join(', ')})`] : []),
    ...(defaults.length > 0 ? [`or give ${defaults.length === 1 ? 'a default' : 'defaults'} where one fits (${defaults.join(', ')})`] : []),
  ].join('; ');
}

/**
 * One message for every unset variable of the file, each named once (at its first reference; a
 * secret wherever it is one): the whole fix in one run, not one variable per run.
 */
export function describeUnsetVariables(references: readonly UnsetReference[]): {
  detail: string;
  line: number | undefined;
  path: KeyPath | undefined;
} {
  const byVariable = new Map<string, UnsetReference>();
  for (const reference of references) {
    const first = byVariable.get(reference.variable);
    if (first === undefined) byVariable.set(reference.variable, reference);
    else if (first.secretFileKey === undefined && reference.secretFileKey !== undefined)
      byVariable.set(reference.variable, { ...first, secretFileKey: reference.secretFileKey });
  }
  const unset = [...byVariable.values()];
  const [first] = unset;
  if (first === undefined) throw new Error('describeUnsetVariables: no references');
  if (unset.length === 1) {
    return { detail: `environment variable ${first.variable} is not set (${remedies(unset)})`, line: first.line, path: first.path };
  }
  const places = unset.map(
    (reference) => `${reference.variable} (${formatPath(reference.path)}${reference.line === undefined ? '' : `, line ${reference.line}`})`,
  );
  return {
    detail: `${unset.length} environment variables are not set: ${places.join(', ')}; ${remedies(unset)}`,
    line: first.line,
    path: undefined,
  };
}
