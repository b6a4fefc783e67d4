// Everything /metrics shows. The series rendered from account states (cloud data and each
// account's up, last success and refresh duration) are rendered to bytes once per state change
// and replaced whole, so no label set outlives the data it came from and a warm scrape only
// writes bytes. Counters, the histogram, build info and the process metrics live in prom-client.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { AccountState, SnapshotRenderer } from '../contract/account-state.js';
import type { ApiCallObserver, DropReason, Provider, SkipReason } from '../contract/types.js';
import { idLabel } from '../contract/labels.js';
import { API_DURATION_BUCKETS, HEALTH, type Family } from './families.js';
import { CompressiblePiece, type Exposition } from './gzip.js';
import { ItemMemo } from '../base/item-memo.js';
import { accountSampleBlocks, liveSamples, type Sample, type SampleBlock } from './samples.js';
import { familyHeader, sampleLine } from './text.js';

export type { Exposition } from './gzip.js';

/**
 * Health families rendered from account states once per change, in exposition order; the clouds'
 * families follow, in the order of their accounts' renderers (LIVE_FAMILIES go after HEALTH's).
 */
const HEALTH_STATE_FAMILIES: readonly Family[] = [HEALTH.up, HEALTH.actionUp, HEALTH.lastSuccess, HEALTH.collectDuration, HEALTH.refreshFailedCalls];
/** Families rendered on every scrape: their values move without the state changing. */
const LIVE_FAMILIES: readonly Family[] = [HEALTH.refreshProgress, HEALTH.dataAge];
/** Where the live families go in the exposition: right after the state-rendered health families. */
const LIVE_AFTER = HEALTH.refreshFailedCalls;

/** Family headers never change: each is compressed once for the process. */
const HEADERS = new Map<Family, CompressiblePiece>();

function headerOf(family: Family): CompressiblePiece {
  let header = HEADERS.get(family);
  if (header === undefined) {
    header = new CompressiblePiece(familyHeader(family));
    HEADERS.set(family, header);
  }
  return header;
}

/**
 * prom-client's default gauges whose `_total` suffix says counter, so `promtool check metrics` (and
 * any PromQL that trusts the suffix) takes them for one. Each is the sum over `type` of its
 * namesake, which stays: `sum(nodejs_active_handles)` is `nodejs_active_handles_total`.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Families kept by prom-client. */
const REGISTRY_FAMILIES: readonly Family[] = [
  HEALTH.apiRequests,
  HEALTH.apiErrors,
  HEALTH.droppedSeries,
  HEALTH.apiDuration,
  HEALTH.cacheRequests,
  HEALTH.cacheHits,
  HEALTH.buildInfo,
  HEALTH.accountInfo,
  HEALTH.organizationUp,
  HEALTH.organizationMembers,
  HEALTH.organizationMembersSkipped,
  HEALTH.organizationLastSuccess,
  HEALTH.reloadSuccessful,
  HEALTH.reloadSuccessTime,
];

export interface AccountRender {
  state: AccountState;
  renderer: SnapshotRenderer;
}

/** One account's cloudscan_account_info labels (besides provider and account). */
export interface AccountInfo {
  provider: Provider;
  account: string;
  name: string;
  /** The organization that listed the account; '' for a configured one. */
  discoveredBy: string;
}

/** What cloudscan_organization_* show of one organization. */
export interface OrganizationInfo {
  provider: Provider;
  organization: string;
  up: boolean;
  /** Members read as accounts; undefined before the first good listing. */
  members: number | undefined;
  /** Unix ms of the last good listing. */
  lastSuccessAt: number | undefined;
  /** Members listed but not read, by reason; empty before the first good listing. */
  skipped: ReadonlyArray<{ reason: SkipReason; count: number }>;
}

/** What /probe of a member shows of its organization: the organization whose series join the member's. */
export interface ProbeExtras {
  /** The account's cloudscan_account_info. */
  info: AccountInfo;
  /** The organization that listed the account (provider, configured name); absent for a configured account. */
  organization?: { provider: Provider; organization: string };
}

export interface BuildInfo {
  version: string;
  revision: string;
}

