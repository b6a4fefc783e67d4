// Soak: live heap of the exporter after many cloud calls against after fewer. The exporter runs in
// a child process (bench/soak-child.ts, with --expose-gc so each reading follows a full GC); the
// emulator runs here, in this process, so its call log is not in the heap being measured.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/server.js';
import { generatedServer } from '../src/emulator/alibaba/fleet.js';
import type { SoakMessage, SoakRequest } from './soak-child.js';

const KEYS = { accessKeyId: 'LTAI5tBenchSoak000001', accessKeySecret: 'bench-only-secret-0000000000000004' };
const childScript = join(fileURLToPath(new URL('.', import.meta.url)), 'soak-child.js');

export interface SoakOptions {
  /** Servers per refresh: each refresh makes exactly this many DescribeVulCheckTaskStatusDetail calls. */
  servers: number;
  /** Exporter accounts refreshed side by side (each with its own limiter). */
  accounts: number;
  /** The account's rate_limit: raised far above the clouds' so a million calls take minutes. */
  rateLimit: number;
  checkpoints: number[];
  snapshotsAt?: number[];
  snapshotDir?: string;
  /** Gives up (kills the child) after this long. */
  timeLimitMs: number;
}

export interface SoakResult {
  heap: Array<{ calls: number; heapUsed: number; heapTotal: number; external: number; rss: number; seconds: number }>;
  snapshots: Array<{ calls: number; file: string }>;
  /** Calls the emulator answered, counted there. */
  emulatorCalls: number;
  seconds: number;
  finished: boolean;
}

export async function soak(options: SoakOptions): Promise<SoakResult> {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'soak', ...KEYS, fleetSize: options.servers, tasksPerServer: 1, types: ['cve'], cycleSeconds: 3600 });
  const uuids = Array.from({ length: options.servers }, (_, i) => generatedServer('soak', i).uuid);
  // The call log would grow by a record per call for a million calls: count and clear it as we go.
  let emulatorCalls = 0;
  const drainLog = setInterval(() => {
    emulatorCalls += emulator.calls.count();
    emulator.calls.clear();
  }, 1000);
  const child = fork(childScript, [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result: SoakResult = { heap: [], snapshots: [], emulatorCalls: 0, seconds: 0, finished: false };
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const limit = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, options.timeLimitMs);
      child.on('message', (message: SoakMessage) => {
        if (message.kind === 'heap') result.heap.push(message);
        if (message.kind === 'snapshot') result.snapshots.push(message);
        if (message.kind === 'done') result.finished = true;
      });
      child.once('exit', (code) => {
        clearTimeout(limit);
        if (code !== 0 && code !== null) reject(new Error(`soak child exited with ${code}`));
        else resolve();
      });
      const request: SoakRequest = {
        emulatorPort: emulator.port,
        ...KEYS,
        uuids,
        accounts: options.accounts,
        rateLimit: options.rateLimit,
        checkpoints: options.checkpoints,
        snapshotsAt: options.snapshotsAt ?? [],
        ...(options.snapshotDir ? { snapshotDir: options.snapshotDir } : {}),
      };
      child.send(request);
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    clearInterval(drainLog);
    emulatorCalls += emulator.calls.count();
    await emulator.close();
  }
  result.emulatorCalls = emulatorCalls;
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
