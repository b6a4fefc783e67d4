// The change signal of read-only-what-changed: the account's vulnerability checks, as Security
// Center lists them (DescribeOnceTask, TaskType VUL_CHECK_TASK; api.ts says what it gives). A
// server's subtasks change only while a check runs, so the list tells when answers can be old: a
// check listed now that was not at the last read (started, or started and ended in between), one
// whose status, progress or end changed, one still running, or one that ran and is listed no more.
// No task names the servers it checks, so any of these says that any server may have changed.
//
// Each read lists the checks started since the last read (less the 15 minutes the gateway lets a
// signing clock be off, so the cloud's start times are comparable with ours) or since the earliest
// start of a check running then, whichever is earlier; the first read looks back TASK_LOOKBACK_MS.
// A principal without the permission turns the signal off (OptionalFeature, tried again every 10
// minutes): every server is read, as before, and the account stays up. Through the management
// account's ResourceDirectoryAccountId there is no signal: DescribeOnceTask cannot name a member.
import { ApiError, type FeatureOff, type FetchContext } from '../../contract/types.js';
import type { AnswerWarnings } from '../kit/answer-warnings.js';
import { OptionalFeature } from '../kit/optional-feature.js';
import type { OnceTask } from './api.js';
import type { SasClient } from './client.js';
import { alibabaPermissionDenied, classifyAlibabaError } from './errors.js';
import { ALIBABA_PERMISSIONS } from './permissions.js';
import { hasEnded, type AlibabaSnapshot, type TaskListState, type VulCheckMark } from './types.js';

const ACTION = 'DescribeOnceTask';
/** The document's default page; it gives no maximum. */
const TASK_PAGE_SIZE = 20;
/** Pages read at most (400 checks since the last read): a list that says it is longer is not used (every server is read). */
const MAX_TASK_PAGES = 20;
/** The gateway refuses a request signed more than 15 minutes off its clock: the cloud's times are within this of ours. */
const CLOCK_MARGIN_MS = 15 * 60_000;
/** How far back the first read looks for a check that still runs, and the furthest any read looks. */
export const TASK_LOOKBACK_MS = 7 * 24 * 3_600_000;

/** What the task list said at the start of a refresh, or why there is none. */
export type SignalRead =
  | { kind: 'read'; state: TaskListState }
  /** DescribeOnceTask failed: every server is read this refresh. */
  | { kind: 'failed'; error: ApiError }
  /** Off for lack of permission: every server is read until it is allowed. */
  | { kind: 'refused' }
  /** No list can be asked for (the account is a member read through ResourceDirectoryAccountId). */
  | { kind: 'unavailable' };

