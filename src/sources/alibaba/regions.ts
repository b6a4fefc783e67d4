// The Alibaba Cloud regions Security Center serves, as its SDK maps them to an endpoint (the
// `_endpointMap` of the generated Sas clients, alibabacloud-*-sdk sas-20210114; every cn-* region
// to tds.cn-shanghai.aliyuncs.com, every other to tds.ap-southeast-1.aliyuncs.com, as endpoint.ts
// does). A region missing here still works with an explicit endpoint.
import { didYouMean } from '../../base/did-you-mean.js';

export const ALIBABA_SAS_REGIONS = [
  // Chinese mainland and Hong Kong
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-wuhan-lr',
  'cn-hongkong',
  // finance, government and dedicated regions
  'cn-beijing-finance-1',
  'cn-hangzhou-finance',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-north-2-gov-1',
  'cn-heyuan-acdr-1',
  'cn-qingdao-acdr-ut-1',
  'cn-shanghai-mybk',
  'cn-zhengzhou-jva',
  // outside China
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'eu-central-1',
  'eu-west-1',
  'us-east-1',
  'us-west-1',
  'me-east-1',
  'me-central-1',
] as const;

/** What is wrong with a configured region, or undefined when Security Center serves it. */
export function alibabaRegionProblem(region: string): string | undefined {
  if ((ALIBABA_SAS_REGIONS as readonly string[]).includes(region)) return undefined;
  return `${JSON.stringify(region)} is not a region Alibaba Cloud Security Center serves${didYouMean(region, ALIBABA_SAS_REGIONS)}; a region not listed in docs/configuration.md needs an explicit endpoint: add endpoint: tds.cn-shanghai.aliyuncs.com for a region in mainland China, tds.ap-southeast-1.aliyuncs.com for any other`;
}
