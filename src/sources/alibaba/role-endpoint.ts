// Where an account's AssumeRole calls go. Apart from role.ts so that the provider registry can name
// it (in --config.check) without loading the SDK.
import type { Endpoint } from '../../base/endpoint.js';
import type { RoleSettings } from '../kit/role-settings.js';
import type { AlibabaAccountConfig } from './config.js';

const STS_ENDPOINT = 'sts.aliyuncs.com';

/**
 * Where AssumeRole is called: `sts_endpoint` when given; else, for an account whose endpoint is
 * Alibaba Cloud's own (*.aliyuncs.com), the public STS endpoint sts.aliyuncs.com; else (the
 * emulator, a gateway) the account's endpoint itself.
 */
export function alibabaStsEndpoint(account: Pick<AlibabaAccountConfig, 'endpoint'>, role: RoleSettings): Endpoint {
  if (role.stsEndpoint) return role.stsEndpoint;
  const host = account.endpoint.host.toLowerCase().replace(/:\d+$/, '');
  if (host.endsWith('.aliyuncs.com')) return { protocol: 'https', host: STS_ENDPOINT };
  return account.endpoint;
}
