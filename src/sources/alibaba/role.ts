// An account whose calls are made as a RAM role: the base credential assumes the role through STS
// (sts.ts), and Security Center calls are signed with the role's temporary keys (the security token
// in the signed x-acs-security-token header), held and renewed by a RoleSession. Alibaba refuses an
// expired or mismatched security token with InvalidSecurityToken.*; the session then renews the
// keys and makes the call again.
import CredentialsModule from '@alicloud/credentials';
import { RoleSession } from '../kit/role-session.js';
import { assumeRoleRequest, assumeRoleSecrets, type RoleSettings } from '../kit/role-settings.js';
import type { ApiError } from '../../contract/types.js';
import { baseSigner } from './client.js';
import type { AlibabaAccountConfig } from './config.js';
import { alibabaStsEndpoint } from './role-endpoint.js';
import type { AlibabaSigner } from './rpc-client.js';
import { StsClient, type AlibabaTemporaryKeys } from './sts.js';

const Credential = CredentialsModule.default;

/** Shown as x-acs-credentials-provider on the calls signed with the role's keys. */
const PROVIDER_NAME = 'cloudscan_role_session';

/** The codes with which Security Center refuses temporary keys that are expired, revoked or mismatched. */
function alibabaKeysRefused(error: ApiError): boolean {
  return error.code.startsWith('InvalidSecurityToken.');
}

export class AlibabaRole {
  readonly session: RoleSession<AlibabaTemporaryKeys>;
  /** What the account's Security Center calls are signed with: the role's current temporary keys. */
  readonly signer: AlibabaSigner;

  constructor(account: AlibabaAccountConfig, role: RoleSettings) {
    const base = baseSigner(account.credentials);
    const sts = new StsClient({
      endpoint: alibabaStsEndpoint(account, role),
      signer: base.signer,
      secrets: assumeRoleSecrets(role, base.secrets),
      requestTimeoutSeconds: account.requestTimeoutSeconds,
      maxResponseBytes: account.maxResponseBytes,
    });
    const request = assumeRoleRequest(role);
    const session = new RoleSession<AlibabaTemporaryKeys>({
      provider: 'alibaba',
      durationSeconds: role.durationSeconds,
      assume: (signal, trace) => sts.assumeRole(request, signal, trace),
      keysRefused: alibabaKeysRefused,
    });
    this.session = session;
    // @alicloud/credentials' own extension point: a Credential over any provider with
    // getCredentials() and getProviderName(); the base client asks it for keys on every call.
    this.signer = {
      credential: new Credential(null, {
        getProviderName: () => PROVIDER_NAME,
        getCredentials: async () => {
          const keys = session.keys;
          // The session assumes the role before any call is made: no keys here is a bug of ours.
          if (!keys) throw new Error('no temporary keys: the role has not been assumed yet');
          return {
            accessKeyId: keys.accessKeyId.reveal(),
            accessKeySecret: keys.accessKeySecret.reveal(),
            securityToken: keys.securityToken.reveal(),
            providerName: PROVIDER_NAME,
          };
        },
      }),
    };
  }

  /** The secrets of the keys calls are signed with now, for scrubbing error messages. */
  secrets(): readonly string[] {
    const keys = this.session.keys;
    return keys ? [keys.accessKeySecret.reveal(), keys.securityToken.reveal()] : [];
  }
}
