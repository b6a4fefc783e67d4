// Rate limits per signing principal and action, as the clouds count them: the accounts one principal
// signs for share its bucket, and a bucket goes when the last account holding it is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Invoker } from '../../../src/collect/invoker.js';
import { SharedLimits } from '../../../src/collect/shared-limits.js';
import { accountSigner, principalOf } from '../../../src/sources/kit/principal.js';
import type { RoleSettings } from '../../../src/sources/kit/role-settings.js';
import { FakeClock } from '../../support/fake-clock.js';

const role = (uin: string): RoleSettings => ({
  arn: `qcs::cam::uin/${uin}:roleName/CloudscanReadOnly`,
  sessionName: 'cloudscan-exporter',
  durationSeconds: 3600,
});

function invokerFor(limits: SharedLimits, clock: FakeClock, signer: (action: string) => string, rate: number, granted: number[]) {
  return new Invoker({
    provider: 'tencent',
    ratePerSecond: rate,
    maxConcurrency: 10,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer: { onCall: ({ grantedAt }) => granted.push(grantedAt), onInvalidAnswer: () => {} },
    limits: limits.forAccount(signer, rate),
  });
}

/** The most of `times` in any 1-second window. */
function peak(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

test("every member's AssumeRole signed by the management key shares one bucket: together they never exceed its rate", async () => {
  const clock = new FakeClock();
  const limits = new SharedLimits(clock);
  const management = principalOf('tencent', 'key', 'AKIDmanagement');
  const granted: number[] = [];
  const members = Array.from({ length: 20 }, (_, i) =>
    invokerFor(limits, clock, accountSigner('tencent', management, role(String(100000000001 + i))), 5, granted),
  );
  const signal = new AbortController().signal;
  const calls = members.map((invoker) => invoker.bind(signal, () => Infinity)('AssumeRole', async () => 'keys'));
  for (let i = 0; i < 100 && granted.length < 20; i++) await clock.advance(250);
  await Promise.all(calls);
  assert.equal(granted.length, 20);
  assert.ok(peak(granted) <= 5, `${peak(granted)} AssumeRole calls in one second from one principal, limit 5`);
  assert.equal(limits.size, 1, 'one bucket: the management key and AssumeRole');
});

test("a member role's own calls are the member's: they do not wait for the management key's bucket or each other's", async () => {
  const clock = new FakeClock();
  const limits = new SharedLimits(clock);
  const management = principalOf('tencent', 'key', 'AKIDmanagement');
  const granted: number[] = [];
  const members = Array.from({ length: 10 }, (_, i) =>
    invokerFor(limits, clock, accountSigner('tencent', management, role(String(100000000001 + i))), 5, granted),
  );
  const signal = new AbortController().signal;
  await Promise.all(members.map((invoker) => invoker.bind(signal, () => Infinity)('DescribeScanState', async () => 'state')));
  // Ten principals (each member's role), each with a token at hand: all granted at once, no time passing.
  assert.deepEqual(new Set(granted), new Set([clock.now()]));
  assert.equal(limits.size, 10);
});

test('a bucket runs at the lowest rate of the accounts holding it, and goes when the last of them is gone', async () => {
  const clock = new FakeClock();
  const limits = new SharedLimits(clock);
  const signer = () => principalOf('alibaba', 'key', 'LTAI5tManagement');
  const granted: number[] = [];
  const fast = invokerFor(limits, clock, signer, 10, granted);
  const slow = invokerFor(limits, clock, signer, 2, granted);
  const signal = new AbortController().signal;
  const calls = [
    ...Array.from({ length: 6 }, () => fast.bind(signal, () => Infinity)('DescribeVulCheckTaskStatusDetail', async () => 1)),
    slow.bind(signal, () => Infinity)('DescribeVulCheckTaskStatusDetail', async () => 1),
  ];
  for (let i = 0; i < 100 && granted.length < 7; i++) await clock.advance(250);
  await Promise.all(calls);
  assert.ok(peak(granted) <= 2, `peak ${peak(granted)} at the lower rate 2`);
  assert.equal(limits.size, 1);
  slow.close();
  assert.equal(limits.size, 1, 'still held by the other account');
  fast.close();
  assert.equal(limits.size, 0, 'nobody holds it: dropped, so accounts that come and go leave nothing');
  assert.deepEqual(limits.callsInLastMinute(signer()), []);
});

test('principals name no credential and are stable', () => {
  const principal = principalOf('tencent', 'key', 'AKIDsecretLookingKeyId0001');
  assert.doesNotMatch(principal, /AKID/);
  assert.equal(principal, principalOf('tencent', 'key', 'AKIDsecretLookingKeyId0001'));
  assert.notEqual(principal, principalOf('alibaba', 'key', 'AKIDsecretLookingKeyId0001'));
});
