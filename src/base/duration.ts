// Durations as Prometheus writes them (500ms, 60s, 5m, 1h30m, 2d, 1w), with decimals allowed in a
// unit (0.5s), or a plain number of seconds. The result is in seconds.

const UNIT_SECONDS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600],
  ['w', 7 * 24 * 3600],
  ['d', 24 * 3600],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
  ['ms', 0.001],
];

const DURATION =
  /^(?:(\d+(?:\.\d+)?)y)?(?:(\d+(?:\.\d+)?)w)?(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;
const PLAIN_SECONDS = /^\d+(?:\.\d+)?$/;

export const DURATION_HINT = 'use e.g. 30s, 5m, 1h';

/** Seconds, or undefined when the value is not a duration. Negative values are not durations. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim();
  if (PLAIN_SECONDS.test(text)) return Number(text);
  if (text === '') return undefined;
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  let seconds = 0;
  UNIT_SECONDS.forEach(([, factor], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) seconds += Number(amount) * factor;
  });
  // Round away float noise such as 0.1 + 0.2.
  return Math.round(seconds * 1e6) / 1e6;
}

/** 90 -> "1m30s", 0.5 -> "500ms": the shortest Prometheus-style spelling. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let text = '';
  for (const [unit, factor] of UNIT_SECONDS) {
    const ms = Math.round(factor * 1000);
    if (unit === 'y' || unit === 'w') continue;
    const count = Math.floor(rest / ms);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * ms;
    }
  }
  return text;
}
