// What both clouds' STS halves of the emulator share: the roles an emulated account holds (with the
// trust policy that says who may assume them), and the temporary keys issued for them, which expire
// on the emulator's clock (tests move it) and are checked, key, secret and token together, on every
// later call signed with them.
import { createHash, randomBytes } from 'node:crypto';

export interface EmulatedRole {
  /** The role's name, as the ARN ends (roleName/<name> for Tencent, role/<name> for Alibaba). */
  name: string;
  /** Tencent's numeric role id (qcs::cam::uin/<uin>:role/<id>); derived from the name when absent. */
  id?: string;
  /** The trust policy: names of emulated accounts of the same cloud whose keys may assume the role. */
  trusted: string[];
  /** The ExternalId the trust policy asks for (its sts:ExternalId condition), if any. */
  externalId?: string;
  /** The longest session the role allows, in seconds (the role's MaxSessionDuration). Default 43200. */
  maxSessionSeconds?: number;
}

/** Temporary keys as issued: secrets included (tests look for leaks of them; never logged here). */
export interface IssuedKeys {
  keyId: string;
  secret: string;
  token: string;
  /** The emulated account that owns the role: the calls signed with these keys are its calls. */
  account: string;
  role: string;
  sessionName: string;
  /** Unix ms, by the emulator's clock. */
  issuedAt: number;
  expiresAt: number;
}

/** Why a call's temporary keys are refused, if they are. */
export type KeysProblem = 'missing_token' | 'wrong_token' | 'expired';

/** A stable number of `digits` digits for a name: an emulated account's uin or account id. */
export function accountNumberFor(name: string, digits: number): string {
  const hash = BigInt(`0x${createHash('sha256').update(`account-number/${name}`).digest('hex')}`);
  return `1${(hash % 10n ** BigInt(digits - 1)).toString().padStart(digits - 1, '0')}`;
}

/** A stable numeric role id for a role name, as Tencent gives each role (e.g. 4611686018427397919). */
export function roleIdFor(account: string, role: string): string {
  return `46116860${accountNumberFor(`${account}/role/${role}`, 11)}`;
}

export class IssuedKeysTable {
  readonly #byKeyId = new Map<string, IssuedKeys>();

  /** New temporary keys for `role` of `account`, living `durationMs` from `now`. */
  issue(options: { account: string; role: string; sessionName: string; durationMs: number; now: number; keyIdPrefix: string }): IssuedKeys {
    const keys: IssuedKeys = {
      keyId: `${options.keyIdPrefix}${randomBytes(12).toString('hex')}`,
      secret: randomBytes(24).toString('base64url'),
      token: randomBytes(48).toString('base64url'),
      account: options.account,
      role: options.role,
      sessionName: options.sessionName,
      issuedAt: options.now,
      expiresAt: options.now + options.durationMs,
    };
    this.#byKeyId.set(keys.keyId, keys);
    return keys;
  }

  find(keyId: string): IssuedKeys | undefined {
    return this.#byKeyId.get(keyId);
  }

  /** Why the keys `keyId` cannot sign a call carrying `token` at `now`; undefined when they can. */
  problem(keys: IssuedKeys, token: string | undefined, now: number): KeysProblem | undefined {
    if (token === undefined || token === '') return 'missing_token';
    if (token !== keys.token) return 'wrong_token';
    if (now >= keys.expiresAt) return 'expired';
    return undefined;
  }

  /** Ends the life of the keys of `account` (all accounts when absent) now; how many were still alive. */
  expire(now: number, account?: string): number {
    let ended = 0;
    for (const keys of this.#byKeyId.values()) {
      if ((account === undefined || keys.account === account) && keys.expiresAt > now) {
        keys.expiresAt = now;
        ended++;
      }
    }
    return ended;
  }

  /** Every issuance so far, oldest first. */
  list(account?: string): IssuedKeys[] {
    return [...this.#byKeyId.values()].filter((keys) => account === undefined || keys.account === account);
  }
}
