// The one module that talks to Tencent Cloud: CWP through tencentcloud-sdk-nodejs-common's
// CommonClient, with our own request/response types. Swapping in tencentcloud-sdk-nodejs-cwp later
// means changing this file only.
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Agent } from 'node:http';
import type { Endpoint, TencentCredentials } from '../../config/types.js';
import { ApiError } from '../types.js';
import {
  CWP_API_VERSION,
  type BaselineStrategy,
  type DescribeBaselineStrategyListRequest,
  type DescribeBaselineStrategyListResponse,
  type DescribeScanStateRequest,
  type DescribeScanStateResponse,
} from './api.js';
import { classifyTencentError } from './errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, sizeLimitedAgent } from '../size-limit.js';
import {
  ShapeError,
  expectObject,
  optionalArray,
  optionalInteger,
  optionalNumber,
  optionalString,
  integerValue,
} from '../validate.js';

const { CommonClient, EnvironmentVariableCredential, ProfileCredential, CvmRoleCredential, OIDCRoleArnCredential } =
  tencentcloud;

export interface CwpClientOptions {
  endpoint: Endpoint;
  credentials: TencentCredentials;
  region?: string | undefined;
  /** Upper bound of one call; the call's AbortSignal usually ends it sooner. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULT_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** For tests: e.g. an agent whose lookup maps a cloud host name to 127.0.0.1. */
  agent?: Agent;
}

export class CwpClient {
  readonly #client: InstanceType<typeof CommonClient>;

  constructor(options: CwpClientOptions) {
    this.#client = new CommonClient(options.endpoint.host, CWP_API_VERSION, {
      credential: tencentCredential(options.credentials),
      ...(options.region ? { region: options.region } : {}),
      profile: {
        httpProfile: {
          endpoint: options.endpoint.host,
          protocol: `${options.endpoint.protocol}://`,
          reqTimeout: options.requestTimeoutSeconds,
          agent:
            options.agent ??
            sizeLimitedAgent(options.endpoint.protocol, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES),
        },
      },
    });
  }

  async describeScanState(request: DescribeScanStateRequest, signal: AbortSignal): Promise<DescribeScanStateResponse> {
    const raw = await this.#call('DescribeScanState', request, signal);
    return this.#validated('DescribeScanState', () => parseScanState(raw));
  }

  async describeBaselineStrategyList(
    request: DescribeBaselineStrategyListRequest,
    signal: AbortSignal,
  ): Promise<DescribeBaselineStrategyListResponse> {
    const raw = await this.#call('DescribeBaselineStrategyList', request, signal);
    return this.#validated('DescribeBaselineStrategyList', () => parseStrategyList(raw));
  }

  async #call(action: string, request: object, signal: AbortSignal): Promise<unknown> {
    try {
      return (await this.#client.request(action, request, { signal })) as unknown;
    } catch (error) {
      throw classifyTencentError(action, error, signal.aborted);
    }
  }

  #validated<T>(action: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      throw new ApiError('tencent', action, 'invalid_response', 'invalid_response', `${action}: ${error.message}`);
    }
  }
}

function tencentCredential(credentials: TencentCredentials): Credential | DynamicCredential {
  switch (credentials.source) {
    case 'static':
      return {
        secretId: credentials.secretId.reveal(),
        secretKey: credentials.secretKey.reveal(),
        ...(credentials.token ? { token: credentials.token.reveal() } : {}),
      };
    case 'env':
      return new EnvironmentVariableCredential();
    case 'profile':
      return new ProfileCredential();
    case 'cvm_role':
      return new CvmRoleCredential();
    case 'oidc':
      return new OIDCRoleArnCredential();
  }
}

function parseScanState(raw: unknown): DescribeScanStateResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const scanState = optionalNumber(response, 'ScanState', where);
  if (scanState === null || !Number.isInteger(scanState)) {
    throw new ShapeError(`${where}.ScanState is ${scanState === null ? 'missing or null' : scanState}, expected an integer`);
  }
  const vulIds = optionalArray(response, 'VulId', where);
  const kbNumbers = optionalArray(response, 'KBNumber', where);
  return {
    ScanState: scanState,
    Schedule: optionalNumber(response, 'Schedule', where),
    TaskId: optionalInteger(response, 'TaskId', where),
    VulId: vulIds === null ? null : vulIds.map((id, i) => integerValue(id, `${where}.VulId[${i}]`)),
    Type: optionalNumber(response, 'Type', where),
    ScanBeginTime: optionalString(response, 'ScanBeginTime', where),
    RiskEventCount: optionalNumber(response, 'RiskEventCount', where),
    ScanEndTime: optionalString(response, 'ScanEndTime', where),
    KBNumber: kbNumbers === null ? null : kbNumbers.map(String),
    RequestId: optionalString(response, 'RequestId', where) ?? '',
  };
}

function parseStrategyList(raw: unknown): DescribeBaselineStrategyListResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const list = optionalArray(response, 'StrategyList', where) ?? [];
  const strategies: BaselineStrategy[] = list.map((item, i) => {
    const at = `${where}.StrategyList[${i}]`;
    const strategy = expectObject(item, at);
    const id = optionalInteger(strategy, 'StrategyId', at);
    if (id === null) throw new ShapeError(`${at}.StrategyId is missing or null`);
    return {
      StrategyId: Number(id),
      StrategyName: optionalString(strategy, 'StrategyName', at) ?? '',
    };
  });
  const total = optionalNumber(response, 'TotalCount', where);
  if (total === null) throw new ShapeError(`${where}.TotalCount is missing or null`);
  return { TotalCount: total, StrategyList: strategies, RequestId: optionalString(response, 'RequestId', where) ?? '' };
}
