// Contract tests: for every action the exporter calls, the request fields it sends and the answer
// fields it reads exist in the official generated SDK models, with the same types. Our side is each
// client's own types (src/sources/*/api.ts and the AssumeRoleAnswer of each sts.ts), turned into a
// table of wire names and types that the compiler checks against them; their side is:
// - Tencent Cloud: tencentcloud-sdk-nodejs (pinned dev dependency), checked when compiling, as
//   tencent-api-types.test.ts does for CWP and tencent-organization-api-types.test.ts for Organization;
// - Alibaba Cloud STS and Resource Manager: @alicloud/sts20150401 and @alicloud/resourcemanager20200331
//   (pinned dev dependencies), whose model classes name each wire field and its type;
// - Alibaba Cloud Security Center, whose SDK package is not on the registry: the field list in
//   test/fixtures/alibaba/sas20181203-models.json, with the commit of the generated SDK it came from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as ResourceManager from '@alicloud/resourcemanager20200331';
import * as Sts from '@alicloud/sts20150401';
import type * as TencentSts from 'tencentcloud-sdk-nodejs/tencentcloud/services/sts/v20180813/sts_models.js';
import type {
  CloudCenterInstance,
  CloudCenterPageInfo,
  DescribeCloudCenterInstancesRequest,
  DescribeOnceTaskRequest,
  DescribeVulCheckTaskStatusDetailRequest,
  OnceTask,
  OnceTaskPageInfo,
  VulCheckSubtaskStatus,
} from '../../../src/sources/alibaba/api.js';
import type { ListAccountsRequest, ResourceDirectoryAccount } from '../../../src/sources/alibaba/resource-manager-api.js';
import type { DescribeMonitorAccountsResponse } from '../../../src/sources/alibaba/monitor-accounts.js';
import type {
  AssumeRoleAnswer as AlibabaAssumeRoleAnswer,
  AssumeRoleRequest as AlibabaAssumeRoleRequest,
} from '../../../src/sources/alibaba/sts.js';
import type {
  AssumeRoleAnswer as TencentAssumeRoleAnswer,
  AssumeRoleRequest as TencentAssumeRoleRequest,
} from '../../../src/sources/tencent/sts.js';
import { fixturesDir } from '../../support/paths.js';

/** A field's type on the wire: a scalar, a list of one kind of item, or a nested model. */
type WireType = 'string' | 'number' | 'boolean' | [WireType] | { [field: string]: WireType };

/** The wire type of a TypeScript type; a union (a field read as text or number) allows either. */
type WireOf<T> = T extends string
  ? 'string'
  : T extends number | bigint
    ? 'number'
    : T extends boolean
      ? 'boolean'
      : T extends ReadonlyArray<infer U>
        ? [WireOf<U>]
        : T extends object
          ? WireModel<T>
          : never;
/** Every field of T with its wire type: a table of ours the compiler holds to our types. */
type WireModel<T> = { [K in keyof T]-?: WireOf<Exclude<T[K], null | undefined>> };

/** The wire fields of a Darabonba model class (@alicloud/*): names() maps ours to theirs, types() gives each type. */
interface DaraModel {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}

function wireOfModel(model: DaraModel): Record<string, WireType> {
  const names = model.names();
  const types = model.types();
  return Object.fromEntries(Object.entries(names).map(([field, wire]) => [wire, wireOfType(types[field])]));
}

function wireOfType(type: unknown): WireType {
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  if (typeof type === 'object' && type !== null && (type as { type?: unknown }).type === 'array')
    return [wireOfType((type as { itemType: unknown }).itemType)];
  if (typeof type === 'function') return wireOfModel(type as unknown as DaraModel);
  throw new Error(`a model type this test does not read: ${String(type)}`);
}

/**
 * Where `ours` departs from `theirs`: a field they do not have, or of another type. `digits` names
 * fields that are integers in their model and that we send as their decimal digits: the same text
 * in the query, without a float in between (16-digit account ids exceed 2^53).
 */
function departures(ours: WireType, theirs: WireType | undefined, at: string, digits: readonly string[] = []): string[] {
  if (theirs === undefined) return [`${at}: not in the SDK's model`];
  if (typeof ours === 'string') {
    if (ours === theirs || (ours === 'string' && theirs === 'number' && digits.includes(at))) return [];
    return [`${at}: ours ${ours}, theirs ${JSON.stringify(theirs)}`];
  }
  if (Array.isArray(ours)) {
    return Array.isArray(theirs)
      ? departures(ours[0], theirs[0], `${at}[]`, digits)
      : [`${at}: ours a list, theirs ${JSON.stringify(theirs)}`];
  }
  if (typeof theirs !== 'object' || Array.isArray(theirs)) return [`${at}: ours a model, theirs ${JSON.stringify(theirs)}`];
  return Object.entries(ours).flatMap(([field, type]) => departures(type, theirs[field], at === '' ? field : `${at}.${field}`, digits));
}

