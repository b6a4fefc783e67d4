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
  /** The member's Alibaba Cloud account id (16 digits). */
  AccountId: string;
  DisplayName: string;
  /** CreateSuccess, InviteSuccess, PromoteSuccess, ... */
  Status: string;
}

export interface ListAccountsResponse {
  Accounts: ResourceDirectoryAccount[];
  TotalCount: number;
  RequestId: string;
}
