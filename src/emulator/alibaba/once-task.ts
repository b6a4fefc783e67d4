// DescribeOnceTask as Security Center answers it for an emulated account (the sas-20181203 models:
// TaskManageResponseList and PageInfo): the account's vulnerability checks (TaskType VUL_CHECK_TASK),
// newest first, filtered by TaskId, Source and the root task's start (StartTimeQuery <= TaskStartTime
// <= EndTimeQuery, both Unix ms: the document calls them the root task's start and end timestamps and
// says no more, so the emulator takes them as the bounds of a window of start times); with RootTaskId,
// that check's subtasks instead, one per server it covers. No other task type has tasks here.
// The document does not say what a vulnerability check's DetailData holds: the emulator gives a root
// task none, and a subtask the documented keys naming its server (uuid, instanceId, instanceName,
// intranetIp). The exporter reads neither.
import type { EmulatedAccount, EmulatedServer } from './fleet.js';
import { hex } from './subtasks.js';
import { checkStatus, endOf, type VulCheck } from './vul-checks.js';

const VUL_CHECK_TASK = 'VUL_CHECK_TASK';
/** PageSize when the request has none (the document's default). */
const DEFAULT_PAGE_SIZE = 20;

type Query = Record<string, string>;

/** The answer (RequestId aside) for these parameters at `now`; the dispatch table has checked them. */
export function describeOnceTask(account: EmulatedAccount, params: Query, now: number): Record<string, unknown> {
  const pageSize = integer(params['PageSize']) ?? DEFAULT_PAGE_SIZE;
  const currentPage = integer(params['CurrentPage']) ?? 1;
  const rootTaskId = params['RootTaskId'];
  const taskType = params['TaskType'];
  let tasks: Array<Record<string, unknown>> = [];
  if (taskType === undefined || taskType === '' || taskType === VUL_CHECK_TASK) {
    const checks = account.checks
      .startedBetween(integer(params['StartTimeQuery']) ?? -Infinity, integer(params['EndTimeQuery']) ?? Infinity, now)
      .filter((check) => (params['Source'] ?? check.source) === check.source);
    if (rootTaskId !== undefined && rootTaskId !== '') {
      const root = checks.find((check) => check.taskId === rootTaskId);
      tasks =
        root === undefined
          ? []
          : account.servers.filter((server) => root.covers(server.uuid)).map((server) => subtaskOf(account, root, server, now));
    } else {
      tasks = checks.map((check) => ({
        TaskId: check.taskId,
        TaskType: VUL_CHECK_TASK,
        TaskName: VUL_CHECK_TASK,
        ...checkStatus(check, now),
      }));
    }
    const taskId = params['TaskId'];
    if (taskId !== undefined && taskId !== '') tasks = tasks.filter((task) => task['TaskId'] === taskId);
  }
  const page = tasks.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  return {
    TaskManageResponseList: page,
    PageInfo: { CurrentPage: currentPage, PageSize: pageSize, TotalCount: tasks.length, Count: page.length },
  };
}

/** One server's part of a check: started until its subtasks are complete, then completed (or failed, timed out with the check). */
function subtaskOf(account: EmulatedAccount, root: VulCheck, server: EmulatedServer, now: number): Record<string, unknown> {
  const subtasks =
    account.checks.mode === 'tasks'
      ? account.subtasksIn(root, server, now)
      : (account.vulCheckAnswer(server.uuid, undefined, undefined, now).TaskStatuses[0]?.TaskStatusList ?? []);
  const complete = subtasks.filter((subtask) => subtask.Status === '4').length;
  const finished = complete === subtasks.length;
  const ended = now >= endOf(root);
  const rootStatus = checkStatus(root, now);
  return {
    TaskId: hex(`${root.taskId}/${server.uuid}`, 32),
    TaskType: VUL_CHECK_TASK,
    TaskName: VUL_CHECK_TASK,
    TaskStatus: finished ? 2 : ended ? rootStatus.TaskStatus : 1,
    Progress: `${subtasks.length === 0 ? 100 : Math.floor((complete / subtasks.length) * 100)}%`,
    TaskStartTime: root.startedAt,
    ...(rootStatus.TaskEndTime === undefined ? {} : { TaskEndTime: rootStatus.TaskEndTime }),
    DetailData: JSON.stringify([
      { uuid: server.uuid, instanceId: server.instanceId ?? '', instanceName: server.instanceName, intranetIp: server.ip ?? '' },
    ]),
  };
}

function integer(text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : Number(text);
}
