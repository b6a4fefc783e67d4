// Tencent Cloud CWP through tencentcloud-sdk-nodejs-common's CommonClient (api-client.ts), with our
// own request/response types. Swapping in tencentcloud-sdk-nodejs-cwp later means changing this file
// and api-client.ts only.
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import type { Credential, DynamicCredential } from 'tencentcloud-sdk-nodejs-common';
import type { Agent } from 'node:http';
import type { Endpoint } from '../../base/endpoint.js';
import type { TencentBaseCredentials } from './config.js';
import type { CallTrace } from '../../contract/types.js';
import { TencentApiClient } from './api-client.js';
import {
  CWP_API_VERSION,
  type BaselineStrategy,
  type DescribeBaselineStrategyListRequest,
  type DescribeBaselineStrategyListResponse,
  type DescribeMachinesRequest,
  type DescribeMachinesResponse,
  type DescribeScanStateRequest,
  type DescribeScanStateResponse,
  type DescribeScanTaskDetailsRequest,
  type DescribeScanTaskDetailsResponse,
  type ScanTaskDetails,
} from './api.js';
import {
  ShapeError,
  expectObject,
  describe,
  optionalArray,
  optionalInteger,
  optionalNumber,
  optionalString,
  integerValue,
  validatedAnswer,
} from '../kit/validate.js';
import { parseMachines } from './machines-parse.js';

const { EnvironmentVariableCredential, ProfileCredential, CvmRoleCredential, OIDCRoleArnCredential } = tencentcloud;

export interface CwpClientOptions {
  endpoint: Endpoint;
  /** The account's base credential: what calls are signed with unless `signWith` is given. */
  credentials: TencentBaseCredentials;
  /** What calls are signed with instead, e.g. an assumed role's temporary keys (role.ts). */
  signWith?: DynamicCredential | undefined;
  /** The secrets `signWith` holds now, kept out of every error. */
  signWithSecrets?: (() => readonly string[]) | undefined;
  region?: string | undefined;
  /** Upper bound of one call; the call's AbortSignal usually ends it sooner. */
  requestTimeoutSeconds: number;
  /** Answers larger than this are rejected as invalid_response. Default DEFAULTS.account.maxResponseBytes. */
  maxResponseBytes?: number;
  /** For tests: e.g. an agent whose lookup maps a cloud host name to 127.0.0.1. */
  agent?: Agent;
}

export class CwpClient {
  readonly #api: TencentApiClient;

  constructor(options: CwpClientOptions) {
    this.#api = new TencentApiClient({
      ...options,
      version: CWP_API_VERSION,
      credential: options.signWith ?? tencentCredential(options.credentials),
      secrets: () => credentialSecrets(options.credentials, options.signWithSecrets),
    });
  }

  async describeScanState(request: DescribeScanStateRequest, signal: AbortSignal, trace?: CallTrace): Promise<DescribeScanStateResponse> {
    const raw = await this.#api.call('DescribeScanState', request, signal, trace);
    return validatedAnswer('tencent', 'DescribeScanState', () => parseScanState(raw));
  }

  async describeScanTaskDetails(
    request: DescribeScanTaskDetailsRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeScanTaskDetailsResponse> {
    const raw = await this.#api.call('DescribeScanTaskDetails', request, signal, trace);
    return validatedAnswer('tencent', 'DescribeScanTaskDetails', () => parseScanTaskDetails(raw));
  }

  async describeBaselineStrategyList(
    request: DescribeBaselineStrategyListRequest,
    signal: AbortSignal,
    trace?: CallTrace,
  ): Promise<DescribeBaselineStrategyListResponse> {
    const raw = await this.#api.call('DescribeBaselineStrategyList', request, signal, trace);
    return validatedAnswer('tencent', 'DescribeBaselineStrategyList', () => parseStrategyList(raw));
  }

  async describeMachines(request: DescribeMachinesRequest, signal: AbortSignal, trace?: CallTrace): Promise<DescribeMachinesResponse> {
    const raw = await this.#api.call('DescribeMachines', request, signal, trace);
    return validatedAnswer('tencent', 'DescribeMachines', () => parseMachines(raw));
  }
}

/** The secrets a call may be signed with now: the static keys, and those of `signWith` (a role's temporary keys). */
export function credentialSecrets(credentials: TencentBaseCredentials, signWithSecrets?: () => readonly string[]): string[] {
  const own =
    credentials.source === 'static'
      ? [credentials.secretId, credentials.secretKey, credentials.token].flatMap((secret) => (secret ? [secret.reveal()] : []))
      : [];
  return [...own, ...(signWithSecrets?.() ?? [])];
}

