// Tencent Cloud CWP end to end in one process: the real CommonClient -> the emulator (TC3
// signatures checked) -> the exporter's cache and metrics -> GET /metrics over real HTTP.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { CwpModule } from '../../src/sources/tencent/types.js';
import { COUNTER_FAMILIES, families, sampleLines, valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';
import { fixturesDir } from '../support/paths.js';
import { checkMetrics } from '../support/promtool.js';

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);
const PROD = { secretId: 'AKIDexporterTestProd0000000000000001', secretKey: 'exporterTestProdSecretKey00000001' };
const STAGING = { secretId: 'AKIDexporterTestStaging00000000000001', secretKey: 'exporterTestStagingSecretKey00001' };
const ALIBABA = { accessKeyId: 'LTAI5tTencentTestAli01', accessKeySecret: 'tencent-test-alibaba-secret-00000001' };
const CWP_FAMILIES = [
  'cloudscan_cwp_scan_state',
  'cloudscan_cwp_scan_progress_ratio',
  'cloudscan_cwp_scan_risk_events',
  'cloudscan_cwp_scan_vulnerabilities',
  'cloudscan_cwp_scan_start_timestamp_seconds',
  'cloudscan_cwp_scan_end_timestamp_seconds',
  'cloudscan_cwp_scan_info',
];
const HOST_FAMILIES = [
  'cloudscan_cwp_scan_hosts',
  'cloudscan_cwp_scan_hosts_failed',
  'cloudscan_cwp_host_scan_state',
  'cloudscan_cwp_host_scan_failure',
  'cloudscan_cwp_host_risks',
  'cloudscan_cwp_host_info',
];
const STRATEGIES = [
  { id: 101, name: 'Linux baseline' },
  { id: 102, name: 'Windows baseline' },
];

