// The simulated Security Center accounts: servers, vulnerability-check tasks and their subtasks.
// Everything is a deterministic function of the clock and of hashes of names (no timers, no
// randomness), so tests can compute what any answer must be.
import { accountNumberFor, type EmulatedRole } from '../kit/sts.js';
import { hash32, hex, subtaskAt, type ClientStatus, type SimulatedSubtask } from './subtasks.js';
import { VulChecks, subtaskInCheck, type VulCheck, type VulCheckMode, type VulCheckSchedule } from './vul-checks.js';

export interface EmulatedServer {
  uuid: string;
  instanceName: string;
  instanceId?: string;
  ip?: string;
  os?: string;
  regionId?: string;
  /** The Security Center agent (ClientStatus): online (default), offline, pause. */
  clientStatus?: ClientStatus;
  /**
   * ClientSubStatus, which tells more than ClientStatus: an offline agent may be offline, not
   * installed (uninstalled), or on a server that is shut down (stopped). Default: as ClientStatus.
   */
  clientSubStatus?: ClientSubStatus;
}

/** The SDK model's values of ClientSubStatus. */
export type ClientSubStatus = ClientStatus | 'uninstalled' | 'stopped';
/** Why generated agents are offline, in turn: ClientSubStatus of the n-th offline one. */
const OFFLINE_SUB_STATUSES: readonly ClientSubStatus[] = ['offline', 'uninstalled', 'stopped'];

export interface AlibabaEmulatorAccount {
  /** The emulated account's name, as recorded in the call log and matched by fault rules. */
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The servers; when absent, `fleetSize` servers are generated (default 3). */
  servers?: EmulatedServer[];
  fleetSize?: number;
  /** Vulnerability-check tasks on every server. Default 2. */
  tasksPerServer?: number;
  /** Subtask types of every task. Default cve, sys, cms, sca. */
  types?: string[];
  /** Time for a subtask to go through the five states once. Default 600 s. */
  cycleSeconds?: number;
  /** Share of subtask runs that end with a failure Code. Default 0.25. */
  failureRate?: number;
  /** Generated servers whose agent is offline, and paused (ClientStatus pause); spread over the fleet. Default 0. */
  offlineAgents?: number;
  pausedAgents?: number;
  /** The account's id (its ARNs' acs:ram::<id>); derived from the name when absent. */
  accountId?: string;
  /** RAM roles in this account that other accounts' keys may assume (their trust policies). */
  roles?: EmulatedRole[];
  /** The key is the account's root AccessKey (not a RAM user's): STS refuses it AssumeRole. Default false. */
  rootKey?: boolean;
  /** Actions the RAM policy of the key (a role's, for its temporary keys) does not allow: NoPermission. */
  deniedActions?: string[];
  /**
   * How the servers' subtasks move (vul-checks.ts): `continuous` (default), each on a cycle of its
   * own, under one check that never ends; or `tasks`, only while a check that covers the server runs.
   */
  checks?: VulCheckMode;
  /** With checks `tasks`: the scheduled checks (none when absent: checks start from the console only). */
  schedule?: VulCheckSchedule;
}

const DEFAULT_TYPES = ['cve', 'sys', 'cms', 'sca'] as const;

