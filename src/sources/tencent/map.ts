// DescribeScanState answers -> CwpScanStatus: codes to names, text times to Unix seconds; and
// DescribeScanTaskDetails pages -> CwpTaskHosts. Odd values become `unknown` or null with a warning,
// never a made-up zero.
import type { AnswerWarning } from '../../contract/types.js';
import { AnswerWarnings, type Warn } from '../kit/answer-warnings.js';
import {
  CWP_FAIL_TYPES,
  CWP_FAILURE_REASONS,
  CWP_HOST_RESULTS,
  CWP_SCAN_STATES,
  CWP_TRIGGERS,
  MAX_DESCRIPTION,
  type CwpFailureReason,
  type CwpHostResult,
  type CwpHostStatus,
  type CwpModule,
  type CwpScanState,
  type CwpScanStatus,
  type CwpTaskHosts,
  type CwpTrigger,
} from './types.js';
import { inRange, integerText } from '../kit/validate.js';
import { boundedLabel } from '../../contract/labels.js';
import type { DescribeScanStateResponse, DescribeScanTaskDetailsResponse } from './api.js';

export interface ScanTarget {
  module: CwpModule;
  /** "" for Malware and Vul. */
  strategyId: string;
  strategyName: string;
}

export function describeTarget(target: ScanTarget): string {
  return target.strategyId === '' ? target.module : `${target.module} strategy ${target.strategyId}`;
}

export function toScanStatus(
  response: DescribeScanStateResponse,
  target: ScanTarget,
  timeZone: string,
): { status: CwpScanStatus; warnings: AnswerWarning[] } {
  const warnings = new AnswerWarnings();
  const odd = warnings.answer('DescribeScanState');
  const warn: Warn = (kind, text) => odd(kind, `DescribeScanState ${describeTarget(target)}: ${text}`);

  const state: CwpScanState = CWP_SCAN_STATES[response.ScanState] ?? 'unknown';
  if (state === 'unknown') warn('unknown ScanState', `unknown ScanState ${response.ScanState}, reported as state "unknown"`);

  const trigger: CwpTrigger = response.Type === null ? 'unknown' : (CWP_TRIGGERS[response.Type] ?? 'unknown');
  if (trigger === 'unknown') warn('unknown Type', `unknown Type ${String(response.Type)}, reported as trigger "unknown"`);

  if (response.Schedule === null) warn('Schedule is null', 'Schedule is null; progress left out');
  const schedule = inRange(response.Schedule, { min: 0, max: 100 }, 'Schedule', warn);
  const riskEventCount = inRange(response.RiskEventCount, { min: 0, integer: true }, 'RiskEventCount', warn);
  const time = (field: 'ScanBeginTime' | 'ScanEndTime'): number | null => {
    const text = response[field];
    if (text === null || text === '') return null;
    const seconds = parseCloudTime(text, timeZone);
    if (seconds === null) warn(`${field} is not a time`, `${field} ${JSON.stringify(text.slice(0, 40))} is not a time; left out`);
    return seconds;
  };

  return {
    status: {
      ...target,
      strategyName: boundedLabel(target.strategyName, 'name', 'StrategyName', warn),
      state,
      progressRatio: schedule === null ? null : schedule / 100,
      riskEventCount,
      vulnerabilityCount: response.VulId === null ? null : response.VulId.length,
      startTime: time('ScanBeginTime'),
      endTime: time('ScanEndTime'),
      taskId: response.TaskId === null ? '' : boundedLabel(integerText(response.TaskId), 'id', 'TaskId', warn),
      trigger,
      kbCount: response.KBNumber === null || response.KBNumber === undefined ? null : response.KBNumber.length,
    },
    warnings: warnings.list(),
  };
}

/** Scans in these states have a task that no longer changes: its hosts are read once. */
export function isFinished(state: CwpScanState): boolean {
  return state === 'completed' || state === 'stopped';
}

const HOST_RESULTS: Readonly<Record<string, CwpHostResult>> = { ok: 'ok', fail: 'failed', scanning: 'scanning' };

/** A host's Status (Scanning, Ok, Fail; any case) as a result; anything else is unknown. */
function hostResult(status: string | null): CwpHostResult {
  return (status === null ? undefined : HOST_RESULTS[status.trim().toLowerCase()]) ?? 'unknown';
}

