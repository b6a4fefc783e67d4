// The exporter as users run it: the real CLI process, one Alibaba account against the emulator
// (which runs in the benchmark's process), scraped over real HTTP on 127.0.0.1. Plus what can be
// read of that process from outside: CPU time and resident memory from /proc.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { get } from './latency.js';

const KEYS = { accessKeyId: 'LTAI5tBenchCli0000001', accessKeySecret: 'bench-only-secret-0000000000000005' };

export interface CliFleetOptions {
  servers: number;
  rateLimit: number;
  ttl: string;
  perServerSeries: boolean;
  /** scrape.timeout: how long a scrape of an account without data may wait (default the exporter's). */
  scrapeTimeout?: string;
}

export interface CliFleet {
  emulator: Emulator;
  url: string;
  pid: number;
  output: () => string;
  close(): Promise<void>;
}

/** The emulator with a fleet of `servers`, and the CLI exporter configured for it, listening and ready. */
export async function startCliFleet(options: CliFleetOptions): Promise<CliFleet> {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'fleet', ...KEYS, fleetSize: options.servers, tasksPerServer: 2, cycleSeconds: 3600 });
  const config = [
    `cache: { ttl: ${options.ttl}, max_stale: 2h }`,
    ...(options.scrapeTimeout ? [`scrape: { timeout: ${options.scrapeTimeout} }`] : []),
    'alibaba:',
    '  - name: fleet',
    '    credentials:',
    '      access_key_id: "${BENCH_AK_ID}"',
    '      access_key_secret: "${BENCH_AK_SECRET}"',
    '    region: cn-shanghai',
    `    endpoint: ${emulator.url}`,
    `    rate_limit: ${options.rateLimit}`,
    '    request_timeout: 30s',
    `    per_server_series: ${options.perServerSeries}`,
    '',
  ].join('\n');
  return startCli(emulator, config, { env: { BENCH_AK_ID: KEYS.accessKeyId, BENCH_AK_SECRET: KEYS.accessKeySecret } });
}

/**
 * The CLI exporter with this configuration text (and files beside it), against `emulator`, listening
 * and ready; closing it stops both. Logs at --log.level=error unless `flags` say otherwise.
 */
export async function startCli(
  emulator: Emulator,
  config: string,
  options: { env?: NodeJS.ProcessEnv; flags?: string[]; files?: Record<string, string | Buffer> } = {},
): Promise<CliFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-'));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  const file = join(dir, 'config.yaml');
  writeFileSync(file, config);
  const port = await freePort();
  const flags = options.flags ?? [];
  const exporter = start(
    process.execPath,
    [
      ...mainNodeFlags,
      distMain,
      `--config.file=${file}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(flags.some((f) => f.startsWith('--log.level=')) ? [] : ['--log.level=error']),
      ...flags,
    ],
    { env: { ...process.env, ...options.env } },
  );
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('the exporter to listen', async () => ((await get(`${url}/-/ready`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      describe: exporter.output,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { emulator, url, pid: exporter.child.pid!, output: exporter.output, close };
}

/** Full refreshes the emulator has answered so far (per-server calls / servers). */
export function fullRefreshes(emulator: Emulator, servers: number): number {
  return Math.floor(emulator.calls.count({ action: 'DescribeVulCheckTaskStatusDetail' }) / servers);
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat; 10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export interface Scrape {
  status: number;
  ms: number;
  /** Body bytes as they came over the wire (compressed when Content-Encoding says so). */
  bytes: number;
  contentEncoding: string;
  body?: Buffer;
}

/**
 * One GET as Prometheus sends it (its scrape-timeout header, optionally Accept-Encoding: gzip), on a
 * new connection, given up after `giveUpMs`: a scrape that has not answered by then counts as that long.
 */
export function scrape(
  url: string,
  options: { timeoutSeconds: number; gzip?: boolean; keepBody?: boolean; giveUpMs?: number },
): Promise<Scrape> {
  const headers: Record<string, string> = { 'X-Prometheus-Scrape-Timeout-Seconds': String(options.timeoutSeconds) };
  headers['Accept-Encoding'] = options.gzip ? 'gzip' : 'identity';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (options.keepBody) chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          bytes,
          contentEncoding: String(res.headers['content-encoding'] ?? 'identity'),
          ...(options.keepBody ? { body: Buffer.concat(chunks) } : {}),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(options.giveUpMs ?? (options.timeoutSeconds + 5) * 1000, () => {
      req.destroy();
      resolve({ status: 0, ms: performance.now() - started, bytes: 0, contentEncoding: 'none' });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Scrapes until the exporter reports a finished refresh (cloudscan_collect_duration_seconds is set
 * when one ends), so what follows is served from a complete cache whether or not the first scrape
 * waited for the whole refresh. Returns the last (identity) answer.
 */
export async function untilFirstRefresh(metricsUrl: string, maxMs = 120_000): Promise<Scrape> {
  const started = performance.now();
  for (;;) {
    const result = await scrape(metricsUrl, { timeoutSeconds: 300, keepBody: true });
    if (result.status === 200 && result.body!.includes('\ncloudscan_collect_duration_seconds{')) return result;
    if (performance.now() - started > maxMs) throw new Error(`no finished refresh within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
