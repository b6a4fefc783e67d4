// Guards for the places where our code relies on a dependency's internals or undocumented behaviour.
// Each such package is pinned to an exact version in package.json (under dependencies, or under
// overrides for one we do not import ourselves), so `npm update` cannot move it. Each test checks that
// the installed copy is the pinned version and still has the shape our code reaches into; it fails
// when the dependency changes under us. Bumping one: read the new version's source for what the
// failing message names, fix our module if needed, then change the pin (and this test) together.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { Agent, createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import OpenApiCore from '@alicloud/openapi-core';
import * as Dara from '@darabonba/typescript';
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import { z } from 'zod';
import { rpcParams } from '../../src/sources/alibaba/client.js';
import { HttpCall } from '../../src/sources/kit/http-call.js';
import { REDIRECT_REFUSED, endpointAgent } from '../../src/sources/tencent/agent.js';
import { repoRoot } from '../support/paths.js';

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  overrides?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** The main file of `name` as `fromFile`'s package resolves it (a transitive one: as its dependent sees it). */
function resolveFrom(name: string, fromFile: string = fileURLToPath(import.meta.url)): string {
  return createRequire(fromFile).resolve(name);
}

/** The package.json of the installed package that holds `file`. */
function manifestOf(name: string, file: string): Manifest {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const found = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
      if (found.name === name) return found;
    } catch {
      // no package.json here: look further up
    }
  }
  throw new Error(`no package.json of ${name} above ${file}`);
}

/**
 * Asserts that package.json pins `name` exactly and that the copy our code loads (resolved from
 * `fromFile`, the dependent that loads it) is that version. `recheck` says what to read again before
 * moving the pin.
 */
function assertPinned(name: string, recheck: string, fromFile?: string): void {
  const pin = manifest.dependencies?.[name] ?? manifest.overrides?.[name];
  assert.ok(pin !== undefined, `${name} is not pinned in package.json (dependencies or overrides); we rely on its internals: ${recheck}`);
  assert.match(pin, /^\d+\.\d+\.\d+$/, `package.json gives ${name} the range "${pin}"; pin it to one exact version: ${recheck}`);
  const installed = manifestOf(name, resolveFrom(name, fromFile)).version;
  assert.equal(
    installed,
    pin,
    `${name} ${installed} is installed but package.json pins ${pin}: before moving the pin, re-check ${recheck}`,
  );
}

/** A plain HTTP server on 127.0.0.1 for the duration of `use`. */
async function withServer<T>(handler: RequestListener, use: (port: number) => Promise<T>): Promise<T> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const answer = (status: number, contentType: string, body: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
};

/** Answers 200 with the JSON `body`, chunked (in three writes) or in one piece with a Content-Length. */
const answerFramed = (framing: 'chunked' | 'content-length', body: string) => (_req: IncomingMessage, res: ServerResponse) => {
  if (framing === 'content-length') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  const third = Math.ceil(body.length / 3);
  res.write(body.slice(0, third));
  res.write(body.slice(third, 2 * third));
  res.end(body.slice(2 * third));
};

/** A JSON answer of about 200 KB: several reads of the socket, several chunks handed to push(). */
const largeAnswer = (payload: Record<string, unknown>) => JSON.stringify({ ...payload, Padding: 'x'.repeat(200_000) });

const readAll = async (body: Readable): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
};

interface HttpSeen {
  /** The HttpCall current when Node announced each request (http.client.request.start). */
  requestsIn: (HttpCall | undefined)[];
  /** The HttpCall current when Node announced each answer (http.client.response.finish). */
  responsesIn: (HttpCall | undefined)[];
  /** Body bytes the HTTP parser handed to the answers' push(), wrapped when announced, as http-call.ts does. */
  pushedBytes: number;
}

/** What http-call.ts relies on, watched while `use` runs. */
async function watchHttp(use: () => Promise<unknown>): Promise<HttpSeen> {
  const seen: HttpSeen = { requestsIn: [], responsesIn: [], pushedBytes: 0 };
  const onRequest = () => {
    seen.requestsIn.push(HttpCall.current());
  };
  const onResponse = (message: unknown) => {
    seen.responsesIn.push(HttpCall.current());
    const response = (message as { response: IncomingMessage }).response;
    const push = response.push.bind(response);
    response.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (Buffer.isBuffer(chunk)) seen.pushedBytes += chunk.length;
      return push(chunk, encoding);
    };
  };
  subscribe('http.client.request.start', onRequest);
  subscribe('http.client.response.finish', onResponse);
  try {
    await use();
    return seen;
  } finally {
    unsubscribe('http.client.request.start', onRequest);
    unsubscribe('http.client.response.finish', onResponse);
  }
}

