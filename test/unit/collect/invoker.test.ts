import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { systemClock } from '../../../src/collect/clock.js';
import { Invoker } from '../../../src/collect/invoker.js';
import { ApiError, type ApiCallRecord, type ApiErrorKind } from '../../../src/contract/types.js';
import { FakeClock } from '../../support/fake-clock.js';
import { liveObjects } from '../../support/heap.js';

function setup(maxAttempts = 3) {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 100,
    maxConcurrency: 2,
    callTimeoutMs: 1000,
    retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 400 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
    random: () => 1,
  });
  return { clock, calls, invoker };
}

const failing = (code: string, kind: ApiErrorKind) => async () => {
  throw new ApiError('tencent', 'DescribeScanState', code, kind, code);
};

test('throttled calls are retried with backoff and every attempt is counted', async () => {
  const { clock, calls, invoker } = setup();
  let attempts = 0;
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  const result = invoke('DescribeScanState', async () => {
    attempts++;
    if (attempts < 3) throw new ApiError('tencent', 'DescribeScanState', 'RequestLimitExceeded', 'throttled', 'slow down');
    return 'ok';
  });
  await clock.advance(1000);
  assert.equal(await result, 'ok');
  assert.deepEqual(
    calls.map((c) => c.errorCode),
    ['RequestLimitExceeded', 'RequestLimitExceeded', undefined],
  );
});

test('auth errors are not retried', async () => {
  const { clock, calls, invoker } = setup();
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  await assert.rejects(invoke('DescribeScanState', failing('AuthFailure.SignatureFailure', 'auth')), {
    code: 'AuthFailure.SignatureFailure',
  });
  assert.equal(calls.length, 1);
});

test('retries stop at the attempt limit', async () => {
  const { clock, calls, invoker } = setup(2);
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  const result = invoke('DescribeScanState', failing('InternalError', 'server'));
  const settled = assert.rejects(result, { code: 'InternalError' });
  await clock.advance(1000);
  await settled;
  assert.equal(calls.length, 2);
});

test('no retry starts that could not finish before the deadline', async () => {
  const { clock, calls, invoker } = setup();
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 500);
  await assert.rejects(invoke('DescribeScanState', failing('InternalError', 'server')), { code: 'InternalError' });
  assert.equal(calls.length, 1);
});

test('an error that is not an ApiError is counted as invalid_response', async () => {
  const { clock, calls, invoker } = setup();
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  await assert.rejects(
    invoke('DescribeScanState', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'Error')");
    }),
    { code: 'invalid_response' },
  );
  assert.equal(calls[0]?.errorCode, 'invalid_response');
});

test('a call that ignores its signal is given up at the per-call timeout and counted as timeout', async () => {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'alibaba',
    ratePerSecond: 100,
    maxConcurrency: 2,
    callTimeoutMs: 50,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
  });
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  let release: () => void = () => {};
  const deaf = new Promise<string>((resolve) => (release = () => resolve('late')));
  const result = assert.rejects(
    invoke('DescribeVulCheckTaskStatusDetail', () => deaf),
    { code: 'timeout' },
  );
  await clock.advance(50);
  await result;
  assert.equal(calls[0]?.errorCode, 'timeout');
  release();
});

test('calls leave nothing behind on the long-lived refresh signal, however many there are', async () => {
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 1e9,
    maxConcurrency: 10,
    callTimeoutMs: 60_000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock: systemClock,
    observer: { onCall: () => {}, onInvalidAnswer: () => {} },
  });
  const refresh = new AbortController();
  const invoke = invoker.bind(refresh.signal, () => Date.now() + 60_000);
  const call = async (signal: AbortSignal) => {
    // As the SDKs' fetch does: listen for an abort while the request runs, stop listening after.
    const onAbort = () => {};
    signal.addEventListener('abort', onAbort);
    await new Promise((resolve) => setImmediate(resolve));
    signal.removeEventListener('abort', onAbort);
  };
  await invoke('DescribeScanState', call);
  // AbortSignal.any() registers each composite with its sources through a WeakRef that the
  // long-lived source keeps after the composite is gone (nodejs/node#55351): ~100 bytes a call.
  const weakRefsBefore = await liveObjects('WeakRef');
  for (let i = 0; i < 2000; i++) await invoke('DescribeScanState', call);
  const weakRefsAfter = await liveObjects('WeakRef');
  assert.ok(weakRefsAfter - weakRefsBefore < 100, `${weakRefsAfter - weakRefsBefore} WeakRefs more after 2000 calls`);
  assert.equal(getEventListeners(refresh.signal, 'abort').length, 0, 'no listener left on the refresh signal');
});

test('calls that waited for a concurrency slot still leave spaced by the rate, not together when slots free up', async () => {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 10,
    maxConcurrency: 2,
    callTimeoutMs: 60_000,
    retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 400 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
    random: () => 1,
  });
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 600_000);
  // Two slow calls hold both slots for 5 s while six more queue behind them.
  const started: number[] = [];
  const slow = [0, 1].map(() => invoke('DescribeScanState', () => (started.push(clock.now()), clock.sleep(5000).then(() => 'slow'))));
  const quick = Array.from({ length: 6 }, () => invoke('DescribeScanState', async () => (started.push(clock.now()), 'quick')));
  await clock.advance(10_000);
  await Promise.all([...slow, ...quick]);
  const gaps = started.slice(1).map((at, i) => at - started[i]!);
  assert.equal(started.length, 8);
  assert.ok(
    gaps.every((gap) => gap >= 100),
    `gaps between calls leaving: ${gaps.join(', ')} ms`,
  );
  const byTime = (list: number[]) => [...list].sort((a, b) => a - b);
  assert.deepEqual(byTime(calls.map((c) => c.grantedAt)), byTime(started), 'each call leaves when its token is granted');
});

test('calls that waited for a concurrency slot leave one token apart, not together when slots free up', async () => {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'alibaba',
    ratePerSecond: 10,
    maxConcurrency: 2,
    callTimeoutMs: 60_000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
  });
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  // The first two calls hold both slots until a slow cloud answers them together.
  let answer!: () => void;
  const slowCloud = new Promise<void>((resolve) => (answer = resolve));
  const results = [
    ...[1, 2].map(() => invoke('DescribeVulCheckTaskStatusDetail', () => slowCloud)),
    ...[3, 4, 5, 6].map(() => invoke('DescribeVulCheckTaskStatusDetail', async () => undefined)),
  ];
  await clock.advance(5000);
  answer();
  await clock.advance(5000);
  await Promise.all(results);
  const starts = calls.map((c) => c.grantedAt).sort((a, b) => a - b);
  assert.equal(starts.length, 6);
  const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
  assert.ok(
    gaps.every((gap) => gap >= 100),
    `calls left ${gaps.join(', ')} ms apart at a limit of 10/s`,
  );
});