/** A failed host's FailType as a reason; any other code is unknown. */
function failureReason(failType: number | null): CwpFailureReason {
  return (failType === null ? undefined : (CWP_FAIL_TYPES as Record<number, CwpFailureReason>)[failType]) ?? 'unknown';
}

/**
 * The hosts of one task from all its pages. A host is identified by its Uuid: one without is
 * counted but has no series of its own; one listed twice (the list moved between pages of a running
 * task) is taken once. Each page is an answer of its own: one with odd values counts once.
 */
export function toTaskHosts(
  pages: readonly DescribeScanTaskDetailsResponse[],
  target: ScanTarget,
  taskId: string,
  final: boolean,
  fetchedAt: number,
): { hosts: CwpTaskHosts; warnings: AnswerWarning[] } {
  const warnings = new AnswerWarnings();
  const byResult = Object.fromEntries([...CWP_HOST_RESULTS, 'unknown'].map((r) => [r, 0])) as Record<CwpHostResult, number>;
  const byReason = Object.fromEntries([...CWP_FAILURE_REASONS, 'unknown'].map((r) => [r, 0])) as Record<CwpFailureReason, number>;
  const hosts: CwpHostStatus[] = [];
  const seen = new Set<string>();
  let withoutUuid = 0;
  let lastPage: Warn | undefined;

  for (const page of pages) {
    const odd = warnings.answer('DescribeScanTaskDetails');
    const warn: Warn = (kind, text) => odd(kind, `DescribeScanTaskDetails ${describeTarget(target)} task ${taskId}: ${text}`);
    lastPage = warn;
    for (const item of page.ScanTaskDetailList ?? []) {
      const uuid = item.Uuid === null ? '' : boundedLabel(item.Uuid, 'id', 'Uuid', warn);
      if (uuid !== '' && seen.has(uuid)) continue;
      const name = item.HostName ?? '';
      const id = uuid || name.slice(0, 40);
      const host: Warn = (kind, text) => warn(kind, `host ${id} ${text}`);
      const result = hostResult(item.Status);
      if (result === 'unknown')
        warn(
          'unknown host Status',
          `host ${id}: unknown Status ${JSON.stringify(item.Status?.slice(0, 40) ?? null)}, reported as result "unknown"`,
        );
      let reason: CwpFailureReason | '' = '';
      let description = '';
      if (result === 'failed') {
        reason = failureReason(item.FailType);
        if (reason === 'unknown') {
          description = oneLine(item.Description ?? '', MAX_DESCRIPTION);
          warn(
            'unknown FailType',
            `host ${id}: unknown FailType ${String(item.FailType)}, reported as reason "unknown"${description === '' ? '' : ` (${description})`}`,
          );
        }
        byReason[reason]++;
      }
      byResult[result]++;
      if (uuid === '') {
        withoutUuid++;
        continue;
      }
      seen.add(uuid);
      hosts.push({
        uuid,
        host: boundedLabel(name, 'name', 'HostName', host),
        ip: boundedLabel(item.HostIp ?? '', 'id', 'HostIp', host),
        wanIp: boundedLabel(item.MachineWanIp ?? '', 'id', 'MachineWanIp', host),
        os: boundedLabel(item.OsName ?? '', 'name', 'OsName', host),
        result,
        reason,
        ...(description === '' ? {} : { description }),
        risks: inRange(item.RiskNum, { min: 0, integer: true }, 'RiskNum', host),
      });
    }
  }
  if (withoutUuid > 0) lastPage?.('hosts without Uuid', `${withoutUuid} host(s) without Uuid: counted, but without series of their own`);
  return { hosts: { taskId, final, fetchedAt, hosts, byResult, byReason }, warnings: warnings.list() };
}

/** Text from the cloud as one line of at most `max` characters: control characters become spaces. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const CLOUD_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/**
 * "2021-07-09 15:04:01" in the given zone (+HH:MM) -> Unix seconds. The API sends times without a
 * zone (Beijing time in practice). Null for anything else, including the all-zero "never" time.
 */
export function parseCloudTime(text: string, timeZone: string): number | null {
  const match = CLOUD_TIME.exec(text.trim());
  const zone = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (!match || !zone) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return utcMs / 1000;
}
