// Wires a configuration into running parts: one source, invoker and cache per account, all
// feeding one ExporterMetrics. Reload swaps the accounts, keeping the caches of unchanged ones.
import { createHash } from 'node:crypto';
import { atRateLimitShare, plannedCapacity, withMeasuredCalls, type AccountCapacity } from './capacity.js';
import { AccountCollector } from './collect/account-collector.js';
import { systemClock, type Clock } from './collect/clock.js';
import { Collector, type CollectedAccount } from './collect/collector.js';
import { Invoker } from './collect/invoker.js';
import { DEFAULT_RETRY_POLICY } from './collect/retry.js';
import { Secret } from './shared/secret.js';
import type { ExporterConfig } from './config/types.js';
import type { Logger } from './log.js';
import type { ExporterMetrics, Exposition } from './metrics/exporter-metrics.js';
import { HEALTH, type Family } from './metrics/families.js';
import type { RefreshLogs } from './collect/account-collector.js';
import type { ScanSummary } from './shared/scan-summary.js';
import { accountStatus, type AccountStatus } from './status.js';
import type { ProviderAccount, ProviderEntry } from './sources/provider.js';
import { PROVIDERS } from './sources/registry.js';
import type { FetchContext, Provider, Snapshot, Source } from './sources/types.js';

/** Every family the exporter may show: each registered cloud's, then its own (docs, dashboard lint). */
export const ALL_FAMILIES: readonly Family[] = [...PROVIDERS.flatMap((provider) => provider.families), ...Object.values(HEALTH)];

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

interface Entry extends CollectedAccount {
  fingerprint: string;
  invoker: Invoker;
  summarize: ((snapshot: Snapshot) => ScanSummary) | undefined;
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
  #entries: Entry[];

  constructor(
    config: ExporterConfig,
    private readonly options: ExporterOptions,
  ) {
    this.#config = config;
    this.#entries = this.#build(config, []);
    this.#collector = this.#makeCollector();
  }

  get config(): ExporterConfig {
    return this.#config;
  }

  get collector(): Collector {
    return this.#collector;
  }

  /** The exposition for all accounts, answering by `deadline` (Unix ms) with the freshest data there is. */
  async scrape(deadline: number): Promise<Exposition> {
    const lookups = await this.#collector.collect(deadline);
    this.options.metrics.sync(lookups);
    return this.options.metrics.exposition();
  }

  /** One account's exposition, for /probe; undefined when no such account is configured. */
  async probe(provider: string, account: string, deadline: number): Promise<Exposition | undefined> {
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
    });
  }

  /** Each account's shortest refresh next to its TTL, from its last refresh where there was one. */
  capacity(): AccountCapacity[] {
    const collectors = new Map(this.#entries.map(({ collector }) => [`${collector.provider}/${collector.account}`, collector]));
    return plannedCapacity(this.#config, this.#providers).map((capacity) =>
      withMeasuredCalls(atRateLimitShare(capacity, this.#rateLimitShare), collectors.get(capacity.target)?.state().lastRefreshCalls?.calls),
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
    this.#entries = this.#build(config, previous);
    for (const old of previous) if (!this.#entries.includes(old)) old.collector.close();
    this.#config = config;
    this.#collector = this.#makeCollector();
  }

  close(): void {
    this.#collector.close();
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
      return previous.find((e) => e.fingerprint === fingerprint) ?? this.#entry(provider, account, config, fingerprint);
    });
  }

  #entry(
    { name: provider, summarize, dropReasons }: ProviderEntry,
    { settings: account, loadSource, renderer, actions }: ProviderAccount,
    config: ExporterConfig,
    fingerprint: string,
  ): Entry {
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
    return { fingerprint, collector, renderer, invoker, summarize };
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

/** Identifies an account's settings, secrets by hash, so an unchanged account keeps its cache on reload. */
function fingerprintOf(provider: Provider, account: object, config: ExporterConfig): string {
  // A replacer sees Secret.toJSON()'s "<secret>", so it looks at the holder's raw value instead.
  const text = JSON.stringify({ provider, account, cache: config.cache }, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Secret ? createHash('sha256').update(raw.reveal()).digest('hex') : value;
  });
  return createHash('sha256').update(text).digest('hex');
}
