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
        error.message ===
          `--cloud.rate-limit-share: "${bad}" is not a share above 0 and at most 1 (0.5 for two replicas of the same accounts)`,
      bad,
    );
  }
});

test('an unknown flag is named, with the known flag it is nearest when there is one', () => {
  const table: ReadonlyArray<readonly [string, string]> = [
    ['--config.fil=config.yaml', 'unknown flag --config.fil (did you mean --config.file?)'],
    ['--config.fil', 'unknown flag --config.fil (did you mean --config.file?)'],
    ['--confg.check', 'unknown flag --confg.check (did you mean --config.check?)'],
    ['--web.listen-adress=:9787', 'unknown flag --web.listen-adress (did you mean --web.listen-address?)'],
    ['--colour', 'unknown flag --colour'],
    ['-x', 'unknown flag -x'],
  ];
  for (const [given, message] of table) {
    assert.throws(
      () => parseFlags([given]),
      (error: unknown) => error instanceof FlagError && error.message === message,
      given,
    );
  }
});
