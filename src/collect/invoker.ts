// FetchContext.invoke: every cloud call of an account goes through here, under its rate limit,
// concurrency bound, per-call timeout and retry policy, and is counted.
import { ApiError, type ApiCall, type ApiCallObserver, type CallTrace, type Provider } from '../contract/types.js';
import { CallRate } from './call-rate.js';
import type { Clock } from './clock.js';
import type { CallOutcome, RefreshLog } from './refresh-log.js';
import { backoffDelayMs, type RetryPolicy } from './retry.js';
import { Semaphore } from './semaphore.js';
import type { AccountLimits, Limiter } from './shared-limits.js';
import { TokenBucket } from './token-bucket.js';

interface InvokerOptions {
  provider: Provider;
  /** Calls per second, per API action. */
  ratePerSecond: number;
  maxConcurrency: number;
  callTimeoutMs: number;
  retry: RetryPolicy;
  clock: Clock;
  observer: ApiCallObserver;
  random?: () => number;
  /**
   * Where each action's tokens come from: buckets shared with the other accounts whose calls the same
   * principal signs (shared-limits.ts). Without it, the invoker has a bucket of its own per action.
   */
  limits?: AccountLimits;
}

type Invoke = <T>(action: string, call: ApiCall<T>) => Promise<T>;

/** The shortest time the rate limit allows for this many calls, in seconds. */
export function minimumRefreshSeconds(calls: number, ratePerSecond: number): number {
  return calls / ratePerSecond;
}

/** Attempts made (retries included) and calls that failed after their last attempt, in all and per action. */
export interface CallTally {
  calls: number;
  failed: number;
  byAction?: Record<string, { calls: number; failed: number }>;
}

function actionTally(tally: CallTally, action: string): { calls: number; failed: number } {
  tally.byAction ??= {};
  return (tally.byAction[action] ??= { calls: 0, failed: 0 });
}

/**
 * One invoker per account, shared by all its refreshes, so the rate limit holds across them (and,
 * through `limits`, across the accounts whose calls one principal signs).
 * `refreshSignal` ends waiting and retrying; `notAfter` (Unix ms) stops retries that could not
 * finish before the deadline of the scrape that is waiting.
 */
export class Invoker {
  readonly #buckets = new Map<string, TokenBucket>();
  /** Per action, the turn of the call that waits for a slot and a token next (see #admit). */
  readonly #turns = new Map<string, Promise<void>>();
  readonly #concurrency: Semaphore;
  readonly #rate = new CallRate();

  constructor(private readonly options: InvokerOptions) {
    this.#concurrency = new Semaphore(options.maxConcurrency);
  }

  get ratePerSecond(): number {
    return this.options.ratePerSecond;
  }

  /** The account is gone: the shared buckets it held are given back. */
  close(): void {
    this.options.limits?.release();
  }

  /** Attempts of each action started in the last minute, busiest first. */
  callsInLastMinute(): Array<{ action: string; calls: number }> {
    return this.#rate.lastMinute(this.options.clock.now());
  }

  /**
   * `tally`, when given, counts the calls made through the returned function and those that failed in
   * the end; `log`, when given, is told of every attempt.
   */
  bind(refreshSignal: AbortSignal, notAfter: () => number, tally?: CallTally, log?: RefreshLog): Invoke {
    return async (action, call) => {
      try {
        return await this.#invoke(action, call, refreshSignal, notAfter, tally, log);
      } catch (error) {
        if (tally) {
          tally.failed++;
          actionTally(tally, action).failed++;
        }
        throw error;
      }
    };
  }

