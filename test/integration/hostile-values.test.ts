// Values a hostile or buggy cloud may send, through the real SDKs and the emulator: ids keep every
// digit, out-of-range numbers are warnings (counted invalid_response) rather than data, and the
// same series never appears twice in the exposition.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { checkMetrics } from '../support/promtool.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

const TENCENT = { secretId: 'AKIDhostileValues000000000000000001', secretKey: 'hostileValuesSecretKey00000000001' };
const ALIBABA = { accessKeyId: 'LTAI5tHostileValues01', accessKeySecret: 'hostile-values-secret-0000000000001' };

/** Every sample line of the exposition that appears more than once. */
function duplicateSeries(text: string): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const series = line.slice(0, line.lastIndexOf(' '));
    if (seen.has(series)) duplicates.push(series);
    seen.add(series);
  }
  return duplicates;
}

describe('hostile values from the clouds', () => {
  let emulator: Emulator;
  let running: Running | undefined;

  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  test('Tencent: TaskId 9007199254740993 keeps every digit; Schedule 150 and RiskEventCount -3 are warnings, not data', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...TENCENT });
    emulator.tencent.pinScanState('prod', 'Vul', undefined, {
      ScanState: 2,
      Schedule: 150,
      TaskId: 9007199254740993n,
      VulId: [9007199254740995n],
      Type: 1,
      ScanBeginTime: '2026-11-23 10:00:00',
      RiskEventCount: -3,
      ScanEndTime: null,
    });
    emulator.tencent.pinScanState('prod', 'Malware', undefined, {
      ScanState: 1,
      Schedule: -20,
      TaskId: 12,
      VulId: [],
      Type: 0,
      ScanBeginTime: null,
      RiskEventCount: 1,
      ScanEndTime: null,
    });
    running = await startExporter(
      exporterConfig({ tencent: [tencentAccount('prod', TENCENT, endpointOf(emulator), { modules: ['Malware', 'Vul'] })] }),
    );
    const text = await running.scrape();

    const info = sampleLines(text, 'cloudscan_cwp_scan_info{account="prod",module="Vul"');
    assert.equal(info.length, 1);
    assert.match(info[0]!, /task_id="9007199254740993"/);
    assert.deepEqual(sampleLines(text, 'cloudscan_cwp_scan_progress_ratio{account="prod"'), []);
    assert.deepEqual(sampleLines(text, 'cloudscan_cwp_scan_risk_events{account="prod",module="Vul"'), []);
    assert.equal(valueOf(text, 'cloudscan_cwp_scan_risk_events{account="prod",module="Malware",strategy_id=""}'), 1);
    assert.equal(
      valueOf(text, 'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanState",code="invalid_response"}'),
      2,
      'two answers held odd values (Vul two of them, Malware one): counted once each',
    );
    // Schedule 150 (Vul) and -20 (Malware): one kind, one line for the refresh, with the count.
    assert.match(
      running.logText(),
      /Schedule -?\d+ is out of range \(expected 0\.\.100\); left out \(and 1 more like it in this refresh\)/,
    );
    assert.deepEqual(duplicateSeries(text), []);
  });

  test('Tencent hosts: one Uuid listed twice, or two Uuids alike once bounded, are one host; odd names and numbers are bounded or left out', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...TENCENT });
    emulator.tencent.pinScanState('prod', 'Vul', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 77,
      VulId: [],
      Type: 1,
      ScanBeginTime: null,
      RiskEventCount: 0,
      ScanEndTime: null,
    });
    emulator.tencent.pinTaskHosts('prod', 77, [
      { Uuid: 'a b', HostName: 'web "01"\nx', HostIp: '10.0.0.1', Status: 'Fail', FailType: 3, RiskNum: 1e30 },
      { Uuid: 'a_b', HostName: 'web-01 again', HostIp: '10.0.0.1', Status: 'Ok', FailType: 0, RiskNum: 1 },
      { Uuid: 'a b', HostName: 'web "01"\nx', HostIp: '10.0.0.1', Status: 'Fail', FailType: 3, RiskNum: 1 },
      { Uuid: 'c', HostName: 'db', HostIp: '10.0.0.2', Status: 'Fail', FailType: 42, RiskNum: -1 },
    ]);
    running = await startExporter(
      exporterConfig({ tencent: [tencentAccount('prod', TENCENT, endpointOf(emulator), { modules: ['Vul'] })] }),
    );
    const text = await running.scrape();
    const vul = 'account="prod",module="Vul",strategy_id=""';
    assert.deepEqual(sampleLines(text, `cloudscan_cwp_host_scan_failure{${vul}`), [
      `cloudscan_cwp_host_scan_failure{${vul},uuid="a_b",host="web \\"01\\"x",reason="offline"} 1`,
      `cloudscan_cwp_host_scan_failure{${vul},uuid="c",host="db",reason="unknown"} 1`,
    ]);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_hosts{${vul},result="failed"}`), 2);
    assert.equal(valueOf(text, `cloudscan_cwp_scan_hosts_failed{${vul},reason="unknown"}`), 1);
    assert.deepEqual(sampleLines(text, `cloudscan_cwp_host_risks{${vul}`), [], 'RiskNum 1e30 and -1 are left out');
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanTaskDetails",code="invalid_response"}',
      ),
      1,
      'one page of hosts with odd values: one odd answer',
    );
    assert.deepEqual(duplicateSeries(text), []);
  });

  test('Alibaba: a numeric TaskId above 2^53 keeps every digit; the same (TaskId, Type) twice is one series and a warning', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...ALIBABA, fleetSize: 1 });
    const [server] = emulator.alibaba.servers('prod');
    const subtask = '{"Type":"cve","Status":"4","Code":""}';
    emulator.alibaba.pinTaskStatus(
      'prod',
      server!.uuid,
      `{"RequestId":"r","TotalCount":-1,"TaskStatuses":[{"TaskId":9007199254740993,"TaskStatusList":[${subtask},${subtask}]},{"TaskId":9007199254740993,"TaskStatusList":[${subtask}]}]}`,
    );
    running = await startExporter(exporterConfig({ alibaba: [alibabaAccount('prod', ALIBABA, endpointOf(emulator))] }));
    const text = await running.scrape();

    const states = sampleLines(text, 'cloudscan_sas_vul_check_subtask_state{account="prod"');
    assert.equal(states.length, 6, states.join('\n'));
    assert.ok(
      states.every((line) => line.includes('task_id="9007199254740993"')),
      states.join('\n'),
    );
    assert.equal(valueOf(text, 'cloudscan_sas_vul_check_subtasks{account="prod",type="cve",state="complete"}'), 1);
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{account="prod"'), [], 'TotalCount -1 is left out');
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="prod",action="DescribeVulCheckTaskStatusDetail",code="invalid_response"}',
      ),
      1,
      'one answer, however many odd values it held',
    );
    assert.deepEqual(duplicateSeries(text), []);
  });

  test('Alibaba: markup and newlines in a listed server\'s IP, OS and name stay inside their labels; an unknown ClientStatus is state "unknown" and one warning', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...ALIBABA, fleetSize: 3 });
    const [first, second, third] = emulator.alibaba.servers('prod');
    emulator.alibaba.setServers('prod', [
      { ...first!, ip: '10.0.0.1"} 1\nfake_metric 1', os: 'Windows\nServer "2022"', instanceName: 'web\u0000-01\n' },
      // Not a ClientStatus the API documents: what a future or buggy answer may hold.
      { ...second!, clientStatus: 'uninstalled' as unknown as 'online' },
      third!,
    ]);
    running = await startExporter(exporterConfig({ alibaba: [alibabaAccount('prod', ALIBABA, endpointOf(emulator))] }));
    const text = await running.scrape();

    assert.equal(checkMetrics(text), '');
    assert.doesNotMatch(text, /^fake_metric/m);
    const info = sampleLines(text, `cloudscan_sas_server_info{account="prod",uuid="${first!.uuid}"`);
    assert.deepEqual(info, [
      `cloudscan_sas_server_info{account="prod",uuid="${first!.uuid}",instance="web-01",instance_id="${first!.instanceId}",region="cn-hangzhou",ip="10.0.0.1___1_fake_metric_1",os="WindowsServer \\"2022\\""} 1`,
    ]);
    assert.equal(
      valueOf(text, `cloudscan_sas_agent_state{account="prod",uuid="${second!.uuid}",instance="${second!.instanceName}",state="unknown"}`),
      1,
    );
    assert.deepEqual(
      ['online', 'offline', 'paused', 'unknown'].map((state) => valueOf(text, `cloudscan_sas_agents{account="prod",state="${state}"}`)),
      [2, 0, 0, 1],
    );
    // The IP, the OS, the name and the unknown ClientStatus: a warning each, all in one answer, counted once.
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="prod",action="DescribeCloudCenterInstances",code="invalid_response"}',
      ),
      1,
    );
    assert.match(running.logText(), /ClientStatus \\?"uninstalled\\?" is none of online, offline or pause/);
    assert.deepEqual(duplicateSeries(text), []);
  });
});
