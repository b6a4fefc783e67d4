// A local fake of the cloud APIs: one HTTP server on 127.0.0.1 that answers the real SDK clients.
// Each cloud's handler (emulator/registry.ts) checks signatures and simulates its accounts; faults
// and the call log are shared.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Provider } from '../contract/types.js';
import { aboutPage } from './about.js';
import { FaultInjector, type FaultRule } from './kit/faults.js';
import { CallLog } from './kit/calls.js';
import { Quotas } from './kit/quotas.js';
import type { CloudEmulator, HandlerContext } from './kit/handler.js';
import { CLOUDS, startHandlers, type EmulatedHandlers, type EmulatedOptions } from './registry.js';

interface EmulatorFrame {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  clock?: () => number;
  /** What signing times are checked against (Unix ms); default the machine's clock. */
  signingClock?: () => number;
}

/** The emulator's own options, and each emulated cloud's under its name (`tencent: { accounts }`). */
export type EmulatorOptions = EmulatorFrame & EmulatedOptions;

interface EmulatorCore {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  /** Per-account rate limits enforced with the cloud's throttling errors; none unless set. */
  readonly quotas: Quotas;
  close(): Promise<void>;
}

/** The running emulator, and each emulated cloud's handler under its name (`emulator.tencent`). */
export type Emulator = EmulatorCore & EmulatedHandlers;

const CONTROL_PREFIX = '/_emulator/';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const context: HandlerContext = {
    faults: new FaultInjector(),
    calls: new CallLog(),
    quotas: new Quotas(),
    now: options.clock ?? Date.now,
    signingNow: options.signingClock ?? Date.now,
    hanging: new Set(),
  };
  const clouds = startHandlers(options, context.now);
  const handlers: readonly CloudEmulator[] = Object.values(clouds);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const body = Buffer.concat(chunks);
      const route = url.pathname.startsWith(CONTROL_PREFIX)
        ? handleControl(req, url, body, res, context, handlers)
        : dispatch(handlers, req, url, body, res, context);
      route.catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator error: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults: context.faults,
    calls: context.calls,
    quotas: context.quotas,
    ...clouds,
    async close() {
      for (const res of context.hanging) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function dispatch(
  handlers: readonly CloudEmulator[],
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  res: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  const handler = handlers.find((h) => h.accepts(req, url));
  if (!handler && url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(aboutPage(CLOUDS));
    return;
  }
  if (!handler) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`not an API request of an emulated cloud (${CLOUDS.map((cloud) => cloud.name).join(', ')})`);
    return;
  }
  await handler.handle(req, url, body, res, context);
}

/**
 * The control API, for tests and demos that run the emulator in another process:
 * GET calls?provider=&account=&action=&principal= -> {count, peakPerSecond}; GET calls/principals -> each
 * signing key id's calls and peak per second of each action; POST faults (a FaultRule) -> {id};
 * DELETE faults[?id=N]; DELETE calls; POST temporary-keys/expire?provider=&account= -> {expired}
 * (the temporary keys of the account's roles, or of every account, end now).
 */
async function handleControl(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  res: ServerResponse,
  context: HandlerContext,
  handlers: readonly CloudEmulator[],
): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const reply = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  if (path === 'calls' && req.method === 'GET') {
    const filter = {
      provider: (url.searchParams.get('provider') as Provider | null) ?? undefined,
      account: url.searchParams.get('account') ?? undefined,
      action: url.searchParams.get('action') ?? undefined,
      principal: url.searchParams.get('principal') ?? undefined,
    };
    return reply(200, { count: context.calls.count(filter), peakPerSecond: context.calls.peakPerSecond(filter) });
  }
  if (path === 'calls/principals' && req.method === 'GET') return reply(200, context.calls.peaksByPrincipal());
  if (path === 'calls' && req.method === 'DELETE') {
    context.calls.clear();
    return reply(200, {});
  }
  if (path === 'faults' && req.method === 'POST') {
    const rule = JSON.parse(body.toString('utf8')) as FaultRule;
    return reply(200, { id: context.faults.add(rule) });
  }
  if (path === 'faults' && req.method === 'DELETE') {
    const id = url.searchParams.get('id');
    context.faults.clear(id === null ? undefined : Number(id));
    return reply(200, {});
  }
  if (path === 'faults' && req.method === 'GET') return reply(200, context.faults.list());
  if (path === 'temporary-keys/expire' && req.method === 'POST') {
    const named = handlers.find((cloud) => cloud.provider === url.searchParams.get('provider'));
    const account = url.searchParams.get('account') ?? undefined;
    const targets = named === undefined ? handlers : [named];
    return reply(200, { expired: targets.reduce((sum, cloud) => sum + cloud.expireTemporaryKeys(account), 0) });
  }
  reply(404, { error: `unknown control path ${url.pathname}` });
}
