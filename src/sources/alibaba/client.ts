// The one module that talks to Alibaba Cloud: Security Center (SAS) through the Darabonba OpenAPI
// base client (@alicloud/openapi-core), sending exactly what the generated @alicloud/sas20181203
// client sends: RPC style, POST /, every parameter in the query (arrays flattened as Key.1, Key.2),
// an empty body, ACS3-HMAC-SHA256 signature. The SDK's loose types stop here.
import OpenApiCore from '@alicloud/openapi-core';
import CredentialsModule from '@alicloud/credentials';
import * as Dara from '@darabonba/typescript';
import type { Endpoint } from '../../shared/endpoint.js';
import type { AlibabaCredentials } from './config.js';
import { ApiError, requestIdOf, type CallTrace } from '../types.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../size-limit.js';
import { validatedAnswer } from '../validate.js';
import {
  SAS_API_VERSION,
  type DescribeCloudCenterInstancesRequest,
  type DescribeCloudCenterInstancesResponse,
  type DescribeVulCheckTaskStatusDetailRequest,
  type DescribeVulCheckTaskStatusDetailResponse,
} from './api.js';
import { classifyAlibabaError } from './errors.js';
import { parseCloudCenterInstances, parseVulCheckTaskStatusDetail } from './parse.js';
import { releaseReadTimersAfterResponses } from './read-timers.js';
import { HttpCall } from '../http-call.js';
import { expectJsonContentType, parseJsonKeepingIntegers } from '../json-answer.js';
import type { Readable } from 'node:stream';

const OpenApiClient = OpenApiCore.default;
const { OpenApiUtil, $OpenApiUtil } = OpenApiCore;
const Credential = CredentialsModule.default;

export type QueryValue = string | number | boolean | string[] | undefined;

export interface SasClientOptions {
  endpoint: Endpoint;
  credentials: AlibabaCredentials;
  /** Read and connect timeout of one call. The base client takes no AbortSignal (see #call). */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULT_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

/**
 * One Alibaba Cloud RPC API (its endpoint and version) through the Darabonba base client, with our
 * answer reader and error classification. Security Center and Resource Manager are both reached through it.
 */
export class AlibabaRpcClient {
  readonly #client: InstanceType<typeof OpenApiClient>;
  readonly #version: string;
  readonly #protocol: 'HTTP' | 'HTTPS';
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  /** Values that must never appear in an error message. */
  readonly #secrets: string[];

  constructor(options: SasClientOptions, version: string) {
    releaseReadTimersAfterResponses();
    this.#version = version;
    this.#protocol = options.endpoint.protocol === 'http' ? 'HTTP' : 'HTTPS';
    this.#timeoutMs = Math.max(1, Math.round(options.requestTimeoutSeconds * 1000));
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const credentials = options.credentials;
    this.#secrets =
      credentials.source === 'static'
        ? [credentials.accessKeySecret.reveal(), ...(credentials.securityToken ? [credentials.securityToken.reveal()] : [])]
        : [];
    this.#client = new OpenApiClient(
      new $OpenApiUtil.Config({
        ...(credentials.source === 'static'
          ? {
              accessKeyId: credentials.accessKeyId.reveal(),
              accessKeySecret: credentials.accessKeySecret.reveal(),
              ...(credentials.securityToken ? { securityToken: credentials.securityToken.reveal() } : {}),
            }
          : // The default chain: environment, profile file, ECS RAM role, OIDC role (RRSA).
            { credential: new Credential() }),
        endpoint: options.endpoint.host,
        protocol: this.#protocol,
        readTimeout: this.#timeoutMs,
        connectTimeout: this.#timeoutMs,
      }),
    );
  }

