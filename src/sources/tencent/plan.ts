import type { TencentAccountConfig } from './config.js';
import type { CallPlan } from '../plan.js';

/** The actions a refresh calls: DescribeScanState, and the strategy list when Baseline strategies are discovered. */
export function tencentActions(config: TencentAccountConfig): string[] {
  const discovers = config.modules.includes('Baseline') && config.baselineStrategies === 'auto';
  return discovers ? ['DescribeScanState', 'DescribeBaselineStrategyList'] : ['DescribeScanState'];
}

/** One DescribeScanState per module, Baseline once per strategy; auto adds a strategy list page per 100. */
export function tencentCallPlan(config: TencentAccountConfig): CallPlan {
  const otherModules = config.modules.filter((module) => module !== 'Baseline').length;
  if (!config.modules.includes('Baseline')) return { fixed: otherModules, perItem: 0, item: 'baseline strategy', itemPlural: 'baseline strategies', items: 0 };
  if (config.baselineStrategies !== 'auto') {
    return { fixed: otherModules, perItem: 1, item: 'baseline strategy', itemPlural: 'baseline strategies', items: config.baselineStrategies.length };
  }
  return { fixed: otherModules + 1, perItem: 1.01, item: 'baseline strategy', itemPlural: 'baseline strategies', items: undefined };
}
