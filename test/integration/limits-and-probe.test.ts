// Holding under load: calls per refresh are the minimum however many scrapers there are (counted at
// the emulator), and the rate limiter never lets more than the configured rate go in any 1-second
// window (the grant times the exporter's own clock gave each call); /probe serves one configured
// account and nothing else. What the cloud counts also depends on network jitter, which a loaded
// machine stretches past any margin: that figure is measured at the emulator by the benchmark
// (npm run bench -- --part=2) and only reported here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';
import { checkMetrics } from '../support/promtool.js';

const ALIBABA = { accessKeyId: 'LTAI5tLimitsTest000001', accessKeySecret: 'limits-test-alibaba-secret-000000001' };
const TENCENT = { secretId: 'AKIDlimitsTest000000000000000000000001', secretKey: 'limitsTestTencentSecretKey00000001' };
const STRATEGIES = Array.from({ length: 25 }, (_, i) => ({ id: 500 + i, name: `strategy ${i}` }));

/** The most of `times` (Unix ms) in any 1-second window. */
function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

describe('rate limits and call counts', () => {
  let emulator: Emulator;
  let running: Running;
  const granted = new Map<string, number[]>();

  before(async () => {
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'fleet', ...ALIBABA, fleetSize: 45, tasksPerServer: 1 });
    emulator.tencent.addAccount({ name: 'prod', ...TENCENT, strategies: STRATEGIES });
    const endpoint = endpointOf(emulator);
    running = await startExporter(
      exporterConfig({
        ttlSeconds: 3600,
        timeoutSeconds: 30,
        alibaba: [alibabaAccount('fleet', ALIBABA, endpoint, { rateLimit: 15 })],
        tencent: [tencentAccount('prod', TENCENT, endpoint, { rateLimit: 10 })],
      }),
      {
        onCall: (provider, account, call) => {
          const key = `${provider}/${account}/${call.action}`;
          granted.set(key, [...(granted.get(key) ?? []), call.grantedAt]);
        },
      },
    );
  });
  after(async () => {
    await running.close();
    await emulator.close();
  });

  test('40 concurrent scrapers cause one refresh of minimum calls, and no second holds more calls than the limit', async (t) => {
    const scrapes = await Promise.all(Array.from({ length: 40 }, () => running.get('/metrics')));
    assert.ok(scrapes.every((s) => s.status === 200));
    await running.exporter.collector.settled();

    // Alibaba: one discovery page + one page of the list of vulnerability checks + one call per server; Tencent: Malware, Vul, 25 strategies + 1 page,
    // and the hosts of each of those 27 scans' tasks (10 hosts: one page each).
    assert.equal(emulator.calls.count({ provider: 'alibaba', account: 'fleet' }), 1 + 1 + 45);
    assert.equal(emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeScanState' }), 2 + 25);
    assert.equal(emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeBaselineStrategyList' }), 1);
    assert.equal(emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeScanTaskDetails' }), 27);
    const limits = [
      ['alibaba/fleet/DescribeVulCheckTaskStatusDetail', 15],
      ['tencent/prod/DescribeScanState', 10],
      ['tencent/prod/DescribeScanTaskDetails', 10],
    ] as const;
    for (const [key, limit] of limits) {
      const times = granted.get(key) ?? [];
      assert.ok(times.length >= 27, `${key}: ${times.length} calls granted`);
      assert.ok(peakPerSecond(times) <= limit, `${key}: ${peakPerSecond(times)} calls granted in one second, over a limit of ${limit}`);
      const [provider, account, action] = key.split('/') as [string, string, string];
      t.diagnostic(
        `${key}: peak ${emulator.calls.peakPerSecond({ provider, account, action })}/s as the emulator counted arrivals (limit ${limit})`,
      );
    }

    const text = await running.scrape();
    assert.equal(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{').length, 45);
    assert.equal(sampleLines(text, 'cloudscan_cwp_scan_info{').length, 27);
  });
});

test('an answer over the configured max_response_bytes is rejected as invalid_response, for both clouds', async () => {
  const emulator = await startEmulator();
  emulator.alibaba.addAccount({ name: 'fleet', ...ALIBABA, fleetSize: 1 });
  emulator.tencent.addAccount({ name: 'prod', ...TENCENT, strategies: [] });
  const endpoint = endpointOf(emulator);
  const running = await startExporter(
    exporterConfig({
      alibaba: [alibabaAccount('fleet', ALIBABA, endpoint, { maxResponseBytes: 120 })],
      tencent: [tencentAccount('prod', TENCENT, endpoint, { modules: ['Vul'], maxResponseBytes: 120 })],
    }),
  );
  try {
    const text = await running.scrape();
    for (const [provider, account] of [
      ['alibaba', 'fleet'],
      ['tencent', 'prod'],
    ]) {
      assert.equal(valueOf(text, `cloudscan_up{provider="${provider}",account="${account}"}`), 0);
      const errors = sampleLines(text, `cloudscan_api_errors_total{provider="${provider}",account="${account}",`);
      assert.ok(
        errors.some((l) => l.includes('code="invalid_response"') && !l.endsWith(' 0')),
        errors.join('\n'),
      );
    }
  } finally {
    await running.close();
    await emulator.close();
  }
});

describe('/probe', () => {
  let emulator: Emulator;
  let running: Running;

  before(async () => {
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'fleet', ...ALIBABA, fleetSize: 2 });
    emulator.tencent.addAccount({ name: 'prod', ...TENCENT, strategies: STRATEGIES.slice(0, 1) });
    const endpoint = endpointOf(emulator);
    running = await startExporter(
      exporterConfig({
        alibaba: [alibabaAccount('fleet', ALIBABA, endpoint)],
        tencent: [tencentAccount('prod', TENCENT, endpoint)],
      }),
    );
  });
  after(async () => {
    await running.close();
    await emulator.close();
  });

  test("serves one configured account's series and its health series, nothing of the others", async () => {
    const { status, body } = await running.get('/probe?target=tencent/prod');
    assert.equal(status, 200);
    assert.equal(valueOf(body, 'cloudscan_up{provider="tencent",account="prod"}'), 1);
    assert.ok(sampleLines(body, 'cloudscan_cwp_scan_state{account="prod"').length > 0);
    assert.ok(sampleLines(body, 'cloudscan_api_requests_total{provider="tencent",account="prod"').length > 0);
    assert.doesNotMatch(body, /fleet|alibaba/);
    assert.equal(checkMetrics(body), '');

    const alibaba = await running.get('/probe?target=alibaba/fleet');
    assert.equal(valueOf(alibaba.body, 'cloudscan_up{provider="alibaba",account="fleet"}'), 1);
    assert.doesNotMatch(alibaba.body, /account="prod"/);
  });

  test('anything but a configured account is a 400 that names the configured ones and reaches no other host', async () => {
    const before = emulator.calls.count();
    for (const target of [
      '',
      'tencent/nope',
      'prod',
      'http://169.254.169.254/latest',
      '127.0.0.1:22',
      'tencent/prod/../../x',
      'gcp/prod',
    ]) {
      const { status, body } = await running.get(`/probe?target=${encodeURIComponent(target)}`);
      assert.equal(status, 400, target);
      assert.match(body, /configured account \(tencent\/prod, alibaba\/fleet\)/, target);
    }
    assert.equal((await running.get('/probe')).status, 400);
    assert.equal(emulator.calls.count(), before, 'no call reached any cloud API');
  });
});
