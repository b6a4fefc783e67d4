// Turns whatever the Tencent SDK throws into an ApiError with the cloud's code or one of ours.
import { scrubSecrets, scrubbedChain } from '../../base/error-chain.js';
import { ApiError, requestIdOf, type ApiErrorKind } from '../../contract/types.js';
import { RESPONSE_TOO_LARGE } from '../kit/size-limit.js';
import { AnswerError } from '../kit/http-call.js';
import { httpStatusError } from '../kit/http-status.js';
import { ShapeError } from '../kit/validate.js';
import { illegalHeaderError } from '../kit/illegal-header.js';
import { REDIRECT_REFUSED } from './agent.js';

/**
 * Error codes as anchored (RE2 and JavaScript) patterns; prometheus/alerts.ts selects by them too.
 * STS answers its own frequency limit with InvalidParameter.OverLimit, and a role it cannot get or
 * that is not one it may assume with InternalError.GetRoleError and InternalError.IllegalRole:
 * lasting problems of the role, not server errors that a retry would cure.
 */
export const TENCENT_THROTTLING_CODES = 'RequestLimitExceeded.*|InvalidParameter[.]OverLimit';
export const TENCENT_AUTH_CODES = 'AuthFailure.*|UnauthorizedOperation.*|InternalError[.](GetRoleError|IllegalRole)';
/** The auth codes that say the principal's CAM policy does not allow the action (a permission to add), not that its key is bad. */
export const TENCENT_PERMISSION_CODES = 'AuthFailure[.]UnauthorizedOperation|UnauthorizedOperation([.].*)?';
const THROTTLING = new RegExp(`^(?:${TENCENT_THROTTLING_CODES})$`);
const AUTH = new RegExp(`^(?:${TENCENT_AUTH_CODES})$`);
const PERMISSION = new RegExp(`^(?:${TENCENT_PERMISSION_CODES})$`);
const SERVER = /^(InternalError|ServiceUnavailable|ResourceUnavailable)/;

/** Whether the cloud refused the call because the principal's policy does not allow its action. */
export function tencentPermissionDenied(code: string): boolean {
  return PERMISSION.test(code);
}

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

/**
 * `aborted` says why the call's signal fired, if it did: a timeout is not a network error.
 * `status` is the HTTP status of the call's last answer and `failure` why http-call.ts cut it off,
 * when known (the SDK wraps every transport error into a message). `redact` lists values (secrets)
 * that must never appear in the error's cause, which keeps what the SDK threw for the logs.
 */
export function classifyTencentError(
  action: string,
  error: unknown,
  aborted: boolean,
  status?: number,
  failure?: AnswerError,
  redact: readonly string[] = [],
): ApiError {
  if (error instanceof ApiError) return error;
  const illegalHeader = illegalHeaderError('tencent', action, error);
  if (illegalHeader) return illegalHeader;
  const fields: SdkErrorFields = error !== null && typeof error === 'object' ? (error as SdkErrorFields) : {};
  // The message too, not only the cause: an answer (an STS echoing the request) may quote a secret.
  const message = scrubSecrets(typeof fields.message === 'string' ? fields.message : String(error), redact);
  const requestId = requestIdOf(fields.requestId);
  const cause = scrubbedChain(error, redact);
  const make = (code: string, kind: ApiErrorKind, text: string) =>
    new ApiError('tencent', action, code, kind, `${action}: ${text}`, requestId, cause === undefined ? undefined : { cause });

  // Only the cloud's own answers carry a RequestId; a Node error code (ECONNRESET, ERR_...) is not the cloud's.
  if (typeof fields.code === 'string' && fields.code !== '' && typeof fields.requestId === 'string' && fields.requestId !== '') {
    return make(fields.code, tencentErrorKind(fields.code), `${fields.code}: ${message}`);
  }
  if (typeof fields.httpCode === 'number') {
    const { code, kind } = httpStatusError(fields.httpCode);
    return make(code, kind, `HTTP ${fields.httpCode} ${message}`.trim());
  }
  // A redirect is never followed: the answer that asked for it is the error.
  if (message.includes(REDIRECT_REFUSED) || (error instanceof AnswerError && error.problem === 'redirect_refused')) {
    const { code, kind } =
      status !== undefined && status >= 300 && status < 400 ? httpStatusError(status) : { code: 'http_3xx', kind: 'client' as const };
    return make(code, kind, `the endpoint answered with a redirect (${message.replace(/^.*?(refused to follow)/, '$1')})`);
  }
  if (failure?.problem === 'too_large' || message.includes(RESPONSE_TOO_LARGE)) {
    return make('invalid_response', 'invalid_response', (failure?.message ?? message).replace(/^.*?(answer exceeds)/, '$1'));
  }
  if (error instanceof AnswerError && error.problem === 'not_json') return make('invalid_response', 'invalid_response', message);
  if (error instanceof ShapeError || error instanceof SyntaxError) {
    return make('invalid_response', 'invalid_response', `the answer is not a valid API response (${message.slice(0, 200)})`);
  }
  if (error instanceof AnswerError && error.problem === 'closed') return make('network', 'network', message);
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
