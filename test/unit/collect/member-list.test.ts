// The member list of an organization: selected by include and exclude, read once per interval however
// many scrapes ask, the last good list kept (and said so) when a listing fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Invoker } from '../../../src/collect/invoker.js';
import { EARLY_LISTING_MIN_INTERVAL_MS, MemberList, selectMembers } from '../../../src/collect/member-list.js';
import { ApiError, type ApiCallRecord, type Member, type MemberListing, type MemberSource } from '../../../src/contract/types.js';
import { FakeClock, settle } from '../../support/fake-clock.js';
import { memoryLogger } from '../../support/logger.js';

const members = (...ids: number[]): Member[] => ids.map((i) => ({ id: String(1000 + i), name: `team-${i}` }));

/** A lister whose answers the test hands out one by one, each through the invoker as a real one's. */
class ScriptedMembers implements MemberSource {
  readonly provider = 'tencent' as const;
  readonly organization = 'acme';
  calls = 0;
  #pending: Array<{ resolve: (m: Member[]) => void; reject: (e: unknown) => void }> = [];

  list(invoke: Parameters<MemberSource['list']>[0]): Promise<MemberListing> {
    this.calls++;
    return invoke(
      'DescribeOrganizationMembers',
      () => new Promise<Member[]>((resolve, reject) => this.#pending.push({ resolve, reject })),
    ).then((listed) => ({
      members: listed,
      skipped: [],
      warnings: [],
      fixes: {},
      partial: [],
    }));
  }

  answer(list: Member[]): void {
    this.#pending.shift()!.resolve(list);
  }

  fail(code: string): void {
    this.#pending.shift()!.reject(new ApiError('tencent', 'DescribeOrganizationMembers', code, 'auth', `${code}: not allowed`));
  }
}

function setup(options: { include?: string[]; exclude?: string[] } = {}) {
  const clock = new FakeClock();
  const { logger, text } = memoryLogger();
  const errors: string[] = [];
  const observer = {
    onCall: ({ action, errorCode }: ApiCallRecord) => errorCode && errors.push(`${action} ${errorCode}`),
    onInvalidAnswer: () => {},
  };
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 20,
    maxConcurrency: 2,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer,
  });
  const source = new ScriptedMembers();
  const list = new MemberList(source, {
    intervalMs: 60_000,
    clock,
    invoker,
    observer,
    logger,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
  });
  return { clock, source, list, errors, logText: text };
}

describe('selectMembers', () => {
  test('keeps every member without include, drops those exclude names by id or name', () => {
    assert.deepEqual(selectMembers(members(1, 2, 3), [], ['1002', 'team-3']), members(1));
  });

  test('include keeps only the members it names, by id or name, and exclude wins over it', () => {
    assert.deepEqual(selectMembers(members(1, 2, 3, 4), ['1001', 'team-2', 'team-4'], ['team-4']), members(1, 2));
  });

  test('a member without a name is not selected by an empty name', () => {
    assert.deepEqual(selectMembers([{ id: '7', name: '' }], [''], []), []);
  });
});

