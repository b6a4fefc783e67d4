// The core, as http/ and cmd/ use it: wires a configuration into running accounts (account-set.ts),
// all feeding one ExporterMetrics, and answers scrapes, probes, service discovery and the status
// page from them. Reload swaps the accounts, keeping the caches of unchanged ones; organizations'
// member lists (organizations.ts) change the accounts between scrapes as members join and leave.
import { atRateLimitShare, planned, withMeasuredCalls, type AccountCapacity } from './capacity.js';
import { systemClock, type Clock } from '../collect/clock.js';
import { Collector } from '../collect/collector.js';
import type { RefreshLogs } from '../collect/account-collector.js';
import { SharedLimits } from '../collect/shared-limits.js';
import type { ExporterConfig } from '../config/types.js';
import type { Logger } from '../base/log.js';
import type { ExporterMetrics, Exposition } from '../metrics/exporter-metrics.js';
import type { ProviderEntry } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';
import { AccountSet } from './account-set.js';
import { accountInfo, type RunningAccount, type Wiring } from './running-parts.js';
import { scrapeDeadline } from './scrape-deadline.js';
import { accountStatus, type AccountStatus, type RowSources, type StatusView } from './status.js';
import { statusView } from './status-view.js';

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

/** What /probe?debug=true shows: the account's now, its refresh logs, and its series. */
export interface ProbeDebug {
  status: AccountStatus;
  logs: RefreshLogs;
  exposition: Exposition;
}

/** Prometheus HTTP service discovery: one group of /probe targets (provider/account) with its labels. */
interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

export class Exporter {
  #config: ExporterConfig;
  #collector: Collector;
  readonly #wiring: Wiring;
  readonly #providers: readonly ProviderEntry[];
  readonly #accounts: AccountSet;

