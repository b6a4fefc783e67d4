// The member list of one organization: read again on its own interval (one listing at a time,
// started by the scrape that finds it due), or early when a member's answer says it may have left;
// the last good list kept when a listing fails (the failure counted by the invoker's observer and
// logged), never waited for once there is a list. Knows no cloud: the organization's MemberSource
// does the listing, and says which members are not read and why.
import { setMaxListeners } from 'node:events';
import type { Logger } from '../base/log.js';
import { canonicalMemberKey } from '../contract/member-key.js';
import {
  ApiError,
  SKIP_REASONS,
  type AnswerWarning,
  type ApiCallObserver,
  type Member,
  type MemberListing,
  type MemberSource,
  type Provider,
  type SkipReason,
  type SkippedMember,
} from '../contract/types.js';
import { untilDeadline, type Clock } from './clock.js';
import type { Invoker } from './invoker.js';

/** An early listing (a member's answer says it may have left) starts at most this often. */
export const EARLY_LISTING_MIN_INTERVAL_MS = 30_000;
/** Skipped members of each reason kept to be shown by name (the rest are counted). */
const SKIPPED_SHOWN = 20;

interface MemberListOptions {
  intervalMs: number;
  clock: Clock;
  invoker: Invoker;
  /** Counts odd answers (a listing's warnings) as invalid_response, as an account's are. */
  observer: ApiCallObserver;
  logger: Logger;
  /** Members to keep, by id or name; empty keeps all. */
  include: readonly string[];
  /** Members to leave out, by id or name; wins over include. */
  exclude: readonly string[];
  /** What the list this one replaces (a reload changed the organization's settings) knew: kept until a listing answers. */
  seed?: MemberListSeed | undefined;
}

/** What a member list knows, handed to the list that replaces it on reload. */
export interface MemberListSeed {
  listing: MemberListing;
  up: boolean;
  lastSuccessAt: number | undefined;
  lastError: ApiError | undefined;
}

/** The members skipped for one reason: how many, what can be done, and the first few. */
interface SkippedGroup {
  reason: SkipReason;
  count: number;
  fix: string | undefined;
  first: readonly SkippedMember[];
}

interface MemberListState {
  provider: Provider;
  organization: string;
  /** The members selected from the last good listing; undefined until one succeeded. */
  members: readonly Member[] | undefined;
  /** Members the last good listing returned, before any was skipped. */
  listed: number | undefined;
  /** Listed members not read as accounts, each reason (all of them, once listed). */
  skipped: readonly SkippedGroup[];
  /** The last listing succeeded. */
  up: boolean;
  /** Unix ms of the last good listing. */
  lastSuccessAt: number | undefined;
  /** Unix ms the last listing started. */
  lastAttemptAt: number | undefined;
  lastError: ApiError | undefined;
  /** Changes whenever `members` (or a member's name) changes. */
  version: number;
}

/** The members that include (when it is not empty) and exclude select, by id (canonical: no leading zeros) or by name, in list order. */
export function selectMembers(members: readonly Member[], include: readonly string[], exclude: readonly string[]): Member[] {
  const named = (list: readonly string[]) => {
    const set = new Set(list.map(canonicalMemberKey));
    return (member: Member) => set.has(canonicalMemberKey(member.id)) || (member.name !== '' && set.has(member.name));
  };
  const included = include.length === 0 ? () => true : named(include);
  const excluded = named(exclude);
  return members.filter((member) => included(member) && !excluded(member));
}

export class MemberList {
  readonly provider: Provider;
  readonly organization: string;
  #listing: MemberListing | undefined;
  #members: Member[] | undefined;
  #skipped: SkippedGroup[] = [];
  #up = false;
  #lastSuccessAt: number | undefined;
  #lastError: ApiError | undefined;
  #lastAttemptAt: number | undefined;
  #version = 0;
  #inflight: Promise<void> | undefined;
  /** A member's answer asked for an early listing that has not started yet. */
  #earlyWanted = false;
  /** The warnings of the last listing, each said once until it changes. */
  #said = new Set<string>();
  readonly #stop = new AbortController();

