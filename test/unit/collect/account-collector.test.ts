import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountCollector } from '../../../src/collect/account-collector.js';
import { Invoker } from '../../../src/collect/invoker.js';
import { ApiError, type FetchContext, type Source } from '../../../src/contract/types.js';
import { type TencentSnapshot } from '../../../src/sources/tencent/types.js';
import { FakeClock, settle } from '../../support/fake-clock.js';
import { memoryLogger } from '../../support/logger.js';

/** A source whose answers the test hands out one by one. */
class ScriptedSource implements Source<TencentSnapshot> {
  readonly provider = 'tencent' as const;
  readonly account = 'prod';
  calls = 0;
  context: FetchContext<TencentSnapshot> | undefined;
  #pending: Array<{ resolve: (s: TencentSnapshot) => void; reject: (e: unknown) => void }> = [];

  fetch(context: FetchContext<TencentSnapshot>): Promise<TencentSnapshot> {
    this.calls++;
    this.context = context;
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  }

  succeed(takenAt: number, riskEventCount = 1): void {
    this.#pending.shift()!.resolve(snapshot(takenAt, riskEventCount));
  }

  /** Answers with data, but with one of the refresh's calls failed. */
  succeedPartly(takenAt: number, riskEventCount = 1): void {
    const partial = snapshot(takenAt, riskEventCount);
    partial.errors.push(new ApiError('tencent', 'DescribeScanState', 'InternalError', 'server', 'InternalError: try later'));
    this.#pending.shift()!.resolve(partial);
  }

  /** Answers with data, and `failed` of its calls failed (a fleet's servers, each with its own call). */
  succeedWithFailures(takenAt: number, failed: number): void {
    const partial = snapshot(takenAt, 1);
    for (let i = 0; i < failed; i++)
      partial.errors.push(
        new ApiError('tencent', 'DescribeScanState', i % 2 ? 'InternalError' : 'ResourceNotFound', 'server', `server ${i} failed`),
      );
    this.#pending.shift()!.resolve(partial);
  }

  fail(code: string): void {
    this.#pending.shift()!.reject(new ApiError('tencent', 'DescribeScanState', code, 'auth', `${code}: denied`));
  }
}

function snapshot(takenAt: number, riskEventCount: number): TencentSnapshot {
  return {
    provider: 'tencent',
    account: 'prod',
    takenAt,
    errors: [],
    warnings: [],
    scans: [
      {
        module: 'Vul',
        strategyId: '',
        strategyName: '',
        state: 'completed',
        progressRatio: 1,
        riskEventCount,
        vulnerabilityCount: 1,
        startTime: null,
        endTime: null,
        taskId: '1',
        trigger: 'scheduled',
        kbCount: null,
      },
    ],
  };
}

function setup() {
  const clock = new FakeClock();
  const source = new ScriptedSource();
  const { logger, text } = memoryLogger();
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 20,
    maxConcurrency: 4,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer: { onCall: () => {}, onInvalidAnswer: () => {} },
  });
  const collector = new AccountCollector(source, {
    ttlMs: 60_000,
    maxStaleMs: 600_000,
    clock,
    invoker,
    observer: { onCall: () => {}, onInvalidAnswer: () => {} },
    logger,
  });
  return { clock, source, collector, logText: text };
}

test('concurrent scrapes of a cold cache share one refresh', async () => {
  const { clock, source, collector } = setup();
  const lookups = Array.from({ length: 50 }, () => collector.lookup(clock.now() + 9000));
  await settle();
  assert.equal(source.calls, 1);
  source.succeed(clock.now());
  const results = await Promise.all(lookups);
  assert.ok(results.every((r) => r.state.up && r.state.snapshot?.scans.length === 1));
});

test('scrapes within the TTL are served from the cache without calling the source', async () => {
  const { clock, source, collector } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now());
  await first;
  await clock.advance(59_000);
  const cached = await collector.lookup(clock.now() + 9000);
  assert.equal(cached.cacheHit, true);
  assert.equal(source.calls, 1);
  await clock.advance(1000);
  const due = collector.lookup(clock.now() + 9000);
  await settle();
  assert.equal(source.calls, 2);
  source.succeed(clock.now());
  assert.equal((await due).cacheHit, false);
});

