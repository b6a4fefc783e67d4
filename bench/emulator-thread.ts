// The emulator on a thread of its own, for benchmarks that measure what the cloud sees: in the
// benchmark's own thread, the emulator stamps a call's arrival only when that thread is free, and
// the benchmark's own work (reading a /metrics answer of 10,000 accounts) stalls it for hundreds of
// milliseconds, so calls sent apart would be counted as arriving together. The benchmark drives it
// by messages: a call of an emulator method by its path (e.g. "tencent.organizations.set").
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startEmulator, type Emulator } from '../src/emulator/server.js';

/** One emulator method call: its path from the Emulator object, and its arguments (structured-cloneable). */
export interface EmulatorCall {
  path: string;
  args: unknown[];
}

export interface EmulatorThread {
  url: string;
  /** Calls the methods in order, on the emulator's thread; resolves with the last one's result. */
  run<T = unknown>(...calls: EmulatorCall[]): Promise<T>;
  close(): Promise<void>;
}

export async function startEmulatorThread(): Promise<EmulatorThread> {
  const worker = new Worker(new URL(import.meta.url));
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  const run = <T>(...calls: EmulatorCall[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, calls });
    });
  const url = await run<string>({ path: 'url', args: [] });
  return {
    url,
    run,
    async close() {
      await run({ path: 'close', args: [] });
      await worker.terminate();
    },
  };
}

/** The emulator's side: each message's calls applied to the emulator, the last result sent back. */
async function serve(): Promise<void> {
  const emulator: Emulator = await startEmulator();
  parentPort!.on('message', async ({ id, calls }: { id: number; calls: EmulatorCall[] }) => {
    try {
      let result: unknown;
      for (const { path, args } of calls) {
        if (path === 'url') {
          result = emulator.url;
          continue;
        }
        const parts = path.split('.');
        const method = parts.pop()!;
        const target = parts.reduce<Record<string, unknown>>(
          (object, key) => object[key] as Record<string, unknown>,
          emulator as unknown as Record<string, unknown>,
        );
        result = await (target[method] as (...values: unknown[]) => unknown).apply(target, args);
      }
      parentPort!.postMessage({ id, result });
    } catch (error) {
      parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
}

if (!isMainThread) void serve();
