// Turns whatever the Darabonba base client throws into an ApiError with the cloud's code or one of
// ours (timeout, network, invalid_response, http_NNN).
import { scrubSecrets, scrubbedChain } from '../../base/error-chain.js';
import { ApiError, requestIdOf, type ApiErrorKind } from '../../contract/types.js';
import { AnswerError } from '../kit/http-call.js';
import { httpStatusError } from '../kit/http-status.js';
import { ShapeError } from '../kit/validate.js';
import { illegalHeaderError } from '../kit/illegal-header.js';
import { RESPONSE_TOO_LARGE } from '../kit/size-limit.js';

/**
 * Error codes as anchored (RE2 and JavaScript) patterns; prometheus/alerts.ts selects by them too.
 * MissingSecurityToken (temporary keys sent without their token) is an authorization error;
 * SignatureNonceUsed is not: it refuses a request whose nonce the gateway saw already (a replay, or
 * a retry that kept its nonce), and the next attempt, signed anew, goes through.
 */
export const ALIBABA_THROTTLING_CODES = '.*Throttling.*';
export const ALIBABA_AUTH_CODES =
  'InvalidAccessKeyId([.].*)?|SignatureDoesNotMatch|InvalidSecurityToken([.].*)?|MissingSecurityToken|NoPermission|Forbidden([.].*)?|InvalidCredentials|IncompleteSignature|InvalidTimeStamp([.].*)?';
/** The auth codes that say the principal's RAM policy does not allow the action (a permission to add), not that its key is bad. */
export const ALIBABA_PERMISSION_CODES = 'NoPermission|Forbidden([.].*)?';
const THROTTLING = new RegExp(`^(?:${ALIBABA_THROTTLING_CODES})$`);
const AUTH = new RegExp(`^(?:${ALIBABA_AUTH_CODES})$`);
const PERMISSION = new RegExp(`^(?:${ALIBABA_PERMISSION_CODES})$`);
const SERVER = /^(ServerError|InternalError|ServiceUnavailable(\..*)?|UnknownError)$/;
const TRANSIENT = /^SignatureNonceUsed$/;

export function alibabaErrorKind(code: string, httpStatus?: number): ApiErrorKind {
  if (THROTTLING.test(code)) return 'throttled';
  if (AUTH.test(code)) return 'auth';
  if (SERVER.test(code) || TRANSIENT.test(code) || (httpStatus !== undefined && httpStatus >= 500)) return 'server';
  return 'client';
}

/** Whether the cloud refused the call because the principal's policy does not allow its action. */
export function alibabaPermissionDenied(code: string): boolean {
  return PERMISSION.test(code);
}

interface SdkErrorFields {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  message?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * `aborted` says whether the call's signal fired: a call given up for its deadline is a timeout.
 * `redact` lists values (secrets) that must never appear in a message. `httpStatus` is the status
 * of the answer when known apart from the error (the base client drops it for non-JSON bodies).
 */
export function classifyAlibabaError(
  action: string,
  error: unknown,
  aborted: boolean,
  redact: readonly string[] = [],
  httpStatus?: number,
  failure?: AnswerError,
): ApiError {
  if (error instanceof ApiError) return error;
  const illegalHeader = illegalHeaderError('alibaba', action, error);
  if (illegalHeader) return illegalHeader;
  const fields: SdkErrorFields = error !== null && typeof error === 'object' ? (error as SdkErrorFields) : {};
  const rawMessage = typeof fields.message === 'string' ? fields.message : String(error);
  const message = scrubSecrets(rawMessage, redact);
  const requestId = requestIdOf(fields.requestId);
  const cause = scrubbedChain(error, redact);
  const make = (code: string, kind: ApiErrorKind, text: string) =>
    new ApiError('alibaba', action, code, kind, `${action}: ${text}`, requestId, cause === undefined ? undefined : { cause });

  // An answer cut off at the size limit, whatever error its reader then saw.
  if (failure?.problem === 'too_large' || rawMessage.includes(RESPONSE_TOO_LARGE)) {
    return make('invalid_response', 'invalid_response', scrubSecrets(failure?.message ?? rawMessage, redact));
  }
  if (error instanceof AnswerError) {
    if (error.problem === 'closed') return make('network', 'network', message);
    return make('invalid_response', 'invalid_response', message);
  }
  if (error instanceof ShapeError) return make('invalid_response', 'invalid_response', message);
  // A status that is neither an answer nor an error answer: a redirect (never followed), a 1xx or 204-like oddity.
  const nonAnswerStatus = (fields as { httpStatus?: unknown }).httpStatus;
  if (typeof nonAnswerStatus === 'number') {
    const { code, kind } = httpStatusError(nonAnswerStatus);
    return make(code, kind, `HTTP ${nonAnswerStatus} is not an answer`);
  }
  // ClientError, ServerError, ThrottlingError: an HTTP answer >= 400 whose body was JSON.
  if (typeof fields.statusCode === 'number') {
    const status = fields.statusCode;
    const code = typeof fields.code === 'string' && fields.code !== '' && fields.code !== 'undefined' ? fields.code : '';
    if (code !== '') return make(code, alibabaErrorKind(code, status), message);
    const { code: statusCode, kind } = httpStatusError(status);
    return make(statusCode, kind, `HTTP ${status} without an error code`);
  }
  if (error instanceof SyntaxError || /JSON|Unexpected token|Unexpected end/i.test(rawMessage)) {
    // An error page (a gateway's HTML 502 or 503) is the status's error, retried like any 5xx.
    if (httpStatus !== undefined && httpStatus >= 400) {
      const { code, kind } = httpStatusError(httpStatus);
      return make(code, kind, `HTTP ${httpStatus} with a body that is not JSON`);
    }
    return make('invalid_response', 'invalid_response', 'the answer is not JSON');
  }
  const name = typeof fields.name === 'string' ? fields.name : '';
  const errno = typeof fields.code === 'string' ? fields.code : '';
  if (
    aborted ||
    name === 'RequestTimeoutError' ||
    errno === 'ETIMEDOUT' ||
    /ReadTimeout|ConnectTimeout|RequestTimeout|timed? ?out/i.test(rawMessage)
  ) {
    return make('timeout', 'timeout', 'no answer in time');
  }
  if (NETWORK_CODES.has(errno) || /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE/i.test(rawMessage)) {
    return make('network', 'network', message);
  }
  if (/credential/i.test(rawMessage) || errno === 'InvalidCredentials') {
    return make('InvalidCredentials', 'auth', `no usable credentials: ${message}`);
  }
  return make('network', 'network', message);
}
