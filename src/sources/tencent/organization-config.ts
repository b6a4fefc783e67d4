// The settings of one Tencent Cloud organization, as config hands them to the member lister and to
// each member's account (validated and defaulted).
import type { Endpoint } from '../../base/endpoint.js';
import type { OrganizationSettings } from '../../contract/provider.js';
import type { MemberRole } from '../kit/role-settings.js';
import type { TencentCredentials } from './config.js';
import type { TencentAccountOptions } from './schema.js';

export interface TencentOrganizationConfig extends OrganizationSettings {
  name: string;
  /** The management account's principal (or a delegated one): lists the members and assumes their role. */
  credentials: TencentCredentials;
  /** The Organization API; default organization.tencentcloudapi.com over https. Members are read on its site. */
  endpoint: Endpoint;
  region?: string;
  /**
   * When the credentials are a trusted service's delegated administrator rather than the management
   * account's: that service's product abbreviation (e.g. cwp), which DescribeOrganizationMembers
   * requires of such a caller as Product.
   */
  trustedService?: string;
  requestTimeoutSeconds: number;
  maxResponseBytes: number;
  /** The CAM role assumed in each member: qcs::cam::uin/<MemberUin>:roleName/<name>. */
  memberRole: MemberRole;
  /** What every member's account is, but its name (the member's uin) and credentials (the role). */
  member: TencentAccountOptions;
}

/** The ARN of a member's role. */
export function tencentMemberRoleArn(memberUin: string, roleName: string): string {
  return `qcs::cam::uin/${memberUin}:roleName/${roleName}`;
}
