// Member ids as the clouds list them, checked before they become account labels, role ARNs and
// ResourceDirectoryAccountId values: a listing is an answer from outside, and an id of any text or
// size must not become an account (a 3 MB label, a role assumed in "-1").
import type { AnswerWarning } from '../../contract/types.js';

/** How a cloud's member ids look. */
export interface MemberIdForm {
  /** Decimal digits, no leading zero. */
  pattern: RegExp;
  /** The largest id, where the cloud's type bounds it. */
  max?: bigint;
  /** Says the form, for the warning. */
  text: string;
}

/** Longest id text shown in a warning or on the status page. */
const SHOWN_ID_LENGTH = 40;
/** Refused ids named in one warning; the rest are counted. */
const NAMED_IN_WARNING = 5;

/** `raw` when it is an id of the form; undefined when not (null, negative, leading zeros, out of range, any other text). */
export function memberIdOf(raw: string | null, form: MemberIdForm): string | undefined {
  if (raw === null || raw.length > 40 || !form.pattern.test(raw)) return undefined;
  if (form.max !== undefined && BigInt(raw) > form.max) return undefined;
  return raw;
}

/** An id as it may be shown: cut, one line, quoted. */
export function shownId(raw: string | null): string {
  if (raw === null) return 'null';
  const cut = raw.length > SHOWN_ID_LENGTH ? `${raw.slice(0, SHOWN_ID_LENGTH)}... (${raw.length} characters)` : raw;
  return JSON.stringify(cut.replace(/[^\x20-\x7e]/g, '?'));
}

/** One warning for every id of a listing that was refused: the first few named, the rest counted. */
export function refusedIdsWarning(
  action: string,
  field: string,
  refused: readonly (string | null)[],
  form: MemberIdForm,
): AnswerWarning | undefined {
  if (refused.length === 0) return undefined;
  const named = refused.slice(0, NAMED_IN_WARNING).map(shownId).join(', ');
  const more = refused.length > NAMED_IN_WARNING ? ` and ${refused.length - NAMED_IN_WARNING} more` : '';
  return {
    action,
    kind: 'member ids refused',
    count: refused.length,
    answers: 1,
    message: `${action}: ${refused.length} member(s) left out, their ${field} not ${form.text}: ${named}${more}`,
  };
}
