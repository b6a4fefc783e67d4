// Tencent Cloud settings for tests: an account or an organization as the configuration builds them,
// pointed at an endpoint (the emulator's).
import { Secret } from '../../src/base/secret.js';
import type { Endpoint } from '../../src/config/types.js';
import type { TencentAccountConfig } from '../../src/sources/tencent/config.js';
import type { TencentOrganizationConfig } from '../../src/sources/tencent/organization-config.js';

export function tencentAccount(
  name: string,
  keys: { secretId: string; secretKey: string },
  endpoint: Endpoint,
  overrides: Partial<TencentAccountConfig> = {},
): TencentAccountConfig {
  return {
    name,
    credentials: { source: 'static', secretId: new Secret(keys.secretId), secretKey: new Secret(keys.secretKey) },
    endpoint,
    modules: ['Malware', 'Vul', 'Baseline'],
    baselineStrategies: 'auto',
    rateLimit: 20,
    timeZone: '+08:00',
    perHostSeries: true,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    coverage: { enabled: true, regions: ['ap-guangzhou'], machineTypes: ['CVM', 'LH', 'Other'], intervalSeconds: 600 },
    ...overrides,
  };
}

/** A Tencent organization managed by `keys`' account, its Organization API and its members' CWP both at `endpoint`. */
export function tencentOrganization(
  name: string,
  keys: { secretId: string; secretKey: string },
  endpoint: Endpoint,
  overrides: Partial<TencentOrganizationConfig> = {},
): TencentOrganizationConfig {
  const { name: _name, credentials, ...member } = tencentAccount(name, keys, endpoint);
  return {
    name,
    credentials,
    endpoint,
    memberRole: { name: 'CloudscanReadOnly', sessionName: 'cloudscan-exporter', durationSeconds: 3600 },
    include: [],
    exclude: [],
    refreshIntervalSeconds: 300,
    rateLimit: 20,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    member: { ...member, modules: ['Malware', 'Vul'] },
    ...overrides,
  };
}
