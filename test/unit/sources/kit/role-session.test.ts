// An assumed role's keys, as the exporter holds them over hours of refreshes on a fake clock:
// assumed once, reused by every call, renewed once shortly before they expire (never per call),
// assumed again when the cloud refuses them early, and an STS that fails is asked once per refresh.
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { describe, test } from 'node:test';
import { Invoker } from '../../../../src/collect/invoker.js';
import { ApiError, type ApiCallRecord, type FetchContext } from '../../../../src/contract/types.js';
import {
  MAX_EXPIRY_SLACK_MS,
  MAX_RENEWAL_MARGIN_MS,
  RoleSession,
  renewalTime,
  type TemporaryKeys,
} from '../../../../src/sources/kit/role-session.js';
import { FakeClock } from '../../../support/fake-clock.js';

const HOUR = 3_600_000;

/** Lets `work` run to its end while the clock moves a millisecond at a time (the rate limiter spaces calls on it). */
async function drive<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  settled.catch(() => undefined);
  while (!done) await clock.advance(1);
  return settled;
}

/** A fake STS: each AssumeRole issues keys "k1", "k2", ... living `lifetimeMs` on the clock, or throws what `fail` says. */
function fakeSts(clock: FakeClock, lifetimeMs: number) {
  const sts = {
    issued: 0,
    fail: undefined as ApiError | undefined,
    lifetimeMs,
    assume: async (): Promise<TemporaryKeys<string>> => {
      if (sts.fail) throw sts.fail;
      sts.issued++;
      return { keys: `k${sts.issued}`, expiresAt: clock.now() + sts.lifetimeMs };
    },
  };
  return sts;
}

function setup(lifetimeMs = HOUR) {
  const clock = new FakeClock();
  const calls: ApiCallRecord[] = [];
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 1000,
    maxConcurrency: 10,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 },
    clock,
    observer: { onCall: (c) => calls.push(c), onInvalidAnswer: () => {} },
    random: () => 0,
  });
  const sts = fakeSts(clock, lifetimeMs);
  const session = new RoleSession<string>({
    provider: 'tencent',
    durationSeconds: Math.max(0, lifetimeMs / 1000),
    assume: () => sts.assume(),
    keysRefused: (error) => error.code === 'AuthFailure.TokenFailure',
  });
  /** A refresh's context, guarded by the session. */
  const refresh = (): FetchContext<unknown> => {
    // As the collector does: every call waiting for the limiter listens to the refresh's signal.
    const stop = new AbortController();
    setMaxListeners(0, stop.signal);
    return session.guard({
      signal: stop.signal,
      invoke: invoker.bind(stop.signal, () => clock.now() + 60_000),
      staleBefore: 0,
      now: () => clock.now(),
      publish: () => {},
    });
  };
  /** A cloud call that records the keys it was signed with. */
  const signedWith: string[] = [];
  const cloudCall = async () => {
    signedWith.push(session.keys ?? 'none');
    return 'answer';
  };
  const assumeCalls = () => calls.filter((c) => c.action === 'AssumeRole');
  return { clock, calls, sts, session, refresh, signedWith, cloudCall, assumeCalls };
}

describe('renewal time', () => {
  test('keys are renewed 5 minutes before they expire, or a fifth of their life for short-lived keys', () => {
    assert.equal(renewalTime(0, 2 * HOUR), 2 * HOUR - MAX_RENEWAL_MARGIN_MS);
    assert.equal(renewalTime(0, 12 * HOUR), 12 * HOUR - 5 * 60_000);
    assert.equal(renewalTime(0, 900_000), 900_000 - 180_000);
    assert.equal(renewalTime(1000, 1000 + 60_000), 1000 + 48_000);
  });
});

