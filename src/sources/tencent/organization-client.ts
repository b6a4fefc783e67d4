// The Organization API through the same CommonClient as CWP (TencentApiClient), with our own types.
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
import { TencentApiClient } from './api-client.js';
import { tencentCredential, type CwpClientOptions } from './client.js';
import {
  ORGANIZATION_API_VERSION,
  type DescribeOrganizationMembersRequest,
  type DescribeOrganizationMembersResponse,
  type OrgMember,
} from './organization-api.js';

export class OrganizationClient {
  readonly #api: TencentApiClient;

  /** Signed with the organization's base credential (`signWith` unused: the listing is the management principal's own call). */
  constructor(options: CwpClientOptions) {
    this.#api = new TencentApiClient({ ...options, version: ORGANIZATION_API_VERSION, credential: tencentCredential(options.credentials) });
  }

  async describeOrganizationMembers(
    request: DescribeOrganizationMembersRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeOrganizationMembersResponse> {
    const raw = await this.#api.call('DescribeOrganizationMembers', request, signal, trace);
    return validatedAnswer('tencent', 'DescribeOrganizationMembers', () => parseMembers(raw));
  }
}

/** The answer; a member whose MemberUin is missing, null or not an integer keeps MemberUin null (the source leaves it out). */
export function parseMembers(raw: unknown): DescribeOrganizationMembersResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const items = (optionalArray(response, 'Items', where) ?? []).map((item, i): OrgMember => {
    const at = `${where}.Items[${i}]`;
    const member = expectObject(item, at);
    const uin = integerOrNull(member['MemberUin']);
    const name = member['Name'];
    return { MemberUin: uin === null ? null : integerText(uin), Name: typeof name === 'string' ? name : '' };
  });
  const total = optionalNumber(response, 'Total', where);
  if (total === null) throw new ShapeError(`${where}.Total is missing or null`);
  return { Items: items, Total: total, RequestId: optionalString(response, 'RequestId', where) ?? '' };
}
