// The plain data a source hands to the rest of the exporter. A source knows its cloud and
// nothing of Prometheus; the metrics module turns these snapshots into series.

export type Provider = 'tencent' | 'alibaba';

/** Told of every API attempt (retries included) so that the exporter can count calls and errors. */
export interface ApiCallObserver {
  onCall(call: ApiCallRecord): void;
  /** An answer that arrived but held values that had to be dropped or reported as unknown. */
  onInvalidAnswer(action: string): void;
  /** Values from the cloud left out to bound the series. */
  onDropped?(reason: DropReason, count: number): void;
}

export interface ApiCallRecord {
  action: string;
  /** Unix ms by the exporter's clock when the call left, right after its rate-limit token. */
  startedAt: number;
  durationSeconds: number;
  /** The cloud's error code, or one of ours (timeout, network, invalid_response, http_NNN); absent on success. */
  errorCode?: string;
}

/** Makes one API call; must throw ApiError on failure. The signal ends the attempt (timeout, deadline, shutdown). */
export type ApiCall<T> = (signal: AbortSignal) => Promise<T>;

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

export interface SnapshotBase {
  account: string;
  /** Unix time in milliseconds when the refresh that produced this snapshot finished. */
  takenAt: number;
  /** Errors of single calls that did not fail the whole refresh; any error marks the account down. */
  errors: ApiError[];
  /** Odd values the cloud sent that were mapped to `unknown` or left out; each is counted as invalid_response. */
  warnings: AnswerWarning[];
}

export interface AnswerWarning {
  /** The API action whose answer held the odd value. */
  action: string;
  /** Names the account's item and the field, e.g. "DescribeScanState Vul: unknown ScanState 7, ...". */
  message: string;
  /** Values left out to bound the series (see labels.ts), counted in cloudscan_dropped_series_total. */
  dropped?: { reason: DropReason; count: number };
}

/** Why cloud-provided values were left out of the exposition. */
export type DropReason = 'subtasks' | 'error_code';

// ---- Tencent Cloud CWP ----------------------------------------------------------------------

export const CWP_MODULES = ['Malware', 'Vul', 'Baseline'] as const;
export type CwpModule = (typeof CWP_MODULES)[number];

/** ScanState 0..4 of DescribeScanState, in code order. */
export const CWP_SCAN_STATES = ['never_scanned', 'scanning', 'completed', 'stopping', 'stopped'] as const;
export type CwpScanState = (typeof CWP_SCAN_STATES)[number] | 'unknown';

/** Type 0..1 of DescribeScanState, in code order. */
export const CWP_TRIGGERS = ['one_click', 'scheduled'] as const;
export type CwpTrigger = (typeof CWP_TRIGGERS)[number] | 'unknown';

export interface CwpScanStatus {
  module: CwpModule;
  /** Baseline strategy id; "" for Malware and Vul. */
  strategyId: string;
  strategyName: string;
  state: CwpScanState;
  /** Schedule / 100; null when the API sent none. */
  progressRatio: number | null;
  riskEventCount: number | null;
  /** Number of VulId entries; null when VulId was null. */
  vulnerabilityCount: number | null;
  /** Unix seconds; null when absent or unparsable. */
  startTime: number | null;
  endTime: number | null;
  /** Decimal string; big integers keep their digits. "" when absent. */
  taskId: string;
  trigger: CwpTrigger;
}

export interface TencentSnapshot extends SnapshotBase {
  provider: 'tencent';
  scans: CwpScanStatus[];
}

// ---- Alibaba Cloud Security Center (SAS) --------------------------------------------------------

export const SAS_VUL_TYPES = ['cve', 'sys', 'cms', 'sca'] as const;
export type SasVulType = (typeof SAS_VUL_TYPES)[number];

/** Status "0".."4" of DescribeVulCheckTaskStatusDetail, in code order. */
export const SAS_SUBTASK_STATES = ['unhandled', 'collecting', 'collected', 'matching', 'complete'] as const;
export type SasSubtaskState = (typeof SAS_SUBTASK_STATES)[number] | 'unknown';

export interface SasSubtaskStatus {
  taskId: string;
  /** cve, sys, cms, sca, or whatever else the API sent. */
  type: string;
  state: SasSubtaskState;
  /** Failure code; "" when the API sent none. */
  code: string;
}

export interface SasServerStatus {
  uuid: string;
  instanceName: string;
  /** TotalCount; null when absent. */
  taskCount: number | null;
  subtasks: SasSubtaskStatus[];
  /** Unix ms when this server's status was fetched (older than the snapshot when carried over). */
  fetchedAt: number;
}

export interface AlibabaSnapshot extends SnapshotBase {
  provider: 'alibaba';
  servers: SasServerStatus[];
}

export type Snapshot = TencentSnapshot | AlibabaSnapshot;

// ---- Errors -------------------------------------------------------------------------------------

export type ApiErrorKind = 'auth' | 'throttled' | 'server' | 'network' | 'timeout' | 'invalid_response' | 'client' | 'canceled';

/** A failed API call, classified. `message` never contains a secret. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly provider: Provider,
    readonly action: string,
    /** The cloud's error code, or timeout, network, invalid_response, http_NNN. */
    readonly code: string,
    readonly kind: ApiErrorKind,
    message: string,
    readonly requestId?: string,
    /** `cause`: what the SDK threw, as shared/error-chain.ts's scrubbedChain copies it (no secret). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Throttling, 5xx and network errors may succeed when tried again; auth and parameter errors never do. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'server' || this.kind === 'network';
  }
}
