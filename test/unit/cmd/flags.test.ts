import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlagError, parseFlags } from '../../../src/cmd/flags.js';

test('--cloud.rate-limit-share is the whole rate limit unless given', () => {
  assert.equal(parseFlags([]).rateLimitShare, 1);
  assert.equal(parseFlags(['--cloud.rate-limit-share=0.5']).rateLimitShare, 0.5);
  assert.equal(parseFlags(['--cloud.rate-limit-share', '.25']).rateLimitShare, 0.25);
  assert.equal(parseFlags(['--cloud.rate-limit-share=1']).rateLimitShare, 1);
});

test('a rate limit share of 0, above 1 or not a number is refused with what to write', () => {
  for (const bad of ['0', '0.0', '1.5', '2', '-0.5', 'half', '', '1/2', '0x1', '1e-1']) {
    assert.throws(
      () => parseFlags([`--cloud.rate-limit-share=${bad}`]),
      (error: unknown) =>
        error instanceof FlagError &&
        error.message === `--cloud.rate-limit-share: "${bad}" is not a share above 0 and at most 1 (0.5 for two replicas of the same accounts)`,
      bad,
    );
  }
});
