// /probe?target=<provider>/<account>&debug=true, as blackbox_exporter's debug output: what the probe
// did, then its series, as text. Here "what it did" is the account's last refresh: each call attempt
// with its action, HTTP status, code, duration, request id and attempt number, in logfmt, never a
// secret (the refresh log holds no request, only what came back and the clients' scrubbed messages).
import type { RefreshLogView, CallLogEntry } from '../collect/refresh-log.js';
import type { ProbeDebug } from '../exporter/exporter.js';
import { identityBody } from '../metrics/gzip.js';

export function probeDebugText({ status, logs, exposition }: ProbeDebug, now: number): string {
  const lines: string[] = [];
  lines.push(`Probe of ${oneLine(status.target)} (debug)`);
  lines.push(
    `Account is ${status.up ? 'UP' : 'DOWN'}; ${status.dataTakenAt === undefined ? 'no data to serve' : `data taken ${iso(status.dataTakenAt)} (${seconds((now - status.dataTakenAt) / 1000)} ago)`}`,
  );
  if (status.lastError) {
    const { code, action, requestId, message } = status.lastError;
    lines.push(
      `Last error: ${field('code', code)} ${field('action', action)} ${field('request_id', requestId ?? '')} ${field('message', message)}`,
    );
  }
  for (const feature of status.featuresOff ?? []) {
    lines.push(
      `Left out for lack of permission: ${field('action', feature.action)} ${field('code', feature.code)} ${field('add', feature.permission)} ` +
        `${field('since', iso(feature.since))} ${field('retry_at', iso(feature.retryAt))} ${field('what', feature.feature)}`,
    );
  }
  for (const list of [...(status.summary?.attention ?? []), ...(status.summary?.failing ? [status.summary.failing] : [])]) {
    if (list.total === 0) continue;
    lines.push(`${oneLine(list.title)}: ${list.total}${list.total > list.first.length ? ` (the first ${list.first.length})` : ''}`);
    for (const item of list.first) lines.push(`  ${field('name', item.name)} ${field('why', item.detail)}`);
  }
  lines.push('');
  if (logs.last) lines.push(...logLines('Last finished refresh', logs.last));
  else lines.push('No refresh has finished yet.');
  if (logs.running) {
    lines.push('');
    lines.push(...logLines('Refresh running now', logs.running));
  }
  lines.push('');
  lines.push('Series of this probe:');
  return `${lines.join('\n')}\n${Buffer.concat(identityBody(exposition)).toString('utf8')}`;
}

function logLines(title: string, log: RefreshLogView): string[] {
  const head =
    log.finishedAt === undefined
      ? `${title}: started ${iso(log.startedAt)}, ${log.attempts} call attempt(s) so far`
      : `${title}: started ${iso(log.startedAt)}, took ${seconds((log.finishedAt - log.startedAt) / 1000)}, ` +
        `${log.attempts} call attempt(s); ${oneLine(log.result ?? '')}`;
  const lines = [head, ...log.entries.map(entryLine)];
  const { ok, notOk } = log.leftOut;
  if (ok + notOk > 0) {
    lines.push(
      `  (${ok + notOk} attempt(s) left out of this log, ${ok} succeeded and ${notOk} did not: ` +
        `it keeps the first attempts, then only those that did not succeed)`,
    );
  }
  return lines;
}

function entryLine(entry: CallLogEntry): string {
  return (
    `  ${field('at', `+${seconds(entry.atMs / 1000, 3)}`)} ${field('action', entry.action)} ${field('attempt', String(entry.attempt))} ` +
    `${field('outcome', entry.outcome)} ${field('http_status', entry.httpStatus === undefined ? '' : String(entry.httpStatus))} ` +
    `${field('code', entry.code ?? '')} ${field('duration', seconds(entry.durationSeconds, 3))} ${field('request_id', entry.requestId ?? '')}` +
    (entry.message === undefined ? '' : ` ${field('message', entry.message)}`)
  );
}

/** A logfmt pair: the value quoted (as JSON, so no control character survives) when it is not one plain word. */
function field(key: string, value: string): string {
  return `${key}=${/^[\w.:/+@-]+$/.test(value) ? value : JSON.stringify(value)}`;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '?');
}

function seconds(value: number, digits = 2): string {
  return `${Number(Math.max(0, value).toFixed(digits))}s`;
}

function iso(unixMs: number): string {
  return new Date(unixMs).toISOString();
}
