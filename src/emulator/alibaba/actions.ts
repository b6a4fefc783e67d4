// What Alibaba Cloud's API gateway checks of a request before an action runs, for every action the
// emulator answers: the product whose endpoint it was sent to (Security Center's tds hosts, STS,
// Resource Manager), the API version, the signing time (x-acs-date, or the v2 signature's
// Timestamp) within 15 minutes of the gateway's clock, a signature nonce not seen before in that
// time, and the required parameters with their documented limits; each with the cloud's error code.
//
// A request to a host that is not Alibaba Cloud's (the emulator's own address, 127.0.0.1:PORT or
// `emulator:18080`) may be for any product: the action names it, and everything else is checked all
// the same. Tests that check where a request goes address the emulator by the cloud's host names
// (test/support/cloud-dns.ts).
import type { IncomingMessage } from 'node:http';
import type { EmulatedAction } from '../kit/handler.js';
import { parameterProblem, type ParameterRule } from '../kit/parameters.js';

type AlibabaProduct = 'Sas' | 'Sts' | 'ResourceManager';

/** An error answer of the gateway or the product: its code (errors.ts gives the HTTP status) and message. */
export class AlibabaRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ActionSpec {
  product: AlibabaProduct;
  version: string;
  params: readonly ParameterRule[];
  /** Parameters of which the request must carry one at least (each optional on its own). */
  oneOf?: readonly string[];
}

/** Account ids, as ResourceDirectoryAccountId takes them (an integer in the documents; the query carries its digits). */
const ACCOUNT_ID: ParameterRule = { name: 'ResourceDirectoryAccountId', type: 'integer', min: 1 };

/** Every action the emulator answers, as its document describes it. */
const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  DescribeVulCheckTaskStatusDetail: {
    product: 'Sas',
    version: '2018-12-03',
    params: [
      // Optional in the current reference; without it the emulator has no server to answer for.
      { name: 'Uuid', required: true, type: 'string', min: 1, max: 64 },
      { name: 'Types', type: 'string[]', oneOf: ['cve', 'sys', 'cms', 'sca'] },
      { name: 'TaskIds', type: 'string[]', min: 1 },
      ACCOUNT_ID,
    ],
  },
  DescribeCloudCenterInstances: {
    product: 'Sas',
    version: '2018-12-03',
    params: [
      { name: 'CurrentPage', type: 'integer', min: 1 },
      { name: 'PageSize', type: 'integer', min: 1, max: 100 },
      { name: 'UseNextToken', type: 'boolean' },
      { name: 'NextToken', type: 'string', max: 256 },
      { name: 'MachineTypes', type: 'string', oneOf: ['ecs', 'cloud_product', 'eci', 'rund', 'runc'] },
      { name: 'Lang', type: 'string', oneOf: ['zh', 'en'] },
      { name: 'LogicalExp', type: 'string', oneOf: ['OR', 'AND'] },
      ACCOUNT_ID,
    ],
  },
  // The sas-20181203 model and the API reference: "TaskType and RootTaskId cannot both be empty"; the
  // times are Unix ms. The document gives PageSize no maximum: 100 here, as Security Center's other
  // lists take (DescribeCloudCenterInstances), so a client asking for more is told. No
  // ResourceDirectoryAccountId: the action has none.
  DescribeOnceTask: {
    product: 'Sas',
    version: '2018-12-03',
    params: [
      {
        name: 'TaskType',
        type: 'string',
        oneOf: ['VUL_CHECK_TASK', 'CLIENT_PROBLEM_CHECK', 'CLIENT_DEV_OPS', 'ASSET_SECURITY_CHECK', 'ASSET_REFRESH_HOST'],
      },
      { name: 'RootTaskId', type: 'string', min: 1, max: 64 },
      { name: 'TaskId', type: 'string', min: 1, max: 64 },
      // "Valid values include but are not limited to: schedule, console."
      { name: 'Source', type: 'string', min: 1, max: 64 },
      { name: 'StartTimeQuery', type: 'integer', min: 0 },
      { name: 'EndTimeQuery', type: 'integer', min: 0 },
      { name: 'CurrentPage', type: 'integer', min: 1 },
      { name: 'PageSize', type: 'integer', min: 1, max: 100 },
    ],
    oneOf: ['TaskType', 'RootTaskId'],
  },
  // No parameter, no paging (the generated SDK's describeMonitorAccounts() sends none).
  DescribeMonitorAccounts: {
    product: 'Sas',
    version: '2018-12-03',
    params: [],
  },
  ListAccounts: {
    product: 'ResourceManager',
    version: '2020-03-31',
    params: [
      { name: 'PageNumber', type: 'integer', min: 1 },
      { name: 'PageSize', type: 'integer', min: 1, max: 100 },
    ],
  },
  AssumeRole: {
    product: 'Sts',
    version: '2015-04-01',
    params: [
      { name: 'RoleArn', required: true, type: 'string', min: 1, code: 'InvalidParameter.RoleArn' },
      { name: 'RoleSessionName', required: true, type: 'string', pattern: /^[\w.@-]{2,64}$/, code: 'InvalidParameter.RoleSessionName' },
      { name: 'DurationSeconds', type: 'integer', min: 900, code: 'InvalidParameter.DurationSeconds' },
      // "2 to 1,224 characters ... The regular expression for this parameter is [\w+=,.@:\/-]*" (the API reference).
      { name: 'ExternalId', type: 'string', pattern: /^[\w+=,.@:/-]{2,1224}$/, code: 'InvalidParameter.ExternalId' },
    ],
  },
};

