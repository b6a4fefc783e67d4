// The settings of one Alibaba Cloud Security Center account, as config hands them to the source (validated and defaulted).
// Here, in the cloud's folder, so the source never imports config.
import type { Endpoint } from '../../base/endpoint.js';
import type { Secret } from '../../base/secret.js';
import type { RoleSettings } from '../kit/role-settings.js';
import type { SasVulType } from './types.js';

/** What the account's own calls (or, with a role, its AssumeRole calls) are signed with. */
export type AlibabaBaseCredentials =
  { source: 'static'; accessKeyId: Secret; accessKeySecret: Secret; securityToken?: Secret } | { source: 'default' };

/** The base credential, and the role it assumes for the account's calls when `role` is set. */
export type AlibabaCredentials = AlibabaBaseCredentials & { role?: RoleSettings };

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
  /** A server's answer is read again at least this often, whatever the task list says. Default 3 h. */
  fullReadIntervalSeconds: number;
  resourceDirectoryAccountId?: string;
}
