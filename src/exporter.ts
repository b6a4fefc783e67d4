// Wires a configuration into running parts: one source, invoker and cache per account, all
// feeding one ExporterMetrics. Reload swaps the accounts, keeping the caches of unchanged ones.
// Organizations add accounts of their own: each member their listing returns is an account, and
// the set changes between scrapes as members join and leave, the caches of the others kept.
import { createHash } from 'node:crypto';
import { atRateLimitShare, planned, withMeasuredCalls, type AccountCapacity } from './capacity.js';
import { AccountCollector } from './collect/account-collector.js';
import { systemClock, type Clock } from './collect/clock.js';
import { Collector, type CollectedAccount } from './collect/collector.js';
import { Invoker } from './collect/invoker.js';
import { MemberList } from './collect/member-list.js';
import { DEFAULT_RETRY_POLICY } from './collect/retry.js';
import { Secret } from './shared/secret.js';
import type { ExporterConfig } from './config/types.js';
import type { Logger } from './log.js';
import type { ExporterMetrics, Exposition } from './metrics/exporter-metrics.js';
import { HEALTH, type Family } from './metrics/families.js';
import type { RefreshLogs } from './collect/account-collector.js';
import type { ScanSummary } from './shared/scan-summary.js';
import { accountStatus, type AccountStatus } from './status.js';
import type { ProviderAccount, ProviderEntry, ProviderOrganization } from './sources/provider.js';
import { PROVIDERS } from './sources/registry.js';
import type { FetchContext, Member, MemberSource, Provider, Snapshot, Source } from './sources/types.js';

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
  fingerprint: string;
  invoker: Invoker;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
  account: ProviderAccount;
  /** The member's display name (discovered), or the account's name (configured). */
  displayName: string;
  /** The organization whose listing made this account; undefined for a configured one. */
  discoveredBy: string | undefined;
}

/** A configured organization, its member list, and the version of that list the member accounts were built from. */
interface Organization {
  fingerprint: string;
  provider: ProviderEntry;
  organization: ProviderOrganization;
  list: MemberList;
  builtVersion: number;
}

/** What /probe?debug=true shows: the account's now, its refresh logs, and its series. */
export interface ProbeDebug {
  status: AccountStatus;
  logs: RefreshLogs;
  exposition: Exposition;
}

export class Exporter {
  #config: ExporterConfig;
  #collector: Collector;
  /** Every account: the configured ones, then each organization's members. */
  #entries: Entry[];
  #configured: Entry[];
  #organizations: Organization[];
  /** provider/account of members left out because another account has their id, each said once. */
  readonly #shadowed = new Set<string>();

