// The snapshot cache of one account: TTL, single flight, stale-on-error up to max_stale, and
// scrapes that answer at their deadline while a slow refresh goes on in the background.
import type { Logger } from '../log.js';
import { ApiError, type ApiCallObserver, type Provider, type Snapshot, type Source } from '../sources/types.js';
import type { Clock } from './clock.js';
import type { Invoker } from './invoker.js';

let versionSequence = 0;
/** Versions are unique across collectors, so a collector replaced on reload never repeats one. */
const nextVersion = () => ++versionSequence;

export interface AccountCollectorOptions {
  ttlMs: number;
  maxStaleMs: number;
  clock: Clock;
  invoker: Invoker;
  /** Counts answers whose values had to be dropped (the same observer the invoker counts calls with). */
  observer: ApiCallObserver;
  logger: Logger;
}

/** What the exporter knows of one account right now. */
export interface AccountState<S extends Snapshot = Snapshot> {
  provider: Provider;
  account: string;
  /** The last good snapshot, unless it has grown older than max_stale. */
  snapshot: S | undefined;
  /** The last refresh finished without any error. */
  up: boolean;
  /** Unix ms of the last refresh that fetched data. */
  lastSuccessAt: number | undefined;
  lastDurationSeconds: number | undefined;
  lastError: ApiError | undefined;
  /** Changes whenever anything above changes, so renderers can skip unchanged accounts. */
  version: number;
}

export interface Lookup<S extends Snapshot> {
  state: AccountState<S>;
  /** Served without starting or waiting for a refresh. */
  cacheHit: boolean;
}

export class AccountCollector<S extends Snapshot> {
  readonly provider: Provider;
  readonly account: string;
  #snapshot: S | undefined;
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastAttemptAt: number | undefined;
  #lastDurationSeconds: number | undefined;
  #lastError: ApiError | undefined;
  #version = nextVersion();
  #inflight: Promise<void> | undefined;
  #deadline = 0;
  readonly #stop = new AbortController();

  constructor(
    private readonly source: Source<S>,
    private readonly options: AccountCollectorOptions,
  ) {
    this.provider = source.provider;
    this.account = source.account;
  }

  /** The current state, refreshing first when the last attempt is older than the TTL; waits until `deadline` (Unix ms) at most. */
  async lookup(deadline: number): Promise<Lookup<S>> {
    const { clock, ttlMs } = this.options;
    const due = this.#lastAttemptAt === undefined || clock.now() - this.#lastAttemptAt >= ttlMs;
    if (!due && !this.#inflight) return { state: this.state(), cacheHit: true };
    const refresh = this.#inflight ?? this.#startRefresh(deadline);
    // A later scrape with a later deadline lets retries of the running refresh go on longer.
    this.#deadline = Math.max(this.#deadline, deadline);
    await untilDeadline(refresh, deadline, clock, this.#stop.signal);
    return { state: this.state(), cacheHit: false };
  }

  state(): AccountState<S> {
    this.#dropIfTooStale();
    return {
      provider: this.provider,
      account: this.account,
      snapshot: this.#snapshot,
      up: this.#up,
      lastSuccessAt: this.#lastSuccessAt,
      lastDurationSeconds: this.#lastDurationSeconds,
      lastError: this.#lastError,
      version: this.#version,
    };
  }

  /** Resolves when the running refresh (if any) has finished; for tests and graceful stop. */
  async settled(): Promise<void> {
    await this.#inflight;
  }

  close(): void {
    this.#stop.abort(new Error('exporter stopping'));
  }

  #startRefresh(deadline: number): Promise<void> {
    const { clock, invoker, logger } = this.options;
    this.#deadline = deadline;
    this.#lastAttemptAt = clock.now();
    const started = clock.now();
    let running = true;
    const refresh = this.source
      .fetch({
        signal: this.#stop.signal,
        invoke: invoker.bind(this.#stop.signal, () => this.#deadline),
        ...(this.#snapshot ? { previous: this.#snapshot } : {}),
        staleBefore: started - this.options.maxStaleMs,
        publish: (partial) => {
          if (!running) return;
          this.#snapshot = partial;
          this.#version = nextVersion();
        },
      })
      .then(
        (snapshot) => {
          this.#snapshot = snapshot;
          this.#up = snapshot.errors.length === 0;
          this.#lastSuccessAt = snapshot.takenAt;
          this.#lastError = snapshot.errors[0];
          for (const warning of snapshot.warnings) {
            logger.warn({ provider: this.provider, account: this.account, action: warning.action }, warning.message);
            this.options.observer.onInvalidAnswer(warning.action);
            if (warning.dropped) this.options.observer.onDropped?.(warning.dropped.reason, warning.dropped.count);
          }
          for (const error of snapshot.errors) this.#logError(error, 'part of the refresh failed');
        },
        (error: unknown) => {
          const apiError =
            error instanceof ApiError
              ? error
              : new ApiError(this.provider, 'refresh', 'invalid_response', 'invalid_response', String(error));
          this.#up = false;
          this.#lastError = apiError;
          this.#logError(apiError, this.#snapshot ? 'refresh failed; serving the last good data' : 'refresh failed');
        },
      )
      .finally(() => {
        running = false;
        this.#lastDurationSeconds = (clock.now() - started) / 1000;
        this.#version = nextVersion();
        this.#inflight = undefined;
      });
    this.#inflight = refresh;
    return refresh;
  }

  #logError(error: ApiError, text: string): void {
    this.options.logger.warn(
      { provider: this.provider, account: this.account, action: error.action, code: error.code, requestId: error.requestId, err: error.message },
      text,
    );
  }

  #dropIfTooStale(): void {
    if (this.#snapshot && this.options.clock.now() - this.#snapshot.takenAt > this.options.maxStaleMs) {
      this.options.logger.warn(
        { provider: this.provider, account: this.account, takenAt: new Date(this.#snapshot.takenAt).toISOString() },
        'last good data is older than cache.max_stale; no longer served',
      );
      this.#snapshot = undefined;
      this.#version = nextVersion();
    }
  }
}

/** Waits for `work`, but no longer than until `deadline`; never rejects. */
async function untilDeadline(work: Promise<void>, deadline: number, clock: Clock, stop: AbortSignal): Promise<void> {
  const remaining = deadline - clock.now();
  if (remaining <= 0) return;
  const timer = new AbortController();
  const timeout = clock.sleep(remaining, AbortSignal.any([timer.signal, stop])).catch(() => undefined);
  try {
    await Promise.race([work, timeout]);
  } finally {
    timer.abort();
  }
}
