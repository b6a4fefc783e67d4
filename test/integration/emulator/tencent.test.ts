// The Tencent half of the emulator answers the real CommonClient as the cloud would, signature
// checks included, so the exporter's tests of auth failures mean something.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';
import { tc3Signature } from '../../../src/emulator/tencent/signature.js';
import { beijingTime, scanStateAt } from '../../../src/emulator/tencent/simulation.js';
import { GENERATED_OTHER_FAILURE, generatedHosts } from '../../../src/emulator/tencent/hosts.js';

const KEYS = { secretId: 'AKIDemulatorUnitTest0000000000000001', secretKey: 'emulatorUnitTestSecretKey000000001' };

describe('the Tencent emulator and the real SDK', () => {
  let emulator: Emulator;
  const client = (secretId: string, secretKey: string) =>
    new tencentcloud.CommonClient(`127.0.0.1:${emulator.port}`, '2018-02-28', {
      credential: { secretId, secretKey },
      profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
    });

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({
      name: 'prod',
      ...KEYS,
      strategies: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
        { id: 3, name: 'c', enabled: false },
      ],
    });
  });
  after(() => emulator.close());

  test('a correctly signed call is answered; a wrong key and an unknown id get the cloud auth codes', async () => {
    const answer = (await client(KEYS.secretId, KEYS.secretKey).request('DescribeScanState', { ModuleType: 'Vul' })) as Record<
      string,
      unknown
    >;
    assert.equal(typeof answer['ScanState'], 'number');
    await assert.rejects(client(KEYS.secretId, 'wrong').request('DescribeScanState', { ModuleType: 'Vul' }), {
      code: 'AuthFailure.SignatureFailure',
    });
    await assert.rejects(client('AKIDunknown', KEYS.secretKey).request('DescribeScanState', { ModuleType: 'Vul' }), {
      code: 'AuthFailure.SecretIdNotFound',
    });
  });

  test('a request signed 10 minutes ago is expired, and an unsigned one is refused', async () => {
    const body = Buffer.from('{"ModuleType":"Vul"}');
    const timestamp = String(Math.floor(Date.now() / 1000) - 600);
    const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
    const signature = tc3Signature({ ...KEYS, date, service: '127', timestamp, contentType: 'application/json', host: '127.0.0.1', body });
    const send = (authorization?: string) =>
      fetch(`${emulator.url}/`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-tc-action': 'DescribeScanState',
          'x-tc-version': '2018-02-28',
          'x-tc-timestamp': timestamp,
          ...(authorization ? { authorization } : {}),
        },
      }).then((r) => r.json() as Promise<{ Response: { Error?: { Code: string } } }>);
    const expired = await send(
      `TC3-HMAC-SHA256 Credential=${KEYS.secretId}/${date}/127/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
    );
    assert.equal(expired.Response.Error?.Code, 'AuthFailure.SignatureExpire');
    assert.equal((await send()).Response.Error?.Code, 'AuthFailure.InvalidAuthorization');
  });

  test('parameters are checked as the API checks them', async () => {
    const c = client(KEYS.secretId, KEYS.secretKey);
    await assert.rejects(c.request('DescribeScanState', {}), { code: 'MissingParameter' });
    await assert.rejects(c.request('DescribeScanState', { ModuleType: 'Nope' }), { code: 'InvalidParameterValue' });
    await assert.rejects(c.request('DescribeScanState', { ModuleType: 'Baseline' }), { code: 'InvalidParameter.MissingParameter' });
    await assert.rejects(c.request('DescribeScanState', { ModuleType: 'Baseline', Filters: [{ Name: 'StrategyId', Values: ['99'] }] }), {
      code: 'ResourceNotFound',
    });
    await assert.rejects(c.request('DescribeBaselineStrategyList', { Limit: 101, Offset: 0, Enabled: 1 }), {
      code: 'InvalidParameterValue',
    });
    const page = (await c.request('DescribeBaselineStrategyList', { Limit: 1, Offset: 1, Enabled: 1 })) as {
      TotalCount: number;
      StrategyList: Array<{ StrategyId: number }>;
    };
    assert.equal(page.TotalCount, 2, 'disabled strategies are left out with Enabled 1');
    assert.deepEqual(
      page.StrategyList.map((s) => s.StrategyId),
      [2],
    );
  });
});

interface DetailsPage {
  TotalCount: number;
  ScanTaskDetailList: Array<{ Uuid: string; Status: string; FailType: number; RiskNum: number }>;
}

describe("the emulator's DescribeScanTaskDetails", () => {
  let emulator: Emulator;
  let now = Date.UTC(2026, 10, 23, 4, 0, 0);
  const client = () =>
    new tencentcloud.CommonClient(`127.0.0.1:${emulator.port}`, '2018-02-28', {
      credential: KEYS,
      profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
    });
  const details = (request: Record<string, unknown>) => client().request('DescribeScanTaskDetails', request) as Promise<DetailsPage>;

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
    emulator.tencent.addAccount({ name: 'prod', ...KEYS, fleetSize: 250, cycleMs: 100_000 });
  });
  after(() => emulator.close());

  test('checks its parameters, and a wrong key gets the auth code', async () => {
    await assert.rejects(details({ TaskId: 1 }), { code: 'MissingParameter' });
    await assert.rejects(details({ ModuleType: 'Vul' }), { code: 'MissingParameter' });
    await assert.rejects(
      details({ ModuleType: 'Vul', TaskId: 'x' }),
      { code: 'InvalidParameter' },
      'a type error is InvalidParameter; a value out of range InvalidParameterValue',
    );
    await assert.rejects(details({ ModuleType: 'Vul', TaskId: 1, Limit: 101 }), { code: 'InvalidParameterValue' });
    await assert.rejects(details({ ModuleType: 'Vul', TaskId: 1, Offset: -1 }), { code: 'InvalidParameterValue' });
    const wrong = new tencentcloud.CommonClient(`127.0.0.1:${emulator.port}`, '2018-02-28', {
      credential: { secretId: KEYS.secretId, secretKey: 'wrong' },
      profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
    });
    await assert.rejects(wrong.request('DescribeScanTaskDetails', { ModuleType: 'Vul', TaskId: 1, Limit: 100, Offset: 0 }), {
      code: 'AuthFailure.SignatureFailure',
    });
  });

  test('pages a finished task of 250 hosts by Limit and Offset; 30% of them fail, for each of the four documented reasons and one the FailType does not name', async () => {
    const pages = [await details({ ModuleType: 'Vul', TaskId: 12, Limit: 100, Offset: 0 })];
    pages.push(await details({ ModuleType: 'Vul', TaskId: 12, Limit: 100, Offset: 100 }));
    pages.push(await details({ ModuleType: 'Vul', TaskId: 12, Limit: 100, Offset: 200 }));
    assert.deepEqual(
      pages.map((p) => [p.TotalCount, p.ScanTaskDetailList.length]),
      [
        [250, 100],
        [250, 100],
        [250, 50],
      ],
    );
    const hosts = pages.flatMap((p) => p.ScanTaskDetailList);
    assert.deepEqual(
      hosts.map((h) => h.Uuid),
      generatedHosts('prod', 250).map((h) => h.uuid),
    );
    assert.equal(hosts.filter((h) => h.Status === 'Scanning').length, 0, 'a task that is not the latest has finished');
    const failTypes = new Map<number, number>();
    for (const h of hosts.filter((h) => h.Status === 'Fail')) failTypes.set(h.FailType, (failTypes.get(h.FailType) ?? 0) + 1);
    assert.deepEqual(
      [...failTypes].sort(([a], [b]) => a - b),
      [
        [0, 12],
        [3, 25],
        [4, 13],
        [5, 12],
        [8, 12],
      ],
    );
    const undocumented = hosts.filter((h) => h.Status === 'Fail' && h.FailType === 0) as Array<{ Description?: string }>;
    assert.ok(
      undocumented.every((h) => h.Description === GENERATED_OTHER_FAILURE),
      'its Description says why',
    );
    assert.equal((await details({ ModuleType: 'Vul', TaskId: 12 })).ScanTaskDetailList.length, 10, 'Limit defaults to 10');
  });

  test("the latest task's hosts finish as its progress passes them, offline ones at once", async () => {
    let state = emulator.tencent.scanState('prod', 'Malware');
    while (state['ScanState'] !== 1 || Number(state['Schedule']) > 10) {
      now += 2_000;
      state = emulator.tencent.scanState('prod', 'Malware');
    }
    const early = (await details({ ModuleType: 'Malware', TaskId: state['TaskId'], Limit: 100, Offset: 0 })).ScanTaskDetailList;
    const scanning = early.filter((h) => h.Status === 'Scanning').length;
    assert.ok(scanning > 50, `${scanning} of 100 still scanning at ${String(state['Schedule'])}%`);
    assert.ok(
      early.filter((h) => h.FailType === 3).every((h) => h.Status === 'Fail'),
      'offline hosts fail at once',
    );
    now += 60_000;
    const later = (await details({ ModuleType: 'Malware', TaskId: state['TaskId'], Limit: 100, Offset: 0 })).ScanTaskDetailList;
    assert.equal(later.filter((h) => h.Status === 'Scanning').length, 0, 'none scanning once the task completed');
  });

  test('a task id beyond 2^53 is matched by every digit', async () => {
    emulator.tencent.pinTaskHosts('prod', 9_007_199_254_740_993n, [{ Uuid: 'big', Status: 'Ok', FailType: 0, RiskNum: 1 }]);
    const page = await details({ ModuleType: 'Vul', TaskId: 9_007_199_254_740_993n, Limit: 100, Offset: 0 });
    assert.deepEqual(
      page.ScanTaskDetailList.map((h) => h.Uuid),
      ['big'],
    );
    const neighbour = await details({ ModuleType: 'Vul', TaskId: 9_007_199_254_740_992n, Limit: 100, Offset: 0 });
    assert.notDeepEqual(
      neighbour.ScanTaskDetailList.map((h) => h.Uuid),
      ['big'],
    );
  });
});

test('scans move through scanning, completed and stopped over a cycle, deterministically', () => {
  const cycle = 100_000;
  const seen = new Set<number>();
  for (let t = 0; t < 40 * cycle; t += cycle / 20) seen.add(scanStateAt('prod/Vul', t, cycle, false).ScanState);
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4]);
  assert.deepEqual(scanStateAt('prod/Vul', 12345, cycle, false), scanStateAt('prod/Vul', 12345, cycle, false));
  assert.equal(typeof scanStateAt('prod/Vul', 0, cycle, true).TaskId, 'bigint');
  assert.equal(beijingTime(Date.UTC(2021, 6, 9, 7, 4, 1)), '2021-07-09 15:04:01');
});

test("an account's quota throttles the calls of one action beyond it in any second, as the cloud does, whoever calls", async () => {
  let now = 1_000_000;
  const emulator = await startEmulator({ clock: () => now });
  emulator.tencent.addAccount({ name: 'prod', ...KEYS, strategies: [] });
  emulator.quotas.set('tencent', 'prod', 3);
  // Two clients with the same keys: two replicas of one account share its quota.
  const client = () =>
    new tencentcloud.CommonClient(`127.0.0.1:${emulator.port}`, '2018-02-28', {
      credential: KEYS,
      profile: { httpProfile: { endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
    });
  const [a, b] = [client(), client()];
  try {
    const scan = (c: typeof a) => c.request('DescribeScanState', { ModuleType: 'Vul' });
    await scan(a);
    now += 400;
    await scan(b);
    await scan(a);
    await assert.rejects(scan(b), { code: 'RequestLimitExceeded' });
    // Another action has its own limit.
    await a.request('DescribeBaselineStrategyList', { Limit: 10, Offset: 0, Enabled: 1 });
    // 1 s after the first call it has left the window: one more fits, then the window is full again.
    now += 600;
    await scan(b);
    await assert.rejects(scan(a), { code: 'RequestLimitExceeded' });
    assert.equal(emulator.quotas.throttled('tencent', 'prod'), 2);
    assert.equal(
      emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeScanState' }),
      6,
      'throttled calls still reach the cloud',
    );
  } finally {
    await emulator.close();
  }
});
