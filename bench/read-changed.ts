// Read only what changed (issue 25): what an Alibaba refresh costs in calls when no vulnerability
// check runs, while one runs on 2,000 of 10,000 servers, and after it; and whether every server's
// change is served within two refreshes, checked series by series against the emulator's truth.
// The real CLI process against the emulator (in this process, its accounts checking in checks:
// subtasks move only while a check the task list shows runs). The same for a resource directory's
// members, read through ResourceDirectoryAccountId and through a role in each, with the calls of
// each signing principal against its rate_limit.
//
// How a refresh is told apart: cache.ttl is 1 s, and each /metrics scrape is made once the calls of
// the refresh the last one started have stopped (QUIET_MS without a call), so every scrape serves a
// finished refresh and starts the next. A refresh's calls are an account's calls from one
// first discovery page (DescribeCloudCenterInstances without NextToken) to the next.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import type { CallRecord } from '../src/emulator/kit/calls.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { scrape } from './cli.js';
import { get } from './latency.js';

const STATES = ['unhandled', 'collecting', 'collected', 'matching', 'complete'];
/** A refresh is over once no call has come for this long (calls come every fraction of a millisecond while one runs). */
const QUIET_MS = 1000;
const PAGE = 100;
const ROLE = 'CloudscanReadOnly';
const KEYS = { accessKeyId: 'LTAI5tBenchReadChanged1', accessKeySecret: 'bench-only-read-changed-secret-001' };
const MANAGEMENT = { accessKeyId: 'LTAI5tBenchReadChgMgmt1', accessKeySecret: 'bench-only-read-changed-mgmt-secret' };
const memberId = (i: number) => String(1800000000000000 + i);
const memberKeys = (i: number) => ({
  accessKeyId: `LTAI5tBenchReadChgM${String(i).padStart(4, '0')}`,
  accessKeySecret: `bench-only-read-changed-member-${i}`,
});

export type ReadChangedScenario =
  | { kind: 'account'; servers: number; checked: number }
  | {
      kind: 'members';
      members: number;
      serversPerMember: number;
      checkedMembers: number;
      access: 'resource_directory_account_id' | 'assume_role';
    };

/** What one phase's refreshes cost, averaged over the accounts and refreshes measured. */
export interface PhaseCalls {
  refreshes: number;
  /** Calls per refresh of one account, every action but the organization's (listing, AssumeRole). */
  perRefresh: number;
  /** Of which DescribeVulCheckTaskStatusDetail. */
  statusPerRefresh: number;
  /** Of which DescribeOnceTask. */
  taskListPerRefresh: number;
}

export interface TaskRefresh {
  /** Servers read in this refresh (DescribeVulCheckTaskStatusDetail). */
  statusCalls: number;
  /** The check when the refresh started: "running 40%", "done". */
  check: string;
}

export interface ReadChangedResult {
  servers: number;
  accounts: number;
  /** Discovery pages per refresh of one account, and 1% of its servers: the issue's bound is pages + task-list pages + 1%. */
  discoveryPages: number;
  onePercent: number;
  /** Refreshes started before the check, while it ran, the first after its end, and those after that. */
  phases: Array<[string, PhaseCalls]>;
  /** One checked account's refreshes from the check's start, in order. */
  sequenceOf: string;
  sequence: TaskRefresh[];
  /** Servers whose state the check changed; series (subtask states) compared with the emulator, and those found off. */
  changedServers: number;
  compared: number;
  late: number;
  wrong: number;
  /** The first few that were off, in words. */
  examples: string[];
  /** Per signing principal: calls per refresh round and the busiest second, against the rate_limit. */
  principals: Array<{ who: string; callsPerRound: number; peakPerSecond: number; rateLimit: number }>;
}

interface Watched {
  /** The account label the exporter serves. */
  label: string;
  /** The emulated account. */
  emulated: string;
}

const RATE_LIMIT = 5000;

