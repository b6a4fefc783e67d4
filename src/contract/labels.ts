// Bounds on the values a cloud sends that become label values, so a cloud cannot make the exporter
// hold or send series of any size or number (issue 11, finding 7).

/** Ids and codes (task ids, types, failure codes, UUIDs): at most this many characters. */
export const MAX_ID_LENGTH = 64;
/** Names (instance and strategy names): at most this many characters. */
const MAX_NAME_LENGTH = 128;
/** Subtasks reported per server and answer; more are dropped and counted (reason "subtasks"). */
export const MAX_SUBTASKS_PER_SERVER = 500;

/** An id or code as a label value: letters, digits and . _ - : / kept, anything else as _, at most MAX_ID_LENGTH. */
export function idLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9._:/-]/g, '_').slice(0, MAX_ID_LENGTH);
}

/** A name as a label value: control and invisible format characters removed, at most MAX_NAME_LENGTH code points. */
export function nameLabel(text: string): string {
  return [...text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')].slice(0, MAX_NAME_LENGTH).join('');
}

/**
 * The label value for `text`, with `warn` told when it had to be changed: the kind of odd value
 * ("<field> is not a plain <kind>", naming no item) and the message quoting it.
 */
export function boundedLabel(text: string, kind: 'id' | 'name', field: string, warn: (kind: string, message: string) => void): string {
  const bounded = kind === 'id' ? idLabel(text) : nameLabel(text);
  if (bounded !== text) {
    warn(
      `${field} is not a plain ${kind}`,
      `${field} ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '...' : ''} is not a plain ${kind}; reported as ${JSON.stringify(bounded)}`,
    );
  }
  return bounded;
}
