// The member list of one organization: read again on its own interval (one listing at a time,
// started by the scrape that finds it due), the last good list kept when a listing fails (the
// failure counted by the invoker's observer and logged), never waited for once there is a list.
// Knows no cloud: the organization's MemberSource does the listing.
import { setMaxListeners } from 'node:events';
import type { Logger } from '../log.js';
import { ApiError, type Member, type MemberSource, type Provider } from '../sources/types.js';
import { untilDeadline, type Clock } from './clock.js';
import type { Invoker } from './invoker.js';

export interface MemberListOptions {
  intervalMs: number;
  clock: Clock;
  invoker: Invoker;
  logger: Logger;
  /** Members to keep, by id or name; empty keeps all. */
  include: readonly string[];
  /** Members to leave out, by id or name; wins over include. */
  exclude: readonly string[];
}

export interface MemberListState {
  provider: Provider;
  organization: string;
  /** The members selected from the last good listing; undefined until one succeeded. */
  members: readonly Member[] | undefined;
  /** Members the last good listing returned, before include and exclude. */
  listed: number | undefined;
  /** The last listing succeeded. */
  up: boolean;
  /** Unix ms of the last good listing. */
  lastSuccessAt: number | undefined;
  lastError: ApiError | undefined;
  /** Changes whenever `members` (or a member's name) changes. */
  version: number;
}

/** The members that include (when it is not empty) and exclude select, by id or by name, in list order. */
export function selectMembers(members: readonly Member[], include: readonly string[], exclude: readonly string[]): Member[] {
  const named = (list: readonly string[]) => {
    const set = new Set(list);
    return (member: Member) => set.has(member.id) || (member.name !== '' && set.has(member.name));
  };
  const included = include.length === 0 ? () => true : named(include);
  const excluded = named(exclude);
  return members.filter((member) => included(member) && !excluded(member));
}

export class MemberList {
  readonly provider: Provider;
  readonly organization: string;
  #members: Member[] | undefined;
  #listed: number | undefined;
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastError: ApiError | undefined;
  #lastAttemptAt: number | undefined;
  #version = 0;
  #inflight: Promise<void> | undefined;
  readonly #stop = new AbortController();

  constructor(
    private readonly source: MemberSource,
    private readonly options: MemberListOptions,
  ) {
    this.provider = source.provider;
    this.organization = source.organization;
    setMaxListeners(0, this.#stop.signal);
  }

  /**
   * The members, starting a listing when the last one is older than the interval. With a list to
   * serve it answers at once; before the first good listing it waits until `deadline` (Unix ms) at most.
   */
  async lookup(deadline: number): Promise<MemberListState> {
    const { clock, intervalMs } = this.options;
    const due = this.#lastAttemptAt === undefined || clock.now() - this.#lastAttemptAt >= intervalMs;
    if (due && !this.#inflight && !this.#stop.signal.aborted) this.#inflight = this.#list();
    if (this.#members === undefined && this.#inflight) await untilDeadline(this.#inflight, deadline, clock, this.#stop.signal);
    return this.state();
  }

  state(): MemberListState {
    return {
      provider: this.provider,
      organization: this.organization,
      members: this.#members,
      listed: this.#listed,
      up: this.#up,
      lastSuccessAt: this.#lastSuccessAt,
      lastError: this.#lastError,
      version: this.#version,
    };
  }

  /** Resolves when the running listing (if any) has finished; for tests and benchmarks. */
  async settled(): Promise<void> {
    await this.#inflight;
  }

  close(): void {
    this.#stop.abort(new Error('exporter stopping'));
  }

  async #list(): Promise<void> {
    const { clock, invoker, intervalMs, logger, include, exclude } = this.options;
    const started = clock.now();
    this.#lastAttemptAt = started;
    const invoke = invoker.bind(this.#stop.signal, () => started + intervalMs);
    const where = { provider: this.provider, organization: this.organization };
    try {
      const listed = await this.source.list(invoke, this.#stop.signal);
      const selected = selectMembers(listed, include, exclude);
      const before = this.#members;
      this.#up = true;
      this.#lastError = undefined;
      this.#lastSuccessAt = clock.now();
      this.#listed = listed.length;
      if (before === undefined || changed(before, selected)) {
        this.#members = selected;
        this.#version++;
        logMembership(logger, where, before, selected, listed.length);
      }
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      const apiError = error instanceof ApiError ? error : new ApiError(this.provider, 'list members', 'invalid_response', 'invalid_response', String(error));
      this.#up = false;
      this.#lastError = apiError;
      const kept = this.#members === undefined ? 'no members known yet: their accounts appear once a listing succeeds' : `keeping the ${this.#members.length} member(s) last listed`;
      logger.warn(
        { ...where, action: apiError.action, code: apiError.code, requestId: apiError.requestId, err: apiError.message },
        `listing the organization's members failed; ${kept}`,
      );
    } finally {
      this.#inflight = undefined;
    }
  }
}

function changed(before: readonly Member[], after: readonly Member[]): boolean {
  return before.length !== after.length || before.some((member, i) => member.id !== after[i]!.id || member.name !== after[i]!.name);
}

/** Says who joined and who left (by id), once per change; at most 20 ids each, then a count. */
function logMembership(
  logger: Logger,
  where: { provider: Provider; organization: string },
  before: readonly Member[] | undefined,
  after: readonly Member[],
  listed: number,
): void {
  const had = new Set((before ?? []).map((member) => member.id));
  const has = new Set(after.map((member) => member.id));
  const joined = after.filter((member) => !had.has(member.id)).map((member) => member.id);
  const left = (before ?? []).filter((member) => !has.has(member.id)).map((member) => member.id);
  const few = (ids: string[]) => (ids.length > 20 ? [...ids.slice(0, 20), `... ${ids.length - 20} more`] : ids);
  logger.info(
    { ...where, members: after.length, listed, joined: few(joined), left: few(left) },
    before === undefined ? 'organization members listed: each selected member is an account' : 'organization members changed',
  );
}