describe('MemberList', () => {
  test('the first lookup waits for the listing; later ones within the interval make no call', async () => {
    const { source, list, clock } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 2));
    assert.deepEqual((await first).members, members(1, 2));
    await clock.advance(59_000);
    await list.lookup(clock.now() + 10_000);
    assert.equal(source.calls, 1);
  });

  test('concurrent lookups share one listing', async () => {
    const { source, list, clock } = setup();
    const lookups = [list.lookup(clock.now() + 10_000), list.lookup(clock.now() + 10_000), list.lookup(clock.now() + 10_000)];
    await settle();
    source.answer(members(1));
    await Promise.all(lookups);
    assert.equal(source.calls, 1);
  });

  test('after the interval a lookup answers with the members it has and reads the list again in the background', async () => {
    const { source, list, clock } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 2));
    await first;
    const version = list.state().version;
    await clock.advance(60_000);
    assert.deepEqual((await list.lookup(clock.now() + 10_000)).members, members(1, 2));
    assert.equal(source.calls, 2);
    await settle();
    source.answer(members(2, 3));
    await list.settled();
    assert.deepEqual(list.state().members, members(2, 3));
    assert.notEqual(list.state().version, version);
  });

  test('a failed listing keeps the last members, says why and how many were kept, and is counted under its action', async () => {
    const { source, list, clock, errors, logText } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 2, 3));
    await first;
    await clock.advance(60_000);
    await list.lookup(clock.now() + 10_000);
    await settle();
    source.fail('AuthFailure.UnauthorizedOperation');
    await list.settled();
    const state = list.state();
    assert.deepEqual(state.members, members(1, 2, 3));
    assert.equal(state.up, false);
    assert.equal(state.lastError?.code, 'AuthFailure.UnauthorizedOperation');
    assert.deepEqual(errors, ['DescribeOrganizationMembers AuthFailure.UnauthorizedOperation']);
    assert.match(logText(), /listing the organization's members failed; keeping the 3 member\(s\) last listed/);
  });

  test('a first listing that fails leaves no members, and says they appear once a listing succeeds', async () => {
    const { source, list, clock, logText } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.fail('AuthFailure.SecretIdNotFound');
    assert.equal((await first).members, undefined);
    assert.match(logText(), /no members known yet/);
  });

  test('include and exclude apply to every listing; the version moves only when the selection changes', async () => {
    const { source, list, clock } = setup({ exclude: ['team-9'] });
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 9));
    await first;
    const version = list.state().version;
    await clock.advance(60_000);
    await list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 9));
    await list.settled();
    assert.equal(list.state().version, version);
    assert.equal(list.state().listed, 2);
    assert.deepEqual(list.state().members, members(1));
  });
});