  constructor(config: ExporterConfig, options: ExporterOptions) {
    this.#config = config;
    const clock = options.clock ?? systemClock;
    this.#wiring = {
      metrics: options.metrics,
      logger: options.logger,
      clock,
      limits: new SharedLimits(clock),
      rateLimitShare: options.rateLimitShare ?? 1,
    };
    this.#providers = options.providers ?? PROVIDERS;
    this.#accounts = new AccountSet(this.#wiring, this.#providers);
    this.#accounts.apply(config);
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
    this.#wiring.metrics.sync(lookups);
    return this.#wiring.metrics.exposition();
  }

  /**
   * One account's exposition, for /probe; undefined when no such account is configured or listed. A
   * member's carries its organization's series too. Costs the same whatever the number of accounts.
   */
  async probe(provider: string, account: string, deadline: number): Promise<Exposition | undefined> {
    await this.#discover(deadline);
    const entry = this.#accounts.get(`${provider}/${account}`);
    if (!entry) return undefined;
    const [lookup] = await this.#collector.collect(deadline, entry);
    const organization = entry.discoveredBy;
    return this.#wiring.metrics.probeExposition(lookup!, {
      info: accountInfo(entry),
      ...(organization
        ? { organization: { provider: organization.provider.name, organization: organization.organization.settings.name } }
        : {}),
    });
  }

  /** Whether /probe would answer for this account (configured, or listed when the members were last read); starts nothing. */
  has(provider: string, account: string): boolean {
    return this.#accounts.get(`${provider}/${account}`) !== undefined;
  }

  /** One account's probe with what it took: for /probe?debug=true. */
  async probeDebug(provider: string, account: string, deadline: number): Promise<ProbeDebug | undefined> {
    const exposition = await this.probe(provider, account, deadline);
    const entry = this.#accounts.get(`${provider}/${account}`);
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
      const targets = this.#accounts.configured.filter((entry) => entry.collector.provider === provider.name).map((entry) => entry.key);
      if (targets.length > 0) groups.push({ targets, labels: { __meta_cloudscan_provider: provider.name } });
    }
    for (const { provider, organization, members } of this.#accounts.organizations.all) {
      groups.push({
        targets: [...members.values()].map((entry) => entry.key),
        labels: { __meta_cloudscan_provider: provider.name, __meta_cloudscan_organization: organization.settings.name },
      });
    }
    return groups;
  }

  /** What the status page shows: a row for every account, and the organizations (status-view.ts); starts no refresh. */
  statusView(): StatusView {
    return statusView({
      now: this.#wiring.clock.now(),
      all: this.#accounts.all,
      organizations: this.#accounts.organizations.all,
      sourcesOf: (entry, now) => this.#statusSources(entry, now),
      principalCalls: (organization) => this.#wiring.limits.callsInLastMinute(organization.organization.signer('')),
    });
  }

  /** What the status page shows of one account on its own; undefined when there is no such account. Starts no refresh. */
  accountStatus(provider: string, account: string): AccountStatus | undefined {
    const entry = this.#accounts.get(`${provider}/${account}`);
    return entry === undefined ? undefined : this.#status(entry);
  }

  #status(entry: RunningAccount): AccountStatus {
    return accountStatus({
      ...this.#statusSources(entry, this.#wiring.clock.now()),
      invoker: entry.invoker,
      capacity: this.#capacityOf(entry),
    });
  }

  #statusSources(entry: RunningAccount, now: number): RowSources {
    const organization = entry.discoveredBy;
    return {
      collector: entry.collector,
      summarize: entry.summarize,
      member: organization === undefined ? undefined : { name: entry.displayName, organization: organization.organization.settings.name },
      ttlSeconds: this.#config.cache.ttlSeconds,
      now,
    };
  }

  /** Each account's shortest refresh next to its TTL, from its last refresh where there was one. */
  capacity(): AccountCapacity[] {
    return this.#accounts.all.map((entry) => this.#capacityOf(entry));
  }

  #capacityOf({ key, account, collector }: RunningAccount): AccountCapacity {
    const ttlSeconds = this.#config.cache.ttlSeconds;
    return withMeasuredCalls(
      atRateLimitShare(planned(key, account.settings.rateLimit, ttlSeconds, account.plan()), this.#wiring.rateLimitShare),
      collector.state().lastRefreshCalls?.calls,
    );
  }

  /** The organizations' member lists, for tests and benchmarks: resolves when no listing runs. */
  async organizationsSettled(): Promise<void> {
    await this.#accounts.organizations.settled();
  }

  /** Token buckets held now, for tests: members that left hold none. */
  get sharedBuckets(): number {
    return this.#wiring.limits.size;
  }

  /**
   * Reads each organization's member list where it is due (waiting, until `deadline`, only for one
   * never listed), and brings the accounts in line with it: members that joined become accounts,
   * those that left are dropped with their series, the others keep their cache. Without a change it
   * costs the same whatever the number of members.
   */
  async #discover(deadline: number): Promise<void> {
    if (this.#accounts.organizations.all.length === 0) return;
    const outcome = await this.#accounts.organizations.lookup(deadline);
    if (outcome === 'replaced') return; // a reload replaced them meanwhile, and rebuilt
    if (outcome === 'changed') {
      this.#accounts.rebuildMembers(this.#config);
      this.#collector = this.#makeCollector();
      this.#publishAccounts();
    }
    this.#publishOrganizations();
  }

  /** cloudscan_account_info as it is now: set when the accounts change, not on every scrape. */
  #publishAccounts(): void {
    this.#wiring.metrics.setAccountInfo(this.#accounts.all.map(accountInfo));
  }

  /** cloudscan_organization_* as they are now (a few series per organization). */
  #publishOrganizations(): void {
    this.#wiring.metrics.setOrganizations(this.#accounts.organizations.infos());
  }

  /** Scrape deadline for a request (scrape-deadline.ts). */
  deadlineFor(scrapeTimeoutHeader: string | undefined, now = this.#wiring.clock.now()): number {
    return scrapeDeadline(scrapeTimeoutHeader, this.#config, now);
  }

  /**
   * Applies a new configuration; accounts whose settings did not change keep their cache. An
   * organization whose settings changed keeps the members it last listed (less those its new
   * include/exclude leave out) until its next listing, even when listing fails.
   */
  reload(config: ExporterConfig): void {
    this.#config = config;
    this.#accounts.apply(config);
    this.#collector = this.#makeCollector();
    this.#publishAccounts();
    this.#publishOrganizations();
  }

  close(): void {
    this.#collector.close();
    this.#accounts.organizations.close();
  }

  #makeCollector(): Collector {
    return new Collector(this.#accounts.all, (provider, hit) => this.#wiring.metrics.countLookup(provider, hit));
  }
}
