// Reading cloud answers: JSON only, and large integer ids with every digit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonContentType, parseJsonKeepingIntegers } from '../../src/sources/json-answer.js';

test('integers beyond 2^53 become bigints with every digit; everything else parses as JSON.parse does', () => {
  const text =
    '{"TaskId":9007199254740993,"Neg":-9007199254740995,"Safe":9007199254740991,"Float":1.5e300,' +
    '"Text":"9007199254740993 \\" 12345678901234567890","List":[18446744073709551617,0]}';
  assert.deepEqual(parseJsonKeepingIntegers(text), {
    TaskId: 9007199254740993n,
    Neg: -9007199254740995n,
    Safe: 9007199254740991,
    Float: 1.5e300,
    Text: '9007199254740993 " 12345678901234567890',
    List: [18446744073709551617n, 0],
  });
  assert.throws(() => parseJsonKeepingIntegers('data: x'), SyntaxError);
  assert.throws(() => parseJsonKeepingIntegers('{"a":9007199254740993'), SyntaxError);
});

test('only JSON media types (or none) are read as answers', () => {
  for (const type of [undefined, '', 'application/json', 'application/json;charset=utf-8', 'text/json', 'application/problem+json']) {
    assert.equal(isJsonContentType(type), true, String(type));
  }
  for (const type of ['text/event-stream', 'text/html', 'application/octet-stream', 'multipart/mixed; boundary=x']) {
    assert.equal(isJsonContentType(type), false, type);
  }
});
