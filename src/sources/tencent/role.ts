// An account whose calls are made as a CAM role: the base credential assumes the role through STS
// (sts.ts), and CWP calls are signed with the role's temporary keys, held and renewed by a
// RoleSession. Tencent refuses temporary keys that expired or that it does not know with
// AuthFailure.TokenFailure; the session then renews them and makes the call again.
import type { DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import { RoleSession } from '../kit/role-session.js';
import { assumeRoleRequest, assumeRoleSecrets, type RoleSettings } from '../kit/role-settings.js';
import type { ApiError } from '../../contract/types.js';
import { credentialSecrets, tencentCredential } from './client.js';
import type { TencentAccountConfig } from './config.js';
import { tencentStsEndpoint } from './role-endpoint.js';
import { STS_REGION, StsClient, type TencentTemporaryKeys } from './sts.js';

/** The codes with which CWP refuses temporary keys that are expired, revoked or unknown. */
function tencentKeysRefused(error: ApiError): boolean {
  return error.code === 'AuthFailure.TokenFailure';
}

export class TencentRole {
  readonly session: RoleSession<TencentTemporaryKeys>;
  /** What the account's CWP calls are signed with: the role's current temporary keys. */
  readonly credential: DynamicCredential;
  /** Those keys' secrets, kept out of every error. */
  readonly secrets = (): string[] => {
    const keys = this.session.keys;
    return keys ? [keys.secretId.reveal(), keys.secretKey.reveal(), keys.token.reveal()] : [];
  };

  constructor(account: TencentAccountConfig, role: RoleSettings) {
    const sts = new StsClient({
      endpoint: tencentStsEndpoint(account, role),
      credential: tencentCredential(account.credentials),
      region: STS_REGION,
      requestTimeoutSeconds: account.requestTimeoutSeconds,
      maxResponseBytes: account.maxResponseBytes,
      secrets: assumeRoleSecrets(role, () => credentialSecrets(account.credentials)),
    });
    const request = assumeRoleRequest(role);
    this.session = new RoleSession({
      provider: 'tencent',
      durationSeconds: role.durationSeconds,
      assume: (signal, trace) => sts.assumeRole(request, signal, trace),
      keysRefused: tencentKeysRefused,
    });
    const session = this.session;
    this.credential = {
      async getCredential() {
        const keys = session.keys;
        // The session assumes the role before any call is made: no keys here is a bug of ours.
        if (!keys) throw new Error('no temporary keys: the role has not been assumed yet');
        return { secretId: keys.secretId.reveal(), secretKey: keys.secretKey.reveal(), token: keys.token.reveal() };
      },
    };
  }
}
