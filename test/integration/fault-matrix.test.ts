// The fault matrix: for each cloud and each way its API can misbehave, through the real SDK and
// the emulator, every scrape is answered with HTTP 200 without waiting for the faulted refresh;
// cloudscan_up and cloudscan_api_errors_total{code} say what happened; the last good values are
// still served; other accounts are unaffected; nothing crashes.
//
// Nothing here races the clock, so it holds on a loaded machine: every wait is for an event (a
// refresh settled), and only the hung connection meets a request timeout, the outcome it tests. The
// other accounts' calls, and the faulted calls whose outcome is an answer (a 503, 10 MiB, a stream),
// get a timeout they never reach: the emulator shares this process's CPU with them, and a 10 MiB
// answer being built beside a 1 s timeout once timed out the good account under load.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Fault, FaultRule } from '../../src/emulator/kit/faults.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { ExporterConfig } from '../../src/config/types.js';
import type { Provider } from '../../src/contract/types.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

/** Prometheus' scrape timeout in these tests; the exporter answers by this minus 0.5 s. */
const SCRAPE_TIMEOUT_SECONDS = 3;
/** The request timeout of a call whose fault is to never answer: the timeout is the outcome. */
const HANG_TIMEOUT_SECONDS = 1;
/** The request timeout of every other call: far beyond what any answer takes, however loaded the machine. */
const ANSWER_TIMEOUT_SECONDS = 20;

interface CloudCase {
  provider: Provider;
  /** What the describe block says, when more than the provider. */
  label?: string;
  /** Narrows every injected fault (a later page of one action, say); the whole account when absent. */
  scope?: Pick<FaultRule, 'action' | 'skip'>;
  /** The action whose failure the faulted refresh must report, when only one is faulted. */
  failingAction?: string;
  /** The action every refresh of an account starts with. */
  firstAction: string;
  /** The series that carry this cloud's data, to check the last good values are kept. */
  dataPrefix: string;
  /** Sets up two emulated accounts, `bad` (faulted, with this request timeout) and `good`, and returns the exporter's config. */
  setup(emulator: Emulator, badTimeoutSeconds?: number): ExporterConfig;
  breakAuth(emulator: Emulator): void;
  codes: { auth: string; throttled: string; http500: string; http503: string };
}

const ALIBABA_KEYS = {
  bad: { accessKeyId: 'LTAI5tFaultMatrixBad01', accessKeySecret: 'fault-matrix-bad-secret-000000000001' },
  good: { accessKeyId: 'LTAI5tFaultMatrixGood1', accessKeySecret: 'fault-matrix-good-secret-00000000001' },
};
const TENCENT_KEYS = {
  bad: { secretId: 'AKIDfaultMatrixBad000000000000000001', secretKey: 'faultMatrixBadSecretKey0000000001' },
  good: { secretId: 'AKIDfaultMatrixGood00000000000000001', secretKey: 'faultMatrixGoodSecretKey000000001' },
};

