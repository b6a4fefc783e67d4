// One Tencent Cloud API (CWP, STS, ...) through tencentcloud-sdk-nodejs-common's CommonClient, as
// every call of ours makes it: only to the configured endpoint, within the per-call timeout and the
// answer size limit, its answer read by us (JSON only, big integers kept, the body never left
// open), and whatever goes wrong classified into an ApiError with the cloud's code or one of ours.
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import type { Endpoint } from '../../base/endpoint.js';
import { MAX_CODE_CHARS, MAX_MESSAGE_CHARS, MAX_REQUEST_ID_CHARS, boundedText, boundedToken } from '../../base/cloud-text.js';
import { DEFAULTS } from '../../base/defaults.js';
import { HttpCall } from '../kit/http-call.js';
import { expectJsonContentType, parseJsonKeepingIntegers } from '../kit/json-answer.js';
import { requestIdOf, type CallTrace } from '../../contract/types.js';
import { ShapeError, isObject } from '../kit/validate.js';
import { endpointAgent } from './agent.js';
import { classifyTencentError } from './errors.js';

const { CommonClient } = tencentcloud;

interface TencentApiOptions {
  endpoint: Endpoint;
  /** The API's version, e.g. 2018-02-28 for CWP. */
  version: string;
  credential: Credential | DynamicCredential;
  /** X-TC-Region; sent only when set. */
  region?: string | undefined;
  /** Upper bound of one call; the call's AbortSignal usually ends it sooner. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULTS.account.maxResponseBytes. */
  maxResponseBytes?: number | undefined;
  /** For tests: e.g. an agent whose lookup maps a cloud host name to 127.0.0.1. */
  agent?: Agent | undefined;
  /** Values (secrets) that must never appear in an error or its cause, as they are at the time of the error. */
  secrets?: (() => readonly string[]) | undefined;
}

/** The part of node-fetch's Response the SDK hands to parseResponse. */
interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: Readable;
}

export class TencentApiClient {
  readonly #client: InstanceType<typeof CommonClient>;
  readonly #maxResponseBytes: number;
  readonly #secrets: () => readonly string[];

  constructor(options: TencentApiOptions) {
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.account.maxResponseBytes;
    this.#secrets = options.secrets ?? (() => []);
    this.#client = new CommonClient(options.endpoint.host, options.version, {
      credential: options.credential,
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

  /** One call: the answer's Response object, or an ApiError. */
  async call(action: string, request: object, signal: AbortSignal, trace: CallTrace = {}): Promise<unknown> {
    const { http, outcome } = HttpCall.run(this.#maxResponseBytes, () => this.#client.request(action, request, { signal }));
    try {
      const answer = (await outcome) as unknown;
      const requestId = isObject(answer) ? requestIdOf(answer['RequestId']) : undefined;
      if (requestId !== undefined) trace.requestId = requestId;
      return answer;
    } catch (error) {
      const apiError = classifyTencentError(action, error, signal.aborted, http.status(), http.failure(), this.#secrets());
      if (apiError.requestId !== undefined) trace.requestId = apiError.requestId;
      throw apiError;
    } finally {
      const status = http.status();
      if (status !== undefined) trace.httpStatus = status;
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
      // Bounded here, where the cloud's error enters: a megabyte Message would otherwise be copied
      // into the error's stack and every text made of it.
      const message = typeof error['Message'] === 'string' ? error['Message'] : '';
      throw Object.assign(new Error(boundedText(message, MAX_MESSAGE_CHARS)), {
        code: typeof error['Code'] === 'string' ? boundedToken(error['Code'], MAX_CODE_CHARS) : '',
        requestId: typeof payload['RequestId'] === 'string' ? boundedToken(payload['RequestId'], MAX_REQUEST_ID_CHARS) : '',
      });
    }
    return payload;
  } finally {
    if (!response.body.readableEnded) response.body.destroy();
  }
}