export class VulCheckTaskList {
  readonly #feature = new OptionalFeature({
    action: ACTION,
    feature: 'the list of vulnerability checks (without it every server is read on every refresh)',
    permission: ALIBABA_PERMISSIONS[ACTION] ?? ACTION,
    permissionDenied: alibabaPermissionDenied,
  });

  constructor(
    private readonly client: SasClient,
    /** The account is a member named by ResourceDirectoryAccountId: the list would be the management account's. */
    private readonly memberNamed: boolean,
  ) {}

  /** The signal refused for lack of permission, for the snapshot. */
  get off(): FeatureOff[] {
    return this.#feature.off;
  }

  /**
   * The list now, compared with `previous` (the last refresh's). `listedAt`: now by the clock the
   * source dates its answers with (fetchedAt), which the list's changedAt is compared with. Never throws.
   */
  async read(
    context: FetchContext<AlibabaSnapshot>,
    previous: TaskListState | undefined,
    listedAt: number,
    warnings: AnswerWarnings,
  ): Promise<SignalRead> {
    if (this.memberNamed) return { kind: 'unavailable' };
    if (!this.#feature.wanted(context.now())) return { kind: 'refused' };
    try {
      const tasks = await this.#list(context, windowStart(previous, listedAt), warnings);
      this.#feature.allowed();
      return {
        kind: 'read',
        state: { listedAt, tasks, changedAt: previous === undefined || changed(previous, tasks) ? listedAt : previous.changedAt },
      };
    } catch (error) {
      const apiError = classifyAlibabaError(ACTION, error, false);
      if (this.#feature.refused(apiError, context.now())) return { kind: 'refused' };
      return { kind: 'failed', error: apiError };
    }
  }

  /** Every check started since `since`, page by page, each once. */
  async #list(context: FetchContext<AlibabaSnapshot>, since: number, warnings: AnswerWarnings): Promise<VulCheckMark[]> {
    const found = new Map<string, VulCheckMark>();
    for (let page = 1; ; page++) {
      if (page > MAX_TASK_PAGES) {
        throw new ApiError(
          'alibaba',
          ACTION,
          'invalid_response',
          'invalid_response',
          `${ACTION}: more than ${MAX_TASK_PAGES * TASK_PAGE_SIZE} vulnerability checks started since ${new Date(since).toISOString()}; the list is read at most ${MAX_TASK_PAGES} pages`,
        );
      }
      const answer = await context.invoke(ACTION, (signal, trace) =>
        this.client.describeOnceTask(
          { TaskType: 'VUL_CHECK_TASK', CurrentPage: page, PageSize: TASK_PAGE_SIZE, StartTimeQuery: since },
          signal,
          trace,
        ),
      );
      const odd = warnings.answer(ACTION);
      for (const task of answer.TaskManageResponseList) {
        const mark = markOf(task);
        if (task.TaskId === null)
          odd('check without TaskId', `${ACTION}: a check without TaskId (started ${String(task.TaskStartTime)}); told apart by its start`);
        if (!hasEnded(mark) && mark.status !== '1') {
          odd(
            'TaskStatus not documented',
            `${ACTION}: check ${mark.taskId}: TaskStatus ${JSON.stringify(mark.status.slice(0, 40))} is none of 1 to 4; taken as running`,
          );
        }
        found.set(mark.taskId, mark);
      }
      const total = answer.PageInfo?.TotalCount ?? null;
      if (answer.TaskManageResponseList.length < TASK_PAGE_SIZE || (total !== null && page * TASK_PAGE_SIZE >= total)) break;
    }
    return [...found.values()];
  }
}

function markOf(task: OnceTask): VulCheckMark {
  return {
    taskId: task.TaskId ?? `started ${String(task.TaskStartTime)}`,
    status: task.TaskStatus === null ? '' : String(task.TaskStatus),
    progress: task.Progress === null ? '' : String(task.Progress),
    startedAt: task.TaskStartTime,
    endedAt: task.TaskEndTime,
  };
}

/** The earliest start a read lists from: the last read less the clock margin, or a check running then, within the look-back. */
function windowStart(previous: TaskListState | undefined, now: number): number {
  const floor = now - TASK_LOOKBACK_MS;
  if (previous === undefined) return floor;
  const running = previous.tasks.filter((task) => !hasEnded(task)).map((task) => task.startedAt ?? floor);
  return Math.floor(Math.max(floor, Math.min(previous.listedAt - CLOCK_MARGIN_MS, ...running)));
}

/** Whether the list shows a check started, progressed or ended since `previous`, or one running. */
function changed(previous: TaskListState, tasks: readonly VulCheckMark[]): boolean {
  if (tasks.some((task) => !hasEnded(task))) return true;
  const before = new Map(previous.tasks.map((task) => [task.taskId, task]));
  const listed = new Set(tasks.map((task) => task.taskId));
  return (
    tasks.some((task) => {
      const was = before.get(task.taskId);
      return (
        was === undefined ||
        was.status !== task.status ||
        was.progress !== task.progress ||
        was.startedAt !== task.startedAt ||
        was.endedAt !== task.endedAt
      );
    }) || previous.tasks.some((task) => !hasEnded(task) && !listed.has(task.taskId))
  );
}
