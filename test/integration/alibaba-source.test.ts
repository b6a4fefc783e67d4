// The real Darabonba base client -> the emulator's Alibaba half -> AlibabaSource snapshots.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { AlibabaSource } from '../../src/sources/alibaba/source.js';
import { SasClient } from '../../src/sources/alibaba/client.js';
import { ApiError, type FetchContext } from '../../src/contract/types.js';
import { type AlibabaSnapshot, type SasSubtaskStatus } from '../../src/sources/alibaba/types.js';
import type { AlibabaAccountConfig } from '../../src/sources/alibaba/config.js';
import { endpointOf } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { fixturesDir } from '../support/paths.js';

const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);
const KEYS = { accessKeyId: 'LTAI5tEmulatorProdKey01', accessKeySecret: 'emulator-prod-secret-0123456789abcdef' };
const STATES = ['unhandled', 'collecting', 'collected', 'matching', 'complete'] as const;
const DOC_EXAMPLE = JSON.parse(
  readFileSync(join(fixturesDir, 'alibaba', 'describe-vul-check-task-status-detail.example.json'), 'utf8'),
) as unknown;

function context(previous?: AlibabaSnapshot): FetchContext<AlibabaSnapshot> {
  return {
    signal: new AbortController().signal,
    invoke: (_action, call) => call(new AbortController().signal, {}),
    staleBefore: 0,
    now: () => Date.now(),
    publish: () => {},
    ...(previous ? { previous } : {}),
  };
}

