// Wires a configuration into running parts: one source, invoker and cache per account, all
// feeding one ExporterMetrics. Reload swaps the accounts, keeping the caches of unchanged ones.
// Organizations add accounts of their own: each member their listing returns is an account, and
// the set changes between scrapes as members join and leave, the caches of the others kept.
import { createHash } from 'node:crypto';
import { atRateLimitShare, planned, withMeasuredCalls, type AccountCapacity } from './capacity.js';
import { AccountCollector } from '../collect/account-collector.js';
import { systemClock, type Clock } from '../collect/clock.js';
import { Collector, type CollectedAccount } from '../collect/collector.js';
import { Invoker } from '../collect/invoker.js';
import { MemberList, type MemberListSeed } from '../collect/member-list.js';
import { SharedLimits } from '../collect/shared-limits.js';
import { DEFAULT_RETRY_POLICY } from '../collect/retry.js';
import { Secret } from '../base/secret.js';
import type { ExporterConfig } from '../config/types.js';
import type { Logger } from '../base/log.js';
import type { AccountInfo, ExporterMetrics, Exposition } from '../metrics/exporter-metrics.js';
import { HEALTH, type Family } from '../metrics/families.js';
import type { RefreshLogs } from '../collect/account-collector.js';
import type { ScanSummary } from '../contract/scan-summary.js';
import { accountRow, accountStatus, type AccountStatus, type OrganizationStatus, type RowSources, type StatusView } from './status.js';
import type { ProviderAccount, ProviderEntry, ProviderOrganization } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';
import type { ApiCallObserver, FetchContext, Member, MemberSource, Provider, Snapshot, Source } from '../contract/types.js';

/** Every family the exporter may show, each once: each registered cloud's (coverage's are every cloud's), then its own (docs, dashboard lint). */
export const ALL_FAMILIES: readonly Family[] = [...new Set([...PROVIDERS.flatMap((provider) => provider.families), ...Object.values(HEALTH)])];

/** How many calls of one account may be in flight at once. */
const MAX_CONCURRENCY_PER_ACCOUNT = 10;

/** The most X-Prometheus-Scrape-Timeout-Seconds is believed: Prometheus' scrape_timeout is rarely past a minute. */
export const MAX_SCRAPE_TIMEOUT_SECONDS = 600;

export interface ExporterOptions {
  metrics: ExporterMetrics;
  logger: Logger;
  clock?: Clock;
  /** The clouds whose accounts are read from the configuration; default every registered one. */
  providers?: readonly ProviderEntry[];
  /**
   * The share of each account's rate_limit this process calls at (default 1): with N replicas
   * reading the same accounts, 1/N keeps their calls together within the cloud's per-account limit.
   */
  rateLimitShare?: number;
}

/** How many listing calls of one organization may be in flight at once: its pages are read one by one. */
const MAX_CONCURRENCY_PER_ORGANIZATION = 2;

interface Entry extends CollectedAccount {
  /** provider/account, as /probe takes it. */
  key: string;
  fingerprint: string;
  invoker: Invoker;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
  account: ProviderAccount;
  /** The member's display name (discovered), or the account's name (configured). */
  displayName: string;
  /** The organization whose listing made this account; undefined for a configured one. */
  discoveredBy: Organization | undefined;
}

/** A configured organization, its member list, and the version of that list the member accounts were built from. */
interface Organization {
  fingerprint: string;
  provider: ProviderEntry;
  organization: ProviderOrganization;
  list: MemberList;
  /** The listing's calls: under the management principal's limits. */
  invoker: Invoker;
  builtVersion: number;
  /** Its members' accounts by member id, as last built: an unchanged member is found here, not searched for. */
  members: Map<string, Entry>;
}

/** What /probe?debug=true shows: the account's now, its refresh logs, and its series. */
export interface ProbeDebug {
  status: AccountStatus;
  logs: RefreshLogs;
  exposition: Exposition;
}

