// Discovery's assets -> agents: ClientStatus to a state, ClientSubStatus and Status to a coverage,
// the identity labels bounded, and the pages walked by NextToken (by page number when an answer has
// none) in as many calls as pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentCoverage, agentState, toAgent } from '../../../../src/sources/alibaba/agents.js';
import type { CloudCenterInstance, DescribeCloudCenterInstancesResponse } from '../../../../src/sources/alibaba/api.js';
import { MAX_DISCOVERY_PAGES, discoverAgents, type DiscoveryPaging } from '../../../../src/sources/alibaba/discovery.js';
import { AnswerWarnings } from '../../../../src/sources/kit/answer-warnings.js';

function instance(n: number, fields: Partial<CloudCenterInstance> = {}): CloudCenterInstance {
  return {
    Uuid: `uuid-${n}`,
    InstanceId: `i-${n}`,
    InstanceName: `host-${n}`,
    Ip: `10.0.0.${n % 250}`,
    InternetIp: null,
    IntranetIp: null,
    RegionId: 'cn-hangzhou',
    ClientStatus: 'online',
    ClientSubStatus: null,
    Status: null,
    Os: 'linux',
    ...fields,
  };
}

test('ClientStatus online, offline and pause are the agent states online, offline and paused; anything else is unknown', () => {
  assert.deepEqual(['online', 'offline', 'pause', ' Offline '].map(agentState), ['online', 'offline', 'paused', 'offline']);
  for (const odd of ['paused', 'uninstalled', 'stopped', '', null]) assert.equal(agentState(odd), 'unknown', String(odd));
});

test('an asset becomes an agent with its instance id, region, IP and OS; the IP falls back to the intranet, then the internet address', () => {
  const warnings: string[] = [];
  const warn = (_kind: string, text: string) => warnings.push(text);
  assert.deepEqual(toAgent({ ...instance(1), Uuid: 'uuid-1' }, undefined, 1000, warn), {
    uuid: 'uuid-1',
    instanceName: 'host-1',
    instanceId: 'i-1',
    region: 'cn-hangzhou',
    ip: '10.0.0.1',
    os: 'linux',
    agentVersion: '',
    state: 'online',
    coverage: 'protected',
    uncoveredSince: null,
  });
  assert.equal(
    toAgent({ ...instance(2, { Ip: '', IntranetIp: '172.16.0.2', InternetIp: '1.2.3.4' }), Uuid: 'uuid-2' }, undefined, 0, warn).ip,
    '172.16.0.2',
  );
  assert.equal(
    toAgent({ ...instance(3, { Ip: null, IntranetIp: null, InternetIp: '1.2.3.4' }), Uuid: 'uuid-3' }, undefined, 0, warn).ip,
    '1.2.3.4',
  );
  const bare = toAgent(
    { ...instance(4, { InstanceName: null, RegionId: null, Os: null, Ip: null, ClientStatus: null }), Uuid: 'uuid-4' },
    undefined,
    1000,
    warn,
  );
  assert.deepEqual(bare, {
    uuid: 'uuid-4',
    instanceName: 'i-4',
    instanceId: 'i-4',
    region: '',
    ip: '',
    os: '',
    agentVersion: '',
    state: 'unknown',
    coverage: 'unknown',
    uncoveredSince: 1000,
  });
  assert.deepEqual(warnings, []);
  const hostile = toAgent({ ...instance(5, { Os: 'CentOS\n7.9', Ip: '10.0.0.5"} 1\nfake 1' }), Uuid: 'uuid-5' }, undefined, 0, warn);
  assert.equal(hostile.os, 'CentOS7.9');
  assert.equal(hostile.ip, '10.0.0.5___1_fake_1');
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /^server uuid-5: Ip "10.0.0.5/);
  assert.match(warnings[1]!, /^server uuid-5: Os "CentOS\\n7.9" is not a plain name/);
});

test('an agent unchanged since the previous snapshot is that very object; a changed one is new', () => {
  const agent = toAgent({ ...instance(1), Uuid: 'uuid-1' }, undefined, 0, () => {});
  assert.equal(
    toAgent({ ...instance(1), Uuid: 'uuid-1' }, agent, 5000, () => {}),
    agent,
  );
  const offline = toAgent({ ...instance(1, { ClientStatus: 'offline' }), Uuid: 'uuid-1' }, agent, 5000, () => {});
  assert.notEqual(offline, agent);
  assert.equal(offline.uncoveredSince, 5000);
  // Still offline later: the same object, uncovered since it was first seen so.
  assert.equal(
    toAgent({ ...instance(1, { ClientStatus: 'offline' }), Uuid: 'uuid-1' }, offline, 9000, () => {}),
    offline,
  );
});

