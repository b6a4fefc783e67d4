import type { Clock } from './clock.js';

/**
 * A token bucket refilled at `ratePerSecond` that holds at most one token: calls are spaced
 * 1/rate apart, so no sliding 1-second window ever sees more than `ratePerSecond` of them (a
 * bucket as deep as the rate would allow a burst of twice the rate across a window edge, and
 * the clouds count in sliding windows too). Waiters are served in order.
 */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.#tokens = 1;
    this.#updatedAt = clock.now();
  }

  /** Waits for a token; rejects if the signal aborts first (the token is then not taken). */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#takeInTurn(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #takeInTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000);
      await this.clock.sleep(waitMs, signal);
    }
  }

  #refill(): void {
    const now = this.clock.now();
    this.#tokens = Math.min(1, this.#tokens + ((now - this.#updatedAt) / 1000) * this.ratePerSecond);
    this.#updatedAt = now;
  }
}
