// What Tencent Cloud checks of a request before an action runs, for every action the emulator
// answers: the product whose host it was sent to (cwp, sts, organization; the China site's host,
// the international site's, or a region's), the API version, the region where the product needs
// one, and the required parameters with their documented limits; each with the cloud's error code.
// The signature (signature.ts) is checked on the same request: its credential scope names the
// service, which the SDK takes from the host's first label, so a request to the right host is
// signed for the right product.
//
// A request to a host that is not Tencent Cloud's (the emulator's own address, 127.0.0.1:PORT or
// `emulator:18080`, as the demo and most tests call it) may be for any product: the action names
// it, and its version, region and parameters are checked all the same. Tests that check where a
// request goes address the emulator by the cloud's host names (test/support/cloud-dns.ts).
import type { EmulatedAction } from '../kit/handler.js';
import { parameterProblem, type ParameterRule } from '../kit/parameters.js';
import { CwpError } from './errors.js';

type TencentProduct = 'cwp' | 'sts' | 'organization';
export type TencentSite = 'china' | 'intl';

/**
 * The regions STS serves AssumeRole in (the STS API document's "Request Structure": its regional
 * hosts sts.<region>.tencentcloudapi.com). STS requires Region; any other is refused.
 */
const STS_REGIONS = [
  'ap-guangzhou',
  'ap-shanghai',
  'ap-beijing',
  'ap-chengdu',
  'ap-chongqing',
  'ap-hongkong',
  'ap-singapore',
  'ap-bangkok',
  'ap-mumbai',
  'ap-seoul',
  'ap-tokyo',
  'na-ashburn',
  'na-siliconvalley',
  'eu-frankfurt',
];

interface ActionSpec {
  product: TencentProduct;
  version: string;
  /** The Region common parameter: required, and one of these, when given. */
  regions?: readonly string[];
  params: readonly ParameterRule[];
}

const CWP = '2018-02-28';
const MODULE: ParameterRule = { name: 'ModuleType', required: true, type: 'string', oneOf: ['Malware', 'Vul', 'Baseline'] };

/** Every action the emulator answers, as its document describes it. */
const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  DescribeScanState: { product: 'cwp', version: CWP, params: [MODULE] },
  DescribeScanTaskDetails: {
    product: 'cwp',
    version: CWP,
    params: [
      MODULE,
      { name: 'TaskId', required: true, type: 'integer', min: 1 },
      { name: 'Limit', type: 'integer', min: 1, max: 100 },
      { name: 'Offset', type: 'integer', min: 0 },
    ],
  },
  DescribeBaselineStrategyList: {
    product: 'cwp',
    version: CWP,
    params: [
      { name: 'Limit', required: true, type: 'integer', min: 1, max: 100 },
      { name: 'Offset', required: true, type: 'integer', min: 0 },
      { name: 'Enabled', required: true, type: 'integer', min: 0, max: 2 },
    ],
  },
  DescribeMachines: {
    product: 'cwp',
    version: CWP,
    params: [
      { name: 'MachineType', required: true, type: 'string', oneOf: ['CVM', 'BM', 'ECM', 'LH', 'Other'] },
      { name: 'MachineRegion', required: true, type: 'string', pattern: /^[a-z]+(?:-[a-z0-9]+)+$/ },
      { name: 'Limit', type: 'integer', min: 1, max: 100 },
      { name: 'Offset', type: 'integer', min: 0 },
    ],
  },
  DescribeOrganizationMembers: {
    product: 'organization',
    version: '2021-03-31',
    params: [
      { name: 'Limit', required: true, type: 'integer', min: 1, max: 50 },
      { name: 'Offset', required: true, type: 'integer', min: 0, multipleOf: 'Limit' },
      { name: 'Lang', type: 'string', oneOf: ['en', 'zh'] },
      { name: 'Product', type: 'string', min: 1, max: 64 },
    ],
  },
  AssumeRole: {
    product: 'sts',
    version: '2018-08-13',
    regions: STS_REGIONS,
    params: [
      { name: 'RoleArn', required: true, type: 'string', min: 1 },
      { name: 'RoleSessionName', required: true, type: 'string', pattern: /^[\w+=,.@-]{2,128}$/, code: 'InvalidParameter.ParamError' },
      { name: 'DurationSeconds', type: 'integer', min: 0, max: 43_200, code: 'InvalidParameter.OverTimeError' },
      { name: 'ExternalId', type: 'string', pattern: /^[\w+=,.@:/-]{2,128}$/, code: 'InvalidParameter.ParamError' },
    ],
  },
};

