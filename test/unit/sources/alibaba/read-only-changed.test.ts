// Read only what changed, on the fake clock: a refresh reads a server when it is new, when its last
// answer had a subtask not complete, when the list of vulnerability checks shows a check started,
// running, progressed or ended since its answer, or when its answer is full_read_interval old; the
// others are served from their last answer, with its time. Without the list (failed, refused, or
// not available to a member named through ResourceDirectoryAccountId) every server is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountCollector } from '../../../../src/collect/account-collector.js';
import { Invoker } from '../../../../src/collect/invoker.js';
import { ApiError } from '../../../../src/contract/types.js';
import { FEATURE_RETRY_MS } from '../../../../src/sources/kit/optional-feature.js';
import type { DescribeOnceTaskRequest, OnceTask } from '../../../../src/sources/alibaba/api.js';
import { TASK_LOOKBACK_MS } from '../../../../src/sources/alibaba/change-signal.js';
import type { SasClient } from '../../../../src/sources/alibaba/client.js';
import type { AlibabaAccountConfig } from '../../../../src/sources/alibaba/config.js';
import { AlibabaSource } from '../../../../src/sources/alibaba/source.js';
import type { AlibabaSnapshot } from '../../../../src/sources/alibaba/types.js';
import { Secret } from '../../../../src/base/secret.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { memoryLogger } from '../../../support/logger.js';

const TTL_MS = 60_000;
const HOUR = 3_600_000;
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A Security Center account: its servers with one subtask each, its checks, and the calls it was asked. */
class FakeCloud {
  servers: string[];
  /** Each server's subtask Status ("4" complete). */
  readonly status = new Map<string, string>();
  names = new Map<string, string>();
  checks: OnceTask[] = [];
  /** When set, DescribeOnceTask fails with it. */
  taskListError: ApiError | undefined;
  readonly reads: string[] = [];
  readonly taskListCalls: DescribeOnceTaskRequest[] = [];

  constructor(count: number) {
    this.servers = Array.from({ length: count }, (_, i) => uuid(i));
    for (const server of this.servers) this.status.set(server, '4');
  }

  client(): SasClient {
    return {
      describeCloudCenterInstances: async () => ({
        Instances: this.servers.map((Uuid) => ({
          Uuid,
          InstanceName: this.names.get(Uuid) ?? `host-${Uuid.slice(-3)}`,
          ClientStatus: 'online',
        })),
        PageInfo: { PageSize: 100, NextToken: '' },
        RequestId: 'r',
      }),
      describeOnceTask: async (request: DescribeOnceTaskRequest) => {
        this.taskListCalls.push(request);
        if (this.taskListError) throw this.taskListError;
        const listed = this.checks.filter((check) => (check.TaskStartTime ?? 0) >= (request.StartTimeQuery ?? 0));
        return {
          TaskManageResponseList: listed,
          PageInfo: { CurrentPage: 1, PageSize: 20, TotalCount: listed.length, Count: listed.length },
          RequestId: 'r',
        };
      },
      describeVulCheckTaskStatusDetail: async ({ Uuid }: { Uuid: string }) => {
        this.reads.push(Uuid);
        return {
          TotalCount: 1,
          RequestId: 'r',
          TaskStatuses: [{ TaskId: 't', TaskStatusList: [{ Type: 'cve', Status: this.status.get(Uuid) ?? '4', Code: '' }] }],
        };
      },
    } as unknown as SasClient;
  }
}

function setup(servers: number, overrides: Partial<AlibabaAccountConfig> = {}) {
  const clock = new FakeClock();
  const cloud = new FakeCloud(servers);
  const config: AlibabaAccountConfig = {
    name: 'shop',
    credentials: { source: 'static', accessKeyId: new Secret('id'), accessKeySecret: new Secret('secret') },
    region: 'cn-shanghai',
    endpoint: { protocol: 'http', host: '127.0.0.1:1' },
    servers: 'auto',
    taskIds: [],
    types: ['cve'],
    perServerSeries: true,
    rateLimit: 1000,
    requestTimeoutSeconds: 5,
    maxResponseBytes: 1024 * 1024,
    fullReadIntervalSeconds: 3 * 3600,
    ...overrides,
  };
  const observer = { onCall: () => {}, onInvalidAnswer: () => {} };
  const invoker = new Invoker({
    provider: 'alibaba',
    ratePerSecond: 1000,
    maxConcurrency: 10,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer,
  });
  const { logger, text } = memoryLogger();
  const source = new AlibabaSource(config, cloud.client(), () => clock.now());
  const collector = new AccountCollector<AlibabaSnapshot>(source, {
    ttlMs: TTL_MS,
    maxStaleMs: 24 * HOUR,
    clock,
    invoker,
    observer,
    logger,
  });
  /** One refresh, a TTL after the last: the servers it read, in order, and its snapshot. */
  const refresh = async (): Promise<{ read: string[]; snapshot: AlibabaSnapshot }> => {
    const before = cloud.reads.length;
    await clock.advance(TTL_MS);
    const lookup = collector.lookup(clock.now() + 9000);
    await clock.advance(1000);
    await lookup;
    await collector.settled();
    return { read: cloud.reads.slice(before), snapshot: collector.state().snapshot! };
  };
  return { clock, cloud, refresh, collector, logText: text };
}

