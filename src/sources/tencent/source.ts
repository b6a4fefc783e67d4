// One Tencent Cloud account: which scans to ask about, and one snapshot of all of them, with the
// hosts of each scan's latest task.
import type { TencentAccountConfig } from './config.js';
import { ApiError, type AnswerWarning, type FetchContext, type Source } from '../../contract/types.js';
import { AnswerWarnings } from '../kit/answer-warnings.js';
import type { CwpScanStatus, TencentSnapshot } from './types.js';
import type { DescribeScanStateResponse, DescribeScanTaskDetailsResponse } from './api.js';
import { CwpClient } from './client.js';
import { integerText } from '../kit/validate.js';
import { classifyTencentError } from './errors.js';
import { HOST_PAGE_SIZE, MAX_HOST_PAGES } from './plan.js';
import { describeTarget, isFinished, toScanStatus, toTaskHosts, type ScanTarget } from './map.js';
import { TencentRole } from './role.js';
import { tencentOptionalPart } from './optional-part.js';
import { TencentCoverageReader } from './coverage-reader.js';

const HOSTS_ACTION = 'DescribeScanTaskDetails';

/** DescribeBaselineStrategyList's page size limit. */
const STRATEGY_PAGE_SIZE = 100;
/**
 * Pages of the strategy list read at most (1,000 strategies), as member listings, host pages and
 * server discovery are capped: a list that says it is longer fails the refresh with an error naming
 * the cap, instead of paging on at rate_limit for ever with the account pending.
 */
export const MAX_STRATEGY_PAGES = 10;

interface ScanStateResult {
  target: ScanTarget;
  /** DescribeScanState's TaskId as DescribeScanTaskDetails takes it; undefined when there is no task. */
  taskId: number | bigint | undefined;
  status: CwpScanStatus;
  warnings: AnswerWarning[];
}

interface ScanResult {
  status: CwpScanStatus;
  warnings: AnswerWarning[];
  /** The failed DescribeScanTaskDetails call, when the hosts could not be read (not for lack of permission: that turns them off). */
  error?: ApiError;
  /** Whether DescribeScanTaskDetails was called for it and answered, or refused for lack of permission. */
  read?: boolean;
  refused?: boolean;
}

export class TencentSource implements Source<TencentSnapshot> {
  readonly provider = 'tencent' as const;
  readonly account: string;
  /** The assumed role whose keys the calls are signed with, when the account has one. */
  readonly role: TencentRole | undefined;
  private readonly client: CwpClient;
  /** Which servers have a working agent: read on its own interval, optional like the hosts. */
  readonly #coverage: TencentCoverageReader;
  /** The hosts of the scans' tasks: optional, off while DescribeScanTaskDetails is refused for lack of permission. */
  readonly #hosts = tencentOptionalPart(HOSTS_ACTION, 'the hosts of each scan task (which were scanned, which failed and why)');

  constructor(
    private readonly config: TencentAccountConfig,
    client?: CwpClient,
    private readonly now: () => number = Date.now,
  ) {
    this.account = config.name;
    const role = config.credentials.role;
    this.role = role === undefined ? undefined : new TencentRole(config, role);
    this.client = client ?? new CwpClient({ ...config, signWith: this.role?.credential, signWithSecrets: this.role?.secrets });
    this.#coverage = new TencentCoverageReader(config.coverage, this.client);
  }