test('coverage: ClientSubStatus online, offline, pause, uninstalled, stopped; a stopped instance (Status notRunning) wins over the agent', () => {
  const odd: string[] = [];
  const coverage = (fields: Partial<CloudCenterInstance>) =>
    agentCoverage({ ClientStatus: 'online', ClientSubStatus: null, Status: 'Running', ...fields }, (v) => odd.push(v));
  assert.deepEqual(
    ['online', 'offline', 'pause', 'uninstalled', 'stopped', ' Uninstalled '].map((sub) =>
      coverage({ ClientStatus: sub === 'online' ? 'online' : 'offline', ClientSubStatus: sub }),
    ),
    ['protected', 'agent_offline', 'agent_paused', 'agent_missing', 'server_stopped', 'agent_missing'],
  );
  assert.equal(coverage({ ClientSubStatus: 'online', Status: 'notRunning' }), 'server_stopped');
  // Without a sub-status, ClientStatus says it; with one the exporter does not know, too, and it is told.
  assert.deepEqual(
    ['online', 'offline', 'pause', 'gone'].map((status) => coverage({ ClientStatus: status })),
    ['protected', 'agent_offline', 'agent_paused', 'unknown'],
  );
  assert.deepEqual(odd, []);
  assert.equal(coverage({ ClientStatus: 'offline', ClientSubStatus: 'upgrading' }), 'agent_offline');
  assert.equal(coverage({ ClientStatus: null, ClientSubStatus: 'upgrading' }), 'unknown');
  assert.deepEqual(odd, ['upgrading', 'upgrading']);
});

test('a server uncovered stays uncovered since it was first seen so, whatever the reason, until it is covered or stopped', () => {
  const at = (time: number, fields: Partial<CloudCenterInstance>, previous?: ReturnType<typeof toAgent>) =>
    toAgent({ ...instance(1, fields), Uuid: 'uuid-1' }, previous, time, () => {});
  const offline = at(1000, { ClientStatus: 'offline', ClientSubStatus: 'offline' });
  const missing = at(2000, { ClientStatus: 'offline', ClientSubStatus: 'uninstalled' }, offline);
  assert.deepEqual([missing.coverage, missing.uncoveredSince], ['agent_missing', 1000]);
  const stopped = at(3000, { ClientStatus: 'offline', ClientSubStatus: 'stopped' }, missing);
  assert.deepEqual([stopped.coverage, stopped.uncoveredSince], ['server_stopped', null]);
  assert.equal(at(4000, { ClientStatus: 'offline', ClientSubStatus: 'offline' }, stopped).uncoveredSince, 4000);
  assert.equal(at(5000, { ClientStatus: 'online' }, missing).uncoveredSince, null);
});

/** A fleet served by NextToken (the token is the next offset), or by page number when `numbered`. */
function fleet(size: number, options: { numbered?: boolean; lastToken?: string | null } = {}) {
  const requests: DiscoveryPaging[] = [];
  const all = Array.from({ length: size }, (_, i) =>
    instance(i, { ClientStatus: i % 10 === 3 ? 'offline' : i % 10 === 7 ? 'pause' : 'online' }),
  );
  const fetchPage = async (paging: DiscoveryPaging): Promise<DescribeCloudCenterInstancesResponse> => {
    requests.push(paging);
    const pageSize = paging.PageSize ?? 20;
    if (options.numbered || !paging.UseNextToken) {
      const page = paging.CurrentPage ?? 1;
      const slice = all.slice((page - 1) * pageSize, page * pageSize);
      return {
        Instances: slice,
        PageInfo: { CurrentPage: page, PageSize: pageSize, TotalCount: size, Count: slice.length, NextToken: null },
        RequestId: 'r',
      };
    }
    const start = Number(paging.NextToken ?? 0);
    const slice = all.slice(start, start + pageSize);
    const last = start + pageSize >= size;
    const token = last ? (options.lastToken === undefined ? '' : options.lastToken) : String(start + pageSize);
    return {
      Instances: slice,
      PageInfo: { CurrentPage: null, PageSize: pageSize, TotalCount: null, Count: slice.length, NextToken: token },
      RequestId: 'r',
    };
  };
  return { requests, fetchPage };
}

test('discovery pages by NextToken, 100 a page: 250 servers in 3 calls, 200 in 2, none in 1', async () => {
  for (const [size, calls] of [
    [250, 3],
    [200, 2],
    [0, 1],
  ] as const) {
    const { requests, fetchPage } = fleet(size);
    const warnings = new AnswerWarnings();
    const agents = await discoverAgents(fetchPage, undefined, warnings, 0);
    assert.equal(agents.length, size);
    assert.equal(requests.length, calls, `${size} servers`);
    assert.deepEqual(requests[0], { UseNextToken: true, PageSize: 100 });
    if (size > 100) assert.deepEqual(requests[1], { UseNextToken: true, NextToken: '100', PageSize: 100 });
    assert.deepEqual(warnings.list(), []);
  }
  const { fetchPage } = fleet(250);
  const agents = await discoverAgents(fetchPage, undefined, new AnswerWarnings(), 0);
  assert.deepEqual(
    ['online', 'offline', 'paused'].map((state) => agents.filter((a) => a.state === state).length),
    [200, 25, 25],
  );
});

