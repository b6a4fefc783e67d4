// DescribeVulCheckTaskStatusDetail answers -> SasServerStatus: status codes to names. Odd values
// become `unknown` (or no subtasks) with a warning, never a made-up state.
import type { AnswerWarning } from '../../contract/types.js';
import { AnswerWarnings, type Warn } from '../kit/answer-warnings.js';
import { SAS_SUBTASK_STATES, type SasServerStatus, type SasSubtaskState, type SasSubtaskStatus } from './types.js';
import type { DescribeVulCheckTaskStatusDetailResponse } from './api.js';
import { inRange } from '../kit/validate.js';
import { MAX_SUBTASKS_PER_SERVER, boundedLabel } from '../../contract/labels.js';

export interface SasServer {
  uuid: string;
  /** The `instance` label: InstanceName from discovery; "" for servers named in the config. */
  instanceName: string;
}

export function subtaskState(status: string | number | null): SasSubtaskState {
  const text = typeof status === 'number' ? String(status) : status;
  if (text === null || !/^[0-4]$/.test(text.trim())) return 'unknown';
  return SAS_SUBTASK_STATES[Number(text.trim())] ?? 'unknown';
}

export function toServerStatus(
  response: DescribeVulCheckTaskStatusDetailResponse,
  server: SasServer,
  fetchedAt: number,
): { status: SasServerStatus; warnings: AnswerWarning[] } {
  const warnings = new AnswerWarnings();
  const odd = warnings.answer('DescribeVulCheckTaskStatusDetail');
  const warn: Warn = (kind, text, dropped) => odd(kind, `DescribeVulCheckTaskStatusDetail server ${server.uuid}: ${text}`, dropped);
  const subtasks: SasSubtaskStatus[] = [];
  /** (task, type) pairs already reported: the same pair twice would be the same series twice. */
  const seen = new Set<string>();
  let dropped = 0;

  // TotalCount 0 without a list is a plain "none"; otherwise a missing list is odd.
  if (response.TaskStatuses === null && response.TotalCount !== 0)
    warn('TaskStatuses missing', 'TaskStatuses missing; no subtasks reported');
  for (const [i, task] of (response.TaskStatuses ?? []).entries()) {
    const taskId = task.TaskId === null ? '' : boundedLabel(String(task.TaskId), 'id', 'TaskId', warn);
    if (task.TaskId === null) warn('TaskId missing', `TaskStatuses[${i}].TaskId missing; reported as task_id ""`);
    if (task.TaskStatusList === null) {
      warn('TaskStatusList missing', `task ${taskId || `#${i}`}: TaskStatusList missing; no subtasks reported`);
      continue;
    }
    for (const subtask of task.TaskStatusList) {
      const state = subtaskState(subtask.Status);
      const type = boundedLabel(subtask.Type ?? '', 'id', 'Type', warn);
      if (state === 'unknown') {
        const status = typeof subtask.Status === 'string' ? subtask.Status.slice(0, 40) : subtask.Status;
        warn(
          'unknown subtask Status',
          `task ${taskId} type ${type}: unknown Status ${JSON.stringify(status)}, reported as state "unknown"`,
        );
      }
      if (subtask.Type === null) warn('subtask without Type', `task ${taskId}: subtask without Type; reported as type ""`);
      const key = JSON.stringify([taskId, type]);
      if (seen.has(key)) {
        warn('subtask listed more than once', `task ${taskId} type ${type}: listed more than once; only the first is reported`);
        continue;
      }
      seen.add(key);
      if (subtasks.length >= MAX_SUBTASKS_PER_SERVER) {
        dropped++;
        continue;
      }
      subtasks.push({ taskId, type, state, code: boundedLabel(subtask.Code ?? '', 'id', 'Code', warn) });
    }
  }
  if (dropped > 0) {
    warn('subtasks left out', `${dropped} subtasks beyond the first ${MAX_SUBTASKS_PER_SERVER} left out`, {
      reason: 'subtasks',
      count: dropped,
    });
  }
  return {
    status: {
      uuid: boundedLabel(server.uuid, 'id', 'Uuid', warn),
      instanceName: boundedLabel(server.instanceName, 'name', 'InstanceName', warn),
      subtaskTotal: inRange(response.TotalCount, { min: 0, integer: true }, 'TotalCount', warn),
      subtasks,
      fetchedAt,
    },
    warnings: warnings.list(),
  };
}
