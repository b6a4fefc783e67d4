// Security Center's multi-account management: DescribeMonitorAccounts (2018-12-03) lists the members
// of the resource directory that Security Center monitors, the only members it answers the management
// account about through ResourceDirectoryAccountId. From the sas-20181203 models: no request
// parameter, no paging; the answer is { RequestId, AccountIds: string[], AccountIdInfos: [{ AccountId,
// AddTime, OperatorUid, PostBasicService, SasVersion }] } (we read AccountIds).
import type { CallTrace } from '../../contract/types.js';
import { expectObject, integerOrNull, integerText, optionalArray, optionalString, validatedAnswer } from '../kit/validate.js';
import { SAS_API_VERSION } from './api.js';
import { baseSigner, type SasClientOptions } from './client.js';
import { RpcClient } from './rpc-client.js';

export const DESCRIBE_MONITOR_ACCOUNTS = 'DescribeMonitorAccounts';

export interface DescribeMonitorAccountsResponse {
  /** The monitored members' account ids; an entry that is not an integer is null. */
  AccountIds: Array<string | null>;
  RequestId: string;
}

export class MonitorAccountsClient {
  readonly #rpc: RpcClient;

  /** Signed with the resource directory's base credential: the management account (or Security Center's delegated administrator) asks. */
  constructor(options: SasClientOptions) {
    this.#rpc = new RpcClient({ ...options, ...baseSigner(options.credentials) });
  }

  async describeMonitorAccounts(signal: AbortSignal, trace?: CallTrace): Promise<DescribeMonitorAccountsResponse> {
    const body = await this.#rpc.call(DESCRIBE_MONITOR_ACCOUNTS, SAS_API_VERSION, {}, signal, trace);
    return validatedAnswer('alibaba', DESCRIBE_MONITOR_ACCOUNTS, () => parseMonitorAccounts(body));
  }
}

export function parseMonitorAccounts(raw: unknown): DescribeMonitorAccountsResponse {
  const body = expectObject(raw, 'answer');
  const ids = (optionalArray(body, 'AccountIds', 'answer') ?? []).map((id) => {
    const integer = integerOrNull(id);
    return integer === null ? null : integerText(integer);
  });
  return { AccountIds: ids, RequestId: optionalString(body, 'RequestId', 'answer') ?? '' };
}