describe('MemberList at real scale', () => {
  test('include and exclude compare ids canonically: "0200000000000" names member 200000000000', () => {
    const listed = [
      { id: '200000000000', name: 'sandbox' },
      { id: '200000000001', name: 'prod' },
    ];
    assert.deepEqual(selectMembers(listed, [], ['0200000000000']), [listed[1]]);
    assert.deepEqual(selectMembers(listed, ['00200000000001'], []), [listed[1]]);
  });

  test("a member's answer asks for an early listing: it starts at the next lookup, once, and not again within 30 s", async () => {
    const { source, list, clock, logText } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 2));
    await first;
    await clock.advance(EARLY_LISTING_MIN_INTERVAL_MS);
    list.listEarly();
    list.listEarly();
    await list.lookup(clock.now() + 10_000);
    await list.lookup(clock.now() + 10_000);
    assert.equal(source.calls, 2, 'one early listing, whoever asked');
    await settle();
    source.answer(members(1));
    await list.settled();
    assert.deepEqual(list.state().members, members(1));
    assert.match(logText(), /may have left the organization: listing the members again early/);
    await clock.advance(5_000);
    list.listEarly();
    await list.lookup(clock.now() + 10_000);
    assert.equal(source.calls, 2, 'rate-limited: not again within 30 s');
    await clock.advance(EARLY_LISTING_MIN_INTERVAL_MS);
    await list.lookup(clock.now() + 10_000);
    assert.equal(source.calls, 3, 'the early listing asked for meanwhile starts once it may');
  });

  test('a listing call is retried as the policy says even when refresh_interval is shorter than the call timeout', async () => {
    const clock = new FakeClock();
    const { logger } = memoryLogger();
    const observer = { onCall: () => {}, onInvalidAnswer: () => {} };
    const invoker = new Invoker({
      provider: 'tencent',
      ratePerSecond: 20,
      maxConcurrency: 2,
      callTimeoutMs: 5000,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 400 },
      clock,
      observer,
      random: () => 1,
    });
    let attempts = 0;
    const source: MemberSource = {
      provider: 'tencent',
      organization: 'acme',
      list: (invoke) =>
        invoke('DescribeOrganizationMembers', async () => {
          if (++attempts === 1)
            throw new ApiError('tencent', 'DescribeOrganizationMembers', 'RequestLimitExceeded', 'throttled', 'slow down');
          return { members: members(1), skipped: [], warnings: [], fixes: {}, partial: [] };
        }),
    };
    const list = new MemberList(source, { intervalMs: 1000, clock, invoker, observer, logger, include: [], exclude: [] });
    const looked = list.lookup(clock.now() + 10_000);
    await clock.advance(1000);
    assert.deepEqual((await looked).members, members(1));
    assert.equal(attempts, 2);
  });

  test('a list that replaces another (a reload changed its settings) serves what the other knew, less what its exclude leaves out, before it lists', async () => {
    const { source, list, clock } = setup();
    const first = list.lookup(clock.now() + 10_000);
    await settle();
    source.answer(members(1, 2, 3));
    await first;
    const { logger } = memoryLogger();
    const observer = { onCall: () => {}, onInvalidAnswer: () => {} };
    const invoker = new Invoker({
      provider: 'tencent',
      ratePerSecond: 20,
      maxConcurrency: 2,
      callTimeoutMs: 5000,
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      clock,
      observer,
    });
    const failing: MemberSource = {
      provider: 'tencent',
      organization: 'acme',
      list: () => Promise.reject(new ApiError('tencent', 'DescribeOrganizationMembers', 'InternalError', 'server', 'down')),
    };
    const replaced = new MemberList(failing, {
      intervalMs: 60_000,
      clock,
      invoker,
      observer,
      logger,
      include: [],
      exclude: ['team-2'],
      seed: list.seed(),
    });
    const state = await replaced.lookup(clock.now() + 10_000);
    await replaced.settled();
    assert.deepEqual(state.members, members(1, 3));
    assert.deepEqual(replaced.state().members, members(1, 3), 'the failing listing keeps them');
    assert.equal(replaced.state().up, false);
  });

  test("a listing's warnings are counted each time and logged once until they change; skipped members are counted by reason", async () => {
    const clock = new FakeClock();
    const { logger, text } = memoryLogger();
    let invalid = 0;
    const observer = { onCall: () => {}, onInvalidAnswer: () => invalid++ };
    const invoker = new Invoker({
      provider: 'alibaba',
      ratePerSecond: 20,
      maxConcurrency: 2,
      callTimeoutMs: 5000,
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      clock,
      observer,
    });
    const listing: MemberListing = {
      members: members(1, 2),
      skipped: [
        { id: '"-1"', name: '', reason: 'invalid_id', detail: 'AccountId "-1"' },
        { id: '1600000000000009', name: 'new', reason: 'inactive', detail: 'Status "CreateVerifying"' },
      ],
      warnings: [
        {
          action: 'ListAccounts',
          kind: 'member ids refused',
          count: 1,
          answers: 1,
          message: 'ListAccounts: 1 member(s) left out, their AccountId not an account id: "-1"',
        },
      ],
      fixes: { inactive: 'wait' },
      partial: [],
    };
    const source: MemberSource = { provider: 'alibaba', organization: 'rd', list: async () => listing };
    const list = new MemberList(source, { intervalMs: 60_000, clock, invoker, observer, logger, include: [], exclude: ['team-2'] });
    await list.lookup(clock.now() + 10_000);
    await clock.advance(60_000);
    await list.lookup(clock.now() + 10_000);
    await list.settled();
    assert.equal(invalid, 2);
    assert.equal(text().match(/left out, their AccountId/g)?.length, 1);
    const counts = Object.fromEntries(list.state().skipped.map(({ reason, count }) => [reason, count]));
    assert.deepEqual(counts, { inactive: 1, not_monitored: 0, invalid_id: 1, excluded: 1 });
    assert.equal(list.state().listed, 4);
  });
});
