// Alibaba Cloud Security Center (SAS) through the Darabonba OpenAPI base client (rpc-client.ts),
// sending exactly what the generated @alicloud/sas20181203 client sends, with our own request and
// response types.
import CredentialsModule from '@alicloud/credentials';
import type { Endpoint } from '../../base/endpoint.js';
import type { AlibabaBaseCredentials } from './config.js';
import type { CallTrace } from '../../contract/types.js';
import { validatedAnswer } from '../kit/validate.js';
import {
  SAS_API_VERSION,
  type DescribeCloudCenterInstancesRequest,
  type DescribeCloudCenterInstancesResponse,
  type DescribeOnceTaskRequest,
  type DescribeOnceTaskResponse,
  type DescribeVulCheckTaskStatusDetailRequest,
  type DescribeVulCheckTaskStatusDetailResponse,
} from './api.js';
import { parseCloudCenterInstances, parseOnceTasks, parseVulCheckTaskStatusDetail } from './parse.js';
import { RpcClient, rpcParams as rpcParamsOf, type AlibabaSigner } from './rpc-client.js';

const Credential = CredentialsModule.default;

export interface SasClientOptions {
  endpoint: Endpoint;
  /** The account's base credential: what calls are signed with unless `signWith` is given. */
  credentials: AlibabaBaseCredentials;
  /** What calls are signed with instead, e.g. an assumed role's temporary keys (role.ts), and the secrets it holds now. */
  signWith?: { signer: AlibabaSigner; secrets: () => readonly string[] } | undefined;
  /** Read and connect timeout of one call. The base client takes no AbortSignal. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULTS.account.maxResponseBytes. */
  maxResponseBytes?: number;
}

export class SasClient {
  readonly #rpc: RpcClient;

  constructor(options: SasClientOptions) {
    const base = baseSigner(options.credentials);
    this.#rpc = new RpcClient({ ...options, ...(options.signWith ?? base) });
  }

  async describeVulCheckTaskStatusDetail(
    request: DescribeVulCheckTaskStatusDetailRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeVulCheckTaskStatusDetailResponse> {
    const action = 'DescribeVulCheckTaskStatusDetail';
    const body = await this.#rpc.call(action, SAS_API_VERSION, { ...request }, signal, trace);
    return validatedAnswer('alibaba', action, () => parseVulCheckTaskStatusDetail(body));
  }

  async describeCloudCenterInstances(
    request: DescribeCloudCenterInstancesRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeCloudCenterInstancesResponse> {
    const action = 'DescribeCloudCenterInstances';
    const body = await this.#rpc.call(action, SAS_API_VERSION, { ...request }, signal, trace);
    return validatedAnswer('alibaba', action, () => parseCloudCenterInstances(body));
  }

  async describeOnceTask(request: DescribeOnceTaskRequest, signal: AbortSignal, trace?: CallTrace): Promise<DescribeOnceTaskResponse> {
    const action = 'DescribeOnceTask';
    const body = await this.#rpc.call(action, SAS_API_VERSION, { ...request }, signal, trace);
    return validatedAnswer('alibaba', action, () => parseOnceTasks(body));
  }
}

/** What a base credential of the configuration signs with, and the secrets it holds. */
export function baseSigner(credentials: AlibabaBaseCredentials): { signer: AlibabaSigner; secrets: () => readonly string[] } {
  if (credentials.source === 'static') {
    const secrets = [credentials.accessKeySecret.reveal(), ...(credentials.securityToken ? [credentials.securityToken.reveal()] : [])];
    return {
      signer: {
        accessKeyId: credentials.accessKeyId.reveal(),
        accessKeySecret: credentials.accessKeySecret.reveal(),
        ...(credentials.securityToken ? { securityToken: credentials.securityToken.reveal() } : {}),
      },
      secrets: () => secrets,
    };
  }
  // The default chain: environment, profile file, ECS RAM role, OIDC role (RRSA).
  return { signer: { credential: new Credential() }, secrets: () => [] };
}

/** How every Security Center call of ours is made (the guard tests of the base client make theirs the same way). */
export function rpcParams(action: string, protocol: string) {
  return rpcParamsOf(action, protocol, SAS_API_VERSION);
}
