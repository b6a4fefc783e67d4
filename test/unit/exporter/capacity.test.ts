import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atRateLimitShare, describeCapacity, keepsUp, plannedCapacity, withMeasuredCalls } from '../../../src/exporter/capacity.js';
import { parseConfig } from '../../../src/config/load.js';

const config = (alibaba: string) =>
  parseConfig(
    `cache: { ttl: 60s }\nalibaba:\n  - name: fleet\n    region: cn-shanghai\n    credentials: { source: default }\n    rate_limit: 10\n${alibaba}`,
    'c.yaml',
    {},
  ).config;

test('a listed fleet whose refresh at the rate limit outlasts the TTL is said plainly, with both figures', () => {
  const servers = Array.from({ length: 2000 }, (_, i) => `uuid-${i}`);
  const [fleet] = plannedCapacity(config(`    servers: [${servers.join(', ')}]\n`));
  assert.equal(keepsUp(fleet!), false);
  assert.equal(
    describeCapacity(fleet!),
    'alibaba/fleet: 2000 call(s) per refresh at rate_limit 10/s: at least 200 s, LONGER than cache.ttl 1m: ' +
      "the refresh cannot keep up, so scrapes are served data up to 200 s old while it rolls; raise rate_limit (within the cloud's quota) or cache.ttl",
  );
});

test('a discovered fleet is told how many servers keep up with the TTL', () => {
  const [fleet] = plannedCapacity(config('    servers: auto\n'));
  assert.equal(keepsUp(fleet!), undefined);
  // 600 calls in 60 s at 10/s: one discovery page per 100 servers and one call per server.
  assert.match(describeCapacity(fleet!), /keeps up with cache\.ttl 1m up to 593 servers; beyond that it outlasts the TTL$/);
});

test("the last refresh's own call count replaces the plan once there is one", () => {
  const [fleet] = plannedCapacity(config('    servers: auto\n'));
  const measured = withMeasuredCalls(fleet!, 450);
  assert.equal(keepsUp(measured), true);
  assert.match(describeCapacity(measured), /^alibaba\/fleet: 450 call\(s\) per refresh \(last refresh\) at rate_limit 10\/s: at least 45 s, within cache\.ttl 1m$/);
});

test('a replica at a share of the rate limit plans its refresh at that share, and says so', () => {
  const servers = Array.from({ length: 500 }, (_, i) => `uuid-${i}`);
  const [fleet] = plannedCapacity(config(`    servers: [${servers.join(', ')}]\n`));
  const half = atRateLimitShare(fleet!, 0.5);
  assert.equal(half.rateLimit, 5);
  // 500 calls: 50 s at the whole 10/s keeps up with the 60 s TTL; 100 s at half of it does not.
  assert.equal(keepsUp(fleet!), true);
  assert.equal(keepsUp(half), false);
  assert.match(describeCapacity(half), /^alibaba\/fleet: 500 call\(s\) per refresh at 5\/s \(a 0\.5 share of rate_limit 10\/s\): at least 100 s, LONGER than cache\.ttl 1m/);
  assert.equal(atRateLimitShare(fleet!, 1), fleet, 'the whole rate limit changes nothing');
});
