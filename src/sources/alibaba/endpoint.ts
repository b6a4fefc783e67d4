// Which Security Center endpoint serves a region, per the API reference's endpoint table: one
// endpoint for the Chinese mainland (with Hong Kong and the finance and government regions), one for
// every region outside China. Any endpoint can be overridden by a host name or a full URL.
import type { Endpoint } from '../../shared/endpoint.js';

export const SAS_ENDPOINT_CHINA = 'tds.cn-shanghai.aliyuncs.com';
export const SAS_ENDPOINT_INTERNATIONAL = 'tds.ap-southeast-1.aliyuncs.com';

/** cn-* regions (cn-hangzhou, cn-hongkong, cn-shanghai-finance-1, cn-beijing-gov-1, ...) -> China; the rest -> international. */
export function alibabaEndpointForRegion(region: string): Endpoint {
  const china = /^cn-/i.test(region.trim());
  return { protocol: 'https', host: china ? SAS_ENDPOINT_CHINA : SAS_ENDPOINT_INTERNATIONAL };
}

/** "tds.example.com", "tds.example.com:8443", "http://127.0.0.1:8080" or "https://host/" -> Endpoint. */
export function parseAlibabaEndpoint(text: string): Endpoint {
  const value = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    if (value === '' || /[/\s?#@]/.test(value)) throw new Error(`not a host name or URL: ${JSON.stringify(text)}`);
    return { protocol: 'https', host: value.toLowerCase() };
  }
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported scheme ${url.protocol} in ${JSON.stringify(text)}`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username) {
    throw new Error(`an endpoint URL takes only a scheme, host and port: ${JSON.stringify(text)}`);
  }
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}
