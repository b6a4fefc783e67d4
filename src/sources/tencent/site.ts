// Tencent Cloud's two sites: the China site (*.tencentcloudapi.com) and the international site
// (*.intl.tencentcloudapi.com). Each has its own accounts and keys, so every call of an account goes
// to its own site's host of the product: from one endpoint of a site, this finds another product's.
import type { Endpoint } from '../../base/endpoint.js';

/**
 * `product`'s endpoint on the site `endpoint` is on, with the same scheme and port:
 * product.intl.tencentcloudapi.com from any *.intl.tencentcloudapi.com, product.tencentcloudapi.com
 * from any other *.tencentcloudapi.com (a regional host included). An endpoint outside
 * tencentcloudapi.com (the emulator, a gateway) serves every product itself: it is returned as is.
 */
export function sameSiteEndpoint(endpoint: Endpoint, product: string): Endpoint {
  const [, hostname = '', port = ''] = /^(.*?)(:\d+)?$/.exec(endpoint.host.toLowerCase()) ?? [];
  if (hostname.endsWith('.intl.tencentcloudapi.com'))
    return { protocol: endpoint.protocol, host: `${product}.intl.tencentcloudapi.com${port}` };
  if (hostname.endsWith('.tencentcloudapi.com')) return { protocol: endpoint.protocol, host: `${product}.tencentcloudapi.com${port}` };
  return endpoint;
}
