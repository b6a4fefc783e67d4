// One Alibaba Cloud account: which servers to ask about, and one snapshot of all of them.
import type { AlibabaAccountConfig } from './config.js';
import type { AnswerWarning, ApiError, FetchContext, Source } from '../../contract/types.js';
import { AnswerWarnings } from '../kit/answer-warnings.js';
import { SIGNAL_FALLBACKS, type AlibabaSnapshot, type SasAgent, type ServerRead, type ServerReads } from './types.js';
import { VulCheckTaskList, type SignalRead } from './change-signal.js';
import { planReads } from './read-plan.js';
import { SasClient } from './client.js';
import { classifyAlibabaError } from './errors.js';
import { discoverAgents } from './discovery.js';
import { toServerStatus, type SasServer } from './map.js';
import { AlibabaRole } from './role.js';

/** Per-server calls in flight or waiting for the limiter at once, per refresh. */
const SERVER_WORKERS = 32;
/** A long refresh shows its progress at most this often (each publish re-renders the account). */
const PUBLISH_INTERVAL_MS = 1000;

export class AlibabaSource implements Source<AlibabaSnapshot> {
  readonly provider = 'alibaba' as const;
  readonly account: string;
  /** The assumed role whose keys the calls are signed with, when the account has one. */
  readonly role: AlibabaRole | undefined;
  private readonly client: SasClient;
  /** The change signal: the account's vulnerability checks. */
  readonly #tasks: VulCheckTaskList;

  constructor(
    private readonly config: AlibabaAccountConfig,
    client?: SasClient,
    private readonly now: () => number = Date.now,
  ) {
    this.account = config.name;
    const role = config.credentials.role;
    this.role = role === undefined ? undefined : new AlibabaRole(config, role);
    const signWith = this.role && { signer: this.role.signer, secrets: () => this.role?.secrets() ?? [] };
    this.client = client ?? new SasClient({ ...config, signWith });
    this.#tasks = new VulCheckTaskList(this.client, config.resourceDirectoryAccountId !== undefined);
  }

  /**
   * Servers from the config or from discovery (which also tells each server's agent state, at no
   * extra call), and at once the account's vulnerability checks (change-signal.ts); then one
   * DescribeVulCheckTaskStatusDetail per server whose status can have changed (read-plan.ts), all
   * started at once (the collector behind `invoke` bounds concurrency and rate, so a large fleet is
   * spread over time). The others are served from their last answer, with its time. Progress is
   * published as servers answer: a rolling refresh, in which each server's data is served as soon as
   * it is fetched. A server whose call fails keeps its previous status (unless older than max_stale)
   * and the error is reported; when every server read fails, or discovery fails, the refresh fails.
   * Servers no longer discovered are dropped at once. Without the task list every server is read.
   */
  async fetch(refresh: FetchContext<AlibabaSnapshot>): Promise<AlibabaSnapshot> {
    const context = this.role ? this.role.session.guard(refresh) : refresh;
    const warnings = new AnswerWarnings();
    const errors: ApiError[] = [];
    const previous = context.previous;
    // The list is read before any server: an answer read after it is at least as new as what it shows.
    const [{ servers, agents }, signal] = await Promise.all([
      this.#servers(context, warnings),
      this.#tasks.read(context, previous?.taskList, this.now(), warnings),
    ]);
    const plan = planReads(servers, previous?.servers ?? [], signal, {
      now: this.now(),
      staleBefore: context.staleBefore,
      fullReadIntervalMs: this.config.fullReadIntervalSeconds * 1000,
    });
    if (signal.kind === 'failed') warnings.addAll([fallbackWarning(signal.error)]);
    const reads = countReads(previous?.reads, plan.counts, signal);
    const statuses = plan.last;
    const featuresOff = this.#tasks.off;
    const snapshot = (): AlibabaSnapshot => ({
      provider: 'alibaba',
      account: this.account,
      takenAt: this.now(),
      servers: servers.flatMap((s) => statuses.get(s.uuid) ?? []),
      ...(agents === undefined ? {} : { agents }),
      ...(signal.kind === 'read' ? { taskList: signal.state } : {}),
      reads,
      errors: [...errors],
      warnings: warnings.list(),
      ...(featuresOff.length > 0 ? { featuresOff } : {}),
    });

    const toRead = plan.read;
    let lastPublished = this.now();
    let failed = 0;
    let done = 0;
    context.progress?.(0, toRead.length);
    const fetchOne = async (server: SasServer) => {
      try {
        const result = await this.#serverStatus(server, context);
        statuses.set(server.uuid, result.status);
        warnings.addAll(result.warnings);
      } catch (error) {
        failed++;
        errors.push(classifyAlibabaError('DescribeVulCheckTaskStatusDetail', error, false));
      } finally {
        context.progress?.(++done, toRead.length);
        if (this.now() - lastPublished >= PUBLISH_INTERVAL_MS) {
          lastPublished = this.now();
          context.publish(snapshot());
        }
      }
    };
    // A few workers pulling from the list keep the collector's limiter busy without holding a
    // pending call for every server of a 10,000-server fleet at once.
    let next = 0;
    const worker = async () => {
      while (next < toRead.length) await fetchOne(toRead[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(SERVER_WORKERS, toRead.length) }, worker));
    if (toRead.length > 0 && failed === toRead.length) throw errors[0]!;
    return snapshot();
  }