export async function readChanged(scenario: ReadChangedScenario): Promise<ReadChangedResult> {
  const emulator = await startEmulator();
  const watched: Watched[] = [];
  let perAccountServers: number;
  const checkedUuids: string[] = [];
  if (scenario.kind === 'account') {
    perAccountServers = scenario.servers;
    emulator.alibaba.addAccount({ name: 'fleet', ...KEYS, fleetSize: scenario.servers, checks: 'tasks' });
    watched.push({ label: 'fleet', emulated: 'fleet' });
  } else {
    perAccountServers = scenario.serversPerMember;
    emulator.alibaba.addAccount({ name: 'management', ...MANAGEMENT, fleetSize: 1 });
    const members = [];
    for (let i = 1; i <= scenario.members; i++) {
      emulator.alibaba.addAccount({ name: `member-${i}`, ...memberKeys(i), fleetSize: scenario.serversPerMember, checks: 'tasks' });
      members.push({ accountId: memberId(i), displayName: `shop-${i}`, roles: [ROLE], account: `member-${i}` });
      watched.push({ label: memberId(i), emulated: `member-${i}` });
    }
    emulator.alibaba.directories.set('management', members);
  }

  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-read-changed-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, configText(emulator, scenario));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const exporter = start(
    process.execPath,
    [...mainNodeFlags, distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    {
      env: {
        ...process.env,
        BENCH_ID: KEYS.accessKeyId,
        BENCH_SECRET: KEYS.accessKeySecret,
        RD_ID: MANAGEMENT.accessKeyId,
        RD_SECRET: MANAGEMENT.accessKeySecret,
      },
    },
  );
  const truth = new Truth(emulator, watched);
  try {
    await waitFor('the exporter to listen', async () => ((await get(`${url}/-/ready`)).status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      describe: exporter.output,
    });
    await waitFor(
      'every account refreshed once',
      async () => {
        const body = (await scrape(`${url}/metrics`, { timeoutSeconds: 120, keepBody: true })).body!.toString('utf8');
        return [...body.matchAll(/^cloudscan_last_success_timestamp_seconds\{/gm)].length === watched.length ? true : undefined;
      },
      { timeoutMs: 600_000, intervalMs: 500, describe: exporter.output },
    );
    await quiet(emulator);

    /** One scrape (checked against the truth; it starts the next refresh) and that refresh, to its end. */
    const round = async (): Promise<void> => {
      const body = (await scrape(`${url}/metrics`, { timeoutSeconds: 120, keepBody: true })).body!.toString('utf8');
      truth.check(body);
      await quiet(emulator);
    };
    const roundsUntil = async (done: () => boolean): Promise<void> => {
      while (!done()) await round();
    };

    // The first refresh read every server; one more settles the task list's baseline.
    await round();
    const idleFrom = Date.now();
    await roundsUntil(() => refreshesSince(emulator, idleFrom, watched) >= 4);
    const checkAt = Date.now();
    const checkedAccounts = scenario.kind === 'account' ? ['fleet'] : watched.slice(0, scenario.checkedMembers).map((w) => w.emulated);
    for (const account of checkedAccounts) {
      const uuids = emulator.alibaba.servers(account).map((s) => s.uuid);
      const covered = scenario.kind === 'account' ? uuids.slice(0, scenario.checked) : uuids;
      checkedUuids.push(...covered.map((uuid) => `${account} ${uuid}`));
      emulator.alibaba.startVulCheck(account, { uuids: covered, durationSeconds: CHECK_SECONDS });
    }
    const checkEnd = checkAt + CHECK_SECONDS * 1000;
    await roundsUntil(() => Date.now() > checkEnd);
    await roundsUntil(() => refreshesSince(emulator, checkEnd, watched) >= 5);

    const refreshes = segmented(emulator.calls.list({ provider: 'alibaba' }));
    const within = (from: number, to: number) => refreshes.filter((r) => r.startedAt >= from && r.startedAt < to);
    const afterEnd = refreshes.filter((r) => r.startedAt >= checkEnd);
    const firstAfter = new Set(watched.map((w) => afterEnd.find((r) => r.account === w.emulated)).filter((r) => r !== undefined));
    const sequenceOf = checkedAccounts[0]!;
    const changed = checkedUuids.filter((key) => {
      const [account, uuid] = key.split(' ');
      return truth.vector(account!, uuid!, checkAt - 1) !== truth.vector(account!, uuid!, Date.now());
    }).length;
    return {
      servers: perAccountServers * watched.length,
      accounts: watched.length,
      discoveryPages: Math.max(1, Math.ceil(perAccountServers / PAGE)),
      onePercent: perAccountServers / 100,
      phases: [
        ['no check', phaseCalls(within(idleFrom, checkAt), watched.length)],
        ['a check runs', phaseCalls(within(checkAt, checkEnd), watched.length)],
        ['the refresh after it ends', phaseCalls([...firstAfter], watched.length)],
        [
          'after that',
          phaseCalls(
            afterEnd.filter((r) => !firstAfter.has(r)),
            watched.length,
          ),
        ],
      ],
      sequenceOf: watched.find((w) => w.emulated === sequenceOf)!.label,
      sequence: refreshes
        .filter((r) => r.account === sequenceOf && r.startedAt >= checkAt)
        .map((r) => ({
          statusCalls: r.status,
          check: r.startedAt < checkEnd ? `running ${Math.floor(((r.startedAt - checkAt) / (checkEnd - checkAt)) * 100)}%` : 'done',
        })),
      changedServers: changed,
      compared: truth.compared,
      late: truth.late,
      wrong: truth.wrong,
      examples: truth.examples,
      principals: principals(emulator, scenario),
    };
  } finally {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How long the check runs: several refreshes of 10,000 servers on this machine. */
const CHECK_SECONDS = 40;

function configText(emulator: Emulator, scenario: ReadChangedScenario): string {
  const common = ['cache: { ttl: 1s, max_stale: 1h }', 'scrape: { timeout: 120s }'];
  const options = `region: cn-shanghai, endpoint: "${emulator.url}", rate_limit: ${RATE_LIMIT}, request_timeout: 30s`;
  if (scenario.kind === 'account') {
    return [
      ...common,
      'alibaba:',
      '  - name: fleet',
      '    credentials: { access_key_id: "${BENCH_ID}", access_key_secret: "${BENCH_SECRET}" }',
      '    region: cn-shanghai',
      `    endpoint: ${emulator.url}`,
      `    rate_limit: ${RATE_LIMIT}`,
      '    request_timeout: 30s',
      '',
    ].join('\n');
  }
  return [
    ...common,
    'alibaba_resource_directories:',
    '  - name: bench-rd',
    '    credentials: { access_key_id: "${RD_ID}", access_key_secret: "${RD_SECRET}" }',
    `    endpoint: ${emulator.url}`,
    `    member_access: ${scenario.access}`,
    ...(scenario.access === 'assume_role' ? [`    member_role: ${ROLE}`] : []),
    '    refresh_interval: 1h',
    `    rate_limit: ${RATE_LIMIT}`,
    `    members: { ${options} }`,
    '',
  ].join('\n');
}

/** Waits for the calls of the running refreshes to start and stop. */
async function quiet(emulator: Emulator): Promise<void> {
  let last = emulator.calls.count();
  let lastChange = Date.now();
  while (Date.now() - lastChange < QUIET_MS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = emulator.calls.count();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
  }
}

/** One refresh of one account: when it started (its first discovery page) and the calls it made. */
interface Refresh {
  account: string;
  startedAt: number;
  calls: number;
  status: number;
  taskList: number;
}

const ORGANIZATION_ACTIONS = new Set(['ListAccounts', 'DescribeMonitorAccounts', 'AssumeRole']);

/** Whether a call starts a refresh: the first page of discovery (a refresh makes exactly one). */
function startsRefresh(record: CallRecord): boolean {
  return (
    record.action === 'DescribeCloudCenterInstances' &&
    record.params?.['NextToken'] === undefined &&
    (record.params?.['CurrentPage'] ?? '1') === '1'
  );
}

/**
 * Each account's calls split into its refreshes: a call belongs to the last refresh started before it,
 * but the task list's first page, asked at the same moment as discovery, to the refresh that started nearest.
 */
function segmented(records: readonly CallRecord[]): Refresh[] {
  const byAccount = new Map<string, CallRecord[]>();
  for (const record of records) {
    if (ORGANIZATION_ACTIONS.has(record.action)) continue;
    const list = byAccount.get(record.account) ?? [];
    list.push(record);
    byAccount.set(record.account, list);
  }
  const refreshes: Refresh[] = [];
  for (const [account, list] of byAccount) {
    const own = list.filter(startsRefresh).map((r): Refresh => ({ account, startedAt: r.at, calls: 0, status: 0, taskList: 0 }));
    for (const record of list) {
      const nearest = record.action === 'DescribeOnceTask' && (record.params?.['CurrentPage'] ?? '1') === '1';
      const refresh = nearest
        ? own.reduce<Refresh | undefined>(
            (best, r) => (best === undefined || Math.abs(r.startedAt - record.at) < Math.abs(best.startedAt - record.at) ? r : best),
            undefined,
          )
        : own.filter((r) => r.startedAt <= record.at).at(-1);
      if (refresh === undefined) continue;
      refresh.calls++;
      if (record.action === 'DescribeVulCheckTaskStatusDetail') refresh.status++;
      if (record.action === 'DescribeOnceTask') refresh.taskList++;
    }
    refreshes.push(...own);
  }
  return refreshes.sort((a, b) => a.startedAt - b.startedAt);
}

/** Refreshes started since `at`, per watched account (the fewest any has). */
function refreshesSince(emulator: Emulator, at: number, watched: readonly Watched[]): number {
  const counts = new Map(watched.map((w) => [w.emulated, 0]));
  for (const record of emulator.calls.list({ provider: 'alibaba', action: 'DescribeCloudCenterInstances' })) {
    if (record.at >= at && startsRefresh(record) && counts.has(record.account)) counts.set(record.account, counts.get(record.account)! + 1);
  }
  return Math.min(...counts.values());
}

/** What refreshes cost, per refresh of one account. */
function phaseCalls(refreshes: readonly Refresh[], accounts: number): PhaseCalls {
  const per = (pick: (r: Refresh) => number) => refreshes.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, refreshes.length);
  return {
    refreshes: refreshes.length / accounts,
    perRefresh: per((r) => r.calls),
    statusPerRefresh: per((r) => r.status),
    taskListPerRefresh: per((r) => r.taskList),
  };
}

/** Each signing principal's calls per refresh round (the whole run's calls over its rounds) and its busiest second. */
function principals(emulator: Emulator, scenario: ReadChangedScenario): ReadChangedResult['principals'] {
  const records = emulator.calls.list({ provider: 'alibaba' });
  const rounds =
    records.filter((r) => r.action === 'DescribeCloudCenterInstances' && r.params?.['NextToken'] === undefined).length /
    (scenario.kind === 'account' ? 1 : scenario.members);
  const byPrincipal = new Map<string, CallRecord[]>();
  for (const record of records) {
    const list = byPrincipal.get(record.principal) ?? [];
    list.push(record);
    byPrincipal.set(record.principal, list);
  }
  const management = scenario.kind === 'account' ? KEYS.accessKeyId : MANAGEMENT.accessKeyId;
  const rows: ReadChangedResult['principals'] = [];
  const peak = (principal: string) =>
    Math.max(0, ...emulator.calls.peaksByPrincipal({ provider: 'alibaba', principal }).map((p) => p.peakPerSecond));
  rows.push({
    who: scenario.kind === 'account' ? "the account's key" : 'the management key',
    callsPerRound: (byPrincipal.get(management)?.length ?? 0) / rounds,
    peakPerSecond: peak(management),
    rateLimit: RATE_LIMIT,
  });
  const others = [...byPrincipal.keys()].filter((p) => p !== management);
  if (others.length > 0) {
    // Each member's role keys (renewed keys are another principal of the same member): the busiest member.
    const busiest = others.map((p) => ({ p, calls: byPrincipal.get(p)!.length })).sort((a, b) => b.calls - a.calls)[0]!;
    rows.push({
      who: `the busiest of ${others.length} member role keys`,
      callsPerRound: busiest.calls / rounds,
      peakPerSecond: peak(busiest.p),
      rateLimit: RATE_LIMIT,
    });
  }
  return rows;
}

/**
 * The emulator's truth, checked against what a scrape serves, server by server: the state (and code)
 * of every subtask must be what the emulator answered at one of the server's reads that the last
 * finished refresh could serve (its read in that refresh, or a later one), and, when that read is
 * older than the start of the refresh before, the server must not have changed since it: every
 * change is served within two refreshes of it.
 */
class Truth {
  compared = 0;
  late = 0;
  wrong = 0;
  readonly examples: string[] = [];
  readonly #byLabel: Map<string, string>;

  constructor(
    private readonly emulator: Emulator,
    watched: readonly Watched[],
  ) {
    this.#byLabel = new Map(watched.map((w) => [w.label, w.emulated]));
  }

  /** "task/type=state:code" of every subtask of a server at `at`, sorted. */
  vector(account: string, uuid: string, at: number): string {
    return this.emulator.alibaba
      .vulCheckAnswer(account, uuid, undefined, undefined, at)
      .TaskStatuses.flatMap((task) => task.TaskStatusList.map((s) => `${task.TaskId}/${s.Type}=${STATES[Number(s.Status)]}:${s.Code}`))
      .sort()
      .join(' ');
  }

  check(body: string): void {
    const served = servedVectors(body);
    const finished = new Map(
      [...body.matchAll(/^cloudscan_last_success_timestamp_seconds\{provider="alibaba",account="([^"]+)"\} (\S+)$/gm)].map((m) => [
        m[1]!,
        Number(m[2]) * 1000,
      ]),
    );
    // One pass over the call log: each account's refresh starts, and each server's reads.
    const starts = new Map<string, number[]>();
    const reads = new Map<string, number[]>();
    const push = (map: Map<string, number[]>, key: string, at: number) => {
      const list = map.get(key) ?? [];
      list.push(at);
      map.set(key, list);
    };
    for (const r of this.emulator.calls.list({ provider: 'alibaba' })) {
      if (r.action === 'DescribeCloudCenterInstances' && r.params?.['NextToken'] === undefined) push(starts, r.account, r.at);
      if (r.action === 'DescribeVulCheckTaskStatusDetail') push(reads, `${r.account} ${r.params?.['Uuid'] ?? ''}`, r.at);
    }
    for (const [label, emulated] of this.#byLabel) {
      const finishedAt = finished.get(label);
      if (finishedAt === undefined) continue;
      // The start of the refresh before the one served: changes older than that must be served.
      const previousStart = (starts.get(emulated) ?? []).filter((at) => at <= finishedAt).at(-2) ?? -Infinity;
      const servedHere = served.get(label) ?? new Map<string, string>();
      for (const server of this.emulator.alibaba.servers(emulated)) {
        const times = reads.get(`${emulated} ${server.uuid}`) ?? [];
        const servable = times.filter((at) => at >= (times.filter((t) => t <= finishedAt).at(-1) ?? -Infinity));
        if (servable.length === 0) continue;
        this.compared++;
        const shown = servedHere.get(server.uuid) ?? '';
        const answered = servable.find((at) => this.vector(emulated, server.uuid, at) === shown);
        if (answered === undefined) {
          this.wrong++;
          this.#example(`${label} ${server.uuid}: served "${shown}", answered "${this.vector(emulated, server.uuid, servable[0]!)}"`);
        } else if (answered < previousStart && this.vector(emulated, server.uuid, previousStart) !== shown) {
          this.late++;
          this.#example(
            `${label} ${server.uuid}: served its answer of ${new Date(answered).toISOString()}, changed before the refresh of ${new Date(previousStart).toISOString()}`,
          );
        }
      }
    }
  }

  #example(text: string): void {
    if (this.examples.length < 5) this.examples.push(text);
  }
}

