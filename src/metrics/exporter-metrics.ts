// The prom-client side: one registry with every family, kept in step with the accounts' states.
// Series of an account are replaced whole when its state changes, so no label set outlives the
// data it came from; rendering happens synchronously before each exposition.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { AccountState } from '../collect/account-collector.js';
import type { ApiCallObserver, Provider } from '../sources/types.js';
import { ALL_FAMILIES, API_DURATION_BUCKETS, HEALTH, type Family } from './families.js';
import { accountSamples, type RenderOptions } from './samples.js';

export interface AccountRender {
  state: AccountState;
  options: RenderOptions;
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

interface AppliedAccount {
  version: number;
  series: Array<[Gauge, LabelSet]>;
}

export class ExporterMetrics {
  readonly registry = new Registry();
  readonly #metrics = new Map<Family, Metric>();
  readonly #applied = new Map<string, AppliedAccount>();
  /** Counter label sets per account, so they can go when the account leaves the config. */
  readonly #counterSeries = new Map<string, Array<[Counter, LabelSet]>>();

  constructor(options: ExporterMetricsOptions) {
    for (const family of ALL_FAMILIES) this.#metrics.set(family, this.#create(family));
    this.#gauge(HEALTH.buildInfo).set({ ...options.build, nodejs: process.version }, 1);
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts the API calls of one account. */
  observer(provider: Provider, account: string): ApiCallObserver {
    const requests = this.#metric(HEALTH.apiRequests) as Counter;
    const errors = this.#metric(HEALTH.apiErrors) as Counter;
    const duration = this.#metric(HEALTH.apiDuration) as Histogram;
    const key = accountKey(provider, account);
    const known = new Set<string>();
    return {
      onCall: ({ action, durationSeconds, errorCode }) => {
        const labels = { provider, account, action };
        this.#rememberCounter(key, known, requests, labels);
        requests.inc(labels);
        duration.observe({ provider, action }, durationSeconds);
        if (errorCode !== undefined) {
          const errorLabels = { ...labels, code: errorCode };
          this.#rememberCounter(key, known, errors, errorLabels);
          errors.inc(errorLabels);
        }
      },
      onInvalidAnswer: (action) => {
        const errorLabels = { provider, account, action, code: 'invalid_response' };
        this.#rememberCounter(key, known, errors, errorLabels);
        errors.inc(errorLabels);
      },
    };
  }

  countLookup(provider: Provider, cacheHit: boolean): void {
    (this.#metric(HEALTH.cacheRequests) as Counter).inc({ provider });
    if (cacheHit) (this.#metric(HEALTH.cacheHits) as Counter).inc({ provider });
  }

  recordReload(successful: boolean, at: number): void {
    this.#gauge(HEALTH.reloadSuccessful).set(successful ? 1 : 0);
    if (successful) this.#gauge(HEALTH.reloadSuccessTime).set(at / 1000);
  }

  /** Brings the series of every account in line with its state; accounts not listed lose theirs. */
  sync(accounts: readonly AccountRender[]): void {
    const present = new Set<string>();
    for (const { state, options } of accounts) {
      const key = accountKey(state.provider, state.account);
      present.add(key);
      const applied = this.#applied.get(key);
      if (applied?.version === state.version) continue;
      this.#removeSeries(applied);
      const series: Array<[Gauge, LabelSet]> = [];
      for (const sample of accountSamples(state, options)) {
        const gauge = this.#gauge(sample.family);
        gauge.set(sample.labels, sample.value);
        series.push([gauge, sample.labels]);
      }
      this.#applied.set(key, { version: state.version, series });
    }
    for (const [key, applied] of this.#applied) {
      if (present.has(key)) continue;
      this.#removeSeries(applied);
      this.#applied.delete(key);
      for (const [counter, labels] of this.#counterSeries.get(key) ?? []) counter.remove(labels);
      this.#counterSeries.delete(key);
    }
  }

  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * One account's series and its health series, in a registry of their own made for this probe
   * (so nothing of another account or an earlier probe can show up).
   */
  async probeExposition(account: AccountRender): Promise<string> {
    const registry = new Registry();
    const gauges = new Map<Family, Gauge>();
    for (const sample of accountSamples(account.state, account.options)) {
      let gauge = gauges.get(sample.family);
      if (!gauge) {
        const { name, help, labels } = sample.family;
        gauge = new Gauge({ name, help, labelNames: labels, registers: [registry] });
        gauges.set(sample.family, gauge);
      }
      gauge.set(sample.labels, sample.value);
    }
    const { provider, account: name } = account.state;
    for (const family of [HEALTH.apiRequests, HEALTH.apiErrors]) {
      const source = await (this.#metric(family) as Counter).get();
      const values = source.values.filter((v) => v.labels['provider'] === provider && v.labels['account'] === name);
      if (values.length === 0) continue;
      const counter = new Counter({ name: family.name, help: family.help, labelNames: family.labels, registers: [registry] });
      for (const { labels, value } of values) counter.inc(labels as LabelSet, value);
    }
    return registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #removeSeries(applied: AppliedAccount | undefined): void {
    for (const [gauge, labels] of applied?.series ?? []) gauge.remove(labels);
  }

  #rememberCounter(key: string, known: Set<string>, counter: Counter, labels: LabelSet): void {
    const id = `${counter === this.#metric(HEALTH.apiErrors) ? 'e' : 'r'}|${labels['action']}|${labels['code'] ?? ''}`;
    if (known.has(id)) return;
    known.add(id);
    const list = this.#counterSeries.get(key) ?? [];
    list.push([counter, labels]);
    this.#counterSeries.set(key, list);
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

function accountKey(provider: Provider, account: string): string {
  return `${provider}/${account}`;
}
