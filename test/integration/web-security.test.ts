// The exporter behind --web.config.file: HTTPS with a test CA, client certificates, basic auth,
// headers, and a web config rewritten while the server runs. Everything on 127.0.0.1.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test, type TestContext } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuthenticator, WWW_AUTHENTICATE } from '../../src/http/web/basic-auth.js';
import { checkHealth } from '../../src/http/web/web-healthcheck.js';
import { createWebServer, type WebLogger, type WebServer } from '../../src/http/web/web-server.js';
import { startEmulator } from '../../src/emulator/server.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { tencentAccount } from '../support/tencent.js';
import { makeTestPki, type TestPki } from '../support/web-certs.js';

const handler: http.RequestListener = (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end(req.url === '/-/healthy' ? 'Healthy.\n' : `served ${req.url}\n`);
};

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Serial number of the server's certificate, for HTTPS. */
  serial?: string;
}

interface RequestOptions {
  path?: string;
  auth?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function request(web: WebServer, scheme: 'http' | 'https', options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {};
    if (options.auth !== undefined) headers['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    const common = { host: '127.0.0.1', port: web.address.port, path: options.path ?? '/metrics', headers, agent: false as const };
    const onResponse = (response: http.IncomingMessage): void => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        const answer: Answer = { status: response.statusCode ?? 0, headers: response.headers, body };
        const socket = response.socket as TLSSocket;
        if (scheme === 'https' && typeof socket.getPeerCertificate === 'function') answer.serial = socket.getPeerCertificate().serialNumber;
        resolve(answer);
      });
    };
    const req =
      scheme === 'https'
        ? https.request({ ...common, servername: 'localhost', ca: options.ca, cert: options.cert, key: options.key }, onResponse)
        : http.request(common, onResponse);
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Resolves once the condition holds, checking after each turn of the event loop. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 100_000) throw new Error('condition never held');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function recordingLogger(): WebLogger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info: () => undefined,
    warn: () => undefined,
    error: (fields, message) => errors.push(`${message}: ${String(fields['err'])}`),
  };
}

async function serve(
  t: TestContext,
  webConfigFile: string | undefined,
  logger?: WebLogger,
  reloadCheckIntervalMs?: number,
): Promise<WebServer> {
  const options: Parameters<typeof createWebServer>[0] = { listenAddress: '127.0.0.1:0', webConfigFile, handler, logger };
  if (reloadCheckIntervalMs !== undefined) options.reloadCheckIntervalMs = reloadCheckIntervalMs;
  const web = await createWebServer(options);
  t.after(() => web.close());
  return web;
}

let pki: TestPki;
before(() => {
  pki = makeTestPki();
});
after(() => pki.remove());

function writeConfig(name: string, text: string): string {
  const file = join(pki.dir, name);
  writeFileSync(file, text);
  return file;
}