/** account -> uuid -> "task/type=state:code ..." of every subtask a /metrics answer serves. */
function servedVectors(body: string): Map<string, Map<string, string>> {
  const codes = new Map<string, string>();
  for (const m of body.matchAll(
    /^cloudscan_sas_vul_check_subtask_failed\{account="([^"]*)",uuid="([^"]*)",instance="[^"]*",task_id="([^"]*)",type="([^"]*)",code="([^"]*)"\} 1$/gm,
  )) {
    codes.set(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`, m[5]!);
  }
  const parts = new Map<string, Map<string, string[]>>();
  for (const m of body.matchAll(
    /^cloudscan_sas_vul_check_subtask_state\{account="([^"]*)",uuid="([^"]*)",instance="[^"]*",task_id="([^"]*)",type="([^"]*)",state="([^"]*)"\} 1$/gm,
  )) {
    const [, account, uuid, task, type, state] = m as unknown as [string, string, string, string, string, string];
    const byUuid = parts.get(account) ?? new Map<string, string[]>();
    parts.set(account, byUuid);
    byUuid.set(uuid, [...(byUuid.get(uuid) ?? []), `${task}/${type}=${state}:${codes.get(`${account} ${uuid} ${task} ${type}`) ?? ''}`]);
  }
  return new Map(
    [...parts].map(([account, byUuid]) => [account, new Map([...byUuid].map(([uuid, items]) => [uuid, items.sort().join(' ')]))]),
  );
}
