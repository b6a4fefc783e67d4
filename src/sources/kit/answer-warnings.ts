// The odd values of one refresh's answers, folded as they are found (issue 21, finding 5): one
// warning per kind of odd value and action, with the first one's words and how many there were, so
// that 20,000 hosts with odd names are one log line, not 20,000; and the answers that held any odd
// value, counted once each, which is what cloudscan_api_errors_total{code="invalid_response"} counts.
// A kind is a fixed text of the code (it names no item and quotes no value), so kinds are few; past
// MAX_WARNING_KINDS per refresh the rest are folded into one more, so nothing grows without bound.
import { boundedText } from '../../base/cloud-text.js';
import type { AnswerWarning, DropReason } from '../../contract/types.js';

/**
 * Tells one odd value of an answer: `kind` says what is odd without naming the item or quoting the
 * value ("HostName is not a plain name"), `message` says it in full, naming both; `dropped`, values
 * left out to bound the series.
 */
export type Warn = (kind: string, message: string, dropped?: { reason: DropReason; count: number }) => void;

/** Kinds of odd values kept apart per refresh; more are folded into one (none of the code's comes close). */
export const MAX_WARNING_KINDS = 64;
/** The kind the others are folded into past MAX_WARNING_KINDS. */
export const OTHER_KINDS = 'other kinds of odd values';
/** The most characters of a warning's message: it quotes cloud values, bounded already, but several. */
const MAX_WARNING_CHARS = 500;

export class AnswerWarnings {
  readonly #byKind = new Map<string, AnswerWarning>();

  /**
   * A Warn for one answer of `action`. However many odd values the answer holds, it is counted once:
   * under the kind of its first one.
   */
  answer(action: string): Warn {
    let counted = false;
    return (kind, message, dropped) => {
      this.#add({ action, kind, message, count: 1, answers: counted ? 0 : 1, ...(dropped && dropped.count > 0 ? { dropped } : {}) });
      counted = true;
    };
  }

  /** Warnings folded elsewhere (another AnswerWarnings' list()), added to these. */
  addAll(warnings: readonly AnswerWarning[]): void {
    for (const warning of warnings) this.#add(warning);
  }

  /** One warning per kind and action, in the order each kind was first found. */
  list(): AnswerWarning[] {
    return [...this.#byKind.values()].map((warning) => ({ ...warning, ...(warning.dropped ? { dropped: { ...warning.dropped } } : {}) }));
  }

  #add(warning: AnswerWarning): void {
    let key = `${warning.action}\u0000${warning.kind}`;
    let kept = this.#byKind.get(key);
    if (kept === undefined && this.#byKind.size >= MAX_WARNING_KINDS) {
      key = `${warning.action}\u0000${OTHER_KINDS}`;
      kept = this.#byKind.get(key);
    }
    if (kept === undefined) {
      const kind = this.#byKind.size >= MAX_WARNING_KINDS ? OTHER_KINDS : warning.kind;
      this.#byKind.set(key, {
        ...warning,
        kind,
        message: boundedText(warning.message, MAX_WARNING_CHARS),
        ...(warning.dropped ? { dropped: { ...warning.dropped } } : {}),
      });
      return;
    }
    kept.count += warning.count;
    kept.answers += warning.answers;
    if (warning.dropped) {
      if (kept.dropped) kept.dropped.count += warning.dropped.count;
      else kept.dropped = { ...warning.dropped };
    }
  }
}
