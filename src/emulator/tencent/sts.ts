// Tencent Cloud STS AssumeRole (2018-08-13) in the emulator: the role ARN resolved to an emulated
// account's role, its trust policy (the caller's account, and the ExternalId it asks for) and the
// duration checked with the API's own error codes, and temporary keys issued that expire on the
// emulator's clock.
import type { EmulatedRole, IssuedKeysTable } from '../kit/sts.js';
import { roleIdFor } from '../kit/sts.js';
import { CwpError } from './errors.js';

/** AssumeRole's default and longest DurationSeconds. */
const DEFAULT_DURATION_SECONDS = 7200;
const MAX_DURATION_SECONDS = 43_200;

const ARN = /^qcs::cam::uin\/(\d+):(?:roleName\/([\w+=,.@-]+)|role\/(\d+))$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

export interface StsAccount {
  name: string;
  uin: string;
  roles: EmulatedRole[];
}

/** The uin an AssumeRole request's RoleArn names, if it is a role ARN. */
export function roleOwnerUin(request: Record<string, unknown>): string | undefined {
  const arn = request['RoleArn'];
  return typeof arn === 'string' ? ARN.exec(arn)?.[1] : undefined;
}

/** AssumeRole's answer (without RequestId) for `caller`, or the CwpError the API answers. */
export function assumeRole(
  caller: { name: string },
  request: Record<string, unknown>,
  accounts: readonly StsAccount[],
  issued: IssuedKeysTable,
  now: number,
): Record<string, unknown> {
  const { RoleArn: arn, RoleSessionName: sessionName, DurationSeconds: duration, ExternalId: externalId } = request;
  if (typeof arn !== 'string' || typeof sessionName !== 'string') {
    throw new CwpError('MissingParameter', 'The request is missing a required parameter: RoleArn and RoleSessionName are required.');
  }
  const parsed = ARN.exec(arn);
  if (!parsed) throw new CwpError('InvalidParameter.ParamError', 'RoleArn is not a role resource description.');
  if (!SESSION_NAME.test(sessionName))
    throw new CwpError('InvalidParameter.ParamError', 'RoleSessionName must be 2 to 128 of [\\w+=,.@-].');
  const [, uin, name, id] = parsed;
  const owner = accounts.find((a) => a.uin === uin);
  const role = owner?.roles.find((r) => (name !== undefined ? r.name === name : (r.id ?? roleIdFor(owner.name, r.name)) === id));
  if (!owner || !role) throw new CwpError('ResourceNotFound.RoleNotFound', 'The role does not exist in the account.');
  const seconds = duration === undefined ? DEFAULT_DURATION_SECONDS : duration;
  const longest = Math.min(MAX_DURATION_SECONDS, role.maxSessionSeconds ?? MAX_DURATION_SECONDS);
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > longest) {
    throw new CwpError('InvalidParameter.OverTimeError', `DurationSeconds must be at most ${longest}.`);
  }
  // The trust policy: the caller's account must be a principal, and its ExternalId condition met.
  if (!role.trusted.includes(caller.name) || (role.externalId !== undefined && externalId !== role.externalId)) {
    throw new CwpError('UnauthorizedOperation', 'You are not authorized to assume this role: its trust policy does not allow the caller.');
  }
  const keys = issued.issue({
    account: owner.name,
    role: role.name,
    sessionName,
    durationMs: (seconds === 0 ? DEFAULT_DURATION_SECONDS : seconds) * 1000,
    now,
    keyIdPrefix: 'AKIDtmp',
  });
  return {
    Credentials: { Token: keys.token, TmpSecretId: keys.keyId, TmpSecretKey: keys.secret },
    ExpiredTime: Math.floor(keys.expiresAt / 1000),
    Expiration: new Date(keys.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
