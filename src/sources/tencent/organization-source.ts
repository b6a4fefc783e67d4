// Lists the members of a Tencent Cloud organization (DescribeOrganizationMembers, page by page):
// every member whose MemberUin is a uin, the others left out with one warning per listing.
import { nameLabel } from '../../contract/labels.js';
import { memberIdOf, refusedIdsWarning, shownId, type MemberIdForm } from '../kit/member-id.js';
import type { AnswerWarning, FetchContext, MemberListing, SkippedMember, Snapshot } from '../../contract/types.js';
import type { MemberSource } from '../../contract/types.js';
import { MEMBER_PAGE_SIZE } from './organization-api.js';
import { OrganizationClient } from './organization-client.js';
import type { TencentOrganizationConfig } from './organization-config.js';

/** Stops a listing whose pages never end (a cloud bug) from looping forever: 50,000 members. */
const MAX_PAGES = 1000;

/** A uin: a positive integer without leading zeros that fits in 64 bits (the API's Integer). */
export const TENCENT_UIN: MemberIdForm = {
  pattern: /^[1-9]\d{0,19}$/,
  max: 2n ** 64n - 1n,
  text: 'a uin (a positive integer below 2^64, without leading zeros)',
};

export class TencentMemberSource implements MemberSource {
  readonly provider = 'tencent' as const;
  readonly organization: string;
  /** DescribeOrganizationMembers' Product, for a trusted service's delegated administrator. */
  readonly #product: { Product: string } | Record<string, never>;

  constructor(
    config: TencentOrganizationConfig,
    private readonly client: OrganizationClient = new OrganizationClient(config),
  ) {
    this.organization = config.name;
    this.#product = config.trustedService === undefined ? {} : { Product: config.trustedService };
  }

  /**
   * Page after page until a page is short: Total never ends a listing (a Total lower than the members
   * there are would cut it silently), it is only checked, and one lower than the members received is
   * said in a warning. A listing of a whole number of pages asks for one more, empty, page.
   */
  async list(invoke: FetchContext<Snapshot>['invoke']): Promise<MemberListing> {
    const action = 'DescribeOrganizationMembers';
    const found = new Map<string, string>();
    const refused: Array<string | null> = [];
    const skipped: SkippedMember[] = [];
    const warnings: AnswerWarning[] = [];
    let received = 0;
    let lowestTotal = Infinity;
    let ended = false;
    for (let page = 0; page < MAX_PAGES && !ended; page++) {
      const offset = page * MEMBER_PAGE_SIZE;
      const answer = await invoke('DescribeOrganizationMembers', (signal, trace) =>
        this.client.describeOrganizationMembers({ Offset: offset, Limit: MEMBER_PAGE_SIZE, ...this.#product }, signal, trace),
      );
      for (const item of answer.Items) {
        const id = memberIdOf(item.MemberUin, TENCENT_UIN);
        if (id === undefined) {
          refused.push(item.MemberUin);
          skipped.push({ id: shownId(item.MemberUin), name: nameLabel(item.Name), reason: 'invalid_id', detail: `MemberUin ${shownId(item.MemberUin)}` });
        } else if (!found.has(id)) found.set(id, nameLabel(item.Name));
      }
      received += answer.Items.length;
      lowestTotal = Math.min(lowestTotal, answer.Total);
      ended = answer.Items.length < MEMBER_PAGE_SIZE;
    }
    if (received > lowestTotal) {
      warnings.push({ action, kind: 'total lower than the members listed', count: 1, answers: 1, message: `${action}: Total ${lowestTotal} is lower than the ${received} members listed; every page was read` });
    }
    if (!ended) warnings.push({ action, kind: 'listing stopped at its page cap', count: 1, answers: 1, message: `${action}: stopped after ${MAX_PAGES} pages (${received} members); the members beyond are not read` });
    const refusal = refusedIdsWarning(action, 'MemberUin', refused, TENCENT_UIN);
    if (refusal) warnings.push(refusal);
    return { members: [...found].map(([id, name]) => ({ id, name })), skipped, warnings, fixes: {}, partial: [] };
  }
}
