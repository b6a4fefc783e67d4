import type { AlibabaAccountConfig } from './config.js';
import type { CallPlan } from '../../contract/plan.js';
import { formatDuration } from '../../base/duration.js';

/** DescribeCloudCenterInstances' largest page. */
export const INSTANCE_PAGE_SIZE = 100;

/** Whether the account has a change signal: DescribeOnceTask lists the signer's own checks, never those of a member it names. */
function hasTaskList(config: AlibabaAccountConfig): boolean {
  return config.resourceDirectoryAccountId === undefined;
}

/** The actions a refresh calls: the server list when servers are discovered, the list of vulnerability checks, and the status per server. */
export function alibabaActions(config: AlibabaAccountConfig): string[] {
  const role = config.credentials.role === undefined ? [] : ['AssumeRole'];
  const discovery = config.servers === 'auto' ? ['DescribeCloudCenterInstances'] : [];
  const signal = hasTaskList(config) ? ['DescribeOnceTask'] : [];
  return [...role, ...discovery, ...signal, 'DescribeVulCheckTaskStatusDetail'];
}

/**
 * The calls of a refresh that reads every server (one DescribeVulCheckTaskStatusDetail each, and a
 * DescribeCloudCenterInstances page per 100 with discovery), as one does while a vulnerability
 * check runs: the refresh that must keep up. The note says when that is and what a refresh between
 * checks costs (read only what changed); it holds next to the last refresh's own count too.
 */
export function alibabaCallPlan(config: AlibabaAccountConfig): CallPlan {
  const signal = hasTaskList(config) ? 1 : 0;
  const note = hasTaskList(config)
    ? `; every server is read only while a vulnerability check runs, in the refresh after it ends, and when the list of checks cannot be read. Between checks a refresh makes ` +
      `${config.servers === 'auto' ? `2 call(s) + 1 per ${INSTANCE_PAGE_SIZE} servers (discovery and 1 DescribeOnceTask page)` : '1 call (DescribeOnceTask)'}, ` +
      `plus 1 per server whose last answer is new or has a subtask not complete, and reads every server once per ${formatDuration(config.fullReadIntervalSeconds)} (full_read_interval)`
    : '; every server is read on every refresh: DescribeOnceTask cannot name a member (resource_directory_account_id), so there is no list of checks to read only what changed by';
  if (config.servers !== 'auto')
    return { fixed: signal, perItem: 1, item: 'server', itemPlural: 'servers', items: new Set(config.servers).size, note };
  return { fixed: 1 + signal, perItem: 1 + 1 / INSTANCE_PAGE_SIZE, item: 'server', itemPlural: 'servers', items: undefined, note };
}