  /**
   * One DescribeScanState per module (and baseline strategy); once all have answered, the hosts of
   * each one's latest task: those of a finished task are read once and carried over from
   * `context.previous` while the task is the same; those of a running task are read on every
   * refresh. (Two phases, not a pipeline per scan: the calls of one action are then not held up by
   * the other's in the account's concurrency bound, which would bunch them past the rate limit as
   * the cloud sees it.) A DescribeScanState that fails fails the refresh; hosts that cannot be read
   * are an error of the refresh (the account is down) and the task's earlier hosts are kept,
   * unless older than max_stale. Hosts refused for lack of permission are an optional part turned
   * off (OptionalFeature): no hosts, no error, and one call again every FEATURE_RETRY_MS. Then,
   * when due, the machines of coverage (coverage-reader.ts): after the scans, so an account whose
   * scan state cannot be read makes no call for them.
   */
  async fetch(refresh: FetchContext<TencentSnapshot>): Promise<TencentSnapshot> {
    const context = this.role ? this.role.session.guard(refresh) : refresh;
    const { scans, errors, warnings } = await this.#scans(context);
    const coverage = await this.#coverage.read(context);
    const featuresOff = [...this.#hosts.off, ...this.#coverage.off];
    return {
      provider: 'tencent',
      account: this.account,
      takenAt: this.now(),
      scans,
      ...(coverage.coverage === undefined ? {} : { coverage: coverage.coverage }),
      errors: [...errors, ...(coverage.error === undefined ? [] : [coverage.error])],
      warnings: [...warnings, ...coverage.warnings],
      ...(featuresOff.length > 0 ? { featuresOff } : {}),
    };
  }

  /** Each scan's state, then the hosts of its task; throws when a scan state cannot be read. */
  async #scans(context: FetchContext<TencentSnapshot>): Promise<{ scans: CwpScanStatus[]; errors: ApiError[]; warnings: AnswerWarning[] }> {
    const targets = await this.#targets(context);
    let done = 0;
    context.progress?.(0, targets.length * 2);
    const progressed = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } finally {
        context.progress?.(++done, targets.length * 2);
      }
    };
    const states = await Promise.allSettled(targets.map((target) => progressed(this.#scanState(target, context))));
    const failure = states.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const hostsWanted = this.#hosts.wanted(context.now());
    const results = await Promise.all(
      (states as Array<PromiseFulfilledResult<ScanStateResult>>).map(({ value }) =>
        progressed(
          hostsWanted ? this.#withHosts(value, context) : Promise.resolve<ScanResult>({ status: value.status, warnings: value.warnings }),
        ),
      ),
    );
    if (!results.some((result) => result.refused) && results.some((result) => result.read)) this.#hosts.allowed();
    const hostsOff = this.#hosts.off.length > 0;

    const scans: CwpScanStatus[] = [];
    const warnings = new AnswerWarnings();
    const errors: ApiError[] = [];
    for (const value of results) {
      // Off is off for the whole account: no scan keeps hosts read before.
      scans.push(hostsOff && value.status.hosts ? withoutHosts(value.status) : value.status);
      warnings.addAll(value.warnings);
      if (value.error) errors.push(value.error);
    }
    return { scans, errors, warnings: warnings.list() };
  }

  async #scanState(target: ScanTarget, context: FetchContext<TencentSnapshot>): Promise<ScanStateResult> {
    const request =
      target.module === 'Baseline'
        ? { ModuleType: target.module, Filters: [{ Name: 'StrategyId', Values: [target.strategyId], ExactMatch: true }] }
        : { ModuleType: target.module };
    const response = await context.invoke('DescribeScanState', (signal, trace) => this.client.describeScanState(request, signal, trace));
    return { target, taskId: requestTaskId(response.TaskId), ...toScanStatus(response, target, this.config.timeZone) };
  }

  /** The scan with the hosts of its task: carried over, read, or (when they cannot be read) the last ones kept. Never throws. */
  async #withHosts(scan: ScanStateResult, context: FetchContext<TencentSnapshot>): Promise<ScanResult> {
    const { target, taskId, status, warnings } = scan;
    if (status.state === 'never_scanned' || taskId === undefined) return { status, warnings };
    const previous = context.previous?.scans.find(
      (earlier) => earlier.module === target.module && earlier.strategyId === target.strategyId && earlier.hosts?.taskId === status.taskId,
    )?.hosts;
    if (previous?.final) return { status: { ...status, hosts: previous }, warnings };
    try {
      const final = isFinished(status.state);
      const fetchedAt = this.now();
      const pages = await this.#taskPages(target, taskId, context, warnings);
      const read = toTaskHosts(pages, target, status.taskId, final, fetchedAt);
      return { status: { ...status, hosts: read.hosts }, warnings: [...warnings, ...read.warnings], read: true };
    } catch (error) {
      const apiError = classifyTencentError(HOSTS_ACTION, error, false);
      if (this.#hosts.refused(apiError, context.now())) return { status, warnings, refused: true };
      const kept = previous && previous.fetchedAt >= context.staleBefore ? { hosts: previous } : {};
      return { status: { ...status, ...kept }, warnings, error: apiError };
    }
  }

  /** Every page of a task's hosts, HOST_PAGE_SIZE at a time. */
  async #taskPages(
    target: ScanTarget,
    taskId: number | bigint,
    context: FetchContext<TencentSnapshot>,
    warnings: AnswerWarning[],
  ): Promise<DescribeScanTaskDetailsResponse[]> {
    const pages: DescribeScanTaskDetailsResponse[] = [];
    for (let page = 0; ; page++) {
      const offset = page * HOST_PAGE_SIZE;
      if (page === MAX_HOST_PAGES) {
        const left = (pages.at(-1)?.TotalCount ?? offset) - offset;
        warnings.push({
          action: 'DescribeScanTaskDetails',
          kind: 'hosts left out',
          message: `DescribeScanTaskDetails ${describeTarget(target)}: hosts beyond the first ${offset} left out`,
          count: 1,
          answers: 1,
          ...(left > 0 ? { dropped: { reason: 'hosts', count: left } } : {}),
        });
        break;
      }
      const answer = await context.invoke('DescribeScanTaskDetails', (signal, trace) =>
        this.client.describeScanTaskDetails(
          { ModuleType: target.module, TaskId: taskId, Limit: HOST_PAGE_SIZE, Offset: offset },
          signal,
          trace,
        ),
      );
      pages.push(answer);
      const listed = answer.ScanTaskDetailList?.length ?? 0;
      if (listed < HOST_PAGE_SIZE || (answer.TotalCount !== null && offset + HOST_PAGE_SIZE >= answer.TotalCount)) break;
    }
    return pages;
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

  /** Every enabled baseline strategy, page by page, MAX_STRATEGY_PAGES pages at most. */
  async #discoverStrategies(context: FetchContext<TencentSnapshot>): Promise<Array<{ id: string; name: string }>> {
    const found = new Map<string, string>();
    for (let offset = 0; ; offset += STRATEGY_PAGE_SIZE) {
      const page = await context.invoke('DescribeBaselineStrategyList', (signal, trace) =>
        this.client.describeBaselineStrategyList({ Limit: STRATEGY_PAGE_SIZE, Offset: offset, Enabled: 1 }, signal, trace),
      );
      for (const strategy of page.StrategyList) found.set(String(strategy.StrategyId), strategy.StrategyName);
      if (page.StrategyList.length < STRATEGY_PAGE_SIZE || offset + STRATEGY_PAGE_SIZE >= page.TotalCount) break;
      if (offset + STRATEGY_PAGE_SIZE >= MAX_STRATEGY_PAGES * STRATEGY_PAGE_SIZE) {
        const most = MAX_STRATEGY_PAGES * STRATEGY_PAGE_SIZE;
        throw new ApiError(
          'tencent',
          'DescribeBaselineStrategyList',
          'invalid_response',
          'invalid_response',
          `DescribeBaselineStrategyList: more than ${most} enabled baseline strategies (TotalCount ${page.TotalCount}, ${found.size} distinct in the first ${MAX_STRATEGY_PAGES} pages); ` +
            `the exporter reads at most ${most}: list the ones to read under baseline_strategies`,
        );
      }
    }
    return [...found].map(([id, name]) => ({ id, name }));
  }
}

function withoutHosts(status: CwpScanStatus): CwpScanStatus {
  const { hosts: _hosts, ...rest } = status;
  return rest;
}

/** DescribeScanState's TaskId as DescribeScanTaskDetails takes it; undefined when there is none (0, absent). */
function requestTaskId(taskId: DescribeScanStateResponse['TaskId']): number | bigint | undefined {
  if (taskId === null) return undefined;
  const id = BigInt(integerText(taskId));
  if (id <= 0n) return undefined;
  return id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
}
