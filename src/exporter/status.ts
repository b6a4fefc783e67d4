// What the status page and the debug probe show of each account, as plain data: the collector's
// state, the invoker's calls per minute, the capacity line and the cloud's own scan summary.
// Reading it starts no refresh and makes no cloud call.
import { keepsUp, describeCapacity, type AccountCapacity } from './capacity.js';
import type { AccountCollector } from '../collect/account-collector.js';
import type { Invoker } from '../collect/invoker.js';
import type { RefreshProgress } from '../contract/account-state.js';
import type { ScanSummary } from '../contract/scan-summary.js';
import type { FeatureOff, Snapshot } from '../contract/types.js';

export interface AccountStatus {
  /** provider/account, as /probe takes it. */
  target: string;
  provider: string;
  account: string;
  /** The last refresh finished without any error. */
  up: boolean;
  /** Unix ms when the data served now was taken; absent when there is none to serve. */
  dataTakenAt?: number;
  /** Unix ms of the last refresh in which every call succeeded. */
  lastSuccessAt?: number;
  /** How long the last finished refresh took; absent before the first has finished. */
  lastDurationSeconds?: number;
  /** The refresh running now. */
  refresh?: RefreshProgress;
  lastError?: { action: string; code: string; requestId?: string; message: string };
  /** Calls started in the last minute, all actions, and the busiest action's. */
  callsLastMinute: { total: number; busiest?: { action: string; calls: number } };
  /** Per action and second, as configured. */
  rateLimit: number;
  capacity: { text: string; keepsUp: boolean | undefined };
  summary?: ScanSummary;
  /** Optional parts of the account's data off for lack of permission: what, since when, what to add. */
  featuresOff?: readonly FeatureOff[];
  /** For a member account discovered in an organization: its display name and the organization. */
  member?: { name: string; organization: string };
}

export interface StatusSources {
  collector: AccountCollector<Snapshot>;
  invoker: Invoker;
  capacity: AccountCapacity | undefined;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
  member?: { name: string; organization: string } | undefined;
}

export function accountStatus({ collector, invoker, capacity, summarize, member }: StatusSources): AccountStatus {
  const state = collector.state();
  const calls = invoker.callsInLastMinute();
  const error = state.lastError;
  return {
    target: `${state.provider}/${state.account}`,
    provider: state.provider,
    account: state.account,
    up: state.up,
    ...(state.snapshot ? { dataTakenAt: state.snapshot.takenAt } : {}),
    ...(state.lastSuccessAt === undefined ? {} : { lastSuccessAt: state.lastSuccessAt }),
    ...(state.lastDurationSeconds === undefined ? {} : { lastDurationSeconds: state.lastDurationSeconds }),
    ...(state.refresh ? { refresh: state.refresh } : {}),
    ...(error
      ? {
          lastError: {
            action: error.action,
            code: error.code,
            message: error.message,
            ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
          },
        }
      : {}),
    callsLastMinute: { total: calls.reduce((sum, c) => sum + c.calls, 0), ...(calls[0] ? { busiest: calls[0] } : {}) },
    rateLimit: invoker.ratePerSecond,
    capacity: capacity ? { text: describeCapacity(capacity), keepsUp: keepsUp(capacity) } : { text: '', keepsUp: undefined },
    ...(state.snapshot && summarize ? { summary: summarize(state.snapshot) } : {}),
    ...(state.snapshot?.featuresOff?.length ? { featuresOff: state.snapshot.featuresOff } : {}),
    ...(member ? { member } : {}),
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
  lastError?: { action: string; code: string; requestId?: string; message: string };
  /** Members read as accounts; undefined before the first good listing. */
  members: number | undefined;
  listed: number | undefined;
  /** Members read as accounts now up, down, and waiting for a first refresh. */
  memberStates: { up: number; down: number; pending: number };
  skipped: ReadonlyArray<{ reason: string; count: number; fix?: string; first: ReadonlyArray<{ id: string; name: string; detail: string }> }>;
  /** The management principal's calls in the last minute by action (its members' share them, as the cloud counts them). */
  principalCalls: ReadonlyArray<{ action: string; calls: number; ratePerSecond: number }>;
}

/** The whole status page: every account's count, the accounts shown, and the organizations. */
export interface StatusView {
  totals: { accounts: number; up: number; down: number; pending: number };
  /** Every configured account, and of each organization the members not up first, at most MEMBER_CARDS. */
  accounts: AccountStatus[];
  organizations: OrganizationStatus[];
}

/** Member cards of one organization on the status page at most: those not up first. */
export const MEMBER_CARDS = 100;

/** up, down (a refresh failed) or pending (no refresh finished yet), as the page counts accounts. */
export function stateOf(state: { up: boolean; lastError: unknown }): 'up' | 'down' | 'pending' {
  return state.up ? 'up' : state.lastError === undefined ? 'pending' : 'down';
}
