// The bound on a client that takes nothing of its answer, with timers run by hand: a slow client that keeps
// reading is waited for, one that reads nothing is dropped, and a drain or a close ends the wait.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { drained, type StallableAnswer, type StallTimers } from '../../../src/http/write-stall.js';

const STALL_MS = 30_000;

class FakeAnswer extends EventEmitter implements StallableAnswer {
  readonly socket = { writableLength: 5_000_000 };
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
  }
}

/** Timers run by hand: `fire()` runs the stall timer, `io()` the turn after the I/O it asked for. */
class HandTimers implements StallTimers {
  #timer: (() => void) | undefined;
  #io: (() => void) | undefined;
  after(ms: number, run: () => void): { cancel(): void } {
    assert.equal(ms, STALL_MS);
    this.#timer = run;
    return { cancel: () => (this.#timer = undefined) };
  }
  afterIo(run: () => void): void {
    this.#io = run;
  }
  fire(): void {
    const run = this.#timer;
    this.#timer = undefined;
    run?.();
  }
  io(): void {
    const run = this.#io;
    this.#io = undefined;
    run?.();
  }
  /** One whole stall period: the timer, then the check after the I/O. */
  period(): void {
    this.fire();
    this.io();
  }
}

test('a client that takes nothing for the stall period is dropped, once the I/O due has run', async () => {
  const res = new FakeAnswer();
  const timers = new HandTimers();
  const wait = drained(res, STALL_MS, timers);
  timers.fire();
  assert.equal(res.destroyed, false, 'not before the I/O already due has run');
  timers.io();
  await wait;
  assert.equal(res.destroyed, true);
});

test('a slow client that keeps taking its answer is waited for, period after period, until it drains', async () => {
  const res = new FakeAnswer();
  const timers = new HandTimers();
  const wait = drained(res, STALL_MS, timers);
  for (let period = 0; period < 5; period++) {
    res.socket.writableLength -= 100_000;
    timers.period();
    assert.equal(res.destroyed, false, `dropped in period ${period + 1} though it read`);
  }
  res.emit('drain');
  await wait;
  assert.equal(res.destroyed, false);
});

test('a client that read, then stops, is dropped one period after it stopped', async () => {
  const res = new FakeAnswer();
  const timers = new HandTimers();
  const wait = drained(res, STALL_MS, timers);
  res.socket.writableLength -= 1;
  timers.period();
  assert.equal(res.destroyed, false);
  timers.period();
  await wait;
  assert.equal(res.destroyed, true);
});

test('a drain that comes before the check after the timer ends the wait without dropping', async () => {
  const res = new FakeAnswer();
  const timers = new HandTimers();
  const wait = drained(res, STALL_MS, timers);
  timers.fire();
  res.emit('drain');
  timers.io();
  await wait;
  assert.equal(res.destroyed, false);
  assert.equal(res.listenerCount('drain') + res.listenerCount('close'), 0, 'no listener left behind');
});

test('a closed answer ends the wait', async () => {
  const res = new FakeAnswer();
  const timers = new HandTimers();
  const wait = drained(res, STALL_MS, timers);
  res.emit('close');
  await wait;
  timers.period();
  assert.equal(res.destroyed, false);
});
