// Our CWP request and response types (src/sources/tencent/api.ts) against the generated SDK's models
// (tencentcloud-sdk-nodejs, pinned, a devDependency only for this): every field we send or read is
// one the SDK names, of the SDK's type once what ours adds is taken away (null for a field the API
// left out, bigint for an id beyond 2^53). A mismatch fails the type check of `npm test`; the
// runtime tests check the names against the models file itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type * as Sdk from 'tencentcloud-sdk-nodejs/tencentcloud/services/cwp/v20180228/cwp_models.js';
import type {
  BaselineStrategy,
  DescribeBaselineStrategyListRequest,
  DescribeBaselineStrategyListResponse,
  DescribeMachinesRequest,
  DescribeMachinesResponse,
  Machine,
  DescribeScanStateRequest,
  DescribeScanStateResponse,
  DescribeScanTaskDetailsRequest,
  DescribeScanTaskDetailsResponse,
  ScanTaskDetails,
} from '../../../../src/sources/tencent/api.js';

type Plain<T> = Exclude<T, null | undefined | bigint>;
/** true for each field of Ours that Theirs has, with a type Theirs accepts; false otherwise. */
type Fits<Ours, Theirs> = {
  [K in keyof Ours]-?: K extends keyof Theirs ? ([Plain<Ours[K]>] extends [Exclude<Theirs[K], undefined>] ? true : false) : false;
};
/** true for each field of Ours that Theirs names (types not compared). */
type Named<Ours, Theirs> = { [K in keyof Ours]-?: K extends keyof Theirs ? true : false };
type AllTrue<T> = Exclude<T[keyof T], true> extends never ? true : false;

const detailsRequest: AllTrue<Fits<DescribeScanTaskDetailsRequest, Sdk.DescribeScanTaskDetailsRequest>> = true;
const detailsResponse: AllTrue<Fits<Omit<DescribeScanTaskDetailsResponse, 'ScanTaskDetailList'>, Sdk.DescribeScanTaskDetailsResponse>> =
  true;
const detailsList: AllTrue<Named<Pick<DescribeScanTaskDetailsResponse, 'ScanTaskDetailList'>, Sdk.DescribeScanTaskDetailsResponse>> = true;
const host: AllTrue<Fits<ScanTaskDetails, Sdk.ScanTaskDetails>> = true;
const scanStateRequest: AllTrue<Named<DescribeScanStateRequest, Sdk.DescribeScanStateRequest>> = true;
// TaskId and VulId are read as digits too (string), KBNumber as the SDK has it: names only.
const scanStateResponse: AllTrue<Named<DescribeScanStateResponse, Sdk.DescribeScanStateResponse>> = true;
const strategyRequest: AllTrue<Fits<DescribeBaselineStrategyListRequest, Sdk.DescribeBaselineStrategyListRequest>> = true;
const strategyResponse: AllTrue<Named<DescribeBaselineStrategyListResponse, Sdk.DescribeBaselineStrategyListResponse>> = true;
const strategy: AllTrue<Fits<BaselineStrategy, Sdk.Strategy>> = true;
const machinesRequest: AllTrue<Fits<DescribeMachinesRequest, Sdk.DescribeMachinesRequest>> = true;
const machinesResponse: AllTrue<Fits<Omit<DescribeMachinesResponse, 'Machines'>, Sdk.DescribeMachinesResponse>> = true;
const machinesList: AllTrue<Named<Pick<DescribeMachinesResponse, 'Machines'>, Sdk.DescribeMachinesResponse>> = true;
// RegionInfo: ours reads one field of the SDK's RegionInfo; the other fields of Machine fit as they are.
const machineFields: AllTrue<Fits<Omit<Machine, 'RegionInfo'>, Sdk.Machine>> = true;
const machineRegion: AllTrue<Fits<NonNullable<Machine['RegionInfo']>, Sdk.RegionInfo>> = true;

const modelsFile = createRequire(import.meta.url).resolve('tencentcloud-sdk-nodejs/tencentcloud/services/cwp/v20180228/cwp_models.d.ts');
const models = readFileSync(modelsFile, 'utf8');

/** The field names of one interface of the models file. */
function fieldsOf(name: string): string[] {
  const body = block(name);
  assert.ok(body !== '', `no interface ${name} in ${modelsFile}`);
  return [...body.matchAll(/^\s{4}(\w+)\??:/gm)].map((m) => m[1]!);
}

test('every field our DescribeScanTaskDetails types name is in the SDK models, and the types fit (checked when compiling)', () => {
  assert.deepEqual(
    [detailsRequest, detailsResponse, detailsList, host, scanStateRequest, scanStateResponse, strategyRequest, strategyResponse, strategy],
    Array(9).fill(true),
  );
  const request: Array<keyof DescribeScanTaskDetailsRequest> = ['ModuleType', 'TaskId', 'Limit', 'Offset'];
  const response: Array<keyof DescribeScanTaskDetailsResponse> = [
    'ScanTaskDetailList',
    'TotalCount',
    'ScanMachineCount',
    'RiskMachineCount',
    'ScanProgress',
    'ScanLeftTime',
    'VulCount',
    'RequestId',
  ];
  const hostFields: Array<keyof ScanTaskDetails> = [
    'Uuid',
    'HostName',
    'HostIp',
    'MachineWanIp',
    'OsName',
    'Status',
    'FailType',
    'RiskNum',
  ];
  const missing = [
    ...request.filter((f) => !fieldsOf('DescribeScanTaskDetailsRequest').includes(f)),
    ...response.filter((f) => !fieldsOf('DescribeScanTaskDetailsResponse').includes(f)),
    ...hostFields.filter((f) => !fieldsOf('ScanTaskDetails').includes(f)),
  ];
  assert.deepEqual(missing, []);
});