  constructor(
    config: ExporterConfig,
    private readonly options: ExporterOptions,
  ) {
    this.#config = config;
    this.#configured = this.#build(config, []);
    this.#organizations = this.#buildOrganizations(config, []);
    this.#entries = [...this.#configured, ...this.#members([])];
    this.#collector = this.#makeCollector();
    this.#publish();
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

  /** One account's exposition, for /probe; undefined when no such account is configured. */
  async probe(provider: string, account: string, deadline: number): Promise<Exposition | undefined> {
    await this.#discover(deadline);
    const target = this.#collector.find(provider, account);
    if (!target) return undefined;
    const [lookup] = await this.#collector.collect(deadline, target);
    return this.options.metrics.probeExposition(lookup!);
  }

  /** One account's probe with what it took: for /probe?debug=true. */
  async probeDebug(provider: string, account: string, deadline: number): Promise<ProbeDebug | undefined> {
    const exposition = await this.probe(provider, account, deadline);
    const entry = this.#entries.find((e) => e.collector.provider === provider && e.collector.account === account);
    if (exposition === undefined || entry === undefined) return undefined;
    return { status: this.#status(entry, this.capacity()), logs: entry.collector.refreshLogs(), exposition };
  }

  /** What the status page shows of every account; starts no refresh. */
  status(): AccountStatus[] {
    const capacity = this.capacity();
    return this.#entries.map((entry) => this.#status(entry, capacity));
  }

  #status(entry: Entry, capacity: readonly AccountCapacity[]): AccountStatus {
    const target = `${entry.collector.provider}/${entry.collector.account}`;
    return accountStatus({
      collector: entry.collector,
      invoker: entry.invoker,
      capacity: capacity.find((c) => c.target === target),
      summarize: entry.summarize,
      member: entry.discoveredBy === undefined ? undefined : { name: entry.displayName, organization: entry.discoveredBy },
    });
  }

  /** Each account's shortest refresh next to its TTL, from its last refresh where there was one. */
  capacity(): AccountCapacity[] {
    const ttlSeconds = this.#config.cache.ttlSeconds;
    return this.#entries.map(({ collector, account }) =>
      withMeasuredCalls(
        atRateLimitShare(planned(`${collector.provider}/${collector.account}`, account.settings.rateLimit, ttlSeconds, account.plan()), this.#rateLimitShare),
        collector.state().lastRefreshCalls?.calls,
      ),
    );
  }

  /** The organizations' member lists, for tests and benchmarks: resolves when no listing runs. */
  async organizationsSettled(): Promise<void> {
    await Promise.all(this.#organizations.map(({ list }) => list.settled()));
  }

  /**
   * Reads each organization's member list where it is due (waiting, until `deadline`, only for one
   * never listed), and brings the accounts in line with it: members that joined become accounts,
   * those that left are dropped, the others keep their cache.
   */
  async #discover(deadline: number): Promise<void> {
    if (this.#organizations.length === 0) return;
    const organizations = this.#organizations;
    await Promise.all(organizations.map(({ list }) => list.lookup(deadline)));
    if (organizations !== this.#organizations) return; // a reload replaced them meanwhile, and rebuilt
    if (organizations.some((organization) => organization.list.state().version !== organization.builtVersion)) {
      const previous = this.#entries;
      this.#entries = [...this.#configured, ...this.#members(previous)];
      for (const old of previous) if (!this.#entries.includes(old)) old.collector.close();
      this.#collector = this.#makeCollector();
    }
    this.#publish();
  }

  /** Each organization's members as accounts (reusing `previous` entries whose settings are the same), in order. */
  #members(previous: readonly Entry[]): Entry[] {
    const taken = new Set(this.#configured.map(({ collector }) => `${collector.provider}/${collector.account}`));
    const members: Entry[] = [];
    for (const organization of this.#organizations) {
      const state = organization.list.state();
      organization.builtVersion = state.version;
      for (const member of state.members ?? []) {
        const entry = this.#memberEntry(organization, member, taken, previous);
        if (entry) members.push(entry);
      }
    }
    return members;
  }

  #memberEntry(organization: Organization, member: Member, taken: Set<string>, previous: readonly Entry[]): Entry | undefined {
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
    const account = source.memberAccount(member);
    const fingerprint = fingerprintOf(provider.name, account.settings, this.#config);
    const entry = previous.find((e) => e.fingerprint === fingerprint) ?? this.#entry(provider, account, this.#config, fingerprint);
    entry.displayName = member.name;
    entry.discoveredBy = source.settings.name;
    return entry;
  }

  /** cloudscan_account_info and cloudscan_organization_* as they are now. */
  #publish(): void {
    const { metrics } = this.options;
    metrics.setAccountInfo(
      this.#entries.map(({ collector, displayName, discoveredBy }) => ({
        provider: collector.provider,
        account: collector.account,
        name: displayName,
        discoveredBy: discoveredBy ?? '',
      })),
    );
    metrics.setOrganizations(
      this.#organizations.map(({ list }) => {
        const state = list.state();
        return {
          provider: state.provider,
          organization: state.organization,
          up: state.up,
          members: state.members?.length,
          lastSuccessAt: state.lastSuccessAt,
        };
      }),
    );
  }

  /** Scrape deadline for a request, from Prometheus' timeout header or the configured timeout. */
  deadlineFor(scrapeTimeoutHeader: string | undefined, now = (this.options.clock ?? systemClock).now()): number {
    const { timeoutSeconds, timeoutOffsetSeconds } = this.#config.scrape;
    const fromHeader = scrapeTimeoutHeader === undefined ? NaN : Number(scrapeTimeoutHeader);
    // The header is the client's word: 1e308 would overflow every timer (TimeoutOverflowWarning).
    const timeout = Number.isFinite(fromHeader) && fromHeader > 0 ? Math.min(fromHeader, MAX_SCRAPE_TIMEOUT_SECONDS) : timeoutSeconds;
    return now + Math.max(0, timeout - timeoutOffsetSeconds) * 1000;
  }

  /** Applies a new configuration; accounts whose settings did not change keep their cache. */
  reload(config: ExporterConfig): void {
    const previous = this.#entries;
    this.#config = config;
    this.#configured = this.#build(config, previous);
    this.#organizations = this.#buildOrganizations(config, this.#organizations);
    this.#entries = [...this.#configured, ...this.#members(previous)];
    for (const old of previous) if (!this.#entries.includes(old)) old.collector.close();
    this.#collector = this.#makeCollector();
    this.#publish();
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

  #build(config: ExporterConfig, previous: Entry[]): Entry[] {
    const accounts = this.#providers.flatMap((provider) => provider.accounts(config).map((account) => ({ provider, account })));
    return accounts.map(({ provider, account }) => {
      const fingerprint = fingerprintOf(provider.name, account.settings, config);
      const entry = previous.find((e) => e.fingerprint === fingerprint) ?? this.#entry(provider, account, config, fingerprint);
      entry.displayName = account.settings.name;
      entry.discoveredBy = undefined;
      return entry;
    });
  }

  /** The configured organizations; those whose settings did not change keep their member list (and so their members' caches). */
  #buildOrganizations(config: ExporterConfig, previous: readonly Organization[]): Organization[] {
    const next = this.#providers.flatMap((provider) =>
      (provider.discovery?.organizations(config) ?? []).map((organization) => {
        const fingerprint = fingerprintOf(provider.name, organization.settings, config);
        const kept = previous.find((o) => o.fingerprint === fingerprint);
        return kept ?? this.#organization(provider, organization, fingerprint);
      }),
    );
    for (const old of previous) {
      if (next.includes(old)) continue;
      old.list.close();
      // Its listing counters would otherwise stay at their last value for good.
      if (!next.some((o) => o.provider.name === old.provider.name && o.organization.settings.name === old.organization.settings.name)) {
        this.options.metrics.forget(old.provider.name, old.organization.settings.name);
      }
    }
    return next;
  }

  #organization(provider: ProviderEntry, organization: ProviderOrganization, fingerprint: string): Organization {
    const { metrics, logger } = this.options;
    const clock = this.options.clock ?? systemClock;
    const { settings } = organization;
    const invoker = new Invoker({
      provider: provider.name,
      ratePerSecond: settings.rateLimit * this.#rateLimitShare,
      maxConcurrency: MAX_CONCURRENCY_PER_ORGANIZATION,
      callTimeoutMs: settings.requestTimeoutSeconds * 1000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
      observer: metrics.observer(provider.name, settings.name, { actions: organization.actions, dropReasons: [] }),
    });
    const list = new MemberList(new LazyMemberSource(provider.name, settings.name, () => organization.loadMemberSource()), {
      intervalMs: settings.refreshIntervalSeconds * 1000,
      clock,
      invoker,
      logger: logger.child({ provider: provider.name, organization: settings.name }),
      include: settings.include,
      exclude: settings.exclude,
    });
    return { fingerprint, provider, organization, list, builtVersion: -1 };
  }

  #entry({ name: provider, summarize, dropReasons }: ProviderEntry, providerAccount: ProviderAccount, config: ExporterConfig, fingerprint: string): Entry {
    const { settings: account, loadSource, renderer, actions } = providerAccount;
    const { metrics, logger } = this.options;
    const clock = this.options.clock ?? systemClock;
    const source = new LazySource(provider, account.name, loadSource);
    const observer = metrics.observer(provider, account.name, { actions, dropReasons });
    const invoker = new Invoker({
      provider,
      ratePerSecond: account.rateLimit * this.#rateLimitShare,
      maxConcurrency: MAX_CONCURRENCY_PER_ACCOUNT,
      callTimeoutMs: account.requestTimeoutSeconds * 1000,
      retry: DEFAULT_RETRY_POLICY,
      clock,
      observer,
    });
    const collector = new AccountCollector(source, {
      ttlMs: config.cache.ttlSeconds * 1000,
      maxStaleMs: config.cache.maxStaleSeconds * 1000,
      clock,
      invoker,
      observer,
      logger: logger.child({ provider, account: account.name }),
    });
    return { fingerprint, collector, renderer, invoker, summarize, account: providerAccount, displayName: account.name, discoveredBy: undefined };
  }
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
