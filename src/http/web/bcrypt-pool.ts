// A small pool of worker threads that run bcrypt checks (bcrypt-worker.ts), one job per worker at
// a time, in arrival order. The main thread never runs bcrypt. Workers are made on first use,
// do not keep the process alive, and are replaced when one dies (its job answers "no match").
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompareJob } from './bcrypt-worker.js';

interface Job extends CompareJob {
  resolve: (match: boolean) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/** Leaves a core for the event loop on small machines; more workers than 4 buy nothing here. */
const DEFAULT_POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));

class BcryptWorkerPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #closed = false;

  constructor(readonly size: number = DEFAULT_POOL_SIZE) {}

  /** bcrypt's compare, in a worker thread. Never rejects: any failure is "no match". */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#queue.push({ password, hash, resolve });
      this.#drain();
    });
  }

  /** Checks waiting for a worker plus checks running. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((slot) => slot.job !== undefined).length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve(false);
    await Promise.all(
      this.#slots.splice(0).map(async (slot) => {
        slot.job?.resolve(false);
        await slot.worker.terminate();
      }),
    );
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((candidate) => candidate.job === undefined) ?? this.#spawn();
      if (slot === undefined) return;
      const job = this.#queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.postMessage({ password: job.password, hash: job.hash } satisfies CompareJob);
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.size) return undefined;
    const worker = new Worker(new URL('./bcrypt-worker.js', import.meta.url));
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (match: unknown) => {
      const job = slot.job;
      slot.job = undefined;
      job?.resolve(match === true);
      this.#drain();
    });
    const lost = (): void => {
      const index = this.#slots.indexOf(slot);
      if (index < 0) return;
      this.#slots.splice(index, 1);
      slot.job?.resolve(false);
      slot.job = undefined;
      if (!this.#closed) this.#drain();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.#slots.push(slot);
    return slot;
  }
}

let shared: BcryptWorkerPool | undefined;

/** The process-wide pool that the web server's basic auth uses. */
export function sharedBcryptPool(): BcryptWorkerPool {
  shared ??= new BcryptWorkerPool();
  return shared;
}
