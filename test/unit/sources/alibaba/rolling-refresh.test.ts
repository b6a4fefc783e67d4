// A large Alibaba fleet is refreshed within the rate limit, spread over time, and each server's
// data is served as soon as it is fetched: its age stays within ttl + servers / rate. A
// vulnerability check runs all along (the task list says so), so every refresh reads every server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountCollector } from '../../../../src/collect/account-collector.js';
import { Invoker } from '../../../../src/collect/invoker.js';
import type { SasClient } from '../../../../src/sources/alibaba/client.js';
import { AlibabaSource } from '../../../../src/sources/alibaba/source.js';
import type { AlibabaSnapshot } from '../../../../src/sources/alibaba/types.js';
import { Secret } from '../../../../src/base/secret.js';
import { FakeClock } from '../../../support/fake-clock.js';
import { memoryLogger } from '../../../support/logger.js';

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Answers at once, and notes the (fake) time of every status call. */
function fakeClient(servers: number, clock: FakeClock, callTimes: number[]): SasClient {
  return {
    describeCloudCenterInstances: async ({ NextToken, PageSize }: { NextToken?: string; PageSize: number }) => {
      const start = Number(NextToken ?? 0);
      const page = Array.from({ length: Math.max(0, Math.min(PageSize, servers - start)) }, (_, i) => ({
        Uuid: uuid(start + i),
        InstanceName: `host-${start + i}`,
        ClientStatus: 'online',
      }));
      const next = start + PageSize < servers ? String(start + PageSize) : '';
      return { Instances: page, PageInfo: { PageSize, NextToken: next }, RequestId: 'r' };
    },
    describeOnceTask: async () => ({
      TaskManageResponseList: [{ TaskId: 'check', TaskStatus: 1, Progress: '50%', TaskStartTime: clock.now() - 60_000, TaskEndTime: null }],
      PageInfo: null,
      RequestId: 'r',
    }),
    describeVulCheckTaskStatusDetail: async () => {
      callTimes.push(clock.now());
      return {
        TotalCount: 1,
        RequestId: 'r',
        TaskStatuses: [{ TaskId: 't', TaskStatusList: [{ Type: 'cve', Status: '4', Code: '' }] }],
      };
    },
  } as unknown as SasClient;
}

function setup(servers: number, ratePerSecond: number, ttlMs: number) {
  const clock = new FakeClock();
  const callTimes: number[] = [];
  const config = {
    name: 'fleet',
    credentials: { source: 'static' as const, accessKeyId: new Secret('id'), accessKeySecret: new Secret('secret') },
    region: 'cn-shanghai',
    endpoint: { protocol: 'http' as const, host: '127.0.0.1:1' },
    servers: 'auto' as const,
    taskIds: [],
    types: ['cve' as const],
    perServerSeries: true,
    rateLimit: ratePerSecond,
    requestTimeoutSeconds: 5,
    maxResponseBytes: 1024 * 1024,
    fullReadIntervalSeconds: 3 * 3600,
  };
  const observer = { onCall: () => {}, onInvalidAnswer: () => {} };
  const invoker = new Invoker({
    provider: 'alibaba',
    ratePerSecond,
    maxConcurrency: 10,
    callTimeoutMs: 5000,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    clock,
    observer,
  });
  const source = new AlibabaSource(config, fakeClient(servers, clock, callTimes), () => clock.now());
  const collector = new AccountCollector<AlibabaSnapshot>(source, {
    ttlMs,
    maxStaleMs: 3_600_000,
    clock,
    invoker,
    observer,
    logger: memoryLogger().logger,
  });
  return { clock, collector, callTimes };
}

function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (const t of times) peak = Math.max(peak, times.filter((u) => u >= t && u < t + 1000).length);
  return peak;
}

test('one scrape never waits for the whole fleet: what was fetched by its deadline is served', async () => {
  const { clock, collector, callTimes } = setup(100, 10, 60_000);
  const lookup = collector.lookup(clock.now() + 2000);
  await clock.advance(2000);
  const { state } = await lookup;
  const served = state.snapshot?.servers.length ?? 0;
  assert.ok(served >= 10 && served < 100, `served ${served} servers after 2 s at 10/s`);
  await clock.advance(15_000);
  await collector.settled();
  assert.equal(collector.state().snapshot?.servers.length, 100);
  assert.ok(peakPerSecond(callTimes) <= 10, `peak ${peakPerSecond(callTimes)} calls in one second`);
});

test("every server's data age stays within ttl + servers / rate while scrapes go on", async () => {
  const servers = 100;
  const rate = 10;
  const ttlMs = 60_000;
  const bound = ttlMs + (servers / rate) * 1000;
  const { clock, collector, callTimes } = setup(servers, rate, ttlMs);
  const start = clock.now();
  let worst = 0;
  for (let t = 0; t < 400_000; t += 15_000) {
    const lookup = collector.lookup(clock.now() + 9000);
    await clock.advance(15_000);
    await lookup;
    const snapshot = collector.state().snapshot;
    // The fleet's first pass is the cold start; the bound holds from its end on.
    if (clock.now() - start < (servers / rate) * 1000 + 15_000) continue;
    assert.equal(snapshot?.servers.length, servers);
    for (const server of snapshot!.servers) worst = Math.max(worst, clock.now() - server.fetchedAt);
  }
  assert.ok(worst <= bound, `worst data age ${worst} ms, bound ${bound} ms`);
  assert.ok(peakPerSecond(callTimes) <= rate, `peak ${peakPerSecond(callTimes)}`);
});