/** A check as DescribeOnceTask lists it. */
function check(id: string, status: number, progress: string, startedAt: number, endedAt: number | null = null): OnceTask {
  return { TaskId: id, TaskStatus: status, Progress: progress, TaskStartTime: startedAt, TaskEndTime: endedAt };
}

test('between checks a refresh reads no server: one page of the task list and discovery, every answer served with its time', async () => {
  const { cloud, refresh } = setup(5);
  const first = await refresh();
  assert.equal(first.read.length, 5, 'the first refresh reads every server (all new)');
  const second = await refresh();
  assert.deepEqual(second.read, []);
  assert.deepEqual(second.snapshot.reads?.last, { new: 0, no_signal: 0, unfinished: 0, task_list: 0, interval: 0, kept: 5 });
  assert.equal(second.snapshot.reads?.savedTotal, 5);
  assert.deepEqual(
    second.snapshot.servers.map((s) => s.fetchedAt),
    first.snapshot.servers.map((s) => s.fetchedAt),
    'served from the first answers, with their time',
  );
  assert.equal(second.snapshot.servers[0], first.snapshot.servers[0], 'the very same answer: its series are not rendered again');
  assert.equal(cloud.taskListCalls.length, 2);
  assert.equal((await refresh()).snapshot.reads?.savedTotal, 10);
});

test('a new server is read at once; the others are not', async () => {
  const { cloud, refresh } = setup(3);
  await refresh();
  await refresh();
  cloud.servers.push(uuid(3));
  const { read, snapshot } = await refresh();
  assert.deepEqual(read, [uuid(3)]);
  assert.equal(snapshot.reads?.last.new, 1);
  assert.equal(snapshot.servers.length, 4);
});

test('a server whose last answer had a subtask not complete is read on every refresh, until it is complete', async () => {
  const { cloud, refresh } = setup(3);
  cloud.status.set(uuid(1), '2');
  await refresh();
  assert.deepEqual((await refresh()).read, [uuid(1)]);
  assert.deepEqual((await refresh()).read, [uuid(1)]);
  cloud.status.set(uuid(1), '4');
  const { read, snapshot } = await refresh();
  assert.deepEqual(read, [uuid(1)]);
  assert.equal(snapshot.servers[1]!.subtasks[0]!.state, 'complete');
  assert.deepEqual((await refresh()).read, [], 'complete: no longer read');
});

test('a check that starts has every server read, on every refresh while it runs, once more when it has ended, and then none', async () => {
  const { clock, cloud, refresh } = setup(4);
  await refresh();
  await refresh();
  cloud.checks.push(check('c1', 1, '0%', clock.now()));
  cloud.status.set(uuid(0), '1');
  const started = await refresh();
  assert.equal(started.read.length, 4);
  assert.equal(started.snapshot.reads?.last.task_list, 4);
  assert.equal(started.snapshot.servers[0]!.subtasks[0]!.state, 'collecting', 'the change is served in the refresh that saw the check');
  // Running, its progress the same: servers change while it runs, so it is read again all the same.
  cloud.status.set(uuid(0), '4');
  const running = await refresh();
  assert.equal(running.read.length, 4);
  assert.equal(running.snapshot.servers[0]!.subtasks[0]!.state, 'complete');
  cloud.checks[0] = check('c1', 2, '100%', cloud.checks[0]!.TaskStartTime!, clock.now());
  assert.equal((await refresh()).read.length, 4, 'ended: every server once more');
  assert.deepEqual((await refresh()).read, [], 'then quiet');
});

test('a check that started and ended between two refreshes, never seen running, still has every server read once', async () => {
  const { clock, cloud, refresh } = setup(3);
  await refresh();
  await refresh();
  cloud.checks.push(check('short', 2, '100%', clock.now() + 1000, clock.now() + 20_000));
  assert.equal((await refresh()).read.length, 3);
  assert.deepEqual((await refresh()).read, []);
});

test('a check that failed or timed out counts as ended; one listed with an undocumented status counts as running', async () => {
  const { clock, cloud, refresh } = setup(2);
  await refresh();
  cloud.checks.push(check('t', 4, '50%', clock.now() + 1000, clock.now() + 5000));
  assert.equal((await refresh()).read.length, 2);
  assert.deepEqual((await refresh()).read, []);
  cloud.checks.push(check('odd', 7, '10%', clock.now() + 1000));
  const { read, snapshot } = await refresh();
  assert.equal(read.length, 2);
  assert.deepEqual((await refresh()).read.length, 2, 'still taken as running');
  assert.match(snapshot.warnings.map((w) => w.message).join('\n'), /TaskStatus "7" is none of 1 to 4; taken as running/);
});