const RECHECK_HTTP_CALL = `http-call.ts (on Node ${process.version}: the call's AsyncLocalStorage context reaching http.client.request.start and http.client.response.finish; the HTTP parser handing every body chunk to response.push, announced before the body)`;

/** Asserts what http-call.ts needs of one call of an SDK (`sdk` names it) that read a `bytes`-long body. */
function assertWatched(seen: HttpSeen, http: HttpCall, bytes: number, sdk: string): void {
  assert.deepEqual(
    seen.requestsIn.map((call) => call === http),
    [true],
    `${sdk}: its request was not announced once in the call's async context: re-check ${RECHECK_HTTP_CALL}`,
  );
  assert.deepEqual(
    seen.responsesIn.map((call) => call === http),
    [true],
    `${sdk}: its answer was not announced once in the call's async context: re-check ${RECHECK_HTTP_CALL}`,
  );
  assert.equal(http.status(), 200, `${sdk}: HttpCall did not see the answer's status: re-check ${RECHECK_HTTP_CALL}`);
  assert.equal(seen.pushedBytes, bytes, `${sdk}: the body did not go through the answer's push(): re-check ${RECHECK_HTTP_CALL}`);
}

describe('httpx, the HTTP layer under @darabonba/typescript (src/sources/alibaba/read-timers.ts)', () => {
  interface HttpxResponse extends IncomingMessage {
    socket: IncomingMessage['socket'];
  }
  interface Httpx {
    request(url: string, options: { method?: string; readTimeout?: number; connectTimeout?: number }): Promise<HttpxResponse>;
    read(response: HttpxResponse, encoding: string): Promise<string>;
  }
  const darabonbaMain = resolveFrom('@darabonba/typescript');
  const RECHECK =
    'read-timers.ts: httpx arms a timer under Symbol("TIMER::READ_TIMER") on the socket and leaves it armed unless the body is read with httpx.read()';
  const httpx = createRequire(darabonbaMain)('httpx') as Httpx;
  const readTimerOf = (socket: object): { key: symbol | undefined; timer: unknown } => {
    const key = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'TIMER::READ_TIMER');
    return { key, timer: key === undefined ? undefined : (socket as Record<symbol, unknown>)[key] };
  };
  const armed = (timer: unknown): boolean =>
    timer !== null &&
    typeof timer === 'object' &&
    typeof (timer as NodeJS.Timeout).refresh === 'function' &&
    (timer as { _destroyed?: boolean })._destroyed !== true;

  test('the httpx that @darabonba/typescript loads is the pinned one', () => {
    assertPinned('httpx', RECHECK, darabonbaMain);
  });

  test('a request leaves its read timer armed on the socket after the body is read as Darabonba reads it', async () => {
    await withServer(answer(200, 'application/json', '{"ok":true}'), async (port) => {
      const response = await httpx.request(`http://127.0.0.1:${port}/`, { method: 'GET', readTimeout: 30_000, connectTimeout: 30_000 });
      const socket = response.socket;
      for await (const chunk of response) assert.ok(Buffer.isBuffer(chunk)); // a plain stream reader, not httpx.read()
      const { key, timer } = readTimerOf(socket);
      assert.ok(
        key !== undefined,
        `httpx keeps no TIMER::READ_TIMER symbol on the socket any more: ${RECHECK}; read-timers.ts finds nothing to clear`,
      );
      assert.ok(armed(timer), `httpx now clears its read timer itself once the body is read: read-timers.ts may be dropped (${RECHECK})`);
      clearTimeout(timer as NodeJS.Timeout);
    });
  });

  test('httpx.read() refuses a response whose read timer is gone, so read-timers.ts clears it only after the body has ended', async () => {
    await withServer(answer(200, 'application/json', '{"ok":true}'), async (port) => {
      const response = await httpx.request(`http://127.0.0.1:${port}/`, { method: 'GET', readTimeout: 30_000, connectTimeout: 30_000 });
      const { key, timer } = readTimerOf(response.socket);
      assert.ok(key !== undefined && armed(timer), `no armed read timer after the request: ${RECHECK}`);
      clearTimeout(timer as NodeJS.Timeout);
      (response.socket as unknown as Record<symbol, unknown>)[key] = null;
      await assert.rejects(httpx.read(response, 'utf8'), { name: 'RequestTimeoutError' }, 'httpx.read() no longer checks the read timer');
      response.destroy();
    });
  });
});

