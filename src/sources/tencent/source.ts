// One Tencent Cloud account: which scans to ask about, and one snapshot of all of them.
import type { TencentAccountConfig } from './config.js';
import type { AnswerWarning, FetchContext, Source } from '../types.js';
import type { CwpScanStatus, TencentSnapshot } from './types.js';
import { CwpClient } from './client.js';
import { toScanStatus, type ScanTarget } from './map.js';
import { TencentRole } from './role.js';

/** DescribeBaselineStrategyList's page size limit. */
const STRATEGY_PAGE_SIZE = 100;

export class TencentSource implements Source<TencentSnapshot> {
  readonly provider = 'tencent' as const;
  readonly account: string;
  /** The assumed role whose keys the calls are signed with, when the account has one. */
  readonly role: TencentRole | undefined;
  private readonly client: CwpClient;

  constructor(
    private readonly config: TencentAccountConfig,
    client?: CwpClient,
    private readonly now: () => number = Date.now,
  ) {
    this.account = config.name;
    const role = config.credentials.role;
    this.role = role === undefined ? undefined : new TencentRole(config, role);
    this.client = client ?? new CwpClient({ ...config, signWith: this.role?.credential });
  }

  async fetch(refresh: FetchContext<TencentSnapshot>): Promise<TencentSnapshot> {
    const context = this.role ? this.role.session.guard(refresh) : refresh;
    const targets = await this.#targets(context);
    const results = await Promise.allSettled(targets.map((target) => this.#scanStatus(target, context)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;

    const scans: CwpScanStatus[] = [];
    const warnings: AnswerWarning[] = [];
    for (const result of results as PromiseFulfilledResult<ReturnType<typeof toScanStatus>>[]) {
      scans.push(result.value.status);
      warnings.push(...result.value.warnings);
    }
    return { provider: 'tencent', account: this.account, takenAt: this.now(), scans, errors: [], warnings };
  }

  async #scanStatus(target: ScanTarget, context: FetchContext<TencentSnapshot>) {
    const request =
      target.module === 'Baseline'
        ? { ModuleType: target.module, Filters: [{ Name: 'StrategyId', Values: [target.strategyId], ExactMatch: true }] }
        : { ModuleType: target.module };
    const response = await context.invoke('DescribeScanState', (signal, trace) =>
      this.client.describeScanState(request, signal, trace),
    );
    return toScanStatus(response, target, this.config.timeZone);
  }

  async #targets(context: FetchContext<TencentSnapshot>): Promise<ScanTarget[]> {
    const targets: ScanTarget[] = [];
    for (const module of this.config.modules) {
      if (module !== 'Baseline') {
        targets.push({ module, strategyId: '', strategyName: '' });
        continue;
      }
      const strategies =
        this.config.baselineStrategies === 'auto'
          ? await this.#discoverStrategies(context)
          : [...new Set(this.config.baselineStrategies)].map((id) => ({ id, name: '' }));
      for (const strategy of strategies) targets.push({ module, strategyId: strategy.id, strategyName: strategy.name });
    }
    return targets;
  }

  /** Every enabled baseline strategy, page by page. */
  async #discoverStrategies(context: FetchContext<TencentSnapshot>): Promise<Array<{ id: string; name: string }>> {
    const found = new Map<string, string>();
    for (let offset = 0; ; offset += STRATEGY_PAGE_SIZE) {
      const page = await context.invoke('DescribeBaselineStrategyList', (signal, trace) =>
        this.client.describeBaselineStrategyList({ Limit: STRATEGY_PAGE_SIZE, Offset: offset, Enabled: 1 }, signal, trace),
      );
      for (const strategy of page.StrategyList) found.set(String(strategy.StrategyId), strategy.StrategyName);
      if (page.StrategyList.length < STRATEGY_PAGE_SIZE || offset + STRATEGY_PAGE_SIZE >= page.TotalCount) break;
    }
    return [...found].map(([id, name]) => ({ id, name }));
  }
}
