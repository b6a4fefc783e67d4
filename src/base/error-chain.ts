// What an error is and what caused it, for logs: the class, message, code and stack of each link
// of its `cause` chain. A foreign error (an SDK's) is kept as a copy whose texts have the account's
// secrets taken out, so an ApiError can carry its cause and a log can show it without a secret.
import { MAX_CODE_CHARS, MAX_MESSAGE_CHARS, MAX_STACK_CHARS, boundedText, boundedToken } from './cloud-text.js';

interface ErrorLink {
  /** The class: TencentCloudSDKHttpException, FetchError, TypeError, ... */
  type: string;
  message: string;
  /** A code the error carries (ECONNRESET, RequestLimitExceeded), when it has one. */
  code?: string;
  stack?: string;
}

/** Links past this many are left out: a cause chain is short, a cycle is not. */
const MAX_LINKS = 8;

/** The error and its causes, outermost first. */
export function errorChain(error: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  const seen = new Set<unknown>();
  let current = error;
  while (current !== undefined && current !== null && links.length < MAX_LINKS && !seen.has(current)) {
    seen.add(current);
    links.push(linkOf(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return links;
}

/** A copy of a foreign error: its class name, texts without the secrets, its code, and its causes copied alike. */
class ForeignError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly code: string | undefined,
    stack: string | undefined,
    cause: ForeignError | undefined,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = type;
    if (stack === undefined) delete this.stack;
    else this.stack = stack;
  }
}

/**
 * `error` and its causes as ForeignErrors, every occurrence of each secret (4 characters or more)
 * replaced by <secret>, then each text bounded (base/cloud-text.ts): an SDK's message may quote a
 * whole answer. Secrets are taken out before the cut, so no part of one survives at its edge.
 */
export function scrubbedChain(error: unknown, secrets: readonly string[]): ForeignError | undefined {
  const links = errorChain(error);
  // Only the start of a text is kept: scrubbing that start (with room for a secret that crosses the
  // cut) is enough, and spares copying megabytes an SDK may have quoted.
  const room = Math.max(0, ...secrets.map((secret) => secret.length));
  const scrubbed = (text: string, max: number) => boundedText(scrubSecrets(text.slice(0, max + room), secrets), max, text.length);
  let cause: ForeignError | undefined;
  for (const link of links.reverse()) {
    cause = new ForeignError(
      boundedToken(scrubSecrets(link.type.slice(0, MAX_CODE_CHARS + room), secrets), MAX_CODE_CHARS),
      scrubbed(link.message, MAX_MESSAGE_CHARS),
      link.code === undefined ? undefined : boundedToken(scrubSecrets(link.code.slice(0, MAX_CODE_CHARS + room), secrets), MAX_CODE_CHARS),
      link.stack === undefined ? undefined : scrubbed(link.stack, MAX_STACK_CHARS),
      cause,
    );
  }
  return cause;
}

/** `text` with every occurrence of each secret (4 characters or more) replaced by <secret>. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => (secret.length >= 4 ? result.split(secret).join('<secret>') : result), text);
}

function linkOf(value: unknown): ErrorLink {
  if (!(value instanceof Error)) return { type: typeof value, message: String(value) };
  const code = (value as { code?: unknown }).code;
  return {
    type: typeName(value),
    message: value.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(value.stack === undefined ? {} : { stack: value.stack }),
  };
}

function typeName(error: Error): string {
  if (error instanceof ForeignError) return error.type;
  const constructorName = (error.constructor as { name?: unknown } | undefined)?.name;
  // A plain Error whose name says more (AbortError, TimeoutError) is better known by its name.
  if (typeof constructorName !== 'string' || constructorName === '' || (constructorName === 'Error' && error.name !== 'Error'))
    return error.name;
  return constructorName;
}
