// The validated, defaulted configuration. The YAML file uses snake_case keys; see config.example.yaml.
import type { Secret } from './secret.js';
import type { CwpModule, SasVulType } from '../sources/types.js';

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

/** https://host or http://host:port; host may carry a port. */
export interface Endpoint {
  protocol: 'https' | 'http';
  host: string;
}

export type TencentCredentials =
  | { source: 'static'; secretId: Secret; secretKey: Secret; token?: Secret }
  | { source: 'env' | 'profile' | 'cvm_role' | 'oidc' };

export interface TencentAccountConfig {
  name: string;
  credentials: TencentCredentials;
  /** Default cwp.tencentcloudapi.com over https. */
  endpoint: Endpoint;
  /** X-TC-Region; DescribeScanState does not need one. */
  region?: string;
  /** Default Malware, Vul, Baseline. */
  modules: CwpModule[];
  /** "auto" = DescribeBaselineStrategyList; otherwise the strategy ids to query. */
  baselineStrategies: 'auto' | string[];
  /** Requests per second per API action. Default 20 (the documented limit). */
  rateLimit: number;
  /** Zone of ScanBeginTime/ScanEndTime, as +HH:MM. Default +08:00 (Beijing time). */
  timeZone: string;
  /** Per-call timeout. Default 5 s. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default 4 MiB. */
  maxResponseBytes: number;
}

export type AlibabaCredentials =
  | { source: 'static'; accessKeyId: Secret; accessKeySecret: Secret; securityToken?: Secret }
  | { source: 'default' };

export interface AlibabaAccountConfig {
  name: string;
  credentials: AlibabaCredentials;
  region: string;
  /** Derived from region unless set. */
  endpoint: Endpoint;
  /** "auto" = DescribeCloudCenterInstances; otherwise the server UUIDs to query. */
  servers: 'auto' | string[];
  /** Empty = let the API answer for the server's tasks (TaskIds is optional). */
  taskIds: string[];
  /** Default cve, sys, cms, sca. */
  types: SasVulType[];
  /** false keeps only the aggregated counts. Default true. */
  perServerSeries: boolean;
  /** Requests per second per API action. Default 10. */
  rateLimit: number;
  /** Per-call timeout. Default 5 s. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default 4 MiB. */
  maxResponseBytes: number;
  resourceDirectoryAccountId?: string;
}
