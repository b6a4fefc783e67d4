// DescribeCloudCenterInstances as Security Center answers it: the account's servers a page at a time,
// by CurrentPage (with TotalCount) or by NextToken (none on the last page).
import type { EmulatedAccount, EmulatedServer } from './fleet.js';
import { intParam, type Query } from './request.js';

/** DescribeCloudCenterInstances' PageSize when the request has none. */
const DEFAULT_PAGE_SIZE = 20;

/** One page of DescribeCloudCenterInstances; null for parameters the API rejects. */
export function describeInstances(account: EmulatedAccount, params: Query, requestId: string): Record<string, unknown> | null {
  const pageSize = intParam(params, 'PageSize', DEFAULT_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const currentPage = intParam(params, 'CurrentPage', 1) ?? 1;
  const machineTypes = params['MachineTypes'];
  const servers = machineTypes && !machineTypes.split(',').includes('ecs') ? [] : account.servers;

  if (params['UseNextToken'] === 'true') {
    const token = params['NextToken'] ?? '';
    const start = token === '' ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) return null;
    const slice = servers.slice(start, start + pageSize);
    // Token pages carry no TotalCount, and the last one no NextToken (a full page, when the fleet fills it).
    const next = start + pageSize < servers.length ? { NextToken: Buffer.from(String(start + pageSize)).toString('base64url') } : {};
    return {
      RequestId: requestId,
      Success: true,
      Instances: slice.map((s) => instanceOf(s)),
      PageInfo: { PageSize: pageSize, Count: slice.length, ...next },
    };
  }
  const slice = servers.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  return {
    RequestId: requestId,
    Success: true,
    Instances: slice.map((s) => instanceOf(s)),
    PageInfo: { CurrentPage: currentPage, PageSize: pageSize, TotalCount: servers.length, Count: slice.length },
  };
}

function instanceOf(server: EmulatedServer): Record<string, unknown> {
  const ip = server.ip ?? '10.0.0.1';
  return {
    Uuid: server.uuid,
    InstanceId: server.instanceId ?? '',
    InstanceName: server.instanceName,
    Ip: ip,
    IntranetIp: ip,
    InternetIp: '',
    RegionId: server.regionId ?? 'cn-hangzhou',
    Region: server.regionId ?? 'cn-hangzhou',
    ClientStatus: server.clientStatus ?? 'online',
    ClientSubStatus: server.clientSubStatus ?? server.clientStatus ?? 'online',
    Os: server.os ?? 'linux',
    AssetType: '0',
    AssetTypeName: 'ECS',
    // A server shut down (ClientSubStatus stopped) is not running.
    Status: server.clientSubStatus === 'stopped' ? 'notRunning' : 'Running',
    Vendor: 0,
    VendorName: 'ALIYUN',
    Flag: 0,
    AuthVersion: 3,
    Bind: true,
    RiskStatus: 'NO',
    VulStatus: 'NO',
    VulCount: 0,
    GroupId: 0,
    GroupTrace: 'default',
  };
}
