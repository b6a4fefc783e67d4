// Resource Manager through the same Darabonba base client as Security Center (AlibabaRpcClient).
import type { CallTrace } from '../../contract/types.js';
import {
  ShapeError,
  expectObject,
  integerOrNull,
  integerText,
  optionalArray,
  optionalNumber,
  optionalString,
  validatedAnswer,
} from '../kit/validate.js';
import { baseSigner, type SasClientOptions } from './client.js';
import { RpcClient } from './rpc-client.js';
import {
  RESOURCE_MANAGER_API_VERSION,
  type ListAccountsRequest,
  type ListAccountsResponse,
  type ResourceDirectoryAccount,
} from './resource-manager-api.js';

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

/**
 * { Accounts: { Account: [...] }, TotalCount, PageNumber, PageSize, RequestId }, as the generated model
 * reads it; a member whose AccountId is missing or not an integer keeps AccountId null (the source leaves it out).
 */
export function parseListAccounts(raw: unknown): ListAccountsResponse {
  const body = expectObject(raw, 'answer');
  const accounts = body['Accounts'] === undefined || body['Accounts'] === null ? {} : expectObject(body['Accounts'], 'answer.Accounts');
  const list = (optionalArray(accounts, 'Account', 'answer.Accounts') ?? []).map((item, i): ResourceDirectoryAccount => {
    const at = `answer.Accounts.Account[${i}]`;
    const account = expectObject(item, at);
    const id = integerOrNull(account['AccountId']);
    const text = (key: string) => (typeof account[key] === 'string' ? account[key] : '');
    return { AccountId: id === null ? null : integerText(id), DisplayName: text('DisplayName'), Status: text('Status') };
  });
  const total = optionalNumber(body, 'TotalCount', 'answer');
  if (total === null) throw new ShapeError('answer.TotalCount is missing or null');
  return { Accounts: list, TotalCount: total, RequestId: optionalString(body, 'RequestId', 'answer') ?? '' };
}