describe('the Darabonba OpenAPI base client (src/sources/alibaba/client.ts, errors.ts, http-call.ts)', () => {
  const OpenApiClient = OpenApiCore.default;
  const { $OpenApiUtil } = OpenApiCore;
  const RECHECK_CORE =
    'alibaba/client.ts (callApi, $OpenApiUtil.Config/Params/OpenApiRequest) and errors.ts (statusCode, code, requestId on its errors; a non-JSON error page as a bare SyntaxError)';
  const RECHECK_DARA = 'alibaba/client.ts (RuntimeOptions) and read-timers.ts/http-call.ts (its requests go through httpx over node:http)';

  /** One call as alibaba/client.ts makes it (bodyType binary), through HttpCall with `maxBytes`. */
  const callOnce = (port: number, maxBytes = 4 * 1024 * 1024) => {
    const client = new OpenApiClient(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAI5tHookGuard',
        accessKeySecret: 'hook-guard-secret',
        endpoint: `127.0.0.1:${port}`,
        protocol: 'HTTP',
        readTimeout: 30_000,
        connectTimeout: 30_000,
      }),
    );
    const params = rpcParams('DescribeVulCheckTaskStatusDetail', 'HTTP');
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiCore.OpenApiUtil.query({ Uuid: 'u-1' }) });
    const runtime = new Dara.RuntimeOptions({ readTimeout: 30_000, connectTimeout: 30_000 });
    const { http, outcome } = HttpCall.run(maxBytes, () => client.callApi(params, request, runtime));
    return { http, outcome, status: () => http.status() };
  };
  /** The answer of a call that is not an error, as alibaba/client.ts's RawAnswer reads it. */
  interface BinaryAnswer {
    body?: unknown;
    headers?: Record<string, unknown>;
    statusCode?: unknown;
  }
  const RECHECK_BINARY =
    "alibaba/client.ts (callApi with bodyType 'binary' answers { body: Readable, headers, statusCode } with the body unread; a redirect comes back as such an answer, not followed)";

  test('@alicloud/openapi-core and @darabonba/typescript are the pinned versions', () => {
    assertPinned('@alicloud/openapi-core', RECHECK_CORE);
    assertPinned('@darabonba/typescript', RECHECK_DARA);
    assertPinned('@darabonba/typescript', RECHECK_DARA, resolveFrom('@alicloud/openapi-core'));
  });

  test('an error answer with a JSON body becomes an error carrying statusCode, code and requestId', async () => {
    const body = JSON.stringify({
      Code: 'Throttling.User',
      Message: 'Request was denied due to user flow control.',
      RequestId: 'req-hook-1',
    });
    await withServer(answer(400, 'application/json', body), async (port) => {
      const error = await callOnce(port).outcome.then(
        () => assert.fail('an HTTP 400 answer was taken as a success'),
        (thrown: unknown) => thrown as { statusCode?: unknown; code?: unknown; requestId?: unknown },
      );
      assert.deepEqual(
        { statusCode: error.statusCode, code: error.code, requestId: error.requestId },
        { statusCode: 400, code: 'Throttling.User', requestId: 'req-hook-1' },
        `the base client's error fields changed: re-check ${RECHECK_CORE}`,
      );
    });
  });

  test("an HTML error page surfaces as a SyntaxError without its status, which Node announces on http.client.response.finish in the call's context", async () => {
    await withServer(answer(503, 'text/html', '<html><body>503 Service Temporarily Unavailable</body></html>'), async (port) => {
      const call = callOnce(port);
      const error = await call.outcome.then(
        () => assert.fail('an HTML 503 page was taken as a success'),
        (thrown: unknown) => thrown,
      );
      assert.ok(
        error instanceof SyntaxError,
        `the base client no longer fails a non-JSON error page with a bare SyntaxError (${String(error)}): re-check ${RECHECK_CORE}`,
      );
      assert.equal(
        (error as { statusCode?: unknown }).statusCode,
        undefined,
        'the base client now keeps the status of a non-JSON error page: http-call.ts may be dropped',
      );
      assert.equal(
        call.status(),
        503,
        `no http.client.response.finish message reached the call's async context: re-check http-call.ts on Node ${process.version} and ${RECHECK_DARA}`,
      );
    });
  });

  test('with bodyType binary a 200 answer comes back as { body, headers, statusCode }, the body unread', async () => {
    const body = JSON.stringify({ RequestId: 'req-hook-2', TotalCount: 1 });
    await withServer(answer(200, 'application/json; charset=utf-8', body), async (port) => {
      const call = callOnce(port);
      try {
        const result = (await call.outcome) as BinaryAnswer;
        assert.ok(result.body instanceof Readable, `the answer's body is not a stream: re-check ${RECHECK_BINARY}`);
        assert.equal(result.body.readableEnded, false, `the base client read the body itself: re-check ${RECHECK_BINARY}`);
        assert.equal(result.statusCode, 200, `no statusCode on the answer: re-check ${RECHECK_BINARY}`);
        assert.equal(
          result.headers?.['content-type'],
          'application/json; charset=utf-8',
          `no lower-case content-type in the answer's headers: re-check ${RECHECK_BINARY}`,
        );
        assert.equal(await readAll(result.body), body, `the answer's body stream does not carry the body: re-check ${RECHECK_BINARY}`);
      } finally {
        call.http.close();
      }
    });
  });

  test('with bodyType binary a redirect is neither followed nor an error: it comes back as an answer with its status', async () => {
    let requests = 0;
    await withServer(
      (_req, res) => {
        requests += 1;
        res.writeHead(302, { location: '/elsewhere', 'content-type': 'application/json' });
        res.end('{}');
      },
      async (port) => {
        const call = callOnce(port);
        try {
          const result = (await call.outcome.catch((error: unknown) =>
            assert.fail(`a redirect became an error (${String(error)}): re-check ${RECHECK_BINARY}`),
          )) as BinaryAnswer;
          assert.equal(result.statusCode, 302, `a redirect did not come back with its status: re-check ${RECHECK_BINARY}`);
        } finally {
          call.http.close();
        }
      },
    );
    assert.equal(requests, 1, `httpx now follows redirects: re-check ${RECHECK_BINARY}`);
  });

  for (const framing of ['chunked', 'content-length'] as const) {
    test(`Node announces the call's request and answer in its async context and hands the body to the answer's push() (${framing})`, async () => {
      const body = largeAnswer({ RequestId: 'req-hook-3' });
      await withServer(answerFramed(framing, body), async (port) => {
        let call: ReturnType<typeof callOnce> | undefined;
        const seen = await watchHttp(async () => {
          call = callOnce(port);
          const result = (await call.outcome) as BinaryAnswer;
          assert.equal(await readAll(result.body as Readable), body, RECHECK_BINARY);
        });
        assertWatched(seen, call!.http, Buffer.byteLength(body), 'the Darabonba base client');
        call!.http.close();
      });
    });
  }

  // A base client that reads the body itself (not bodyType binary) never settles once the body is cut:
  // the timeout fails the test, and its signal lets the server close so the file still ends.
  test('a chunked answer larger than the limit is cut where the parser hands it over', { timeout: 30_000 }, async (t) => {
    const body = largeAnswer({ RequestId: 'req-hook-4' });
    await withServer(answerFramed('chunked', body), async (port) => {
      const call = callOnce(port, 1024);
      const read = call.outcome.then((result) => readAll((result as BinaryAnswer).body as Readable));
      const givenUp = new Promise<never>((_, reject) =>
        t.signal.addEventListener('abort', () => reject(new Error(`no end: ${RECHECK_BINARY}`)), { once: true }),
      );
      await assert.rejects(
        Promise.race([read, givenUp]),
        `a ${body.length}-byte answer was read whole under a 1024-byte limit: re-check ${RECHECK_HTTP_CALL}`,
      );
      assert.equal(call.http.failure()?.problem, 'too_large', `the answer was not cut by HttpCall's push(): re-check ${RECHECK_HTTP_CALL}`);
      call.http.close();
    });
  });
});

