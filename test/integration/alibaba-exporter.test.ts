// Alibaba Security Center end to end in one process: the real Darabonba client -> the emulator ->
// the exporter's cache and metrics -> GET /metrics over real HTTP.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { COUNTER_FAMILIES, families, sampleLines, valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { fixturesDir } from '../support/paths.js';
import { checkMetrics } from '../support/promtool.js';

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);
const PROD = { accessKeyId: 'LTAI5tExporterProd0001', accessKeySecret: 'exporter-test-prod-secret-000000001' };
const SHOP = { accessKeyId: 'LTAI5tExporterShop0001', accessKeySecret: 'exporter-test-shop-secret-000000001' };
const STATES = ['unhandled', 'collecting', 'collected', 'matching', 'complete', 'unknown'] as const;
const SAS_FAMILIES = [
  'cloudscan_sas_vul_check_subtask_state',
  'cloudscan_sas_vul_check_subtask_failed',
  'cloudscan_sas_vul_check_subtasks',
  'cloudscan_sas_server_vul_check_subtasks',
  'cloudscan_sas_agent_state',
  'cloudscan_sas_agents',
  'cloudscan_sas_server_info',
  'cloudscan_sas_refresh_servers',
  'cloudscan_sas_refresh_calls_saved_total',
  'cloudscan_sas_change_signal_fallbacks_total',
];
const AGENT_STATES = ['online', 'offline', 'paused', 'unknown'] as const;

