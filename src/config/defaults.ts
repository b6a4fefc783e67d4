// Every default of the configuration in one place (config.example.yaml shows the same values).
import type { CwpModule, SasVulType } from '../sources/types.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../sources/size-limit.js';
import type { Endpoint } from './types.js';

export const DEFAULTS = {
  cache: { ttlSeconds: 60, maxStaleSeconds: 30 * 60 },
  scrape: { timeoutSeconds: 9, timeoutOffsetSeconds: 0.5 },
  tencent: {
    endpoint: { protocol: 'https', host: 'cwp.tencentcloudapi.com' } satisfies Endpoint as Endpoint,
    modules: ['Malware', 'Vul', 'Baseline'] as CwpModule[],
    baselineStrategies: 'auto' as const,
    rateLimit: 20,
    timeZone: '+08:00',
    requestTimeoutSeconds: 5,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  },
  alibaba: {
    servers: 'auto' as const,
    taskIds: [] as string[],
    types: ['cve', 'sys', 'cms', 'sca'] as SasVulType[],
    perServerSeries: true,
    rateLimit: 10,
    requestTimeoutSeconds: 5,
    maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  },
} as const;