export interface ExporterMetricsOptions {
  build: BuildInfo;
  /** prom-client's process_* and nodejs_* metrics. Default true. */
  defaultMetrics?: boolean;
}

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
export const ERROR_CODES_AT_ZERO = ['timeout', 'network', 'invalid_response'] as const;

interface RenderedAccount {
  version: number;
  /** Sample lines by family name, as UTF-8 (a large fleet's are tens of MiB: kept apart, not joined). */
  chunks: Map<string, CompressiblePiece[]>;
  /** The latest state seen, for the live samples (which change without the version changing). */
  state: AccountState;
  /** What rendered it: a reload may give the account another (per_server_series changed), with its state's version restarting. */
  renderer: SnapshotRenderer;
}

export class ExporterMetrics {
  readonly registry = new Registry();
  readonly #metrics = new Map<Family, Metric>();
  readonly #rendered = new Map<string, RenderedAccount>();
  /** Account keys in configuration order. */
  #order: string[] = [];
  /** Each account's (and organization's) counter series by id: they go with it, and /probe reads them alone. */
  readonly #counterSeries = new Map<string, Map<string, CounterSeries>>();
  /** cloudscan_organization_* as last set, by provider/organization, for the members' /probe. */
  #organizations = new Map<string, OrganizationInfo>();