test('the safety net: an answer full_read_interval old is read again whatever the list says', async () => {
  const { clock, refresh } = setup(3, { fullReadIntervalSeconds: 600 });
  await refresh();
  for (let i = 0; i < 8; i++) assert.deepEqual((await refresh()).read, [], `refresh ${i}`);
  await clock.advance(60_000);
  const { read, snapshot } = await refresh();
  assert.equal(read.length, 3);
  assert.equal(snapshot.reads?.last.interval, 3);
});

test("the list is asked for the checks started since the last read (less the signing clock's 15 minutes) or since a check that still ran, within 7 days", async () => {
  const { clock, cloud, refresh } = setup(1);
  const firstAt = clock.now() + TTL_MS;
  await refresh();
  assert.deepEqual(cloud.taskListCalls[0], {
    TaskType: 'VUL_CHECK_TASK',
    CurrentPage: 1,
    PageSize: 20,
    StartTimeQuery: firstAt - TASK_LOOKBACK_MS,
  });
  await refresh();
  assert.equal(cloud.taskListCalls[1]!.StartTimeQuery, firstAt - 15 * 60_000);
  const startedAt = clock.now() + 1000;
  cloud.checks.push(check('long', 1, '1%', startedAt));
  await refresh();
  await clock.advance(HOUR);
  await refresh();
  await refresh();
  assert.equal(cloud.taskListCalls[4]!.StartTimeQuery, startedAt, 'from the check that still ran, started over an hour before');
  assert.equal((await refresh()).snapshot.taskList?.tasks.length, 1);
});

test('a failed task list falls back to reading every server, counted and logged; the account stays up', async () => {
  const { cloud, refresh, collector, logText } = setup(3);
  await refresh();
  await refresh();
  cloud.taskListError = new ApiError(
    'alibaba',
    'DescribeOnceTask',
    'Throttling.User',
    'throttled',
    'DescribeOnceTask: Request was denied due to user flow control.',
    'REQ-1',
  );
  const failed = await refresh();
  assert.equal(failed.read.length, 3);
  assert.deepEqual(failed.snapshot.reads?.fallbacksTotal, { failed: 1, refused: 0 });
  assert.equal(failed.snapshot.reads?.last.no_signal, 3);
  assert.equal(failed.snapshot.taskList, undefined);
  assert.equal(collector.state().up, true);
  assert.match(
    logText(),
    /DescribeOnceTask failed \(Throttling\.User, request id REQ-1\): without the list of vulnerability checks every server is read this refresh/,
  );
  cloud.taskListError = undefined;
  assert.equal((await refresh()).read.length, 3, 'back, but with nothing to compare with: every server once more');
  const quiet = await refresh();
  assert.deepEqual(quiet.read, []);
  assert.deepEqual(quiet.snapshot.reads?.fallbacksTotal, { failed: 1, refused: 0 }, 'a counter: it keeps its count');
});

test('refused for lack of permission: every server read, the account up, the part off and asked again only after FEATURE_RETRY_MS', async () => {
  const { clock, cloud, refresh, collector, logText } = setup(2);
  cloud.taskListError = new ApiError(
    'alibaba',
    'DescribeOnceTask',
    'NoPermission',
    'auth',
    'DescribeOnceTask: You are not authorized to do this action.',
  );
  const first = await refresh();
  assert.equal(first.read.length, 2);
  assert.deepEqual(
    first.snapshot.featuresOff?.map((f) => [f.action, f.permission]),
    [['DescribeOnceTask', 'yundun-sas:DescribeOnceTask']],
  );
  assert.equal(collector.state().up, true);
  assert.match(logText(), /DescribeOnceTask is refused for lack of permission[^\n]*Add yundun-sas:DescribeOnceTask/);
  const second = await refresh();
  assert.equal(second.read.length, 2);
  assert.deepEqual(second.snapshot.reads?.fallbacksTotal, { failed: 0, refused: 2 });
  assert.equal(cloud.taskListCalls.length, 1, 'not asked again before its retry');
  cloud.taskListError = undefined;
  await clock.advance(FEATURE_RETRY_MS);
  const allowed = await refresh();
  assert.equal(cloud.taskListCalls.length, 2);
  assert.equal(allowed.snapshot.featuresOff, undefined);
  assert.equal(allowed.read.length, 2, 'nothing to compare with yet');
  assert.deepEqual((await refresh()).read, []);
});

test('a member named through ResourceDirectoryAccountId has no task list: DescribeOnceTask is never called, every server read', async () => {
  const { cloud, refresh } = setup(3, { resourceDirectoryAccountId: '1234567890123456' });
  await refresh();
  const { read, snapshot } = await refresh();
  assert.equal(read.length, 3);
  assert.equal(snapshot.reads?.last.no_signal, 3);
  assert.deepEqual(snapshot.reads?.fallbacksTotal, { failed: 0, refused: 0 }, 'not a fallback: there is none to have');
  assert.equal(cloud.taskListCalls.length, 0);
});

test('a server renamed in discovery is served with its new name, without being read', async () => {
  const { cloud, refresh } = setup(2);
  await refresh();
  cloud.names.set(uuid(1), 'renamed');
  const { read, snapshot } = await refresh();
  assert.deepEqual(read, []);
  assert.equal(snapshot.servers[1]!.instanceName, 'renamed');
});