/** Every action the emulator answers, with its product and version. */
export const TENCENT_ACTIONS: readonly EmulatedAction[] = Object.entries(ACTIONS).map(([action, spec]) => ({
  action,
  product: spec.product,
  version: spec.version,
}));

/** The largest page an action's document allows (its Limit's maximum): the fewest calls a listing can take. */
export function largestPage(action: string): number {
  const max = ACTIONS[action]?.params.find((rule) => rule.name === 'Limit')?.max;
  if (max === undefined) throw new Error(`the emulator knows no largest Limit of ${action}`);
  return max;
}

/** Where a request was addressed: one of Tencent Cloud's hosts (its product, site and region), or the emulator itself. */
type TencentAddress = { cloud: true; product: string; site: TencentSite; region?: string } | { cloud: false };

const CLOUD_HOST = /^([a-z0-9-]+)(?:\.(intl|[a-z]+-[a-z]+(?:-[a-z0-9]+)?))?\.tencentcloudapi\.com$/;

/** The Host header's meaning: product.tencentcloudapi.com, product.intl.tencentcloudapi.com, product.<region>.tencentcloudapi.com. */
export function tencentAddress(hostHeader: string | undefined): TencentAddress {
  const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
  const match = CLOUD_HOST.exec(host);
  if (!match) return { cloud: false };
  const [, product = '', where] = match;
  if (where === 'intl') return { cloud: true, product, site: 'intl' };
  return { cloud: true, product, site: 'china', ...(where === undefined ? {} : { region: where }) };
}

export interface TencentRoute {
  product: TencentProduct;
  spec: ActionSpec;
}

/**
 * The action's product, when the request reached a host that serves it at its version: otherwise
 * InvalidAction (the product has no such action), NoSuchVersion, or NoSuchProduct.
 */
export function routeTencent(address: TencentAddress, action: string, version: string): TencentRoute {
  const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (address.cloud) {
    if (!['cwp', 'sts', 'organization'].includes(address.product)) {
      throw new CwpError('NoSuchProduct', `The product ${address.product} does not exist.`);
    }
    if (!spec || spec.product !== address.product) {
      throw new CwpError('InvalidAction', `The action ${action} does not exist in product ${address.product}.`);
    }
  } else if (!spec) {
    throw new CwpError('InvalidAction', `The action ${action} does not exist.`);
  }
  if (version === '') throw new CwpError('MissingParameter', 'The request is missing the required parameter Version.');
  if (version !== spec.version) {
    throw new CwpError(
      'NoSuchVersion',
      `The version ${version || '(none)'} of action ${action} does not exist; ${spec.product} is at ${spec.version}.`,
    );
  }
  return { product: spec.product, spec };
}

/** The region and parameter checks of a routed request: MissingParameter, UnsupportedRegion, InvalidParameter, InvalidParameterValue. */
export function checkTencentRequest(route: TencentRoute, region: string | undefined, request: Record<string, unknown>): void {
  const { spec } = route;
  if (spec.regions) {
    if (region === undefined || region === '')
      throw new CwpError('MissingParameter', 'The request is missing the required parameter Region.');
    if (!spec.regions.includes(region)) throw new CwpError('UnsupportedRegion', `The action does not support the region ${region}.`);
  }
  const problem = parameterProblem(spec.params, (name) => request[name], 'json');
  if (!problem) return;
  const code = problem.code ?? { missing: 'MissingParameter', type: 'InvalidParameter', value: 'InvalidParameterValue' }[problem.kind];
  throw new CwpError(code, problem.message);
}
