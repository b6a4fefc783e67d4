// Logged errors keep their cause: the class of the error and of each cause, with its message and
// code, and at debug their stacks; and never a secret, even one an SDK put in its message.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/server.js';
import { createLogger, errorFields, type LogLevel } from '../../src/base/log.js';
import { scrubbedChain } from '../../src/base/error-chain.js';
import { ApiError } from '../../src/contract/types.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

/** One logfmt line of `logger.warn(errorFields(error))` at this level. */
function logged(level: LogLevel, error: unknown): string {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger(level, 'logfmt', stream);
  logger.warn(errorFields(error, logger), 'refresh failed');
  logger.flush();
  return text;
}

const SECRET = 'sdk-quoted-secret-0001';

function sdkFailure(): ApiError {
  const refused = Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 while signing with ${SECRET}`), { code: 'ECONNREFUSED' });
  const fetchFailed = new TypeError('fetch failed', { cause: refused });
  return new ApiError(
    'alibaba',
    'DescribeCloudCenterInstances',
    'network',
    'network',
    'DescribeCloudCenterInstances: fetch failed',
    undefined,
    {
      cause: scrubbedChain(fetchFailed, [SECRET]),
    },
  );
}

test('an error is logged with its class and the class, message and code of each cause, without a secret', () => {
  const line = logged('info', sdkFailure());
  assert.match(line, / err="DescribeCloudCenterInstances: fetch failed" errType=ApiError /);
  assert.match(
    line,
    / errCause="TypeError: fetch failed <- Error: connect ECONNREFUSED 10\.0\.0\.1:443 while signing with <secret> \(ECONNREFUSED\)"$/m,
  );
  assert.doesNotMatch(line, /errStack/, 'stacks only at debug');
  assert.ok(!line.includes(SECRET));
});

test('at debug the stacks of the error and its causes are logged too, without a secret', () => {
  const line = logged('debug', sdkFailure());
  const stack = /errStack="([^"\\]*(?:\\.[^"\\]*)*)"/.exec(line)?.[1] ?? '';
  assert.match(stack, /^ApiError: DescribeCloudCenterInstances: fetch failed\\n\s+at /);
  assert.match(stack, /\\ncaused by: TypeError: fetch failed\\n\s+at /);
  assert.match(stack, /\\ncaused by: Error: connect ECONNREFUSED 10\.0\.0\.1:443 while signing with <secret>\\n/);
  assert.ok(!line.includes(SECRET));
});

test('a value that is not an Error, a cycle and a huge message are logged in one bounded line', () => {
  assert.match(logged('info', 'just a string'), / err="just a string" errType=string$/m);
  const cyclic = new Error('a');
  const other = new Error('b', { cause: cyclic });
  (cyclic as { cause?: unknown }).cause = other;
  assert.match(logged('info', cyclic), / errCause="Error: b"$/m);
  const huge = logged('info', new Error('x'.repeat(100_000)));
  assert.ok(huge.length < 2000, `${huge.length} characters`);
  assert.match(huge, /\.\.\. \(100000 characters\)/);
});

test('a refresh that fails through a real SDK logs what the SDK threw, by class, and no secret', async () => {
  const emulator = await startEmulator();
  const tencent = { secretId: 'AKIDcauseTest00000000000000000000001', secretKey: 'causeTestTencentSecretKey00000001' };
  const alibaba = { accessKeyId: 'LTAI5tCauseTest0000001', accessKeySecret: 'cause-test-alibaba-secret-000000001' };
  emulator.tencent.addAccount({ name: 'prod', ...tencent, strategies: [] });
  emulator.alibaba.addAccount({ name: 'shop', ...alibaba, fleetSize: 1 });
  emulator.faults.add({ provider: 'tencent', fault: { kind: 'reset' } });
  emulator.alibaba.setSecret('shop', 'rotated-in-the-console-0000000001');
  const running = await startExporter(
    exporterConfig({
      tencent: [tencentAccount('prod', tencent, endpointOf(emulator), { modules: ['Vul'] })],
      alibaba: [alibabaAccount('shop', alibaba, endpointOf(emulator))],
    }),
  );
  try {
    await running.scrapeAfterRefresh();
    const failures = running
      .logText()
      .split('\n')
      .filter((line) => line.includes('"errType"'))
      .map((line) => JSON.parse(line) as Record<string, string>);
    const of = (provider: string) => failures.find((f) => f['provider'] === provider);
    assert.equal(of('tencent')?.['errType'], 'ApiError');
    assert.match(
      of('tencent')?.['errCause'] ?? '',
      /^TencentCloudSDKHttpException: request to http:\/\/127\.0\.0\.1:\d+\/ failed, reason: socket hang up$/,
    );
    assert.match(of('alibaba')?.['errCause'] ?? '', /^ClientError: SignatureDoesNotMatch: .* \(SignatureDoesNotMatch\)$/);
    assert.match(of('alibaba')?.['errStack'] ?? '', /\ncaused by: ClientError: SignatureDoesNotMatch/, 'the test logger logs at debug');
    for (const secret of [tencent.secretKey, alibaba.accessKeySecret]) assert.ok(!running.logText().includes(secret));
  } finally {
    await running.close();
    await emulator.close();
  }
});