describe('Alibaba Security Center through the exporter', () => {
  let emulator: Emulator;
  let running: Running | undefined;
  let now = NOW;

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.faults.clear();
    emulator.calls.clear();
    now = NOW;
  });

  async function exporterFor(accounts: Array<[string, typeof PROD]>, ttlSeconds = 60, perServerSeries = true) {
    running = await startExporter(
      exporterConfig({
        ttlSeconds,
        alibaba: accounts.map(([name, keys]) => alibabaAccount(name, keys, endpointOf(emulator), { perServerSeries })),
      }),
    );
    return running;
  }

  test('3 servers x 2 tasks x 4 types give the exact per-server and aggregated series', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 3, tasksPerServer: 2 });
    const exporter = await exporterFor([['prod', PROD]]);
    const text = await exporter.scrape();

    const expectedStates: string[] = [];
    const expectedFailed: string[] = [];
    const expectedTasks: string[] = [];
    const counts = new Map<string, number>();
    for (const server of emulator.alibaba.servers('prod')) {
      const answer = emulator.alibaba.vulCheckAnswer('prod', server.uuid);
      const base = `account="prod",uuid="${server.uuid}",instance="${server.instanceName}"`;
      expectedTasks.push(`cloudscan_sas_server_vul_check_subtasks{${base}} 8`);
      for (const task of answer.TaskStatuses) {
        for (const subtask of task.TaskStatusList) {
          const state = STATES[Number(subtask.Status)]!;
          const labels = `${base},task_id="${task.TaskId}",type="${subtask.Type}"`;
          for (const s of STATES) {
            expectedStates.push(`cloudscan_sas_vul_check_subtask_state{${labels},state="${s}"} ${s === state ? 1 : 0}`);
          }
          if (subtask.Code) expectedFailed.push(`cloudscan_sas_vul_check_subtask_failed{${labels},code="${subtask.Code}"} 1`);
          counts.set(`${subtask.Type}/${state}`, (counts.get(`${subtask.Type}/${state}`) ?? 0) + 1);
        }
      }
    }
    const expectedCounts = ['cve', 'sys', 'cms', 'sca'].flatMap((type) =>
      STATES.map((s) => `cloudscan_sas_vul_check_subtasks{account="prod",type="${type}",state="${s}"} ${counts.get(`${type}/${s}`) ?? 0}`),
    );

    assert.equal(expectedStates.length, 3 * 2 * 4 * 6);
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_vul_check_subtask_state{'), expectedStates.sort());
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_vul_check_subtask_failed{'), expectedFailed.sort());
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_vul_check_subtasks{'), expectedCounts.sort());
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{'), expectedTasks.sort());
    const servers = emulator.alibaba.servers('prod');
    assert.deepEqual(
      sampleLines(text, 'cloudscan_sas_agent_state{'),
      servers
        .flatMap((server) =>
          AGENT_STATES.map(
            (s) =>
              `cloudscan_sas_agent_state{account="prod",uuid="${server.uuid}",instance="${server.instanceName}",state="${s}"} ${s === 'online' ? 1 : 0}`,
          ),
        )
        .sort(),
    );
    assert.deepEqual(
      sampleLines(text, 'cloudscan_sas_server_info{'),
      servers
        .map(
          (server) =>
            `cloudscan_sas_server_info{account="prod",uuid="${server.uuid}",instance="${server.instanceName}",instance_id="${server.instanceId}",region="cn-hangzhou",ip="${server.ip}",os="${server.os}"} 1`,
        )
        .sort(),
    );
    assert.deepEqual(
      sampleLines(text, 'cloudscan_sas_agents{'),
      AGENT_STATES.map((s) => `cloudscan_sas_agents{account="prod",state="${s}"} ${s === 'online' ? 3 : 0}`).sort(),
    );
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="prod"}'), 1);
    // One discovery page, one page of the task list and one status call per server: 1 + 1 + 3.
    assert.equal(emulator.calls.count({ provider: 'alibaba' }), 5);
    assert.equal(checkMetrics(text), '');
  });

  test("the API document's example answer maps to the golden series, Status 4 with push_command_failed included, and every counter is there from the first scrape", async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 1 });
    const [server] = emulator.alibaba.servers('prod');
    const example = readFileSync(join(fixturesDir, 'alibaba', 'describe-vul-check-task-status-detail.example.json'), 'utf8');
    emulator.alibaba.pinTaskStatus('prod', server!.uuid, JSON.parse(example));
    const exporter = await exporterFor([['prod', PROD]]);
    const text = families(await exporter.scrape(), [...SAS_FAMILIES, ...COUNTER_FAMILIES]);

    const golden = join(fixturesDir, 'golden', 'alibaba-doc-example.prom');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    assert.equal(text, readFileSync(golden, 'utf8'));
    assert.equal(checkMetrics(text), '');
  });

  test('per_server_series: false keeps only the aggregated counts, of subtasks and of agents', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 3, tasksPerServer: 2, offlineAgents: 1 });
    const exporter = await exporterFor([['prod', PROD]], 60, false);
    const text = await exporter.scrape();
    assert.deepEqual(
      sampleLines(
        text,
        'cloudscan_sas_vul_check_subtask_state{',
        'cloudscan_sas_server_vul_check_subtasks{',
        'cloudscan_sas_agent_state{',
        'cloudscan_sas_server_info{',
      ),
      [],
    );
    const total = sampleLines(text, 'cloudscan_sas_vul_check_subtasks{').reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    assert.equal(total, 3 * 2 * 4);
    assert.deepEqual(
      AGENT_STATES.map((s) => valueOf(text, `cloudscan_sas_agents{account="prod",state="${s}"}`)),
      [2, 1, 0, 0],
    );
  });

  test('a scrape shows offline and paused agents, one-hot and counted; an agent back online is shown so at the next refresh', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 10, tasksPerServer: 1, offlineAgents: 2, pausedAgents: 1 });
    const exporter = await exporterFor([['prod', PROD]], 0);
    const text = await exporter.scrape();
    const offline = emulator.alibaba.servers('prod').filter((s) => s.clientStatus === 'offline');
    const state = (body: string, uuid: string) =>
      AGENT_STATES.filter(
        (s) =>
          valueOf(
            body,
            `cloudscan_sas_agent_state{account="prod",uuid="${uuid}",instance="${emulator.alibaba.servers('prod').find((x) => x.uuid === uuid)!.instanceName}",state="${s}"}`,
          ) === 1,
      );
    assert.deepEqual(
      offline.map((s) => state(text, s.uuid)),
      [['offline'], ['offline']],
    );
    assert.deepEqual(
      AGENT_STATES.map((s) => valueOf(text, `cloudscan_sas_agents{account="prod",state="${s}"}`)),
      [7, 2, 1, 0],
    );
    // Their checks could not be sent: the failure the agent's state explains.
    assert.equal(sampleLines(text, `cloudscan_sas_vul_check_subtask_failed{account="prod",uuid="${offline[0]!.uuid}"`).length, 4);

    emulator.alibaba.setClientStatus('prod', offline[0]!.uuid, 'online');
    const next = await exporter.scrapeAfterRefresh();
    assert.deepEqual(state(next, offline[0]!.uuid), ['online']);
    assert.deepEqual(
      AGENT_STATES.map((s) => valueOf(next, `cloudscan_sas_agents{account="prod",state="${s}"}`)),
      [8, 1, 1, 0],
    );
    assert.equal(checkMetrics(next), '');
  });

  test('servers listed in the configuration are not discovered, so no agent series is made up for them', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 2, offlineAgents: 1 });
    running = await startExporter(
      exporterConfig({
        alibaba: [alibabaAccount('prod', PROD, endpointOf(emulator), { servers: emulator.alibaba.servers('prod').map((s) => s.uuid) })],
      }),
    );
    const text = await running.scrape();
    assert.equal(sampleLines(text, 'cloudscan_sas_vul_check_subtask_state{account="prod"').length, 2 * 2 * 4 * 6);
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_agent_state{', 'cloudscan_sas_agents{', 'cloudscan_sas_server_info{'), []);
    assert.equal(emulator.calls.count({ action: 'DescribeCloudCenterInstances' }), 0);
  });

  test('an answer without TotalCount does not fail the server: its subtasks are served, its total is absent, the account up', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 2 });
    const [first] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
      RequestId: 'r',
      TaskStatuses: [{ TaskId: 't1', TaskStatusList: [{ Type: 'cve', Status: '3', Code: '' }] }],
    });
    const exporter = await exporterFor([['prod', PROD]]);
    const text = await exporter.scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="prod"}'), 1);
    const labels = `account="prod",uuid="${first!.uuid}",instance="${first!.instanceName}"`;
    assert.equal(valueOf(text, `cloudscan_sas_vul_check_subtask_state{${labels},task_id="t1",type="cve",state="matching"}`), 1);
    assert.deepEqual(sampleLines(text, `cloudscan_sas_server_vul_check_subtasks{${labels}}`), []);
    assert.equal(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{').length, 1, 'the other server has its total');
    assert.deepEqual(
      sampleLines(text, 'cloudscan_api_errors_total{').filter((line) => !line.endsWith(' 0')),
      [],
    );
  });

  test('discovery over several pages finds every server once; a server gone from discovery is gone from /metrics', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 250, tasksPerServer: 1, types: ['cve'] });
    const exporter = await exporterFor([['prod', PROD]], 0);
    const before = sampleLines(await exporter.scrape(), 'cloudscan_sas_server_vul_check_subtasks{');
    assert.equal(before.length, 250);
    assert.equal(new Set(before).size, 250);
    assert.equal(emulator.calls.count({ action: 'DescribeCloudCenterInstances' }), 3);

    const kept = emulator.alibaba.servers('prod').slice(0, 249);
    const gone = emulator.alibaba.servers('prod')[249]!;
    emulator.alibaba.setServers('prod', kept);
    const text = await exporter.scrapeAfterRefresh();
    assert.equal(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{').length, 249);
    assert.doesNotMatch(text, new RegExp(gone.uuid));
  });

  test('a wrong AccessKey secret marks only that account down, counted by the cloud code', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 2 });
    emulator.alibaba.addAccount({ name: 'shop', ...SHOP, fleetSize: 2 });
    const exporter = await exporterFor([
      ['prod', { ...PROD, accessKeySecret: 'not-the-right-secret-000000000000' }],
      ['shop', SHOP],
    ]);
    const text = await exporter.scrape();
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="prod"}'), 0);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="prod",action="DescribeCloudCenterInstances",code="SignatureDoesNotMatch"}',
      ),
      1,
    );
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="shop"}'), 1);
    assert.equal(sampleLines(text, 'cloudscan_sas_server_vul_check_subtasks{account="shop"').length, 2);
    assert.doesNotMatch(text, /not-the-right-secret/);
    assert.doesNotMatch(exporter.logText(), /not-the-right-secret/);
  });

  test('Status "9" and a missing TaskStatusList give unknown or absent series and a counted invalid_response', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 2 });
    const [first, second] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
      TotalCount: 1,
      RequestId: 'r1',
      TaskStatuses: [{ TaskId: 't9', TaskStatusList: [{ Type: 'cve', Status: '9', Code: '' }] }],
    });
    emulator.alibaba.pinTaskStatus('prod', second!.uuid, { TotalCount: 1, RequestId: 'r2', TaskStatuses: [{ TaskId: 't0' }] });
    const exporter = await exporterFor([['prod', PROD]]);
    const text = await exporter.scrape();

    const labels = `account="prod",uuid="${first!.uuid}",instance="${first!.instanceName}",task_id="t9",type="cve"`;
    assert.equal(valueOf(text, `cloudscan_sas_vul_check_subtask_state{${labels},state="unknown"}`), 1);
    assert.equal(valueOf(text, `cloudscan_sas_vul_check_subtask_state{${labels},state="unhandled"}`), 0);
    assert.deepEqual(sampleLines(text, `cloudscan_sas_vul_check_subtask_state{account="prod",uuid="${second!.uuid}"`), []);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="prod",action="DescribeVulCheckTaskStatusDetail",code="invalid_response"}',
      ),
      2,
    );
    assert.match(exporter.logText(), /unknown Status \\?"9\\?"/);
  });

  test('a null-filled answer is invalid_response and the last good values are still served', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...PROD, fleetSize: 1 });
    const exporter = await exporterFor([['prod', PROD]], 0);
    const good = sampleLines(await exporter.scrape(), 'cloudscan_sas_vul_check_subtask_state{');
    assert.ok(good.length > 0);
    emulator.faults.add({ provider: 'alibaba', action: 'DescribeVulCheckTaskStatusDetail', fault: { kind: 'null_fields' } });
    const text = await exporter.scrapeAfterRefresh();
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="prod"}'), 0);
    assert.deepEqual(sampleLines(text, 'cloudscan_sas_vul_check_subtask_state{'), good);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="alibaba",account="prod",action="DescribeVulCheckTaskStatusDetail",code="invalid_response"}',
      ),
      1,
    );
  });
});