describe('Alibaba Cloud STS (@alicloud/sts20150401)', () => {
  test("AssumeRole: the fields we send and those we read are its models', with their types", () => {
    const request: WireModel<AlibabaAssumeRoleRequest> = {
      RoleArn: 'string',
      RoleSessionName: 'string',
      DurationSeconds: 'number',
      ExternalId: 'string',
    };
    const answer: WireModel<AlibabaAssumeRoleAnswer> = {
      Credentials: { AccessKeyId: 'string', AccessKeySecret: 'string', SecurityToken: 'string', Expiration: 'string' },
    };
    assert.deepEqual(departures(request, wireOfModel(Sts.AssumeRoleRequest), ''), []);
    assert.deepEqual(departures(answer, wireOfModel(Sts.AssumeRoleResponseBody), ''), []);
  });
});

describe('Alibaba Cloud Resource Manager (@alicloud/resourcemanager20200331)', () => {
  test("ListAccounts: the fields we send and those we read are its models', with their types", () => {
    const request: WireModel<ListAccountsRequest> = { PageNumber: 'number', PageSize: 'number' };
    const account: WireModel<ResourceDirectoryAccount> = { AccountId: 'string', DisplayName: 'string', Status: 'string' };
    // Our answer type flattens Accounts.Account; on the wire it is nested.
    const answer = { Accounts: { Account: [account] }, TotalCount: 'number', RequestId: 'string' } satisfies WireType;
    assert.deepEqual(departures(request, wireOfModel(ResourceManager.ListAccountsRequest), ''), []);
    assert.deepEqual(departures(answer, wireOfModel(ResourceManager.ListAccountsResponseBody), ''), []);
  });
});

interface SasModels {
  source: { repository: string; commit: string; package: string; files: string[] };
  /** Fields the API reference documents that the generated models at that commit lack, each with where it is documented. */
  documented: Record<string, { type: WireType; source: string }>;
  models: Record<string, Record<string, WireType>>;
}

