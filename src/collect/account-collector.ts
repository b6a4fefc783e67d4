// The snapshot cache of one account: TTL, single flight, stale-on-error up to max_stale, and
// scrapes that never wait for a refresh when there is data to serve: a due refresh starts in the
// background and the scrape answers at once with the last snapshot (or a rolling refresh's
// published part). Only an account that has no data yet waits, and never past the deadline.
import { setMaxListeners } from 'node:events';
import { errorFields, type Logger } from '../base/log.js';
import { ApiError, type ApiCallObserver, type FeatureOff, type Provider, type Snapshot, type Source } from '../contract/types.js';
import type { AccountState, RefreshCalls, RefreshProgress } from '../contract/account-state.js';
import { untilDeadline, type Clock } from './clock.js';
import { minimumRefreshSeconds, type CallTally, type Invoker } from './invoker.js';
import { RefreshLog, type RefreshLogLimits, type RefreshLogView } from './refresh-log.js';

/** Failed calls of one refresh logged each on a line; the rest are summed up in one (a fleet can fail 10,000 at once). */
const MAX_ERRORS_LOGGED = 20;

let versionSequence = 0;
/** Versions are unique across collectors, so a collector replaced on reload never repeats one. */
const nextVersion = () => ++versionSequence;

interface AccountCollectorOptions {
  ttlMs: number;
  maxStaleMs: number;
  clock: Clock;
  invoker: Invoker;
  /** Counts answers whose values had to be dropped (the same observer the invoker counts calls with). */
  observer: ApiCallObserver;
  logger: Logger;
  /** How many call attempts a refresh's debug log keeps; default DEFAULT_REFRESH_LOG_LIMITS. */
  refreshLogLimits?: RefreshLogLimits;
}

/** The debug logs of an account: its last finished refresh and the one running now. */
export interface RefreshLogs {
  last: RefreshLogView | undefined;
  running: RefreshLogView | undefined;
}

interface Lookup<S extends Snapshot> {
  state: AccountState<S>;
  /** The data was younger than the TTL: no refresh was due or running. */
  cacheHit: boolean;
}

export class AccountCollector<S extends Snapshot> {
  readonly provider: Provider;
  readonly account: string;
  #snapshot: S | undefined;
  /** When #snapshot arrived, by this collector's clock. */
  #snapshotAt: number | undefined;
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastAttemptAt: number | undefined;
  #lastDurationSeconds: number | undefined;
  #lastError: ApiError | undefined;
  #failingSince: number | undefined;
  #version = nextVersion();
  #lastRefreshCalls: RefreshCalls | undefined;
  /** Per action called so far: whether its calls in the last refresh that made any all succeeded. */
  #actions: Record<string, boolean> = {};
  #inflight: Promise<void> | undefined;
  #progress: RefreshProgress | undefined;
  #lastLog: RefreshLog | undefined;
  #runningLog: RefreshLog | undefined;
  /** Retries of the running refresh stop where they could not finish before this (Unix ms). */
  #deadline = 0;
  readonly #stop = new AbortController();
  #outlastsTtl = false;