  async #serverStatus(server: SasServer, context: FetchContext<AlibabaSnapshot>) {
    const { taskIds, types, resourceDirectoryAccountId } = this.config;
    const response = await context.invoke('DescribeVulCheckTaskStatusDetail', (signal, trace) =>
      this.client.describeVulCheckTaskStatusDetail(
        {
          Uuid: server.uuid,
          Types: [...types],
          ...(taskIds.length > 0 ? { TaskIds: [...taskIds] } : {}),
          ...(resourceDirectoryAccountId ? { ResourceDirectoryAccountId: resourceDirectoryAccountId } : {}),
        },
        signal,
        trace,
      ),
    );
    return toServerStatus(response, server, this.now());
  }

  /** The servers to ask about: from the config, or discovered with their agents (see discovery.ts). */
  async #servers(
    context: FetchContext<AlibabaSnapshot>,
    warnings: AnswerWarnings,
  ): Promise<{ servers: SasServer[]; agents: SasAgent[] | undefined }> {
    if (this.config.servers !== 'auto') {
      return { servers: [...new Set(this.config.servers)].map((uuid) => ({ uuid, instanceName: '' })), agents: undefined };
    }
    const { resourceDirectoryAccountId } = this.config;
    const agents = await discoverAgents(
      (paging) =>
        context.invoke('DescribeCloudCenterInstances', (signal, trace) =>
          this.client.describeCloudCenterInstances(
            {
              ...paging,
              MachineTypes: 'ecs',
              ...(resourceDirectoryAccountId ? { ResourceDirectoryAccountId: resourceDirectoryAccountId } : {}),
            },
            signal,
            trace,
          ),
        ),
      context.previous?.agents,
      warnings,
      this.now(),
    );
    return { servers: agents.map(({ uuid, instanceName }) => ({ uuid, instanceName })), agents };
  }
}

/** The counts of this refresh, and the counters carried on from the last snapshot's. */
function countReads(previous: ServerReads | undefined, last: Record<ServerRead, number>, signal: SignalRead): ServerReads {
  const fallbacksTotal = {
    ...(previous?.fallbacksTotal ?? Object.fromEntries(SIGNAL_FALLBACKS.map((reason) => [reason, 0]))),
  } as ServerReads['fallbacksTotal'];
  if (signal.kind === 'failed' || signal.kind === 'refused') fallbacksTotal[signal.kind]++;
  return { last, savedTotal: (previous?.savedTotal ?? 0) + last.kept, fallbacksTotal };
}

/** What the log says of a refresh whose task list failed: once per refresh, not counted as an odd answer. */
function fallbackWarning(error: ApiError): AnswerWarning {
  return {
    action: error.action,
    kind: 'task list unavailable',
    message:
      `${error.action} failed (${error.code}${error.requestId === undefined ? '' : `, request id ${error.requestId}`}): without the list of vulnerability checks ` +
      'every server is read this refresh (cloudscan_sas_change_signal_fallbacks_total counts it)',
    count: 1,
    answers: 0,
  };
}
