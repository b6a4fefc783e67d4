// The running parts of one account and of one organization, wired from what its cloud provides: an
// account's lazily loaded source, the invoker of its calls (rate limit, retries, its principal's
// shared limits) and its collector (the cache); an organization's member list and the invoker of
// its listing calls.
import type { Logger } from '../base/log.js';
import { AccountCollector } from '../collect/account-collector.js';
import type { Clock } from '../collect/clock.js';
import type { CollectedAccount } from '../collect/collector.js';
import { Invoker } from '../collect/invoker.js';
import { MemberList, type MemberListSeed } from '../collect/member-list.js';
import { DEFAULT_RETRY_POLICY } from '../collect/retry.js';
import type { SharedLimits } from '../collect/shared-limits.js';
import type { ExporterConfig } from '../config/types.js';
import type { ProviderAccount, ProviderEntry, ProviderOrganization } from '../contract/provider.js';
import type { ScanSummary } from '../contract/scan-summary.js';
import type { ApiCallObserver, Provider, Snapshot } from '../contract/types.js';
import type { ExporterMetrics } from '../metrics/exporter-metrics.js';
import type { AccountInfo } from '../metrics/info-series.js';
import { LazyMemberSource, LazySource } from './lazy-sources.js';

/** What every account's and organization's parts are wired to: one of each per exporter. */
export interface Wiring {
  metrics: ExporterMetrics;
  logger: Logger;
  clock: Clock;
  /** Token buckets per signing principal and action, shared by every account the principal signs for. */
  limits: SharedLimits;
  /** The share of each account's rate_limit this process calls at. */
  rateLimitShare: number;
}

/** One account, configured or an organization's member, as it runs. */
export interface RunningAccount extends CollectedAccount {
  /** provider/account, as /probe takes it. */
  key: string;
  fingerprint: string;
  invoker: Invoker;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
  account: ProviderAccount;
  /** The member's display name (discovered), or the account's name (configured). */
  displayName: string;
  /** The organization whose listing made this account; undefined for a configured one. */
  discoveredBy: RunningOrganization | undefined;
}

/** A configured organization, its member list, and the version of that list the member accounts were built from. */
export interface RunningOrganization {
  fingerprint: string;
  provider: ProviderEntry;
  organization: ProviderOrganization;
  list: MemberList;
  /** The listing's calls: under the management principal's limits. */
  invoker: Invoker;
  builtVersion: number;
  /** Its members' accounts by member id, as last built: an unchanged member is found here, not searched for. */
  members: Map<string, RunningAccount>;
}

/** How many calls of one account may be in flight at once. */
const MAX_CONCURRENCY_PER_ACCOUNT = 10;

export function startAccount(
  wiring: Wiring,
  { name: provider, summarize, dropReasons }: ProviderEntry,
  providerAccount: ProviderAccount,
  config: ExporterConfig,
  fingerprint: string,
): RunningAccount {
  const { settings: account, loadSource, renderer, actions } = providerAccount;
  const { metrics, logger, clock } = wiring;
  const source = new LazySource(provider, account.name, loadSource);
  const counted = metrics.observer(provider, account.name, { actions, dropReasons });
  // A member's call refused as a member that left would be: its organization lists its members again early.
  const observer: ApiCallObserver = {
    ...counted,
    onCall: (call) => {
      counted.onCall(call);
      const organization = entry.discoveredBy;
      if (call.errorCode !== undefined && organization?.organization.memberGone(call.action, call.errorCode)) organization.list.listEarly();
    },
  };
  const invoker = startInvoker(
    wiring,
    provider,
    account,
    MAX_CONCURRENCY_PER_ACCOUNT,
    (action) => providerAccount.signer(action),
    observer,
  );
  const collector = new AccountCollector(source, {
    ttlMs: config.cache.ttlSeconds * 1000,
    maxStaleMs: config.cache.maxStaleSeconds * 1000,
    clock,
    invoker,
    observer,
    logger: logger.child({ provider, account: account.name }),
  });
  const entry: RunningAccount = {
    key: `${provider}/${account.name}`,
    fingerprint,
    collector,
    renderer,
    invoker,
    summarize,
    account: providerAccount,
    displayName: account.name,
    discoveredBy: undefined,
  };
  return entry;
}

/** How many listing calls of one organization may be in flight at once: its pages are read one by one. */
const MAX_CONCURRENCY_PER_ORGANIZATION = 2;

export function startOrganization(
  wiring: Wiring,
  provider: ProviderEntry,
  organization: ProviderOrganization,
  fingerprint: string,
  seed: MemberListSeed | undefined,
): RunningOrganization {
  const { metrics, logger, clock } = wiring;
  const { settings } = organization;
  const observer = metrics.observer(provider.name, settings.name, { actions: organization.actions, dropReasons: [] });
  const invoker = startInvoker(
    wiring,
    provider.name,
    settings,
    MAX_CONCURRENCY_PER_ORGANIZATION,
    (action) => organization.signer(action),
    observer,
  );
  const list = new MemberList(new LazyMemberSource(provider.name, settings.name, () => organization.loadMemberSource()), {
    intervalMs: settings.refreshIntervalSeconds * 1000,
    clock,
    invoker,
    observer,
    logger: logger.child({ provider: provider.name, organization: settings.name }),
    include: settings.include,
    exclude: settings.exclude,
    seed,
  });
  return { fingerprint, provider, organization, list, invoker, builtVersion: -1, members: new Map() };
}

/**
 * The invoker of an account's (or an organization's listing) calls: its rate limit at this process's
 * share, its timeout and retries, under the limits shared by every account its signer signs for.
 */
function startInvoker(
  wiring: Wiring,
  provider: Provider,
  settings: { rateLimit: number; requestTimeoutSeconds: number },
  maxConcurrency: number,
  signer: (action: string) => string,
  observer: ApiCallObserver,
): Invoker {
  const rate = settings.rateLimit * wiring.rateLimitShare;
  return new Invoker({
    provider,
    ratePerSecond: rate,
    maxConcurrency,
    callTimeoutMs: settings.requestTimeoutSeconds * 1000,
    retry: DEFAULT_RETRY_POLICY,
    clock: wiring.clock,
    observer,
    limits: wiring.limits.forAccount(signer, rate),
  });
}

/** An account's cloudscan_account_info labels. */
export function accountInfo({ collector, displayName, discoveredBy }: RunningAccount): AccountInfo {
  return {
    provider: collector.provider,
    account: collector.account,
    name: displayName,
    discoveredBy: discoveredBy?.organization.settings.name ?? '',
  };
}
