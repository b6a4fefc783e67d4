// Tencent Cloud coverage: every machine CWP knows in the configured machine types and regions, with
// the state of its agent, through DescribeMachines page by page, on its own interval (agent states
// change slowly): between two reads the last one is carried over, as its very objects. An optional
// part: refused for lack of permission it is off (OptionalFeature), and the account stays up; any
// other error is an error of the refresh, the last read kept unless older than max_stale.
import type { CoveredServer, ServerCoverage } from '../coverage/coverage.js';
import { AnswerWarnings, type Warn } from '../kit/answer-warnings.js';
import type { AnswerWarning, ApiError, FeatureOff, FetchContext } from '../../contract/types.js';
import type { DescribeMachinesRequest, Machine } from './api.js';
import type { CwpClient } from './client.js';
import type { TencentCoverageConfig } from './config.js';
import { classifyTencentError } from './errors.js';
import { machineKey, toCoveredServer } from './machines-map.js';
import { tencentOptionalPart } from './optional-part.js';
import { MACHINE_PAGE_SIZE, MAX_MACHINE_PAGES, machineListings } from './plan.js';
import type { TencentSnapshot } from './types.js';

const ACTION = 'DescribeMachines';

interface CoverageRead {
  /** Absent when coverage is off (configured off, or refused) or has never been read. */
  coverage?: ServerCoverage;
  warnings: AnswerWarning[];
  /** The failed call, when the machines could not be listed (not for lack of permission: that turns coverage off). */
  error?: ApiError;
}

type Listing = Pick<DescribeMachinesRequest, 'MachineType' | 'MachineRegion'>;

/** Pages a read may still make, all listings together, and what the limit left out. */
interface PageBudget {
  pages: number;
  leftOut: number;
  exhausted: boolean;
}

interface ListedMachines {
  listing: Listing;
  machines: Machine[];
}

export class TencentCoverageReader {
  readonly #feature = tencentOptionalPart(ACTION, 'server coverage (which servers have a working CWP agent)');

  constructor(
    private readonly config: TencentCoverageConfig,
    private readonly client: CwpClient,
  ) {}

  /** Coverage refused for lack of permission, for the snapshot. */
  get off(): FeatureOff[] {
    return this.#feature.off;
  }

  /**
   * The coverage for this refresh: carried over while younger than the interval, read when due.
   * Timed by the collector's clock, as the retry of a refused part is. Never throws.
   */
  async read(context: FetchContext<TencentSnapshot>): Promise<CoverageRead> {
    if (!this.config.enabled || !this.#feature.wanted(context.now())) return { warnings: [] };
    const previous = this.#feature.off.length === 0 ? context.previous?.coverage : undefined;
    const fetchedAt = context.now();
    if (previous !== undefined && fetchedAt - previous.fetchedAt < this.config.intervalSeconds * 1000)
      return { coverage: previous, warnings: [] };
    try {
      const warnings = new AnswerWarnings();
      const listed = await this.#listAll(context, warnings);
      this.#feature.allowed();
      return { coverage: { fetchedAt, servers: this.#servers(listed, previous, fetchedAt, warnings) }, warnings: warnings.list() };
    } catch (error) {
      const apiError = classifyTencentError(ACTION, error, false);
      if (this.#feature.refused(apiError, context.now())) return { warnings: [] };
      const kept = previous !== undefined && previous.fetchedAt >= context.staleBefore ? { coverage: previous } : {};
      return { ...kept, warnings: [], error: apiError };
    }
  }

  /** Every listing, all at once (the invoker spaces one action's calls); the first failure fails the read once all have ended. */
  async #listAll(context: FetchContext<TencentSnapshot>, warnings: AnswerWarnings): Promise<ListedMachines[]> {
    const budget: PageBudget = { pages: MAX_MACHINE_PAGES, leftOut: 0, exhausted: false };
    const settled = await Promise.allSettled(machineListings(this.config).map((listing) => this.#list(listing, context, budget)));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    if (budget.exhausted) {
      warnings.answer(ACTION)(
        'machines beyond the page cap',
        `${ACTION}: more than ${MAX_MACHINE_PAGES} pages of machines; the machines after the first ${MAX_MACHINE_PAGES * MACHINE_PAGE_SIZE} left out (${budget.leftOut} counted)`,
        budget.leftOut > 0 ? { reason: 'servers', count: budget.leftOut } : undefined,
      );
    }
    return (settled as Array<PromiseFulfilledResult<ListedMachines>>).map((result) => result.value);
  }

  /** One machine type in one region, MACHINE_PAGE_SIZE at a time, within the read's page budget. */
  async #list(listing: Listing, context: FetchContext<TencentSnapshot>, budget: PageBudget): Promise<ListedMachines> {
    const machines: Machine[] = [];
    let total: number | null = null;
    for (let offset = 0; ; offset += MACHINE_PAGE_SIZE) {
      if (budget.pages <= 0) {
        budget.exhausted = true;
        budget.leftOut += total === null ? 0 : Math.max(0, total - offset);
        break;
      }
      budget.pages--;
      const page = await context.invoke('DescribeMachines', (signal, trace) =>
        this.client.describeMachines({ ...listing, Limit: MACHINE_PAGE_SIZE, Offset: offset }, signal, trace),
      );
      machines.push(...page.Machines);
      total = page.TotalCount;
      if (page.Machines.length < MACHINE_PAGE_SIZE || (total !== null && offset + MACHINE_PAGE_SIZE >= total)) break;
    }
    return { listing, machines };
  }

  /** The listed machines as covered servers, each once (by its key), in the order listed; odd values warned of. */
  #servers(
    listed: readonly ListedMachines[],
    previous: ServerCoverage | undefined,
    now: number,
    warnings: AnswerWarnings,
  ): CoveredServer[] {
    const odd = warnings.answer(ACTION);
    const warn: Warn = (kind, text, dropped) => odd(kind, `${ACTION}: ${text}`, dropped);
    const before = new Map((previous?.servers ?? []).map((server) => [server.uuid, server]));
    const found = new Map<string, CoveredServer>();
    const oddValues: string[] = [];
    let unnamed = 0;
    for (const { listing, machines } of listed) {
      for (const machine of machines) {
        const key = machineKey(machine);
        if (key === '') {
          unnamed++;
          continue;
        }
        const server = toCoveredServer(machine, listing.MachineRegion, before.get(key), now, warn, (field, value) =>
          oddValues.push(`${field} ${JSON.stringify(value.slice(0, 40))} on machine ${key.slice(0, 64)}`),
        );
        if (!found.has(server.uuid)) found.set(server.uuid, server);
      }
    }
    if (unnamed > 0)
      warn('machines without Uuid, Quuid or InstanceId', `${unnamed} machine(s) without Uuid, Quuid or InstanceId; left out`);
    if (oddValues.length > 0) {
      warn(
        'undocumented machine status values',
        `${oddValues.length} status value(s) the API documents no meaning for (${oddValues.slice(0, 3).join(', ')}${oddValues.length > 3 ? ', ...' : ''}); their machines reported by the other fields, else as coverage "unknown"`,
      );
    }
    return [...found.values()];
  }
}