  constructor(options: ExporterMetricsOptions) {
    for (const family of REGISTRY_FAMILIES) this.#metrics.set(family, this.#create(family));
    this.#gauge(HEALTH.buildInfo).set({ ...options.build, nodejs: process.version }, 1);
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of DROPPED_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
    }
  }

  /**
   * Counts the API calls of one account. Its known label sets (and its provider's cache lookups)
   * start at 0, so they are there from the first scrape.
   */
  observer(provider: Provider, account: string, initial: KnownCounters = { actions: [], dropReasons: [] }): ApiCallObserver {
    const requests = this.#metric(HEALTH.apiRequests) as Counter;
    const errors = this.#metric(HEALTH.apiErrors) as Counter;
    const duration = this.#metric(HEALTH.apiDuration) as Histogram;
    const key = accountKey(provider, account);
    const dropped = this.#metric(HEALTH.droppedSeries) as Counter;
    const families = new Map<Counter, Family>([
      [requests, HEALTH.apiRequests],
      [errors, HEALTH.apiErrors],
      [dropped, HEALTH.droppedSeries],
    ]);
    // Counts `by` in the series, created (at 0, in prom-client too) on first use; a series the account
    // already had (an observer made again on reload) keeps its value.
    const count = (counter: Counter, labels: LabelSet, by = 1) => {
      const id = `${families.get(counter)!.name}|${labels['action'] ?? labels['reason']}|${labels['code'] ?? ''}`;
      let series = this.#counterSeries.get(key);
      if (!series) {
        series = new Map();
        this.#counterSeries.set(key, series);
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
    for (const family of [HEALTH.cacheRequests, HEALTH.cacheHits]) (this.#metric(family) as Counter).inc({ provider }, 0);
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
    (this.#metric(HEALTH.cacheRequests) as Counter).inc({ provider });
    if (cacheHit) (this.#metric(HEALTH.cacheHits) as Counter).inc({ provider });
  }

  /** Sets cloudscan_account_info to these accounts exactly. */
  setAccountInfo(accounts: readonly AccountInfo[]): void {
    const info = this.#gauge(HEALTH.accountInfo);
    info.reset();
    for (const { provider, account, name, discoveredBy } of accounts) info.set({ provider, account, name, discovered_by: discoveredBy }, 1);
  }

  /** Sets cloudscan_organization_* to these organizations exactly. */
  setOrganizations(organizations: readonly OrganizationInfo[]): void {
    const up = this.#gauge(HEALTH.organizationUp);
    const members = this.#gauge(HEALTH.organizationMembers);
    const skipped = this.#gauge(HEALTH.organizationMembersSkipped);
    const lastSuccess = this.#gauge(HEALTH.organizationLastSuccess);
    for (const gauge of [up, members, skipped, lastSuccess]) gauge.reset();
    this.#organizations = new Map();
    for (const organization of organizations) {
      this.#organizations.set(accountKey(organization.provider, organization.organization), organization);
      for (const { family, labels, value } of organizationSamples(organization)) this.#gauge(family).set(labels, value);
    }
  }

  /**
   * Drops every series of an account or organization that is gone (it left its organization, or a
   * reload removed it): its counters and its rendered state, whatever was scraped.
   */
  forget(provider: Provider, account: string): void {
    const key = accountKey(provider, account);
    for (const { counter, labels } of this.#counterSeries.get(key)?.values() ?? []) counter.remove(labels);
    this.#counterSeries.delete(key);
    this.#rendered.delete(key);
  }

  recordReload(successful: boolean, at: number): void {
    this.#gauge(HEALTH.reloadSuccessful).set(successful ? 1 : 0);
    if (successful) this.#gauge(HEALTH.reloadSuccessTime).set(at / 1000);
  }

  /** Brings the series of every account in line with its state; accounts not listed lose theirs. */
  sync(accounts: readonly AccountRender[]): void {
    this.#order = accounts.map(({ state }) => accountKey(state.provider, state.account));
    for (const account of accounts) {
      const key = accountKey(account.state.provider, account.state.account);
      const rendered = this.#rendered.get(key);
      if (rendered?.version === account.state.version && rendered.renderer === account.renderer) {
        rendered.state = account.state;
        continue;
      }
      const chunks = renderBlocks(accountSampleBlocks(account.state, account.renderer));
      this.#rendered.set(key, { version: account.state.version, chunks, state: account.state, renderer: account.renderer });
    }
    const present = new Set(this.#order);
    for (const key of [...this.#rendered.keys()]) {
      if (present.has(key)) continue;
      this.#rendered.delete(key);
      for (const { counter, labels } of this.#counterSeries.get(key)?.values() ?? []) counter.remove(labels);
      this.#counterSeries.delete(key);
    }
  }

  /** Every account's series, then the registry's; `now` (Unix ms) dates the live samples. */
  async exposition(now = Date.now()): Promise<Exposition> {
    const accounts = this.#order.flatMap((key) => this.#rendered.get(key) ?? []);
    const parts = statePieces(
      accounts.map((account) => account.chunks),
      accounts.map((account) => liveSamples(account.state, now)),
      accounts.map((account) => account.renderer.families),
    );
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
    const parts = statePieces(
      [renderBlocks(accountSampleBlocks(account.state, account.renderer))],
      [liveSamples(account.state, now)],
      [account.renderer.families],
    );
    const lines = new Map<Family, string[]>();
    const add = (family: Family, labels: LabelSet, value: number) => {
      const list = lines.get(family) ?? [];
      list.push(sampleLine(family.name, labels, value));
      lines.set(family, list);
    };
    const { info, organization } = extras;
    add(HEALTH.accountInfo, { provider: info.provider, account: info.account, name: info.name, discovered_by: info.discoveredBy }, 1);
    const keys = [accountKey(account.state.provider, account.state.account)];
    if (organization) {
      const key = accountKey(organization.provider, organization.organization);
      const known = this.#organizations.get(key);
      if (known) for (const { family, labels, value } of organizationSamples(known)) add(family, labels, value);
      keys.push(key);
    }
    for (const key of keys) for (const { family, labels, value } of this.#counterSeries.get(key)?.values() ?? []) add(family, labels, value);
    for (const family of PROBE_FAMILIES) {
      const text = lines.get(family);
      if (text) parts.push(headerOf(family), new CompressiblePiece(text.join('')));
    }
    return parts;
  }

  #create(family: Family): Metric {
    const config = { name: family.name, help: family.help, labelNames: family.labels, registers: [this.registry] };
    switch (family.type) {
      case 'gauge':
        return new Gauge(config);
      case 'counter':
        return new Counter(config);
      case 'histogram':
        return new Histogram({ ...config, buckets: API_DURATION_BUCKETS });
    }
  }

  #metric(family: Family): Metric {
    const metric = this.#metrics.get(family);
    if (!metric) throw new Error(`metric ${family.name} is not registered`);
    return metric;
  }

  #gauge(family: Family): Gauge {
    return this.#metric(family) as Gauge;
  }
}

/** What /probe adds to an account's own series, in this order. */
const PROBE_FAMILIES: readonly Family[] = [
  HEALTH.accountInfo,
  HEALTH.organizationUp,
  HEALTH.organizationMembers,
  HEALTH.organizationMembersSkipped,
  HEALTH.organizationLastSuccess,
  HEALTH.apiRequests,
  HEALTH.apiErrors,
  HEALTH.droppedSeries,
];

/** An organization's cloudscan_organization_* samples. */
function organizationSamples(organization: OrganizationInfo): Array<{ family: Family; labels: LabelSet; value: number }> {
  const labels = { provider: organization.provider, organization: organization.organization };
  return [
    { family: HEALTH.organizationUp, labels, value: organization.up ? 1 : 0 },
    ...(organization.members === undefined ? [] : [{ family: HEALTH.organizationMembers, labels, value: organization.members }]),
    ...organization.skipped.map(({ reason, count }) => ({ family: HEALTH.organizationMembersSkipped, labels: { ...labels, reason }, value: count })),
    ...(organization.lastSuccessAt === undefined ? [] : [{ family: HEALTH.organizationLastSuccess, labels, value: organization.lastSuccessAt / 1000 }]),
  ];
}

/** A block's pieces by family name, kept while its items live. */
const renderedBlocks = new ItemMemo<Map<string, CompressiblePiece>>();

function renderBlock(block: SampleBlock): Map<string, CompressiblePiece> {
  const render = () => {
    const lines = new Map<string, string[]>();
    for (const { family, labels, value } of block.samples()) {
      const list = lines.get(family.name) ?? [];
      list.push(sampleLine(family.name, labels, value));
      lines.set(family.name, list);
    }
    return new Map([...lines].map(([name, list]) => [name, new CompressiblePiece(list.join(''))]));
  };
  return block.sources ? renderedBlocks.get(block.sources, render) : render();
}

/** Each family's pieces, block by block in order: unchanged blocks keep their (compressed) pieces. */
function renderBlocks(blocks: readonly SampleBlock[]): Map<string, CompressiblePiece[]> {
  const pieces = new Map<string, CompressiblePiece[]>();
  for (const block of blocks) {
    for (const [name, piece] of renderBlock(block)) {
      const list = pieces.get(name) ?? [];
      list.push(piece);
      pieces.set(name, list);
    }
  }
  return pieces;
}

/**
 * Each family's header and then every account's lines of it, in account order: the cached pieces
 * of the state families, with the live families (rendered now, joined per family) after HEALTH's.
 */
function statePieces(
  rendered: ReadonlyArray<Map<string, CompressiblePiece[]>>,
  live: ReadonlyArray<readonly Sample[]>,
  cloudFamilies: ReadonlyArray<readonly Family[]>,
): CompressiblePiece[] {
  const parts: CompressiblePiece[] = [];
  const add = (family: Family, pieces: readonly CompressiblePiece[]) => {
    if (pieces.length > 0) parts.push(headerOf(family), ...pieces);
  };
  const stateFamilies = new Set([...HEALTH_STATE_FAMILIES, ...cloudFamilies.flat()]);
  for (const family of stateFamilies) {
    add(family, rendered.flatMap((chunks) => chunks.get(family.name) ?? []));
    if (family !== LIVE_AFTER) continue;
    for (const liveFamily of LIVE_FAMILIES) {
      const text = live.flatMap((samples) => samples.filter((s) => s.family === liveFamily).map((s) => sampleLine(s.family.name, s.labels, s.value)));
      add(liveFamily, text.length > 0 ? [new CompressiblePiece(text.join(''))] : []);
    }
  }
  return parts;
}

/** Distinct cloud error codes per account and action before further ones count as "other". */
export const MAX_ERROR_CODES_PER_ACTION = 20;
/** Our own codes, never folded into "other". */
const OWN_CODE = /^(timeout|network|invalid_response|canceled|other|http_\d{3})$/;

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

function accountKey(provider: Provider, account: string): string {
  return `${provider}/${account}`;
}