describe('Alibaba Cloud Security Center (the sas-20181203 field list)', () => {
  const sas = JSON.parse(readFileSync(join(fixturesDir, 'alibaba', 'sas20181203-models.json'), 'utf8')) as SasModels;
  /** A model with the fields the API reference documents added, so they are checked all the same. */
  const model = (name: string): Record<string, WireType> => {
    const documented = Object.entries(sas.documented).filter(([key]) => key.startsWith(`${name}.`));
    return { ...sas.models[name], ...Object.fromEntries(documented.map(([key, { type }]) => [key.slice(name.length + 1), type])) };
  };
  const digits = ['ResourceDirectoryAccountId'];

  test('the list names the generated SDK it came from, and each field it adds a document', () => {
    assert.match(sas.source.commit, /^[0-9a-f]{40}$/);
    assert.equal(sas.source.repository, 'aliyun/alibabacloud-typescript-sdk');
    for (const [key, { source }] of Object.entries(sas.documented)) assert.match(source, /help\.aliyun\.com|alibabacloud\.com/, key);
  });

  test("DescribeVulCheckTaskStatusDetail: the fields we send and those we read are its models', with their types", () => {
    const request: WireModel<DescribeVulCheckTaskStatusDetailRequest> = {
      Uuid: 'string',
      Types: ['string'],
      TaskIds: ['string'],
      ResourceDirectoryAccountId: 'string',
    };
    const subtask: WireModel<VulCheckSubtaskStatus> = { Type: 'string', Status: 'string', Code: 'string' };
    // TaskId and Status are read as text or as a number (answers send both); the model says string.
    const answer = {
      TotalCount: 'number',
      RequestId: 'string',
      TaskStatuses: [{ TaskId: 'string', TaskStatusList: [subtask] }],
    } satisfies WireType;
    assert.deepEqual(departures(request, model('DescribeVulCheckTaskStatusDetailRequest'), '', digits), []);
    assert.deepEqual(departures(answer, model('DescribeVulCheckTaskStatusDetailResponseBody'), ''), []);
  });

  test("DescribeCloudCenterInstances: the fields we send and those we read are its models', with their types", () => {
    const request: WireModel<DescribeCloudCenterInstancesRequest> = {
      CurrentPage: 'number',
      PageSize: 'number',
      UseNextToken: 'boolean',
      NextToken: 'string',
      Criteria: 'string',
      LogicalExp: 'string',
      MachineTypes: 'string',
      Lang: 'string',
      ResourceDirectoryAccountId: 'string',
    };
    const instance: WireModel<CloudCenterInstance> = {
      Uuid: 'string',
      InstanceId: 'string',
      InstanceName: 'string',
      Ip: 'string',
      InternetIp: 'string',
      IntranetIp: 'string',
      RegionId: 'string',
      ClientStatus: 'string',
      ClientSubStatus: 'string',
      Status: 'string',
      Os: 'string',
    };
    const pageInfo: WireModel<CloudCenterPageInfo> = {
      CurrentPage: 'number',
      PageSize: 'number',
      TotalCount: 'number',
      Count: 'number',
      NextToken: 'string',
    };
    const answer = { Instances: [instance], PageInfo: pageInfo, RequestId: 'string' } satisfies WireType;
    assert.deepEqual(departures(request, model('DescribeCloudCenterInstancesRequest'), '', digits), []);
    assert.deepEqual(departures(answer, model('DescribeCloudCenterInstancesResponseBody'), ''), []);
  });

  test("DescribeMonitorAccounts: it takes no parameter (the SDK has no request model: describeMonitorAccounts() sends none), and the fields we read are its answer's", () => {
    const answer: WireModel<DescribeMonitorAccountsResponse> = { AccountIds: ['string'], RequestId: 'string' };
    assert.equal(sas.models['DescribeMonitorAccountsRequest'], undefined);
    assert.deepEqual(departures(answer, model('DescribeMonitorAccountsResponseBody'), ''), []);
  });

  test("DescribeOnceTask: the fields we send and those we read are its models', with their types; it takes no ResourceDirectoryAccountId", () => {
    const request: WireModel<DescribeOnceTaskRequest> = {
      TaskType: 'string',
      CurrentPage: 'number',
      PageSize: 'number',
      StartTimeQuery: 'number',
    };
    // TaskStatus (a number in the model) and Progress (a string, "10%") are read as text or as a number.
    const task = {
      TaskId: 'string',
      TaskStatus: 'number',
      Progress: 'string',
      TaskStartTime: 'number',
      TaskEndTime: 'number',
    } satisfies Record<keyof OnceTask, WireType>;
    const pageInfo: WireModel<OnceTaskPageInfo> = { CurrentPage: 'number', PageSize: 'number', TotalCount: 'number', Count: 'number' };
    const answer = { TaskManageResponseList: [task], PageInfo: pageInfo, RequestId: 'string' } satisfies WireType;
    assert.deepEqual(departures(request, model('DescribeOnceTaskRequest'), ''), []);
    assert.deepEqual(departures(answer, model('DescribeOnceTaskResponseBody'), ''), []);
    // A member named by the management account cannot be asked about: the change signal is its own account's only.
    assert.deepEqual(departures({ ResourceDirectoryAccountId: 'string' }, model('DescribeOnceTaskRequest'), ''), [
      "ResourceDirectoryAccountId: not in the SDK's model",
    ]);
    // No field of a task names a server: only DetailData, a JSON string.
    const [fields] = model('DescribeOnceTaskResponseBody')['TaskManageResponseList'] as [Record<string, WireType>];
    assert.ok('DetailData' in fields);
    assert.deepEqual(
      Object.keys(fields).filter((key) => /uuid|instance|server|machine|ip/i.test(key)),
      [],
    );
  });

  test('a field we sent that the models lack, or of another type, is a departure (the check can fail)', () => {
    assert.deepEqual(departures({ Uuid: 'string', Page: 'number' }, model('DescribeVulCheckTaskStatusDetailRequest'), ''), [
      "Page: not in the SDK's model",
    ]);
    assert.deepEqual(departures({ TotalCount: 'string' }, model('DescribeVulCheckTaskStatusDetailResponseBody'), ''), [
      'TotalCount: ours string, theirs "number"',
    ]);
  });
});

// Tencent Cloud STS against tencentcloud-sdk-nodejs' own models, when compiling: each field we send
// or read is one they name, of a type they accept.
type Fits<Ours, Theirs> = {
  [K in keyof Ours]-?: K extends keyof Theirs
    ? [Exclude<Ours[K], undefined>] extends [Exclude<Theirs[K], undefined>]
      ? true
      : false
    : false;
};
type AllTrue<T> = Exclude<T[keyof T], true> extends never ? true : false;
const stsRequest: AllTrue<Fits<TencentAssumeRoleRequest, TencentSts.AssumeRoleRequest>> = true;
const stsAnswer: AllTrue<Fits<Omit<TencentAssumeRoleAnswer, 'Credentials'>, TencentSts.AssumeRoleResponse>> = true;
const stsCredentials: AllTrue<Fits<TencentAssumeRoleAnswer['Credentials'], TencentSts.Credentials>> = true;

describe('Tencent Cloud STS (tencentcloud-sdk-nodejs, sts 2018-08-13)', () => {
  test("AssumeRole: the fields we send and read are its models', with their types (checked when compiling), at the host and version we call", () => {
    assert.deepEqual([stsRequest, stsAnswer, stsCredentials], [true, true, true]);
    const client = readFileSync(
      createRequire(import.meta.url).resolve('tencentcloud-sdk-nodejs/tencentcloud/services/sts/v20180813/sts_client.js'),
      'utf8',
    );
    assert.match(client, /super\("sts\.tencentcloudapi\.com", "2018-08-13"/);
  });
});
