// The per-action rate limiter. Hand-written rather than taken from a rate-limit library for a
// measured reason: a bucket one token deep, its calls spaced 5% wider than 1/rate on the injected
// Clock, keeps every sliding second at or under the cloud's limit (bench part 2 in
// docs/benchmarks.md: peak calls in 1 s / limit = 1.00 and 0.96), where a bucket as deep as the
// rate lets twice the rate across a window edge and exact 1/rate spacing let 11 calls into one
// second at a limit of 10.
import type { Clock } from './clock.js';

/**
 * Jitter between a call leaving the exporter and the cloud counting it. Calls are spaced as if the
 * second were this much longer, so up to 50 ms of jitter still keeps every cloud-side second
 * within the limit (measured at the emulator: exact 1/rate spacing let 11 calls into one second at
 * a limit of 10).
 */
const RATE_MARGIN = 0.05;

/**
 * A token bucket refilled at `ratePerSecond / (1 + RATE_MARGIN)` that holds at most one token:
 * calls are spaced apart, so no sliding 1-second window ever sees more than `ratePerSecond` of
 * them (a bucket as deep as the rate would allow a burst of twice the rate across a window edge,
 * and the clouds count in sliding windows too). Waiters are served in order.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<unknown> = Promise.resolve();
  #ratePerSecond: number;
  #refillPerSecond: number;

  constructor(
    ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.#ratePerSecond = ratePerSecond;
    this.#refillPerSecond = ratePerSecond / (1 + RATE_MARGIN);
    this.#tokens = 1;
    this.#updatedAt = clock.now();
  }

  get ratePerSecond(): number {
    return this.#ratePerSecond;
  }

  /** Runs at another rate from now on (a bucket shared by accounts runs at the lowest of theirs). */
  setRate(ratePerSecond: number): void {
    if (ratePerSecond === this.#ratePerSecond) return;
    this.#refill();
    this.#ratePerSecond = ratePerSecond;
    this.#refillPerSecond = ratePerSecond / (1 + RATE_MARGIN);
  }

  /** Waits for a token and resolves with the clock's time it was granted at; rejects if the signal aborts first (the token is then not taken). */
  take(signal?: AbortSignal): Promise<number> {
    const turn = this.#queue.then(() => this.#takeInTurn(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #takeInTurn(signal?: AbortSignal): Promise<number> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return this.#updatedAt;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#refillPerSecond) * 1000);
      await this.clock.sleep(waitMs, signal);
    }
  }

  #refill(): void {
    const now = this.clock.now();
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#refillPerSecond);
    this.#updatedAt = now;
  }
}
