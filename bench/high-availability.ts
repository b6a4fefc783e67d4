// Two replicas of the same account against a cloud that enforces its per-account limit (the
// emulator's quotas, answered with Throttling.User): what a second replica does to the calls, the
// rate the cloud sees and the throttling, with and without --cloud.rate-limit-share, next to one
// replica. The real CLI processes, each scraped once a second as Prometheus would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/server.js';
import { freePort } from '../test/support/processes.js';
import { startReplica, writeConfig, type Replica } from '../test/support/replicas.js';

const KEYS = { accessKeyId: 'LTAI5tBenchHa00000001', accessKeySecret: 'bench-only-secret-ha-00000000000001' };

export interface HaRow {
  replicas: number;
  share: number;
  seconds: number;
  /** Calls the cloud received (throttled ones included), and of them throttled. */
  calls: number;
  throttled: number;
  /** The most calls of the per-server action in any 1-second window, against the quota. */
  peakPerSecond: number;
  /** Scrapes that found the account down (cloudscan_up 0: a refresh with failed calls), of all. */
  scrapesDown: number;
  scrapes: number;
}

export async function highAvailability(options: {
  replicas: number;
  share: number;
  servers: number;
  limit: number;
  ttl: string;
  seconds: number;
}): Promise<HaRow> {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'fleet', ...KEYS, fleetSize: options.servers, tasksPerServer: 1, cycleSeconds: 3600 });
  emulator.quotas.set('alibaba', 'fleet', options.limit);
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-ha-'));
  const configFile = writeConfig(
    dir,
    [
      `cache: { ttl: ${options.ttl} }`,
      'alibaba:',
      `  - { name: fleet, region: cn-shanghai, endpoint: "${emulator.url}", rate_limit: ${options.limit}, per_server_series: false,`,
      '      credentials: { access_key_id: "${AK_ID}", access_key_secret: "${AK_SECRET}" } }',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const replicas: Replica[] = [];
  try {
    const env = { AK_ID: KEYS.accessKeyId, AK_SECRET: KEYS.accessKeySecret };
    const args = options.share === 1 ? ['--log.level=error'] : ['--log.level=error', `--cloud.rate-limit-share=${options.share}`];
    for (let n = 0; n < options.replicas; n++) replicas.push(await startReplica(`127.0.0.3${n}:${port}`, configFile, env, args));
    emulator.calls.clear();
    let scrapes = 0;
    let scrapesDown = 0;
    const started = performance.now();
    while (performance.now() - started < options.seconds * 1000) {
      const begun = performance.now();
      const answers = await Promise.all(
        replicas.map(async (r) =>
          (await fetch(`http://${r.address}/metrics`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' } })).text(),
        ),
      );
      for (const text of answers) {
        scrapes++;
        if (/^cloudscan_up\{[^}]*\} 0$/m.test(text)) scrapesDown++;
      }
      const wait = 1000 - (performance.now() - begun);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return {
      replicas: options.replicas,
      share: options.share,
      seconds: (performance.now() - started) / 1000,
      calls: emulator.calls.count({ account: 'fleet' }),
      throttled: emulator.quotas.throttled('alibaba', 'fleet'),
      peakPerSecond: emulator.calls.peakPerSecond({ account: 'fleet', action: 'DescribeVulCheckTaskStatusDetail' }),
      scrapesDown,
      scrapes,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.process.stop()));
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
