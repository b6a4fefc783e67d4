// The log of one refresh of one account, for /probe?debug=true: each call attempt as it ended (action,
// HTTP status, code, duration, request id, which attempt). Bounded in memory: a refresh of a
// 10,000-server fleet makes 10,000 calls, so the log keeps the first attempts, then only the ones
// that did not succeed, and counts what it left out.

/** ok; retried: failed and tried again; failed: failed for good; canceled: stopped by a reload or shutdown. */
export type CallOutcome = 'ok' | 'retried' | 'failed' | 'canceled';

export interface CallLogEntry {
  /** Milliseconds from the start of the refresh to the end of the attempt. */
  atMs: number;
  action: string;
  /** 1 for the first attempt of a call, 2 for its first retry, ... */
  attempt: number;
  outcome: CallOutcome;
  /** The HTTP status of the answer, when one arrived. */
  httpStatus?: number;
  /** The cloud's error code or one of ours (timeout, network, ...); absent on success. */
  code?: string;
  durationSeconds: number;
  requestId?: string;
  /** The error's message (an ApiError's message never holds a secret), cut short. */
  message?: string;
}

export interface RefreshLogLimits {
  /** Attempts kept whatever their outcome, from the start of the refresh. */
  first: number;
  /** Attempts that did not succeed kept after those. */
  failures: number;
}

/** At most 200 entries of a few hundred bytes each, per log: tens of KiB per account at worst. */
const DEFAULT_REFRESH_LOG_LIMITS: RefreshLogLimits = { first: 100, failures: 100 };

const MAX_MESSAGE_LENGTH = 200;

export interface RefreshLogView {
  /** Unix ms. */
  startedAt: number;
  /** Unix ms; absent while the refresh runs. */
  finishedAt?: number;
  /** How the refresh ended, in words; absent while it runs. */
  result?: string;
  entries: readonly CallLogEntry[];
  /** Every attempt, kept or not. */
  attempts: number;
  /** Attempts left out of `entries` by the limits: those that succeeded, and those that did not. */
  leftOut: { ok: number; notOk: number };
}

export class RefreshLog {
  readonly #entries: CallLogEntry[] = [];
  #failuresKept = 0;
  #attempts = 0;
  readonly #leftOut = { ok: 0, notOk: 0 };
  #finishedAt: number | undefined;
  #result: string | undefined;

  constructor(
    readonly startedAt: number,
    private readonly limits: RefreshLogLimits = DEFAULT_REFRESH_LOG_LIMITS,
  ) {}

  record(entry: CallLogEntry): void {
    this.#attempts++;
    const ok = entry.outcome === 'ok';
    if (this.#entries.length < this.limits.first) {
      this.#entries.push(trimmed(entry));
    } else if (!ok && this.#failuresKept < this.limits.failures) {
      this.#failuresKept++;
      this.#entries.push(trimmed(entry));
    } else if (ok) {
      this.#leftOut.ok++;
    } else {
      this.#leftOut.notOk++;
    }
  }

  finish(finishedAt: number, result: string): void {
    this.#finishedAt = finishedAt;
    this.#result = result;
  }

  view(): RefreshLogView {
    return {
      startedAt: this.startedAt,
      ...(this.#finishedAt === undefined ? {} : { finishedAt: this.#finishedAt }),
      ...(this.#result === undefined ? {} : { result: this.#result }),
      entries: [...this.#entries],
      attempts: this.#attempts,
      leftOut: { ...this.#leftOut },
    };
  }
}

function trimmed(entry: CallLogEntry): CallLogEntry {
  if (entry.message === undefined || entry.message.length <= MAX_MESSAGE_LENGTH) return entry;
  return { ...entry, message: `${entry.message.slice(0, MAX_MESSAGE_LENGTH)}…` };
}
