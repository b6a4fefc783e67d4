// Where an account's AssumeRole calls go. Apart from role.ts so that the provider registry can name
// it (in --config.check) without loading the SDK.
import type { Endpoint } from '../../base/endpoint.js';
import type { RoleSettings } from '../kit/role-settings.js';
import type { TencentAccountConfig } from './config.js';
import { sameSiteEndpoint } from './site.js';

/**
 * Where AssumeRole is called: `sts_endpoint` when given; else the STS of the site the account's
 * endpoint is on (sts.intl.tencentcloudapi.com for *.intl.tencentcloudapi.com, else
 * sts.tencentcloudapi.com), with the endpoint's scheme and port; else, for an endpoint outside
 * tencentcloudapi.com (the emulator, a gateway), that same endpoint.
 */
export function tencentStsEndpoint(account: Pick<TencentAccountConfig, 'endpoint'>, role: RoleSettings): Endpoint {
  return role.stsEndpoint ?? sameSiteEndpoint(account.endpoint, 'sts');
}