  /**
   * One RPC call. The base client's runtime has no AbortSignal: the HTTP request itself ends at
   * readTimeout/connectTimeout; when the signal fires first we stop waiting for it and report a
   * timeout (the request finishes or times out in the background).
   */
  protected async call(action: string, query: Record<string, QueryValue>, signal: AbortSignal, trace: CallTrace = {}): Promise<unknown> {
    if (signal.aborted) throw classifyAlibabaError(action, signal.reason, true);
    const params = rpcParams(action, this.#protocol, this.#version);
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(withoutEmpty(query)) });
    const runtime = new Dara.RuntimeOptions({ readTimeout: this.#timeoutMs, connectTimeout: this.#timeoutMs });

    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ApiError('alibaba', action, 'timeout', 'timeout', `${action}: no answer in time`));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const { http, outcome } = HttpCall.run(this.#maxResponseBytes, async () =>
      answerBody((await this.#client.callApi(params, request, runtime)) as RawAnswer, HttpCall.current()),
    );
    try {
      const answer = await Promise.race([outcome, aborted]);
      const requestId = answer !== null && typeof answer === 'object' ? requestIdOf((answer as Record<string, unknown>)['RequestId']) : undefined;
      if (requestId !== undefined) trace.requestId = requestId;
      return answer;
    } catch (error) {
      const apiError = classifyAlibabaError(action, error, signal.aborted, this.#secrets, http.status(), http.failure());
      if (apiError.requestId !== undefined) trace.requestId = apiError.requestId;
      throw apiError;
    } finally {
      const status = http.status();
      if (status !== undefined) trace.httpStatus = status;
      if (onAbort) signal.removeEventListener('abort', onAbort);
      aborted.catch(() => undefined);
      outcome.catch(() => undefined);
      http.close();
    }
  }
}

export class SasClient extends AlibabaRpcClient {
  constructor(options: SasClientOptions) {
    super(options, SAS_API_VERSION);
  }

  async describeVulCheckTaskStatusDetail(
    request: DescribeVulCheckTaskStatusDetailRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeVulCheckTaskStatusDetailResponse> {
    const action = 'DescribeVulCheckTaskStatusDetail';
    const body = await this.call(action, { ...request }, signal, trace);
    return validatedAnswer('alibaba', action, () => parseVulCheckTaskStatusDetail(body));
  }

  async describeCloudCenterInstances(
    request: DescribeCloudCenterInstancesRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeCloudCenterInstancesResponse> {
    const action = 'DescribeCloudCenterInstances';
    const body = await this.call(action, { ...request }, signal, trace);
    return validatedAnswer('alibaba', action, () => parseCloudCenterInstances(body));
  }
}

/** How every call of ours is made (the guard tests of the base client make theirs the same way). */
export function rpcParams(action: string, protocol: string, version: string = SAS_API_VERSION): InstanceType<typeof $OpenApiUtil.Params> {
  return new $OpenApiUtil.Params({
    action,
    version,
    protocol,
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    // The raw answer: we read it ourselves (JSON only, big integers kept, see answerBody).
    bodyType: 'binary',
  });
}

interface RawAnswer {
  body?: Readable;
  headers?: Record<string, string>;
  statusCode?: number;
}

/**
 * The answer of a call that did not fail with HTTP >= 400 (the base client reads those itself).
 * Only 2xx is an answer: a redirect is never followed (httpx does not) and never taken for data.
 * Only JSON is read, within the size limit, with big integers kept.
 */
async function answerBody(answer: RawAnswer, http: HttpCall | undefined): Promise<unknown> {
  const body = answer.body;
  try {
    const status = answer.statusCode ?? 0;
    if (status < 200 || status > 299) throw Object.assign(new Error(`HTTP ${status}`), { httpStatus: status });
    expectJsonContentType(answer.headers?.['content-type']);
    if (!body || !http) throw new Error('no answer body');
    return parseJsonKeepingIntegers((await http.readBody(body)).toString('utf8'));
  } finally {
    if (body && !body.readableEnded) body.destroy();
  }
}

/** Leaves out absent values and empty lists, as the generated client does for unset fields. */
function withoutEmpty(query: Record<string, QueryValue>): Record<string, string | number | boolean | string[]> {
  const result: Record<string, string | number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value;
  }
  return result;
}
