// A reload or shutdown during a refresh is the exporter's doing: the call is "canceled", never an
// invalid_response, and not counted as an API error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Invoker } from '../../../src/collect/invoker.js';
import { ApiError, type ApiCallRecord } from '../../../src/contract/types.js';
import { FakeClock } from '../../support/fake-clock.js';

function setup(ratePerSecond = 100) {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'alibaba',
    ratePerSecond,
    maxConcurrency: 2,
    callTimeoutMs: 10_000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
  });
  return { clock, calls, invoker };
}

test('a call in flight when the account stops is canceled and counted as a request, not an error', async () => {
  const { calls, invoker, clock } = setup();
  const stop = new AbortController();
  const invoke = invoker.bind(stop.signal, () => clock.now() + 60_000);
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const result = invoke('DescribeVulCheckTaskStatusDetail', () => {
    started();
    return new Promise<never>(() => {});
  });
  await running;
  stop.abort(new Error('exporter stopping'));
  await assert.rejects(result, (error: unknown) => error instanceof ApiError && error.code === 'canceled' && error.kind === 'canceled');
  assert.deepEqual(
    calls.map((c) => c.errorCode),
    [undefined],
  );
});

test('a call still waiting for the rate limit when the account stops is canceled, not invalid_response', async () => {
  const { calls, invoker, clock } = setup(1);
  const stop = new AbortController();
  const invoke = invoker.bind(stop.signal, () => clock.now() + 60_000);
  await invoke('DescribeCloudCenterInstances', async () => 'first');
  const waiting = invoke('DescribeCloudCenterInstances', async () => 'second');
  stop.abort(new Error('exporter stopping'));
  await assert.rejects(waiting, (error: unknown) => error instanceof ApiError && error.code === 'canceled');
  assert.deepEqual(
    calls.map((c) => c.errorCode),
    [undefined],
  );
});
