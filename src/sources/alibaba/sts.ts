// Alibaba Cloud STS AssumeRole (2015-04-01) through the same base client as Security Center
// (rpc-client.ts), as the generated @alicloud/sts20150401 client calls it. Why not
// @alicloud/credentials' RAM role provider: it always speaks HTTPS (no local STS can be named), reads
// the whole answer without a size limit, takes no AbortSignal, puts an error's code only inside
// its message text (with the answer's body), and times renewal by the machine's clock 15 minutes
// before expiry in its own way; the role session (role-session.ts) does that part for both clouds.
import type { Endpoint } from '../../base/endpoint.js';
import { Secret } from '../../base/secret.js';
import type { TemporaryKeys } from '../kit/role-session.js';
import { ApiError, type CallTrace } from '../../contract/types.js';
import { ShapeError, isObject, validatedAnswer } from '../kit/validate.js';
import { RpcClient, type AlibabaSigner } from './rpc-client.js';

const STS_API_VERSION = '2015-04-01';

export interface AssumeRoleRequest {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds: number;
  ExternalId?: string;
}

/** The fields of AssumeRole's answer read here (test/unit/sources/api-contracts.test.ts checks them against @alicloud/sts20150401's models). */
export interface AssumeRoleAnswer {
  Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string };
}

/** A role's temporary keys, each a Secret: they print as <secret> wherever they end up. */
export interface AlibabaTemporaryKeys {
  accessKeyId: Secret;
  accessKeySecret: Secret;
  securityToken: Secret;
}

interface StsClientOptions {
  endpoint: Endpoint;
  /** The base credential AssumeRole is signed with, and the secrets it holds. */
  signer: AlibabaSigner;
  secrets: () => readonly string[];
  requestTimeoutSeconds: number;
  maxResponseBytes?: number | undefined;
}

export class StsClient {
  readonly #rpc: RpcClient;

  constructor(options: StsClientOptions) {
    this.#rpc = new RpcClient(options);
  }

  async assumeRole(request: AssumeRoleRequest, signal: AbortSignal, trace?: CallTrace): Promise<TemporaryKeys<AlibabaTemporaryKeys>> {
    const raw = await this.#rpc.call('AssumeRole', STS_API_VERSION, { ...request }, signal, trace).catch((error: unknown) => {
      throw withRootKeyFix(error);
    });
    return validatedAnswer('alibaba', 'AssumeRole', () => parseAssumeRole(raw));
  }
}

/**
 * STS refuses AssumeRole signed by a root account's AccessKey ("Roles may not be assumed by root
 * accounts"), whatever the role's trust policy says; nothing in the key tells it apart from a RAM
 * user's beforehand. The error then says what to use instead.
 */
function withRootKeyFix(error: unknown): unknown {
  if (!(error instanceof ApiError) || !/assumed by root accounts/i.test(error.message)) return error;
  return new ApiError(
    error.provider,
    error.action,
    error.code,
    error.kind,
    `${error.message}; the credentials are a root account's AccessKey, which Alibaba Cloud STS never lets assume a role: ` +
      'give the exporter the AccessKey of a RAM user allowed sts:AssumeRole on the role (or run it with a RAM role, credentials source: default)',
    error.requestId,
    error.cause === undefined ? undefined : { cause: error.cause },
  );
}

/** The answer's keys and expiry; messages name the field, never a value (these values are secrets). */
function parseAssumeRole(raw: unknown): TemporaryKeys<AlibabaTemporaryKeys> {
  if (!isObject(raw)) throw new ShapeError('the answer is not an object');
  const credentials = raw['Credentials' satisfies keyof AssumeRoleAnswer];
  if (!isObject(credentials)) throw new ShapeError('Credentials is missing or not an object');
  const text = (key: keyof AssumeRoleAnswer['Credentials']): string => {
    const value = credentials[key];
    if (typeof value !== 'string' || value === '') throw new ShapeError(`Credentials.${key} is missing or not a string`);
    return value;
  };
  const keys = {
    accessKeyId: new Secret(text('AccessKeyId')),
    accessKeySecret: new Secret(text('AccessKeySecret')),
    securityToken: new Secret(text('SecurityToken')),
  };
  // ISO 8601 in UTC, e.g. 2015-04-09T11:52:19Z.
  const expiresAt = Date.parse(text('Expiration'));
  if (!Number.isFinite(expiresAt)) throw new ShapeError('Credentials.Expiration is not a time');
  return { keys, expiresAt };
}
