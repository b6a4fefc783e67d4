// The families prom-client keeps for /metrics: the API call counters and their histogram, cache
// lookups, build info, account info, the organizations' gauges, reload state, and the process
// metrics. The series rendered from account states are written by hand instead (state-exposition.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { API_DURATION_BUCKETS, HEALTH, type Family } from './families.js';

/**
 * prom-client's default gauges whose `_total` suffix says counter, so `promtool check metrics` (and
 * any PromQL that trusts the suffix) takes them for one. Each is the sum over `type` of its
 * namesake, which stays: `sum(nodejs_active_handles)` is `nodejs_active_handles_total`.
 */
export const DROPPED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

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

export interface BuildInfo {
  version: string;
  revision: string;
}

export class PromRegistry {
  readonly registry = new Registry();
  readonly #metrics = new Map<Family, Metric>();

  /** `defaultMetrics`: prom-client's process_* and nodejs_* metrics. */
  constructor(build: BuildInfo, defaultMetrics: boolean) {
    for (const family of REGISTRY_FAMILIES) this.#metrics.set(family, this.#create(family));
    this.gauge(HEALTH.buildInfo).set({ ...build, nodejs: process.version }, 1);
    if (defaultMetrics) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of DROPPED_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
    }
  }

  counter(family: Family): Counter {
    return this.#metric(family) as Counter;
  }

  gauge(family: Family): Gauge {
    return this.#metric(family) as Gauge;
  }

  histogram(family: Family): Histogram {
    return this.#metric(family) as Histogram;
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
}
