// One Alibaba Cloud RPC API (Security Center, STS, ...) through the Darabonba OpenAPI base client
// (@alicloud/openapi-core), as every call of ours makes it, and as the generated clients
// (@alicloud/sas20181203, @alicloud/sts20150401) make theirs: RPC style, POST /, every parameter in
// the query (arrays flattened as Key.1, Key.2), an empty body, ACS3-HMAC-SHA256 signature. Answers
// are read by us (JSON only, within the size limit, big integers kept), errors classified into an
// ApiError with no secret in its message. The SDK's loose types stop here.
import OpenApiCore from '@alicloud/openapi-core';
import type CredentialsModule from '@alicloud/credentials';
import * as Dara from '@darabonba/typescript';
import type { Readable } from 'node:stream';
import type { Endpoint } from '../../base/endpoint.js';
import { DEFAULTS } from '../../base/defaults.js';
import { HttpCall } from '../kit/http-call.js';
import { expectJsonContentType, parseJsonKeepingIntegers } from '../kit/json-answer.js';
import { ApiError, requestIdOf, type CallTrace } from '../../contract/types.js';
import { classifyAlibabaError } from './errors.js';
import { releaseReadTimersAfterResponses } from './read-timers.js';

const OpenApiClient = OpenApiCore.default;
const { OpenApiUtil, $OpenApiUtil } = OpenApiCore;

type QueryValue = string | number | boolean | string[] | undefined;

/** What calls are signed with: keys as they are, or an @alicloud/credentials Credential (a chain, a role). */
export type AlibabaSigner =
  | { accessKeyId: string; accessKeySecret: string; securityToken?: string | undefined }
  | { credential: InstanceType<typeof CredentialsModule.default> };

interface RpcClientOptions {
  endpoint: Endpoint;
  signer: AlibabaSigner;
  /** Read and connect timeout of one call. The base client takes no AbortSignal (see call). */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULTS.account.maxResponseBytes. */
  maxResponseBytes?: number | undefined;
  /** The values (secrets) that must never appear in an error message, as they are at the time of the error. */
  secrets: () => readonly string[];
}

export class RpcClient {
  readonly #client: InstanceType<typeof OpenApiClient>;
  readonly #protocol: 'HTTP' | 'HTTPS';
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #secrets: () => readonly string[];

  constructor(options: RpcClientOptions) {
    releaseReadTimersAfterResponses();
    this.#protocol = options.endpoint.protocol === 'http' ? 'HTTP' : 'HTTPS';
    this.#timeoutMs = Math.max(1, Math.round(options.requestTimeoutSeconds * 1000));
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.account.maxResponseBytes;
    this.#secrets = options.secrets;
    const signer = options.signer;
    this.#client = new OpenApiClient(
      new $OpenApiUtil.Config({
        ...('credential' in signer
          ? { credential: signer.credential }
          : {
              accessKeyId: signer.accessKeyId,
              accessKeySecret: signer.accessKeySecret,
              ...(signer.securityToken ? { securityToken: signer.securityToken } : {}),
            }),
        endpoint: options.endpoint.host,
        protocol: this.#protocol,
        readTimeout: this.#timeoutMs,
        connectTimeout: this.#timeoutMs,
      }),
    );
  }

  /**
   * One RPC call of `version`. The base client's runtime has no AbortSignal: the HTTP request itself
   * ends at readTimeout/connectTimeout; when the signal fires first we stop waiting for it and
   * report a timeout (the request finishes or times out in the background).
   */
  async call(
    action: string,
    version: string,
    query: Record<string, QueryValue>,
    signal: AbortSignal,
    trace: CallTrace = {},
  ): Promise<unknown> {
    if (signal.aborted) throw classifyAlibabaError(action, signal.reason, true);
    const params = rpcParams(action, this.#protocol, version);
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
      const requestId =
        answer !== null && typeof answer === 'object' ? requestIdOf((answer as Record<string, unknown>)['RequestId']) : undefined;
      if (requestId !== undefined) trace.requestId = requestId;
      return answer;
    } catch (error) {
      const apiError = classifyAlibabaError(action, error, signal.aborted, this.#secrets(), http.status(), http.failure());
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

/** How every call of ours is made (the guard tests of the base client make theirs the same way). */
export function rpcParams(action: string, protocol: string, version: string): InstanceType<typeof $OpenApiUtil.Params> {
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

/** Leaves out absent values and empty lists, as the generated clients do for unset fields. */
function withoutEmpty(query: Record<string, QueryValue>): Record<string, string | number | boolean | string[]> {
  const result: Record<string, string | number | boolean | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    result[key] = value;
  }
  return result;
}
