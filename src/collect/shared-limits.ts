// Rate limits as the clouds count them: per signing principal and API action, whichever account's
// data a call reads. Every account whose calls one principal signs (an organization's management key
// assuming each member's role, or reading every member's Security Center with
// ResourceDirectoryAccountId) takes its tokens from that principal's one bucket per action, so that
// together they stay within the limit; a member role's temporary keys are the member's own principal.
// A bucket lives while an account holds it, so members that come and go leave nothing behind.
import { CallRate } from './call-rate.js';
import type { Clock } from './clock.js';
import { TokenBucket } from './token-bucket.js';

/** Where an invoker takes a call's token: resolves with the clock's time it was granted at. */
export interface Limiter {
  take(signal?: AbortSignal): Promise<number>;
}

/** The limiters one account takes its calls' tokens from, by action. */
export interface AccountLimits {
  limiter(action: string): Limiter;
  /** The account is gone: its holds end, and a bucket no account holds any more is dropped. */
  release(): void;
}

interface Shared {
  bucket: TokenBucket;
  /** Each holding account's rate: the bucket runs at the lowest, so no holder's limit is exceeded. */
  holders: Map<number, number>;
}

/** One principal's calls of each action in the last minute, for the status page. */
interface PrincipalCalls {
  action: string;
  calls: number;
  /** The rate its bucket runs at, per second. */
  ratePerSecond: number;
}

export class SharedLimits {
  readonly #shared = new Map<string, Shared>();
  /** Per principal: its calls per action over the last minute, and how many buckets it holds. */
  readonly #principals = new Map<string, { rate: CallRate; buckets: number }>();
  #holders = 0;

  constructor(private readonly clock: Clock) {}

  /**
   * The limits of one account whose calls of `action` are signed by `signerOf(action)` (an opaque,
   * non-secret identity), each bucket at `ratePerSecond` or the lower rate of another holder.
   */
  forAccount(signerOf: (action: string) => string, ratePerSecond: number): AccountLimits {
    const holder = ++this.#holders;
    const held = new Map<string, { key: string; limiter: Limiter }>();
    return {
      limiter: (action) => {
        let entry = held.get(action);
        if (!entry) {
          const principal = signerOf(action);
          const key = `${principal}\u0000${action}`;
          entry = { key, limiter: this.#hold(key, principal, action, holder, ratePerSecond) };
          held.set(action, entry);
        }
        return entry.limiter;
      },
      release: () => {
        for (const { key } of held.values()) this.#release(key, holder);
        held.clear();
      },
    };
  }

  /** The principal's calls of each action started in the last minute, busiest first (empty when it holds no bucket). */
  callsInLastMinute(principal: string): PrincipalCalls[] {
    const entry = this.#principals.get(principal);
    if (!entry) return [];
    return entry.rate.lastMinute(this.clock.now()).map(({ action, calls }) => ({
      action,
      calls,
      ratePerSecond: this.#shared.get(`${principal}\u0000${action}`)?.bucket.ratePerSecond ?? 0,
    }));
  }

  /** Buckets held now (tests: none are left behind by accounts that are gone). */
  get size(): number {
    return this.#shared.size;
  }

  #hold(key: string, principal: string, action: string, holder: number, ratePerSecond: number): Limiter {
    let shared = this.#shared.get(key);
    if (!shared) {
      shared = { bucket: new TokenBucket(ratePerSecond, this.clock), holders: new Map() };
      this.#shared.set(key, shared);
      const calls = this.#principals.get(principal) ?? { rate: new CallRate(), buckets: 0 };
      calls.buckets++;
      this.#principals.set(principal, calls);
    }
    shared.holders.set(holder, ratePerSecond);
    if (ratePerSecond < shared.bucket.ratePerSecond) shared.bucket.setRate(ratePerSecond);
    const { bucket } = shared;
    const rate = this.#principals.get(principal)!.rate;
    return {
      take: async (signal) => {
        const grantedAt = await bucket.take(signal);
        rate.record(action, grantedAt);
        return grantedAt;
      },
    };
  }

  #release(key: string, holder: number): void {
    const shared = this.#shared.get(key);
    if (!shared) return;
    const rate = shared.holders.get(holder);
    shared.holders.delete(holder);
    if (shared.holders.size > 0) {
      // Only the holder of the lowest rate leaving can raise it (members of one organization share one rate).
      if (rate === shared.bucket.ratePerSecond) shared.bucket.setRate(lowest(shared.holders.values()));
      return;
    }
    this.#shared.delete(key);
    const principal = key.slice(0, key.indexOf('\u0000'));
    const calls = this.#principals.get(principal);
    if (calls && --calls.buckets === 0) this.#principals.delete(principal);
  }
}

function lowest(rates: Iterable<number>): number {
  let min = Infinity;
  for (const rate of rates) if (rate < min) min = rate;
  return min;
}
