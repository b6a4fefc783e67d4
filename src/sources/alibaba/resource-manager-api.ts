// Request and response types of the Resource Manager action the exporter calls (version 2020-03-31),
// from the API reference (ListAccounts) and the generated @alicloud/resourcemanager20200331 models
// (ListAccountsRequest, ListAccountsResponseBody). Ours: the call goes through the same Darabonba
// base client as Security Center's.

export const RESOURCE_MANAGER_API_VERSION = '2020-03-31';
/** Resource Manager's endpoint rule is "central": one endpoint for every region. */
export const RESOURCE_MANAGER_ENDPOINT = 'resourcemanager.aliyuncs.com';
/** ListAccounts' largest page ("Valid values: 1 to 100"). */
export const ACCOUNT_PAGE_SIZE = 100;

export interface ListAccountsRequest {
  /** From 1. */
  PageNumber: number;
  /** 1..100, default 10. */
  PageSize: number;
}

/** The fields of a member we read; the API sends more (FolderId, JoinMethod, JoinTime, Type, ...). */
export interface ResourceDirectoryAccount {
  /** The member's Alibaba Cloud account id (16 digits); null when the answer has none or not an integer. */
  AccountId: string | null;
  DisplayName: string;
  /** CreateSuccess, InviteSuccess, PromoteSuccess, ... (see EXISTING_MEMBER_STATUSES). */
  Status: string;
}

/**
 * The Status values of a member whose account exists, from the ListAccounts document (the same list
 * in the resourcemanager-20200331 models): created, invited, and every state of an upgrade from
 * resource account to cloud account (PromoteResourceAccount upgrades an existing member: it exists
 * while the upgrade is confirmed, and after it failed, expired or was cancelled). The others,
 * CreateVerifying, CreateFailed, CreateExpired, CreateCancelled and Removed, are members whose
 * account does not exist (yet, or any more).
 */
export const EXISTING_MEMBER_STATUSES: ReadonlySet<string> = new Set([
  'CreateSuccess',
  'InviteSuccess',
  'PromoteVerifying',
  'PromoteFailed',
  'PromoteExpired',
  'PromoteCancelled',
  'PromoteSuccess',
]);

export interface ListAccountsResponse {
  Accounts: ResourceDirectoryAccount[];
  TotalCount: number;
  RequestId: string;
}
