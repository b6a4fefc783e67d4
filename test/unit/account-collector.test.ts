import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountCollector } from '../../src/collect/account-collector.js';
import { Invoker } from '../../src/collect/invoker.js';
import { ApiError, type FetchContext, type Source, type TencentSnapshot } from '../../src/sources/types.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { memoryLogger } from '../support/logger.js';

/** A source whose answers the test hands out one by one. */
class ScriptedSource implements Source<TencentSnapshot> {
  readonly provider = 'tencent' as const;
  readonly account = 'prod';
  calls = 0;
  #pending: Array<{ resolve: (s: TencentSnapshot) => void; reject: (e: unknown) => void }> = [];

  fetch(_context: FetchContext<TencentSnapshot>): Promise<TencentSnapshot> {
    this.calls++;
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  }

  succeed(takenAt: number, riskEventCount = 1): void {
    this.#pending.shift()!.resolve(snapshot(takenAt, riskEventCount));
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
  const second = collector.lookup(clock.now() + 9000);
  await settle();
  source.fail('AuthFailure.SignatureFailure');
  const { state } = await second;
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