/** The body of one interface of the models file. */
function block(name: string): string {
  return new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(models)?.[1] ?? '';
}

/** The one-line doc comment of a field of an interface of the models file. */
function comment(interfaceName: string, field: string): string | undefined {
  return new RegExp(`/\\*\\*\\s*\\n\\s*\\*\\s*([^\\n]*)\\n\\s*\\*/\\n\\s*${field}\\??:`).exec(block(interfaceName))?.[1]?.trim();
}

test('the SDK documents the host states and FailType codes we map, and gives ScanLeftTime no unit', () => {
  assert.equal(comment('ScanTaskDetails', 'Status'), '状态码Scanning、Ok、Fail');
  assert.equal(comment('ScanTaskDetails', 'FailType'), '失败类型  3离线、4超时、5失败、8agent版本过低');
  // "Remaining scan time", no unit: so cloudscan_cwp_scan_remaining_seconds is not exported (docs/metrics.md).
  assert.equal(comment('DescribeScanTaskDetailsResponse', 'ScanLeftTime'), '扫描剩余时间');
  assert.equal(comment('DescribeScanTaskDetailsRequest', 'Limit'), '需要返回的数量，最大值为100');
});

test('every field our DescribeMachines types name is in the SDK models, and the types fit (checked when compiling)', () => {
  assert.deepEqual([machinesRequest, machinesResponse, machinesList, machineFields, machineRegion], Array(5).fill(true));
  const request: Array<keyof DescribeMachinesRequest> = ['MachineType', 'MachineRegion', 'Limit', 'Offset'];
  const response: Array<keyof DescribeMachinesResponse> = ['Machines', 'TotalCount', 'RequestId'];
  const machine: Array<keyof Machine> = [
    'MachineName',
    'MachineOs',
    'MachineStatus',
    'AgentStatus',
    'InstanceStatus',
    'Uuid',
    'Quuid',
    'MachineIp',
    'MachineWanIp',
    'InstanceId',
    'AgentVersion',
    'MachineType',
    'RegionInfo',
  ];
  const missing = [
    ...request.filter((f) => !fieldsOf('DescribeMachinesRequest').includes(f)),
    ...response.filter((f) => !fieldsOf('DescribeMachinesResponse').includes(f)),
    ...machine.filter((f) => !fieldsOf('Machine').includes(f)),
  ];
  assert.deepEqual(missing, []);
});

test("the SDK's Machine model documents the status words we map, in its own spellings, and the Uuid gone for an agent offline for long", () => {
  // InstanceStatus: STOPED, where the request's MachineStatus filter says STOPPED (both are taken).
  assert.equal(comment('Machine', 'InstanceStatus'), '<p>RUNNING 运行中; STOPED 已关机; EXPIRED 待回收</p>');
  // AgentStatus: UNINStALLED (compared in any case).
  assert.equal(comment('Machine', 'AgentStatus'), '<p>ONLINE 防护中; OFFLINE 已离线;UNINStALLED 未安装</p>');
  assert.equal(
    comment('Machine', 'MachineStatus'),
    '<p>主机状态。 <li>OFFLINE: 离线 </li> <li>ONLINE: 在线</li> <li>SHUTDOWN: 已关机</li> <li>UNINSTALLED: 未防护</li></p>',
  );
  // "The CWP Uuid; an empty string when the agent has been offline for long": named by Quuid then.
  assert.equal(comment('Machine', 'Uuid'), '<p>主机安全Uuid，若客户端长时间不在线将返回空字符。</p>');
  assert.equal(comment('Machine', 'Quuid'), '<p>CVM或BM机器唯一Uuid。</p>');
  assert.equal(
    comment('DescribeMachinesRequest', 'MachineType'),
    '<p>机器所属专区类型<br>CVM 云服务器<br>BM 黑石<br>ECM 边缘计算<br>LH 轻量应用服务器<br>Other 混合云专区</p>',
  );
  assert.equal(
    comment('DescribeMachinesRequest', 'MachineRegion'),
    '<p>机器所属地域。如：ap-guangzhou，ap-shanghai，非腾讯云主机使用：ap-others</p>',
  );
  assert.equal(comment('DescribeMachinesRequest', 'Limit'), '<p>返回数量，默认为10，最大值为100。</p>');
  // The filters' words: MachineStatus STOPPED, not the answer's STOPED.
  assert.match(
    comment('DescribeMachinesRequest', 'Filters') ?? '',
    /MachineStatus- String 是否必填: 否 - ALL 全部; RUNNING 运行中; STOPPED 已关机; EXPIRED 待回收/,
  );
  assert.match(
    comment('DescribeMachinesRequest', 'Filters') ?? '',
    /AgentStatus- String 是否必填: 否 - ALL 全部; ONLINE 防护中; OFFLINE 已离线;UNINSTALLED 未安装/,
  );
});
