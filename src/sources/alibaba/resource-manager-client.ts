// Resource Manager through the same Darabonba base client as Security Center (AlibabaRpcClient).
import type { CallTrace } from '../types.js';
import { ShapeError, expectObject, integerText, optionalArray, optionalInteger, optionalNumber, optionalString, validatedAnswer } from '../validate.js';
import { baseSigner, type SasClientOptions } from './client.js';
import { RpcClient } from './rpc-client.js';
import { RESOURCE_MANAGER_API_VERSION, type ListAccountsRequest, type ListAccountsResponse, type ResourceDirectoryAccount } from './resource-manager-api.js';

export class ResourceManagerClient {
  readonly #rpc: RpcClient;

  /** Signed with the resource directory's base credential: the listing is the management principal's own call. */
  constructor(options: SasClientOptions) {
    this.#rpc = new RpcClient({ ...options, ...baseSigner(options.credentials) });
  }

  async listAccounts(request: ListAccountsRequest, signal: AbortSignal, trace?: CallTrace): Promise<ListAccountsResponse> {
    const body = await this.#rpc.call('ListAccounts', RESOURCE_MANAGER_API_VERSION, { ...request }, signal, trace);
    return validatedAnswer('alibaba', 'ListAccounts', () => parseListAccounts(body));
  }
}

/** { Accounts: { Account: [...] }, TotalCount, PageNumber, PageSize, RequestId }, as the generated model reads it. */
export function parseListAccounts(raw: unknown): ListAccountsResponse {
  const body = expectObject(raw, 'answer');
  const accounts = body['Accounts'] === undefined || body['Accounts'] === null ? {} : expectObject(body['Accounts'], 'answer.Accounts');
  const list = (optionalArray(accounts, 'Account', 'answer.Accounts') ?? []).map((item, i): ResourceDirectoryAccount => {
    const at = `answer.Accounts.Account[${i}]`;
    const account = expectObject(item, at);
    const id = optionalInteger(account, 'AccountId', at);
    if (id === null) throw new ShapeError(`${at}.AccountId is missing or null`);
    return {
      AccountId: integerText(id),
      DisplayName: optionalString(account, 'DisplayName', at) ?? '',
      Status: optionalString(account, 'Status', at) ?? '',
    };
  });
  const total = optionalNumber(body, 'TotalCount', 'answer');
  if (total === null) throw new ShapeError('answer.TotalCount is missing or null');
  return { Accounts: list, TotalCount: total, RequestId: optionalString(body, 'RequestId', 'answer') ?? '' };
}
