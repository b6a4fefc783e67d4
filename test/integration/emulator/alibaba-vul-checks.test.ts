// The emulator's vulnerability checks: what DescribeOnceTask lists (TaskType VUL_CHECK_TASK), checks
// started on a schedule and from the console, checks that fail or time out, servers that join while
// one runs, and how each check moves (and only it moves) the subtasks of the servers it covers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AlibabaEmulator, type AlibabaEmulatorAccount } from '../../../src/emulator/alibaba/index.js';
import { generatedFleet } from '../../../src/emulator/alibaba/fleet.js';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';
import { RpcClient } from '../../../src/sources/alibaba/rpc-client.js';

const KEYS = { accessKeyId: 'LTAI5tEmuVulChecks0001', accessKeySecret: 'emulator-vul-checks-secret-000001' };
const START = Date.UTC(2026, 10, 23, 4, 0, 0);
const MINUTE = 60_000;

/** An emulator without HTTP, its clock moved by the test. */
function emulated(account: Partial<AlibabaEmulatorAccount> = {}) {
  let now = START;
  const emulator = new AlibabaEmulator({ accounts: [{ name: 'a', ...KEYS, fleetSize: 3, ...account }] }, () => now);
  return { emulator, at: (ms: number) => (now = ms), uuids: () => emulator.servers('a').map((s) => s.uuid) };
}

/** Each server's subtask states, joined: "4444" is every type complete. */
function states(emulator: AlibabaEmulator, uuids: readonly string[], at?: number): string[] {
  return uuids.map((uuid) =>
    emulator
      .vulCheckAnswer('a', uuid, undefined, undefined, at)
      .TaskStatuses.flatMap((task) => task.TaskStatusList.map((subtask) => subtask.Status))
      .join(''),
  );
}

describe('a continuously checking account (the default)', () => {
  test('lists one scheduled check, started with the account and never ending, while its subtasks keep moving', () => {
    const { emulator, at, uuids } = emulated({ cycleSeconds: 600 });
    at(START + 5 * MINUTE);
    const [check, ...others] = emulator.vulChecks('a');
    assert.deepEqual(others, []);
    assert.equal(check!.source, 'schedule');
    assert.equal(check!.startedAt, START);
    assert.deepEqual([check!.TaskStatus, check!.Progress], [1, '50%']);
    at(START + 36 * 60 * MINUTE);
    assert.equal(emulator.vulChecks('a')[0]!.TaskStatus, 1, 'still running a day and a half later');
    const seen = new Set(Array.from({ length: 20 }, (_, i) => states(emulator, uuids(), START + i * 30_000).join('|')));
    assert.ok(seen.size > 1, 'subtasks change while the check runs');
  });
});

