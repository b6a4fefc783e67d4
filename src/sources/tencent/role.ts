// An account whose calls are made as a CAM role: the base credential assumes the role through STS
// (sts.ts), and CWP calls are signed with the role's temporary keys, held and renewed by a
// RoleSession. Tencent refuses temporary keys that expired or that it does not know with
// AuthFailure.TokenFailure; the session then renews them and makes the call again.
import type { DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Endpoint } from '../../shared/endpoint.js';
import { RoleSession } from '../role-session.js';
import type { RoleSettings } from '../role-settings.js';
import type { ApiError } from '../types.js';
import { tencentCredential } from './client.js';
import type { TencentAccountConfig } from './config.js';
import { DEFAULT_STS_REGION, StsClient, type TencentTemporaryKeys } from './sts.js';

export const STS_ENDPOINT = 'sts.tencentcloudapi.com';
export const STS_ENDPOINT_INTERNATIONAL = 'sts.intl.tencentcloudapi.com';

/** The codes with which CWP refuses temporary keys that are expired, revoked or unknown. */
export function tencentKeysRefused(error: ApiError): boolean {
  return error.code === 'AuthFailure.TokenFailure';
}

/**
 * Where AssumeRole is called: `sts_endpoint` when given; else the STS of the site the account's
 * endpoint belongs to (sts.intl.tencentcloudapi.com for *.intl.tencentcloudapi.com, else
 * sts.tencentcloudapi.com); else, for an endpoint outside tencentcloudapi.com (the emulator, a
 * gateway), that same endpoint.
 */
export function tencentStsEndpoint(account: Pick<TencentAccountConfig, 'endpoint'>, role: RoleSettings): Endpoint {
  if (role.stsEndpoint) return role.stsEndpoint;
  const host = account.endpoint.host.toLowerCase().replace(/:\d+$/, '');
  if (host.endsWith('.intl.tencentcloudapi.com')) return { protocol: 'https', host: STS_ENDPOINT_INTERNATIONAL };
  if (host.endsWith('.tencentcloudapi.com')) return { protocol: 'https', host: STS_ENDPOINT };
  return account.endpoint;
}

export class TencentRole {
  readonly session: RoleSession<TencentTemporaryKeys>;
  /** What the account's CWP calls are signed with: the role's current temporary keys. */
  readonly credential: DynamicCredential;

  constructor(account: TencentAccountConfig, role: RoleSettings) {
    const sts = new StsClient({
      endpoint: tencentStsEndpoint(account, role),
      credential: tencentCredential(account.credentials),
      region: account.region ?? DEFAULT_STS_REGION,
      requestTimeoutSeconds: account.requestTimeoutSeconds,
      maxResponseBytes: account.maxResponseBytes,
    });
    const request = {
      RoleArn: role.arn,
      RoleSessionName: role.sessionName,
      DurationSeconds: role.durationSeconds,
      ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
    };
    this.session = new RoleSession({
      provider: 'tencent',
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
