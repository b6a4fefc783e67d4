// A cloud cannot choose how many series the exporter holds, nor how long their labels are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ERROR_CODES_PER_ACTION } from '../../../src/metrics/call-counters.js';
import { ExporterMetrics } from '../../../src/metrics/exporter-metrics.js';
import { toServerStatus } from '../../../src/sources/alibaba/map.js';
import { MAX_ID_LENGTH, MAX_SUBTASKS_PER_SERVER, idLabel, nameLabel } from '../../../src/contract/labels.js';
import { sampleLines, valueOf } from '../../support/exposition.js';
import type { AccountState } from '../../../src/contract/account-state.js';
import { ApiError } from '../../../src/contract/types.js';
import { tencentRenderer } from '../../../src/sources/tencent/render.js';

test('44 random error codes of 20 KB make at most 20 code series of bounded length, then "other", and the rest is counted', async () => {
  const metrics = new ExporterMetrics({ build: { version: 't', revision: 't' }, defaultMetrics: false });
  const observer = metrics.observer('tencent', 'prod');
  for (let i = 0; i < 44; i++) {
    observer.onCall({ action: 'DescribeScanState', durationSeconds: 0.01, grantedAt: 0, errorCode: `Random${i}.${'x'.repeat(20_000)}"\n` });
  }
  observer.onCall({ action: 'DescribeScanState', durationSeconds: 0.01, grantedAt: 0, errorCode: 'timeout' });
  const text = await metrics.expositionText();
  const errors = sampleLines(text, 'cloudscan_api_errors_total{provider="tencent",account="prod"');
  assert.equal(errors.length, MAX_ERROR_CODES_PER_ACTION + 2, errors.join('\n').slice(0, 500));
  assert.ok(
    errors.every((line) => line.length < 250),
    'every series line is short',
  );
  assert.equal(valueOf(text, 'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanState",code="other"}'), 24);
  assert.equal(valueOf(text, 'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanState",code="timeout"}'), 1);
  assert.equal(valueOf(text, 'cloudscan_dropped_series_total{provider="tencent",account="prod",reason="error_code"}'), 24);
});

test('one server answer with 50,000 subtasks reports the first 500 and says how many were left out', () => {
  const answer = {
    TotalCount: 50_000,
    RequestId: 'r',
    TaskStatuses: Array.from({ length: 50_000 }, (_, i) => ({
      TaskId: `task-${i}`,
      TaskStatusList: [{ Type: 'cve', Status: '4', Code: '' }],
    })),
  };
  const { status, warnings } = toServerStatus(answer, { uuid: 'u-1', instanceName: 'web-1' }, 0);
  assert.equal(status.subtasks.length, MAX_SUBTASKS_PER_SERVER);
  const dropped = warnings.filter((w) => w.dropped);
  assert.deepEqual(
    dropped.map((w) => w.dropped),
    [{ reason: 'subtasks', count: 50_000 - MAX_SUBTASKS_PER_SERVER }],
  );
});

test('cloud-provided ids and names are bounded in length and characters', () => {
  assert.equal(idLabel('ad8afca3914a5fff4636e67f18e259c7'), 'ad8afca3914a5fff4636e67f18e259c7');
  assert.equal(idLabel('push_command_failed'), 'push_command_failed');
  assert.equal(idLabel('a"b\n{c}'), 'a_b__c_');
  assert.equal(idLabel('9'.repeat(1000)).length, MAX_ID_LENGTH);
  assert.equal(nameLabel('web\u0000-1\u202e\n'), 'web-1');
  assert.equal(nameLabel('生产服务器'), '生产服务器');
  assert.equal([...nameLabel('名'.repeat(1000))].length, 128);
});

test('a thousand different errors of an account make one cloudscan_last_refresh_error series at a time, of bounded length', async () => {
  const metrics = new ExporterMetrics({ build: { version: 't', revision: 't' }, defaultMetrics: false });
  const renderer = tencentRenderer({ perHostSeries: true });
  for (let i = 0; i < 1000; i++) {
    const lastError = new ApiError('tencent', 'DescribeScanState', `Random${i}.${'x'.repeat(20_000)}"\n`, 'client', 'x');
    const state: AccountState = {
      provider: 'tencent',
      account: 'prod',
      snapshot: undefined,
      up: false,
      lastSuccessAt: undefined,
      lastDurationSeconds: 0.1,
      lastError,
      refresh: undefined,
      lastRefreshCalls: { calls: 1, failed: 1 },
      version: i + 1,
    };
    metrics.sync([{ state, renderer }]);
  }
  const lines = sampleLines(await metrics.expositionText(), 'cloudscan_last_refresh_error{');
  assert.equal(lines.length, 1, lines.join('\n').slice(0, 500));
  assert.ok(lines[0]!.length < 250, lines[0]);
  assert.match(lines[0]!, /code="Random999\.x+"/);
});
