// Every API call the emulator received, so tests and the benchmark can count calls and rates.
import type { Provider } from '../sources/types.js';

export interface CallRecord {
  provider: Provider;
  /** Emulated account name, or "" when the key matched no account. */
  account: string;
  action: string;
  /** Unix ms, by the emulator's clock. */
  at: number;
  /** The RequestId the emulator answered with (a pinned answer may carry its own). */
  requestId?: string;
  /** The request's parameters, where a cloud sends them apart from its signature (Alibaba's RPC query). */
  params?: Record<string, string>;
}

export interface CallFilter {
  provider?: Provider | undefined;
  account?: string | undefined;
  action?: string | undefined;
}

export class CallLog {
  #records: CallRecord[] = [];

  record(call: CallRecord): void {
    this.#records.push(call);
  }

  clear(): void {
    this.#records = [];
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.#records.filter(
      (r) =>
        (filter.provider === undefined || r.provider === filter.provider) &&
        (filter.account === undefined || r.account === filter.account) &&
        (filter.action === undefined || r.action === filter.action),
    );
  }

  count(filter: CallFilter = {}): number {
    return this.list(filter).length;
  }

  /** The most calls that fell in any 1-second window (sliding, not aligned to whole seconds). */
  peakPerSecond(filter: CallFilter = {}): number {
    const times = this.list(filter)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    let peak = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }
}
