// Turns whatever the Tencent SDK throws into an ApiError with the cloud's code or one of ours.
import { ApiError, type ApiErrorKind } from '../types.js';
import { RESPONSE_TOO_LARGE } from '../size-limit.js';

/** Error codes as anchored (RE2 and JavaScript) patterns; prometheus/alerts.ts selects by them too. */
export const TENCENT_THROTTLING_CODES = 'RequestLimitExceeded.*';
export const TENCENT_AUTH_CODES = 'AuthFailure.*|UnauthorizedOperation.*';
const THROTTLING = new RegExp(`^(?:${TENCENT_THROTTLING_CODES})$`);
const AUTH = new RegExp(`^(?:${TENCENT_AUTH_CODES})$`);
const SERVER = /^(InternalError|ServiceUnavailable|ResourceUnavailable)/;

export function tencentErrorKind(code: string): ApiErrorKind {
  if (THROTTLING.test(code)) return 'throttled';
  if (AUTH.test(code)) return 'auth';
  if (SERVER.test(code)) return 'server';
  return 'client';
}

interface SdkErrorFields {
  code?: unknown;
  httpCode?: unknown;
  requestId?: unknown;
  message?: unknown;
  name?: unknown;
  type?: unknown;
}

/** `aborted` says why the call's signal fired, if it did: a timeout is not a network error. */
export function classifyTencentError(action: string, error: unknown, aborted: boolean): ApiError {
  if (error instanceof ApiError) return error;
  const fields: SdkErrorFields = error !== null && typeof error === 'object' ? (error as SdkErrorFields) : {};
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const requestId = typeof fields.requestId === 'string' && fields.requestId !== '' ? fields.requestId : undefined;
  const make = (code: string, kind: ApiErrorKind, text: string) =>
    new ApiError('tencent', action, code, kind, `${action}: ${text}`, requestId);

  // Only the cloud's own answers carry a RequestId; a Node error code (ECONNRESET, ERR_...) is not the cloud's.
  if (typeof fields.code === 'string' && fields.code !== '' && requestId !== undefined) {
    return make(fields.code, tencentErrorKind(fields.code), `${fields.code}: ${message}`);
  }
  if (typeof fields.httpCode === 'number') {
    const kind: ApiErrorKind = fields.httpCode >= 500 ? 'server' : fields.httpCode === 429 ? 'throttled' : 'client';
    return make(`http_${fields.httpCode}`, kind, `HTTP ${fields.httpCode} ${message}`.trim());
  }
  if (message.includes(RESPONSE_TOO_LARGE)) {
    return make('invalid_response', 'invalid_response', message.replace(/^.*?(answer exceeds)/, '$1'));
  }
  if (aborted || /network timeout|aborted|AbortError/i.test(message)) {
    return make('timeout', 'timeout', 'no answer in time');
  }
  // node-fetch's FetchError for a body that is not JSON, or a TypeError for a body without Response.
  if (fields.type === 'invalid-json' || /invalid json|Unexpected token|JSON/i.test(message) || error instanceof TypeError) {
    return make('invalid_response', 'invalid_response', `the answer is not a valid API response (${message})`);
  }
  return make('network', 'network', message);
}
