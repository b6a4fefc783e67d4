import type { TencentAccountConfig, TencentCoverageConfig } from './config.js';
import type { CallPlan } from '../../contract/plan.js';
import { formatDuration } from '../../base/duration.js';
import { OTHER_MACHINES_REGION, type DescribeMachinesRequest } from './api.js';

/** The actions a refresh calls: AssumeRole with a role, DescribeScanState, the strategy list when Baseline strategies are discovered, the hosts of the scans' tasks, and the machines when coverage is on. */
export function tencentActions(config: TencentAccountConfig): string[] {
  const discovers = config.modules.includes('Baseline') && config.baselineStrategies === 'auto';
  const role = config.credentials.role === undefined ? [] : ['AssumeRole'];
  const coverage = config.coverage.enabled ? ['DescribeMachines'] : [];
  return [...role, 'DescribeScanState', ...(discovers ? ['DescribeBaselineStrategyList'] : []), 'DescribeScanTaskDetails', ...coverage];
}

/** DescribeMachines' largest page (Limit). */
export const MACHINE_PAGE_SIZE = 100;
/** Pages of machines read at the most per listing of an account, all types and regions together (100,000 machines); beyond that machines are left out and counted. */
export const MAX_MACHINE_PAGES = 1000;

/** What one coverage read lists: each machine type in each region, but Other (machines outside Tencent Cloud) in ap-others alone. */
export function machineListings(coverage: TencentCoverageConfig): Array<Pick<DescribeMachinesRequest, 'MachineType' | 'MachineRegion'>> {
  return coverage.machineTypes.flatMap((type): Array<Pick<DescribeMachinesRequest, 'MachineType' | 'MachineRegion'>> =>
    type === 'Other'
      ? [{ MachineType: type, MachineRegion: OTHER_MACHINES_REGION }]
      : coverage.regions.map((region) => ({ MachineType: type, MachineRegion: region })),
  );
}

/** What coverage costs, for --config.check: the calls of one read and how often it is made. */
export function describeCoverage(coverage: TencentCoverageConfig): string {
  if (!coverage.enabled) return 'coverage off';
  const listings = machineListings(coverage);
  const byRegion = coverage.machineTypes.filter((type) => type !== 'Other');
  const where = [
    ...(byRegion.length === 0
      ? []
      : [`${byRegion.join(',')} in ${coverage.regions.length > 3 ? `${coverage.regions.length} regions` : coverage.regions.join(',')}`]),
    ...(coverage.machineTypes.includes('Other') ? [`Other in ${OTHER_MACHINES_REGION}`] : []),
  ].join('; ');
  return (
    `coverage every ${formatDuration(coverage.intervalSeconds)}: ${listings.length} DescribeMachines call(s) (${where}), ` +
    `1 more per further ${MACHINE_PAGE_SIZE} machines of a type in a region`
  );
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
