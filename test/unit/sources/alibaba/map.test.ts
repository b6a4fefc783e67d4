import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alibabaEndpointForRegion } from '../../../../src/sources/alibaba/endpoint.js';
import { parseEndpoint } from '../../../../src/base/endpoint.js';
import { alibabaErrorKind, classifyAlibabaError } from '../../../../src/sources/alibaba/errors.js';
import { subtaskState, toServerStatus } from '../../../../src/sources/alibaba/map.js';
import { parseVulCheckTaskStatusDetail } from '../../../../src/sources/alibaba/parse.js';
import { ApiError } from '../../../../src/contract/types.js';
import { ShapeError } from '../../../../src/sources/kit/validate.js';

test('Status "0".."4" are the five subtask states; anything else is unknown', () => {
  assert.deepEqual(['0', '1', '2', '3', '4'].map(subtaskState), ['unhandled', 'collecting', 'collected', 'matching', 'complete']);
  assert.equal(subtaskState(4), 'complete');
  for (const odd of ['9', '-1', '', '1.0', 'done', null, 5]) assert.equal(subtaskState(odd), 'unknown', String(odd));
});

test('an empty or null Code is no failure code', () => {
  const { status, warnings } = toServerStatus(
    {
      TotalCount: 1,
      RequestId: 'r',
      TaskStatuses: [
        {
          TaskId: 'a',
          TaskStatusList: [
            { Type: 'cve', Status: '2', Code: '' },
            { Type: 'sys', Status: '4', Code: null },
          ],
        },
      ],
    },
    { uuid: 'u', instanceName: 'web-1' },
    5,
  );
  assert.deepEqual(status, {
    uuid: 'u',
    instanceName: 'web-1',
    subtaskTotal: 1,
    fetchedAt: 5,
    subtasks: [
      { taskId: 'a', type: 'cve', state: 'collected', code: '' },
      { taskId: 'a', type: 'sys', state: 'complete', code: '' },
    ],
  });
  assert.deepEqual(warnings, []);
});

test('a body with neither TotalCount nor TaskStatuses, or with lists that are not lists, is a shape error', () => {
  assert.throws(() => parseVulCheckTaskStatusDetail({}), ShapeError);
  assert.throws(() => parseVulCheckTaskStatusDetail({ TotalCount: null, TaskStatuses: null }), ShapeError);
  assert.throws(() => parseVulCheckTaskStatusDetail({ TotalCount: '1' }), ShapeError);
  assert.throws(() => parseVulCheckTaskStatusDetail({ TotalCount: 1, TaskStatuses: [{ TaskStatusList: 'x' }] }), ShapeError);
  assert.throws(() => parseVulCheckTaskStatusDetail('ok'), ShapeError);
  assert.deepEqual(parseVulCheckTaskStatusDetail({ TotalCount: 0 }), { TotalCount: 0, TaskStatuses: null, RequestId: '' });
});

test('TotalCount counts subtasks and is optional: an answer without it keeps its subtasks, with no series of the total and no warning', () => {
  const parsed = parseVulCheckTaskStatusDetail({
    RequestId: 'r',
    TaskStatuses: [{ TaskId: 't', TaskStatusList: [{ Type: 'cve', Status: '4', Code: '' }] }],
  });
  assert.equal(parsed.TotalCount, null);
  const { status, warnings } = toServerStatus(parsed, { uuid: 'u', instanceName: 'web-1' }, 5);
  assert.equal(status.subtaskTotal, null);
  assert.deepEqual(status.subtasks, [{ taskId: 't', type: 'cve', state: 'complete', code: '' }]);
  assert.deepEqual(warnings, []);
  // TotalCount 0 and no list is a plain "none"; a total without the list it counts is odd.
  assert.deepEqual(toServerStatus(parseVulCheckTaskStatusDetail({ TotalCount: 0 }), { uuid: 'u', instanceName: '' }, 5).warnings, []);
  assert.match(
    toServerStatus(parseVulCheckTaskStatusDetail({ TotalCount: 2 }), { uuid: 'u', instanceName: '' }, 5).warnings[0]!.message,
    /TaskStatuses missing/,
  );
});