describe("an account whose subtasks move only in checks (checks: 'tasks')", () => {
  test('starts with one finished check of every server: every subtask complete, and nothing moves without a check', () => {
    const { emulator, at, uuids } = emulated({ checks: 'tasks' });
    const [initial, ...others] = emulator.vulChecks('a');
    assert.deepEqual(others, []);
    assert.deepEqual([initial!.TaskStatus, initial!.Progress, initial!.source], [2, '100%', 'schedule']);
    const before = states(emulator, uuids());
    assert.deepEqual(before, ['4444', '4444', '4444']);
    at(START + 7 * 24 * 60 * MINUTE);
    assert.deepEqual(states(emulator, uuids()), before);
    assert.equal(emulator.vulCheckAnswer('a', uuids()[0]!).TaskStatuses[0]!.TaskId, initial!.taskId, 'the answer names the check');
  });

  test('a console check on two of three servers: listed as started, its servers from unhandled to complete by its end, the third untouched', () => {
    const { emulator, at, uuids } = emulated({ checks: 'tasks', failureRate: 0 });
    const [first, second, third] = uuids();
    const taskId = emulator.startVulCheck('a', { uuids: [first!, second!], durationSeconds: 600 });
    assert.match(taskId, /^[0-9a-f]{32}$/);
    assert.deepEqual(states(emulator, [first!, second!]), ['0000', '0000'], 'the checked servers start again from unhandled');
    at(START + 5 * MINUTE);
    const running = emulator.vulChecks('a')[0]!;
    assert.deepEqual([running.taskId, running.source, running.TaskStatus, running.Progress], [taskId, 'console', 1, '50%']);
    const seen = new Set(Array.from({ length: 11 }, (_, i) => states(emulator, [first!], START + i * MINUTE)[0]));
    assert.ok(seen.size >= 3, `the subtasks walk through their states: ${[...seen].join(', ')}`);
    at(START + 10 * MINUTE);
    const done = emulator.vulChecks('a')[0]!;
    assert.deepEqual([done.TaskStatus, done.Progress], [2, '100%']);
    assert.deepEqual(states(emulator, uuids()), ['4444', '4444', '4444']);
    assert.equal(emulator.vulCheckAnswer('a', first!).TaskStatuses[0]!.TaskId, taskId);
    assert.notEqual(emulator.vulCheckAnswer('a', third!).TaskStatuses[0]!.TaskId, taskId, 'the third server still shows its last check');
    at(START + 60 * MINUTE);
    assert.deepEqual(states(emulator, uuids()), ['4444', '4444', '4444'], 'and nothing moves after it');
  });

  test('a check that fails or times out stops half way: its unfinished subtasks stay as they were', () => {
    for (const [endsAs, status] of [
      ['failed', 3],
      ['timeout', 4],
    ] as const) {
      const { emulator, at, uuids } = emulated({ checks: 'tasks', fleetSize: 40 });
      emulator.startVulCheck('a', { durationSeconds: 600, endsAs });
      at(START + 6 * MINUTE);
      const ended = emulator.vulChecks('a')[0]!;
      assert.deepEqual([ended.TaskStatus, ended.Progress], [status, '50%'], endsAs);
      const stopped = states(emulator, uuids());
      assert.ok(
        stopped.some((s) => s !== '4444'),
        `${endsAs}: some subtasks left unfinished`,
      );
      assert.ok(
        stopped.some((s) => s.includes('4')),
        `${endsAs}: some finished before it stopped`,
      );
      at(START + 3 * 60 * MINUTE);
      assert.deepEqual(states(emulator, uuids()), stopped, `${endsAs}: and they stay so`);
    }
  });

  test('scheduled checks cover the servers the account had when each started; a server that joins during one is in the next', () => {
    const every = 60 * MINUTE;
    const { emulator, at } = emulated({
      checks: 'tasks',
      schedule: { everySeconds: every / 1000, durationSeconds: 600, firstAt: START + every },
    });
    at(START + every + 2 * MINUTE);
    const servers = emulator.servers('a');
    const joined = generatedFleet('a', 4)[3]!;
    emulator.setServers('a', [...servers, joined]);
    const [scheduled] = emulator.vulChecks('a');
    assert.deepEqual([scheduled!.source, scheduled!.TaskStatus, scheduled!.startedAt], ['schedule', 1, START + every]);
    assert.deepEqual(emulator.vulCheckAnswer('a', joined.uuid), { TotalCount: 0, TaskStatuses: [] }, 'not in the check it joined during');
    assert.equal(emulator.vulCheckAnswer('a', servers[0]!.uuid).TaskStatuses[0]!.TaskId, scheduled!.taskId);
    at(START + 2 * every + 20 * MINUTE);
    const [next] = emulator.vulChecks('a');
    assert.equal(next!.startedAt, START + 2 * every);
    assert.equal(emulator.vulCheckAnswer('a', joined.uuid).TaskStatuses[0]!.TaskId, next!.taskId);
    assert.equal(emulator.vulChecks('a').length, 3, 'the first check and two scheduled ones');
  });

  test("an agent that goes offline after a check does not change that check's results; the next check finds it offline", () => {
    const { emulator, at, uuids } = emulated({ checks: 'tasks', failureRate: 0 });
    const [server] = uuids();
    at(START + MINUTE);
    emulator.setClientStatus('a', server!, 'offline');
    assert.deepEqual(states(emulator, [server!]), ['4444']);
    assert.ok(emulator.vulCheckAnswer('a', server!).TaskStatuses[0]!.TaskStatusList.every((s) => s.Code === ''));
    emulator.startVulCheck('a', { durationSeconds: 60 });
    assert.ok(
      emulator
        .vulCheckAnswer('a', server!)
        .TaskStatuses[0]!.TaskStatusList.every((s) => s.Status === '4' && s.Code === 'push_command_failed'),
    );
  });

  test('a continuous account starts no check', () => {
    const { emulator } = emulated();
    assert.throws(() => emulator.startVulCheck('a', { durationSeconds: 60 }), /checks continuously/);
  });
});