test('an answer without NextToken (UseNextToken ignored) is walked by page number, as many calls as pages', async () => {
  for (const [size, calls] of [
    [250, 3],
    [200, 2],
    [99, 1],
  ] as const) {
    const { requests, fetchPage } = fleet(size, { numbered: true });
    const agents = await discoverAgents(fetchPage, undefined, new AnswerWarnings(), 0);
    assert.equal(agents.length, size);
    assert.equal(requests.length, calls, `${size} servers`);
    assert.deepEqual(
      requests.slice(1).map((r) => r.CurrentPage),
      Array.from({ length: calls - 1 }, (_, i) => i + 2),
    );
  }
  // The last token page without any NextToken field: a short page ends the list as well.
  const { requests, fetchPage } = fleet(150, { lastToken: null });
  assert.equal((await discoverAgents(fetchPage, undefined, new AnswerWarnings(), 0)).length, 150);
  assert.equal(requests.length, 2);
});

test('a full last token page without NextToken ends the listing: 300 servers in 3 calls, no page read twice', async () => {
  const { requests, fetchPage } = fleet(300, { lastToken: null });
  const agents = await discoverAgents(fetchPage, undefined, new AnswerWarnings(), 0);
  assert.equal(agents.length, 300);
  assert.deepEqual(
    requests.map((r) => r.NextToken ?? r.CurrentPage ?? 'first'),
    ['first', '100', '200'],
    'never CurrentPage=2 after token pages: that re-read servers 101-200',
  );
});

test('an empty page ends the listing, even with a new NextToken', async () => {
  const requests: DiscoveryPaging[] = [];
  const pages: DescribeCloudCenterInstancesResponse[] = [
    {
      Instances: Array.from({ length: 100 }, (_, i) => instance(i)),
      PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 100, NextToken: 't1' },
      RequestId: 'r',
    },
    { Instances: [], PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 0, NextToken: 't2' }, RequestId: 'r' },
    {
      Instances: [instance(500)],
      PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 1, NextToken: 't3' },
      RequestId: 'r',
    },
  ];
  const agents = await discoverAgents(
    async (paging) => (requests.push(paging), pages[requests.length - 1]!),
    undefined,
    new AnswerWarnings(),
    0,
  );
  assert.equal(agents.length, 100);
  assert.equal(requests.length, 2);
});

test('a NextToken that comes back again, or pages without end, stop discovery with a warning instead of looping', async () => {
  const warnings = new AnswerWarnings();
  let calls = 0;
  const loop = async (): Promise<DescribeCloudCenterInstancesResponse> => {
    calls++;
    return {
      Instances: [instance(calls)],
      PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 1, NextToken: 'same' },
      RequestId: 'r',
    };
  };
  assert.equal((await discoverAgents(loop, undefined, warnings, 0)).length, 2);
  assert.equal(calls, 2);
  assert.match(warnings.list()[0]!.message, /the same NextToken came back twice/);

  calls = 0;
  const endless = async (): Promise<DescribeCloudCenterInstancesResponse> => {
    calls++;
    return {
      Instances: [instance(calls)],
      PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 1, NextToken: `t${calls}` },
      RequestId: 'r',
    };
  };
  const more = new AnswerWarnings();
  assert.equal((await discoverAgents(endless, undefined, more, 0)).length, MAX_DISCOVERY_PAGES);
  assert.equal(calls, MAX_DISCOVERY_PAGES);
  assert.match(more.list()[0]!.message, /more than 1000 pages/);
});

test('a server listed twice counts once, one without Uuid is skipped, odd ClientStatus values are one warning for the refresh', async () => {
  const listed = [
    instance(1),
    instance(1, { ClientStatus: 'offline' }),
    instance(2, { Uuid: null }),
    instance(3, { ClientStatus: 'uninstalled' }),
    instance(4, { ClientStatus: null }),
  ];
  const warnings = new AnswerWarnings();
  const agents = await discoverAgents(
    async () => ({
      Instances: listed,
      PageInfo: { CurrentPage: null, PageSize: 100, TotalCount: null, Count: 5, NextToken: '' },
      RequestId: 'r',
    }),
    undefined,
    warnings,
    0,
  );
  assert.deepEqual(
    agents.map((a) => [a.uuid, a.state]),
    [
      ['uuid-1', 'online'],
      ['uuid-3', 'unknown'],
      ['uuid-4', 'unknown'],
    ],
  );
  assert.deepEqual(
    warnings.list().map(({ message, count, answers }) => ({ message, count, answers })),
    [
      { message: 'DescribeCloudCenterInstances: instance i-2 without Uuid; skipped', count: 1, answers: 1 },
      {
        message:
          'DescribeCloudCenterInstances: server uuid-3: ClientStatus "uninstalled" is none of online, offline or pause; reported as state "unknown"',
        count: 2,
        answers: 0,
      },
    ],
    'one page: one odd answer, whatever it held',
  );
});

test('a refresh that finds servers unchanged keeps their agent objects, so their rendered series are reused', async () => {
  const { fetchPage } = fleet(30);
  const first = await discoverAgents(fetchPage, undefined, new AnswerWarnings(), 0);
  const second = await discoverAgents(fetchPage, first, new AnswerWarnings(), 60_000);
  assert.ok(second.every((agent, i) => agent === first[i]));
});