test('regions map to the endpoint table: Chinese mainland, Hong Kong, finance and government regions to Shanghai', () => {
  for (const region of [
    'cn-hangzhou',
    'cn-shanghai',
    'cn-beijing',
    'cn-hongkong',
    'cn-shanghai-finance-1',
    'cn-beijing-gov-1',
    'cn-shenzhen-finance-1',
  ]) {
    assert.deepEqual(alibabaEndpointForRegion(region), { protocol: 'https', host: 'tds.cn-shanghai.aliyuncs.com' }, region);
  }
  for (const region of ['ap-southeast-1', 'ap-northeast-1', 'eu-central-1', 'us-west-1', 'me-east-1']) {
    assert.deepEqual(alibabaEndpointForRegion(region), { protocol: 'https', host: 'tds.ap-southeast-1.aliyuncs.com' }, region);
  }
});

test('an endpoint override is a host name or a full URL', () => {
  assert.deepEqual(parseEndpoint('tds.vpc-proxy.aliyuncs.com'), { protocol: 'https', host: 'tds.vpc-proxy.aliyuncs.com' });
  assert.deepEqual(parseEndpoint('http://127.0.0.1:8080'), { protocol: 'http', host: '127.0.0.1:8080' });
  assert.deepEqual(parseEndpoint('https://tds.aliyuncs.com/'), { protocol: 'https', host: 'tds.aliyuncs.com' });
  assert.ok('error' in parseEndpoint('ftp://x'));
  assert.ok('error' in parseEndpoint('http://x/path'));
  assert.ok('error' in parseEndpoint(''));
});

test('error codes are classified by kind', () => {
  assert.equal(alibabaErrorKind('Throttling.User'), 'throttled');
  assert.equal(alibabaErrorKind('InvalidAccessKeyId.NotFound'), 'auth');
  assert.equal(alibabaErrorKind('SignatureDoesNotMatch'), 'auth');
  assert.equal(alibabaErrorKind('Forbidden.RAM'), 'auth');
  assert.equal(alibabaErrorKind('ServerError'), 'server');
  assert.equal(alibabaErrorKind('Whatever', 502), 'server');
  assert.equal(alibabaErrorKind('IllegalParam', 400), 'client');
  // Temporary keys sent without their token: an authorization error, not a bad parameter.
  assert.equal(alibabaErrorKind('MissingSecurityToken', 400), 'auth');
  // A nonce the gateway saw already: the next attempt, signed anew, goes through.
  const replayed = classifyAlibabaError(
    'X',
    Object.assign(new Error('used'), { statusCode: 400, code: 'SignatureNonceUsed', requestId: 'r' }),
    false,
  );
  assert.deepEqual([replayed.code, replayed.retryable], ['SignatureNonceUsed', true]);
});

test('SDK errors become ApiErrors with our codes, and secrets are scrubbed from messages', () => {
  const make = (fields: object, aborted = false) =>
    classifyAlibabaError('X', Object.assign(new Error(''), fields), aborted, ['s3cr3t-value']);
  assert.equal(make({ statusCode: 502, code: 'undefined' }).code, 'http_502');
  assert.equal(make({ statusCode: 502, code: 'undefined' }).kind, 'server');
  assert.equal(make({ code: 'ECONNRESET', message: 'socket hang up' }).code, 'network');
  assert.equal(make({ name: 'RequestTimeoutError', message: 'ReadTimeout(300)' }).code, 'timeout');
  assert.equal(make({ message: 'whatever' }, true).code, 'timeout');
  assert.equal(classifyAlibabaError('X', new SyntaxError('Unexpected token <'), false).code, 'invalid_response');
  // A non-JSON body is the status's error when the answer was an error page, and retried when 5xx.
  const page = (status: number) => classifyAlibabaError('X', new SyntaxError('Unexpected token <'), false, [], status);
  assert.deepEqual([page(502).code, page(502).kind, page(502).retryable], ['http_502', 'server', true]);
  assert.deepEqual([page(429).code, page(429).kind], ['http_429', 'throttled']);
  assert.deepEqual([page(200).code, page(200).retryable], ['invalid_response', false]);
  const leaked = make({ statusCode: 400, code: 'IllegalParam', message: 'bad s3cr3t-value here' });
  assert.ok(leaked instanceof ApiError && !leaked.message.includes('s3cr3t-value'));
});
