// When the status page calls an account's data stale: older than a scrape within Prometheus' lookback
// (5 minutes) would leave it, however often Prometheus scrapes, so a working setup is never marked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStale } from '../../../src/exporter/status.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const ago = (seconds: number) => NOW - seconds * 1000;

test('data is stale past cache.ttl plus the longer of cache.ttl and 5 minutes, plus the last refresh', () => {
  // cache.ttl 60s: 1 + 5 minutes, and the 20 s the last refresh took.
  assert.equal(isStale(ago(380), NOW, 60, 20), false);
  assert.equal(isStale(ago(381), NOW, 60, 20), true);
  // cache.ttl 10m: two of them.
  assert.equal(isStale(ago(1200), NOW, 600, undefined), false);
  assert.equal(isStale(ago(1201), NOW, 600, undefined), true);
});
