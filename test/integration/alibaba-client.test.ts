// What SasClient puts on the wire: the parameters the generated @alicloud/sas20181203 client sends.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Secret } from '../../src/base/secret.js';
import { SasClient } from '../../src/sources/alibaba/client.js';
import { startEmulator } from '../../src/emulator/server.js';

interface Captured {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

async function capture(answer: unknown, run: (client: SasClient) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured = {
        method: req.method ?? '',
        url: new URL(req.url ?? '/', 'http://x'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const client = new SasClient({
      endpoint: { protocol: 'http', host: `127.0.0.1:${port}` },
      credentials: { source: 'static', accessKeyId: new Secret('LTAI5tWireTest'), accessKeySecret: new Secret('wire-secret-value') },
      requestTimeoutSeconds: 2,
    });
    await run(client);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.ok(captured);
  return captured;
}

test('DescribeVulCheckTaskStatusDetail is an RPC POST / with flattened lists in the query and an empty body', async () => {
  const wire = await capture({ TotalCount: 0, TaskStatuses: [], RequestId: 'r' }, (client) =>
    client.describeVulCheckTaskStatusDetail(
      { Uuid: 'u-1', Types: ['cve', 'sys'], TaskIds: ['ad8afca3914a5fff4636e67f18e259c7'] },
      new AbortController().signal,
    ),
  );
  assert.equal(wire.method, 'POST');
  assert.equal(wire.url.pathname, '/');
  assert.deepEqual(Object.fromEntries(wire.url.searchParams), {
    Uuid: 'u-1',
    'Types.1': 'cve',
    'Types.2': 'sys',
    'TaskIds.1': 'ad8afca3914a5fff4636e67f18e259c7',
  });
  assert.equal(wire.body, '');
  assert.equal(wire.headers['x-acs-action'], 'DescribeVulCheckTaskStatusDetail');
  assert.equal(wire.headers['x-acs-version'], '2018-12-03');
  assert.match(String(wire.headers.authorization), /^ACS3-HMAC-SHA256 Credential=LTAI5tWireTest,SignedHeaders=host;x-acs-/);
  assert.ok(!JSON.stringify(wire.headers).includes('wire-secret-value'));
});

test('an empty TaskIds list is left out of the request', async () => {
  const wire = await capture({ TotalCount: 0, RequestId: 'r' }, (client) =>
    client.describeVulCheckTaskStatusDetail({ Uuid: 'u-1', Types: ['cve'], TaskIds: [] }, new AbortController().signal),
  );
  assert.deepEqual([...wire.url.searchParams.keys()].sort(), ['Types.1', 'Uuid']);
});

test('DescribeCloudCenterInstances pages with CurrentPage and PageSize', async () => {
  const wire = await capture({ Instances: [], PageInfo: { TotalCount: 0 }, RequestId: 'r' }, (client) =>
    client.describeCloudCenterInstances({ CurrentPage: 2, PageSize: 100, MachineTypes: 'ecs' }, new AbortController().signal),
  );
  assert.deepEqual(Object.fromEntries(wire.url.searchParams), { CurrentPage: '2', PageSize: '100', MachineTypes: 'ecs' });
  assert.equal(wire.headers['x-acs-action'], 'DescribeCloudCenterInstances');
});

test('DescribeCloudCenterInstances pages with UseNextToken and NextToken, as the current reference recommends', async () => {
  const wire = await capture({ Instances: [], PageInfo: { NextToken: '' }, RequestId: 'r' }, (client) =>
    client.describeCloudCenterInstances(
      { UseNextToken: true, NextToken: 'E17B501887A2D3AA', PageSize: 100, MachineTypes: 'ecs' },
      new AbortController().signal,
    ),
  );
  assert.deepEqual(Object.fromEntries(wire.url.searchParams), {
    UseNextToken: 'true',
    NextToken: 'E17B501887A2D3AA',
    PageSize: '100',
    MachineTypes: 'ecs',
  });
});

test('the emulator pages by NextToken too, and then sends no TotalCount', async () => {
  const emulator = await startEmulator({
    alibaba: { accounts: [{ name: 'a', accessKeyId: 'LTAI5tA', accessKeySecret: 'secret-a-123', fleetSize: 5 }] },
  });
  try {
    const client = new SasClient({
      endpoint: { protocol: 'http', host: `127.0.0.1:${emulator.port}` },
      credentials: { source: 'static', accessKeyId: new Secret('LTAI5tA'), accessKeySecret: new Secret('secret-a-123') },
      requestTimeoutSeconds: 2,
    });
    const signal = new AbortController().signal;
    const uuids: string[] = [];
    let token = '';
    for (let i = 0; i < 5; i++) {
      const page = await client.describeCloudCenterInstances(
        { UseNextToken: true, PageSize: 2, ...(token ? { NextToken: token } : {}) },
        signal,
      );
      uuids.push(...page.Instances.map((s) => s.Uuid ?? ''));
      assert.equal(page.PageInfo?.TotalCount, null);
      token = page.PageInfo?.NextToken ?? '';
      if (token === '') break;
    }
    assert.deepEqual(
      uuids,
      emulator.alibaba.servers('a').map((s) => s.uuid),
    );
    await assert.rejects(client.describeCloudCenterInstances({ PageSize: 101 }, signal), { code: 'IllegalParam', kind: 'client' });
  } finally {
    await emulator.close();
  }
});

test('a call leaves no read timer armed on its socket, so finished calls do not stay in memory until readTimeout', async () => {
  // httpx arms a timer per request that Darabonba never clears; it would hold each request and its
  // answer for the whole readTimeout (30 s here). The client clears it once the answer is read.
  const sockets = new Set<object>();
  const collect = (message: unknown) => {
    const { request } = message as { request: { socket: object | null } };
    if (request.socket) sockets.add(request.socket);
  };
  subscribe('http.client.response.finish', collect);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ TotalCount: 0, TaskStatuses: [], RequestId: 'r' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new SasClient({
      endpoint: { protocol: 'http', host: `127.0.0.1:${(server.address() as AddressInfo).port}` },
      credentials: { source: 'static', accessKeyId: new Secret('LTAI5tTimerTest'), accessKeySecret: new Secret('timer-secret-value') },
      requestTimeoutSeconds: 30,
    });
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.describeVulCheckTaskStatusDetail({ Uuid: `u-${i}` }, signal)));
  } finally {
    unsubscribe('http.client.response.finish', collect);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.ok(sockets.size > 0);
  const armed = [...sockets].filter((socket) => {
    const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'TIMER::READ_TIMER');
    assert.ok(key !== undefined, 'httpx no longer keeps a read timer on the socket: the workaround in read-timers.ts can go');
    const timer = (socket as Record<symbol, { _destroyed?: boolean } | null>)[key];
    return timer !== null && timer !== undefined && timer._destroyed !== true;
  });
  assert.equal(armed.length, 0, `${armed.length} of ${sockets.size} sockets still have a read timer armed`);
});
