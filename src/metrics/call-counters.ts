// Each account's (and organization's) API call counters, in prom-client: their known label sets
// started at 0, a cloud's error codes bounded per action, and every series mirrored by account, so
// /probe reads one account's alone and they all go with the account.
import type { Counter } from 'prom-client';
import { idLabel } from '../contract/labels.js';
import type { ApiCallObserver, DropReason, Provider } from '../contract/types.js';
import { HEALTH, type Family } from './families.js';
import type { PromRegistry } from './prom-registry.js';
import type { Sample } from './samples.js';

type LabelSet = Record<string, string>;

/** One counter series of an account, its value mirrored so /probe reads it without going through every series. */
interface CounterSeries {
  counter: Counter;
  family: Family;
  labels: LabelSet;
  value: number;
}

/** What an account's counters are known to carry before its first call: each starts at 0. */
export interface KnownCounters {
  actions: readonly string[];
  dropReasons: readonly DropReason[];
}

/**
 * Error codes every call may end with whatever the cloud: initialised at 0 for each action, so an
 * error rate reads 0 rather than nothing, and the first error is an increase rate() can see.
 */
const ERROR_CODES_AT_ZERO = ['timeout', 'network', 'invalid_response'] as const;

/** Distinct cloud error codes per account and action before further ones count as "other". */
export const MAX_ERROR_CODES_PER_ACTION = 20;
/** Our own codes, never folded into "other". */
const OWN_CODE = /^(timeout|network|invalid_response|canceled|other|http_\d{3})$/;

export class CallCounters {
  /** Each account's (and organization's) counter series by id, by provider/account. */
  readonly #series = new Map<string, Map<string, CounterSeries>>();

  constructor(private readonly registry: PromRegistry) {}

  /**
   * Counts the API calls of one account (`key`: provider/account). Its known label sets (and its
   * provider's cache lookups) start at 0, so they are there from the first scrape.
   */
  observer(key: string, provider: Provider, account: string, initial: KnownCounters): ApiCallObserver {
    const requests = this.registry.counter(HEALTH.apiRequests);
    const errors = this.registry.counter(HEALTH.apiErrors);
    const duration = this.registry.histogram(HEALTH.apiDuration);
    const dropped = this.registry.counter(HEALTH.droppedSeries);
    const families = new Map<Counter, Family>([
      [requests, HEALTH.apiRequests],
      [errors, HEALTH.apiErrors],
      [dropped, HEALTH.droppedSeries],
    ]);
    // Counts `by` in the series, created (at 0, in prom-client too) on first use; a series the account
    // already had (an observer made again on reload) keeps its value.
    const count = (counter: Counter, labels: LabelSet, by = 1) => {
      const id = `${families.get(counter)!.name}|${labels['action'] ?? labels['reason']}|${labels['code'] ?? ''}`;
      let series = this.#series.get(key);
      if (!series) {
        series = new Map();
        this.#series.set(key, series);
      }
      let entry = series.get(id);
      if (!entry) {
        entry = { counter, family: families.get(counter)!, labels, value: 0 };
        series.set(id, entry);
      }
      entry.value += by;
      counter.inc(labels, by);
    };
    const countDropped = (reason: DropReason, by: number) => count(dropped, { provider, account, reason }, by);
    for (const action of initial.actions) {
      count(requests, { provider, account, action }, 0);
      for (const code of ERROR_CODES_AT_ZERO) count(errors, { provider, account, action, code }, 0);
      duration.zero({ provider, action });
    }
    for (const reason of initial.dropReasons) countDropped(reason, 0);
    for (const family of [HEALTH.cacheRequests, HEALTH.cacheHits]) this.registry.counter(family).inc({ provider }, 0);
    const codesByAction = new Map<string, Set<string>>();
    const countError = (action: string, cloudCode: string, times = 1) => {
      const code = errorCodeLabel(cloudCode, codesByAction, action, () => countDropped('error_code', 1));
      count(errors, { provider, account, action, code }, times);
    };
    return {
      onCall: ({ action, durationSeconds, errorCode }) => {
        count(requests, { provider, account, action });
        duration.observe({ provider, action }, durationSeconds);
        if (errorCode !== undefined) countError(action, errorCode);
      },
      onInvalidAnswer: (action, answers = 1) => countError(action, 'invalid_response', answers),
      onDropped: countDropped,
    };
  }

  countLookup(provider: Provider, cacheHit: boolean): void {
    this.registry.counter(HEALTH.cacheRequests).inc({ provider });
    if (cacheHit) this.registry.counter(HEALTH.cacheHits).inc({ provider });
  }

  /** One account's counter samples, as they are now. */
  samples(key: string): Sample[] {
    return [...(this.#series.get(key)?.values() ?? [])].map(({ family, labels, value }) => ({ family, labels, value }));
  }

  /** Drops every counter series of an account. */
  forget(key: string): void {
    for (const { counter, labels } of this.#series.get(key)?.values() ?? []) counter.remove(labels);
    this.#series.delete(key);
  }
}

/**
 * The code label of an error: the cloud's code bounded to an id's characters and length, and after
 * MAX_ERROR_CODES_PER_ACTION distinct codes of one action, "other" (`onFolded` is told).
 */
function errorCodeLabel(cloudCode: string, seen: Map<string, Set<string>>, action: string, onFolded: () => void): string {
  const code = idLabel(cloudCode) || 'other';
  if (OWN_CODE.test(code)) return code;
  const codes = seen.get(action) ?? new Set<string>();
  seen.set(action, codes);
  if (codes.has(code)) return code;
  if (codes.size >= MAX_ERROR_CODES_PER_ACTION) {
    onFolded();
    return 'other';
  }
  codes.add(code);
  return code;
}