describe('a role session', () => {
  test('over 12 hours of refreshes a minute apart, with keys living 1 h: one AssumeRole per lifetime, every call signed with unexpired keys', async () => {
    const { clock, refresh, signedWith, cloudCall, assumeCalls } = setup(HOUR);
    for (let minute = 0; minute < 12 * 60; minute++) {
      const context = refresh();
      for (let i = 0; i < 5; i++) await drive(clock, context.invoke('DescribeScanState', cloudCall));
      await clock.advance(60_000);
    }
    // Keys live 60 min and are renewed 5 min early: a new assumption every 55 minutes of 720.
    assert.equal(assumeCalls().length, Math.floor((12 * 60 - 1) / 55) + 1);
    assert.equal(assumeCalls().length, 14);
    assert.equal(assumeCalls().filter((c) => c.errorCode !== undefined).length, 0);
    assert.equal(signedWith.length, 12 * 60 * 5);
    // Each key was used for 55 refreshes (the last one for what was left of the 12 hours).
    const uses = new Map<string, number>();
    for (const key of signedWith) uses.set(key, (uses.get(key) ?? 0) + 1);
    assert.deepEqual([...uses.values()].slice(0, -1), Array(13).fill(55 * 5));
    assert.ok(!signedWith.includes('none'));
  });

  test('fifty calls at once when the keys are due share one AssumeRole', async () => {
    const { clock, refresh, cloudCall, signedWith, assumeCalls } = setup();
    const context = refresh();
    await drive(clock, Promise.all(Array.from({ length: 50 }, () => context.invoke('DescribeVulCheckTaskStatusDetail', cloudCall))));
    assert.equal(assumeCalls().length, 1);
    assert.deepEqual(new Set(signedWith), new Set(['k1']));
  });

  test('keys due for renewal during a long refresh are renewed in it, before they expire, without failing a call', async () => {
    const { clock, refresh, cloudCall, signedWith, assumeCalls, sts } = setup(15 * 60_000);
    const context = refresh();
    // One refresh of a large fleet: a call every 10 s for 40 minutes, keys living 15 minutes.
    for (let i = 0; i < 240; i++) {
      await drive(clock, context.invoke('DescribeVulCheckTaskStatusDetail', cloudCall));
      await clock.advance(10_000);
    }
    assert.equal(sts.issued, 4, 'renewed after 12, 24 and 36 minutes');
    assert.equal(assumeCalls().length, 4);
    assert.equal(signedWith.length, 240);
  });

  test('keys the cloud refuses before their time are renewed once and the refused call is made again', async () => {
    const { clock, refresh, session, assumeCalls } = setup();
    const context = refresh();
    await drive(
      clock,
      context.invoke('DescribeScanState', async () => 'first'),
    );
    let attempts = 0;
    const answer = await drive(
      clock,
      context.invoke('DescribeScanState', async () => {
        attempts++;
        if (session.keys === 'k1')
          throw new ApiError('tencent', 'DescribeScanState', 'AuthFailure.TokenFailure', 'auth', 'The token has expired.');
        return `signed with ${session.keys}`;
      }),
    );
    assert.equal(answer, 'signed with k2');
    assert.equal(attempts, 2);
    assert.equal(assumeCalls().length, 2);
  });

  test('a cloud that keeps refusing fresh keys gets one renewal per refresh, not one per call', async () => {
    const { clock, refresh, assumeCalls } = setup();
    const context = refresh();
    const refused = async () => {
      throw new ApiError('tencent', 'DescribeScanState', 'AuthFailure.TokenFailure', 'auth', 'The token has expired.');
    };
    for (let i = 0; i < 10; i++)
      await assert.rejects(drive(clock, context.invoke('DescribeScanState', refused)), { code: 'AuthFailure.TokenFailure' });
    assert.equal(assumeCalls().length, 2, 'the first assumption and one forced renewal');
  });

  test('a failed assumption fails every call of the refresh with its code, and STS is asked once per refresh', async () => {
    const { clock, refresh, sts, calls, cloudCall, signedWith } = setup();
    sts.fail = new ApiError(
      'tencent',
      'AssumeRole',
      'ResourceNotFound.RoleNotFound',
      'client',
      'AssumeRole: ResourceNotFound.RoleNotFound: the role does not exist',
    );
    const context = refresh();
    const results = await drive(
      clock,
      Promise.allSettled(Array.from({ length: 20 }, () => context.invoke('DescribeScanState', cloudCall))),
    );
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as ApiError).code === 'ResourceNotFound.RoleNotFound'));
    assert.deepEqual(
      calls.map((c) => [c.action, c.errorCode]),
      [['AssumeRole', 'ResourceNotFound.RoleNotFound']],
    );
    assert.equal(signedWith.length, 0, 'no cloud call is made without keys');

    // The next refresh asks again, and succeeds once the role is there.
    sts.fail = undefined;
    await clock.advance(60_000);
    assert.equal(await drive(clock, refresh().invoke('DescribeScanState', cloudCall)), 'answer');
    assert.deepEqual(signedWith, ['k1']);
  });

  test('a throttled STS is retried by the invoker policy and counted per attempt', async () => {
    const { clock, refresh, sts, calls, cloudCall } = setup();
    let throttles = 2;
    const assume = sts.assume;
    sts.assume = async () => {
      if (throttles-- > 0)
        throw new ApiError('tencent', 'AssumeRole', 'RequestLimitExceeded', 'throttled', 'AssumeRole: RequestLimitExceeded');
      return assume();
    };
    assert.equal(await drive(clock, refresh().invoke('DescribeScanState', cloudCall)), 'answer');
    assert.deepEqual(
      calls.map((c) => [c.action, c.errorCode]),
      [
        ['AssumeRole', 'RequestLimitExceeded'],
        ['AssumeRole', 'RequestLimitExceeded'],
        ['AssumeRole', undefined],
        ['DescribeScanState', undefined],
      ],
    );
  });

  test('an expiry no Date can hold (ExpiredTime -1e300), and one later than the duration asked for, are invalid answers that say so', async () => {
    for (const [expiresAt, expected] of [
      [() => -1e303, /expire at -1e\+303 ms since 1970 \(no time at all\), not after this machine's time/],
      [
        (now: number) => now + 1e15,
        /expire at .*, later than the 3600 s asked for \(.* at the latest, .* allowing 15 minutes of clock difference\)/,
      ],
      [(now: number) => now + HOUR + MAX_EXPIRY_SLACK_MS + 1, /later than the 3600 s asked for/],
    ] as const) {
      const { clock, refresh, sts, calls, cloudCall } = setup(HOUR);
      sts.assume = async () => ({ keys: 'k', expiresAt: expiresAt(clock.now()) });
      await assert.rejects(drive(clock, refresh().invoke('DescribeScanState', cloudCall)), (error: ApiError) => {
        assert.equal(error.code, 'invalid_response');
        assert.match(error.message, expected);
        return true;
      });
      assert.deepEqual(
        calls.map((c) => [c.action, c.errorCode]),
        [['AssumeRole', 'invalid_response']],
      );
    }
    const { clock, refresh, sts, cloudCall } = setup(HOUR);
    sts.assume = async () => ({ keys: 'k', expiresAt: clock.now() + HOUR + MAX_EXPIRY_SLACK_MS });
    assert.equal(
      await drive(clock, refresh().invoke('DescribeScanState', cloudCall)),
      'answer',
      'a cloud clock 15 minutes ahead is still taken',
    );
  });

  test('keys that are already expired by our clock are an invalid answer, not a renewal on every call', async () => {
    const { clock, refresh, sts, calls, cloudCall } = setup();
    sts.lifetimeMs = -1000;
    const context = refresh();
    for (let i = 0; i < 5; i++) {
      await assert.rejects(drive(clock, context.invoke('DescribeScanState', cloudCall)), (error: ApiError) => {
        assert.equal(error.code, 'invalid_response');
        assert.match(error.message, /not after this machine's time .*clock/);
        return true;
      });
    }
    assert.deepEqual(
      calls.map((c) => [c.action, c.errorCode]),
      [['AssumeRole', 'invalid_response']],
    );
  });
});
