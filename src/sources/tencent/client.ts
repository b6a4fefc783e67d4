// The one module that talks to Tencent Cloud: CWP through tencentcloud-sdk-nodejs-common's
// CommonClient, with our own request/response types. Swapping in tencentcloud-sdk-nodejs-cwp later
// means changing this file only.
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import type { Endpoint } from '../../shared/endpoint.js';
import type { TencentCredentials } from './config.js';
import { HttpCall } from '../http-call.js';
import { expectJsonContentType, parseJsonKeepingIntegers } from '../json-answer.js';
import { endpointAgent } from './agent.js';
import {
  CWP_API_VERSION,
  type BaselineStrategy,
  type DescribeBaselineStrategyListRequest,
  type DescribeBaselineStrategyListResponse,
  type DescribeScanStateRequest,
  type DescribeScanStateResponse,
} from './api.js';
import { classifyTencentError } from './errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../size-limit.js';
import {
  ShapeError,
  expectObject,
  isObject,
  optionalArray,
  optionalInteger,
  optionalNumber,
  optionalString,
  integerValue,
  validatedAnswer,
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

/** The part of node-fetch's Response the SDK hands to parseResponse. */
interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: Readable;
}

export class CwpClient {
  readonly #client: InstanceType<typeof CommonClient>;
  readonly #maxResponseBytes: number;
  /** Values that must never appear in an error's cause. */
  readonly #secrets: string[];

  constructor(options: CwpClientOptions) {
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const credentials = options.credentials;
    this.#secrets =
      credentials.source === 'static' ? [credentials.secretId, credentials.secretKey, credentials.token].flatMap((secret) => (secret ? [secret.reveal()] : [])) : [];
    this.#client = new CommonClient(options.endpoint.host, CWP_API_VERSION, {
      credential: tencentCredential(options.credentials),
      ...(options.region ? { region: options.region } : {}),
      profile: {
        httpProfile: {
          endpoint: options.endpoint.host,
          protocol: `${options.endpoint.protocol}://`,
          reqTimeout: options.requestTimeoutSeconds,
          agent: options.agent ?? endpointAgent(options.endpoint),
        },
      },
    });
    // The SDK's own reader would hand an event stream back as an open stream nobody reads, lose the
    // digits of large ids (node-fetch's json()) and leave error answers unread. Its parseResponse is
    // private in the SDK's types; replacing it on the instance is the one hook for how answers are read.
    Object.defineProperty(this.#client, 'parseResponse', {
      value: (response: FetchResponse) => readAnswer(response, HttpCall.current()),
    });
  }

  async describeScanState(request: DescribeScanStateRequest, signal: AbortSignal): Promise<DescribeScanStateResponse> {
    const raw = await this.#call('DescribeScanState', request, signal);
    return validatedAnswer('tencent', 'DescribeScanState', () => parseScanState(raw));
  }

  async describeBaselineStrategyList(
    request: DescribeBaselineStrategyListRequest,
    signal: AbortSignal,
  ): Promise<DescribeBaselineStrategyListResponse> {
    const raw = await this.#call('DescribeBaselineStrategyList', request, signal);
    return validatedAnswer('tencent', 'DescribeBaselineStrategyList', () => parseStrategyList(raw));
  }

  async #call(action: string, request: object, signal: AbortSignal): Promise<unknown> {
    const { http, outcome } = HttpCall.run(this.#maxResponseBytes, () => this.#client.request(action, request, { signal }));
    try {
      return (await outcome) as unknown;
    } catch (error) {
      throw classifyTencentError(action, error, signal.aborted, http.status(), http.failure(), this.#secrets);
    } finally {
      http.close();
    }
  }
}

/**
 * One answer, as the SDK's parseResponse would read it, but: a status other than 200 (a redirect
 * included) is an error without its body being read; only a JSON answer is read, within the size
 * limit, with big integers kept; the body stream is never left open.
 */
async function readAnswer(response: FetchResponse, http: HttpCall | undefined): Promise<unknown> {
  try {
    if (response.status !== 200) {
      throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status });
    }
    expectJsonContentType(response.headers.get('content-type'));
    if (!http) throw new Error('an answer outside of a guarded call');
    const data = parseJsonKeepingIntegers((await http.readBody(response.body)).toString('utf8'));
    const payload = isObject(data) ? data['Response'] : undefined;
    if (!isObject(payload)) throw new ShapeError('the answer has no Response object');
    const error = payload['Error'];
    if (isObject(error)) {
      throw Object.assign(new Error(typeof error['Message'] === 'string' ? error['Message'] : ''), {
        code: typeof error['Code'] === 'string' ? error['Code'] : '',
        requestId: typeof payload['RequestId'] === 'string' ? payload['RequestId'] : '',
      });
    }
    return payload;
  } finally {
    if (!response.body.readableEnded) response.body.destroy();
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
