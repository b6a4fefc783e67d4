import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountState } from '../../../src/contract/account-state.js';
import { ExporterMetrics } from '../../../src/metrics/exporter-metrics.js';
import { ApiError } from '../../../src/contract/types.js';
import type { TencentSnapshot } from '../../../src/sources/tencent/types.js';
import type { AlibabaSnapshot } from '../../../src/sources/alibaba/types.js';
import { alibabaRenderer } from '../../../src/sources/alibaba/render.js';
import { tencentRenderer } from '../../../src/sources/tencent/render.js';

const tencentOptions = tencentRenderer({ perHostSeries: true });

function tencentState(version: number, strategies: string[]): AccountState {
  const snapshot: TencentSnapshot = {
    provider: 'tencent',
    account: 'prod',
    takenAt: 1_700_000_000_000,
    errors: [],
    warnings: [],
    scans: strategies.map((id) => ({
      module: 'Baseline',
      strategyId: id,
      strategyName: `strategy ${id}`,
      state: 'scanning',
      progressRatio: 0.5,
      riskEventCount: null,
      vulnerabilityCount: 0,
      startTime: 1_700_000_000,
      endTime: null,
      taskId: '9',
      trigger: 'scheduled',
      kbCount: null,
    })),
  };
  return {
    provider: 'tencent',
    account: 'prod',
    snapshot,
    up: true,
    lastSuccessAt: snapshot.takenAt,
    lastDurationSeconds: 0.25,
    lastError: undefined,
    refresh: undefined,
    lastRefreshCalls: undefined,
    version,
  };
}

const metrics = () => new ExporterMetrics({ build: { version: '0.0.0', revision: 'test' }, defaultMetrics: false });

test('a one-hot state has every state present and exactly one set', async () => {
  const m = metrics();
  m.sync([{ state: tencentState(1, ['42']), renderer: tencentOptions }]);
  const text = await m.expositionText();
  const states = text.split('\n').filter((l) => l.startsWith('cloudscan_cwp_scan_state{'));
  assert.equal(states.length, 6);
  assert.deepEqual(
    states.filter((l) => l.endsWith(' 1')),
    ['cloudscan_cwp_scan_state{account="prod",module="Baseline",strategy_id="42",state="scanning"} 1'],
  );
});