/** Prometheus HTTP service discovery: one group of /probe targets (provider/account) with its labels. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

export class Exporter {
  #config: ExporterConfig;
  #collector: Collector;
  /** Every account: the configured ones, then each organization's members. */
  #entries: Entry[];
  /** The same by provider/account. */
  #byKey = new Map<string, Entry>();
  #configured: Entry[];
  #organizations: Organization[];
  /** provider/account of members left out because another account has their id, each said once. */
  readonly #shadowed = new Set<string>();
  /** Token buckets per signing principal and action, shared by every account the principal signs for. */
  readonly #limits: SharedLimits;

  constructor(
    config: ExporterConfig,
    private readonly options: ExporterOptions,
  ) {
    this.#config = config;
    this.#limits = new SharedLimits(options.clock ?? systemClock);
    this.#configured = this.#build(config, new Map());
    this.#organizations = this.#buildOrganizations(config, []);
    this.#entries = [...this.#configured, ...this.#members(new Map())];
    this.#index();
    this.#collector = this.#makeCollector();
    this.#publishAccounts();
    this.#publishOrganizations();
  }

  get config(): ExporterConfig {
    return this.#config;
  }

  get collector(): Collector {
    return this.#collector;
  }

  /** The exposition for all accounts, answering by `deadline` (Unix ms) with the freshest data there is. */
  async scrape(deadline: number): Promise<Exposition> {
    await this.#discover(deadline);
    const lookups = await this.#collector.collect(deadline);
    this.options.metrics.sync(lookups);
    return this.options.metrics.exposition();
  }

  /**
   * One account's exposition, for /probe; undefined when no such account is configured or listed. A
   * member's carries its organization's series too. Costs the same whatever the number of accounts.
   */
  async probe(provider: string, account: string, deadline: number): Promise<Exposition | undefined> {
    await this.#discover(deadline);
    const entry = this.#byKey.get(`${provider}/${account}`);
    if (!entry) return undefined;
    const [lookup] = await this.#collector.collect(deadline, entry);
    const organization = entry.discoveredBy;
    return this.options.metrics.probeExposition(lookup!, {
      info: infoOf(entry),
      ...(organization ? { organization: { provider: organization.provider.name, organization: organization.organization.settings.name } } : {}),
    });
  }

  /** Whether /probe would answer for this account (configured, or listed when the members were last read); starts nothing. */
  has(provider: string, account: string): boolean {
    return this.#byKey.has(`${provider}/${account}`);
  }

  /** One account's probe with what it took: for /probe?debug=true. */
  async probeDebug(provider: string, account: string, deadline: number): Promise<ProbeDebug | undefined> {
    const exposition = await this.probe(provider, account, deadline);
    const entry = this.#byKey.get(`${provider}/${account}`);
    if (exposition === undefined || entry === undefined) return undefined;
    return { status: this.#status(entry), logs: entry.collector.refreshLogs(), exposition };
  }

  /**
   * Every account as a /probe target, in Prometheus' HTTP service discovery format: one group for each
   * cloud's configured accounts, one per organization with its members as they are listed now.
   */
  async targets(deadline: number): Promise<TargetGroup[]> {
    await this.#discover(deadline);
    const groups: TargetGroup[] = [];
    for (const provider of this.#providers) {
      const targets = this.#configured.filter((entry) => entry.collector.provider === provider.name).map((entry) => entry.key);
      if (targets.length > 0) groups.push({ targets, labels: { __meta_cloudscan_provider: provider.name } });
    }
    for (const { provider, organization, members } of this.#organizations) {
      groups.push({
        targets: [...members.values()].map((entry) => entry.key),
        labels: { __meta_cloudscan_provider: provider.name, __meta_cloudscan_organization: organization.settings.name },
      });
    }
    return groups;
  }

  /** What the status page shows: a row for every account, and the organizations; starts no refresh. */
  statusView(): StatusView {
    const now = (this.options.clock ?? systemClock).now();
    const accounts = this.#entries.map((entry) => accountRow(this.#statusSources(entry, now)));
    return { now, accounts, organizations: this.#organizations.map((organization) => this.#organizationStatus(organization)) };
  }

  /** What the status page shows of one account on its own; undefined when there is no such account. Starts no refresh. */
  accountStatus(provider: string, account: string): AccountStatus | undefined {
    const entry = this.#byKey.get(`${provider}/${account}`);
    return entry === undefined ? undefined : this.#status(entry);
  }

  #status(entry: Entry): AccountStatus {
    return accountStatus({ ...this.#statusSources(entry, (this.options.clock ?? systemClock).now()), invoker: entry.invoker, capacity: this.#capacityOf(entry) });
  }

  #statusSources(entry: Entry, now: number): RowSources {
    const organization = entry.discoveredBy;
    return {
      collector: entry.collector,
      summarize: entry.summarize,
      member: organization === undefined ? undefined : { name: entry.displayName, organization: organization.organization.settings.name },
      ttlSeconds: this.#config.cache.ttlSeconds,
      now,
    };
  }

  #organizationStatus(organization: Organization): OrganizationStatus {
    const state = organization.list.state();
    const { settings } = organization.organization;
    const error = state.lastError;
    return {
      provider: organization.provider.name,
      organization: settings.name,
      up: state.up,
      refreshIntervalSeconds: settings.refreshIntervalSeconds,
      ...(state.lastSuccessAt === undefined ? {} : { lastSuccessAt: state.lastSuccessAt }),
      ...(state.lastAttemptAt === undefined ? {} : { lastAttemptAt: state.lastAttemptAt }),
      ...(error ? { lastError: { action: error.action, code: error.code, kind: error.kind, message: error.message, ...(error.requestId === undefined ? {} : { requestId: error.requestId }) } } : {}),
      members: state.members?.length,
      listed: state.listed,
      skipped: state.skipped.map(({ reason, count, fix, first }) => ({ reason, count, ...(fix === undefined ? {} : { fix }), first })),
      principalCalls: this.#limits.callsInLastMinute(organization.organization.signer('')),
    };
  }

  /** Each account's shortest refresh next to its TTL, from its last refresh where there was one. */
  capacity(): AccountCapacity[] {
    return this.#entries.map((entry) => this.#capacityOf(entry));
  }

  #capacityOf({ key, account, collector }: Entry): AccountCapacity {
    const ttlSeconds = this.#config.cache.ttlSeconds;
    return withMeasuredCalls(atRateLimitShare(planned(key, account.settings.rateLimit, ttlSeconds, account.plan()), this.#rateLimitShare), collector.state().lastRefreshCalls?.calls);
  }

  /** The organizations' member lists, for tests and benchmarks: resolves when no listing runs. */
  async organizationsSettled(): Promise<void> {
    await Promise.all(this.#organizations.map(({ list }) => list.settled()));
  }

  /** Token buckets held now, for tests: members that left hold none. */
  get sharedBuckets(): number {
    return this.#limits.size;
  }

  /**
   * Reads each organization's member list where it is due (waiting, until `deadline`, only for one
   * never listed), and brings the accounts in line with it: members that joined become accounts,
   * those that left are dropped with their series, the others keep their cache. Without a change it
   * costs the same whatever the number of members.
   */
  async #discover(deadline: number): Promise<void> {
    if (this.#organizations.length === 0) return;
    const organizations = this.#organizations;
    await Promise.all(organizations.map(({ list }) => list.lookup(deadline)));
    if (organizations !== this.#organizations) return; // a reload replaced them meanwhile, and rebuilt
    if (organizations.some((organization) => organization.list.state().version !== organization.builtVersion)) {
      const previous = this.#entries;
      this.#entries = [...this.#configured, ...this.#members(undefined)];
      this.#index();
      this.#retire(previous);
      this.#collector = this.#makeCollector();
      this.#publishAccounts();
    }
    this.#publishOrganizations();
  }

  /**
   * Each organization's members as accounts, in order. A member an organization had is its account
   * as it was; otherwise one of `reusable` (by fingerprint: a reload that left its settings as they
   * were), or a new one. `reusable` undefined: nothing changed but the member lists.
   */
  #members(reusable: ReadonlyMap<string, Entry> | undefined): Entry[] {
    const taken = new Set(this.#configured.map(({ key }) => key));
    const members: Entry[] = [];
    for (const organization of this.#organizations) {
      const state = organization.list.state();
      organization.builtVersion = state.version;
      const next = new Map<string, Entry>();
      for (const member of state.members ?? []) {
        const entry = this.#memberEntry(organization, member, taken, reusable);
        if (!entry) continue;
        members.push(entry);
        next.set(member.id, entry);
      }
      organization.members = next;
    }
    return members;
  }

  #memberEntry(organization: Organization, member: Member, taken: Set<string>, reusable: ReadonlyMap<string, Entry> | undefined): Entry | undefined {
    const { provider, organization: source } = organization;
    const key = `${provider.name}/${member.id}`;
    if (taken.has(key)) {
      const said = `${source.settings.name}|${key}`;
      if (!this.#shadowed.has(said)) {
        this.#shadowed.add(said);
        this.options.logger.warn(
          { provider: provider.name, organization: source.settings.name, account: member.id },
          'member left out: an account of that name is already configured or listed by an earlier organization',
        );
      }
      return undefined;
    }
    taken.add(key);
    let entry = reusable === undefined ? organization.members.get(member.id) : undefined;
    if (!entry) {
      const account = source.memberAccount(member);
      const fingerprint = fingerprintOf(provider.name, account.settings, this.#config);
      entry = reusable?.get(fingerprint) ?? this.#entry(provider, account, this.#config, fingerprint);
    }
    entry.displayName = member.name;
    entry.discoveredBy = organization;
    return entry;
  }

  /** Accounts of `previous` no longer in use stop; those whose account is gone for good lose their series. */
  #retire(previous: readonly Entry[]): void {
    const kept = new Set(this.#entries);
    for (const old of previous) {
      if (kept.has(old)) continue;
      old.collector.close();
      old.invoker.close();
      if (!this.#byKey.has(old.key)) this.options.metrics.forget(old.collector.provider, old.collector.account);
    }
  }

  #index(): void {
    this.#byKey = new Map(this.#entries.map((entry) => [entry.key, entry]));
  }

  /** cloudscan_account_info as it is now: set when the accounts change, not on every scrape. */
  #publishAccounts(): void {
    this.options.metrics.setAccountInfo(this.#entries.map(infoOf));
  }

  /** cloudscan_organization_* as they are now (a few series per organization). */
  #publishOrganizations(): void {
    this.options.metrics.setOrganizations(
      this.#organizations.map(({ list }) => {
        const state = list.state();
        return {
          provider: state.provider,
          organization: state.organization,
          up: state.up,
          members: state.members?.length,
          lastSuccessAt: state.lastSuccessAt,
          skipped: state.members === undefined ? [] : state.skipped.map(({ reason, count }) => ({ reason, count })),
        };
      }),
    );
  }

  /**
   * Scrape deadline for a request, from Prometheus' timeout header or the configured timeout. The
   * header is believed up to what waiting can bring (issue 21, finding 6): only an account without
   * data waits, for its running refresh, whose retries end when the next refresh is due (cache.ttl);
   * so at most the longer of cache.ttl and scrape.timeout.
   */
  deadlineFor(scrapeTimeoutHeader: string | undefined, now = (this.options.clock ?? systemClock).now()): number {
    const { timeoutSeconds, timeoutOffsetSeconds } = this.#config.scrape;
    const fromHeader = scrapeTimeoutHeader === undefined ? NaN : Number(scrapeTimeoutHeader);
    // The header is the client's word: 1e308 would overflow every timer (TimeoutOverflowWarning).
    const longest = Math.min(MAX_SCRAPE_TIMEOUT_SECONDS, Math.max(timeoutSeconds, this.#config.cache.ttlSeconds));
    const timeout = Number.isFinite(fromHeader) && fromHeader > 0 ? Math.min(fromHeader, longest) : timeoutSeconds;
    return now + Math.max(0, timeout - timeoutOffsetSeconds) * 1000;
  }

  /**
   * Applies a new configuration; accounts whose settings did not change keep their cache. An
   * organization whose settings changed keeps the members it last listed (less those its new
   * include/exclude leave out) until its next listing, even when listing fails.
   */
  reload(config: ExporterConfig): void {
    const previous = this.#entries;
    const reusable = new Map(previous.map((entry) => [entry.fingerprint, entry]));
    this.#config = config;
    this.#configured = this.#build(config, reusable);
    this.#organizations = this.#buildOrganizations(config, this.#organizations);
    this.#entries = [...this.#configured, ...this.#members(reusable)];
    this.#index();
    this.#retire(previous);
    this.#collector = this.#makeCollector();
    this.#publishAccounts();
    this.#publishOrganizations();
  }

  close(): void {
    this.#collector.close();
    for (const { list } of this.#organizations) list.close();
  }

  get #rateLimitShare(): number {
    return this.options.rateLimitShare ?? 1;
  }

  get #providers(): readonly ProviderEntry[] {
    return this.options.providers ?? PROVIDERS;
  }

  #makeCollector(): Collector {
    return new Collector(this.#entries, (provider, hit) => this.options.metrics.countLookup(provider, hit));
  }

  #build(config: ExporterConfig, reusable: ReadonlyMap<string, Entry>): Entry[] {
    const accounts = this.#providers.flatMap((provider) => provider.accounts(config).map((account) => ({ provider, account })));
    return accounts.map(({ provider, account }) => {
      const fingerprint = fingerprintOf(provider.name, account.settings, config);
      const entry = reusable.get(fingerprint) ?? this.#entry(provider, account, config, fingerprint);
      entry.displayName = account.settings.name;
      entry.discoveredBy = undefined;
      return entry;
    });
  }

  /**
   * The configured organizations; those whose settings did not change keep their member list (and so
   * their members' caches); one whose settings changed starts from what its old list knew.
   */
  #buildOrganizations(config: ExporterConfig, previous: readonly Organization[]): Organization[] {
    const sameName = (a: Organization, provider: ProviderEntry, name: string) => a.provider.name === provider.name && a.organization.settings.name === name;
    const next = this.#providers.flatMap((provider) =>
      (provider.discovery?.organizations(config) ?? []).map((organization) => {
        const fingerprint = fingerprintOf(provider.name, organization.settings, config);
        const kept = previous.find((o) => o.fingerprint === fingerprint);
        if (kept) return kept;
        const replaced = previous.find((o) => sameName(o, provider, organization.settings.name));
        return this.#organization(provider, organization, fingerprint, replaced?.list.seed());
      }),
    );
    for (const old of previous) {
      if (next.includes(old)) continue;
      old.list.close();
      old.invoker.close();
      // Its listing counters would otherwise stay at their last value for good.
      if (!next.some((o) => sameName(o, old.provider, old.organization.settings.name))) {
        this.options.metrics.forget(old.provider.name, old.organization.settings.name);
      }
    }
    return next;
  }

  #organization(provider: ProviderEntry, organization: ProviderOrganization, fingerprint: string, seed: MemberListSeed | undefined): Organization {
    const { metrics, logger } = this.options;
    const clock = this.options.clock ?? systemClock;
    const { settings } = organization;
    const rate = settings.rateLimit * this.#rateLimitShare;
    const observer = metrics.observer(provider.name, settings.name, { actions: organization.actions, dropReasons: [] });
    const invoker = new Invoker({
      provider: provider.name,
      ratePerSecond: rate,
      maxConcurrency: MAX_CONCURRENCY_PER_ORGANIZATION,
      callTimeoutMs: settings.requestTimeoutSeconds * 1000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
      observer,
      limits: this.#limits.forAccount((action) => organization.signer(action), rate),
    });
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

  #entry({ name: provider, summarize, dropReasons }: ProviderEntry, providerAccount: ProviderAccount, config: ExporterConfig, fingerprint: string): Entry {
    const { settings: account, loadSource, renderer, actions } = providerAccount;
    const { metrics, logger } = this.options;
    const clock = this.options.clock ?? systemClock;
    const source = new LazySource(provider, account.name, loadSource);
    const counted = metrics.observer(provider, account.name, { actions, dropReasons });
    const rate = account.rateLimit * this.#rateLimitShare;
    // A member's call refused as a member that left would be: its organization lists its members again early.
    const observer: ApiCallObserver = {
      ...counted,
      onCall: (call) => {
        counted.onCall(call);
        const organization = entry.discoveredBy;
        if (call.errorCode !== undefined && organization?.organization.memberGone(call.action, call.errorCode)) organization.list.listEarly();
      },
    };
    const invoker = new Invoker({
      provider,
      ratePerSecond: rate,
      maxConcurrency: MAX_CONCURRENCY_PER_ACCOUNT,
      callTimeoutMs: account.requestTimeoutSeconds * 1000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
      observer,
      limits: this.#limits.forAccount((action) => providerAccount.signer(action), rate),
    });
    const collector = new AccountCollector(source, {
      ttlMs: config.cache.ttlSeconds * 1000,
      maxStaleMs: config.cache.maxStaleSeconds * 1000,
      clock,
      invoker,
      observer,
      logger: logger.child({ provider, account: account.name }),
    });
    const entry: Entry = {
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
}

