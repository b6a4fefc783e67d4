// The settings of one Tencent Cloud CWP account, as config hands them to the source (validated and defaulted).
// Here, in the cloud's folder, so the source never imports config.
import type { Endpoint } from '../../base/endpoint.js';
import type { Secret } from '../../base/secret.js';
import type { RoleSettings } from '../kit/role-settings.js';
import type { CwpMachineType } from './api.js';
import type { CwpModule } from './types.js';

/** What the account's own calls (or, with a role, its AssumeRole calls) are signed with. */
export type TencentBaseCredentials =
  { source: 'static'; secretId: Secret; secretKey: Secret; token?: Secret } | { source: 'env' | 'profile' | 'cvm_role' | 'oidc' };

/** The base credential, and the role it assumes for the account's calls when `role` is set. */
export type TencentCredentials = TencentBaseCredentials & { role?: RoleSettings };

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
  /** false keeps only the per-scan host counts (no series per host). Default true. */
  perHostSeries: boolean;
  /** Per-call timeout. Default 5 s. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default 4 MiB. */
  maxResponseBytes: number;
  /** Which servers have a working CWP agent (DescribeMachines). */
  coverage: TencentCoverageConfig;
}

/** Coverage: the machines DescribeMachines lists, one call per machine type and region (and page of 100). */
export interface TencentCoverageConfig {
  /** false: no DescribeMachines call, no coverage series. Default true. */
  enabled: boolean;
  /** The regions each machine type but Other is listed in (Other: ap-others). Default the account's region, else ap-guangzhou. */
  regions: string[];
  /** Default CVM, LH, Other. */
  machineTypes: CwpMachineType[];
  /** Machines are listed again at most this often (agents change slowly). Default 10 min. */
  intervalSeconds: number;
}
