// Alibaba Cloud settings for tests: an account or a resource directory as the configuration builds
// them, pointed at an endpoint (the emulator's).
import { Secret } from '../../src/base/secret.js';
import type { Endpoint } from '../../src/config/types.js';
import type { AlibabaAccountConfig } from '../../src/sources/alibaba/config.js';
import type { AlibabaResourceDirectoryConfig } from '../../src/sources/alibaba/organization-config.js';

export function alibabaAccount(
  name: string,
  keys: { accessKeyId: string; accessKeySecret: string },
  endpoint: Endpoint,
  overrides: Partial<AlibabaAccountConfig> = {},
): AlibabaAccountConfig {
  return {
    name,
    credentials: {
      source: 'static',
      accessKeyId: new Secret(keys.accessKeyId),
      accessKeySecret: new Secret(keys.accessKeySecret),
    },
    region: 'cn-shanghai',
    endpoint,
    servers: 'auto',
    taskIds: [],
    types: ['cve', 'sys', 'cms', 'sca'],
    perServerSeries: true,
    rateLimit: 50,
    requestTimeoutSeconds: 2,
    fullReadIntervalSeconds: 3 * 3600,
    maxResponseBytes: 4 * 1024 * 1024,
    ...overrides,
  };
}

/** An Alibaba resource directory managed by `keys`' account, Resource Manager and Security Center both at `endpoint`. */
export function alibabaDirectory(
  name: string,
  keys: { accessKeyId: string; accessKeySecret: string },
  endpoint: Endpoint,
  overrides: Partial<AlibabaResourceDirectoryConfig> = {},
): AlibabaResourceDirectoryConfig {
  const { name: _name, credentials, resourceDirectoryAccountId: _id, ...member } = alibabaAccount(name, keys, endpoint);
  return {
    name,
    credentials,
    endpoint,
    memberAccess: 'resource_directory_account_id',
    include: [],
    exclude: [],
    refreshIntervalSeconds: 300,
    rateLimit: 10,
    requestTimeoutSeconds: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    member,
    ...overrides,
  };
}
