import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DescribeScanStateResponse } from '../../src/sources/tencent/api.js';
import { parseCloudTime, toScanStatus } from '../../src/sources/tencent/map.js';

const vul = { module: 'Vul' as const, strategyId: '', strategyName: '' };

function response(overrides: Partial<DescribeScanStateResponse>): DescribeScanStateResponse {
  return {
    ScanState: 2,
    Schedule: 100,
    TaskId: 5,
    VulId: [1, 2],
    Type: 1,
    ScanBeginTime: '2026-11-23 10:00:00',
    RiskEventCount: 2,
    ScanEndTime: '2026-11-23 10:30:00',
    RequestId: 'r',
    ...overrides,
  };
}

test('Beijing times without a zone become Unix seconds', () => {
  assert.equal(parseCloudTime('2021-07-09 15:04:01', '+08:00'), Date.UTC(2021, 6, 9, 7, 4, 1) / 1000);
  assert.equal(parseCloudTime('2021-07-09 15:04:01', '+00:00'), Date.UTC(2021, 6, 9, 15, 4, 1) / 1000);
  assert.equal(parseCloudTime('2021-07-09 15:04:01', '-05:30'), Date.UTC(2021, 6, 9, 20, 34, 1) / 1000);
});

test('unparsable and all-zero times are no time at all', () => {
  for (const text of ['xx', '', '0000-00-00 00:00:00', '2021-13-01 00:00:00', '2021-07-09']) {
    assert.equal(parseCloudTime(text, '+08:00'), null, text);
  }
});

test('an unknown ScanState is reported as unknown with a warning naming it', () => {
  const { status, warnings } = toScanStatus(response({ ScanState: 7 }), vul, '+08:00');
  assert.equal(status.state, 'unknown');
  assert.deepEqual(warnings, [
    { action: 'DescribeScanState', message: 'DescribeScanState Vul: unknown ScanState 7, reported as state "unknown"' },
  ]);
});

test('null RiskEventCount and unparsable times are left out, not zero', () => {
  const { status, warnings } = toScanStatus(
    response({ RiskEventCount: null, ScanBeginTime: 'xx', ScanEndTime: null }),
    vul,
    '+08:00',
  );
  assert.equal(status.riskEventCount, null);
  assert.equal(status.startTime, null);
  assert.equal(status.endTime, null);
  assert.deepEqual(warnings, [
    { action: 'DescribeScanState', message: 'DescribeScanState Vul: ScanBeginTime "xx" is not a time; left out' },
  ]);
});

test('big task ids keep every digit', () => {
  const { status } = toScanStatus(response({ TaskId: 12345678901234567890n }), vul, '+08:00');
  assert.equal(status.taskId, '12345678901234567890');
  assert.equal(toScanStatus(response({ TaskId: 1e21 }), vul, '+08:00').status.taskId, '1000000000000000000000');
});

test('codes map to names: scheduled trigger, progress as a ratio, VulId count', () => {
  const { status } = toScanStatus(
    response({ ScanState: 1, Schedule: 45, Type: 0, VulId: [] }),
    { module: 'Baseline', strategyId: '42', strategyName: 'default' },
    '+08:00',
  );
  assert.equal(status.state, 'scanning');
  assert.equal(status.trigger, 'one_click');
  assert.equal(status.progressRatio, 0.45);
  assert.equal(status.vulnerabilityCount, 0);
  assert.equal(status.strategyName, 'default');
});