const ALL_CLOUDS: CloudCase[] = [
  {
    provider: 'alibaba',
    firstAction: 'DescribeCloudCenterInstances',
    dataPrefix: 'cloudscan_sas_vul_check_subtask_state{account="bad"',
    setup(emulator, badTimeoutSeconds = ANSWER_TIMEOUT_SECONDS) {
      emulator.alibaba.addAccount({ name: 'bad', ...ALIBABA_KEYS.bad, fleetSize: 2 });
      emulator.alibaba.addAccount({ name: 'good', ...ALIBABA_KEYS.good, fleetSize: 2 });
      const endpoint = endpointOf(emulator);
      return exporterConfig({
        ttlSeconds: 0,
        alibaba: [
          alibabaAccount('bad', ALIBABA_KEYS.bad, endpoint, { requestTimeoutSeconds: badTimeoutSeconds }),
          alibabaAccount('good', ALIBABA_KEYS.good, endpoint, { requestTimeoutSeconds: ANSWER_TIMEOUT_SECONDS }),
        ],
      });
    },
    breakAuth: (emulator) => emulator.alibaba.setSecret('bad', 'rotated-secret-the-exporter-lacks-0001'),
    // The base client reads a non-JSON error page as a bare SyntaxError; the client recovers the status.
    codes: { auth: 'SignatureDoesNotMatch', throttled: 'Throttling.User', http500: 'http_500', http503: 'http_503' },
  },
  {
    // Discovery walks 150 servers in two NextToken pages; every fault hits the second page (then every
    // page after): the refresh fails as a whole, and the agents of the last good one are still served.
    provider: 'alibaba',
    label: 'alibaba, a later DescribeCloudCenterInstances page',
    scope: { action: 'DescribeCloudCenterInstances', skip: 1 },
    failingAction: 'DescribeCloudCenterInstances',
    firstAction: 'DescribeCloudCenterInstances',
    dataPrefix: 'cloudscan_sas_agent_state{account="bad"',
    setup(emulator, badTimeoutSeconds = ANSWER_TIMEOUT_SECONDS) {
      emulator.alibaba.addAccount({
        name: 'bad',
        ...ALIBABA_KEYS.bad,
        fleetSize: 150,
        tasksPerServer: 1,
        types: ['cve'],
        offlineAgents: 3,
      });
      emulator.alibaba.addAccount({ name: 'good', ...ALIBABA_KEYS.good, fleetSize: 2 });
      const endpoint = endpointOf(emulator);
      return exporterConfig({
        ttlSeconds: 0,
        alibaba: [
          alibabaAccount('bad', ALIBABA_KEYS.bad, endpoint, { requestTimeoutSeconds: badTimeoutSeconds, rateLimit: 1000 }),
          alibabaAccount('good', ALIBABA_KEYS.good, endpoint, { requestTimeoutSeconds: ANSWER_TIMEOUT_SECONDS, rateLimit: 1000 }),
        ],
      });
    },
    breakAuth: (emulator) => emulator.alibaba.setSecret('bad', 'rotated-secret-the-exporter-lacks-0001'),
    codes: { auth: 'SignatureDoesNotMatch', throttled: 'Throttling.User', http500: 'http_500', http503: 'http_503' },
  },
  {
    provider: 'tencent',
    firstAction: 'DescribeBaselineStrategyList',
    dataPrefix: 'cloudscan_cwp_scan_state{account="bad"',
    setup(emulator, badTimeoutSeconds = ANSWER_TIMEOUT_SECONDS) {
      const strategies = [{ id: 7, name: 'baseline' }];
      emulator.tencent.addAccount({ name: 'bad', ...TENCENT_KEYS.bad, strategies });
      emulator.tencent.addAccount({ name: 'good', ...TENCENT_KEYS.good, strategies });
      const endpoint = endpointOf(emulator);
      return exporterConfig({
        ttlSeconds: 0,
        tencent: [
          tencentAccount('bad', TENCENT_KEYS.bad, endpoint, { requestTimeoutSeconds: badTimeoutSeconds }),
          tencentAccount('good', TENCENT_KEYS.good, endpoint, { requestTimeoutSeconds: ANSWER_TIMEOUT_SECONDS }),
        ],
      });
    },
    breakAuth: (emulator) => emulator.tencent.setSecretKey('bad', 'rotatedSecretTheExporterLacks0001'),
    codes: { auth: 'AuthFailure.SignatureFailure', throttled: 'RequestLimitExceeded', http500: 'http_500', http503: 'http_503' },
  },
  {
    // The hosts of a running scan task, read on every refresh: a fault there fails that call only.
    provider: 'tencent',
    label: 'tencent DescribeScanTaskDetails',
    scope: { action: 'DescribeScanTaskDetails' },
    firstAction: 'DescribeScanState',
    dataPrefix: 'cloudscan_cwp_host_scan_state{account="bad"',
    setup(emulator, badTimeoutSeconds = ANSWER_TIMEOUT_SECONDS) {
      const running = {
        ScanState: 1,
        Schedule: 40,
        TaskId: 9001,
        VulId: [],
        Type: 1,
        ScanBeginTime: '2026-11-23 10:00:00',
        ScanEndTime: null,
        RiskEventCount: 0,
      };
      for (const name of ['bad', 'good'] as const) {
        emulator.tencent.addAccount({ name, ...TENCENT_KEYS[name], fleetSize: 30 });
        emulator.tencent.pinScanState(name, 'Vul', undefined, running);
      }
      const endpoint = endpointOf(emulator);
      return exporterConfig({
        ttlSeconds: 0,
        tencent: [
          tencentAccount('bad', TENCENT_KEYS.bad, endpoint, { requestTimeoutSeconds: badTimeoutSeconds, modules: ['Vul'] }),
          tencentAccount('good', TENCENT_KEYS.good, endpoint, { requestTimeoutSeconds: ANSWER_TIMEOUT_SECONDS, modules: ['Vul'] }),
        ],
      });
    },
    breakAuth: (emulator) => emulator.tencent.setSecretKey('bad', 'rotatedSecretTheExporterLacks0001'),
    codes: { auth: 'AuthFailure.SignatureFailure', throttled: 'RequestLimitExceeded', http500: 'http_500', http503: 'http_503' },
  },
];

interface FaultCase {
  name: string;
  /** The faulted calls never answer: the bad account gets HANG_TIMEOUT_SECONDS. */
  hangs?: true;
  inject(emulator: Emulator, cloud: CloudCase): void;
  code(cloud: CloudCase): string;
  /** More to check once the faulted refreshes have settled. */
  after?(emulator: Emulator): Promise<void>;
}