describe('zod (src/config/issues.ts reads schema._zod.def for did-you-mean)', () => {
  const RECHECK =
    "config/issues.ts's knownKeys(): _zod.def.type of object/array/optional/default/nullable/pipe and their shape, element, innerType and in";
  type Def = { type?: unknown; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown };
  const defOf = (schema: unknown): Def => {
    const def = (schema as { _zod?: { def?: Def } })._zod?.def;
    assert.ok(def !== undefined, `a zod schema has no _zod.def: ${RECHECK}`);
    return def;
  };

  test('zod is the pinned version', () => {
    assertPinned('zod', RECHECK);
  });

  test('every wrapper the config schema uses exposes its inner schema where issues.ts looks for it', () => {
    const inner = z.object({ name: z.string() });
    const list = z.array(inner);
    const schema = z.object({
      optional: inner.optional(),
      defaulted: list.default([]),
      nullable: inner.nullable(),
      transformed: z.string().transform((value) => value.length),
    });
    const root = defOf(schema);
    assert.equal(root.type, 'object', RECHECK);
    assert.deepEqual(Object.keys(root.shape ?? {}), ['optional', 'defaulted', 'nullable', 'transformed'], RECHECK);
    for (const [key, type] of [
      ['optional', 'optional'],
      ['defaulted', 'default'],
      ['nullable', 'nullable'],
    ] as const) {
      const def = defOf(root.shape?.[key]);
      assert.equal(def.type, type, `${key}: ${RECHECK}`);
      assert.ok(def.innerType !== undefined, `${key}: no innerType: ${RECHECK}`);
    }
    assert.equal(defOf(root.shape?.['optional']).innerType, inner, `optional's innerType is not the wrapped schema: ${RECHECK}`);
    const defaulted = defOf(defOf(root.shape?.['defaulted']).innerType);
    assert.equal(defaulted.type, 'array', RECHECK);
    assert.equal(defaulted.element, inner, `an array's element is not where issues.ts looks: ${RECHECK}`);
    const transformed = defOf(root.shape?.['transformed']);
    assert.equal(transformed.type, 'pipe', `a transform is no longer a pipe: ${RECHECK}`);
    assert.equal(defOf(transformed.in).type, 'string', `a pipe's input is not in .in: ${RECHECK}`);
  });
});