test('a failed refresh keeps the last good data, marks the account down, and says why', async () => {
  const { clock, source, collector, logText } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now(), 7);
  await first;
  await clock.advance(60_000);
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.fail('AuthFailure.SignatureFailure');
  await collector.settled();
  const { state } = await collector.lookup(clock.now() + 9000);
  assert.equal(state.up, false);
  assert.equal(state.lastError?.code, 'AuthFailure.SignatureFailure');
  assert.equal(state.snapshot?.scans[0]?.riskEventCount, 7);
  assert.match(logText(), /serving the last good data/);
});

test('data older than max_stale is dropped rather than shown as current', async () => {
  const { clock, source, collector } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now());
  await first;
  const before = collector.state().version;
  await clock.advance(600_001);
  const state = collector.state();
  assert.equal(state.snapshot, undefined);
  assert.notEqual(state.version, before);
});

test('a scrape answers at its deadline while a slow refresh goes on and fills the cache', async () => {
  const { clock, source, collector } = setup();
  const lookup = collector.lookup(clock.now() + 2000);
  await clock.advance(2000);
  const early = await lookup;
  assert.equal(early.state.snapshot, undefined);
  assert.equal(early.state.up, false);
  source.succeed(clock.now(), 3);
  await collector.settled();
  const later = await collector.lookup(clock.now() + 2000);
  assert.equal(later.cacheHit, true);
  assert.equal(later.state.snapshot?.scans[0]?.riskEventCount, 3);
});

test('a scrape of an account with data answers at once while the due refresh runs in the background', async () => {
  const { clock, source, collector } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now(), 1);
  await first;
  await clock.advance(60_000);
  // The source has not answered: a lookup that waited would hang until the deadline.
  const served = await collector.lookup(clock.now() + 9000);
  assert.equal(source.calls, 2);
  assert.equal(served.cacheHit, false);
  assert.equal(served.state.snapshot?.scans[0]?.riskEventCount, 1);
  assert.ok(served.state.refresh, 'the running refresh is visible');
  const again = await collector.lookup(clock.now() + 9000);
  assert.equal(source.calls, 2, 'a refresh already running is not started twice');
  assert.equal(again.state.snapshot?.scans[0]?.riskEventCount, 1);
  source.succeed(clock.now(), 2);
  await collector.settled();
  const after = await collector.lookup(clock.now() + 9000);
  assert.equal(after.cacheHit, true);
  assert.equal(after.state.snapshot?.scans[0]?.riskEventCount, 2);
  assert.equal(after.state.refresh, undefined);
});

test('an account without data waits for its first refresh, and gets the data when it comes in time', async () => {
  const { clock, source, collector } = setup();
  const lookup = collector.lookup(clock.now() + 9000);
  let answered = false;
  void lookup.then(() => (answered = true));
  await clock.advance(1000);
  assert.equal(answered, false);
  source.succeed(clock.now(), 4);
  const { state } = await lookup;
  assert.equal(state.snapshot?.scans[0]?.riskEventCount, 4);
});

test('a partial refresh is served, marks the account down, and does not move the last success time', async () => {
  const { clock, source, collector } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now(), 1);
  await first;
  const firstSuccess = collector.state().lastSuccessAt;
  assert.equal(firstSuccess, clock.now());
  await clock.advance(60_000);
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.succeedPartly(clock.now(), 5);
  await collector.settled();
  const state = collector.state();
  assert.equal(state.snapshot?.scans[0]?.riskEventCount, 5, 'what the partial refresh fetched is served');
  assert.equal(state.up, false);
  assert.equal(state.lastSuccessAt, firstSuccess);
  await clock.advance(60_000);
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now(), 6);
  await collector.settled();
  assert.equal(collector.state().lastSuccessAt, clock.now());
});

