import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from '../../../src/collect/token-bucket.js';
import { FakeClock } from '../../support/fake-clock.js';

test('a token bucket never lets more than its rate through in any 1-second window', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(5, clock);
  const taken: number[] = [];
  const all = Array.from({ length: 23 }, () => bucket.take().then(() => taken.push(clock.now())));
  for (let i = 0; i < 60 && taken.length < 23; i++) await clock.advance(100);
  await Promise.all(all);
  assert.equal(taken.length, 23);
  for (let i = 0; i < taken.length; i++) {
    const inWindow = taken.filter((t) => t >= taken[i]! && t < taken[i]! + 1000).length;
    assert.ok(inWindow <= 5, `window from ${taken[i]} holds ${inWindow} calls`);
  }
  // 23 calls at 5/s (with the 5% margin) take a little over 4.4 seconds, not much more: the limiter does not starve.
  assert.ok(taken.at(-1)! - taken[0]! <= 4800, `spread ${taken.at(-1)! - taken[0]!} ms`);
});

test('a waiter whose signal aborts leaves the queue without taking a token', async () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(1, clock);
  await bucket.take();
  const controller = new AbortController();
  const waiting = bucket.take(controller.signal);
  controller.abort(new Error('deadline'));
  await assert.rejects(waiting, /deadline/);
  const next = bucket.take();
  await clock.advance(1050);
  await next;
});