/** What a base credential of the configuration signs with: the keys themselves or one of the SDK's providers. */
export function tencentCredential(credentials: TencentBaseCredentials): Credential | DynamicCredential {
  switch (credentials.source) {
    case 'static':
      return {
        secretId: credentials.secretId.reveal(),
        secretKey: credentials.secretKey.reveal(),
        ...(credentials.token ? { token: credentials.token.reveal() } : {}),
      };
    case 'env':
      return new EnvironmentVariableCredential();
    case 'profile':
      return new ProfileCredential();
    case 'cvm_role':
      return new CvmRoleCredential();
    case 'oidc':
      return new OIDCRoleArnCredential();
  }
}

function parseScanState(raw: unknown): DescribeScanStateResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const scanState = optionalNumber(response, 'ScanState', where);
  if (scanState === null || !Number.isInteger(scanState)) {
    throw new ShapeError(`${where}.ScanState is ${scanState === null ? 'missing or null' : scanState}, expected an integer`);
  }
  const vulIds = optionalArray(response, 'VulId', where);
  const kbNumbers = optionalArray(response, 'KBNumber', where);
  return {
    ScanState: scanState,
    Schedule: optionalNumber(response, 'Schedule', where),
    TaskId: optionalInteger(response, 'TaskId', where),
    VulId: vulIds === null ? null : vulIds.map((id, i) => integerValue(id, `${where}.VulId[${i}]`)),
    Type: optionalNumber(response, 'Type', where),
    ScanBeginTime: optionalString(response, 'ScanBeginTime', where),
    RiskEventCount: optionalNumber(response, 'RiskEventCount', where),
    ScanEndTime: optionalString(response, 'ScanEndTime', where),
    KBNumber: kbNumbers === null ? null : kbNumbers.map(String),
    RequestId: optionalString(response, 'RequestId', where) ?? '',
  };
}

function parseStrategyList(raw: unknown): DescribeBaselineStrategyListResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const list = optionalArray(response, 'StrategyList', where) ?? [];
  const strategies: BaselineStrategy[] = list.map((item, i) => {
    const at = `${where}.StrategyList[${i}]`;
    const strategy = expectObject(item, at);
    const id = optionalInteger(strategy, 'StrategyId', at);
    if (id === null) throw new ShapeError(`${at}.StrategyId is missing or null`);
    return {
      StrategyId: Number(id),
      StrategyName: optionalString(strategy, 'StrategyName', at) ?? '',
    };
  });
  const total = optionalNumber(response, 'TotalCount', where);
  if (total === null) throw new ShapeError(`${where}.TotalCount is missing or null`);
  return { TotalCount: total, StrategyList: strategies, RequestId: optionalString(response, 'RequestId', where) ?? '' };
}

/** A page of a task's hosts: the list must be there (without it nothing is known); each host's fields may be null. */
export function parseScanTaskDetails(raw: unknown): DescribeScanTaskDetailsResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const list = optionalArray(response, 'ScanTaskDetailList', where);
  if (list === null) throw new ShapeError(`${where}.ScanTaskDetailList is ${describe(response['ScanTaskDetailList'])}, expected an array`);
  const number = (key: string) => optionalNumber(response, key, where);
  return {
    ScanTaskDetailList: list.map((item, i) => parseHost(item, `${where}.ScanTaskDetailList[${i}]`)),
    TotalCount: number('TotalCount'),
    ScanMachineCount: number('ScanMachineCount'),
    RiskMachineCount: number('RiskMachineCount'),
    ScanProgress: number('ScanProgress'),
    ScanLeftTime: number('ScanLeftTime'),
    VulCount: number('VulCount'),
    RequestId: optionalString(response, 'RequestId', where) ?? '',
  };
}

function parseHost(raw: unknown, where: string): ScanTaskDetails {
  const host = expectObject(raw, where);
  const text = (key: string) => optionalString(host, key, where);
  return {
    Uuid: text('Uuid'),
    HostName: text('HostName'),
    HostIp: text('HostIp'),
    MachineWanIp: text('MachineWanIp'),
    OsName: text('OsName'),
    Status: text('Status'),
    FailType: optionalNumber(host, 'FailType', where),
    Description: text('Description'),
    RiskNum: optionalNumber(host, 'RiskNum', where),
  };
}
