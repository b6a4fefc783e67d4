// Alibaba Cloud STS AssumeRole (2015-04-01) in the emulator: the role ARN resolved to an emulated
// account's role, its trust policy (the caller's account, and the ExternalId it asks for), the
// session name and duration checked with the API's own error codes, and temporary keys issued
// ("STS." key ids) that expire on the emulator's clock.
import type { EmulatedRole, IssuedKeysTable } from '../kit/sts.js';

/** AssumeRole's default DurationSeconds, and the shortest it takes. */
const DEFAULT_DURATION_SECONDS = 3600;
const MIN_DURATION_SECONDS = 900;
/** A role's MaxSessionDuration when it sets none. */
const DEFAULT_MAX_SESSION_SECONDS = 3600;

const ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/i;
const SESSION_NAME = /^[\w.@-]{2,64}$/;

interface StsAccount {
  name: string;
  accountId: string;
  roles: EmulatedRole[];
}

/** An STS error answer: the code (its HTTP status and message come from errors.ts). */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}

/** The account id an AssumeRole request's RoleArn names, if it is a role ARN. */
export function roleOwnerId(params: Record<string, string>): string | undefined {
  const arn = params['RoleArn'];
  return arn === undefined ? undefined : ARN.exec(arn)?.[1];
}

/** AssumeRole's answer (without RequestId) for `caller`, or the StsError the API answers. */
export function assumeRole(
  caller: { name: string },
  params: Record<string, string>,
  accounts: readonly StsAccount[],
  issued: IssuedKeysTable,
  now: number,
): Record<string, unknown> {
  const arn = params['RoleArn'];
  const sessionName = params['RoleSessionName'];
  if (arn === undefined || sessionName === undefined) throw new StsError('MissingParameter', 'RoleArn and RoleSessionName are required.');
  const parsed = ARN.exec(arn);
  if (!parsed) throw new StsError('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  if (!SESSION_NAME.test(sessionName))
    throw new StsError('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  const [, accountId, name] = parsed as unknown as [string, string, string];
  const owner = accounts.find((a) => a.accountId === accountId);
  const role = owner?.roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (!owner || !role) throw new StsError('EntityNotExist.Role', 'The specified Role not exists.');
  const duration = params['DurationSeconds'] === undefined ? DEFAULT_DURATION_SECONDS : Number(params['DurationSeconds']);
  const longest = role.maxSessionSeconds ?? DEFAULT_MAX_SESSION_SECONDS;
  if (!Number.isInteger(duration) || duration < MIN_DURATION_SECONDS || duration > longest) {
    throw new StsError(
      'InvalidParameter.DurationSeconds',
      `The Min/Max value of DurationSeconds is ${MIN_DURATION_SECONDS}/${longest} seconds.`,
    );
  }
  // The trust policy: the caller's account must be a principal, and its sts:ExternalId condition met.
  if (!role.trusted.includes(caller.name) || (role.externalId !== undefined && params['ExternalId'] !== role.externalId)) {
    throw new StsError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
  }
  const keys = issued.issue({ account: owner.name, role: role.name, sessionName, durationMs: duration * 1000, now, keyIdPrefix: 'STS.' });
  return {
    Credentials: {
      AccessKeyId: keys.keyId,
      AccessKeySecret: keys.secret,
      SecurityToken: keys.token,
      Expiration: new Date(keys.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    AssumedRoleUser: {
      Arn: `acs:ram::${accountId}:role/${role.name.toLowerCase()}/${sessionName}`,
      AssumedRoleId: `3${accountId.slice(1)}:${sessionName}`,
    },
  };
}
