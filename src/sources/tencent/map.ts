// DescribeScanState answers -> CwpScanStatus: codes to names, text times to Unix seconds.
// Odd values become `unknown` or null with a warning, never a made-up zero.
import { type AnswerWarning } from '../types.js';
import { CWP_SCAN_STATES, CWP_TRIGGERS, type CwpModule, type CwpScanState, type CwpScanStatus, type CwpTrigger } from './types.js';
import { inRange, integerText } from '../validate.js';
import { boundedLabel } from '../../shared/labels.js';
import type { DescribeScanStateResponse } from './api.js';

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
  const warnings: AnswerWarning[] = [];
  const warn = (text: string) =>
    warnings.push({ action: 'DescribeScanState', message: `DescribeScanState ${describeTarget(target)}: ${text}` });

  const state: CwpScanState = CWP_SCAN_STATES[response.ScanState] ?? 'unknown';
  if (state === 'unknown') warn(`unknown ScanState ${response.ScanState}, reported as state "unknown"`);

  const trigger: CwpTrigger = response.Type === null ? 'unknown' : (CWP_TRIGGERS[response.Type] ?? 'unknown');
  if (trigger === 'unknown') warn(`unknown Type ${String(response.Type)}, reported as trigger "unknown"`);

  if (response.Schedule === null) warn('Schedule is null; progress left out');
  const schedule = inRange(response.Schedule, { min: 0, max: 100 }, 'Schedule', warn);
  const riskEventCount = inRange(response.RiskEventCount, { min: 0, integer: true }, 'RiskEventCount', warn);
  const time = (field: 'ScanBeginTime' | 'ScanEndTime'): number | null => {
    const text = response[field];
    if (text === null || text === '') return null;
    const seconds = parseCloudTime(text, timeZone);
    if (seconds === null) warn(`${field} ${JSON.stringify(text)} is not a time; left out`);
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
    },
    warnings,
  };
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