  async #invoke<T>(
    action: string,
    call: ApiCall<T>,
    refreshSignal: AbortSignal,
    notAfter: () => number,
    tally: CallTally | undefined,
    log: RefreshLog | undefined,
  ): Promise<T> {
    const { clock, retry } = this.options;
    for (let attempt = 1; ; attempt++) {
      if (tally) {
        tally.calls++;
        actionTally(tally, action).calls++;
      }
      const trace: CallTrace = {};
      const timing = { durationSeconds: 0 };
      const note = (outcome: CallOutcome, error?: ApiError) => {
        const requestId = trace.requestId ?? error?.requestId;
        log?.record({
          atMs: clock.now() - log.startedAt,
          action,
          attempt,
          outcome,
          durationSeconds: timing.durationSeconds,
          ...(trace.httpStatus === undefined ? {} : { httpStatus: trace.httpStatus }),
          ...(error ? { code: error.code, message: error.message } : {}),
          ...(requestId === undefined ? {} : { requestId }),
        });
      };
      try {
        const result = await this.#attempt(action, call, refreshSignal, trace, timing);
        note('ok');
        return result;
      } catch (error) {
        const apiError = asApiError(this.options.provider, action, error, false, refreshSignal.aborted);
        const delay = backoffDelayMs(retry, attempt, this.options.random);
        const finishesBy = clock.now() + delay + this.options.callTimeoutMs;
        if (!apiError.retryable || attempt >= retry.maxAttempts || refreshSignal.aborted || finishesBy > notAfter()) {
          note(apiError.kind === 'canceled' ? 'canceled' : 'failed', apiError);
          throw apiError;
        }
        note('retried', apiError);
        await clock.sleep(delay, refreshSignal).catch(() => {
          throw apiError;
        });
      }
    }
  }

  async #attempt<T>(
    action: string,
    call: ApiCall<T>,
    refreshSignal: AbortSignal,
    trace: CallTrace,
    timing: { durationSeconds: number },
  ): Promise<T> {
    const { grantedAt, release } = await this.#admit(action, refreshSignal);
    try {
      this.#rate.record(action, grantedAt);
      // One controller per attempt, aborted by its timer or by the refresh signal through a listener
      // removed when the attempt ends. AbortSignal.any() over the long-lived refresh signal would keep
      // every attempt's composite signal reachable on Node 20 (nodejs/node#55351): ~100 bytes a call.
      const attempt = new AbortController();
      const onRefreshAbort = () => attempt.abort(refreshSignal.reason);
      refreshSignal.addEventListener('abort', onRefreshAbort, { once: true });
      const timer = setTimeoutOn(this.options.clock, this.options.callTimeoutMs, () =>
        attempt.abort(new DOMException(`no answer within ${this.options.callTimeoutMs} ms`, 'TimeoutError')),
      );
      const signal = attempt.signal;
      const started = performance.now();
      try {
        const result = await untilAborted(call(signal, trace), signal);
        timing.durationSeconds = (performance.now() - started) / 1000;
        this.options.observer.onCall({ action, durationSeconds: timing.durationSeconds, grantedAt });
        return result;
      } catch (error) {
        const apiError = asApiError(this.options.provider, action, error, signal.aborted && !refreshSignal.aborted, refreshSignal.aborted);
        timing.durationSeconds = (performance.now() - started) / 1000;
        // A call ended by a reload or shutdown is the exporter's doing, not the cloud's: not an API error.
        this.options.observer.onCall({
          action,
          durationSeconds: timing.durationSeconds,
          grantedAt,
          ...(apiError.kind === 'canceled' ? {} : { errorCode: apiError.code }),
        });
        throw apiError;
      } finally {
        timer.cancel();
        refreshSignal.removeEventListener('abort', onRefreshAbort);
      }
    } finally {
      release();
    }
  }

  /**
   * A concurrency slot, then a rate-limit token, and the call leaves at once. The slot first: a token
   * taken while waiting for a slot would let the calls that waited leave together when slots free
   * up, past the rate the cloud counts. One call per action at a time waits for its slot and token;
   * the action's other calls wait their turn holding nothing, so calls waiting for tokens never hold
   * all the slots that another action (a role's AssumeRole) needs.
   */
  async #admit(action: string, signal: AbortSignal): Promise<{ grantedAt: number; release: () => void }> {
    const previous = this.#turns.get(action) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.#turns.set(action, mine);
    try {
      await previous;
      const release = await this.#concurrency.acquire();
      try {
        return { grantedAt: await this.#bucket(action).take(signal), release };
      } catch (error) {
        release();
        throw error;
      }
    } finally {
      done();
      if (this.#turns.get(action) === mine) this.#turns.delete(action);
    }
  }

  #bucket(action: string): Limiter {
    if (this.options.limits) return this.options.limits.limiter(action);
    let bucket = this.#buckets.get(action);
    if (!bucket) {
      bucket = new TokenBucket(this.options.ratePerSecond, this.options.clock);
      this.#buckets.set(action, bucket);
    }
    return bucket;
  }
}

/** Runs `fire` after `ms` on the clock unless cancelled first. */
function setTimeoutOn(clock: Clock, ms: number, fire: () => void): { cancel(): void } {
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(fire, () => undefined);
  return { cancel: () => stop.abort() };
}

/**
 * Gives up on a call when its signal fires, even if the SDK under it does not listen to the signal
 * (the Darabonba client only has its own socket timeouts); the abandoned request ends on those.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Sources throw ApiError; anything else is a bug in a source or a timeout seen from outside it. */
function asApiError(provider: Provider, action: string, error: unknown, timedOut = false, canceled = false): ApiError {
  if (canceled)
    return new ApiError(
      provider,
      action,
      'canceled',
      'canceled',
      `${action}: canceled (the account's refresh was stopped: reload or shutdown)`,
    );
  if (timedOut && (!(error instanceof ApiError) || error.kind === 'network')) {
    return new ApiError(provider, action, 'timeout', 'timeout', `${action}: no answer in time`);
  }
  if (error instanceof ApiError) return error;
  if (error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ApiError(provider, action, 'timeout', 'timeout', `${action}: stopped waiting (${error.name})`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(provider, action, 'invalid_response', 'invalid_response', `${action}: ${message}`);
}
