import type { AlibabaAccountConfig } from './config.js';
import type { CallPlan } from '../../contract/plan.js';

/** DescribeCloudCenterInstances' largest page. */
export const INSTANCE_PAGE_SIZE = 100;

/** The actions a refresh calls: the status per server, and the server list when servers are discovered. */
export function alibabaActions(config: AlibabaAccountConfig): string[] {
  const role = config.credentials.role === undefined ? [] : ['AssumeRole'];
  const reads = config.servers === 'auto' ? ['DescribeCloudCenterInstances', 'DescribeVulCheckTaskStatusDetail'] : ['DescribeVulCheckTaskStatusDetail'];
  return [...role, ...reads];
}

/** One DescribeVulCheckTaskStatusDetail per server; discovery adds a DescribeCloudCenterInstances page per 100. */
export function alibabaCallPlan(config: AlibabaAccountConfig): CallPlan {
  if (config.servers !== 'auto') return { fixed: 0, perItem: 1, item: 'server', itemPlural: 'servers', items: new Set(config.servers).size };
  return { fixed: 1, perItem: 1 + 1 / INSTANCE_PAGE_SIZE, item: 'server', itemPlural: 'servers', items: undefined };
}
