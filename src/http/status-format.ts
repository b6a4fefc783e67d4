// How the status page writes values: escaped text, ages, times, ratios and the native bars. Every value
// that comes from a configuration file or a cloud goes through escapeHtml.
import type { AccountHealth } from '../exporter/status.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** At most `max` characters of `text` (never half a surrogate pair), with "…" when cut: for a line of the table. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1]!) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${Number(s.toFixed(1))} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** How long ago `unixMs` was, from `now`. */
export function age(unixMs: number, now: number): string {
  return duration((now - unixMs) / 1000);
}

export function utc(unixMs: number): string {
  return `${new Date(unixMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "<1%" rather than a 0% that reads as idle. */
export function percentText(ratio: number): string {
  return ratio > 0 && ratio < 0.005 ? '<1%' : `${Math.round(ratio * 100)}%`;
}

/** Native elements, drawn by the browser: a style attribute would need 'unsafe-inline' in the CSP. */
export function progressBar(ratio: number): string {
  return `<progress max="1" value="${Math.max(0, Math.min(1, ratio)).toFixed(3)}"></progress>`;
}

export function rateMeter(ratio: number): string {
  return `<meter min="0" max="1" low="0.7" high="0.9" optimum="0" value="${Math.max(0, Math.min(1, ratio)).toFixed(3)}"></meter>`;
}

const BADGES: Record<AccountHealth, string> = { down: 'DOWN', stale: 'STALE', pending: 'PENDING', up: 'UP' };

/** An account's state as a coloured word. */
export function badge(health: AccountHealth): string {
  return `<span class="badge ${health}">${BADGES[health]}</span>`;
}

/** A number with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 account", "2 accounts". */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}
