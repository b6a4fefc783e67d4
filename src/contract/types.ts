// The plain data a source hands to the rest of the exporter. A source knows its cloud and
// nothing of Prometheus; the metrics module turns these snapshots into series.
import { MAX_CODE_CHARS, MAX_MESSAGE_CHARS, MAX_REQUEST_ID_CHARS, boundedText, boundedToken } from '../base/cloud-text.js';

/** A cloud's name in the provider registry (sources/registry.ts): the provider label and the /probe prefix. */
export type Provider = string;

/** Told of every API attempt (retries included) so that the exporter can count calls and errors. */
export interface ApiCallObserver {
  onCall(call: ApiCallRecord): void;
  /** Answers (1 when not given) that arrived but held values that had to be dropped or reported as unknown. */
  onInvalidAnswer(action: string, answers?: number): void;
  /** Values from the cloud left out to bound the series. */
  onDropped?(reason: DropReason, count: number): void;
}

export interface ApiCallRecord {
  action: string;
  durationSeconds: number;
  /** Unix ms by the exporter's clock when the rate limiter let this attempt go; it leaves at once. */
  grantedAt: number;
  /** The cloud's error code, or one of ours (timeout, network, invalid_response, http_NNN); absent on success. */
  errorCode?: string;
}

/**
 * Makes one API call; must throw ApiError on failure. The signal ends the attempt (timeout, deadline,
 * shutdown). The client notes in `trace` what it learnt of the exchange, for the refresh's debug log.
 */
export type ApiCall<T> = (signal: AbortSignal, trace: CallTrace) => Promise<T>;

/** What one attempt's HTTP exchange told, as far as the client got (never a secret). */
export interface CallTrace {
  /** The HTTP status of the answer, when one arrived. */
  httpStatus?: number;
  /** The cloud's RequestId of the answer (success or error), for its support. */
  requestId?: string;
}

/** A RequestId as the cloud sent it, made safe to show: one line of printable ASCII, not overlong. */
export function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value === 'undefined') return undefined;
  return boundedToken(value, MAX_REQUEST_ID_CHARS);
}

export interface FetchContext<S> {
  /** Aborted when the whole refresh must stop (shutdown). */
  signal: AbortSignal;
  /**
   * Runs one API call under the account's rate limit, concurrency bound, per-call timeout and retry
   * policy, and counts it. Sources make every cloud call through this; it rethrows the final ApiError.
   */
  invoke<T>(action: string, call: ApiCall<T>): Promise<T>;
  /** The last snapshot of this account, so a source can carry over items whose refresh failed. */
  previous?: S;
  /** Unix ms: items fetched before this are too stale to carry over (cache.max_stale). */
  staleBefore: number;
  /** The collector's clock (Unix ms): what a source times its own state by, such as when a role's keys are renewed. */
  now(): number;
  /**
   * Makes a partial snapshot visible while a long refresh goes on (rolling refresh of a large
   * fleet), so each item's data is served as soon as it is fetched.
   */
  publish(partial: S): void;
  /** Tells how far a long refresh has got, in the source's own items (servers, scans). */
  progress?(done: number, total: number): void;
}

export interface Source<S extends Snapshot> {
  readonly provider: Provider;
  readonly account: string;
  /** Throws ApiError when nothing usable could be fetched. */
  fetch(context: FetchContext<S>): Promise<S>;
}

/** What every cloud's snapshot holds; each cloud's own type (in its folder) adds its items. */
export interface Snapshot {
  provider: Provider;
  account: string;
  /** Unix time in milliseconds when the refresh that produced this snapshot finished. */
  takenAt: number;
  /** Errors of single calls that did not fail the whole refresh; any error marks the account down. */
  errors: ApiError[];
  /** Odd values the cloud sent that were mapped to `unknown` or left out, one per kind; each answer that held any is counted as invalid_response. */
  warnings: AnswerWarning[];
  /**
   * Optional parts of the account's data turned off because the cloud refused their action for lack
   * of permission (sources/kit/optional-feature.ts): the account is still up, the part is missing.
   */
  featuresOff?: readonly FeatureOff[];
}

/** An optional part of an account's data, off because the principal's policy does not allow its action. */
export interface FeatureOff {
  /** The API action refused. */
  action: string;
  /** What the part is, in words, e.g. "the hosts of each scan task". */
  feature: string;
  /** The permission to add to the principal's policy, e.g. cwp:DescribeScanTaskDetails. */
  permission: string;
  /** The cloud's code of the refusal, and the request id of the last one. */
  code: string;
  requestId?: string;
  /** Unix ms: off since; when its action is tried again. */
  since: number;
  retryAt: number;
}

