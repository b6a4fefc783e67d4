// Texts of the clouds and their SDKs, bounded (issue 21, finding 2): cut to a few hundred characters,
// saying how long they were, with secrets taken out before the cut, so no part of one survives at
// its edge, and without copying the megabytes that were cut off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MESSAGE_CHARS, MAX_STACK_CHARS, boundedText, boundedToken } from '../../../src/base/cloud-text.js';
import { scrubbedChain } from '../../../src/base/error-chain.js';
import { ApiError } from '../../../src/contract/types.js';

const SECRET = 'SECRETVALUE0123456789';

test('a secret that crosses the cut is taken out whole, whatever the text around it', () => {
  for (const at of [MAX_MESSAGE_CHARS - 25, MAX_MESSAGE_CHARS - 10, MAX_MESSAGE_CHARS - 1, MAX_MESSAGE_CHARS, 10]) {
    const error = new Error(`${'x'.repeat(at)}${SECRET}${'y'.repeat(3_000_000)}`);
    const copy = scrubbedChain(error, [SECRET])!;
    assert.ok(
      !copy.message.includes('SECRET') && !copy.message.includes('0123'),
      `a secret at ${at} shows: ${copy.message.slice(at - 5, at + 30)}`,
    );
    assert.match(copy.message, new RegExp(`… \\(${error.message.length} characters in all\\)$`));
    assert.ok(copy.message.length < MAX_MESSAGE_CHARS + 40);
    assert.ok((copy.stack ?? '').length < MAX_STACK_CHARS + 40 && !(copy.stack ?? '').includes('SECRET'));
  }
});

test('an ApiError keeps a bounded message, code and request id, in one line of printable ASCII for the code and id', () => {
  const error = new ApiError(
    'tencent',
    'DescribeScanState',
    `Bad.${'c'.repeat(500)}\n`,
    'client',
    `m${'e'.repeat(5000)}`,
    `r\u0000${'i'.repeat(500)}`,
  );
  assert.equal(error.message.length, MAX_MESSAGE_CHARS + ' (5001 characters in all)'.length + 1);
  assert.equal(error.code.length, 128);
  assert.equal(error.requestId, `r?${'i'.repeat(62)}`);
  assert.equal(boundedText('short', 10), 'short');
  assert.equal(boundedText('start', 10, 50), 'start… (50 characters in all)');
  assert.equal(boundedToken('a b\u2028c', 10), 'a?b?c');
});