  constructor(
    private readonly source: Source<S>,
    private readonly options: AccountCollectorOptions,
  ) {
    this.provider = source.provider;
    this.account = source.account;
    // Every call in flight and every call waiting for the rate limiter listens to the stop signal
    // (and stops listening when done): many at once in a large fleet, none left behind.
    setMaxListeners(0, this.#stop.signal);
  }

  /**
   * The current state, starting a refresh when the last attempt is older than the TTL. With data to
   * serve it answers at once; an account without data waits for its refresh until `deadline` (Unix ms) at most.
   */
  async lookup(deadline: number): Promise<Lookup<S>> {
    const { clock, ttlMs } = this.options;
    const due = this.#lastAttemptAt === undefined || clock.now() - this.#lastAttemptAt >= ttlMs;
    if (!due && !this.#inflight) return { state: this.state(), cacheHit: true };
    const refresh = this.#inflight ?? this.#startRefresh();
    this.#dropIfTooStale();
    if (this.#snapshot === undefined) {
      // A later scrape with a later deadline lets retries of the running refresh go on longer.
      this.#deadline = Math.max(this.#deadline, deadline);
      await untilDeadline(refresh, deadline, clock, this.#stop.signal);
    }
    return { state: this.state(), cacheHit: false };
  }

  state(): AccountState<S> {
    this.#dropIfTooStale();
    return {
      provider: this.provider,
      account: this.account,
      snapshot: this.#snapshot,
      ...(this.#snapshotAt === undefined || this.#snapshot === undefined ? {} : { snapshotAt: this.#snapshotAt }),
      up: this.#up,
      lastSuccessAt: this.#lastSuccessAt,
      lastDurationSeconds: this.#lastDurationSeconds,
      lastError: this.#lastError,
      ...(this.#failingSince === undefined ? {} : { failingSince: this.#failingSince }),
      refresh: this.#progress && { ...this.#progress },
      lastRefreshCalls: this.#lastRefreshCalls,
      actions: this.#actions,
      version: this.#version,
    };
  }

  /** The call log of the last finished refresh and of the running one, for /probe?debug=true. */
  refreshLogs(): RefreshLogs {
    return { last: this.#lastLog?.view(), running: this.#runningLog?.view() };
  }

  /** Resolves when the running refresh (if any) has finished; for tests and graceful stop. */
  async settled(): Promise<void> {
    await this.#inflight;
  }

  close(): void {
    this.#stop.abort(new Error('exporter stopping'));
  }

  #startRefresh(): Promise<void> {
    const { clock, invoker, logger, ttlMs } = this.options;
    const started = clock.now();
    // Nobody waits for a refresh of an account with data: its retries may go on until the next is due.
    this.#deadline = started + ttlMs;
    this.#lastAttemptAt = started;
    const progress: RefreshProgress = { startedAt: started, done: 0, total: 0 };
    this.#progress = progress;
    const calls: CallTally = { calls: 0, failed: 0 };
    const log = new RefreshLog(started, this.options.refreshLogLimits);
    this.#runningLog = log;
    let result = 'unfinished';
    const invoke = invoker.bind(this.#stop.signal, () => this.#deadline, calls, log);
    let running = true;
    const refresh = this.source
      .fetch({
        signal: this.#stop.signal,
        invoke,
        ...(this.#snapshot ? { previous: this.#snapshot } : {}),
        staleBefore: started - this.options.maxStaleMs,
        now: () => clock.now(),
        publish: (partial) => {
          if (!running) return;
          this.#snapshot = partial;
          this.#snapshotAt = clock.now();
          this.#version = nextVersion();
        },
        progress: (done, total) => {
          progress.done = done;
          progress.total = total;
        },
      })
      .then(
        (snapshot) => {
          this.#logFeatures(this.#snapshot?.featuresOff ?? [], snapshot.featuresOff ?? []);
          this.#snapshot = snapshot;
          this.#snapshotAt = clock.now();
          this.#up = snapshot.errors.length === 0;
          // A refresh with failed calls is partial: it is served, but it is not a success, so the
          // age of the last complete data keeps growing and the stale-data alert can fire. An
          // optional part off for lack of permission is not a failure: the scan state was read.
          if (this.#up) this.#lastSuccessAt = snapshot.takenAt;
          this.#failingSince = this.#up ? undefined : (this.#failingSince ?? started);
          this.#lastError = snapshot.errors[0];
          const off = (snapshot.featuresOff ?? []).map((feature) => `${feature.action} refused (${feature.code}), its part off`);
          result = this.#up
            ? off.length === 0
              ? 'up: every call succeeded'
              : `up: the scan state was read; ${off.join('; ')}`
            : `partial: ${snapshot.errors.length} call(s) failed; down, serving what was fetched${describeError(snapshot.errors[0])}`;
          // Sources fold their odd values to one warning per kind (sources/kit/answer-warnings.ts): a line each.
          for (const warning of snapshot.warnings) {
            const more = warning.count - 1;
            logger.warn(
              { provider: this.provider, account: this.account, action: warning.action, ...(more > 0 ? { count: warning.count } : {}) },
              more > 0 ? `${warning.message} (and ${more} more like it in this refresh)` : warning.message,
            );
            if (warning.answers > 0) this.options.observer.onInvalidAnswer(warning.action, warning.answers);
            if (warning.dropped) this.options.observer.onDropped?.(warning.dropped.reason, warning.dropped.count);
          }
          this.#logErrors(snapshot.errors);
        },
        (error: unknown) => {
          const apiError =
            error instanceof ApiError
              ? error
              : new ApiError(this.provider, 'refresh', 'invalid_response', 'invalid_response', String(error), undefined, { cause: error });
          this.#up = false;
          this.#failingSince ??= started;
          this.#lastError = apiError;
          result = `failed; down${this.#snapshot ? ', serving the last good data' : ''}${describeError(apiError)}`;
          this.#logError(apiError, this.#snapshot ? 'refresh failed; serving the last good data' : 'refresh failed');
        },
      )
      .finally(() => {
        running = false;
        log.finish(clock.now(), result);
        this.#lastLog = log;
        this.#runningLog = undefined;
        this.#lastDurationSeconds = (clock.now() - started) / 1000;
        this.#lastRefreshCalls = { calls: calls.calls, failed: calls.failed };
        const tried = Object.entries(calls.byAction ?? {}).filter(([, tally]) => tally.calls > 0);
        if (tried.length > 0)
          this.#actions = { ...this.#actions, ...Object.fromEntries(tried.map(([action, tally]) => [action, tally.failed === 0])) };
        this.#progress = undefined;
        this.#version = nextVersion();
        this.#inflight = undefined;
        this.#warnIfRefreshOutlastsTtl(calls);
      });
    this.#inflight = refresh;
    return refresh;
  }

  /** Says once (and again after it recovered) when the rate limit alone makes a refresh longer than the TTL. */
  #warnIfRefreshOutlastsTtl(calls: RefreshCalls): void {
    const { ttlMs, invoker, logger } = this.options;
    const minimumSeconds = minimumRefreshSeconds(calls.calls, invoker.ratePerSecond);
    const outlasts = minimumSeconds * 1000 > ttlMs;
    if (outlasts && !this.#outlastsTtl) {
      logger.warn(
        {
          provider: this.provider,
          account: this.account,
          calls: calls.calls,
          rateLimit: invoker.ratePerSecond,
          minimumRefreshSeconds: minimumSeconds,
          ttlSeconds: ttlMs / 1000,
        },
        "a refresh takes longer than cache.ttl at this rate_limit: every scrape is served data up to one refresh old; raise rate_limit (within the cloud's quota) or cache.ttl to match",
      );
    }
    this.#outlastsTtl = outlasts;
  }

  /** One line when an optional part goes off (naming the permission to add), one when it comes back. */
  #logFeatures(before: readonly FeatureOff[], now: readonly FeatureOff[]): void {
    const { logger } = this.options;
    const was = new Set(before.map((feature) => feature.action));
    const is = new Set(now.map((feature) => feature.action));
    for (const feature of now) {
      if (was.has(feature.action)) continue;
      const retry = Math.round((feature.retryAt - feature.since) / 60_000);
      logger.warn(
        {
          provider: this.provider,
          account: this.account,
          action: feature.action,
          code: feature.code,
          requestId: feature.requestId,
          permission: feature.permission,
        },
        `${feature.action} is refused for lack of permission: ${feature.feature} are left out for this account, which stays up. ` +
          `Add ${feature.permission} to the policy of its credentials (docs/permissions.md); it is tried again every ${retry} min, no restart needed`,
      );
    }
    for (const feature of before) {
      if (is.has(feature.action)) continue;
      logger.info(
        { provider: this.provider, account: this.account, action: feature.action },
        `${feature.action} is allowed again: ${feature.feature} are back`,
      );
    }
  }

  /** The first MAX_ERRORS_LOGGED failed calls of a refresh, each on a line; the others in one line by code. */
  #logErrors(errors: readonly ApiError[]): void {
    for (const error of errors.slice(0, MAX_ERRORS_LOGGED)) this.#logError(error, 'part of the refresh failed');
    const rest = errors.slice(MAX_ERRORS_LOGGED);
    if (rest.length === 0) return;
    const byCode = new Map<string, number>();
    for (const error of rest) byCode.set(`${error.action} ${error.code}`, (byCode.get(`${error.action} ${error.code}`) ?? 0) + 1);
    const commonest = [...byCode].sort((a, b) => b[1] - a[1]).slice(0, MAX_ERRORS_LOGGED);
    this.options.logger.warn(
      { provider: this.provider, account: this.account, count: rest.length, codes: Object.fromEntries(commonest) },
      `and ${rest.length} more call(s) of this refresh failed ("codes": the commonest actions and codes); /probe?debug=true shows them`,
    );
  }

  #logError(error: ApiError, text: string): void {
    this.options.logger.warn(
      {
        provider: this.provider,
        account: this.account,
        action: error.action,
        code: error.code,
        requestId: error.requestId,
        ...errorFields(error, this.options.logger),
      },
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

/** ": first <action> <code> (request id ...)" for a refresh's result line. */
function describeError(error: ApiError | undefined): string {
  if (!error) return '';
  return `; first error ${error.action} ${error.code}${error.requestId ? ` (request id ${error.requestId})` : ''}`;
}
