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
    // 2000 servers and 1 DescribeOnceTask page: a refresh while a vulnerability check runs.
    'alibaba/fleet: 2001 call(s) per refresh at rate_limit 10/s: at least 200 s, LONGER than cache.ttl 1m: ' +
      "the refresh cannot keep up, so scrapes are served data up to 200 s old while it rolls; raise rate_limit (within the cloud's quota) or cache.ttl" +
      '; every server is read only while a vulnerability check runs, in the refresh after it ends, and when the list of checks cannot be read. ' +
      'Between checks a refresh makes 1 call (DescribeOnceTask), plus 1 per server whose last answer is new or has a subtask not complete, ' +
      'and reads every server once per 3h (full_read_interval)',
  );
});

test('a discovered fleet is told how many servers keep up with the TTL', () => {
  const [fleet] = plannedCapacity(config('    servers: auto\n'));
  assert.equal(keepsUp(fleet!), undefined);
  // 600 calls in 60 s at 10/s: one discovery page per 100 servers, one call per server and one DescribeOnceTask page.
  assert.match(
    describeCapacity(fleet!),
    /keeps up with cache\.ttl 1m up to 592 servers; beyond that it outlasts the TTL; every server is read only while/,
  );
  assert.match(
    describeCapacity(fleet!),
    /Between checks a refresh makes 2 call\(s\) \+ 1 per 100 servers \(discovery and 1 DescribeOnceTask page\), plus 1 per server/,
  );
});

test("the last refresh's own call count replaces the plan once there is one", () => {
  const [fleet] = plannedCapacity(config('    servers: auto\n'));
  const measured = withMeasuredCalls(fleet!, 450);
  assert.equal(keepsUp(measured), true);
  assert.match(
    describeCapacity(measured),
    /^alibaba\/fleet: 450 call\(s\) per refresh \(last refresh\) at rate_limit 10\/s: at least 45 s, within cache\.ttl 1m; every server is read only while/,
  );
});

test('a replica at a share of the rate limit plans its refresh at that share, and says so', () => {
  const servers = Array.from({ length: 500 }, (_, i) => `uuid-${i}`);
  const [fleet] = plannedCapacity(config(`    servers: [${servers.join(', ')}]\n`));
  const half = atRateLimitShare(fleet!, 0.5);
  assert.equal(half.rateLimit, 5);
  // 501 calls: 50 s at the whole 10/s keeps up with the 60 s TTL; 100 s at half of it does not.
  assert.equal(keepsUp(fleet!), true);
  assert.equal(keepsUp(half), false);
  assert.match(
    describeCapacity(half),
    /^alibaba\/fleet: 501 call\(s\) per refresh at 5\/s \(a 0\.5 share of rate_limit 10\/s\): at least 100 s, LONGER than cache\.ttl 1m/,
  );
  assert.equal(atRateLimitShare(fleet!, 1), fleet, 'the whole rate limit changes nothing');
});

test('full_read_interval is in the plan; a member read through resource_directory_account_id has no list of checks and is said to be read in full', () => {
  const [fleet] = plannedCapacity(config('    servers: auto\n    full_read_interval: 90m\n'));
  assert.match(describeCapacity(fleet!), /reads every server once per 1h30m \(full_read_interval\)$/);
  const [member] = plannedCapacity(config('    servers: [uuid-1, uuid-2]\n    resource_directory_account_id: "1234567890"\n'));
  assert.match(
    describeCapacity(member!),
    /^alibaba\/fleet: 2 call\(s\) per refresh at rate_limit 10\/s: at least 0\.2 s, within cache\.ttl 1m; every server is read on every refresh: DescribeOnceTask cannot name a member/,
  );
});