const MIB = 1024 * 1024;

const onBad = (emulator: Emulator, cloud: CloudCase, fault: Fault) =>
  emulator.faults.add({ provider: cloud.provider, account: 'bad', ...cloud.scope, fault });

const FAULTS: FaultCase[] = [
  { name: 'auth failure', inject: (e, c) => c.breakAuth(e), code: (c) => c.codes.auth },
  {
    name: 'throttling',
    inject: (e, c) => onBad(e, c, { kind: 'error', code: c.codes.throttled }),
    code: (c) => c.codes.throttled,
  },
  { name: 'HTTP 500', inject: (e, c) => onBad(e, c, { kind: 'http_status', status: 500 }), code: (c) => c.codes.http500 },
  {
    name: 'HTTP 503 with a slow body',
    inject: (e, c) => onBad(e, c, { kind: 'http_status', status: 503, slowBodyMs: 300 }),
    code: (c) => c.codes.http503,
  },
  { name: 'connection reset', inject: (e, c) => onBad(e, c, { kind: 'reset' }), code: () => 'network' },
  { name: 'hung connection past the timeout', hangs: true, inject: (e, c) => onBad(e, c, { kind: 'hang' }), code: () => 'timeout' },
  { name: 'malformed JSON', inject: (e, c) => onBad(e, c, { kind: 'malformed_json' }), code: () => 'invalid_response' },
  { name: 'null-filled body', inject: (e, c) => onBad(e, c, { kind: 'null_fields' }), code: () => 'invalid_response' },
  {
    name: 'an answer of 10 MiB',
    inject: (e, c) => onBad(e, c, { kind: 'oversized', bytes: 10 * 1024 * 1024 }),
    code: () => 'invalid_response',
  },
  // A hostile endpoint: answers that are not JSON documents, cut mid-body, or far too long.
  {
    name: 'an event stream that then closes is invalid_response, and nothing crashes',
    inject: (e, c) => onBad(e, c, { kind: 'event_stream', then: 'close' }),
    code: () => 'invalid_response',
  },
  {
    name: 'an event stream that then resets is invalid_response, and nothing crashes',
    inject: (e, c) => onBad(e, c, { kind: 'event_stream', then: 'reset' }),
    code: () => 'invalid_response',
  },
  {
    name: 'an event stream that stays open is invalid_response, and its connection is closed',
    inject: (e, c) => onBad(e, c, { kind: 'event_stream', then: 'open' }),
    code: () => 'invalid_response',
    after: (e) => e.faults.streamsClosed(),
  },
  {
    name: 'a connection reset mid-body is a network error at once, not a timeout',
    inject: (e, c) => onBad(e, c, { kind: 'truncated' }),
    code: () => 'network',
  },
  {
    name: 'a chunked answer of 64 MiB is cut off at max_response_bytes',
    inject: (e, c) => onBad(e, c, { kind: 'chunked_oversized', bytes: 64 * MIB }),
    code: () => 'invalid_response',
    async after(e) {
      await e.faults.streamsClosed();
      // The limit is 4 MiB; what socket buffers hold beyond it is far below the 64 MiB offered.
      assert.ok(e.faults.streamedBytes < 16 * MIB, `the endpoint got to send ${e.faults.streamedBytes} bytes`);
    },
  },
];

