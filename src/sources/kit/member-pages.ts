// An organization's member listing, read page after page the same way on every cloud: every member
// once by its checked id, those a cloud says not to read and those whose id is refused skipped, and
// what was odd in the answers said in warnings.
import { nameLabel } from '../../contract/labels.js';
import type { AnswerWarning, Member, SkippedMember } from '../../contract/types.js';
import { memberIdOf, refusedIdsWarning, shownId, type MemberIdForm } from './member-id.js';

/** Stops a listing whose pages never end (a cloud bug) from looping forever: 1000 pages (50,000 members at 50 a page). */
const MAX_MEMBER_PAGES = 1000;

/** One member as a page lists it. */
interface ListedMember {
  /** Its id as the cloud sent it: checked against the cloud's MemberIdForm. */
  id: string | null;
  /** Its display name as the cloud sent it. */
  name: string;
  /** Why a member with a good id is not read (e.g. its account does not exist), when it is not. */
  leftOut?: Pick<SkippedMember, 'reason' | 'detail'> | undefined;
}

/** How one cloud's listing pages, and how its answers name things. */
interface MemberPaging<Item> {
  /** The listing action, for the warnings. */
  action: string;
  /** The answer's field of the total (Total, TotalCount) and of a member's id (MemberUin, AccountId), for the warnings. */
  totalField: string;
  idField: string;
  idForm: MemberIdForm;
  pageSize: number;
  /** The page at `index` (0 the first). */
  page(index: number): Promise<{ items: readonly Item[]; total: number }>;
  member(item: Item): ListedMember;
}

export interface MemberPages {
  members: Member[];
  skipped: SkippedMember[];
  warnings: AnswerWarning[];
}

/**
 * Page after page until a page is short: the total never ends a listing (a total lower than the
 * members there are would cut it silently), it is only checked, and one lower than the members
 * received is said in a warning. A listing of a whole number of pages asks for one more, empty, page.
 */
export async function listMemberPages<Item>(paging: MemberPaging<Item>): Promise<MemberPages> {
  const { action, pageSize, idForm } = paging;
  const found = new Map<string, string>();
  const refused: Array<string | null> = [];
  const skipped: SkippedMember[] = [];
  const warnings: AnswerWarning[] = [];
  let received = 0;
  let lowestTotal = Infinity;
  let ended = false;
  for (let index = 0; index < MAX_MEMBER_PAGES && !ended; index++) {
    const { items, total } = await paging.page(index);
    for (const item of items) {
      const listed = paging.member(item);
      const name = nameLabel(listed.name);
      const id = memberIdOf(listed.id, idForm);
      if (id === undefined) {
        refused.push(listed.id);
        skipped.push({ id: shownId(listed.id), name, reason: 'invalid_id', detail: `${paging.idField} ${shownId(listed.id)}` });
      } else if (listed.leftOut !== undefined) {
        skipped.push({ id, name, ...listed.leftOut });
      } else if (!found.has(id)) found.set(id, name);
    }
    received += items.length;
    lowestTotal = Math.min(lowestTotal, total);
    ended = items.length < pageSize;
  }
  if (received > lowestTotal) {
    warnings.push({
      action,
      kind: 'total lower than the members listed',
      count: 1,
      answers: 1,
      message: `${action}: ${paging.totalField} ${lowestTotal} is lower than the ${received} members listed; every page was read`,
    });
  }
  if (!ended) {
    warnings.push({
      action,
      kind: 'listing stopped at its page cap',
      count: 1,
      answers: 1,
      message: `${action}: stopped after ${MAX_MEMBER_PAGES} pages (${received} members); the members beyond are not read`,
    });
  }
  const refusal = refusedIdsWarning(action, paging.idField, refused, idForm);
  if (refusal) warnings.push(refusal);
  return { members: [...found].map(([id, name]) => ({ id, name })), skipped, warnings };
}
