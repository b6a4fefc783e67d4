// What the status page and the debug probe show of each account, as plain data: a row for the table of
// every account (its state, error, data age and the counts of its cloud's summary), and on its own the
// collector's state, the invoker's calls per minute, the capacity line and the cloud's scan summary.
// Reading it starts no refresh and makes no cloud call.
import { keepsUp, describeCapacity, type AccountCapacity } from './capacity.js';
import type { AccountCollector } from '../collect/account-collector.js';
import type { Invoker } from '../collect/invoker.js';
import type { AccountState, RefreshProgress } from '../contract/account-state.js';
import type { ScanSummary } from '../contract/scan-summary.js';
import type { FeatureOff, Snapshot } from '../contract/types.js';

/**
 * How the status page files an account: down (its last refresh failed), pending (none has finished
 * yet), stale (up, but its data is older than a scrape within Prometheus' lookback would leave it: no
 * scrape refreshes it), or up.
 */
export type AccountHealth = 'down' | 'stale' | 'pending' | 'up';

/** Prometheus' lookback: a series without a sample for 5 minutes is stale, so no usable scrape interval is longer. */
const LOOKBACK_MS = 5 * 60_000;

/**
 * Whether data taken at `takenAt` is stale: older than cache.ttl plus the longer of cache.ttl and
 * Prometheus' lookback, plus the last refresh's length. A scrape at least every lookback starts a
 * refresh once the data is a TTL old, so data kept fresh by scrapes is never older.
 */
export function isStale(takenAt: number, now: number, ttlSeconds: number, lastDurationSeconds: number | undefined): boolean {
  const ttlMs = ttlSeconds * 1000;
  return now - takenAt > ttlMs + Math.max(ttlMs, LOOKBACK_MS) + (lastDurationSeconds ?? 0) * 1000;
}

/** One line of the status page's table of accounts: cheap to make for thousands of accounts. */
export interface AccountRow {
  /** provider/account, as /probe takes it. */
  target: string;
  provider: string;
  account: string;
  health: AccountHealth;
  /** Unix ms, by the exporter's clock, when the data served now arrived; absent when there is none to serve. */
  dataTakenAt?: number;
  /** The data served now is stale (see isStale): also for an account that is down. */
  dataStale: boolean;
  /** Unix ms of the last refresh in which every call succeeded. */
  lastSuccessAt?: number;
  /** Unix ms: the start of the first failed refresh since the last one that succeeded. */
  failingSince?: number;
  lastError?: ErrorSummary;
  /** For a member account discovered in an organization: its display name and the organization. */
  member?: { name: string; organization: string };
  /** Servers the latest scans failed on, and servers without a working agent, as the cloud's summary counts them. */
  serversMissed?: number;
  serversUncovered?: number;
  /** Permissions to add for the optional parts of the account's data off for lack of them. */
  permissionsMissing: string[];
}

/** Everything the page shows of one account on its own, and /probe?debug=true says of it. */
export interface AccountStatus extends AccountRow {
  /** Unix ms, by the exporter's clock, when this was read: what its ages are measured from. */
  readAt: number;
  /** The last refresh finished without any error. */
  up: boolean;
  /** How long the last finished refresh took; absent before the first has finished. */
  lastDurationSeconds?: number;
  /** The refresh running now. */
  refresh?: RefreshProgress;
  /** Calls started in the last minute, all actions, and the busiest action's. */
  callsLastMinute: { total: number; busiest?: { action: string; calls: number } };
  /** Per action and second, as configured. */
  rateLimit: number;
  capacity: { text: string; keepsUp: boolean | undefined };
  summary?: ScanSummary;
  /** Optional parts of the account's data off for lack of permission: what, since when, what to add. */
  featuresOff?: readonly FeatureOff[];
}

export interface RowSources {
  collector: AccountCollector<Snapshot>;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
  member?: { name: string; organization: string } | undefined;
  ttlSeconds: number;
  /** Unix ms, by the exporter's clock. */
  now: number;
}

interface StatusSources extends RowSources {
  invoker: Invoker;
  capacity: AccountCapacity | undefined;
}

/** Each snapshot's summary, made once: snapshots are immutable and replaced, so a page of thousands of accounts summarizes only what changed. */
const summaries = new WeakMap<Snapshot, ScanSummary>();

function summaryOf(snapshot: Snapshot, summarize: (snapshot: Snapshot) => ScanSummary): ScanSummary {
  let summary = summaries.get(snapshot);
  if (summary === undefined) {
    summary = summarize(snapshot);
    summaries.set(snapshot, summary);
  }
  return summary;
}

