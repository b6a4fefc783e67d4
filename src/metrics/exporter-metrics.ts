// Everything /metrics (and /probe) shows, behind one object the core feeds: the series rendered
// from account states, written by hand (state-exposition.ts), then what prom-client keeps
// (prom-registry.ts): the API call counters (call-counters.ts), build info, account and
// organization info (info-series.ts), reload state and the process metrics.
import type { Registry } from 'prom-client';
import type { ApiCallObserver, Provider } from '../contract/types.js';
import { CallCounters, type KnownCounters } from './call-counters.js';
import { HEALTH } from './families.js';
import { CompressiblePiece, type Exposition } from './gzip.js';
import { accountInfoSample, organizationSamples, type AccountInfo, type OrganizationInfo } from './info-series.js';
import { probeExposition } from './probe-exposition.js';
import { PromRegistry, type BuildInfo } from './prom-registry.js';
import type { Sample } from './samples.js';
import { RenderedStates, type AccountRender } from './state-exposition.js';

export type { Exposition } from './gzip.js';
export { DROPPED_DEFAULT_METRICS } from './prom-registry.js';

/** What /probe of a member shows of its organization: the organization whose series join the member's. */
interface ProbeExtras {
  /** The account's cloudscan_account_info. */
  info: AccountInfo;
  /** The organization that listed the account (provider, configured name); absent for a configured account. */
  organization?: { provider: Provider; organization: string };
}

interface ExporterMetricsOptions {
  build: BuildInfo;
  /** prom-client's process_* and nodejs_* metrics. Default true. */
  defaultMetrics?: boolean;
}

export class ExporterMetrics {
  readonly registry: Registry;
  readonly #prom: PromRegistry;
  readonly #counters: CallCounters;
  readonly #states = new RenderedStates();
  /** cloudscan_organization_* as last set, by provider/organization, for the members' /probe. */
  #organizations = new Map<string, OrganizationInfo>();

  constructor(options: ExporterMetricsOptions) {
    this.#prom = new PromRegistry(options.build, options.defaultMetrics !== false);
    this.registry = this.#prom.registry;
    this.#counters = new CallCounters(this.#prom);
  }

  /**
   * Counts the API calls of one account. Its known label sets (and its provider's cache lookups)
   * start at 0, so they are there from the first scrape.
   */
  observer(provider: Provider, account: string, initial: KnownCounters = { actions: [], dropReasons: [] }): ApiCallObserver {
    return this.#counters.observer(accountKey(provider, account), provider, account, initial);
  }

  countLookup(provider: Provider, cacheHit: boolean): void {
    this.#counters.countLookup(provider, cacheHit);
  }

  /** Sets cloudscan_account_info to these accounts exactly. */
  setAccountInfo(accounts: readonly AccountInfo[]): void {
    const info = this.#prom.gauge(HEALTH.accountInfo);
    info.reset();
    for (const account of accounts) {
      const { labels, value } = accountInfoSample(account);
      info.set(labels, value);
    }
  }

  /** Sets cloudscan_organization_* to these organizations exactly. */
  setOrganizations(organizations: readonly OrganizationInfo[]): void {
    const families = [HEALTH.organizationUp, HEALTH.organizationMembers, HEALTH.organizationMembersSkipped, HEALTH.organizationLastSuccess];
    for (const family of families) this.#prom.gauge(family).reset();
    this.#organizations = new Map();
    for (const organization of organizations) {
      this.#organizations.set(accountKey(organization.provider, organization.organization), organization);
      for (const { family, labels, value } of organizationSamples(organization)) this.#prom.gauge(family).set(labels, value);
    }
  }

  /**
   * Drops every series of an account or organization that is gone (it left its organization, or a
   * reload removed it): its counters and its rendered state, whatever was scraped.
   */
  forget(provider: Provider, account: string): void {
    const key = accountKey(provider, account);
    this.#counters.forget(key);
    this.#states.forget(key);
  }

  recordReload(successful: boolean, at: number): void {
    this.#prom.gauge(HEALTH.reloadSuccessful).set(successful ? 1 : 0);
    if (successful) this.#prom.gauge(HEALTH.reloadSuccessTime).set(at / 1000);
  }

  /** Brings the series of every account in line with its state; accounts not listed lose theirs, counters included. */
  sync(accounts: readonly AccountRender[]): void {
    const gone = this.#states.sync(
      accounts.map((account) => ({ ...account, key: accountKey(account.state.provider, account.state.account) })),
    );
    for (const key of gone) this.#counters.forget(key);
  }

  /** Every account's series, then the registry's; `now` (Unix ms) dates the live samples. */
  async exposition(now = Date.now()): Promise<Exposition> {
    const parts = this.#states.pieces(now);
    parts.push(new CompressiblePiece(await this.registry.metrics()));
    return parts;
  }

  /** The same, as one string (tests, small expositions). */
  async expositionText(now = Date.now()): Promise<string> {
    return (await this.exposition(now)).map((piece) => piece.text.toString()).join('');
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * One account's series, its cloudscan_account_info and its API call counters, rendered afresh for
   * this probe (so nothing of another account or of an earlier probe can show up); for a member, its
   * organization's series and listing counters too, so a sharded setup sees the listing fail. Reads
   * only this account's (and organization's) series: a probe costs the same whatever the number of accounts.
   */
  probeExposition(account: AccountRender, extras: ProbeExtras, now = Date.now()): Exposition {
    const { info, organization } = extras;
    const added: Sample[] = [accountInfoSample(info)];
    const keys = [accountKey(account.state.provider, account.state.account)];
    if (organization) {
      const key = accountKey(organization.provider, organization.organization);
      const known = this.#organizations.get(key);
      if (known) added.push(...organizationSamples(known));
      keys.push(key);
    }
    for (const key of keys) added.push(...this.#counters.samples(key));
    return probeExposition(account, added, now);
  }
}

function accountKey(provider: Provider, account: string): string {
  return `${provider}/${account}`;
}
