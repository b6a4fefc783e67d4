// The text of /probe?debug=true from plain data: one logfmt line per call attempt, values that are not
// one plain word quoted so a hostile message cannot forge a line, and what the log left out said.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshLog } from '../../../src/collect/refresh-log.js';
import type { ProbeDebug } from '../../../src/exporter/exporter.js';
import { probeDebugText } from '../../../src/http/probe-debug.js';
import { CompressiblePiece } from '../../../src/metrics/gzip.js';

const STARTED = Date.UTC(2026, 10, 23, 4, 0, 0);

function debugOf(log: RefreshLog, running?: RefreshLog): ProbeDebug {
  return {
    status: {
      target: 'alibaba/shop',
      provider: 'alibaba',
      account: 'shop',
      health: 'down',
      readAt: STARTED + 1000,
      up: false,
      dataTakenAt: STARTED - 60_000,
      dataStale: false,
      lastError: {
        action: 'DescribeVulCheckTaskStatusDetail',
        code: 'Throttling.User',
        kind: 'throttled',
        requestId: 'REQ-1',
        message: 'slow\ndown',
      },
      permissionsMissing: [],
      callsLastMinute: { total: 0 },
      rateLimit: 10,
      capacity: { text: '', keepsUp: undefined },
    },
    logs: { last: log.view(), running: running?.view() },
    exposition: [new CompressiblePiece('cloudscan_up{provider="alibaba",account="shop"} 0\n')],
  };
}

test('each attempt is one logfmt line, and a message with a newline or quotes stays on its line', () => {
  const log = new RefreshLog(STARTED);
  log.record({
    atMs: 12,
    action: 'DescribeCloudCenterInstances',
    attempt: 1,
    outcome: 'ok',
    httpStatus: 200,
    durationSeconds: 0.0123,
    requestId: 'REQ-0',
  });
  log.record({
    atMs: 250,
    action: 'DescribeVulCheckTaskStatusDetail',
    attempt: 2,
    outcome: 'failed',
    httpStatus: 400,
    code: 'Throttling.User',
    durationSeconds: 0.004,
    requestId: 'REQ-1',
    message: 'slow\n  at=+9s action=Forged "quoted"',
  });
  log.finish(STARTED + 300, 'partial: 1 call(s) failed');
  const text = probeDebugText(debugOf(log), STARTED + 1000);
  const lines = text.split('\n');
  assert.ok(
    lines.includes(
      '  at=+0.012s action=DescribeCloudCenterInstances attempt=1 outcome=ok http_status=200 code="" duration=0.012s request_id=REQ-0',
    ),
  );
  assert.ok(
    lines.includes(
      '  at=+0.25s action=DescribeVulCheckTaskStatusDetail attempt=2 outcome=failed http_status=400 code=Throttling.User duration=0.004s request_id=REQ-1 ' +
        'message="slow\\n  at=+9s action=Forged \\"quoted\\""',
    ),
    text,
  );
  assert.equal(lines.filter((line) => line.startsWith('  at=')).length, 2, 'the message forged no line');
  assert.ok(
    lines.includes('Last error: code=Throttling.User action=DescribeVulCheckTaskStatusDetail request_id=REQ-1 message="slow\\ndown"'),
  );
  assert.ok(
    lines.includes('Last finished refresh: started 2026-11-23T04:00:00.000Z, took 0.3s, 2 call attempt(s); partial: 1 call(s) failed'),
  );
  assert.ok(text.endsWith('Series of this probe:\ncloudscan_up{provider="alibaba",account="shop"} 0\n'));
});

test('the attempts a long refresh left out of its log are counted, and a running refresh is shown after the last', () => {
  const log = new RefreshLog(STARTED, { first: 1, failures: 1 });
  for (let i = 0; i < 5; i++)
    log.record({
      atMs: i,
      action: 'DescribeVulCheckTaskStatusDetail',
      attempt: 1,
      outcome: i % 2 === 0 ? 'ok' : 'failed',
      durationSeconds: 0,
    });
  log.finish(STARTED + 10, 'up: every call succeeded');
  const running = new RefreshLog(STARTED + 60_000);
  const text = probeDebugText(debugOf(log, running), STARTED + 61_000);
  assert.match(
    text,
    /^ {2}\(3 attempt\(s\) left out of this log, 2 succeeded and 1 did not: it keeps the first attempts, then only those that did not succeed\)$/m,
  );
  assert.match(text, /^Refresh running now: started 2026-11-23T04:01:00.000Z, 0 call attempt\(s\) so far$/m);
});