/** A second 127.0.0.1 server that records every request it gets (and answers like a cloud would). */
async function startRecordingServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response: { ScanState: 2, Schedule: 100, RequestId: 'foreign' }, TotalCount: 0, Instances: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const CLOUDS = ALL_CLOUDS;
for (const cloud of CLOUDS) {
  describe(`${cloud.label ?? cloud.provider}: every fault is answered in time, said, and survived`, () => {
    let emulator: Emulator;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    before(async () => {
      emulator = await startEmulator();
      process.on('unhandledRejection', onUnhandled);
    });
    after(async () => {
      process.off('unhandledRejection', onUnhandled);
      await emulator.close();
      assert.deepEqual(unhandled, [], 'no unhandled rejection');
    });

    for (const fault of FAULTS) {
      test(fault.name, { timeout: 60_000 }, async () => {
        emulator.faults.clear();
        const running = await startExporter(cloud.setup(emulator, fault.hangs ? HANG_TIMEOUT_SECONDS : ANSWER_TIMEOUT_SECONDS));
        try {
          const scrape = async () => {
            const { status, body } = await running.get('/metrics', {
              'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT_SECONDS),
            });
            assert.equal(status, 200);
            return body;
          };
          const bad = (body: string, family: string) => valueOf(body, `${family}{provider="${cloud.provider}",account="bad"}`);
          // Two good refreshes, each settled (with cache.ttl 0, every scrape starts one): the second
          // is done before the fault, so what the faulted scrape serves is the last good data.
          await scrape();
          await running.exporter.collector.settled();
          await scrape();
          await running.exporter.collector.settled();

          fault.inject(emulator, cloud);
          const faulted = await scrape();
          // The scrape started the faulted refresh and answered without waiting for it: the
          // refresh was still running when the answer was rendered.
          assert.ok(bad(faulted, 'cloudscan_refresh_progress_ratio')! < 1, 'the scrape waited for the faulted refresh');
          assert.equal(bad(faulted, 'cloudscan_up'), 1, 'the last good data is served');
          const goodSeries = sampleLines(faulted, cloud.dataPrefix);
          assert.ok(goodSeries.length > 0);
          await running.exporter.collector.settled();
          const text = await scrape();
          for (const body of [faulted, text]) {
            assert.equal(valueOf(body, `cloudscan_up{provider="${cloud.provider}",account="good"}`), 1);
            assert.deepEqual(sampleLines(body, cloud.dataPrefix), goodSeries, 'the last good values are still served');
          }
          await running.exporter.collector.settled();
          const settled = await scrape();
          assert.equal(valueOf(settled, `cloudscan_up{provider="${cloud.provider}",account="bad"}`), 0);
          const code = fault.code(cloud);
          const errors = sampleLines(settled, `cloudscan_api_errors_total{provider="${cloud.provider}",account="bad",`);
          assert.ok(
            errors.some(
              (l) =>
                l.includes(`code="${code}"`) &&
                !l.endsWith(' 0') &&
                (cloud.failingAction === undefined || l.includes(`action="${cloud.failingAction}"`)),
            ),
            `expected code ${code}${cloud.failingAction ? ` of ${cloud.failingAction}` : ''} among:\n${errors.join('\n')}`,
          );
          if (cloud.scope?.skip !== undefined && fault.name !== 'auth failure') {
            const pages = emulator.calls.list({ provider: cloud.provider, account: 'bad', action: cloud.scope.action });
            assert.ok(
              pages.some((call) => call.params?.['NextToken'] !== undefined),
              'a later page was asked for',
            );
          }
          const goodErrors = sampleLines(settled, `cloudscan_api_errors_total{provider="${cloud.provider}",account="good",`);
          assert.deepEqual(
            goodErrors.filter((l) => !l.endsWith(' 0')),
            [],
            'the good account has no error',
          );
          await fault.after?.(emulator);
        } finally {
          await running.close();
        }
      });
    }

    test(
      'a redirect (301, 302, 307, 308) to another host is never followed: http_3xx, and the other host sees no request',
      { timeout: 30_000 },
      async () => {
        const elsewhere = await startRecordingServer();
        try {
          for (const status of [301, 302, 307, 308]) {
            emulator.faults.clear();
            const running = await startExporter(cloud.setup(emulator));
            try {
              await running.scrape();
              onBad(emulator, cloud, { kind: 'redirect', status, location: `${elsewhere.url}/` });
              await running.scrape();
              await running.exporter.collector.settled();
              const text = await running.scrape();
              assert.equal(valueOf(text, `cloudscan_up{provider="${cloud.provider}",account="bad"}`), 0);
              const errors = sampleLines(text, `cloudscan_api_errors_total{provider="${cloud.provider}",account="bad",`);
              assert.ok(
                errors.some((l) => l.includes(`code="http_${status}"`) && !l.endsWith(' 0')),
                `expected http_${status} among:\n${errors.join('\n')}`,
              );
            } finally {
              await running.close();
            }
          }
          assert.deepEqual(elsewhere.requests, [], 'no request, credential or token reached the redirect target');
        } finally {
          await elsewhere.close();
        }
      },
    );

    test('a flapping API (alternating success and failure) keeps serving data and counts the failures', async () => {
      emulator.faults.clear();
      const running = await startExporter(cloud.setup(emulator));
      try {
        await running.scrape();
        onBad(emulator, cloud, { kind: 'flap', fault: { kind: 'http_status', status: 500 } });
        const ups = [];
        for (let i = 0; i < 4; i++) {
          await running.exporter.collector.settled();
          const text = await running.scrape();
          ups.push(valueOf(text, `cloudscan_up{provider="${cloud.provider}",account="bad"}`));
          assert.ok(sampleLines(text, cloud.dataPrefix).length > 0, 'data is served throughout');
        }
        const text = await running.scrape();
        const failures = sampleLines(text, `cloudscan_api_errors_total{provider="${cloud.provider}",account="bad",`).reduce(
          (sum, l) => sum + Number(l.split(' ')[1]),
          0,
        );
        assert.ok(failures >= 2, `failures counted: ${failures}`);
        assert.ok(ups.every((u) => u === 0 || u === 1));
      } finally {
        await running.close();
      }
    });
  });
}