/** A UUID-shaped id derived from a name. */
export function uuidFor(name: string): string {
  const h = hex(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Server i (0-based) of a generated fleet. */
export function generatedServer(account: string, index: number): EmulatedServer {
  const n = index + 1;
  return {
    uuid: uuidFor(`${account}/server/${index}`),
    instanceName: `${account}-host-${String(n).padStart(4, '0')}`,
    instanceId: `i-${hex(`${account}/instance/${index}`, 20)}`,
    ip: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
    os: index % 5 === 4 ? 'windows' : 'linux',
    regionId: 'cn-hangzhou',
    clientStatus: 'online',
  };
}

/**
 * n generated servers, `offline` of them with their agent offline (in turn offline, not installed,
 * server stopped, as ClientSubStatus tells) and `paused` paused, picked by hash (the same every time).
 */
export function generatedFleet(account: string, size: number, offline = 0, paused = 0): EmulatedServer[] {
  const servers = Array.from({ length: size }, (_, i) => generatedServer(account, i));
  const byHash = servers.map((_, i) => i).sort((a, b) => hash32(`${account}/agent/${a}`) - hash32(`${account}/agent/${b}`));
  byHash.slice(0, offline).forEach((i, n) => {
    servers[i]!.clientStatus = 'offline';
    servers[i]!.clientSubStatus = OFFLINE_SUB_STATUSES[n % OFFLINE_SUB_STATUSES.length]!;
  });
  byHash.slice(offline, offline + paused).forEach((i) => (servers[i]!.clientStatus = 'pause'));
  return servers;
}

/** The account's task ids: 32 hex digits, as TaskIds are in requests. */
function taskIdsOf(account: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => hex(`${account}/task/${k}`, 32));
}

export interface VulCheckAnswer {
  TotalCount: number;
  TaskStatuses: Array<{ TaskId: string; TaskStatusList: SimulatedSubtask[] }>;
}

export class EmulatedAccount {
  readonly name: string;
  accessKeyId: string;
  accessKeySecret: string;
  #servers: EmulatedServer[] = [];
  /** When each server joined the account (Unix ms): a check covers those there when it starts. */
  readonly #joined = new Map<string, number>();
  /** Each server's agent changes, oldest first: a check goes by the agent its server had when it started. */
  readonly #agentChanges = new Map<string, Array<{ at: number; before: ClientStatus }>>();
  /** The vulnerability checks DescribeOnceTask lists. */
  readonly checks: VulChecks;
  readonly taskIds: string[];
  readonly types: string[];
  readonly cycleSeconds: number;
  readonly failureRate: number;
  /** Exact answers for DescribeVulCheckTaskStatusDetail, by server UUID. */
  readonly pinned = new Map<string, unknown>();
  accountId: string;
  roles: EmulatedRole[];
  readonly rootKey: boolean;
  deniedActions: string[];

  /** `now`: when the account is made (Unix ms, emulator clock), its servers with it. */
  constructor(options: AlibabaEmulatorAccount, now: number) {
    this.name = options.name;
    this.accessKeyId = options.accessKeyId;
    this.accessKeySecret = options.accessKeySecret;
    this.setServers(
      options.servers
        ? [...options.servers]
        : generatedFleet(options.name, options.fleetSize ?? 3, options.offlineAgents ?? 0, options.pausedAgents ?? 0),
      now,
    );
    this.taskIds = taskIdsOf(options.name, options.tasksPerServer ?? 2);
    this.types = [...(options.types ?? DEFAULT_TYPES)];
    this.cycleSeconds = options.cycleSeconds ?? 600;
    this.failureRate = options.failureRate ?? 0.25;
    this.accountId = options.accountId ?? accountNumberFor(`alibaba/${options.name}`, 16);
    this.roles = [...(options.roles ?? [])];
    this.rootKey = options.rootKey ?? false;
    this.deniedActions = [...(options.deniedActions ?? [])];
    const joinedAt = (uuid: string) => this.#joined.get(uuid);
    this.checks = new VulChecks(
      this.name,
      options.checks ?? 'continuous',
      now,
      this.cycleSeconds,
      joinedAt,
      this.#servers.map((s) => s.uuid),
      options.schedule,
    );
  }

  get servers(): readonly EmulatedServer[] {
    return this.#servers;
  }

  /** Replaces the servers (a server left out disappears); those new to the account join at `now`. */
  setServers(servers: EmulatedServer[], now: number): void {
    const before = new Map(this.#joined);
    this.#joined.clear();
    for (const server of servers) this.#joined.set(server.uuid, before.get(server.uuid) ?? now);
    this.#servers = servers;
  }

  /** Sets a server's agent at `now`. */
  setAgent(uuid: string, status: ClientStatus, subStatus: ClientSubStatus, now: number): void {
    const index = this.#servers.findIndex((s) => s.uuid === uuid);
    if (index < 0) throw new Error(`no server ${uuid} in emulated Alibaba account ${this.name}`);
    const server = this.#servers[index]!;
    const changes = this.#agentChanges.get(uuid) ?? [];
    changes.push({ at: now, before: server.clientStatus ?? 'online' });
    this.#agentChanges.set(uuid, changes);
    this.#servers[index] = { ...server, clientStatus: status, clientSubStatus: subStatus };
  }

  /** A server's agent as it was at `at`. */
  agentAt(server: EmulatedServer, at: number): ClientStatus {
    let agent = server.clientStatus ?? 'online';
    for (const change of [...(this.#agentChanges.get(server.uuid) ?? [])].reverse()) {
      if (change.at <= at) break;
      agent = change.before;
    }
    return agent;
  }

  /**
   * What DescribeVulCheckTaskStatusDetail answers (without RequestId) for these parameters at `now`.
   * A server whose agent is offline cannot be sent the check (Code push_command_failed, the API
   * document's example); one whose agent is paused does not start it (unhandled).
   */
  vulCheckAnswer(uuid: string, types: string[] | undefined, taskIds: string[] | undefined, now: number): VulCheckAnswer {
    const server = this.servers.find((s) => s.uuid === uuid);
    if (!server) return { TotalCount: 0, TaskStatuses: [] };
    const agent = server.clientStatus ?? 'online';
    const wantedTypes = types && types.length > 0 ? this.types.filter((t) => types.includes(t)) : this.types;
    if (this.checks.mode === 'tasks') {
      // The server's latest check, as it left the server (or as it is, while it runs).
      const check = this.checks.latestCovering(uuid, now, taskIds && taskIds.length > 0 ? taskIds : undefined);
      if (!check) return { TotalCount: 0, TaskStatuses: [] };
      return {
        TotalCount: wantedTypes.length,
        TaskStatuses: [{ TaskId: check.taskId, TaskStatusList: this.subtasksIn(check, server, now, wantedTypes) }],
      };
    }
    const tasks = taskIds && taskIds.length > 0 ? this.taskIds.filter((id) => taskIds.includes(id)) : this.taskIds;
    const subtask = (taskId: string, type: string): SimulatedSubtask => {
      if (agent === 'offline') return { Type: type, Status: '4', Code: 'push_command_failed' };
      if (agent === 'pause') return { Type: type, Status: '0', Code: '' };
      return subtaskAt(this.name, uuid, taskId, type, now, this.cycleSeconds, this.failureRate);
    };
    return {
      // The server's subtasks, as the current API reference counts them.
      TotalCount: tasks.length * wantedTypes.length,
      TaskStatuses: tasks.map((taskId) => ({ TaskId: taskId, TaskStatusList: wantedTypes.map((type) => subtask(taskId, type)) })),
    };
  }

  /** A server's subtasks of these types in a check of a `tasks` account, at `now`. */
  subtasksIn(check: VulCheck, server: EmulatedServer, now: number, types: readonly string[] = this.types): SimulatedSubtask[] {
    const agent = this.agentAt(server, check.startedAt);
    return types.map((type) => subtaskInCheck(check, server.uuid, type, now, agent, this.failureRate));
  }
}
