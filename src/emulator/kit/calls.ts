// Every API call the emulator received, so tests and the benchmark can count calls and rates.
import type { Provider } from '../../contract/types.js';

export interface CallRecord {
  provider: Provider;
  /** Emulated account name, or "" when the key matched no account. */
  account: string;
  /**
   * The key id that signed the call (SecretId, AccessKeyId, or a role's temporary key id); "" when
   * unsigned. The clouds count their rate limits per signing principal, whoever's data is read.
   */
  principal: string;
  action: string;
  /** Unix ms, by the emulator's clock. */
  at: number;
  /** The RequestId the emulator answered with (a pinned answer may carry its own). */
  requestId?: string;
  /** The request's parameters, where a cloud sends them apart from its signature (Alibaba's RPC query). */
  params?: Record<string, string>;
}

interface CallFilter {
  provider?: Provider | undefined;
  account?: string | undefined;
  action?: string | undefined;
  principal?: string | undefined;
}

/** The busiest second of one signing principal's calls of one action. */
export interface PrincipalPeak {
  provider: Provider;
  principal: string;
  action: string;
  calls: number;
  peakPerSecond: number;
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
        (filter.action === undefined || r.action === filter.action) &&
        (filter.principal === undefined || r.principal === filter.principal),
    );
  }

  count(filter: CallFilter = {}): number {
    return this.list(filter).length;
  }

  /** The most calls that fell in any 1-second window (sliding, not aligned to whole seconds). */
  peakPerSecond(filter: CallFilter = {}): number {
    return peakOf(this.list(filter).map((r) => r.at));
  }

  /** Each signing principal's peak calls per second of each action, busiest first (one pass over the log). */
  peaksByPrincipal(filter: CallFilter = {}): PrincipalPeak[] {
    const groups = new Map<string, { provider: Provider; principal: string; action: string; times: number[] }>();
    for (const record of this.list(filter)) {
      const key = `${record.provider}\u0000${record.principal}\u0000${record.action}`;
      let group = groups.get(key);
      if (!group) {
        group = { provider: record.provider, principal: record.principal, action: record.action, times: [] };
        groups.set(key, group);
      }
      group.times.push(record.at);
    }
    return [...groups.values()]
      .map(({ times, ...group }) => ({ ...group, calls: times.length, peakPerSecond: peakOf(times) }))
      .sort((a, b) => b.peakPerSecond - a.peakPerSecond || b.calls - a.calls);
  }
}

function peakOf(unsorted: number[]): number {
  const times = unsorted.sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
