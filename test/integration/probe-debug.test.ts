// /probe?target=<provider>/<account>&debug=true, as blackbox_exporter's: the log of the account's last
// refresh (each call attempt's action, HTTP status, code, duration, request id, attempt) and then its
// series, as text; through the real SDK clients against the emulator with faults injected; never a secret.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { valueOf } from '../support/exposition.js';
import { ROTATED_AWAY_KEY, SCENARIO_KEYS, startStatusScenario, type StatusScenario } from '../support/status-scenario.js';

/** Every credential value of the scenario, secret or not: none may appear in a debug answer. */
const CREDENTIALS = [...Object.values(SCENARIO_KEYS).flatMap((keys) => Object.values(keys)), ROTATED_AWAY_KEY];

/** The log lines of the last finished refresh, as key=value maps. */
function callLines(body: string): Array<Record<string, string>> {
  const section = body.split('\nLast finished refresh:')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('  at='))
    .map((line) =>
      Object.fromEntries(
        [...line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [
          m[1]!,
          m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!,
        ]),
      ),
    );
}

describe('/probe?debug=true', () => {
  let scenario: StatusScenario;

  before(async () => {
    scenario = await startStatusScenario();
    await scenario.running.scrapeAfterRefresh();
  });

  after(async () => {
    await scenario?.close();
  });

  test("a throttled account's debug probe shows each attempt with Throttling.User, HTTP 400, its request id and its retries, then its series", async () => {
    const answer = await fetch(`${scenario.running.url}/probe?target=alibaba/edge&debug=true`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
    const body = await answer.text();
    // The list of vulnerability checks is asked at once with discovery; discovery's attempts are these.
    const sent = scenario.emulator.calls.list({ provider: 'alibaba', account: 'edge', action: 'DescribeCloudCenterInstances' });
    const lines = callLines(body).filter((line) => line['action'] !== 'DescribeOnceTask');
    assert.ok(lines.length >= 2, body);
    for (const [i, line] of lines.entries()) {
      assert.equal(line['action'], 'DescribeCloudCenterInstances');
      assert.equal(line['attempt'], String(i + 1));
      assert.equal(line['outcome'], i === lines.length - 1 ? 'failed' : 'retried');
      assert.equal(line['http_status'], '400');
      assert.equal(line['code'], 'Throttling.User');
      assert.match(line['duration'] ?? '', /^[\d.]+s$/);
      assert.equal(line['request_id'], sent[i]?.requestId, 'the request id the emulator answered that attempt with');
    }
    assert.match(
      body,
      /^Last finished refresh: started \S+, took [\d.]+s, \d+ call attempt\(s\); failed; down; first error DescribeCloudCenterInstances Throttling\.User \(request id [0-9A-F-]{36}\)$/m,
    );
    const series = body.split('Series of this probe:\n')[1] ?? '';
    assert.equal(valueOf(series, 'cloudscan_up{provider="alibaba",account="edge"}'), 0);
    for (const credential of CREDENTIALS) assert.ok(!body.includes(credential), 'no credential in the debug answer');
  });

  test("a rotated key shows the cloud's auth code and request id, the attempt not retried, and no secret", async () => {
    const body = await (await fetch(`${scenario.running.url}/probe?target=tencent/staging&debug=true`)).text();
    const [line, ...more] = callLines(body);
    assert.deepEqual(more, [], 'an auth error is not retried');
    const sent = scenario.emulator.calls.list({ provider: 'tencent', account: 'staging' });
    assert.equal(line?.['code'], 'AuthFailure.SignatureFailure');
    assert.equal(line?.['outcome'], 'failed');
    assert.equal(line?.['http_status'], '200', 'Tencent answers errors with HTTP 200');
    assert.equal(line?.['request_id'], sent[0]?.requestId);
    assert.match(
      body,
      /^Last error: code=AuthFailure\.SignatureFailure action=DescribeBaselineStrategyList request_id=[0-9a-f-]{36} message=/m,
    );
    for (const credential of CREDENTIALS) assert.ok(!body.includes(credential), 'no credential in the debug answer');
  });

  test('an account that is up logs every call of its last refresh with HTTP 200 and the request id of each answer', async () => {
    const body = await (await fetch(`${scenario.running.url}/probe?target=alibaba/shop&debug=true`)).text();
    const lines = callLines(body);
    // One discovery page, one page of the list of vulnerability checks and one call per server (40): all answered.
    assert.equal(lines.length, 42);
    assert.ok(
      lines.every(
        (line) =>
          line['outcome'] === 'ok' &&
          line['http_status'] === '200' &&
          line['code'] === '' &&
          /^[0-9A-F-]{36}$/.test(line['request_id'] ?? ''),
      ),
    );
    const ids = new Set(scenario.emulator.calls.list({ provider: 'alibaba', account: 'shop' }).map((call) => call.requestId));
    // Pinned answers carry their own RequestId; the rest are the ones the emulator made for the call.
    assert.ok(lines.filter((line) => ids.has(line['request_id'])).length >= 42 - 12);
    assert.match(body, /; up: every call succeeded$/m);
  });

  test('without debug=true the probe answers the exposition alone, and an unknown target is still a 400', async () => {
    const plain = await scenario.running.get('/probe?target=alibaba/edge');
    assert.doesNotMatch(plain.body, /Last finished refresh/);
    assert.equal(valueOf(plain.body, 'cloudscan_up{provider="alibaba",account="edge"}'), 0);
    const unknown = await scenario.running.get('/probe?target=alibaba/nowhere&debug=true');
    assert.equal(unknown.status, 400);
  });
});