/** What the page shows of a failed call. */
export interface ErrorSummary {
  action: string;
  code: string;
  kind: string;
  requestId?: string;
  message: string;
}

export function errorSummary(error: ErrorSummary): ErrorSummary {
  const { action, code, kind, message, requestId } = error;
  return { action, code, kind, message, ...(requestId === undefined ? {} : { requestId }) };
}

export function accountRow(sources: RowSources): AccountRow {
  return rowOf(sources.collector.state(), sources);
}

function rowOf(state: AccountState<Snapshot>, { summarize, member, ttlSeconds, now }: RowSources): AccountRow {
  const error = state.lastError;
  const snapshot = state.snapshot;
  const dataAt = snapshot === undefined ? undefined : (state.snapshotAt ?? snapshot.takenAt);
  const dataStale = dataAt !== undefined && isStale(dataAt, now, ttlSeconds, state.lastDurationSeconds);
  const refreshed = stateOf(state);
  const health = refreshed !== 'up' ? refreshed : snapshot === undefined || dataStale ? 'stale' : 'up';
  const summary = snapshot && summarize ? summaryOf(snapshot, summarize) : undefined;
  return {
    target: `${state.provider}/${state.account}`,
    provider: state.provider,
    account: state.account,
    health,
    ...(dataAt === undefined ? {} : { dataTakenAt: dataAt }),
    dataStale,
    ...(state.lastSuccessAt === undefined ? {} : { lastSuccessAt: state.lastSuccessAt }),
    ...(state.failingSince === undefined ? {} : { failingSince: state.failingSince }),
    ...(error ? { lastError: errorSummary(error) } : {}),
    ...(member ? { member } : {}),
    ...(summary?.failing ? { serversMissed: summary.failing.total } : {}),
    ...(summary?.attention ? { serversUncovered: summary.attention.reduce((sum, list) => sum + list.total, 0) } : {}),
    permissionsMissing: (snapshot?.featuresOff ?? []).map((feature) => feature.permission),
  };
}

export function accountStatus(sources: StatusSources): AccountStatus {
  const { collector, invoker, capacity, summarize } = sources;
  const state = collector.state();
  const calls = invoker.callsInLastMinute();
  return {
    ...rowOf(state, sources),
    readAt: sources.now,
    up: state.up,
    ...(state.lastDurationSeconds === undefined ? {} : { lastDurationSeconds: state.lastDurationSeconds }),
    ...(state.refresh ? { refresh: state.refresh } : {}),
    callsLastMinute: { total: calls.reduce((sum, c) => sum + c.calls, 0), ...(calls[0] ? { busiest: calls[0] } : {}) },
    rateLimit: invoker.ratePerSecond,
    capacity: capacity ? { text: describeCapacity(capacity), keepsUp: keepsUp(capacity) } : { text: '', keepsUp: undefined },
    ...(state.snapshot && summarize ? { summary: summaryOf(state.snapshot, summarize) } : {}),
    ...(state.snapshot?.featuresOff?.length ? { featuresOff: state.snapshot.featuresOff } : {}),
  };
}

/** What the status page shows of one organization: its listing, and the members it does not read and why. */
export interface OrganizationStatus {
  provider: string;
  organization: string;
  /** The last listing succeeded. */
  up: boolean;
  refreshIntervalSeconds: number;
  lastSuccessAt?: number;
  lastAttemptAt?: number;
  lastError?: ErrorSummary;
  /** Members read as accounts; undefined before the first good listing. */
  members: number | undefined;
  listed: number | undefined;
  skipped: ReadonlyArray<{
    reason: string;
    count: number;
    fix?: string;
    first: ReadonlyArray<{ id: string; name: string; detail: string }>;
  }>;
  /** The management principal's calls in the last minute by action (its members' share them, as the cloud counts them). */
  principalCalls: ReadonlyArray<{ action: string; calls: number; ratePerSecond: number }>;
}

/** The whole status page: a row for every account, in configuration order (members as listed), and the organizations. */
export interface StatusView {
  /** Unix ms, by the exporter's clock: what the data ages are measured from. */
  now: number;
  accounts: AccountRow[];
  organizations: OrganizationStatus[];
}

/** up, down (a refresh failed) or pending (no refresh finished yet), as the page counts accounts. */
function stateOf(state: { up: boolean; lastError: unknown }): 'up' | 'down' | 'pending' {
  return state.up ? 'up' : state.lastError === undefined ? 'pending' : 'down';
}