describe('Alibaba SAS source against the emulator', () => {
  let emulator: Emulator;
  let now = NOW;
  let config: AlibabaAccountConfig;
  const source = (overrides: Partial<AlibabaAccountConfig> = {}) => {
    const account = { ...config, ...overrides };
    return new AlibabaSource(account, new SasClient(account), () => now);
  };

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
    config = alibabaAccount('prod', KEYS, endpointOf(emulator));
  });
  after(() => emulator.close());
  beforeEach(() => {
    now = NOW;
    emulator.faults.clear();
    emulator.calls.clear();
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 3, tasksPerServer: 2 });
  });

  test('a fleet of 3 servers x 2 tasks x 4 types gives the exact snapshot, in 2 + N calls', async () => {
    const snapshot = await source().fetch(context());

    const expected = emulator.alibaba.servers('prod').map((server) => {
      const answer = emulator.alibaba.vulCheckAnswer('prod', server.uuid);
      const subtasks: SasSubtaskStatus[] = answer.TaskStatuses.flatMap((task) =>
        task.TaskStatusList.map((s) => ({ taskId: task.TaskId, type: s.Type, state: STATES[Number(s.Status)]!, code: s.Code })),
      );
      return { uuid: server.uuid, instanceName: server.instanceName, subtaskTotal: 2 * 4, subtasks, fetchedAt: NOW };
    });
    const agents = emulator.alibaba.servers('prod').map((server) => ({
      uuid: server.uuid,
      instanceName: server.instanceName,
      instanceId: server.instanceId,
      region: 'cn-hangzhou',
      ip: server.ip,
      os: server.os,
      agentVersion: '',
      state: 'online',
      coverage: 'protected',
      uncoveredSince: null,
    }));
    // The account checks continuously: its task list shows one check, started with it, running.
    const [check] = emulator.alibaba.vulChecks('prod');
    const taskList = {
      listedAt: NOW,
      tasks: [{ taskId: check!.taskId, status: '1', progress: '0%', startedAt: NOW, endedAt: null }],
      changedAt: NOW,
    };
    const reads = {
      last: { new: 3, no_signal: 0, unfinished: 0, task_list: 0, interval: 0, kept: 0 },
      savedTotal: 0,
      fallbacksTotal: { failed: 0, refused: 0 },
    };
    assert.deepEqual(snapshot, {
      provider: 'alibaba',
      account: 'prod',
      takenAt: NOW,
      servers: expected,
      agents,
      taskList,
      reads,
      errors: [],
      warnings: [],
    });
    assert.equal(snapshot.servers.flatMap((s) => s.subtasks).length, 3 * 2 * 4);
    assert.deepEqual(
      snapshot.servers.map((s) => s.instanceName),
      ['prod-host-0001', 'prod-host-0002', 'prod-host-0003'],
    );
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'DescribeCloudCenterInstances' }), 1);
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'DescribeOnceTask' }), 1);
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'DescribeVulCheckTaskStatusDetail' }), 3);
  });

  test('300 servers are discovered in 3 token pages, each read once: the last, full, carries no NextToken', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 300, tasksPerServer: 1 });
    const snapshot = await source().fetch(context());
    assert.equal(snapshot.agents?.length, 300);
    const pages = emulator.calls.list({ provider: 'alibaba', action: 'DescribeCloudCenterInstances' }).map((call) => call.params ?? {});
    assert.deepEqual(
      pages.map((params) => [params['NextToken'] ?? '', params['CurrentPage'] ?? '']),
      [
        ['', ''],
        [pages[1]?.['NextToken'] ?? 'a token', ''],
        [pages[2]?.['NextToken'] ?? 'a token', ''],
      ],
    );
    assert.equal(new Set(pages.map((params) => params['NextToken'] ?? '')).size, 3, 'three different pages');
  });

  test('agents in every ClientSubStatus, and a paused one, are each coverage; the uncovered stay so since first seen, until covered', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 12, tasksPerServer: 1, offlineAgents: 3, pausedAgents: 1 });
    const first = await source().fetch(context());
    const coverageOf = (snapshot: typeof first) =>
      Object.fromEntries((snapshot.agents ?? []).map((a) => [a.instanceName, [a.coverage, a.uncoveredSince]]));
    const byServer = Object.fromEntries(
      emulator.alibaba.servers('prod').map((s) => [s.instanceName, s.clientSubStatus ?? s.clientStatus ?? 'online']),
    );
    const expected: Record<string, string> = {
      online: 'protected',
      offline: 'agent_offline',
      uninstalled: 'agent_missing',
      stopped: 'server_stopped',
      pause: 'agent_paused',
    };
    assert.deepEqual(
      Object.fromEntries(Object.entries(coverageOf(first)).map(([name, [coverage]]) => [name, coverage])),
      Object.fromEntries(Object.entries(byServer).map(([name, sub]) => [name, expected[sub]])),
    );
    assert.deepEqual([...new Set(Object.values(coverageOf(first)).map(([coverage]) => coverage))].sort(), [
      'agent_missing',
      'agent_offline',
      'agent_paused',
      'protected',
      'server_stopped',
    ]);
    for (const [coverage, since] of Object.values(coverageOf(first))) {
      assert.equal(since, coverage === 'protected' || coverage === 'server_stopped' ? null : NOW, String(coverage));
    }
    // Ten minutes later: the offline one is back; the others are uncovered since the first listing.
    const back = emulator.alibaba.servers('prod').find((s) => s.clientSubStatus === 'offline')!;
    emulator.alibaba.setClientStatus('prod', back.uuid, 'online');
    now = NOW + 600_000;
    const later = await source().fetch(context(first));
    const uncovered = (later.agents ?? []).filter((a) => a.uncoveredSince !== null);
    assert.deepEqual(uncovered.map((a) => [a.coverage, a.uncoveredSince]).sort(), [
      ['agent_missing', NOW],
      ['agent_paused', NOW],
    ]);
    assert.equal(later.agents?.find((a) => a.uuid === back.uuid)?.coverage, 'protected');
  });

  test('subtasks move through the five states as time passes, some ending with a failure code', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 20, tasksPerServer: 2, cycleSeconds: 600 });
    const seen = new Set<string>();
    const codes = new Set<string>();
    for (let minute = 0; minute < 10; minute += 2) {
      now = NOW + minute * 60_000;
      const snapshot = await source().fetch(context());
      for (const subtask of snapshot.servers.flatMap((s) => s.subtasks)) {
        seen.add(subtask.state);
        if (subtask.code !== '') {
          codes.add(subtask.code);
          assert.equal(subtask.state, 'complete');
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...STATES].sort());
    assert.ok(codes.size > 0, 'some subtasks fail');
  });

  test("the API document's own example maps to Status 4 = complete with Code push_command_failed", async () => {
    const [first] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, DOC_EXAMPLE);
    const snapshot = await source({ servers: [first!.uuid] }).fetch(context());
    assert.deepEqual(snapshot.servers, [
      {
        uuid: first!.uuid,
        instanceName: '',
        subtaskTotal: 1,
        subtasks: [{ taskId: '16190385', type: 'cve', state: 'complete', code: 'push_command_failed' }],
        fetchedAt: NOW,
      },
    ]);
    assert.deepEqual(snapshot.warnings, []);
    assert.equal(emulator.calls.count({ action: 'DescribeCloudCenterInstances' }), 0, 'configured servers need no discovery');
    assert.equal(snapshot.agents, undefined, 'so their agents are not known');
  });

  test('a numeric TaskId in the answer becomes its decimal text', async () => {
    const [first] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
      TotalCount: 1,
      RequestId: 'r',
      TaskStatuses: [{ TaskId: 16190385, TaskStatusList: [{ Type: 'sca', Status: '1', Code: '' }] }],
    });
    const snapshot = await source({ servers: [first!.uuid] }).fetch(context());
    assert.deepEqual(snapshot.servers[0]!.subtasks, [{ taskId: '16190385', type: 'sca', state: 'collecting', code: '' }]);
  });

  test('configured task ids and types are sent as TaskIds.N and Types.N and filter the answer', async () => {
    const [first] = emulator.alibaba.servers('prod');
    const [task] = emulator.alibaba.taskIds('prod');
    const snapshot = await source({ servers: [first!.uuid], taskIds: [task!], types: ['cve', 'sca'] }).fetch(context());
    assert.deepEqual(
      snapshot.servers[0]!.subtasks.map((s) => [s.taskId, s.type]),
      [
        [task, 'cve'],
        [task, 'sca'],
      ],
    );
    assert.equal(snapshot.servers[0]!.subtaskTotal, 2, 'one task x two types');
  });

  test('discovery over several pages finds every server once', async () => {
    emulator.alibaba.setFleetSize('prod', 250);
    const servers = emulator.alibaba.servers('prod');
    emulator.alibaba.setServers('prod', [...servers, servers[7]!]); // listed twice by the cloud
    const snapshot = await source().fetch(context());
    assert.equal(snapshot.servers.length, 250);
    assert.deepEqual(new Set(snapshot.servers.map((s) => s.uuid)), new Set(servers.map((s) => s.uuid)));
    assert.equal(emulator.calls.count({ action: 'DescribeCloudCenterInstances' }), 3);
    assert.equal(emulator.calls.count({ action: 'DescribeVulCheckTaskStatusDetail' }), 250);
  });

  test('a server removed from the account disappears from the next snapshot', async () => {
    const first = await source().fetch(context());
    assert.equal(first.servers.length, 3);
    const [, second, third] = emulator.alibaba.servers('prod');
    emulator.alibaba.setServers('prod', [second!, third!]);
    const next = await source().fetch(context(first));
    assert.deepEqual(
      next.servers.map((s) => s.uuid),
      [second!.uuid, third!.uuid],
    );
  });

  test('a wrong AccessKey secret is SignatureDoesNotMatch, and the message holds no secret', async () => {
    const wrong = alibabaAccount('prod', { ...KEYS, accessKeySecret: 'not-the-secret-at-all-xyz' }, endpointOf(emulator));
    const error = await source(wrong)
      .fetch(context())
      .then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.equal(error.kind, 'auth');
    assert.equal(error.provider, 'alibaba');
    assert.ok(!error.message.includes('not-the-secret-at-all-xyz'));
    assert.ok(!JSON.stringify(error).includes('not-the-secret-at-all-xyz'));
  });

  test('a rotated secret on the cloud side fails the old key with SignatureDoesNotMatch', async () => {
    emulator.alibaba.setSecret('prod', 'rotated-secret-000000000000');
    await assert.rejects(source().fetch(context()), { code: 'SignatureDoesNotMatch' });
  });

  test('an unknown AccessKeyId is InvalidAccessKeyId.NotFound', async () => {
    const unknown = alibabaAccount('prod', { ...KEYS, accessKeyId: 'LTAI5tNobodyKnowsMe' }, endpointOf(emulator));
    await assert.rejects(source(unknown).fetch(context()), { code: 'InvalidAccessKeyId.NotFound', kind: 'auth' });
    // Discovery and the list of checks, asked at once; no server is asked about.
    assert.deepEqual(
      emulator.calls
        .list({ account: '' })
        .map((call) => call.action)
        .sort(),
      ['DescribeCloudCenterInstances', 'DescribeOnceTask'],
    );
  });

  test('Status "9" and a null Status become unknown with one warning of that kind, counted as one odd answer', async () => {
    const [first] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
      TotalCount: 1,
      RequestId: 'r',
      TaskStatuses: [
        {
          TaskId: '1',
          TaskStatusList: [
            { Type: 'cve', Status: '9', Code: '' },
            { Type: 'sys', Status: null },
          ],
        },
      ],
    });
    const snapshot = await source({ servers: [first!.uuid] }).fetch(context());
    assert.deepEqual(
      snapshot.servers[0]!.subtasks.map((s) => [s.type, s.state, s.code]),
      [
        ['cve', 'unknown', ''],
        ['sys', 'unknown', ''],
      ],
    );
    assert.equal(snapshot.warnings.length, 1);
    assert.match(snapshot.warnings[0]!.message, /unknown Status "9"/);
    assert.equal(snapshot.warnings[0]!.action, 'DescribeVulCheckTaskStatusDetail');
    assert.equal(snapshot.warnings[0]!.count, 2);
    assert.equal(snapshot.warnings[0]!.answers, 1);
  });

  test('a missing TaskStatusList or TaskStatuses gives no subtasks and a warning, not a crash', async () => {
    const [first, second, third] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, { TotalCount: 1, RequestId: 'r', TaskStatuses: [{ TaskId: '7' }] });
    emulator.alibaba.pinTaskStatus('prod', second!.uuid, { TotalCount: 3, RequestId: 'r' });
    emulator.alibaba.pinTaskStatus('prod', third!.uuid, { TotalCount: 0, RequestId: 'r' });
    const snapshot = await source({ servers: [first!.uuid, second!.uuid, third!.uuid] }).fetch(context());
    assert.deepEqual(
      snapshot.servers.map((s) => [s.subtaskTotal, s.subtasks.length]),
      [
        [1, 0],
        [3, 0],
        [0, 0],
      ],
    );
    assert.equal(snapshot.warnings.length, 2, 'TotalCount 0 without a list is a plain "none"');
    assert.match(snapshot.warnings[0]!.message, /TaskStatusList missing/);
    assert.match(snapshot.warnings[1]!.message, /TaskStatuses missing/);
    assert.deepEqual(snapshot.errors, []);
  });

  test('an answer without TotalCount (optional in the SDK) keeps the server and its subtasks, with no total', async () => {
    const [first, second] = emulator.alibaba.servers('prod');
    emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
      RequestId: 'r',
      TaskStatuses: [{ TaskId: '7', TaskStatusList: [{ Type: 'cve', Status: '4', Code: 'push_command_failed' }] }],
    });
    emulator.alibaba.pinTaskStatus('prod', second!.uuid, { RequestId: 'r', TotalCount: null, TaskStatuses: [] });
    const snapshot = await source({ servers: [first!.uuid, second!.uuid] }).fetch(context());
    assert.deepEqual(snapshot.errors, []);
    assert.deepEqual(snapshot.warnings, []);
    assert.deepEqual(
      snapshot.servers.map((s) => [s.uuid, s.subtaskTotal, s.subtasks]),
      [
        [first!.uuid, null, [{ taskId: '7', type: 'cve', state: 'complete', code: 'push_command_failed' }]],
        [second!.uuid, null, []],
      ],
    );
  });

  test('discovery reports every agent as ClientStatus says: online, offline, paused; by NextToken pages', async () => {
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 250, tasksPerServer: 1, offlineAgents: 30, pausedAgents: 5 });
    const snapshot = await source().fetch(context());
    const count = (state: string) => snapshot.agents!.filter((a) => a.state === state).length;
    assert.deepEqual([count('online'), count('offline'), count('paused'), count('unknown')], [215, 30, 5, 0]);
    assert.deepEqual(snapshot.warnings, []);
    const discovery = emulator.calls.list({ action: 'DescribeCloudCenterInstances' });
    assert.deepEqual(
      discovery.map((call) => [call.params?.['UseNextToken'], call.params?.['NextToken'] !== undefined, call.params?.['CurrentPage']]),
      [
        ['true', false, undefined],
        ['true', true, undefined],
        ['true', true, undefined],
      ],
    );
    assert.equal(snapshot.servers.length, 250, 'offline and paused agents are asked about too');
  });

  test('null-filled, malformed, wrongly shaped and oversized answers are invalid_response', async () => {
    const [first] = emulator.alibaba.servers('prod');
    const one = source({ servers: [first!.uuid] });
    const cases: Array<() => void> = [
      () => emulator.faults.add({ provider: 'alibaba', fault: { kind: 'null_fields' } }),
      () => emulator.faults.add({ provider: 'alibaba', fault: { kind: 'malformed_json' } }),
      () => emulator.faults.add({ provider: 'alibaba', fault: { kind: 'oversized', bytes: 5 * 1024 * 1024 } }),
      () => emulator.alibaba.pinTaskStatus('prod', first!.uuid, { TotalCount: 1, TaskStatuses: 'none' }),
      () =>
        emulator.alibaba.pinTaskStatus('prod', first!.uuid, {
          TotalCount: 1,
          TaskStatuses: [{ TaskId: '1', TaskStatusList: [{ Status: {} }] }],
        }),
      () => emulator.alibaba.pinTaskStatus('prod', first!.uuid, [1, 2]),
      () => emulator.alibaba.pinTaskStatus('prod', first!.uuid, '<html>gateway</html>'),
    ];
    for (const [i, arrange] of cases.entries()) {
      emulator.faults.clear();
      emulator.alibaba.pinTaskStatus('prod', first!.uuid, undefined);
      arrange();
      await assert.rejects(one.fetch(context()), { code: 'invalid_response', kind: 'invalid_response' }, `case ${i}`);
    }
  });

  test('a null-filled discovery answer is invalid_response', async () => {
    emulator.faults.add({ provider: 'alibaba', action: 'DescribeCloudCenterInstances', fault: { kind: 'null_fields' } });
    await assert.rejects(source().fetch(context()), { code: 'invalid_response', action: 'DescribeCloudCenterInstances' });
  });

  test('cloud error codes keep their code and are classified', async () => {
    const expectations: Array<[string, string]> = [
      ['Throttling.User', 'throttled'],
      ['Throttling.Api', 'throttled'],
      ['Throttling', 'throttled'],
      ['NoPermission', 'auth'],
      ['Forbidden.RAM', 'auth'],
      ['InvalidAccessKeyId.Inactive', 'auth'],
      ['ServerError', 'server'],
      ['ServiceUnavailable', 'server'],
      ['IllegalParam', 'client'],
    ];
    for (const [code, kind] of expectations) {
      emulator.faults.clear();
      emulator.faults.add({ provider: 'alibaba', fault: { kind: 'error', code } });
      await assert.rejects(source().fetch(context()), { code, kind, provider: 'alibaba' }, code);
    }
  });

  test('a failed server keeps its previous status (and old fetchedAt) and reports the error', async () => {
    const first = await source().fetch(context());
    const [victim] = emulator.alibaba.servers('prod');
    now = NOW + 60_000;
    emulator.faults.add({
      provider: 'alibaba',
      action: 'DescribeVulCheckTaskStatusDetail',
      fault: { kind: 'error', code: 'Throttling.User' },
      times: 1,
    });
    const next = await source({ servers: emulator.alibaba.servers('prod').map((s) => s.uuid) }).fetch(context(first));
    assert.equal(next.takenAt, NOW + 60_000);
    assert.equal(next.errors.length, 1);
    assert.equal(next.errors[0]!.code, 'Throttling.User');
    assert.equal(next.servers.length, 3);
    const kept = next.servers.find((s) => s.fetchedAt === NOW);
    assert.ok(kept, 'one server carried over');
    assert.deepEqual(
      kept,
      first.servers.find((s) => s.uuid === kept.uuid),
    );
    assert.ok(victim);
  });

  // A hang is ended by the request timeout or not at all: the test's own timeout is the bound.
  test('a reset connection is a network error; a hung answer is a timeout', { timeout: 30_000 }, async () => {
    emulator.faults.add({ provider: 'alibaba', fault: { kind: 'reset' } });
    await assert.rejects(source().fetch(context()), { code: 'network', kind: 'network' });
    emulator.faults.clear();
    emulator.faults.add({ provider: 'alibaba', fault: { kind: 'hang' } });
    await assert.rejects(source({ requestTimeoutSeconds: 0.3 }).fetch(context()), { code: 'timeout', kind: 'timeout' });
  });

  // The request timeout is far past the test's: only the aborted signal can end the wait in time.
  test("an aborted call's signal ends the wait with a timeout even while the request is still open", { timeout: 30_000 }, async () => {
    emulator.faults.add({ provider: 'alibaba', fault: { kind: 'hang' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const ctx: FetchContext<AlibabaSnapshot> = {
      signal: controller.signal,
      invoke: (_a, call) => call(controller.signal, {}),
      staleBefore: 0,
      now: () => Date.now(),
      publish: () => {},
    };
    await assert.rejects(source({ requestTimeoutSeconds: 600 }).fetch(ctx), { code: 'timeout' });
    assert.ok(controller.signal.aborted);
  });

  test('an emulator that is not there is a network error', async () => {
    const closed = await startEmulator();
    const endpoint = endpointOf(closed);
    await closed.close();
    await assert.rejects(source({ endpoint }).fetch(context()), { code: 'network', kind: 'network' });
  });

  test('calls per refresh for 1,000 discovered servers: 10 discovery pages + 1,000 status calls', async () => {
    emulator.alibaba.setFleetSize('prod', 1000);
    const snapshot = await source().fetch(context());
    assert.equal(snapshot.servers.length, 1000);
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'DescribeCloudCenterInstances' }), 10);
    assert.equal(emulator.calls.count({ provider: 'alibaba', action: 'DescribeVulCheckTaskStatusDetail' }), 1000);
  });
});
