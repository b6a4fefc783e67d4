// Shape checks for SAS answers: plain type guards that name the field that is wrong. A wrong shape
// (not an object, a field of the wrong type, an answer with neither TotalCount nor TaskStatuses) is
// a ShapeError, which the client reports as invalid_response. What the answer simply left out is
// null (TotalCount is optional in the SDK), so the mapping can leave it out, or warn about a missing
// list, instead of failing the server.
import { boundedField } from '../../base/cloud-text.js';
import { ShapeError, describe, expectObject, optionalArray, optionalNumber, optionalString, type JsonObject } from '../kit/validate.js';
import type {
  CloudCenterInstance,
  CloudCenterPageInfo,
  DescribeCloudCenterInstancesResponse,
  DescribeOnceTaskResponse,
  DescribeVulCheckTaskStatusDetailResponse,
  OnceTask,
  OnceTaskPageInfo,
  VulCheckSubtaskStatus,
  VulCheckTaskStatus,
} from './api.js';

export function parseVulCheckTaskStatusDetail(raw: unknown): DescribeVulCheckTaskStatusDetailResponse {
  const where = 'body';
  const body = expectObject(raw, where);
  const total = optionalNumber(body, 'TotalCount', where);
  const statuses = optionalArray(body, 'TaskStatuses', where);
  // Either alone is an answer; without both there is nothing to report (a null-filled body).
  if (total === null && statuses === null) throw new ShapeError(`${where} has neither TotalCount nor TaskStatuses`);
  return {
    TotalCount: total,
    TaskStatuses: statuses === null ? null : statuses.map((item, i) => parseTaskStatus(item, `${where}.TaskStatuses[${i}]`)),
    RequestId: optionalString(body, 'RequestId', where) ?? '',
  };
}

function parseTaskStatus(raw: unknown, where: string): VulCheckTaskStatus {
  const task = expectObject(raw, where);
  const list = optionalArray(task, 'TaskStatusList', where);
  return {
    TaskId: stringOrNumber(task, 'TaskId', where),
    TaskStatusList: list === null ? null : list.map((item, i) => parseSubtask(item, `${where}.TaskStatusList[${i}]`)),
  };
}

function parseSubtask(raw: unknown, where: string): VulCheckSubtaskStatus {
  const subtask = expectObject(raw, where);
  return {
    Type: optionalString(subtask, 'Type', where),
    Status: stringOrNumber(subtask, 'Status', where),
    Code: optionalString(subtask, 'Code', where),
  };
}

export function parseCloudCenterInstances(raw: unknown): DescribeCloudCenterInstancesResponse {
  const where = 'body';
  const body = expectObject(raw, where);
  const instances = optionalArray(body, 'Instances', where);
  if (instances === null) throw new ShapeError(`${where}.Instances is ${describe(body['Instances'])}, expected an array`);
  const pageInfo = body['PageInfo'];
  return {
    Instances: instances.map((item, i) => parseInstance(item, `${where}.Instances[${i}]`)),
    PageInfo: pageInfo === undefined || pageInfo === null ? null : parsePageInfo(pageInfo, `${where}.PageInfo`),
    RequestId: optionalString(body, 'RequestId', where) ?? '',
  };
}

function parseInstance(raw: unknown, where: string): CloudCenterInstance {
  const instance = expectObject(raw, where);
  const text = (key: string) => optionalString(instance, key, where);
  return {
    Uuid: text('Uuid'),
    InstanceId: text('InstanceId'),
    InstanceName: text('InstanceName'),
    Ip: text('Ip'),
    InternetIp: text('InternetIp'),
    IntranetIp: text('IntranetIp'),
    RegionId: text('RegionId'),
    ClientStatus: text('ClientStatus'),
    ClientSubStatus: text('ClientSubStatus'),
    Status: text('Status'),
    Os: text('Os'),
  };
}

function parsePageInfo(raw: unknown, where: string): CloudCenterPageInfo {
  const info = expectObject(raw, where);
  const number = (key: string) => optionalNumber(info, key, where);
  return {
    CurrentPage: number('CurrentPage'),
    PageSize: number('PageSize'),
    TotalCount: number('TotalCount'),
    Count: number('Count'),
    NextToken: optionalString(info, 'NextToken', where),
  };
}

/**
 * A DescribeOnceTask page. The list must be there (empty when there is no task): a body without it
 * (a null-filled answer) would read as "no check ran" and serve old data as current, so it is a
 * ShapeError, and the refresh reads every server instead.
 */
export function parseOnceTasks(raw: unknown): DescribeOnceTaskResponse {
  const where = 'body';
  const body = expectObject(raw, where);
  const tasks = optionalArray(body, 'TaskManageResponseList', where);
  if (tasks === null)
    throw new ShapeError(`${where}.TaskManageResponseList is ${describe(body['TaskManageResponseList'])}, expected an array`);
  const pageInfo = body['PageInfo'];
  return {
    TaskManageResponseList: tasks.map((item, i) => parseOnceTask(item, `${where}.TaskManageResponseList[${i}]`)),
    PageInfo: pageInfo === undefined || pageInfo === null ? null : parseOncePageInfo(pageInfo, `${where}.PageInfo`),
    RequestId: optionalString(body, 'RequestId', where) ?? '',
  };
}

function parseOnceTask(raw: unknown, where: string): OnceTask {
  const task = expectObject(raw, where);
  return {
    TaskId: optionalString(task, 'TaskId', where),
    TaskStatus: stringOrNumber(task, 'TaskStatus', where),
    Progress: stringOrNumber(task, 'Progress', where),
    TaskStartTime: optionalNumber(task, 'TaskStartTime', where),
    TaskEndTime: optionalNumber(task, 'TaskEndTime', where),
  };
}

/** DescribeCloudCenterInstances' page information, which has a NextToken besides. */
function parseOncePageInfo(raw: unknown, where: string): OnceTaskPageInfo {
  const { NextToken: _token, ...info } = parsePageInfo(raw, where);
  return info;
}

function stringOrNumber(object: JsonObject, key: string, where: string): string | number | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return boundedField(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // An integer beyond 2^53, kept whole by the JSON reader: its digits, as the id it is.
  if (typeof value === 'bigint') return value.toString();
  throw new ShapeError(`${where}.${key} is ${describe(value)}, expected a string`);
}