test('an account fails since the start of its first failed refresh, and not once a refresh succeeds again; its data is as old as it arrived by the clock', async () => {
  const { clock, source, collector } = setup();
  const first = collector.lookup(clock.now() + 9000);
  await settle();
  // The source stamps its own time: the collector's clock says when the data arrived.
  source.succeed(clock.now() - 100_000);
  await first;
  assert.equal(collector.state().snapshotAt, clock.now());
  assert.equal(collector.state().failingSince, undefined);
  await clock.advance(60_000);
  const failedAt = clock.now();
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.fail('AuthFailure.SignatureFailure');
  await collector.settled();
  assert.equal(collector.state().failingSince, failedAt);
  await clock.advance(60_000);
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.succeedPartly(clock.now());
  await collector.settled();
  assert.equal(collector.state().failingSince, failedAt, 'a partial refresh goes on failing since the first');
  assert.equal(collector.state().snapshotAt, clock.now(), 'what the partial refresh fetched arrived now');
  await clock.advance(60_000);
  await collector.lookup(clock.now() + 9000);
  await settle();
  source.succeed(clock.now());
  await collector.settled();
  assert.equal(collector.state().failingSince, undefined);
});

test("a running refresh's progress is the source's own count of items done", async () => {
  const { clock, source, collector } = setup();
  void collector.lookup(clock.now() + 9000);
  await settle();
  assert.deepEqual(collector.state().refresh, { startedAt: clock.now(), done: 0, total: 0 });
  source.context!.progress!(30, 120);
  assert.deepEqual(collector.state().refresh, { startedAt: clock.now(), done: 30, total: 120 });
  source.succeed(clock.now());
  await collector.settled();
  assert.equal(collector.state().refresh, undefined);
});

test('a refresh whose calls at the rate limit outlast the TTL is logged once, with both figures', async () => {
  const { clock, source, collector, logText } = setup();
  const rounds = async (calls: number) => {
    void collector.lookup(clock.now() + 9000);
    await settle();
    // Calls made through the refresh's invoke are what the warning counts.
    const invoke = source.context!.invoke;
    await Promise.all(Array.from({ length: calls }, () => invoke('DescribeScanState', async () => 1)));
    source.succeed(clock.now());
    await collector.settled();
    await clock.advance(60_000);
  };
  // 20 calls/s and a 60 s TTL: 1,200 calls fill the TTL.
  const run = rounds(1300);
  await clock.advance(70_000);
  await run;
  assert.match(logText(), /a refresh takes longer than cache.ttl/);
  assert.match(logText(), /"calls":1300/);
  assert.match(logText(), /"minimumRefreshSeconds":65/);
  const count = (text: string) => text.split('a refresh takes longer than cache.ttl').length - 1;
  assert.equal(count(logText()), 1);
  assert.deepEqual(collector.state().lastRefreshCalls, { calls: 1300, failed: 0 });
});

test('many calls in flight at once raise no listener-leak warning on the stop signal', async () => {
  const { clock, source, collector } = setup();
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  try {
    void collector.lookup(clock.now() + 9000);
    await settle();
    const invoke = source.context!.invoke;
    const calls = Promise.all(
      Array.from({ length: 40 }, () => invoke('DescribeScanState', () => new Promise((resolve) => setImmediate(resolve)))),
    );
    await clock.advance(5000);
    await calls;
    await settle();
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  } finally {
    process.off('warning', onWarning);
  }
});

test('a refresh with 30 failed calls logs the first 20, each on a line, and one line for the other 10 by code', async () => {
  const { clock, source, collector, logText } = setup();
  const lookup = collector.lookup(clock.now() + 9000);
  await settle();
  source.succeedWithFailures(clock.now(), 30);
  await lookup;
  const lines = logText()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.filter((line) => line['msg'] === 'part of the refresh failed').length, 20);
  const rest = lines.filter((line) => String(line['msg']).startsWith('and 10 more call(s) of this refresh failed'));
  assert.equal(rest.length, 1);
  assert.deepEqual(rest[0]!['codes'], { 'DescribeScanState InternalError': 5, 'DescribeScanState ResourceNotFound': 5 });
  assert.equal(lines.length, 21);
});
