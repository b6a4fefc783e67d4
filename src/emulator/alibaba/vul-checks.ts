// The vulnerability checks of an emulated Security Center account: what DescribeOnceTask lists for
// TaskType VUL_CHECK_TASK, and how each check moves the subtasks of the servers it checks. An
// account checks in one of two ways:
// - continuous (the default): every subtask walks through its states on a cycle of its own
//   (fleet.ts subtaskAt), so some subtask changes at every moment; the list shows one scheduled
//   check, started when the account was made, that never ends, its progress the cycle's.
// - tasks: a server's subtasks change only while a check that covers it runs. A check starts on
//   the account's schedule (every server it has when the check starts) or from the console
//   (startVulCheck: now, on every server or on those named), runs for its duration and ends done,
//   failed or timed out; a check that fails or times out stops part way, and the subtasks it had
//   not finished stay as they were. A server that joins while a check runs is not in that check.
//   Between checks every subtask keeps the state its server's last check left. The account starts
//   with one finished check of all its servers.
// Everything is a function of the clock and of the checks started: no timers.
import { FAILURE_CODES, hash32, hex, type ClientStatus, type SimulatedSubtask } from './subtasks.js';

export type VulCheckSource = 'schedule' | 'console';
type VulCheckEnd = 'done' | 'failed' | 'timeout';
export type VulCheckMode = 'continuous' | 'tasks';

/** Scheduled checks of a `tasks` account: one every `everySeconds`, the first at `firstAt` (Unix ms; default when the account is made). */
export interface VulCheckSchedule {
  everySeconds: number;
  durationSeconds: number;
  firstAt?: number;
  endsAs?: VulCheckEnd;
}

/** A check started now (startVulCheck). */
export interface VulCheckStart {
  /** console (default): one-click detection; schedule: as the schedule would start one. */
  source?: VulCheckSource;
  /** The servers it checks; default every server the account has now. */
  uuids?: readonly string[];
  durationSeconds: number;
  endsAs?: VulCheckEnd;
  /** For a check that fails or times out: the share of its duration after which it stops. Default 0.5. */
  stopsAt?: number;
}

export interface VulCheck {
  taskId: string;
  source: VulCheckSource;
  startedAt: number;
  durationMs: number;
  endsAs: VulCheckEnd;
  /** The share of durationMs at which it ends: 1 when done. */
  stopsAt: number;
  /** Whether it checks this server. */
  covers(uuid: string): boolean;
}

/** TaskStatus of DescribeOnceTask: 1 started, 2 completed, 3 failed, 4 timed out; and its TaskStatusText. */
const STATUS: Record<VulCheckEnd | 'running', { code: number; text: string }> = {
  running: { code: 1, text: 'START' },
  done: { code: 2, text: 'SUCCESS' },
  failed: { code: 3, text: 'FAIL' },
  timeout: { code: 4, text: 'TIMEOUT' },
};

/** When a check ends (Unix ms). */
export function endOf(check: VulCheck): number {
  return check.startedAt + check.durationMs * check.stopsAt;
}

/** DescribeOnceTask's fields of a check at `now`: status, progress, start and end. */
export function checkStatus(
  check: VulCheck,
  now: number,
): { TaskStatus: number; TaskStatusText: string; Progress: string; TaskStartTime: number; TaskEndTime?: number } {
  const end = endOf(check);
  const running = now < end;
  const status = STATUS[running ? 'running' : check.endsAs];
  const elapsed = Math.min(now, end) - check.startedAt;
  // A continuous account's check never ends: its progress is how far the cycle has come.
  const share = check.stopsAt === Infinity ? (elapsed % check.durationMs) / check.durationMs : elapsed / check.durationMs;
  return {
    TaskStatus: status.code,
    TaskStatusText: status.text,
    Progress: `${Math.floor(Math.max(0, Math.min(1, share)) * 100)}%`,
    TaskStartTime: check.startedAt,
    ...(running ? {} : { TaskEndTime: end }),
  };
}

/** A server's subtask of one type in `check` at `now`, its agent as it was when the check started. */
export function subtaskInCheck(
  check: VulCheck,
  uuid: string,
  type: string,
  now: number,
  agent: ClientStatus,
  failureRate: number,
): SimulatedSubtask {
  // An offline agent cannot be sent the check; a paused one does not start it (as in continuous accounts).
  if (agent === 'offline') return { Type: type, Status: '4', Code: 'push_command_failed' };
  if (agent === 'pause') return { Type: type, Status: '0', Code: '' };
  const key = `${check.taskId}/${uuid}/${type}`;
  const share = (Math.min(now, endOf(check)) - check.startedAt) / check.durationMs;
  // Each subtask starts at a point of its own in the first half of the check and takes half of it.
  const startsAt = ((hash32(key) % 1000) / 1000) * 0.5;
  const state = Math.max(0, Math.min(4, Math.floor(((share - startsAt) / 0.5) * 5)));
  let code = '';
  if (state === 4) {
    const roll = hash32(`${key}/code`);
    if (roll % 10_000 < failureRate * 10_000) code = FAILURE_CODES[roll % FAILURE_CODES.length]!;
  }
  return { Type: type, Status: String(state), Code: code };
}

