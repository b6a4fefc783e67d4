// Reading cloud answers: JSON only, and large integer ids with every digit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonContentType, parseJsonKeepingIntegers } from '../../../../src/sources/kit/json-answer.js';
import { MAX_INTEGER_DIGITS, integerValue } from '../../../../src/sources/kit/validate.js';

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

test('an integer literal longer than any id is not made a bigint (a megabyte of digits would take seconds), and an id string of 41 digits is refused', () => {
  const digits = '9'.repeat(200_000);
  assert.deepEqual(parseJsonKeepingIntegers(`{"TaskId":${digits},"Id":12345678901234567890123456789012345678901}`), {
    TaskId: Infinity,
    Id: 1.2345678901234568e40,
  });
  assert.equal(integerValue('1'.repeat(MAX_INTEGER_DIGITS), 'TaskId'), '1'.repeat(MAX_INTEGER_DIGITS));
  assert.throws(
    () => integerValue('1'.repeat(MAX_INTEGER_DIGITS + 1), 'TaskId'),
    /TaskId is the string "1{40}\.\.\.", expected an integer of at most 40 digits/,
  );
});
