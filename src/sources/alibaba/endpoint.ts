// Which Security Center endpoint serves a region, per the API reference's endpoint table: one
// endpoint for the Chinese mainland (with Hong Kong and the finance and government regions), one for
// every region outside China. Any endpoint can be overridden by a host name or a full URL (config's
// `endpoint`, parsed by base/endpoint.ts as Tencent's is).
import type { Endpoint } from '../../base/endpoint.js';

export const SAS_ENDPOINT_CHINA = 'tds.cn-shanghai.aliyuncs.com';
export const SAS_ENDPOINT_INTERNATIONAL = 'tds.ap-southeast-1.aliyuncs.com';

/** cn-* regions (cn-hangzhou, cn-hongkong, cn-shanghai-finance-1, cn-beijing-gov-1, ...) -> China; the rest -> international. */
export function alibabaEndpointForRegion(region: string): Endpoint {
  const china = /^cn-/i.test(region.trim());
  return { protocol: 'https', host: china ? SAS_ENDPOINT_CHINA : SAS_ENDPOINT_INTERNATIONAL };
}
