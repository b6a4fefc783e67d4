// Real time that a test can jump forward: sleeps are real (rate limits, backoff and timeouts run as
// they do in production), but `skip` moves now() past an interval at once, without waiting for it.
import { systemClock, type Clock } from '../../src/collect/clock.js';

export class OffsetClock implements Clock {
  #offset = 0;

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }

  /** Jumps now() forward by `ms`. */
  skip(ms: number): void {
    this.#offset += ms;
  }
}
