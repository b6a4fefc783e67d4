// Lists the members of an Alibaba Cloud resource directory (Resource Manager ListAccounts, page by page).
import type { FetchContext, Member, MemberSource, Snapshot } from '../types.js';
import type { AlibabaResourceDirectoryConfig } from './organization-config.js';
import { ACCOUNT_PAGE_SIZE } from './resource-manager-api.js';
import { ResourceManagerClient } from './resource-manager-client.js';

/** Stops a listing whose pages never end (a cloud bug) from looping forever: 100,000 members. */
const MAX_PAGES = 1000;

export class AlibabaMemberSource implements MemberSource {
  readonly provider = 'alibaba' as const;
  readonly organization: string;

  constructor(
    config: AlibabaResourceDirectoryConfig,
    private readonly client: ResourceManagerClient = new ResourceManagerClient(config),
  ) {
    this.organization = config.name;
  }

  async list(invoke: FetchContext<Snapshot>['invoke']): Promise<Member[]> {
    const found = new Map<string, string>();
    let seen = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await invoke('ListAccounts', (signal, trace) =>
        this.client.listAccounts({ PageNumber: page, PageSize: ACCOUNT_PAGE_SIZE }, signal, trace),
      );
      for (const account of answer.Accounts) if (!found.has(account.AccountId)) found.set(account.AccountId, account.DisplayName);
      seen += answer.Accounts.length;
      if (answer.Accounts.length < ACCOUNT_PAGE_SIZE || seen >= answer.TotalCount) break;
    }
    return [...found].map(([id, name]) => ({ id, name }));
  }
}