  constructor(
    private readonly source: MemberSource,
    private readonly options: MemberListOptions,
  ) {
    this.provider = source.provider;
    this.organization = source.organization;
    setMaxListeners(0, this.#stop.signal);
    const seed = options.seed;
    if (seed) {
      this.#up = seed.up;
      this.#lastSuccessAt = seed.lastSuccessAt;
      this.#lastError = seed.lastError;
      this.#apply(seed.listing);
    }
  }

  /**
   * The members, starting a listing when the last one is older than the interval (or an early one
   * was asked for). With a list to serve it answers at once; before the first good listing it waits
   * until `deadline` (Unix ms) at most.
   */
  async lookup(deadline: number): Promise<MemberListState> {
    if (this.#due() && !this.#inflight && !this.#stop.signal.aborted) this.#inflight = this.#list();
    if (this.#members === undefined && this.#inflight) await untilDeadline(this.#inflight, deadline, this.options.clock, this.#stop.signal);
    return this.state();
  }

  /**
   * A member's answer says it may have left (or may no longer be reachable through the management
   * account): the list is read again at the next lookup, one listing at a time and at most once per
   * EARLY_LISTING_MIN_INTERVAL_MS (or refresh interval, if shorter), so a member that left goes
   * before its errors last long enough to alert.
   */
  listEarly(): void {
    this.#earlyWanted = true;
  }

  state(): MemberListState {
    return {
      provider: this.provider,
      organization: this.organization,
      members: this.#members,
      listed: this.#listing === undefined ? undefined : this.#listing.members.length + this.#listing.skipped.length,
      skipped: this.#skipped,
      up: this.#up,
      lastSuccessAt: this.#lastSuccessAt,
      lastAttemptAt: this.#lastAttemptAt,
      lastError: this.#lastError,
      version: this.#version,
    };
  }

  /** What the list knows, for the list that replaces it on reload; undefined before any good listing. */
  seed(): MemberListSeed | undefined {
    if (this.#listing === undefined) return undefined;
    return { listing: this.#listing, up: this.#up, lastSuccessAt: this.#lastSuccessAt, lastError: this.#lastError };
  }

  /** Resolves when the running listing (if any) has finished; for tests and benchmarks. */
  async settled(): Promise<void> {
    await this.#inflight;
  }

  close(): void {
    this.#stop.abort(new Error('exporter stopping'));
  }

  #due(): boolean {
    const { clock, intervalMs } = this.options;
    if (this.#lastAttemptAt === undefined) return true;
    const since = clock.now() - this.#lastAttemptAt;
    return since >= intervalMs || (this.#earlyWanted && since >= Math.min(intervalMs, EARLY_LISTING_MIN_INTERVAL_MS));
  }

  async #list(): Promise<void> {
    const { clock, invoker, logger } = this.options;
    const early = this.#earlyWanted && this.#lastAttemptAt !== undefined && clock.now() - this.#lastAttemptAt < this.options.intervalMs;
    this.#earlyWanted = false;
    this.#lastAttemptAt = clock.now();
    // Nobody waits for a listing but a scrape before the first one (and only until its deadline):
    // its calls are retried as the policy allows, whatever refresh_interval is.
    const invoke = invoker.bind(this.#stop.signal, () => Number.POSITIVE_INFINITY);
    const where = { provider: this.provider, organization: this.organization };
    // Debug: a member that keeps failing so (a role's permission missing, not a member that left) asks again every 30 s.
    if (early) logger.debug(where, "a member's answer says it may have left the organization: listing the members again early");
    try {
      const listing = await this.source.list(invoke, this.#stop.signal);
      this.#say(listing.warnings);
      for (const { error, instead } of listing.partial) {
        logger.warn({ ...where, action: error.action, code: error.code, requestId: error.requestId, err: error.message }, instead);
      }
      const before = this.#members;
      this.#up = true;
      this.#lastError = undefined;
      this.#lastSuccessAt = clock.now();
      if (this.#apply(listing)) logMembership(logger, where, before, this.#members!, this.state().listed!);
    } catch (error) {
      if (this.#stop.signal.aborted) return;
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(this.provider, 'list members', 'invalid_response', 'invalid_response', String(error));
      this.#up = false;
      this.#lastError = apiError;
      const kept =
        this.#members === undefined
          ? 'no members known yet: their accounts appear once a listing succeeds'
          : `keeping the ${this.#members.length} member(s) last listed`;
      logger.warn(
        { ...where, action: apiError.action, code: apiError.code, requestId: apiError.requestId, err: apiError.message },
        `listing the organization's members failed; ${kept}`,
      );
    } finally {
      this.#inflight = undefined;
    }
  }

  /** Takes a listing's members (include and exclude applied) and skipped groups; true when the members changed. */
  #apply(listing: MemberListing): boolean {
    const { include, exclude } = this.options;
    this.#listing = listing;
    const selected = selectMembers(listing.members, include, exclude);
    const selectedIds = new Set(selected.map((member) => member.id));
    const excluded: SkippedMember[] = listing.members
      .filter((member) => !selectedIds.has(member.id))
      .map((member) => ({ id: member.id, name: member.name, reason: 'excluded', detail: 'left out by include/exclude' }));
    this.#skipped = SKIP_REASONS.map((reason) => {
      const all = reason === 'excluded' ? excluded : listing.skipped.filter((member) => member.reason === reason);
      return { reason, count: all.length, fix: listing.fixes[reason], first: all.slice(0, SKIPPED_SHOWN) };
    });
    const before = this.#members;
    if (before !== undefined && !changed(before, selected)) return false;
    this.#members = selected;
    this.#version++;
    return true;
  }

  /** Logs each warning of a listing once (until the listing stops or starts saying it), and counts each as invalid_response. */
  #say(warnings: readonly AnswerWarning[]): void {
    const now = new Set<string>();
    for (const warning of warnings) {
      this.options.observer.onInvalidAnswer(warning.action, warning.answers);
      now.add(warning.message);
      if (!this.#said.has(warning.message))
        this.options.logger.warn({ provider: this.provider, organization: this.organization, action: warning.action }, warning.message);
    }
    this.#said = now;
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
