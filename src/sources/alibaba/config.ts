// The settings of one Alibaba Cloud Security Center account, as config hands them to the source (validated and defaulted).
// Here, in the cloud's folder, so the source never imports config.
import type { Endpoint } from '../../shared/endpoint.js';
import type { Secret } from '../../shared/secret.js';
import type { SasVulType } from './types.js';

/** A RAM role to assume with the base credential (STS AssumeRole); temporary keys, renewed before they expire. */
export interface AlibabaRole {
  /** acs:ram::<account id>:role/<name> */
  arn: string;
  sessionName: string;
  durationSeconds: number;
  externalId?: string;
}

export type AlibabaCredentials = (
  | { source: 'static'; accessKeyId: Secret; accessKeySecret: Secret; securityToken?: Secret }
  | { source: 'default' }
) & { role?: AlibabaRole };

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
