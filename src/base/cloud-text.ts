// Bounds on the text a cloud sends, applied where it enters the exporter (issue 21): an error's message,
// code and request id, and every string field of an answer. A cloud (or anything answering in its
// place) may send megabytes in one field; what the exporter keeps, logs and shows of it is cut here,
// once, so no page, log line or debug output downstream has to bound it again.

/** The most characters kept of an error message (a cloud's Message, an SDK's text quoting an answer). */
export const MAX_MESSAGE_CHARS = 1000;
/** The most characters of an error's stack kept for the debug log (the message is part of it). */
export const MAX_STACK_CHARS = 4000;
/** The most characters of an error code: the clouds' are dotted words well under this. */
export const MAX_CODE_CHARS = 128;
/** The clouds' RequestIds are UUIDs (36 characters); anything longer is not one. */
export const MAX_REQUEST_ID_CHARS = 64;
/** The most characters kept of one string field of an answer: names, IPs, times and states are far shorter. */
const MAX_FIELD_CHARS = 1024;

/**
 * `text` cut to `max` characters, saying how long it was (`totalLength`, when `text` is already the
 * start of a longer one); always a copy that shares no memory with `text`: V8 makes a short slice
 * of a long string point into it, which would keep all of it alive.
 */
export function boundedText(text: string, max: number, totalLength = text.length): string {
  if (text.length <= max && totalLength <= max) return detached(text);
  return `${detached(text.slice(0, max))}… (${totalLength} characters in all)`;
}

/** A field of an answer, bounded (see MAX_FIELD_CHARS); the cut is visible ("…") but leaves no note. */
export function boundedField(text: string): string {
  if (text.length <= MAX_FIELD_CHARS) return text;
  return `${detached(text.slice(0, MAX_FIELD_CHARS))}…`;
}

/** An error code or request id: one line of printable ASCII (others as ?), at most `max` characters. */
export function boundedToken(text: string, max: number): string {
  return detached(text.slice(0, max)).replace(/[^\x21-\x7e]/g, '?');
}

/** A copy of `text` in memory of its own. */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