/** Odd values of one kind that a refresh's answers held (sources/kit/answer-warnings.ts folds them). */
export interface AnswerWarning {
  /** The API action whose answers held the odd values. */
  action: string;
  /** What is odd, naming no item and quoting no value, e.g. "HostName is not a plain name": one warning per kind and refresh. */
  kind: string;
  /** The first such value, in words: the account's item and the field, e.g. "DescribeScanState Vul: unknown ScanState 7, ...". */
  message: string;
  /** How many values of this kind the refresh found. */
  count: number;
  /**
   * The answers whose first odd value was of this kind: summed over an action's warnings, the answers
   * of that action that held any, which cloudscan_api_errors_total{code="invalid_response"} counts.
   */
  answers: number;
  /** Values left out to bound the series (see labels.ts), counted in cloudscan_dropped_series_total. */
  dropped?: { reason: DropReason; count: number };
}

/** Why cloud-provided values were left out of the exposition. */
export type DropReason = 'subtasks' | 'hosts' | 'error_code' | (string & {});

// ---- Errors -------------------------------------------------------------------------------------

/**
 * What each kind of failed call means (the `class` of cloudscan_last_refresh_error, docs/metrics.md).
 * `config`: the call could not be made as configured (a credential a header cannot carry); never retried.
 */
export const API_ERROR_KINDS = {
  auth: 'the cloud refused the credentials or the role, or the action for lack of permission',
  throttled: "the cloud's rate limit, after the retries",
  server: 'a server error of the cloud, 5xx or InternalError, after the retries',
  network: 'no connection, or one cut off, after the retries',
  timeout: 'no answer within request_timeout',
  invalid_response: 'an answer that is not what the API documents, or too large',
  client: 'another error of the request (a parameter, a resource)',
  config: 'the call could not be made as configured (a credential a header cannot carry)',
  canceled: 'stopped by a reload or shutdown',
} as const;

export type ApiErrorKind = keyof typeof API_ERROR_KINDS;

/**
 * A failed API call, classified. `message` never contains a secret. Every error of a cloud call
 * becomes one, so this is where the cloud's texts are bounded (base/cloud-text.ts): the message,
 * the code and the request id are kept at most a few hundred characters, whatever the cloud sent.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** The cloud's error code, or timeout, network, invalid_response, http_NNN. */
  readonly code: string;
  readonly requestId?: string;

  constructor(
    readonly provider: Provider,
    readonly action: string,
    code: string,
    readonly kind: ApiErrorKind,
    message: string,
    requestId?: string,
    /** `cause`: what the SDK threw, as base/error-chain.ts's scrubbedChain copies it (no secret, bounded). */
    options?: ErrorOptions,
  ) {
    super(boundedText(message, MAX_MESSAGE_CHARS), options);
    this.code = boundedToken(code, MAX_CODE_CHARS);
    if (requestId !== undefined) this.requestId = boundedToken(requestId, MAX_REQUEST_ID_CHARS);
  }

  /** Throttling, 5xx and network errors may succeed when tried again; auth and parameter errors never do. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'server' || this.kind === 'network';
  }
}

// ---- Organizations ------------------------------------------------------------------------------

/** One member account of an organization (resource directory), as its cloud lists it. */
export interface Member {
  /** The member's id in its cloud (Tencent's uin, Alibaba's account id): its account label, stable. */
  id: string;
  /** Its display name, shown in cloudscan_account_info; may change without the account changing. */
  name: string;
}

/**
 * Why a listed member is not read as an account: its account does not exist (Resource Manager's
 * Status), Security Center does not monitor it (and so answers nothing about it through the
 * management account), its id is not of the cloud's form, or include/exclude leave it out.
 */
export const SKIP_REASONS = ['inactive', 'not_monitored', 'invalid_id', 'excluded'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A listed member that is not read, and why. */
export interface SkippedMember {
  /** Its id as the cloud sent it, cut to a length that is safe to show (an invalid id may be any text). */
  id: string;
  name: string;
  reason: SkipReason;
  /** What the cloud said of it, e.g. "Status CreateVerifying". */
  detail: string;
}

/** One listing: the members to read as accounts, those listed but not read, and odd values in the answers. */
export interface MemberListing {
  /** Members whose ids have the cloud's form, in list order, each once. */
  members: Member[];
  skipped: SkippedMember[];
  /** Odd answers (ids refused, a Total lower than the members listed): each logged and counted as invalid_response. */
  warnings: AnswerWarning[];
  /** What a person can do about the members skipped for a reason (the status page says it). */
  fixes: Partial<Record<SkipReason, string>>;
  /** Calls that failed without failing the listing, and what the listing did instead (logged). */
  partial: Array<{ error: ApiError; instead: string }>;
}

/** Lists an organization's members. The exporter runs it on the organization's own interval. */
export interface MemberSource {
  readonly provider: Provider;
  /** The organization's configured name: the account label its listing calls are counted under. */
  readonly organization: string;
  /** Every member, page by page, each call made through `invoke`; throws ApiError when the list could not be read whole. */
  list(invoke: FetchContext<Snapshot>['invoke'], signal: AbortSignal): Promise<MemberListing>;
}
