import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DescribeScanStateResponse, DescribeScanTaskDetailsResponse, ScanTaskDetails } from '../../../../src/sources/tencent/api.js';
import { parseScanTaskDetails } from '../../../../src/sources/tencent/client.js';
import { parseCloudTime, toScanStatus, toTaskHosts } from '../../../../src/sources/tencent/map.js';
import { classifyTencentError, tencentPermissionDenied } from '../../../../src/sources/tencent/errors.js';
import { fixturesDir } from '../../../support/paths.js';

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
    {
      action: 'DescribeScanState',
      kind: 'unknown ScanState',
      message: 'DescribeScanState Vul: unknown ScanState 7, reported as state "unknown"',
      count: 1,
      answers: 1,
    },
  ]);
});

test('null RiskEventCount and unparsable times are left out, not zero', () => {
  const { status, warnings } = toScanStatus(response({ RiskEventCount: null, ScanBeginTime: 'xx', ScanEndTime: null }), vul, '+08:00');
  assert.equal(status.riskEventCount, null);
  assert.equal(status.startTime, null);
  assert.equal(status.endTime, null);
  assert.deepEqual(warnings, [
    {
      action: 'DescribeScanState',
      kind: 'ScanBeginTime is not a time',
      message: 'DescribeScanState Vul: ScanBeginTime "xx" is not a time; left out',
      count: 1,
      answers: 1,
    },
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

const details = (
  list: Array<Partial<ScanTaskDetails>>,
  overrides: Partial<DescribeScanTaskDetailsResponse> = {},
): DescribeScanTaskDetailsResponse => ({
  ScanTaskDetailList: list.map((h) => ({
    Uuid: null,
    HostName: null,
    HostIp: null,
    MachineWanIp: null,
    OsName: null,
    Status: null,
    FailType: null,
    Description: null,
    RiskNum: null,
    ...h,
  })),
  TotalCount: list.length,
  ScanMachineCount: null,
  RiskMachineCount: null,
  ScanProgress: null,
  ScanLeftTime: null,
  VulCount: null,
  RequestId: 'r',
  ...overrides,
});

test('the API document\'s DescribeScanTaskDetails example: its one host, Status "status" reported as unknown with a warning', () => {
  const example = JSON.parse(readFileSync(join(fixturesDir, 'tencent', 'describe-scan-task-details.example.json'), 'utf8')) as {
    Response: unknown;
  };
  const page = parseScanTaskDetails(example.Response);
  assert.equal(page.TotalCount, 1);
  assert.equal(page.ScanLeftTime, 1);
  const { hosts, warnings } = toTaskHosts([page], vul, '1', true, 5);
  assert.deepEqual(hosts.hosts, [
    {
      uuid: '1c26308c-5493-4eaf-a817-112ec25f499e',
      host: 'hostname',
      ip: 'xx.xx.xx.xx',
      wanIp: 'xx.xx.xx.xx',
      os: 'osname',
      result: 'unknown',
      reason: '',
      risks: 1,
    },
  ]);
  assert.deepEqual(hosts.byResult, { ok: 0, failed: 0, scanning: 0, unknown: 1 });
  assert.deepEqual(
    hosts.byReason,
    { offline: 0, timeout: 0, failed: 0, agent_outdated: 0, unknown: 0 },
    'FailType 1 of a host that did not fail is no reason',
  );
  assert.deepEqual(
    warnings.map((w) => w.message),
    [
      'DescribeScanTaskDetails Vul task 1: host 1c26308c-5493-4eaf-a817-112ec25f499e: unknown Status "status", reported as result "unknown"',
    ],
  );
});

test('Ok, Fail and Scanning are results; FailType 3, 4, 5, 8 are reasons and any other code is unknown, said once per host', () => {
  const page = details([
    { Uuid: 'a', Status: 'Ok', RiskNum: 2 },
    { Uuid: 'b', Status: 'Fail', FailType: 3 },
    { Uuid: 'c', Status: 'Fail', FailType: 4 },
    { Uuid: 'd', Status: 'Fail', FailType: 5 },
    { Uuid: 'e', Status: 'FAIL', FailType: 8 },
    { Uuid: 'f', Status: 'Fail', FailType: 9 },
    { Uuid: 'g', Status: 'Scanning' },
  ]);
  const { hosts, warnings } = toTaskHosts([page], vul, '7', false, 0);
  assert.deepEqual(
    hosts.hosts.map((h) => `${h.uuid} ${h.result} ${h.reason}`),
    ['a ok ', 'b failed offline', 'c failed timeout', 'd failed failed', 'e failed agent_outdated', 'f failed unknown', 'g scanning '],
  );
  assert.deepEqual(hosts.byResult, { ok: 1, failed: 5, scanning: 1, unknown: 0 });
  assert.deepEqual(hosts.byReason, { offline: 1, timeout: 1, failed: 1, agent_outdated: 1, unknown: 1 });
  assert.deepEqual(
    warnings.map((w) => w.message),
    ['DescribeScanTaskDetails Vul task 7: host f: unknown FailType 9, reported as reason "unknown"'],
  );
  assert.equal(hosts.final, false);
});

test('a host listed on two pages is taken once; one without Uuid is counted but has no series; odd values are bounded or left out', () => {
  const first = details([
    { Uuid: 'a', Status: 'Ok' },
    { Uuid: 'b', Status: 'Fail', FailType: 3 },
  ]);
  const second = details([
    { Uuid: 'b', Status: 'Fail', FailType: 3 },
    { Uuid: null, HostName: 'ghost', Status: 'Fail', FailType: 4 },
    { Uuid: 'c', HostName: `evil\u0000${'x'.repeat(300)}`, HostIp: '10.0.0.1"}', Status: 'Ok', RiskNum: -1 },
  ]);
  const { hosts, warnings } = toTaskHosts([first, second], vul, '7', true, 0);
  assert.deepEqual(
    hosts.hosts.map((h) => h.uuid),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(hosts.byResult, { ok: 2, failed: 2, scanning: 0, unknown: 0 });
  assert.deepEqual(hosts.byReason, { offline: 1, timeout: 1, failed: 0, agent_outdated: 0, unknown: 0 });
  const c = hosts.hosts[2]!;
  assert.equal(c.host, `evil${'x'.repeat(124)}`);
  assert.equal(c.ip, '10.0.0.1__');
  assert.equal(c.risks, null);
  const messages = warnings.map((w) => w.message).join('\n');
  assert.match(messages, /host c HostName "evil\\u0000x{35}"\.\.\. is not a plain name/);
  assert.match(messages, /host c HostIp "10\.0\.0\.1\\"}" is not a plain id; reported as "10\.0\.0\.1__"/);
  assert.match(messages, /host c RiskNum -1 is out of range/);
  assert.match(messages, /1 host\(s\) without Uuid: counted, but without series of their own/);
});

test('a host list that is not a list, or a host field of the wrong type, is an invalid answer naming the field', () => {
  assert.throws(
    () => parseScanTaskDetails({ ScanTaskDetailList: null, TotalCount: 0 }),
    /Response\.ScanTaskDetailList is null, expected an array/,
  );
  assert.throws(
    () => parseScanTaskDetails({ ScanTaskDetailList: [{ FailType: 'three' }] }),
    /Response\.ScanTaskDetailList\[0\]\.FailType is the string "three", expected a number/,
  );
  assert.equal(parseScanTaskDetails({ ScanTaskDetailList: [] }).TotalCount, null, 'TotalCount may be left out');
});

test('KBNumber is counted; null KBNumber is no count', () => {
  assert.equal(toScanStatus(response({ KBNumber: ['KB5005565', 'KB5005573'] }), vul, '+08:00').status.kbCount, 2);
  assert.equal(toScanStatus(response({ KBNumber: null }), vul, '+08:00').status.kbCount, null);
});

test("STS's InternalError.GetRoleError and InternalError.IllegalRole are lasting role problems, not server errors to retry", () => {
  const answer = (code: string) =>
    classifyTencentError('AssumeRole', Object.assign(new Error('role'), { code, requestId: 'req-1' }), false);
  for (const code of ['InternalError.GetRoleError', 'InternalError.IllegalRole']) {
    assert.deepEqual([answer(code).kind, answer(code).retryable], ['auth', false], code);
  }
  assert.deepEqual([answer('InternalError').kind, answer('InternalError').retryable], ['server', true]);
  assert.equal(tencentPermissionDenied('AuthFailure.UnauthorizedOperation'), true);
  assert.equal(tencentPermissionDenied('AuthFailure.SignatureFailure'), false);
});

test('a failed host whose FailType names no known reason keeps the reason "unknown" and its Description, on one bounded line', () => {
  const { hosts, warnings } = toTaskHosts(
    [
      details([
        { Uuid: 'a', Status: 'Fail', FailType: 0, Description: 'the agent reported no result:\nnot enough disk space' },
        { Uuid: 'b', Status: 'Fail', FailType: 3, Description: 'offline since yesterday' },
        { Uuid: 'c', Status: 'Fail', FailType: 42, Description: 'x'.repeat(500) },
      ]),
    ],
    vul,
    '5',
    true,
    0,
  );
  const [a, b, c] = hosts.hosts;
  assert.deepEqual([a?.reason, a?.description], ['unknown', 'the agent reported no result: not enough disk space']);
  assert.deepEqual([b?.reason, b?.description], ['offline', undefined], 'a known reason needs no description');
  assert.equal(c?.description?.length, 200);
  assert.deepEqual(hosts.byReason, { offline: 1, timeout: 0, failed: 0, agent_outdated: 0, unknown: 2 });
  assert.match(
    warnings[0]!.message,
    /unknown FailType 0, reported as reason "unknown" \(the agent reported no result: not enough disk space\)/,
  );
});
