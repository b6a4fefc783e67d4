// Lists the members of a Tencent Cloud organization (DescribeOrganizationMembers, page by page):
// every member whose MemberUin is a uin, the others left out with one warning per listing.
import type { MemberIdForm } from '../kit/member-id.js';
import { listMemberPages } from '../kit/member-pages.js';
import type { FetchContext, MemberListing, MemberSource, Snapshot } from '../../contract/types.js';
import { MEMBER_PAGE_SIZE } from './organization-api.js';
import { OrganizationClient } from './organization-client.js';
import type { TencentOrganizationConfig } from './organization-config.js';

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

  /** Every page of DescribeOrganizationMembers (sources/kit/member-pages.ts). */
  async list(invoke: FetchContext<Snapshot>['invoke']): Promise<MemberListing> {
    const { members, skipped, warnings } = await listMemberPages({
      action: 'DescribeOrganizationMembers',
      totalField: 'Total',
      idField: 'MemberUin',
      idForm: TENCENT_UIN,
      pageSize: MEMBER_PAGE_SIZE,
      page: async (index) => {
        const answer = await invoke('DescribeOrganizationMembers', (signal, trace) =>
          this.client.describeOrganizationMembers(
            { Offset: index * MEMBER_PAGE_SIZE, Limit: MEMBER_PAGE_SIZE, ...this.#product },
            signal,
            trace,
          ),
        );
        return { items: answer.Items, total: answer.Total };
      },
      member: (item) => ({ id: item.MemberUin, name: item.Name }),
    });
    return { members, skipped, warnings, fixes: {}, partial: [] };
  }
}
