// Backpressure with a bound: an answer's next piece waits until its client has taken the last one, and
// a client that takes nothing for WRITE_STALL_MS is dropped (one that sends requests and never reads
// would otherwise hold its answer's memory for ever). Taking is what left the socket's buffer, so a
// slow client that keeps reading a large piece is never dropped, however long the piece takes.

/** A client that takes nothing of its answer for this long is dropped. */
export const WRITE_STALL_MS = 30_000;

/** What of an HTTP answer the wait reads: its socket's buffer, its events, and how it is dropped. */
export interface StallableAnswer {
  readonly socket: { readonly writableLength: number } | null;
  destroy(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Resolves when `res` can take more, or is closed; closes it when its client takes nothing for `stallMs`. */
/** How the wait meets time: a timer, and a turn after the I/O already due (the event loop's, unless a test's). */
export interface StallTimers {
  after(ms: number, run: () => void): { cancel(): void };
  afterIo(run: () => void): void;
}

const LOOP_TIMERS: StallTimers = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  afterIo: (run) => void setImmediate(run),
};

export function drained(res: StallableAnswer, stallMs = WRITE_STALL_MS, timers: StallTimers = LOOP_TIMERS): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: { cancel(): void } | undefined;
    let buffered = res.socket?.writableLength ?? 0;
    const done = () => {
      settled = true;
      timer?.cancel();
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    const arm = () => {
      timer = timers.after(stallMs, () => {
        // Timers run before the I/O a blocked event loop owes: judge once that I/O has run.
        timers.afterIo(() => {
          if (settled) return;
          const now = res.socket?.writableLength ?? 0;
          if (now < buffered) {
            buffered = now;
            arm();
            return;
          }
          res.destroy();
          done();
        });
      });
    };
    arm();
    res.once('drain', done);
    res.once('close', done);
  });
}
