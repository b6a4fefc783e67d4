/** Time source of the collect layer; tests pass a fake one. */
export interface Clock {
  /** Unix ms. */
  now(): number;
  /** Resolves after ms, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Waits for `work`, but no longer than until `deadline` or `stop`; never rejects. */
export async function untilDeadline(work: Promise<void>, deadline: number, clock: Clock, stop: AbortSignal): Promise<void> {
  const remaining = deadline - clock.now();
  if (remaining <= 0 || stop.aborted) return;
  // One controller per wait, tied to `stop` by a listener removed afterwards: AbortSignal.any()
  // over the collector's long-lived stop signal retains every composite on Node 20 (nodejs/node#55351).
  const timer = new AbortController();
  const onStop = () => timer.abort();
  stop.addEventListener('abort', onStop, { once: true });
  const timeout = clock.sleep(remaining, timer.signal).catch(() => undefined);
  try {
    await Promise.race([work, timeout]);
  } finally {
    stop.removeEventListener('abort', onStop);
    timer.abort();
  }
}