describe('Tencent Cloud CWP through the exporter', () => {
  let emulator: Emulator;
  let running: Running | undefined;
  const now = NOW;

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.faults.clear();
    emulator.calls.clear();
  });

  function addAccounts(): void {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: STRATEGIES });
    emulator.tencent.addAccount({ name: 'staging', ...STAGING, strategies: STRATEGIES });
  }

  async function exporterFor(accounts: Array<[string, typeof PROD]>, ttlSeconds = 60) {
    running = await startExporter(
      exporterConfig({ ttlSeconds, tencent: accounts.map(([name, keys]) => tencentAccount(name, keys, endpointOf(emulator))) }),
    );
    return running;
  }

  test('a scrape yields Malware, Vul and two Baseline strategies on two accounts', async () => {
    addAccounts();
    const exporter = await exporterFor([
      ['prod', PROD],
      ['staging', STAGING],
    ]);
    const text = await exporter.scrape();
    const expected: Array<[string, CwpModule, string, string]> = [];
    for (const account of ['prod', 'staging']) {
      expected.push([account, 'Malware', '', ''], [account, 'Vul', '', '']);
      for (const s of STRATEGIES) expected.push([account, 'Baseline', String(s.id), s.name]);
    }
    const info = sampleLines(text, 'cloudscan_cwp_scan_info{');
    assert.equal(info.length, 8);
    for (const [account, module, strategyId, strategyName] of expected) {
      const labels = `account="${account}",module="${module}",strategy_id="${strategyId}"`;
      const states = sampleLines(text, `cloudscan_cwp_scan_state{${labels},`);
      assert.equal(states.length, 6, `${labels}: ${states.join('\n')}`);
      assert.equal(states.filter((l) => l.endsWith(' 1')).length, 1, `${labels}: exactly one state is 1`);
      assert.ok(
        info.some((l) => l.startsWith(`cloudscan_cwp_scan_info{${labels},strategy_name="${strategyName}",`)),
        `${labels}: info with strategy name "${strategyName}"`,
      );
      assert.notEqual(valueOf(text, `cloudscan_cwp_scan_progress_ratio{${labels}}`), undefined);
    }
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="prod"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="staging"}'), 1);
    // Per account: Malware + Vul + 2 strategies, plus one strategy-discovery page.
    for (const account of ['prod', 'staging']) {
      assert.equal(emulator.calls.count({ provider: 'tencent', account, action: 'DescribeScanState' }), 4);
      assert.equal(emulator.calls.count({ provider: 'tencent', account, action: 'DescribeBaselineStrategyList' }), 1);
    }
    assert.equal(checkMetrics(text), '');
  });

  test('the API document\'s Output Example maps to the golden series, "xx" times included, and every counter is there from the first scrape', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [] });
    const example = JSON.parse(readFileSync(join(fixturesDir, 'tencent', 'describe-scan-state.example.json'), 'utf8')) as {
      Response: Record<string, unknown>;
    };
    emulator.tencent.pinScanState('prod', 'Vul', undefined, example.Response);
    running = await startExporter(exporterConfig({ tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })] }));
    const text = families(await running.scrape(), [...CWP_FAMILIES, ...COUNTER_FAMILIES]);
    const golden = join(fixturesDir, 'golden', 'tencent-doc-example.prom');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'));
    assert.equal(checkMetrics(text), '');
    assert.match(running.logText(), /ScanBeginTime \\"xx\\" is not a time/);
  });

  test('null RiskEventCount, ScanState 7 and unparsable times: absent or unknown series, never a silent 0', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [] });
    emulator.tencent.pinScanState('prod', 'Malware', undefined, {
      ScanState: 7,
      Schedule: 30,
      TaskId: 5,
      VulId: [],
      Type: 0,
      ScanBeginTime: 'yesterday',
      ScanEndTime: null,
      RiskEventCount: null,
      RequestId: 'r',
    });
    running = await startExporter(
      exporterConfig({ tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Malware'] })] }),
    );
    const text = await running.scrape();
    const labels = 'account="prod",module="Malware",strategy_id=""';
    assert.equal(valueOf(text, `cloudscan_cwp_scan_state{${labels},state="unknown"}`), 1);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_state{${labels},state="never_scanned"}`), 0);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_risk_events{${labels}}`), undefined);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_start_timestamp_seconds{${labels}}`), undefined);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_end_timestamp_seconds{${labels}}`), undefined);
    assert.match(running.logText(), /unknown ScanState 7/);
    assert.equal(
      valueOf(text, 'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanState",code="invalid_response"}'),
      1,
      'ScanState 7 and the time "yesterday": two odd values, one answer',
    );
  });

  test('a wrong secret key marks only that account down, and the process keeps serving', async () => {
    addAccounts();
    emulator.alibaba.addAccount({ name: 'shop', ...ALIBABA, fleetSize: 1 });
    running = await startExporter(
      exporterConfig({
        tencent: [
          tencentAccount('prod', { ...PROD, secretKey: 'wrongSecretKey000000000000000000001' }, endpointOf(emulator)),
          tencentAccount('staging', STAGING, endpointOf(emulator)),
        ],
        alibaba: [alibabaAccount('shop', ALIBABA, endpointOf(emulator))],
      }),
    );
    const text = await running.scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="prod"}'), 0);
    assert.ok(
      (valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeBaselineStrategyList",code="AuthFailure.SignatureFailure"}',
      ) ?? 0) >= 1,
    );
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="staging"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="shop"}'), 1);
    assert.deepEqual(sampleLines(text, 'cloudscan_cwp_scan_state{account="prod"'), []);
    assert.equal((await running.get('/-/healthy')).status, 200);
    assert.doesNotMatch(text + running.logText(), /wrongSecretKey/);
    assert.equal(checkMetrics(text), '', 'promtool finds nothing in a scrape with both clouds');
  });

  test('the landing page gives each account the calls its own last refresh made, next to its rate and TTL', async () => {
    addAccounts();
    emulator.alibaba.addAccount({ name: 'shop', ...ALIBABA, fleetSize: 3 });
    running = await startExporter(
      exporterConfig({
        tencent: [tencentAccount('prod', PROD, endpointOf(emulator))],
        alibaba: [alibabaAccount('shop', ALIBABA, endpointOf(emulator))],
      }),
    );
    await running.scrape();
    const page = (await running.get('/?account=tencent/prod')).body + (await running.get('/?account=alibaba/shop')).body;
    const tencentCalls = emulator.calls.count({ provider: 'tencent' });
    const alibabaCalls = emulator.calls.count({ provider: 'alibaba' });
    assert.notEqual(tencentCalls, alibabaCalls, 'the two accounts made different numbers of calls');
    assert.match(page, new RegExp(`tencent/prod: ${tencentCalls} call\\(s\\) per refresh \\(last refresh\\)`));
    assert.match(page, new RegExp(`alibaba/shop: ${alibabaCalls} call\\(s\\) per refresh \\(last refresh\\)`));
  });

  describe('the hosts of the latest scan tasks (DescribeScanTaskDetails)', () => {
    const scanState = (state: number, taskId: number | bigint, schedule = state === 1 ? 40 : 100) => ({
      ScanState: state,
      Schedule: schedule,
      TaskId: taskId,
      VulId: [],
      Type: 1,
      ScanBeginTime: '2026-11-23 10:00:00',
      ScanEndTime: state === 1 ? null : '2026-11-23 11:00:00',
      RiskEventCount: 0,
      KBNumber: ['KB5005565', 'KB5005573'],
    });
    const details = (account = 'prod') => emulator.calls.count({ provider: 'tencent', account, action: 'DescribeScanTaskDetails' });
    const states = (account = 'prod') => emulator.calls.count({ provider: 'tencent', account, action: 'DescribeScanState' });

    async function fleetExporter(overrides: Parameters<typeof tencentAccount>[3] = {}) {
      emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [{ id: 101, name: 'Linux baseline' }], fleetSize: 250 });
      emulator.tencent.pinScanState('prod', 'Malware', undefined, scanState(2, 501));
      emulator.tencent.pinScanState('prod', 'Vul', undefined, scanState(1, 502));
      emulator.tencent.pinScanState('prod', 'Baseline', 101, scanState(2, 503));
      running = await startExporter(
        exporterConfig({ ttlSeconds: 0, tencent: [tencentAccount('prod', PROD, endpointOf(emulator), overrides)] }),
      );
      return running;
    }

    test("a finished task's hosts are read once per task id; a running task's on every refresh, one call per 100 hosts", async () => {
      const exporter = await fleetExporter();
      // With cache.ttl 0 each scrape starts one refresh and is served the data of the one before.
      const refresh = async () => {
        await exporter.scrape();
        await exporter.exporter.collector.settled();
      };
      const first = await exporter.scrape();
      await exporter.exporter.collector.settled();
      assert.equal(states(), 3);
      assert.equal(details(), 9, 'three tasks of 250 hosts: three pages each');
      const vul = 'account="prod",module="Vul",strategy_id=""';
      assert.ok(
        (valueOf(first, `cloudscan_cwp_scan_hosts{${vul},result="scanning"}`) ?? 0) > 0,
        'the running task has hosts still scanning',
      );

      await refresh();
      await refresh();
      assert.equal(states(), 9);
      assert.equal(details(), 9 + 2 * 3, 'each later refresh reads the running Vul task only: 3 pages');

      emulator.tencent.pinScanState('prod', 'Vul', undefined, scanState(2, 502));
      await refresh();
      assert.equal(details(), 18, 'the task that finished is read once more, as final');
      await refresh();
      await refresh();
      assert.equal(states(), 18);
      assert.equal(details(), 18, 'with no scan running a refresh makes no DescribeScanTaskDetails call');

      emulator.tencent.pinScanState('prod', 'Malware', undefined, scanState(2, 504));
      await refresh();
      assert.equal(details(), 21, 'a new task id is read once');
      const final = await exporter.scrape();
      await exporter.exporter.collector.settled();

      for (const [module, strategy] of [
        ['Malware', ''],
        ['Vul', ''],
        ['Baseline', '101'],
      ] as const) {
        const labels = `account="prod",module="${module}",strategy_id="${strategy}"`;
        assert.equal(valueOf(final, `cloudscan_cwp_scan_hosts{${labels},result="ok"}`), 176);
        assert.equal(valueOf(final, `cloudscan_cwp_scan_hosts{${labels},result="failed"}`), 74);
        assert.equal(valueOf(final, `cloudscan_cwp_scan_hosts{${labels},result="scanning"}`), 0);
        assert.equal(valueOf(final, `cloudscan_cwp_scan_hosts{${labels},result="unknown"}`), 0);
        for (const [reason, count] of [
          ['offline', 25],
          ['timeout', 13],
          ['failed', 12],
          ['agent_outdated', 12],
          ['unknown', 12],
        ] as const) {
          assert.equal(valueOf(final, `cloudscan_cwp_scan_hosts_failed{${labels},reason="${reason}"}`), count, `${module} ${reason}`);
        }
        assert.equal(valueOf(final, `cloudscan_cwp_scan_windows_patches{${labels}}`), 2);
        assert.equal(sampleLines(final, `cloudscan_cwp_host_scan_state{${labels},`).length, 250 * 4);
        assert.equal(sampleLines(final, `cloudscan_cwp_host_scan_failure{${labels},`).length, 74);
        assert.equal(sampleLines(final, `cloudscan_cwp_host_info{${labels},`).length, 250);
      }
      const offline = emulator.tencent.hosts('prod').find((h) => h.failure === 'offline')!;
      const host = `account="prod",module="Vul",strategy_id="",uuid="${offline.uuid}",host="${offline.name}"`;
      assert.equal(valueOf(final, `cloudscan_cwp_host_scan_state{${host},state="failed"}`), 1);
      assert.equal(valueOf(final, `cloudscan_cwp_host_scan_failure{${host},reason="offline"}`), 1);
      assert.equal(valueOf(final, `cloudscan_cwp_host_info{${host},ip="${offline.ip}",wan_ip="${offline.wanIp}",os="${offline.os}"}`), 1);
      assert.equal(checkMetrics(final), '');
    });

    test('per_host_series: false keeps the counts by result and reason, and no series per host', async () => {
      const exporter = await fleetExporter({ perHostSeries: false });
      const text = await exporter.scrape();
      assert.equal(valueOf(text, 'cloudscan_cwp_scan_hosts{account="prod",module="Malware",strategy_id="",result="failed"}'), 74);
      assert.equal(valueOf(text, 'cloudscan_cwp_scan_hosts_failed{account="prod",module="Malware",strategy_id="",reason="offline"}'), 25);
      assert.deepEqual(sampleLines(text, 'cloudscan_cwp_host_'), []);
    });

    test("hosts that cannot be read mark the account down with the error counted; the task's last hosts and every scan are still served", async () => {
      const exporter = await fleetExporter();
      const before = await exporter.scrape();
      const vul = 'account="prod",module="Vul",strategy_id=""';
      const scanning = valueOf(before, `cloudscan_cwp_scan_hosts{${vul},result="scanning"}`);
      emulator.faults.add({
        provider: 'tencent',
        account: 'prod',
        action: 'DescribeScanTaskDetails',
        fault: { kind: 'error', code: 'InvalidParameter' },
      });
      emulator.tencent.pinScanState('prod', 'Vul', undefined, scanState(1, 502, 90));
      await exporter.scrape();
      await exporter.exporter.collector.settled();
      const text = await exporter.scrape();
      await exporter.exporter.collector.settled();
      assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="prod"}'), 0);
      assert.ok(
        (valueOf(
          text,
          'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanTaskDetails",code="InvalidParameter"}',
        ) ?? 0) >= 1,
      );
      assert.equal(valueOf(text, `cloudscan_cwp_scan_progress_ratio{${vul}}`), 0.9, 'the scan state is new');
      assert.equal(valueOf(text, `cloudscan_cwp_scan_hosts{${vul},result="scanning"}`), scanning, 'its hosts are the last read');
      assert.equal(
        valueOf(text, 'cloudscan_cwp_scan_hosts{account="prod",module="Malware",strategy_id="",result="failed"}'),
        74,
        'finished tasks need no call',
      );
      assert.match(exporter.logText(), /part of the refresh failed/);
    });

    test('a task id beyond 2^53 is asked for with every digit, and its pinned hosts are the ones served', async () => {
      emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [] });
      const big = 9_007_199_254_740_993n;
      emulator.tencent.pinScanState('prod', 'Vul', undefined, scanState(2, big));
      emulator.tencent.pinTaskHosts('prod', big, [
        { Uuid: 'uuid-big-1', HostName: 'big-1', HostIp: '10.1.1.1', Status: 'Fail', FailType: 8, RiskNum: 0 },
        { Uuid: 'uuid-big-2', HostName: 'big-2', HostIp: '10.1.1.2', Status: 'Ok', FailType: 0, RiskNum: 3 },
      ]);
      running = await startExporter(
        exporterConfig({ tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })] }),
      );
      const text = await running.scrape();
      const labels = 'account="prod",module="Vul",strategy_id=""';
      assert.equal(valueOf(text, `cloudscan_cwp_scan_info{${labels},strategy_name="",task_id="9007199254740993",trigger="scheduled"}`), 1);
      assert.equal(valueOf(text, `cloudscan_cwp_host_scan_failure{${labels},uuid="uuid-big-1",host="big-1",reason="agent_outdated"}`), 1);
      assert.equal(valueOf(text, `cloudscan_cwp_host_risks{${labels},uuid="uuid-big-2",host="big-2"}`), 3);
      assert.equal(valueOf(text, `cloudscan_cwp_scan_hosts{${labels},result="ok"}`), 1);
    });

    test("the API document's DescribeScanTaskDetails example maps to the golden series", async () => {
      emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [] });
      const read = (name: string) =>
        (JSON.parse(readFileSync(join(fixturesDir, 'tencent', name), 'utf8')) as { Response: Record<string, unknown> }).Response;
      emulator.tencent.pinScanState('prod', 'Vul', undefined, read('describe-scan-state.example.json'));
      emulator.tencent.pinTaskDetails('prod', 1, read('describe-scan-task-details.example.json'));
      running = await startExporter(
        exporterConfig({ tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })] }),
      );
      const text = families(await running.scrape(), HOST_FAMILIES);
      const golden = join(fixturesDir, 'golden', 'tencent-task-details-doc-example.prom');
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
      assert.equal(text, readFileSync(golden, 'utf8'));
      assert.equal(checkMetrics(text), '');
      assert.match(running.logText(), /unknown Status \\"status\\", reported as result \\"unknown\\"/);
    });
  });

  test('50 concurrent scrapes of a cold cache make exactly one call per module and strategy; scrapes within the TTL make none', async () => {
    addAccounts();
    const exporter = await exporterFor([
      ['prod', PROD],
      ['staging', STAGING],
    ]);
    const scrapes = await Promise.all(Array.from({ length: 50 }, () => exporter.get('/metrics')));
    assert.ok(scrapes.every((s) => s.status === 200));
    // Had the refresh outlasted the scrapes' deadline, it would still be under way: count once it is done.
    await exporter.exporter.collector.settled();
    for (const account of ['prod', 'staging']) {
      assert.equal(emulator.calls.count({ account, action: 'DescribeScanState' }), 4);
      assert.equal(emulator.calls.count({ account, action: 'DescribeBaselineStrategyList' }), 1);
    }
    // How many of the 50 were hits depends on whether the refresh had finished before a scrape was
    // read (on a loaded machine, many were): counted from here on, every lookup is one.
    const lookups = (text: string) => ({
      requests: valueOf(text, 'cloudscan_cache_requests_total{provider="tencent"}')!,
      hits: valueOf(text, 'cloudscan_cache_hits_total{provider="tencent"}')!,
    });
    const before = lookups(await exporter.scrape());
    assert.equal(before.requests, 51 * 2, 'each scrape looks each account up once');
    const calls = emulator.calls.count();
    await Promise.all(Array.from({ length: 20 }, () => exporter.scrape()));
    assert.equal(emulator.calls.count(), calls);
    const after = lookups(await exporter.scrape());
    assert.deepEqual({ requests: after.requests - before.requests, hits: after.hits - before.hits }, { requests: 42, hits: 42 });
  });
});
