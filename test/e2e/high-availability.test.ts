// High availability: two replicas of the same accounts, both scraped by Prometheus (as the
// ServiceMonitor of deploy/kubernetes-ha scrapes both pods), against a cloud that enforces its
// per-account limit (the emulator's quotas answer the clouds' throttling codes). With
// --cloud.rate-limit-share=0.5, as that overlay runs them, the two together call each account at
// the limit at most, on average over the whole run, while each replica serves every account. How
// many calls the cloud counts in its busiest second, and so whether it throttles one, also depends
// on network jitter, which a loaded machine stretches past any margin: those figures are measured
// by the benchmark (npm run bench -- --part=9: peak 10/10, nothing throttled) and only reported here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { HA_REPLICAS, HA_SHARE_FLAG } from '../../deploy/kubernetes/manifests.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { instantQuery, startPrometheus, type RunningService } from '../support/monitoring-stack.js';
import { freePort, waitFor } from '../support/processes.js';
import { startReplica, writeConfig, type Replica } from '../support/replicas.js';

/** What the cloud allows each account, per action and second; the configured rate_limit is the same. */
const LIMIT = 10;
const SERVERS = 12;
const STRATEGIES = 4;
const TENCENT = { secretId: 'AKIDhaTest00000000000000000000000001', secretKey: 'haTestTencentSecretKey000000000001' };
const ALIBABA = { accessKeyId: 'LTAI5tHaTest0000000001', accessKeySecret: 'ha-test-alibaba-secret-000000000001' };

describe(
  `${HA_REPLICAS} replicas of the same accounts at ${HA_SHARE_FLAG}, against a cloud that enforces its limit`,
  { timeout: 120_000 },
  () => {
    let dir: string;
    let emulator: Emulator;
    let replicas: Replica[] = [];
    let prometheus: RunningService;
    const describeAll = () =>
      [
        ...replicas.map((r) => `${r.address}:\n${r.process.output().slice(-2000)}`),
        `prometheus:\n${prometheus?.process.output().slice(-2000)}`,
      ].join('\n');

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cloudscan-ha-'));
      emulator = await startEmulator();
      emulator.tencent.addAccount({
        name: 'prod',
        ...TENCENT,
        strategies: Array.from({ length: STRATEGIES }, (_, i) => ({ id: 10 + i, name: `s${i}` })),
      });
      emulator.alibaba.addAccount({ name: 'fleet', ...ALIBABA, fleetSize: SERVERS, tasksPerServer: 1 });
      emulator.quotas.set('tencent', 'prod', LIMIT);
      emulator.quotas.set('alibaba', 'fleet', LIMIT);
      // A TTL shorter than a refresh at half the rate: both replicas refresh all the time, at once.
      const configFile = writeConfig(
        dir,
        [
          'cache: { ttl: 1s }',
          'tencent:',
          `  - { name: prod, endpoint: "${emulator.url}", rate_limit: ${LIMIT}, credentials: { secret_id: "\${T_ID}", secret_key: "\${T_KEY}" } }`,
          'alibaba:',
          `  - { name: fleet, region: cn-shanghai, endpoint: "${emulator.url}", rate_limit: ${LIMIT}, credentials: { access_key_id: "\${A_ID}", access_key_secret: "\${A_SECRET}" } }`,
          '',
        ].join('\n'),
      );
      const env = { T_ID: TENCENT.secretId, T_KEY: TENCENT.secretKey, A_ID: ALIBABA.accessKeyId, A_SECRET: ALIBABA.accessKeySecret };
      const port = await freePort();
      replicas = await Promise.all(
        Array.from({ length: HA_REPLICAS }, (_, n) => startReplica(`127.0.0.2${n}:${port}`, configFile, env, [HA_SHARE_FLAG])),
      );
      prometheus = await startPrometheus(
        join(dir, 'prometheus'),
        stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          scrape_configs: [{ job_name: 'cloudscan', scrape_timeout: '1s', static_configs: [{ targets: replicas.map((r) => r.address) }] }],
        }),
      );
    });

    after(async () => {
      await prometheus?.stop();
      await Promise.all(replicas.map((r) => r.process.stop()));
      await emulator?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('both replicas refresh every account over and over, and together never exceed the limit: nothing is throttled', async () => {
      // Two full refreshes of each account by each replica: the replicas' refreshes overlap.
      const refreshes = 2 * HA_REPLICAS;
      await waitFor(
        `${refreshes} refreshes of each account`,
        async () =>
          emulator.calls.count({ action: 'DescribeVulCheckTaskStatusDetail' }) >= refreshes * SERVERS &&
          emulator.calls.count({ action: 'DescribeScanState' }) >= refreshes * (2 + STRATEGIES)
            ? true
            : undefined,
        { timeoutMs: 60_000, intervalMs: 250, describe: describeAll },
      );
      const peaks = {
        alibaba: emulator.calls.peakPerSecond({ provider: 'alibaba', account: 'fleet', action: 'DescribeVulCheckTaskStatusDetail' }),
        tencent: emulator.calls.peakPerSecond({ provider: 'tencent', account: 'prod', action: 'DescribeScanState' }),
      };
      const throttled = { alibaba: emulator.quotas.throttled('alibaba', 'fleet'), tencent: emulator.quotas.throttled('tencent', 'prod') };
      process.stdout.write(
        `# high availability: ${emulator.calls.count()} calls; peak in 1 s alibaba ${peaks.alibaba}, tencent ${peaks.tencent} (limit ${LIMIT}); throttled ${throttled.alibaba + throttled.tencent}\n`,
      );
      for (const [provider, account, action] of [
        ['alibaba', 'fleet', 'DescribeVulCheckTaskStatusDetail'],
        ['tencent', 'prod', 'DescribeScanState'],
      ] as const) {
        const times = emulator.calls.list({ provider, account, action }).map((call) => call.at);
        const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
        // n calls spaced at the limit span (n - 1) / LIMIT seconds at least.
        assert.ok(
          times.length - 1 <= LIMIT * seconds,
          `${provider}/${account}: ${times.length} calls of ${action} in ${seconds} s, over ${LIMIT}/s`,
        );
      }
      // Both replicas called: each keeps its own data, so either can go away.
      const byReplica = await instantQuery(prometheus.url, 'sum by (instance) (cloudscan_api_requests_total)');
      assert.equal(byReplica.length, HA_REPLICAS);
      assert.ok(
        byReplica.every((s) => Number(s.value[1]) >= 2 * (SERVERS + STRATEGIES)),
        JSON.stringify(byReplica),
      );
    });

    test('each replica serves every account, up, without a single error', async () => {
      const up = await waitFor(
        'every account up on both replicas',
        async () => {
          const samples = await instantQuery(prometheus.url, 'cloudscan_up == 1');
          return samples.length === 2 * HA_REPLICAS ? samples : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, describe: describeAll },
      );
      assert.deepEqual(
        up.map((s) => `${s.metric['instance']} ${s.metric['provider']}/${s.metric['account']}`).sort(),
        replicas.flatMap((r) => [`${r.address} alibaba/fleet`, `${r.address} tencent/prod`]).sort(),
      );
      // Throttling answers, if jitter made any, are retried and reported above; no other error.
      assert.deepEqual(
        await instantQuery(prometheus.url, 'cloudscan_api_errors_total{code!~"Throttling.User|RequestLimitExceeded"} > 0'),
        [],
      );
    });
  },
);