describe('DescribeOnceTask over HTTP, as the API document gives it', () => {
  let emulator: Emulator;
  let now = START;
  let client: RpcClient;
  const call = (query: Record<string, string | number>) =>
    client.call('DescribeOnceTask', '2018-12-03', query, new AbortController().signal);

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
    emulator.alibaba.addAccount({ name: 'a', ...KEYS, fleetSize: 3, checks: 'tasks' });
    for (let i = 1; i <= 4; i++) {
      now = START + i * MINUTE;
      emulator.alibaba.startVulCheck('a', { durationSeconds: 90, ...(i === 4 ? { source: 'schedule' as const } : {}) });
    }
    now = START + 5 * MINUTE;
    client = new RpcClient({
      endpoint: { protocol: 'http', host: `127.0.0.1:${emulator.port}` },
      signer: KEYS,
      requestTimeoutSeconds: 5,
      secrets: () => [],
    });
  });
  after(() => emulator.close());

  test('lists the checks newest first, page by page, with TaskStatus a number, Progress a string and times in ms', async () => {
    const first = (await call({ TaskType: 'VUL_CHECK_TASK', CurrentPage: 1, PageSize: 2 })) as {
      TaskManageResponseList: Array<Record<string, unknown>>;
      PageInfo: Record<string, number>;
    };
    assert.deepEqual(first.PageInfo, { CurrentPage: 1, PageSize: 2, TotalCount: 5, Count: 2 });
    const [newest] = first.TaskManageResponseList;
    assert.deepEqual(
      { ...newest, TaskId: typeof newest!['TaskId'] },
      {
        TaskId: 'string',
        TaskType: 'VUL_CHECK_TASK',
        TaskName: 'VUL_CHECK_TASK',
        TaskStatus: 1,
        TaskStatusText: 'START',
        Progress: '66%',
        TaskStartTime: START + 4 * MINUTE,
      },
    );
    const older = first.TaskManageResponseList[1]!;
    assert.deepEqual([older['TaskStatus'], older['Progress'], older['TaskEndTime']], [2, '100%', START + 3 * MINUTE + 90_000]);
    const last = (await call({ TaskType: 'VUL_CHECK_TASK', CurrentPage: 3, PageSize: 2 })) as {
      TaskManageResponseList: unknown[];
      PageInfo: { Count: number };
    };
    assert.equal(last.PageInfo.Count, 1);
  });

  test('StartTimeQuery keeps the checks started since; Source and TaskId filter; another task type has none', async () => {
    const list = async (query: Record<string, string | number>) =>
      (
        (await call({ TaskType: 'VUL_CHECK_TASK', ...query })) as { TaskManageResponseList: Array<{ TaskStartTime: number }> }
      ).TaskManageResponseList.map((t) => t.TaskStartTime);
    assert.deepEqual(await list({ StartTimeQuery: START + 3 * MINUTE }), [START + 4 * MINUTE, START + 3 * MINUTE]);
    assert.deepEqual(await list({ Source: 'schedule' }), [START + 4 * MINUTE, START - 120 * MINUTE]);
    assert.equal((await list({ Source: 'console' })).length, 3);
    const [latest] = emulator.alibaba.vulChecks('a');
    assert.deepEqual(await list({ TaskId: latest!.taskId }), [START + 4 * MINUTE]);
    const other = (await call({ TaskType: 'CLIENT_PROBLEM_CHECK' })) as { PageInfo: { TotalCount: number } };
    assert.equal(other.PageInfo.TotalCount, 0);
  });

  test("with RootTaskId, the check's subtasks: one per server it covers, naming it in DetailData", async () => {
    const [latest] = emulator.alibaba.vulChecks('a');
    const answer = (await call({ RootTaskId: latest!.taskId })) as {
      TaskManageResponseList: Array<{ DetailData: string; TaskStatus: number }>;
    };
    const named = answer.TaskManageResponseList.map((task) => (JSON.parse(task.DetailData) as Array<{ uuid: string }>)[0]!.uuid);
    assert.deepEqual(
      named,
      emulator.alibaba.servers('a').map((s) => s.uuid),
    );
  });

  test('TaskType and RootTaskId cannot both be empty; a TaskType not documented, a PageSize over 100 or a time that is no integer is IllegalParam', async () => {
    await assert.rejects(call({ CurrentPage: 1 }), { code: 'IllegalParam', message: /TaskType and RootTaskId/ });
    await assert.rejects(call({ TaskType: 'VUL_CHECK' }), { code: 'IllegalParam', message: /TaskType/ });
    await assert.rejects(call({ TaskType: 'VUL_CHECK_TASK', PageSize: 101 }), { code: 'IllegalParam', message: /PageSize/ });
    await assert.rejects(call({ TaskType: 'VUL_CHECK_TASK', StartTimeQuery: '2026-11-23' }), {
      code: 'IllegalParam',
      message: /StartTimeQuery/,
    });
  });
});
