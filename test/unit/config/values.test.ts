// The small value languages of the configuration file: durations, ${ENV} references, endpoints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../../src/base/duration.js';
import { parseEndpoint } from '../../../src/base/endpoint.js';
import { UnsetVariablesError, expandEnv, hasEnvReference } from '../../../src/config/env.js';

describe('durations', () => {
  const good: ReadonlyArray<readonly [string | number, number]> = [
    ['500ms', 0.5],
    ['60s', 60],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h30m15s', 5415],
    ['2d', 172800],
    ['1w', 604800],
    ['0.5s', 0.5],
    ['1m500ms', 60.5],
    ['0', 0],
    ['30', 30],
    ['2.5', 2.5],
    [45, 45],
    [0.25, 0.25],
  ];
  for (const [text, seconds] of good) it(`${JSON.stringify(text)} is ${seconds} s`, () => assert.equal(parseDuration(text), seconds));

  for (const text of ['', '60x', 's', '5 m', '1m1h', '-5s', '1.s', 'ms', '1hh', '1M']) {
    it(`${JSON.stringify(text)} is not a duration`, () => assert.equal(parseDuration(text), undefined));
  }
  it('a negative number is not a duration', () => assert.equal(parseDuration(-1), undefined));

  it('formats the shortest spelling', () => {
    assert.deepEqual([0, 0.5, 60, 90, 1800, 5415, 86400].map(formatDuration), ['0s', '500ms', '1m', '1m30s', '30m', '1h30m15s', '1d']);
  });
});

describe('${ENV} references', () => {
  const env = { A: 'alpha', EMPTY: '' };
  it('expands set variables, defaults and several references in one value', () => {
    assert.equal(expandEnv('${A}', env), 'alpha');
    assert.equal(expandEnv('x-${A}-${B:-beta}-y', env), 'x-alpha-beta-y');
    assert.equal(expandEnv('${EMPTY:-fallback}', env), 'fallback');
    assert.equal(expandEnv('${EMPTY}', env), '');
    assert.equal(expandEnv('${B:-}', env), '');
    assert.equal(expandEnv('${B:-a:-b}', env), 'a:-b');
  });
  it('leaves a lone $ and $${ as written', () => {
    assert.equal(expandEnv('cost $5', env), 'cost $5');
    assert.equal(expandEnv('$${A}', env), '${A}');
    assert.equal(hasEnvReference('$${A}'), false);
    assert.equal(hasEnvReference('a${A}'), true);
  });
  it('an unset variable names the variable, and every unset variable of a value is named', () => {
    assert.throws(() => expandEnv('${MISSING}', env), { name: 'EnvReferenceError', message: 'environment variable MISSING is not set' });
    assert.throws(
      () => expandEnv('${M1}-${A}-${M2}-${M1}', env),
      (error: unknown) => error instanceof UnsetVariablesError && error.variables.join() === 'M1,M2',
    );
  });
  it('a malformed reference says how to write one', () => {
    assert.throws(() => expandEnv('${1A}', env), {
      message: 'malformed ${...} reference: not a variable name (write ${NAME} or ${NAME:-default}; $${ for a literal ${)',
    });
    assert.throws(() => expandEnv('${A', env), /unclosed \$\{/);
  });
});

describe('endpoints', () => {
  const good: ReadonlyArray<readonly [string, string, string]> = [
    ['cwp.tencentcloudapi.com', 'https', 'cwp.tencentcloudapi.com'],
    ['CWP.intl.TencentCloudAPI.com', 'https', 'cwp.intl.tencentcloudapi.com'],
    ['localhost:8443', 'https', 'localhost:8443'],
    ['http://127.0.0.1:8080', 'http', '127.0.0.1:8080'],
    ['http://127.0.0.1:8080/', 'http', '127.0.0.1:8080'],
    ['https://tds.cn-shanghai.aliyuncs.com', 'https', 'tds.cn-shanghai.aliyuncs.com'],
    ['https://host:443', 'https', 'host'],
    ['http://[::1]:9000', 'http', '[::1]:9000'],
  ];
  for (const [text, protocol, host] of good) {
    it(`${text} -> ${protocol}://${host}`, () => assert.deepEqual(parseEndpoint(text), { protocol, host }));
  }
  for (const text of [
    '',
    'host/path',
    'http://host/path',
    'https://host?q=1',
    'https://host#x',
    'ftp://host',
    'ws://host',
    'host:99999',
    'a b',
    'https://u:p@host',
  ]) {
    it(`${JSON.stringify(text)} is refused`, () => assert.ok('error' in parseEndpoint(text)));
  }
});
