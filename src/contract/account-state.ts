// What collect knows of an account and how metrics renders it: named by both, so it lives below both
// (collect and metrics never import each other).
import type { ApiError, Provider, Snapshot } from './types.js';
import type { Family, SampleBlock } from './series.js';

/** What the exporter knows of one account right now. */
export interface AccountState<S extends Snapshot = Snapshot> {
  provider: Provider;
  account: string;
  /** The last good snapshot, unless it has grown older than max_stale. */
  snapshot: S | undefined;
  /** Unix ms by the exporter's clock when the snapshot arrived (a refresh ended, or published its part): how old the data is. */
  snapshotAt?: number;
  /** The last refresh finished without any error. */
  up: boolean;
  /** Unix ms of the last refresh that fetched data. */
  lastSuccessAt: number | undefined;
  lastDurationSeconds: number | undefined;
  lastError: ApiError | undefined;
  /** Unix ms: the start of the first failed refresh since the last one without errors; absent while none failed. */
  failingSince?: number;
  /** The running refresh, or undefined when none runs. */
  refresh: RefreshProgress | undefined;
  /** Calls of the last finished refresh (retries included) and those that failed in the end. */
  lastRefreshCalls: RefreshCalls | undefined;
  /** Per API action called so far: whether its calls in the last refresh that made any all succeeded. */
  actions?: Readonly<Record<string, boolean>>;
  /** Changes whenever anything above but `refresh` changes, so renderers can skip unchanged accounts. */
  version: number;
}

export interface RefreshProgress {
  /** Unix ms. */
  startedAt: number;
  /** Items done and planned, as the source reports them; total 0 until it knows. */
  done: number;
  total: number;
}

export interface RefreshCalls {
  calls: number;
  failed: number;
}

/** How an account's snapshot becomes series: its cloud's renderer, set up as the account's configuration asks. */
export interface SnapshotRenderer {
  /** Every family the renderer may produce, in exposition order. */
  readonly families: readonly Family[];
  /** The snapshot's samples in blocks (see SampleBlock: blocks of unchanged items are not rendered again). */
  blocks(snapshot: Snapshot): SampleBlock[];
}
