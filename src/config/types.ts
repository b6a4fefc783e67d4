// The validated, defaulted configuration. The YAML file uses snake_case keys; see config.example.yaml.
import type { ProviderConfigs } from '../sources/registry.js';

export type { Endpoint } from '../base/endpoint.js';

/** The frame of the configuration, and each registered cloud's accounts under its name (`config.tencent`, ...). */
export type ExporterConfig = ConfigFrame & ProviderConfigs;

interface ConfigFrame {
  /** Absolute path of the file this was loaded from. */
  file: string;
  cache: CacheConfig;
  scrape: ScrapeConfig;
}

interface CacheConfig {
  /** A snapshot younger than this is served without calling the cloud. Default 60 s. */
  ttlSeconds: number;
  /** After failed refreshes, the last good snapshot is served until it is this old. Default 30 min. */
  maxStaleSeconds: number;
}

interface ScrapeConfig {
  /** Deadline of a scrape when Prometheus sends no X-Prometheus-Scrape-Timeout-Seconds. Default 9 s. */
  timeoutSeconds: number;
  /** Subtracted from Prometheus' scrape timeout to leave time for the answer. Default 0.5 s. */
  timeoutOffsetSeconds: number;
}
