// Lists the members of an Alibaba Cloud resource directory (Resource Manager ListAccounts, page by
// page): the members whose account exists (their Status) and whose id is an account id; read through
// ResourceDirectoryAccountId, only those Security Center's multi-account management monitors
// (DescribeMonitorAccounts), the only ones it answers the management account about.
import { memberIdOf, refusedIdsWarning, shownId, type MemberIdForm } from '../kit/member-id.js';
import { listMemberPages, type MemberPages } from '../kit/member-pages.js';
import {
  ApiError,
  type AnswerWarning,
  type FetchContext,
  type Member,
  type MemberListing,
  type MemberSource,
  type Snapshot,
} from '../../contract/types.js';
import { DESCRIBE_MONITOR_ACCOUNTS, MonitorAccountsClient } from './monitor-accounts.js';
import type { AlibabaResourceDirectoryConfig } from './organization-config.js';
import { ACCOUNT_PAGE_SIZE, EXISTING_MEMBER_STATUSES } from './resource-manager-api.js';
import { ResourceManagerClient } from './resource-manager-client.js';

/** An Alibaba Cloud account id: up to 16 decimal digits without a leading zero (1234567890123456). */
export const ALIBABA_ACCOUNT_ID: MemberIdForm = {
  pattern: /^[1-9]\d{0,15}$/,
  text: 'an account id (up to 16 digits, without a leading zero)',
};

const FIXES = {
  not_monitored:
    'Security Center answers the management account only about the members of its multi-account management: add them (Security Center console, Multi-account Control; or CreateMonitorAccount), or read members through a role in each (member_access: assume_role)',
  inactive:
    'their account does not exist (its creation is unconfirmed, failed, expired or cancelled, or it was removed): nothing to read until it does',
};

export class AlibabaMemberSource implements MemberSource {
  readonly provider = 'alibaba' as const;
  readonly organization: string;
  readonly #monitors: MonitorAccountsClient | undefined;
  /** The members Security Center monitored at the last answer, kept when DescribeMonitorAccounts fails. */
  #lastMonitored: ReadonlySet<string> | undefined;

  constructor(
    config: AlibabaResourceDirectoryConfig,
    private readonly client: ResourceManagerClient = new ResourceManagerClient(config),
    monitors?: MonitorAccountsClient,
  ) {
    this.organization = config.name;
    const throughDirectory = config.memberAccess === 'resource_directory_account_id';
    this.#monitors = throughDirectory
      ? (monitors ?? new MonitorAccountsClient({ ...config, endpoint: config.member.endpoint }))
      : undefined;
  }

  async list(invoke: FetchContext<Snapshot>['invoke']): Promise<MemberListing> {
    const { members: found, skipped, warnings } = await this.#accounts(invoke);
    const partial: MemberListing['partial'] = [];
    const monitored = this.#monitors ? await this.#monitored(invoke, warnings, partial) : undefined;
    if (monitored === undefined) return { members: found, skipped, warnings, fixes: FIXES, partial };
    const members: Member[] = [];
    for (const member of found) {
      if (monitored.has(member.id)) members.push(member);
      else
        skipped.push({
          id: member.id,
          name: member.name,
          reason: 'not_monitored',
          detail: 'not in Security Center multi-account management',
        });
    }
    return { members, skipped, warnings, fixes: FIXES, partial };
  }

  /** Every page of ListAccounts (sources/kit/member-pages.ts): members that exist, by id, each once; the others skipped. */
  #accounts(invoke: FetchContext<Snapshot>['invoke']): Promise<MemberPages> {
    return listMemberPages({
      action: 'ListAccounts',
      totalField: 'TotalCount',
      idField: 'AccountId',
      idForm: ALIBABA_ACCOUNT_ID,
      pageSize: ACCOUNT_PAGE_SIZE,
      page: async (index) => {
        const answer = await invoke('ListAccounts', (signal, trace) =>
          this.client.listAccounts({ PageNumber: index + 1, PageSize: ACCOUNT_PAGE_SIZE }, signal, trace),
        );
        return { items: answer.Accounts, total: answer.TotalCount };
      },
      member: (account) => ({
        id: account.AccountId,
        name: account.DisplayName,
        leftOut: EXISTING_MEMBER_STATUSES.has(account.Status)
          ? undefined
          : { reason: 'inactive', detail: `Status ${shownId(account.Status)}` },
      }),
    });
  }

  /**
   * The ids Security Center monitors. When it cannot tell (the call failed after its retries, e.g.
   * the policy lacks yundun-sas:DescribeMonitorAccounts), the last answer is kept; before any, every
   * member is read as before, and the log says why.
   */
  async #monitored(
    invoke: FetchContext<Snapshot>['invoke'],
    warnings: AnswerWarning[],
    partial: MemberListing['partial'],
  ): Promise<ReadonlySet<string> | undefined> {
    try {
      const answer = await invoke('DescribeMonitorAccounts', (signal, trace) => this.#monitors!.describeMonitorAccounts(signal, trace));
      const ids = answer.AccountIds.flatMap((raw) => memberIdOf(raw, ALIBABA_ACCOUNT_ID) ?? []);
      const refusal = refusedIdsWarning(
        DESCRIBE_MONITOR_ACCOUNTS,
        'AccountIds entry',
        answer.AccountIds.filter((raw) => memberIdOf(raw, ALIBABA_ACCOUNT_ID) === undefined),
        ALIBABA_ACCOUNT_ID,
      );
      if (refusal) warnings.push(refusal);
      this.#lastMonitored = new Set(ids);
      return this.#lastMonitored;
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind === 'canceled') throw error;
      const kept = this.#lastMonitored ? 'keeping the members it monitored at its last answer' : 'reading every member that exists';
      partial.push({
        error,
        instead: `cannot tell which members Security Center's multi-account management monitors; ${kept} (the policy needs yundun-sas:DescribeMonitorAccounts)`,
      });
      return this.#lastMonitored;
    }
  }
}