/** Every action the emulator answers, with its product and version. */
export const ALIBABA_ACTIONS: readonly EmulatedAction[] = Object.entries(ACTIONS).map(([action, spec]) => ({
  action,
  product: spec.product,
  version: spec.version,
}));

/** The product an Alibaba Cloud host serves, or undefined for a host that is not Alibaba Cloud's. */
function productOfHost(hostHeader: string | undefined): AlibabaProduct | 'unknown' | undefined {
  const host = (hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
  if (!host.endsWith('.aliyuncs.com')) return undefined;
  // Security Center: tds.cn-shanghai (the Chinese mainland), tds.ap-southeast-1 (outside China), the VPC proxies.
  if (/^(tds\.(cn-shanghai|ap-southeast-1)|tds\.vpc-proxy|tds-intl\.vpc-proxy)\.aliyuncs\.com$/.test(host)) return 'Sas';
  if (/^sts(-vpc)?(\.[a-z]+-[a-z0-9-]+)?\.aliyuncs\.com$/.test(host)) return 'Sts';
  if (host === 'resourcemanager.aliyuncs.com') return 'ResourceManager';
  return 'unknown';
}

/** The action's spec, when the request reached a host that serves it at its version; InvalidAction.NotFound or InvalidVersion otherwise. */
export function routeAlibaba(hostHeader: string | undefined, action: string, version: string): ActionSpec {
  const spec = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  const hostProduct = productOfHost(hostHeader);
  if (!spec || (hostProduct !== undefined && hostProduct !== spec.product)) {
    throw new AlibabaRequestError(
      'InvalidAction.NotFound',
      `Specified api is not found, please check your url and method. (${action} at ${hostHeader ?? ''})`,
    );
  }
  if (version !== spec.version)
    throw new AlibabaRequestError('InvalidVersion', `Specified parameter Version is not valid. (${action} is at ${spec.version})`);
  return spec;
}

/** The gateway refuses a request signed this long before or after its clock. */
const MAX_SIGNING_SKEW_MS = 15 * 60_000;

/**
 * The signing time and nonce of a request: ACS3's x-acs-date and x-acs-signature-nonce headers, or
 * the v2 signature's Timestamp and SignatureNonce parameters. `seen` remembers nonces for the skew's
 * length, so a request sent twice is refused as the gateway refuses a replay.
 */
export function checkSigningTime(req: IncomingMessage, params: Record<string, string>, now: number, seen: NonceMemory): void {
  const acs3 = typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('ACS3-');
  const date = acs3 ? header(req, 'x-acs-date') : params['Timestamp'];
  const nonce = acs3 ? header(req, 'x-acs-signature-nonce') : params['SignatureNonce'];
  const at = date !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(date) ? Date.parse(date) : NaN;
  if (!Number.isFinite(at))
    throw new AlibabaRequestError('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  if (Math.abs(at - now) > MAX_SIGNING_SKEW_MS)
    throw new AlibabaRequestError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  if (nonce === undefined || nonce === '')
    throw new AlibabaRequestError('MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
  if (!seen.first(nonce, now)) throw new AlibabaRequestError('SignatureNonceUsed', 'Specified signature nonce was used already.');
}

/** Each product's own code for a parameter that is missing, of the wrong type, or out of its limits. */
const PARAMETER_CODES: Record<AlibabaProduct, { missing: string; type: string; value: string }> = {
  Sas: { missing: 'IllegalParam', type: 'IllegalParam', value: 'IllegalParam' },
  Sts: { missing: 'MissingParameter', type: 'InvalidParameter', value: 'InvalidParameter' },
  ResourceManager: { missing: 'MissingParameter', type: 'InvalidParameter', value: 'InvalidParameter' },
};

/** The parameter checks of a routed request, with the product's codes. */
export function checkAlibabaParameters(spec: ActionSpec, params: Record<string, string>): void {
  const problem = parameterProblem(
    spec.params,
    (name) => (spec.params.find((rule) => rule.name === name)?.type === 'string[]' ? listParam(params, name) : params[name]),
    'query',
  );
  if (problem) throw new AlibabaRequestError(problem.code ?? PARAMETER_CODES[spec.product][problem.kind], problem.message);
  if (spec.oneOf && !spec.oneOf.some((name) => (params[name] ?? '') !== '')) {
    throw new AlibabaRequestError(PARAMETER_CODES[spec.product].missing, `${spec.oneOf.join(' and ')} cannot all be empty.`);
  }
}

/** Key.1, Key.2, ... in index order; undefined when none was sent. */
export function listParam(params: Record<string, string>, key: string): string[] | undefined {
  const items: Array<[number, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    const match = /^(.+)\.(\d+)$/.exec(name);
    if (match && match[1] === key) items.push([Number(match[2]), value]);
  }
  return items.length === 0 ? undefined : items.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

/** Nonces seen within the last MAX_SIGNING_SKEW_MS: a request older than that is refused for its time anyway. */
export class NonceMemory {
  readonly #seen = new Map<string, number>();

  /** True the first time `nonce` is seen (within the window), false after. */
  first(nonce: string, now: number): boolean {
    for (const [old, at] of this.#seen) {
      if (now - at <= MAX_SIGNING_SKEW_MS) break;
      this.#seen.delete(old);
    }
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, now);
    return true;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
