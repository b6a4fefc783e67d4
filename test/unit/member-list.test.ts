// The member list of an organization: selected by include and exclude, read once per interval however
// many scrapes ask, the last good list kept (and said so) when a listing fails.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Invoker } from '../../src/collect/invoker.js';
import { MemberList, selectMembers } from '../../src/collect/member-list.js';
import { ApiError, type Member, type MemberSource } from '../../src/sources/types.js';
import { FakeClock, settle } from '../support/fake-clock.js';
import { memoryLogger } from '../support/logger.js';

const members = (...ids: number[]): Member[] => ids.map((i) => ({ id: String(1000 + i), name: `team-${i}` }));

/** A lister whose answers the test hands out one by one, each through the invoker as a real one's. */
class ScriptedMembers implements MemberSource {
  readonly provider = 'tencent' as const;
  readonly organization = 'acme';
  calls = 0;
  #pending: Array<{ resolve: (m: Member[]) => void; reject: (e: unknown) => void }> = [];

  list(invoke: Parameters<MemberSource['list']>[0]): Promise<Member[]> {
    this.calls++;
    return invoke('DescribeOrganizationMembers', () => new Promise<Member[]>((resolve, reject) => this.#pending.push({ resolve, reject })));
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
  const invoker = new Invoker({
    provider: 'tencent',
    ratePerSecond: 20,
    maxConcurrency: 2,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer: { onCall: ({ action, errorCode }) => errorCode && errors.push(`${action} ${errorCode}`), onInvalidAnswer: () => {} },
  });
  const source = new ScriptedMembers();
  const list = new MemberList(source, { intervalMs: 60_000, clock, invoker, logger, include: options.include ?? [], exclude: options.exclude ?? [] });
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