/** The checks of one account. */
export class VulChecks {
  /** Checks started from the console (and the first one), in start order. */
  readonly #started: VulCheck[] = [];

  constructor(
    readonly account: string,
    readonly mode: VulCheckMode,
    /** When the account was made (Unix ms, emulator clock). */
    readonly createdAt: number,
    /** How long a continuous account's subtasks take to cycle once. */
    readonly cycleSeconds: number,
    /** When a server joined the account (Unix ms); undefined when it is not the account's. */
    private readonly joinedAt: (uuid: string) => number | undefined,
    initialServers: readonly string[],
    private readonly schedule: VulCheckSchedule | undefined,
  ) {
    if (mode === 'tasks') {
      const initial = new Set(initialServers);
      this.#started.push({
        taskId: hex(`${account}/vul-check/initial`, 32),
        source: 'schedule',
        startedAt: createdAt - 2 * 3_600_000,
        durationMs: 3_600_000,
        endsAs: 'done',
        stopsAt: 1,
        covers: (uuid) => initial.has(uuid),
      });
    }
  }

  /** Starts a check now; returns its task id. */
  start(request: VulCheckStart, now: number, servers: readonly string[]): string {
    if (this.mode !== 'tasks')
      throw new Error(`emulated Alibaba account ${this.account} checks continuously: give it checks: 'tasks' to start checks`);
    if (!(request.durationSeconds > 0)) throw new Error('a check takes a duration above 0');
    const covered = new Set(request.uuids ?? servers);
    const endsAs = request.endsAs ?? 'done';
    const check: VulCheck = {
      taskId: hex(`${this.account}/vul-check/console/${this.#started.length}/${now}`, 32),
      source: request.source ?? 'console',
      startedAt: now,
      durationMs: request.durationSeconds * 1000,
      endsAs,
      stopsAt: endsAs === 'done' ? 1 : Math.min(1, Math.max(0, request.stopsAt ?? 0.5)),
      covers: (uuid) => covered.has(uuid),
    };
    this.#started.push(check);
    return check.taskId;
  }

  /** Every check started by `now` whose start is within [from, to], newest first. */
  startedBetween(from: number, to: number, now: number): VulCheck[] {
    if (this.mode === 'continuous') {
      const check = this.#continuous();
      return check.startedAt >= from && check.startedAt <= Math.min(to, now) ? [check] : [];
    }
    const until = Math.min(to, now);
    const checks = this.#started.filter((check) => check.startedAt >= from && check.startedAt <= until);
    const schedule = this.schedule;
    if (schedule) {
      const first = schedule.firstAt ?? this.createdAt;
      const every = schedule.everySeconds * 1000;
      for (let k = Math.max(0, Math.ceil((from - first) / every)); first + k * every <= until; k++) checks.push(this.#scheduled(k));
    }
    return checks.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** The check a server's answer shows at `now`: the latest started that covers it (of `taskIds`, when given). */
  latestCovering(uuid: string, now: number, taskIds?: readonly string[]): VulCheck | undefined {
    const wanted = (check: VulCheck) =>
      check.startedAt <= now && check.covers(uuid) && (taskIds === undefined || taskIds.includes(check.taskId));
    let latest = this.#started.filter(wanted).at(-1);
    const schedule = this.schedule;
    if (schedule) {
      const first = schedule.firstAt ?? this.createdAt;
      const every = schedule.everySeconds * 1000;
      // The latest scheduled check at or before now that started after the server joined: one look, not a search.
      for (let k = Math.floor((now - first) / every); k >= 0 && first + k * every > (latest?.startedAt ?? -Infinity); k--) {
        const check = this.#scheduled(k);
        if (wanted(check)) {
          latest = check;
          break;
        }
        if (!check.covers(uuid)) break; // earlier checks started before the server joined, too
      }
    }
    return latest;
  }

  /** A continuous account's one check: started with the account, never ending. */
  #continuous(): VulCheck {
    return {
      taskId: hex(`${this.account}/vul-check/continuous`, 32),
      source: 'schedule',
      startedAt: this.createdAt,
      durationMs: Math.max(1000, this.cycleSeconds * 1000),
      endsAs: 'done',
      stopsAt: Infinity,
      covers: (uuid) => this.joinedAt(uuid) !== undefined,
    };
  }

  /** The k-th scheduled check: every server that had joined when it started. */
  #scheduled(k: number): VulCheck {
    const schedule = this.schedule!;
    const startedAt = (schedule.firstAt ?? this.createdAt) + k * schedule.everySeconds * 1000;
    const endsAs = schedule.endsAs ?? 'done';
    return {
      taskId: hex(`${this.account}/vul-check/schedule/${k}`, 32),
      source: 'schedule',
      startedAt,
      durationMs: schedule.durationSeconds * 1000,
      endsAs,
      stopsAt: endsAs === 'done' ? 1 : 0.5,
      covers: (uuid) => {
        const joined = this.joinedAt(uuid);
        return joined !== undefined && joined <= startedAt;
      },
    };
  }
}