describe('TLS', () => {
  test('the exporter serves /metrics over HTTPS to a client that trusts the test CA', async (t) => {
    const file = writeConfig('tls.yml', 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n');
    const web = await serve(t, file);
    const answer = await request(web, 'https', { ca: pki.read(pki.caCert) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'served /metrics\n');
    await assert.rejects(
      request(web, 'https'),
      /self[- ]signed|unable to verify|certificate/i,
      'a client without the CA does not trust it',
    );
  });

  test('with RequireAndVerifyClientCert a client without a certificate is refused, one signed by the CA is served', async (t) => {
    const file = writeConfig(
      'mtls.yml',
      'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
    );
    const web = await serve(t, file);
    const ca = pki.read(pki.caCert);
    await assert.rejects(request(web, 'https', { ca }), 'no client certificate');
    await assert.rejects(
      request(web, 'https', { ca, cert: pki.read(pki.strangerCert), key: pki.read(pki.strangerKey) }),
      'a certificate from another CA',
    );
    const answer = await request(web, 'https', { ca, cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'served /metrics\n');
  });

  test('client_allowed_sans refuses a CA-signed client whose SAN is not listed', async (t) => {
    const base =
      'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n';
    const client = { ca: pki.read(pki.caCert), cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) };
    const allowed = await serve(t, writeConfig('sans-ok.yml', `${base}  client_allowed_sans: [prometheus.example]\n`));
    assert.equal((await request(allowed, 'https', client)).status, 200);
    const other = await serve(t, writeConfig('sans-other.yml', `${base}  client_allowed_sans: [grafana.example]\n`));
    await assert.rejects(request(other, 'https', client));
  });

  test('a renewed certificate is served to new connections without a restart', async (t) => {
    const cert = join(pki.dir, 'rotating.crt');
    const key = join(pki.dir, 'rotating.key');
    writeFileSync(cert, pki.read(pki.serverCert));
    writeFileSync(key, pki.read(pki.serverKey));
    const file = writeConfig('rotating.yml', 'tls_server_config:\n  cert_file: rotating.crt\n  key_file: rotating.key\n');
    const web = await serve(t, file, undefined, 0);
    const ca = pki.read(pki.caCert);
    const first = await request(web, 'https', { ca });
    const renewed = pki.issueServer('renewed');
    writeFileSync(key, pki.read(renewed.key));
    writeFileSync(cert, pki.read(renewed.cert));
    const second = await request(web, 'https', { ca });
    assert.equal(second.status, 200);
    assert.notEqual(second.serial, first.serial);
  });

  test('the container health check passes against plain HTTP and against HTTPS', async (t) => {
    const plain = await serve(t, undefined);
    assert.deepEqual(await checkHealth(`http://127.0.0.1:${plain.address.port}/-/healthy`), {
      ok: true,
      detail: `http://127.0.0.1:${plain.address.port}/-/healthy: 200`,
    });
    const secure = await serve(
      t,
      writeConfig(
        'health.yml',
        `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  alice: ${bcrypt.hashSync('pw', 4)}\n`,
      ),
    );
    const result = await checkHealth(`http://127.0.0.1:${secure.address.port}/-/healthy`);
    assert.equal(result.ok, true, result.detail);
    const down = await checkHealth(`http://127.0.0.1:${secure.address.port}/nope`);
    assert.equal(down.ok, false);
  });
});

describe('basic auth', () => {
  const users = (entries: Record<string, string>): string =>
    `basic_auth_users:\n${Object.entries(entries)
      .map(([user, password]) => `  ${user}: ${bcrypt.hashSync(password, 4)}`)
      .join('\n')}\n`;

  test('no credentials, a wrong password and an unknown user each get 401 with WWW-Authenticate; the right ones get 200', async (t) => {
    const web = await serve(t, writeConfig('auth.yml', users({ alice: 'wonderland' })));
    for (const auth of [undefined, 'alice:guess', 'mallory:wonderland', 'alice', '']) {
      const answer = await request(web, 'http', auth === undefined ? {} : { auth });
      assert.equal(answer.status, 401, `credentials ${String(auth)}`);
      assert.equal(answer.headers['www-authenticate'], WWW_AUTHENTICATE);
      assert.equal(answer.headers['www-authenticate'], 'Basic realm="cloudscan-exporter"');
    }
    const ok = await request(web, 'http', { auth: 'alice:wonderland' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'served /metrics\n');
    const again = await request(web, 'http', { auth: 'alice:wonderland', path: '/' });
    assert.equal(again.status, 200, 'served again (from the verification cache)');
  });

  test('the main thread never runs bcrypt: checks of good, wrong and unknown-user passwords all go to worker threads', async (t) => {
    const file = writeConfig('workers.yml', users({ alice: 'wonderland' }));
    const calls: string[] = [];
    const library = bcrypt as unknown as Record<string, unknown>;
    const originals = new Map<string, unknown>();
    for (const name of ['compare', 'compareSync', 'hash', 'hashSync']) {
      const original = library[name] as (...args: unknown[]) => unknown;
      originals.set(name, original);
      library[name] = (...args: unknown[]) => {
        calls.push(name);
        return original(...args);
      };
    }
    t.after(() => {
      for (const [name, original] of originals) library[name] = original;
    });
    const web = await serve(t, file);
    assert.equal((await request(web, 'http', { auth: 'alice:wonderland' })).status, 200);
    assert.equal((await request(web, 'http', { auth: 'alice:guess' })).status, 401);
    assert.equal((await request(web, 'http', { auth: 'mallory:wonderland' })).status, 401);
    assert.deepEqual(calls, [], 'bcrypt ran on the main thread');
  });

  test('a flood of wrong passwords: past the bound they get 429 at once, and a known good client is served while checks are pending', async (t) => {
    const file = writeConfig('flood.yml', users({ alice: 'wonderland' }));
    // A check that waits until the test lets it go, so "pending" is a state, not a race.
    const held: Array<() => void> = [];
    const authenticator = new BasicAuthenticator(
      (password, hash) =>
        new Promise<boolean>((resolve) => {
          held.push(() => resolve(bcrypt.compareSync(password, hash)));
        }),
      { maxPending: 4 },
    );
    const web = await createWebServer({ listenAddress: '127.0.0.1:0', webConfigFile: file, handler, authenticator });
    t.after(() => web.close());
    const first = request(web, 'http', { auth: 'alice:wonderland' });
    await waitUntil(() => held.length === 1);
    held.shift()?.();
    assert.equal((await first).status, 200, 'the good client is verified once');

    const wrong = Array.from({ length: 40 }, (_, i) => request(web, 'http', { auth: `alice:guess-${i}` }));
    await waitUntil(() => held.length === 4);
    const good = await request(web, 'http', { auth: 'alice:wonderland' });
    assert.equal(good.status, 200, 'served from the cache while 4 wrong passwords wait');
    assert.equal(authenticator.pending, 4);
    for (const release of held.splice(0)) release();
    const answers = await Promise.all(wrong);
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    assert.equal(count(401), 4, 'the 4 checked ones');
    assert.equal(count(429), 36, 'the rest, refused without a check');
    assert.equal(answers.find((a) => a.status === 429)?.headers['retry-after'], '1');
    assert.equal(held.length, 0, 'no check was queued past the bound');
  });

  test("a password over 72 bytes counts by its first 72 bytes, as Go's bcrypt.CompareHashAndPassword in exporter-toolkit", async (t) => {
    const long = `${'p'.repeat(71)}é`; // 73 bytes: the 72-byte cut falls inside the é
    const seventyTwo = 'q'.repeat(72);
    const file = writeConfig(
      'long.yml',
      `basic_auth_users:\n  alice: ${bcrypt.hashSync(seventyTwo, 4)}\n  bob: ${bcrypt.hashSync(long, 4)}\n`,
    );
    const web = await serve(t, file);
    assert.equal((await request(web, 'http', { auth: `alice:${seventyTwo}` })).status, 200);
    assert.equal(
      (await request(web, 'http', { auth: `alice:${seventyTwo}anything after byte 72` })).status,
      200,
      'bytes past 72 are ignored',
    );
    assert.equal(
      (await request(web, 'http', { auth: `alice:x${seventyTwo.slice(1)}tail` })).status,
      401,
      'a difference in the first 72 bytes counts',
    );
    assert.equal(
      (await request(web, 'http', { auth: `alice:${seventyTwo.slice(0, 71)}` })).status,
      401,
      'a shorter password is another password',
    );
    assert.equal((await request(web, 'http', { auth: `bob:${long}` })).status, 200);
    assert.equal(
      (await request(web, 'http', { auth: `bob:${'p'.repeat(71)}\u00e8` })).status,
      200,
      'same first byte of the last character',
    );
    assert.equal((await request(web, 'http', { auth: `bob:${'p'.repeat(71)}` })).status, 401);
  });

  test('/-/healthy answers without credentials; every other path asks for them', async (t) => {
    const web = await serve(t, writeConfig('healthy.yml', users({ alice: 'wonderland' })));
    assert.equal((await request(web, 'http', { path: '/-/healthy' })).status, 200);
    assert.equal((await request(web, 'http', { path: '/-/healthy?x=1' })).status, 200);
    for (const path of ['/', '/metrics', '/probe?target=tencent/prod', '/-/ready', '/-/reload', '/-/healthy/', '/-/healthyx']) {
      assert.equal((await request(web, 'http', { path })).status, 401, path);
    }
  });

  test('auth_excluded_paths opens more paths, as in the toolkit', async (t) => {
    const web = await serve(t, writeConfig('excluded.yml', `${users({ alice: 'wonderland' })}auth_excluded_paths: [/-/ready]\n`));
    assert.equal((await request(web, 'http', { path: '/-/ready' })).status, 200);
    assert.equal((await request(web, 'http', { path: '/metrics' })).status, 401);
  });

  test('a rewritten web config applies without a restart: a new user gets in, a removed one does not', async (t) => {
    const file = writeConfig('rewritten.yml', users({ alice: 'wonderland' }));
    const web = await serve(t, file, undefined, 0);
    assert.equal((await request(web, 'http', { auth: 'alice:wonderland' })).status, 200);
    assert.equal((await request(web, 'http', { auth: 'bob:builder' })).status, 401);
    writeFileSync(file, users({ bob: 'builder' }));
    assert.equal((await request(web, 'http', { auth: 'bob:builder' })).status, 200);
    assert.equal((await request(web, 'http', { auth: 'alice:wonderland' })).status, 401, 'a removed user is out, cache or not');
  });

  test('a broken rewrite keeps the last good web config and logs one error naming the key and line', async (t) => {
    const file = writeConfig('broken.yml', users({ alice: 'wonderland' }));
    const logger = recordingLogger();
    const web = await serve(t, file, logger, 0);
    writeFileSync(file, `${users({ alice: 'wonderland' })}basic_auth_user:\n  bob: x\n`);
    assert.equal((await request(web, 'http', { auth: 'alice:wonderland' })).status, 200);
    assert.equal((await request(web, 'http')).status, 401);
    assert.deepEqual(logger.errors, [
      `web config reload failed; keeping the last good one: ${file}:3: basic_auth_user: unknown key (did you mean basic_auth_users?)`,
    ]);
  });

  test('changes are looked for at most once a second by default', async (t) => {
    const file = writeConfig('throttled.yml', users({ alice: 'wonderland' }));
    const web = await serve(t, file);
    writeFileSync(file, users({ bob: 'builder' }));
    assert.equal((await request(web, 'http', { auth: 'alice:wonderland' })).status, 200, 'not re-read yet');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await request(web, 'http', { auth: 'bob:builder' })).status, 200, 're-read after a second');
  });
});

describe('headers', () => {
  test('http_server_config.headers are added to every response, 401s included', async (t) => {
    const file = writeConfig(
      'headers.yml',
      [
        'http_server_config:',
        '  headers:',
        '    X-Frame-Options: deny',
        '    X-Content-Type-Options: nosniff',
        "    Content-Security-Policy: default-src 'self'",
        '    Strict-Transport-Security: max-age=31536000',
        `basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}`,
        '',
      ].join('\n'),
    );
    const web = await serve(t, file);
    for (const answer of [
      await request(web, 'http', { auth: 'alice:wonderland' }),
      await request(web, 'http'),
      await request(web, 'http', { path: '/-/healthy' }),
    ]) {
      assert.equal(answer.headers['x-frame-options'], 'deny');
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['content-security-policy'], "default-src 'self'");
      assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000');
    }
  });

  test('without a web config the server is plain HTTP with no auth and no extra headers', async (t) => {
    const web = await serve(t, undefined);
    const answer = await request(web, 'http');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['x-frame-options'], undefined);
    assert.equal(web.address.host, '127.0.0.1');
    assert.ok(web.address.port > 0);
  });
});

