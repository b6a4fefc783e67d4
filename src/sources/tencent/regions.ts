// The Tencent Cloud regions the exporter accepts in `region` (the X-TC-Region header): the region
// constants of Tencent's SDKs (tencentcloud-sdk-go common/regions/regions.go; the Node SDK takes any
// string), which are also the regional hosts of CWP's "Request Structure" page
// (cwp.<region>.tencentcloudapi.com). A region missing here still works with an explicit endpoint.
import { didYouMean } from '../../base/did-you-mean.js';

export const TENCENT_REGIONS = [
  'ap-bangkok',
  'ap-beijing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-guangzhou',
  'ap-guangzhou-open',
  'ap-hongkong',
  'ap-jakarta',
  'ap-mumbai',
  'ap-nanjing',
  'ap-seoul',
  'ap-shanghai',
  'ap-shanghai-fsi',
  'ap-shenzhen-fsi',
  'ap-singapore',
  'ap-tokyo',
  'eu-frankfurt',
  'eu-moscow',
  'na-ashburn',
  'na-siliconvalley',
  'na-toronto',
  'sa-saopaulo',
] as const;

/** What is wrong with a configured region, or undefined when Tencent Cloud has it. */
export function tencentRegionProblem(region: string): string | undefined {
  if ((TENCENT_REGIONS as readonly string[]).includes(region)) return undefined;
  return `${JSON.stringify(region)} is not a Tencent Cloud region${didYouMean(region, TENCENT_REGIONS)}; a region not listed in docs/configuration.md needs an explicit endpoint: add endpoint: cwp.tencentcloudapi.com (cwp.intl.tencentcloudapi.com on the international site)`;
}
