// Where an account's AssumeRole calls go. Apart from role.ts so that the provider registry can name
// it (in --config.check) without loading the SDK.
import type { Endpoint } from '../../shared/endpoint.js';
import type { RoleSettings } from '../role-settings.js';
import type { TencentAccountConfig } from './config.js';

export const STS_ENDPOINT = 'sts.tencentcloudapi.com';
export const STS_ENDPOINT_INTERNATIONAL = 'sts.intl.tencentcloudapi.com';

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