describe('startup', () => {
  test('a bad web config stops the server from starting, with the file, line and key', async () => {
    const file = writeConfig(
      'bad.yml',
      'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth: RequireAndVerifyClientCert\n',
    );
    await assert.rejects(createWebServer({ listenAddress: '127.0.0.1:0', webConfigFile: file, handler }), {
      name: 'ConfigError',
      message: `${file}:4: tls_server_config.client_auth: unknown key`,
    });
  });

  test('a certificate file that does not exist is named in the error', async () => {
    const file = writeConfig('missing.yml', 'tls_server_config:\n  cert_file: nowhere.crt\n  key_file: server.key\n');
    await assert.rejects(createWebServer({ listenAddress: '127.0.0.1:0', webConfigFile: file, handler }), {
      message: `${file}: tls_server_config.cert_file: cannot read ${join(pki.dir, 'nowhere.crt')} (ENOENT)`,
    });
  });

  test('a key that does not belong to the certificate is refused', async () => {
    const file = writeConfig('mismatch.yml', 'tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n');
    await assert.rejects(
      createWebServer({ listenAddress: '127.0.0.1:0', webConfigFile: file, handler }),
      /tls_server_config: cannot use this certificate, key and settings: .*mismatch/,
    );
  });
});

describe('hostile clients', () => {
  test('POST /-/reload answers 403 without --web.enable-lifecycle, and reloads with it', async (t) => {
    let reloads = 0;
    const reload = async () => {
      reloads += 1;
    };
    const closed = await startExporter(exporterConfig({}), { reload });
    t.after(() => closed.close());
    const refused = await fetch(`${closed.url}/-/reload`, { method: 'POST' });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /^Lifecycle API is not enabled/);
    assert.equal(reloads, 0);

    const open = await startExporter(exporterConfig({}), { reload, enableLifecycle: true });
    t.after(() => open.close());
    const done = await fetch(`${open.url}/-/reload`, { method: 'POST' });
    assert.equal(done.status, 200);
    assert.equal(reloads, 1);
  });

  test('an unsupported method on a known path answers 405 with Allow; unknown paths stay 404', async (t) => {
    const running = await startExporter(exporterConfig({}));
    t.after(() => running.close());
    const cases: Array<[method: string, path: string, allow: string]> = [
      ['POST', '/metrics', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['PUT', '/', 'GET, HEAD'],
      ['POST', '/probe?target=tencent/prod', 'GET, HEAD'],
      ['PATCH', '/-/healthy', 'GET, HEAD'],
      ['POST', '/-/ready', 'GET, HEAD'],
      ['OPTIONS', '/metrics', 'GET, HEAD'],
      ['GET', '/-/reload', 'POST'],
      ['PUT', '/-/reload', 'POST'],
      ['DELETE', '/METRICS/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await fetch(`${running.url}${path}`, { method });
      assert.equal(answer.status, 405, `${method} ${path}`);
      assert.equal(answer.headers.get('allow'), allow, `${method} ${path}`);
      await answer.text();
    }
    assert.equal((await fetch(`${running.url}/metrics`, { method: 'HEAD' })).status, 200);
    assert.equal((await fetch(`${running.url}/nowhere`, { method: 'POST' })).status, 404);
  });

  test('X-Prometheus-Scrape-Timeout-Seconds: 1e308 is clamped: no TimeoutOverflowWarning, the scrape is served', async (t) => {
    const emulator = await startEmulator();
    t.after(() => emulator.close());
    const keys = { secretId: 'AKIDhostileClients00000000000000000001', secretKey: 'hostileClientsTencentSecretKey0001' };
    emulator.tencent.addAccount({ name: 'prod', ...keys });
    const running = await startExporter(exporterConfig({ tencent: [tencentAccount('prod', keys, endpointOf(emulator))] }));
    t.after(() => running.close());
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    for (const header of ['1e308', 'Infinity', '-5', 'NaN', '99999999999']) {
      const answer = await running.get('/metrics', { 'X-Prometheus-Scrape-Timeout-Seconds': header });
      assert.equal(answer.status, 200, header);
    }
    // A warning is emitted on the next tick after the timer is made.
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('TimeoutOverflowWarning')),
      [],
    );
    assert.ok(running.exporter.deadlineFor('1e308', 0) <= 600_000);
    assert.equal(running.exporter.deadlineFor('-5', 0), (9 - 0.5) * 1000);
  });

  test('--web.max-connections: past the cap (and the connections kept for health checks) a new connection is closed at once and the connected scrapers keep working', async (t) => {
    const web = await createWebServer({ listenAddress: '127.0.0.1:0', handler, maxConnections: 3, limits: { healthReserve: 1 } });
    t.after(() => web.close());
    const connect = () =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect(web.address.port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      });
    const idle = [await connect(), await connect()];
    t.after(() => idle.forEach((socket) => socket.destroy()));
    const keptAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => keptAlive.destroy());
    const get = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: web.address.port, path: '/metrics', agent: keptAlive }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          })
          .on('error', reject);
      });
    assert.equal(await get(), 200, 'the third connection is served');
    // The cap is reached: a fourth connection is kept for health checks, a fifth is closed by the server without an answer.
    const forHealth = await connect();
    t.after(() => forHealth.destroy());
    const refused = await connect();
    const closedAt = await new Promise<string>((resolve) => {
      refused.on('data', () => resolve('answered'));
      refused.on('close', () => resolve('closed'));
      refused.on('error', () => undefined);
      refused.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    assert.equal(closedAt, 'closed');
    assert.equal(await get(), 200, 'the scraper already connected keeps being served');
  });

  test('a connection that never sends its request is closed after the headers timeout, freeing its slot', async (t) => {
    const web = await createWebServer({
      listenAddress: '127.0.0.1:0',
      handler,
      maxConnections: 1,
      timeouts: { headersMs: 200, requestMs: 400, checkIntervalMs: 50 },
    });
    t.after(() => web.close());
    const silent = net.connect(web.address.port, '127.0.0.1');
    silent.on('error', () => undefined);
    // Read whatever comes (a 408, or nothing): a socket never read from never sees the server's FIN
    // as 'end', stays half-closed (CLOSE-WAIT) and never emits 'close'.
    silent.resume();
    await new Promise<void>((resolve) => silent.on('close', () => resolve()));
    const answer = await request(web, 'http');
    assert.equal(answer.status, 200);
  });
});
