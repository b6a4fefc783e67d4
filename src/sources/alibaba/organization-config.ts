// The settings of one Alibaba Cloud resource directory, as config hands them to the member lister
// and to each member's account (validated and defaulted).
import type { Endpoint } from '../../base/endpoint.js';
import type { OrganizationSettings } from '../../contract/provider.js';
import type { MemberRole } from '../kit/role-settings.js';
import type { AlibabaCredentials } from './config.js';
import type { AlibabaAccountOptions } from './schema.js';

/**
 * How the exporter reads a member's Security Center data:
 * - resource_directory_account_id: with the management account's own credentials, naming the member
 *   in each call (ResourceDirectoryAccountId); Security Center answers for members added to its
 *   multi-account management;
 * - assume_role: as the member, through a RAM role assumed in it (acs:ram::<AccountId>:role/<name>).
 */
export const MEMBER_ACCESS = ['resource_directory_account_id', 'assume_role'] as const;
type MemberAccess = (typeof MEMBER_ACCESS)[number];

export interface AlibabaResourceDirectoryConfig extends OrganizationSettings {
  name: string;
  /** The management account's principal (or Security Center's delegated administrator). */
  credentials: AlibabaCredentials;
  /** Resource Manager; default resourcemanager.aliyuncs.com over https. */
  endpoint: Endpoint;
  requestTimeoutSeconds: number;
  maxResponseBytes: number;
  memberAccess: MemberAccess;
  /** Set with memberAccess assume_role. */
  memberRole?: MemberRole;
  /** What every member's account is, but its name (the member's account id), credentials and member id. */
  member: AlibabaAccountOptions;
}

export function alibabaMemberRoleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName.toLowerCase()}`;
}
