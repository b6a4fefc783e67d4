// Lists the members of a Tencent Cloud organization (DescribeOrganizationMembers, page by page).
import type { FetchContext, Member, MemberSource, Snapshot } from '../types.js';
import { MEMBER_PAGE_SIZE } from './organization-api.js';
import { OrganizationClient } from './organization-client.js';
import type { TencentOrganizationConfig } from './organization-config.js';

/** Stops a listing whose pages never end (a cloud bug) from looping forever: 50,000 members. */
const MAX_PAGES = 1000;

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

  async list(invoke: FetchContext<Snapshot>['invoke']): Promise<Member[]> {
    const found = new Map<string, string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const offset = page * MEMBER_PAGE_SIZE;
      const answer = await invoke('DescribeOrganizationMembers', (signal, trace) =>
        this.client.describeOrganizationMembers({ Offset: offset, Limit: MEMBER_PAGE_SIZE, ...this.#product }, signal, trace),
      );
      for (const item of answer.Items) if (!found.has(item.MemberUin)) found.set(item.MemberUin, item.Name);
      if (answer.Items.length < MEMBER_PAGE_SIZE || offset + MEMBER_PAGE_SIZE >= answer.Total) break;
    }
    return [...found].map(([id, name]) => ({ id, name }));
  }
}
