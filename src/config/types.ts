// The validated, defaulted configuration. The YAML file uses snake_case keys; see config.example.yaml.
import type { AlibabaAccountConfig } from '../sources/alibaba/config.js';
import type { TencentAccountConfig } from '../sources/tencent/config.js';

export type { Endpoint } from '../shared/endpoint.js';
export type { AlibabaAccountConfig, AlibabaCredentials } from '../sources/alibaba/config.js';
export type { TencentAccountConfig, TencentCredentials } from '../sources/tencent/config.js';

export interface ExporterConfig {
  /** Absolute path of the file this was loaded from. */
  file: string;
  cache: CacheConfig;
  scrape: ScrapeConfig;
  tencent: TencentAccountConfig[];
  alibaba: AlibabaAccountConfig[];
}

export interface CacheConfig {
  /** A snapshot younger than this is served without calling the cloud. Default 60 s. */
  ttlSeconds: number;
  /** After failed refreshes, the last good snapshot is served until it is this old. Default 30 min. */
  maxStaleSeconds: number;
}

export interface ScrapeConfig {
  /** Deadline of a scrape when Prometheus sends no X-Prometheus-Scrape-Timeout-Seconds. Default 9 s. */
  timeoutSeconds: number;
  /** Subtracted from Prometheus' scrape timeout to leave time for the answer. Default 0.5 s. */
  timeoutOffsetSeconds: number;
}
