import type { TencentAccountConfig } from './config.js';
import type { CallPlan } from '../plan.js';

/** The actions a refresh calls: AssumeRole with a role, DescribeScanState, the strategy list when Baseline strategies are discovered, and the hosts of the scans' tasks. */
export function tencentActions(config: TencentAccountConfig): string[] {
  const discovers = config.modules.includes('Baseline') && config.baselineStrategies === 'auto';
  const role = config.credentials.role === undefined ? [] : ['AssumeRole'];
  return [...role, 'DescribeScanState', ...(discovers ? ['DescribeBaselineStrategyList'] : []), 'DescribeScanTaskDetails'];
}

/** DescribeScanTaskDetails' largest page (Limit). */
export const HOST_PAGE_SIZE = 100;
/** Pages of one task's hosts read at the most (50,000 hosts); beyond that hosts are left out and counted. */
export const MAX_HOST_PAGES = 500;

/**
 * One DescribeScanState per module, Baseline once per strategy; auto adds a strategy list page per
 * 100. The hosts of a finished task are read once per task id (a page per 100 hosts), not per
 * refresh; a running task's are read on every refresh, which the plan cannot know beforehand.
 */
export function tencentCallPlan(config: TencentAccountConfig): CallPlan {
  const note = `; plus 1 call per ${HOST_PAGE_SIZE} hosts of each module's latest scan task: on every refresh while it runs, once after it finished`;
  const otherModules = config.modules.filter((module) => module !== 'Baseline').length;
  const strategy = { item: 'baseline strategy', itemPlural: 'baseline strategies', note };
  if (!config.modules.includes('Baseline')) return { fixed: otherModules, perItem: 0, ...strategy, items: 0 };
  if (config.baselineStrategies !== 'auto') {
    return { fixed: otherModules, perItem: 1, ...strategy, items: config.baselineStrategies.length };
  }
  return { fixed: otherModules + 1, perItem: 1.01, ...strategy, items: undefined };
}
