// Scans that move through their states over time: a deterministic function of the clock, so a
// test with a fake clock knows what the API will answer, and the demo shows values that change.
import { createHash } from 'node:crypto';

interface ScanStateAnswer {
  ScanState: number;
  Schedule: number;
  TaskId: number | bigint;
  VulId: Array<number | bigint>;
  Type: number;
  ScanBeginTime: string | null;
  RiskEventCount: number | null;
  ScanEndTime: string | null;
  KBNumber: string[];
}

function hash32(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Beijing time, as the API writes it: "YYYY-MM-DD HH:mm:ss" without a zone. */
export function beijingTime(unixMs: number): string {
  return new Date(unixMs + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * The answer for one module (and strategy) at `now`. Each scan runs for half its cycle (Schedule
 * rising to 100), then stays completed; one cycle in four is stopped near its end (stopping, then
 * stopped). Accounts with `bigTaskIds` get task ids above 2^53.
 */
export function scanStateAt(key: string, now: number, cycleMs: number, bigTaskIds: boolean): ScanStateAnswer {
  const offset = hash32(key) % cycleMs;
  const cycle = Math.floor((now + offset) / cycleMs);
  const phase = ((now + offset) % cycleMs) / cycleMs;
  const cycleStart = cycle * cycleMs - offset;
  const seed = hash32(`${key}/${cycle}`);
  const risks = seed % 12;
  const stopped = seed % 4 === 0;
  const taskId = bigTaskIds ? 9_007_199_254_740_993n + BigInt(cycle % 1000) : 4000 + (cycle % 100_000);
  const base = {
    TaskId: taskId,
    Type: cycle % 3 === 0 ? 0 : 1,
    ScanBeginTime: beijingTime(cycleStart),
    KBNumber: [] as string[],
  };
  const vulIds = (count: number) => Array.from({ length: count }, (_, i) => 100_000 + ((seed + i * 7919) % 90_000));

  if (phase < 0.5) {
    const progress = phase / 0.5;
    const found = Math.floor(risks * progress);
    return { ...base, ScanState: 1, Schedule: Math.floor(progress * 100), VulId: vulIds(found), RiskEventCount: found, ScanEndTime: null };
  }
  const endTime = beijingTime(cycleStart + cycleMs / 2);
  if (stopped && phase >= 0.9) {
    const state = phase < 0.95 ? 3 : 4;
    return { ...base, ScanState: state, Schedule: 100, VulId: vulIds(risks), RiskEventCount: risks, ScanEndTime: endTime };
  }
  return { ...base, ScanState: 2, Schedule: 100, VulId: vulIds(risks), RiskEventCount: risks, ScanEndTime: endTime };
}
