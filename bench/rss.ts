// Resident memory of the real exporter process (the CLI, as users run it) after many scrapes of a
// large emulated fleet, and its growth over the second half of the run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { drain, get } from './latency.js';

const KEYS = { accessKeyId: 'LTAI5tBenchMemory00001', accessKeySecret: 'bench-only-secret-0000000000000003' };

export interface RssResult {
  servers: number;
  perServerSeries: boolean;
  scrapes: number;
  rssMiB: number;
  growthPercent: number;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function exporterRss(servers: number, scrapes: number, perServerSeries: boolean): Promise<RssResult> {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'fleet', ...KEYS, fleetSize: servers, tasksPerServer: 2, cycleSeconds: 3600 });
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'cache: { ttl: 1h, max_stale: 2h }',
      'scrape: { timeout: 120s }',
      'alibaba:',
      '  - name: fleet',
      '    credentials:',
      '      access_key_id: "${BENCH_AK_ID}"',
      '      access_key_secret: "${BENCH_AK_SECRET}"',
      '    region: cn-shanghai',
      `    endpoint: ${emulator.url}`,
      '    rate_limit: 5000',
      '    request_timeout: 30s',
      `    per_server_series: ${perServerSeries}`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const exporter = start(process.execPath, [...mainNodeFlags, distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], {
    env: { ...process.env, BENCH_AK_ID: KEYS.accessKeyId, BENCH_AK_SECRET: KEYS.accessKeySecret },
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    await waitFor('the exporter to listen', async () => ((await get(url.replace('/metrics', '/-/ready'))).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      describe: exporter.output,
    });
    let halfway = 0;
    for (let i = 1; i <= scrapes; i++) {
      const { status } = await drain(url);
      if (status !== 200) throw new Error(`/metrics answered ${status}`);
      if (i === Math.floor(scrapes / 2)) halfway = rssMiB(exporter.child.pid!);
    }
    const end = rssMiB(exporter.child.pid!);
    return { servers, perServerSeries, scrapes, rssMiB: end, growthPercent: ((end - halfway) / halfway) * 100 };
  } finally {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
