// The refresh's debug log (for /probe?debug=true) and the calls-per-minute count (for the status page):
// what each call attempt leaves in them, and how they stay bounded for a 10,000-server fleet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallRate } from '../../../src/collect/call-rate.js';
import { Invoker } from '../../../src/collect/invoker.js';
import { RefreshLog, type CallLogEntry } from '../../../src/collect/refresh-log.js';
import { ApiError } from '../../../src/contract/types.js';
import { FakeClock } from '../../support/fake-clock.js';

function invokerOn(clock: FakeClock, ratePerSecond = 1000) {
  return new Invoker({
    provider: 'alibaba',
    ratePerSecond,
    maxConcurrency: 4,
    callTimeoutMs: 1000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 },
    clock,
    observer: { onCall: () => {}, onInvalidAnswer: () => {} },
    random: () => 1,
  });
}

const entry = (outcome: CallLogEntry['outcome'], attempt = 1): CallLogEntry => ({
  atMs: 0,
  action: 'DescribeVulCheckTaskStatusDetail',
  attempt,
  outcome,
  durationSeconds: 0.01,
});

test('each attempt of a call is logged with its HTTP status, code, request id and attempt number; a retried one says so', async () => {
  const clock = new FakeClock();
  const log = new RefreshLog(clock.now());
  const invoke = invokerOn(clock).bind(new AbortController().signal, () => clock.now() + 60_000, undefined, log);
  let attempts = 0;
  const result = invoke('DescribeVulCheckTaskStatusDetail', async (_signal, trace) => {
    attempts++;
    if (attempts === 1) {
      trace.httpStatus = 503;
      trace.requestId = 'REQ-THROTTLED-1';
      throw new ApiError(
        'alibaba',
        'DescribeVulCheckTaskStatusDetail',
        'Throttling.User',
        'throttled',
        'Request was denied due to user flow control.',
        'REQ-THROTTLED-1',
      );
    }
    trace.httpStatus = 200;
    trace.requestId = 'REQ-OK-2';
    return 'answer';
  });
  await clock.advance(1000);
  assert.equal(await result, 'answer');
  const entries = log.view().entries;
  assert.deepEqual(
    entries.map(({ action, attempt, outcome, httpStatus, code, requestId }) => ({ action, attempt, outcome, httpStatus, code, requestId })),
    [
      {
        action: 'DescribeVulCheckTaskStatusDetail',
        attempt: 1,
        outcome: 'retried',
        httpStatus: 503,
        code: 'Throttling.User',
        requestId: 'REQ-THROTTLED-1',
      },
      { action: 'DescribeVulCheckTaskStatusDetail', attempt: 2, outcome: 'ok', httpStatus: 200, code: undefined, requestId: 'REQ-OK-2' },
    ],
  );
  assert.equal(entries[0]?.message, 'Request was denied due to user flow control.');
  assert.ok(entries[1]!.atMs >= 100, 'the retry ended after its backoff, on the refresh clock');
});

test('a call that fails for good is logged as failed, with the request id its error carries', async () => {
  const clock = new FakeClock();
  const log = new RefreshLog(clock.now());
  const invoke = invokerOn(clock).bind(new AbortController().signal, () => clock.now() + 60_000, undefined, log);
  await assert.rejects(
    invoke('DescribeScanState', async () => {
      throw new ApiError(
        'alibaba',
        'DescribeScanState',
        'InvalidAccessKeyId.NotFound',
        'auth',
        'Specified access key is not found.',
        'REQ-AUTH',
      );
    }),
  );
  assert.deepEqual(
    log.view().entries.map(({ outcome, code, requestId }) => ({ outcome, code, requestId })),
    [{ outcome: 'failed', code: 'InvalidAccessKeyId.NotFound', requestId: 'REQ-AUTH' }],
  );
});

test('a 10,000-call refresh keeps the first calls and then only the failures, and counts what it left out', () => {
  const log = new RefreshLog(0, { first: 100, failures: 100 });
  for (let i = 0; i < 10_000; i++) log.record(entry(i % 50 === 49 ? 'failed' : 'ok'));
  const view = log.view();
  assert.equal(view.attempts, 10_000);
  assert.equal(view.entries.length, 200);
  assert.equal(
    view.entries.slice(100).every((e) => e.outcome === 'failed'),
    true,
    'after the first 100, only failures',
  );
  // 200 failures in all, 2 of them among the first 100, 100 kept after: 98 failures and 9,800 successes left out.
  assert.deepEqual(view.leftOut, { ok: 9_702, notOk: 98 });
  assert.equal(view.entries.length + view.leftOut.ok + view.leftOut.notOk, view.attempts);
});

test('a long error message is cut short in the log', () => {
  const log = new RefreshLog(0);
  log.record({ ...entry('failed'), code: 'invalid_response', message: 'x'.repeat(5000) });
  assert.ok(log.view().entries[0]!.message!.length <= 201);
});

test('the log says how the refresh ended once it has', () => {
  const log = new RefreshLog(1000);
  assert.equal(log.view().result, undefined);
  log.finish(3000, 'up: every call succeeded');
  assert.deepEqual([log.view().finishedAt, log.view().result], [3000, 'up: every call succeeded']);
});

test('calls per minute count each action over the last 60 seconds only', () => {
  const rate = new CallRate();
  const start = Date.UTC(2026, 0, 1);
  for (let s = 0; s < 90; s++) {
    rate.record('DescribeVulCheckTaskStatusDetail', start + s * 1000);
    rate.record('DescribeVulCheckTaskStatusDetail', start + s * 1000 + 500);
  }
  rate.record('DescribeCloudCenterInstances', start + 10_000);
  rate.record('DescribeCloudCenterInstances', start + 89_000);
  assert.deepEqual(rate.lastMinute(start + 89_999), [
    { action: 'DescribeVulCheckTaskStatusDetail', calls: 120 },
    { action: 'DescribeCloudCenterInstances', calls: 1 },
  ]);
  assert.deepEqual(rate.lastMinute(start + 1_000_000), [
    { action: 'DescribeCloudCenterInstances', calls: 0 },
    { action: 'DescribeVulCheckTaskStatusDetail', calls: 0 },
  ]);
});

test('the invoker counts the calls it starts per action for the last minute', async () => {
  const clock = new FakeClock();
  const invoker = invokerOn(clock);
  const invoke = invoker.bind(new AbortController().signal, () => clock.now() + 60_000);
  const calls = Promise.all(Array.from({ length: 7 }, (_, i) => invoke('DescribeScanState', async () => i)));
  await clock.advance(1000);
  await calls;
  assert.deepEqual(invoker.callsInLastMinute(), [{ action: 'DescribeScanState', calls: 7 }]);
  await clock.advance(61_000);
  assert.deepEqual(invoker.callsInLastMinute(), [{ action: 'DescribeScanState', calls: 0 }]);
});