/** An account's cloudscan_account_info labels. */
function infoOf({ collector, displayName, discoveredBy }: Entry): AccountInfo {
  return { provider: collector.provider, account: collector.account, name: displayName, discoveredBy: discoveredBy?.organization.settings.name ?? '' };
}

/**
 * A cloud's source, its module (and so its SDK) loaded on the account's first refresh: an exporter
 * of one cloud never loads the other's SDK, about 8 MiB of resident memory each.
 */
class LazySource implements Source<Snapshot> {
  #source: Promise<Source<Snapshot>> | undefined;

  constructor(
    readonly provider: Provider,
    readonly account: string,
    private readonly load: () => Promise<Source<Snapshot>>,
  ) {}

  async fetch(context: FetchContext<Snapshot>): Promise<Snapshot> {
    this.#source ??= this.load();
    return (await this.#source).fetch(context);
  }
}

/** An organization's member lister, its module (and so its cloud's SDK) loaded on the first listing. */
class LazyMemberSource implements MemberSource {
  #source: Promise<MemberSource> | undefined;

  constructor(
    readonly provider: Provider,
    readonly organization: string,
    private readonly load: () => Promise<MemberSource>,
  ) {}

  async list(...args: Parameters<MemberSource['list']>): ReturnType<MemberSource['list']> {
    this.#source ??= this.load();
    return (await this.#source).list(...args);
  }
}

/** Identifies an account's settings, secrets by hash, so an unchanged account keeps its cache on reload. */
function fingerprintOf(provider: Provider, account: object, config: ExporterConfig): string {
  // A replacer sees Secret.toJSON()'s "<secret>", so it looks at the holder's raw value instead.
  const text = JSON.stringify({ provider, account, cache: config.cache }, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Secret ? createHash('sha256').update(raw.reveal()).digest('hex') : value;
  });
  return createHash('sha256').update(text).digest('hex');
}
