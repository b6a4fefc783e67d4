// Tencent Cloud STS AssumeRole (2018-08-13) through the same CommonClient machinery as CWP
// (api-client.ts). Why not the SDK's own STSCredential: it turns every STS error into a plain Error
// whose message drops the code and request id (so a missing role could not be counted by its code),
// keeps a failed assumption forever (its promise is cached even when rejected, so one throttled call
// would end the account's role for good), times renewal by the machine's clock 30 s before expiry,
// and takes no AbortSignal, size limit or endpoint guard.
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Endpoint } from '../../base/endpoint.js';
import { Secret } from '../../base/secret.js';
import type { TemporaryKeys } from '../kit/role-session.js';
import type { CallTrace } from '../../contract/types.js';
import { ShapeError, isObject, validatedAnswer } from '../kit/validate.js';
import { TencentApiClient } from './api-client.js';

const STS_API_VERSION = '2018-08-13';
/**
 * The Region of every AssumeRole call. STS requires one and refuses a region it does not serve
 * (UnsupportedRegion; its API document's "Request Structure" lists those it does), so it is not the
 * account's: Guangzhou, which both sites serve and the SDK's own STS credential always uses.
 */
export const STS_REGION = 'ap-guangzhou';

export interface AssumeRoleRequest {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds: number;
  ExternalId?: string;
}

/** The fields of AssumeRole's answer read here (test/unit/sources/api-contracts.test.ts checks them against the SDK's models). */
export interface AssumeRoleAnswer {
  Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string };
  /** Unix seconds. */
  ExpiredTime: number;
  /** ISO 8601, read when ExpiredTime is missing. */
  Expiration: string;
}

/** A role's temporary keys, each a Secret: they print as <secret> wherever they end up. */
export interface TencentTemporaryKeys {
  secretId: Secret;
  secretKey: Secret;
  token: Secret;
}

interface StsClientOptions {
  endpoint: Endpoint;
  /** The base credential AssumeRole is signed with. */
  credential: Credential | DynamicCredential;
  region: string;
  requestTimeoutSeconds: number;
  maxResponseBytes?: number | undefined;
  /** Values (the base credential's secrets, the external id) never shown in an error. */
  secrets?: (() => readonly string[]) | undefined;
}

export class StsClient {
  readonly #api: TencentApiClient;

  constructor(options: StsClientOptions) {
    this.#api = new TencentApiClient({ ...options, version: STS_API_VERSION });
  }

  async assumeRole(request: AssumeRoleRequest, signal: AbortSignal, trace?: CallTrace): Promise<TemporaryKeys<TencentTemporaryKeys>> {
    const raw = await this.#api.call('AssumeRole', request, signal, trace);
    return validatedAnswer('tencent', 'AssumeRole', () => parseAssumeRole(raw));
  }
}

/** The answer's keys and expiry; messages name the field, never a value (these values are secrets). */
function parseAssumeRole(raw: unknown): TemporaryKeys<TencentTemporaryKeys> {
  if (!isObject(raw)) throw new ShapeError('Response is not an object');
  const credentials = raw['Credentials' satisfies keyof AssumeRoleAnswer];
  if (!isObject(credentials)) throw new ShapeError('Response.Credentials is missing or not an object');
  const text = (key: keyof AssumeRoleAnswer['Credentials']): Secret => {
    const value = credentials[key];
    if (typeof value !== 'string' || value === '') throw new ShapeError(`Response.Credentials.${key} is missing or not a string`);
    return new Secret(value);
  };
  const keys = { secretId: text('TmpSecretId'), secretKey: text('TmpSecretKey'), token: text('Token') };
  // ExpiredTime (Unix seconds) is the API's own; Expiration (ISO 8601) is read when it is missing.
  const expiredTime = raw['ExpiredTime' satisfies keyof AssumeRoleAnswer];
  const expiration = raw['Expiration' satisfies keyof AssumeRoleAnswer];
  let expiresAt: number;
  if (typeof expiredTime === 'number' || typeof expiredTime === 'bigint') expiresAt = Number(expiredTime) * 1000;
  else if (typeof expiration === 'string') expiresAt = Date.parse(expiration);
  else throw new ShapeError('Response.ExpiredTime and Response.Expiration are both missing');
  if (!Number.isFinite(expiresAt)) throw new ShapeError('Response.ExpiredTime is not a time');
  return { keys, expiresAt };
}
