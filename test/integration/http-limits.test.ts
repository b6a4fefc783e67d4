// What one client can make the web server do (issue 21, findings 1, 6 and 12): pipelined requests
// are answered one after the other and only while the client reads; requests worked on at once are
// capped for all connections; /-/healthy and /-/ready are answered however scrapes hold the
// connection slots; a scrape waits no longer than the cache can help; HEAD /metrics starts no
// cloud call; and POST /-/reload from another site is refused.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { createWebServer, type WebServer } from '../../src/http/web/web-server.js';
import { REQUEST_LIMITS } from '../../src/http/web/request-limits.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { tencentAccount } from '../support/tencent.js';
import { waitFor } from '../support/processes.js';

const KEYS = { secretId: 'AKIDhttpLimits00000000000000000000001', secretKey: 'httpLimitsTencentSecretKey00000001' };

/** One GET on a connection of its own: the status, or the connection's error code. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** A raw connection, once connected. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('pipelining and requests in flight', () => {
  test('a connection sending 2,000 pipelined requests without reading gets one answer started, and is closed', async (t) => {
    let started = 0;
    // Each answer is larger than the socket takes without the client reading.
    const body = Buffer.alloc(8 * 1024 * 1024, 'a');
    const web = await createWebServer({
      listenAddress: '127.0.0.1:0',
      handler: (_req, res) => {
        started++;
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(body);
      },
    });
    t.after(() => web.close());
    let received = 0;
    web.server.on('request', () => received++);
    const socket = await connect(web.address.port);
    socket.pause();
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(2000));
    // Node hands every request of a chunk it has read to the server at once, answers waiting or not.
    await waitFor('ten requests received', async () => (received >= 1 + REQUEST_LIMITS.pipelined + 1 ? true : undefined));
    assert.equal(started, 1, `${started} answers started for one connection that reads none`);
    // The server closed it: reading, the client finds the end of what was sent, then the reset.
    socket.on('error', () => undefined);
    socket.resume();
    await waitFor('the connection closed', async () => (closed ? true : undefined));
    assert.equal(started, 1);
  });

  test('pipelined requests of a client that reads are all answered, in order', async (t) => {
    let n = 0;
    const web = await createWebServer({
      listenAddress: '127.0.0.1:0',
      handler: (req, res) => {
        const mine = ++n;
        // The first answers last if answers were not one after the other.
        setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`${req.url} ${mine}\n`), mine === 1 ? 50 : 0);
      },
    });
    t.after(() => web.close());
    const socket = await connect(web.address.port);
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.write(['/a', '/b', '/c', '/d', '/e'].map((path) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    await waitFor('five answers', async () => ((text.match(/HTTP\/1\.1 200/g) ?? []).length === 5 ? true : undefined));
    assert.deepEqual(
      [...text.matchAll(/^(\/\w) (\d)$/gm)].map((m) => `${m[1]} ${m[2]}`),
      ['/a 1', '/b 2', '/c 3', '/d 4', '/e 5'],
    );
    socket.destroy();
  });

  test('requests worked on at once are capped for all connections; the next starts when an answer starts; health checks never wait', async (t) => {
    const holding: Array<() => void> = [];
    const web = await createWebServer({
      listenAddress: '127.0.0.1:0',
      limits: { inFlight: 2 },
      handler: (req, res) => {
        if (req.url === '/-/healthy') {
          res.writeHead(200).end('Healthy.\n');
          return;
        }
        holding.push(() => res.writeHead(200).end('ok\n'));
      },
    });
    t.after(() => web.close());
    const answers = [get(web.address.port, '/metrics'), get(web.address.port, '/metrics'), get(web.address.port, '/metrics')];
    await waitFor('two requests worked on', async () => (holding.length === 2 ? true : undefined));
    assert.equal(await get(web.address.port, '/-/healthy'), 200);
    assert.equal(holding.length, 2, 'the third waits its turn');
    holding.shift()!();
    await waitFor('the third started', async () => (holding.length === 2 ? true : undefined));
    for (const release of holding.splice(0)) release();
    assert.deepEqual(await Promise.all(answers), [200, 200, 200]);
  });
});

describe('connection slots held by scrapes', () => {
  let web: WebServer;
  const held: Array<() => void> = [];
  before(async () => {
    web = await createWebServer({
      listenAddress: '127.0.0.1:0',
      maxConnections: 2,
      handler: (req, res) => {
        if (req.url === '/-/healthy' || req.url === '/-/ready') {
          res.writeHead(200).end('ok\n');
          return;
        }
        held.push(() => res.writeHead(200).end('late\n'));
      },
    });
  });
  after(async () => {
    for (const release of held.splice(0)) release();
    await web.close();
  });

  test('with every slot held by a waiting scrape, /-/healthy and /-/ready are answered and other paths get 503', async () => {
    const scrapes = [get(web.address.port, '/metrics'), get(web.address.port, '/metrics')];
    await waitFor('both slots held', async () => (held.length === 2 ? true : undefined));
    assert.equal(await get(web.address.port, '/-/healthy'), 200);
    assert.equal(await get(web.address.port, '/-/ready'), 200);
    assert.equal(await get(web.address.port, '/metrics'), 503);
    assert.equal(held.length, 2, 'the refused scrape started nothing');
    for (const release of held.splice(0)) release();
    assert.deepEqual(await Promise.all(scrapes), [200, 200]);
  });

  test(`past the ${REQUEST_LIMITS.healthReserve} connections kept for health checks a new one is closed at once`, async () => {
    const scrapes = [get(web.address.port, '/metrics'), get(web.address.port, '/metrics')];
    await waitFor('both slots held', async () => (held.length === 2 ? true : undefined));
    const kept = await Promise.all(Array.from({ length: REQUEST_LIMITS.healthReserve }, () => connect(web.address.port)));
    assert.equal(await get(web.address.port, '/-/healthy'), 'ECONNRESET');
    for (const socket of kept) socket.destroy();
    await waitFor('/-/healthy answered again', async () => ((await get(web.address.port, '/-/healthy')) === 200 ? true : undefined));
    for (const release of held.splice(0)) release();
    await Promise.all(scrapes);
  });
});

describe('the exporter behind the web server', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'prod', ...KEYS, strategies: [] });
  });
  after(() => emulator.close());

  test('X-Prometheus-Scrape-Timeout-Seconds: 600 is believed up to the longer of cache.ttl and scrape.timeout', async (t) => {
    const running = await startExporter(exporterConfig({ ttlSeconds: 60, tencent: [tencentAccount('prod', KEYS, endpointOf(emulator))] }));
    t.after(() => running.close());
    assert.equal(running.exporter.deadlineFor('600', 0), (60 - 0.5) * 1000);
    assert.equal(running.exporter.deadlineFor('5', 0), (5 - 0.5) * 1000);
    const short = await startExporter(exporterConfig({ ttlSeconds: 5, tencent: [tencentAccount('prod', KEYS, endpointOf(emulator))] }));
    t.after(() => short.close());
    assert.equal(short.exporter.deadlineFor('600', 0), (9 - 0.5) * 1000, 'scrape.timeout 9s is the longer');
  });

  test('HEAD /metrics and HEAD /probe answer without starting a refresh: no cloud call', async (t) => {
    emulator.calls.clear();
    const running = await startExporter(
      exporterConfig({ tencent: [tencentAccount('prod', KEYS, endpointOf(emulator), { modules: ['Vul'] })] }),
    );
    t.after(() => running.close());
    const head = (path: string) => fetch(`${running.url}${path}`, { method: 'HEAD' });
    const metrics = await head('/metrics');
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers.get('content-type'), running.metrics.contentType);
    assert.equal((await head('/probe?target=tencent/prod')).status, 200);
    assert.equal((await head('/probe?target=tencent/nope')).status, 400);
    assert.equal(running.exporter.collector.accounts[0]!.collector.state().refresh, undefined, 'no refresh started');
    assert.equal(emulator.calls.count({ account: 'prod' }), 0);
  });

  test('POST /-/reload from another site is refused; from the exporter itself, curl or promtool it reloads', async (t) => {
    let reloads = 0;
    const running = await startExporter(exporterConfig({ tencent: [tencentAccount('prod', KEYS, endpointOf(emulator))] }), {
      enableLifecycle: true,
      reload: async () => {
        reloads++;
      },
    });
    t.after(() => running.close());
    const post = (headers: Record<string, string>) =>
      fetch(`${running.url}/-/reload`, { method: 'POST', headers: { 'Content-Type': 'text/plain', ...headers }, body: 'x' });
    for (const headers of [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: 'http://127.0.0.1:1' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ] as Array<Record<string, string>>) {
      const answer = await post(headers);
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(await answer.text(), /^Refused: a request from another site/);
    }
    assert.equal(reloads, 0);
    assert.equal((await post({})).status, 200, 'no Origin: curl, promtool');
    assert.equal((await post({ Origin: running.url, 'Sec-Fetch-Site': 'same-origin' })).status, 200);
    assert.equal(reloads, 2);
  });
});
