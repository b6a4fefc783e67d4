// ${NAME} and ${NAME:-default} references in scalar values. `$${` writes a literal `${`.
// An unset variable without a default is an error that names the variable, never a value. A
// malformed reference is never quoted: what sits between ${ and } may be the secret itself
// (`secret_key: ${my-real-key}`), and the message reaches --config.check, the log and /-/reload.

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export class EnvReferenceError extends Error {
  override readonly name = 'EnvReferenceError';
}

/** True when the text holds at least one ${...} reference (so it is not a plain literal). */
export function hasEnvReference(text: string): boolean {
  return text.replaceAll('$${', '').includes('${');
}

/** Replaces every reference; throws EnvReferenceError for an unset variable or a malformed reference. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): string {
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
      throw new EnvReferenceError('malformed ${...} reference: not a variable name (write ${NAME} or ${NAME:-default}; $${ for a literal ${)');
    }
    const name = match[1];
    const fallback = match[2];
    const value = env[name];
    if (value !== undefined && (value !== '' || fallback === undefined)) out += value;
    else if (fallback !== undefined) out += fallback;
    else throw new EnvReferenceError(`environment variable ${name} is not set (set it, or write \${${name}:-default})`);
    index = end + 1;
  }
  return out;
}
