// JSON answers of both clouds, read our way: only what announces itself as JSON, and with every
// digit of large integers kept (task ids above 2^53 are labels, not numbers to round).
import { AnswerError } from './http-call.js';

/** True for a JSON media type (application/json, text/json, application/*+json), or none at all. */
export function isJsonContentType(header: string | null | undefined): boolean {
  if (header === null || header === undefined || header.trim() === '') return true;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** Throws AnswerError not_json for an answer that does not announce JSON (an event stream, a page, a file). */
export function expectJsonContentType(header: string | null | undefined): void {
  if (isJsonContentType(header)) return;
  const shown = String(header)
    .slice(0, 60)
    .replace(/[^\x20-\x7e]/g, '?');
  throw new AnswerError('not_json', `the answer is not JSON (Content-Type ${JSON.stringify(shown)})`);
}

/** The longest integer literal kept whole as a bigint. */
const MAX_BIG_INTEGER_CHARS = 40;

const BIG_INTEGER_MARK = '\u0000cloudscan-bigint:';
/** The same mark as JSON string text (a raw control character is not allowed inside a JSON string). */
const BIG_INTEGER_MARK_JSON = '\\u0000cloudscan-bigint:';

/**
 * The longest integer literal made a bigint; a longer one (no id or count has 40 digits) stays its
 * digits as a string, which an id check then refuses: turning a million digits into a bigint stalls
 * the event loop for seconds.
 */
const MAX_BIGINT_DIGITS = 40;

/**
 * JSON.parse, except that integers beyond Number's exact range become bigints with all their
 * digits. Node 20's JSON.parse gives a reviver no source text, so such literals are first turned
 * into marked strings (outside strings only) and turned back into bigints by the reviver.
 */
export function parseJsonKeepingIntegers(text: string): unknown {
  let marked = '';
  let copiedUpTo = 0;
  let anyMarked = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      continue;
    }
    if (c !== 0x2d /* - */ && (c < 0x30 || c > 0x39)) continue;
    let end = i + 1;
    while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
    const token = text.slice(i, end);
    // Longer than any id (a 64-bit one has 20 digits): left to JSON.parse, which makes it a rounded
    // number or Infinity, refused where an id is read. Converting megabytes of digits would take seconds.
    if (/^-?\d{16,}$/.test(token) && token.length <= MAX_BIG_INTEGER_CHARS && !Number.isSafeInteger(Number(token))) {
      marked += `${text.slice(copiedUpTo, i)}"${BIG_INTEGER_MARK_JSON}${token}"`;
      copiedUpTo = end;
      anyMarked = true;
    }
    i = end - 1;
  }
  if (!anyMarked) return JSON.parse(text) as unknown;
  marked += text.slice(copiedUpTo);
  return JSON.parse(marked, (_key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(BIG_INTEGER_MARK)) return value;
    const digits = value.slice(BIG_INTEGER_MARK.length);
    if (!/^-?\d+$/.test(digits)) return value;
    return digits.length > MAX_BIGINT_DIGITS ? digits : BigInt(digits);
  }) as unknown;
}

/** 0-9 . e E + -: what a JSON number literal is made of. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