test('a null risk count leaves its series out instead of reporting zero', async () => {
  const m = metrics();
  m.sync([{ state: tencentState(1, ['42']), renderer: tencentOptions }]);
  const text = await m.expositionText();
  assert.doesNotMatch(text, /^cloudscan_cwp_scan_risk_events\{/m);
  assert.match(text, /^cloudscan_cwp_scan_progress_ratio\{account="prod",module="Baseline",strategy_id="42"\} 0.5$/m);
});

test('a strategy gone from the snapshot takes its series with it', async () => {
  const m = metrics();
  m.sync([{ state: tencentState(1, ['42', '43']), renderer: tencentOptions }]);
  assert.match(await m.expositionText(), /strategy_id="43"/);
  m.sync([{ state: tencentState(2, ['42']), renderer: tencentOptions }]);
  const text = await m.expositionText();
  assert.doesNotMatch(text, /strategy_id="43"/);
  assert.match(text, /strategy_id="42"/);
});

test('an account removed from the config loses every series, counters included', async () => {
  const m = metrics();
  m.observer('tencent', 'prod').onCall({ action: 'DescribeScanState', durationSeconds: 0.1, grantedAt: 0, errorCode: 'InternalError' });
  m.sync([{ state: tencentState(1, ['42']), renderer: tencentOptions }]);
  assert.match(await m.expositionText(), /cloudscan_api_errors_total\{provider="tencent",account="prod"/);
  m.sync([]);
  const text = await m.expositionText();
  assert.doesNotMatch(text, /account="prod"/);
});

test("an account's known counters are there at 0 before its first call, and leave with it", async () => {
  const m = metrics();
  m.observer('alibaba', 'shop', {
    actions: ['DescribeCloudCenterInstances', 'DescribeVulCheckTaskStatusDetail'],
    dropReasons: ['subtasks'],
  });
  const zeros = (await m.expositionText()).split('\n').filter((l) => /^cloudscan_\w+_total\{.* 0$/.test(l));
  assert.deepEqual(zeros, [
    'cloudscan_api_requests_total{provider="alibaba",account="shop",action="DescribeCloudCenterInstances"} 0',
    'cloudscan_api_requests_total{provider="alibaba",account="shop",action="DescribeVulCheckTaskStatusDetail"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeCloudCenterInstances",code="timeout"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeCloudCenterInstances",code="network"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeCloudCenterInstances",code="invalid_response"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeVulCheckTaskStatusDetail",code="timeout"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeVulCheckTaskStatusDetail",code="network"} 0',
    'cloudscan_api_errors_total{provider="alibaba",account="shop",action="DescribeVulCheckTaskStatusDetail",code="invalid_response"} 0',
    'cloudscan_dropped_series_total{provider="alibaba",account="shop",reason="subtasks"} 0',
    'cloudscan_cache_requests_total{provider="alibaba"} 0',
    'cloudscan_cache_hits_total{provider="alibaba"} 0',
  ]);
  assert.match(
    await m.expositionText(),
    /^cloudscan_api_request_duration_seconds_count\{provider="alibaba",action="DescribeVulCheckTaskStatusDetail"\} 0$/m,
  );
  m.sync([{ state: { ...tencentState(1, []), provider: 'alibaba', account: 'shop', snapshot: undefined }, renderer: tencentOptions }]);
  m.sync([]);
  assert.doesNotMatch(await m.expositionText(), /account="shop"/);
});

test('Alibaba counts by type and state are kept when per-server series are off', async () => {
  const snapshot: AlibabaSnapshot = {
    provider: 'alibaba',
    account: 'fleet',
    takenAt: 1_700_000_000_000,
    errors: [],
    warnings: [],
    servers: [
      {
        uuid: 'u1',
        instanceName: 'web-1',
        subtaskTotal: 1,
        fetchedAt: 1_700_000_000_000,
        subtasks: [
          { taskId: 't1', type: 'cve', state: 'complete', code: 'push_command_failed' },
          { taskId: 't1', type: 'sys', state: 'matching', code: '' },
        ],
      },
    ],
  };
  const state: AccountState = {
    provider: 'alibaba',
    account: 'fleet',
    snapshot,
    up: true,
    lastSuccessAt: snapshot.takenAt,
    lastDurationSeconds: 1,
    lastError: undefined,
    refresh: undefined,
    lastRefreshCalls: undefined,
    version: 1,
  };
  const m = metrics();
  m.sync([{ state, renderer: alibabaRenderer({ perServerSeries: false, types: ['cve', 'sys', 'cms', 'sca'] }) }]);
  const text = await m.expositionText();
  assert.doesNotMatch(text, /^cloudscan_sas_vul_check_subtask_state\{/m);
  assert.match(text, /^cloudscan_sas_vul_check_subtasks\{account="fleet",type="cve",state="complete"\} 1$/m);
  assert.match(text, /^cloudscan_sas_vul_check_subtasks\{account="fleet",type="sca",state="complete"\} 0$/m);
  assert.equal(text.split('\n').filter((l) => l.startsWith('cloudscan_sas_vul_check_subtasks{')).length, 24);
});

test('a rolling refresh that replaced one server renders its block again and reuses the others', async () => {
  const server = (i: number, state: 'complete' | 'matching') => ({
    uuid: `u${i}`,
    instanceName: `web-${i}`,
    subtaskTotal: 1,
    fetchedAt: 1_700_000_000_000,
    subtasks: [{ taskId: 't1', type: 'cve', state, code: '' }],
  });
  const servers = Array.from({ length: 250 }, (_, i) => server(i, 'complete'));
  const stateOf = (list: typeof servers, version: number): AccountState<AlibabaSnapshot> => ({
    provider: 'alibaba',
    account: 'fleet',
    snapshot: { provider: 'alibaba', account: 'fleet', takenAt: 1_700_000_000_000, errors: [], warnings: [], servers: list },
    up: true,
    lastSuccessAt: 1_700_000_000_000,
    lastDurationSeconds: 1,
    lastError: undefined,
    refresh: undefined,
    lastRefreshCalls: undefined,
    version,
  });
  const renderer = alibabaRenderer({ perServerSeries: true, types: ['cve'] });
  const m = metrics();
  m.sync([{ state: stateOf(servers, 1), renderer }]);
  const before = await m.exposition(0);
  const rolled = servers.map((s, i) => (i === 150 ? server(150, 'matching') : s));
  m.sync([{ state: stateOf(rolled, 2), renderer }]);
  const after = await m.exposition(0);

  const pieceWith = (pieces: typeof after, text: string) => pieces.find((p) => p.text.toString().includes(text));
  const line = (i: number, state: string) =>
    `cloudscan_sas_vul_check_subtask_state{account="fleet",uuid="u${i}",instance="web-${i}",task_id="t1",type="cve",state="${state}"} 1`;
  assert.equal(
    pieceWith(after, line(3, 'complete')),
    pieceWith(before, line(3, 'complete')),
    'a block without the replaced server: the same piece',
  );
  assert.equal(pieceWith(after, line(220, 'complete')), pieceWith(before, line(220, 'complete')), 'a later block: the same piece');
  assert.notEqual(pieceWith(after, line(150, 'matching')), undefined);
  assert.equal(pieceWith(after, line(150, 'complete')), undefined, 'the block of the replaced server rendered again');
  assert.match(
    after.map((p) => p.text.toString()).join(''),
    /cloudscan_sas_vul_check_subtasks\{account="fleet",type="cve",state="matching"\} 1/,
  );
});

test("an account's last refresh error is one series, its class and code following each refresh, gone with the account", async () => {
  const m = new ExporterMetrics({ build: { version: 't', revision: 't' }, defaultMetrics: false });
  const errorLines = async () => (await m.expositionText()).split('\n').filter((l) => l.startsWith('cloudscan_last_refresh_error{'));
  const refreshed = (version: number, lastError: AccountState['lastError']): AccountState => ({
    ...tencentState(version, []),
    up: lastError === undefined,
    lastError,
    lastRefreshCalls: { calls: 3, failed: lastError === undefined ? 0 : 1 },
  });
  m.sync([{ state: { ...tencentState(1, []), lastRefreshCalls: undefined }, renderer: tencentOptions }]);
  assert.deepEqual(await errorLines(), [], 'no series before the first refresh has finished');
  m.sync([
    {
      state: refreshed(2, new ApiError('tencent', 'DescribeScanState', 'AuthFailure.SecretIdNotFound', 'auth', 'x')),
      renderer: tencentOptions,
    },
  ]);
  assert.deepEqual(await errorLines(), [
    'cloudscan_last_refresh_error{provider="tencent",account="prod",class="auth",action="DescribeScanState",code="AuthFailure.SecretIdNotFound"} 1',
  ]);
  m.sync([
    {
      state: refreshed(3, new ApiError('tencent', 'DescribeScanState', 'RequestLimitExceeded', 'throttled', 'x')),
      renderer: tencentOptions,
    },
  ]);
  assert.deepEqual(await errorLines(), [
    'cloudscan_last_refresh_error{provider="tencent",account="prod",class="throttled",action="DescribeScanState",code="RequestLimitExceeded"} 1',
  ]);
  m.sync([{ state: refreshed(4, undefined), renderer: tencentOptions }]);
  assert.deepEqual(await errorLines(), [
    'cloudscan_last_refresh_error{provider="tencent",account="prod",class="none",action="",code=""} 1',
  ]);
  m.sync([]);
  assert.deepEqual(await errorLines(), []);
});
