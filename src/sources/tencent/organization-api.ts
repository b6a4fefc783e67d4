// Request and response types of the Organization API action the exporter calls (version 2021-03-31),
// from the API document (DescribeOrganizationMembers) and tencentcloud-sdk-nodejs's generated
// organization_models (DescribeOrganizationMembersRequest/Response, OrgMember). Ours, so that the
// per-product SDK package is not needed: the call goes through CommonClient like CWP's.

export const ORGANIZATION_API_VERSION = '2021-03-31';
/** The China site's endpoint; the international site's is organization.intl.tencentcloudapi.com. */
export const ORGANIZATION_ENDPOINT = 'organization.tencentcloudapi.com';
/** DescribeOrganizationMembers' largest page ("Value range: 1-50"). */
export const MEMBER_PAGE_SIZE = 50;

export interface DescribeOrganizationMembersRequest {
  /** A multiple of Limit, from 0. */
  Offset: number;
  /** 1..50. */
  Limit: number;
  /** en (international site) or zh. */
  Lang?: 'en' | 'zh';
  /** Search by member name or id. */
  SearchKey?: string;
  /** The trusted service's product abbreviation: required when its delegated administrator calls. */
  Product?: string;
}

/** The fields of an OrgMember we read; the API sends many more (node, policy, pay uin, tags, ...). */
export interface OrgMember {
  /**
   * The member's uin (an integer in the answer; kept as its decimal digits); null when the answer
   * has none or something else than an integer (the SDK's model says it may be null).
   */
  MemberUin: string | null;
  Name: string;
}

export interface DescribeOrganizationMembersResponse {
  Items: OrgMember[];
  /** Members in the organization, all pages together. */
  Total: number;
  RequestId: string;
}