describe('tencentcloud-sdk-nodejs-common and its node-fetch (src/sources/tencent/api-client.ts, errors.ts, size-limit.ts)', () => {
  const { CommonClient } = tencentcloud;
  const RECHECK_SDK =
    'tencent/api-client.ts (request(action, params, { signal }); httpProfile.agent, through which size-limit.ts counts bytes) and errors.ts (code, requestId, httpCode on its errors)';
  const RECHECK_FETCH =
    "tencent/errors.ts (node-fetch's FetchError type 'invalid-json', its 'aborted' and 'network timeout' messages) and size-limit.ts (counting through socket.emit)";

  class CountingAgent extends Agent {
    connections = 0;
    override createConnection(...args: Parameters<Agent['createConnection']>): Duplex {
      this.connections += 1;
      return super.createConnection(...args) as Duplex;
    }
  }

  const clientFor = (port: number, agent: Agent) =>
    new CommonClient(`127.0.0.1:${port}`, '2018-02-28', {
      credential: { secretId: 'AKIDHookGuard', secretKey: 'hook-guard-secret' },
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: `127.0.0.1:${port}`, protocol: 'http://', reqTimeout: 30, agent } },
    });

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail('the call succeeded'),
      (thrown: unknown) => thrown as { code?: unknown; requestId?: unknown; httpCode?: unknown; type?: unknown; message?: unknown },
    );

  test('the SDK and the node-fetch it loads are the pinned versions', () => {
    assertPinned('tencentcloud-sdk-nodejs-common', RECHECK_SDK);
    assertPinned('node-fetch', RECHECK_FETCH, resolveFrom('tencentcloud-sdk-nodejs-common'));
  });

  test('calls go through the http.Agent given as httpProfile.agent, and answers and errors keep their shape', async () => {
    const agent = new CountingAgent({ keepAlive: false });
    const answers = [
      answer(200, 'application/json', JSON.stringify({ Response: { State: 'Scanning', RequestId: 'req-ok' } })),
      answer(
        200,
        'application/json',
        JSON.stringify({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad signature' }, RequestId: 'req-err' } }),
      ),
      answer(502, 'text/html', '<html>502 Bad Gateway</html>'),
      answer(200, 'application/json', '<html>not json</html>'),
    ];
    await withServer(
      (req, res) => answers.shift()?.(req, res),
      async (port) => {
        const client = clientFor(port, agent);
        const signal = new AbortController().signal;
        assert.deepEqual(
          await client.request('DescribeScanState', {}, { signal }),
          { State: 'Scanning', RequestId: 'req-ok' },
          RECHECK_SDK,
        );
        const cloudError = await failureOf(client.request('DescribeScanState', {}, { signal }));
        assert.deepEqual(
          { code: cloudError.code, requestId: cloudError.requestId },
          { code: 'AuthFailure.SignatureFailure', requestId: 'req-err' },
          RECHECK_SDK,
        );
        assert.equal((await failureOf(client.request('DescribeScanState', {}, { signal }))).httpCode, 502, RECHECK_SDK);
        assert.equal((await failureOf(client.request('DescribeScanState', {}, { signal }))).type, 'invalid-json', RECHECK_FETCH);
      },
    );
    assert.equal(agent.connections, 4, `the SDK did not send every call through httpProfile.agent: ${RECHECK_SDK}`);
  });

  test("the signal passed as request()'s option ends a call the server never answers", async () => {
    const controller = new AbortController();
    await withServer(
      () => controller.abort(), // the request arrived: give up on it; no answer is ever sent
      async (port) => {
        const error = await failureOf(
          clientFor(port, new Agent({ keepAlive: false })).request('DescribeScanState', {}, { signal: controller.signal }),
        );
        assert.match(
          String(error.message),
          /aborted/i,
          `a call whose signal fired does not end as aborted: ${RECHECK_SDK} and ${RECHECK_FETCH}`,
        );
      },
    );
  });

  test("request() reads every answer through this.parseResponse(node-fetch's Response), so replacing it on the instance takes effect", async () => {
    const RECHECK =
      "tencent/api-client.ts (Object.defineProperty(client, 'parseResponse'): the SDK's request() calls this.parseResponse with node-fetch's Response { status, headers.get(), body stream } for every status)";
    assert.equal(
      typeof (CommonClient.prototype as unknown as { parseResponse?: unknown }).parseResponse,
      'function',
      `CommonClient has no parseResponse method any more: re-check ${RECHECK}`,
    );
    const body = JSON.stringify({ Response: { State: 'Scanning', RequestId: 'req-parse' } });
    const answers = [answer(200, 'application/json', body), answer(502, 'text/html', '<html>502 Bad Gateway</html>')];
    await withServer(
      (req, res) => answers.shift()?.(req, res),
      async (port) => {
        const client = clientFor(port, new Agent({ keepAlive: false }));
        const seen: { status: unknown; contentType: unknown; body: string }[] = [];
        Object.defineProperty(client, 'parseResponse', {
          value: async (response: { status?: unknown; headers?: { get?: (name: string) => unknown }; body?: unknown }) => {
            assert.ok(response.body instanceof Readable, `parseResponse's argument has no body stream: re-check ${RECHECK}`);
            seen.push({
              status: response.status,
              contentType: response.headers?.get?.('content-type'),
              body: await readAll(response.body),
            });
            return 'read by the replacement';
          },
        });
        const signal = new AbortController().signal;
        assert.equal(
          await client.request('DescribeScanState', {}, { signal }),
          'read by the replacement',
          `the replaced parseResponse did not take effect: re-check ${RECHECK}`,
        );
        assert.equal(
          await client.request('DescribeScanState', {}, { signal }),
          'read by the replacement',
          `a 502 answer did not go through parseResponse: re-check ${RECHECK}`,
        );
        assert.deepEqual(
          seen,
          [
            { status: 200, contentType: 'application/json', body },
            { status: 502, contentType: 'text/html', body: '<html>502 Bad Gateway</html>' },
          ],
          `parseResponse did not get node-fetch's Response as tencent/api-client.ts reads it: re-check ${RECHECK}`,
        );
      },
    );
  });

  const RECHECK_AGENT =
    "tencent/agent.ts (node-fetch follows redirects, through the same httpProfile.agent, with the host and port of the redirect in createConnection's options, in the call's async context; an error thrown by createConnection ends the call with its message)";

  test("node-fetch follows a redirect through the same httpProfile.agent, in the call's async context", async () => {
    const connections: { host: string; port: string; inCall: boolean }[] = [];
    let http: HttpCall | undefined;
    const agent = new (class extends Agent {
      override createConnection(...args: Parameters<Agent['createConnection']>): Duplex {
        const options = args[0];
        connections.push({
          host: String(options.host ?? options.hostname),
          port: String(options.port),
          inCall: HttpCall.current() === http,
        });
        return super.createConnection(...args) as Duplex;
      }
    })({ keepAlive: false });
    await withServer(
      answer(200, 'application/json', JSON.stringify({ Response: { State: 'Redirected', RequestId: 'req-there' } })),
      async (there) => {
        await withServer(
          (_req, res) => {
            res.writeHead(302, { location: `http://127.0.0.1:${there}/` });
            res.end();
          },
          async (here) => {
            const call = HttpCall.run(4 * 1024 * 1024, () =>
              clientFor(here, agent).request('DescribeScanState', {}, { signal: new AbortController().signal }),
            );
            http = call.http;
            const result = await call.outcome.catch((error: unknown) =>
              assert.fail(
                `node-fetch no longer follows a redirect (${String(error)}): agent.ts's refusal may be dropped; ${RECHECK_AGENT}`,
              ),
            );
            call.http.close();
            assert.deepEqual(result, { State: 'Redirected', RequestId: 'req-there' }, `the redirect was not followed: ${RECHECK_AGENT}`);
            assert.deepEqual(
              connections,
              [
                { host: '127.0.0.1', port: String(here), inCall: true },
                { host: '127.0.0.1', port: String(there), inCall: true },
              ],
              `the redirect did not go through the agent as agent.ts expects: re-check ${RECHECK_AGENT}`,
            );
          },
        );
      },
    );
  });

  test("agent.ts's refusal of a second connection ends the call with its message, and nothing reaches the redirect's target", async () => {
    let requests = 0;
    await withServer(
      (_req, res) => {
        requests += 1;
        res.writeHead(302, { location: '/again' });
        res.end();
      },
      async (port) => {
        const agent = endpointAgent({ protocol: 'http', host: `127.0.0.1:${port}` });
        const call = HttpCall.run(4 * 1024 * 1024, () =>
          clientFor(port, agent).request('DescribeScanState', {}, { signal: new AbortController().signal }),
        );
        const error = await failureOf(call.outcome);
        call.http.close();
        assert.match(
          String(error.message),
          new RegExp(REDIRECT_REFUSED),
          `the refusal's message does not reach the SDK's error: re-check ${RECHECK_AGENT} and tencent/errors.ts`,
        );
      },
    );
    assert.equal(requests, 1, `a redirect reached the server despite the agent: re-check ${RECHECK_AGENT}`);
  });

  for (const framing of ['chunked', 'content-length'] as const) {
    test(`Node announces the call's request and answer in its async context and hands the body to the answer's push() (${framing})`, async () => {
      const body = largeAnswer({ Response: { State: 'Scanning', RequestId: 'req-push' } });
      await withServer(answerFramed(framing, body), async (port) => {
        let call: { http: HttpCall; outcome: Promise<unknown> } | undefined;
        const seen = await watchHttp(async () => {
          call = HttpCall.run(4 * 1024 * 1024, () =>
            clientFor(port, new Agent({ keepAlive: false })).request('DescribeScanState', {}, { signal: new AbortController().signal }),
          );
          assert.deepEqual(await call.outcome, { State: 'Scanning', RequestId: 'req-push' }, RECHECK_SDK);
        });
        assertWatched(seen, call!.http, Buffer.byteLength(body), 'the Tencent SDK (node-fetch)');
        call!.http.close();
      });
    });
  }

  test('a chunked answer larger than the limit is cut where the parser hands it over, before the SDK has read it', async () => {
    const body = largeAnswer({ Response: { State: 'Scanning', RequestId: 'req-cut' } });
    await withServer(answerFramed('chunked', body), async (port) => {
      const call = HttpCall.run(1024, () =>
        clientFor(port, new Agent({ keepAlive: false })).request('DescribeScanState', {}, { signal: new AbortController().signal }),
      );
      await assert.rejects(
        call.outcome,
        `a ${body.length}-byte answer was read whole under a 1024-byte limit: re-check ${RECHECK_HTTP_CALL}`,
      );
      assert.equal(call.http.failure()?.problem, 'too_large', `the answer was not cut by HttpCall's push(): re-check ${RECHECK_HTTP_CALL}`);
      call.http.close();
    });
  });
});
