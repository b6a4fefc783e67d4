// The listening server: plain HTTP, or HTTPS (with mTLS per client_auth_type) when the web config
// has a tls_server_config; basic auth, the configured headers and the rate limit in front of any
// request listener.
//
// The web config file (and the certificate, key and client CA files it names) are checked for
// changes at most once a second, on each request and each new connection, and re-read when their
// mtime, size or inode changed: new users and new certificates apply without a restart, as with
// the exporter-toolkit. A file that fails to load keeps the last good configuration and logs one
// error. Switching between HTTP and HTTPS needs a restart (the listener's kind cannot change).
//
// `/-/healthy` is served WITHOUT basic auth (unlike the toolkit, which protects every path): it
// answers only "Healthy." and lets container health checks and orchestrator probes work without
// credentials. TLS, client certificates, headers and the rate limit still apply to it. Further
// open paths can be listed in the toolkit's `auth_excluded_paths`.
//
// In front of all that, request-limits.ts: one connection's requests one after the other, a cap on
// requests worked on at once, and connections past --web.max-connections kept for health checks.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebConfigWatcher, describeWebConfig, type WebLogger } from './web-config-watch.js';
export { secureOptions } from './tls-options.js';
import { errorFields } from '../../base/log.js';
import { BasicAuthenticator, TooManyVerificationsError, WWW_AUTHENTICATE, parseBasicAuth } from './basic-auth.js';
import type { TlsServerConfig } from './web-config.js';
import { REQUEST_LIMITS, limitInFlight, oneAtATime, reserveForHealth, type RequestLimits } from './request-limits.js';

/** Paths that never ask for basic auth; see the file's header. */
const ALWAYS_OPEN_PATHS: readonly string[] = ['/-/healthy'];

export type { WebLogger } from './web-config-watch.js';

interface WebServerOptions {
  /** `:9787` (all interfaces), `127.0.0.1:0` (a free port), `[::1]:9787`, `localhost:9787`. */
  listenAddress: string;
  /** Prometheus exporter-toolkit web config; undefined (or "") serves plain HTTP with no auth. */
  webConfigFile?: string | undefined;
  handler: http.RequestListener;
  logger?: WebLogger | undefined;
  /** How often at most the web config's files are checked for changes; default 1000 ms. */
  reloadCheckIntervalMs?: number;
  /** Simultaneous connections at most (--web.max-connections); 0 or undefined: no limit. */
  maxConnections?: number | undefined;
  /** Basic auth checks; tests inject one to watch or bound them. Default: bcrypt in worker threads. */
  authenticator?: BasicAuthenticator | undefined;
  /** Connection timeouts; see CONNECTION_TIMEOUTS. Tests shorten them. */
  timeouts?: Partial<ConnectionTimeouts> | undefined;
  /** Requests per connection and in flight, and the connections kept for health checks; see REQUEST_LIMITS. */
  limits?: Partial<RequestLimits> | undefined;
}

interface ConnectionTimeouts {
  /** A connection must have sent its request headers this long after it opened. */
  headersMs: number;
  /** ... and its whole request (a scrape has no body). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
  /** How often connections are checked against headersMs and requestMs. */
  checkIntervalMs: number;
}

/**
 * Sized for scrapers, which send their request as soon as they connect: a connection that sends
 * nothing, or trickles its headers, holds one of the --web.max-connections slots for about 11 s at
 * most (Node's defaults: 60 s and 300 s). Idle keep-alive connections close after 5 s (Node's
 * default): a scraper reconnecting once per interval costs less than idle connections holding slots.
 */
const CONNECTION_TIMEOUTS: ConnectionTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

export interface WebServer {
  server: http.Server | https.Server;
  address: { host: string; port: number };
  /** Stops accepting connections, closes idle ones at once and busy ones after 5 s. */
  close(): Promise<void>;
}

const quiet: WebLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function parseListenAddress(address: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--web.listen-address: "${address}" is not host:port (e.g. :9787, 127.0.0.1:9787, [::1]:9787)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' || host === undefined ? undefined : host, port };
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const logger = options.logger ?? quiet;
  const { host, port } = parseListenAddress(options.listenAddress);
  const file = options.webConfigFile === '' ? undefined : options.webConfigFile;
  const watcher = file === undefined ? undefined : new WebConfigWatcher(file, options.reloadCheckIntervalMs ?? 1000, logger);
  const timeouts: ConnectionTimeouts = { ...CONNECTION_TIMEOUTS, ...options.timeouts };
  const limits: RequestLimits = { ...REQUEST_LIMITS, ...options.limits };
  const serverOptions: http.ServerOptions = { connectionsCheckingInterval: timeouts.checkIntervalMs };
  const guarded = guardedListener(
    limitInFlight(options.handler, limits.inFlight),
    watcher,
    options.authenticator ?? new BasicAuthenticator(),
    logger,
  );

  let server: http.Server | https.Server;
  const secure = watcher?.current.secure;
  if (watcher !== undefined && secure !== undefined) {
    const tlsServer = https.createServer({ ...secure, ...serverOptions, handshakeTimeout: timeouts.headersMs });
    watcher.onSecureChange((next) => {
      tlsServer.setSecureContext(next);
      // setSecureContext leaves these two alone; each new connection reads them from the server.
      const settings = tlsServer as unknown as { requestCert: boolean; rejectUnauthorized: boolean };
      settings.requestCert = next.requestCert;
      settings.rejectUnauthorized = next.rejectUnauthorized;
    });
    // A new connection picks up changed certificates: the check runs before the TLS socket is made.
    tlsServer.prependListener('connection', () => watcher.check());
    tlsServer.on('secureConnection', (socket: TLSSocket) => enforceClientCert(socket, watcher.current.config.tls));
    tlsServer.on('tlsClientError', () => undefined);
    server = tlsServer;
  } else {
    server = http.createServer(serverOptions);
  }
  hardenConnections(server, timeouts);
  server.on('request', reserveForHealth(server, options.maxConnections ?? 0, limits.healthReserve, oneAtATime(guarded, limits.pipelined)));
  await listen(server, host, port);
  if (watcher !== undefined) logger.info({ file, ...describeWebConfig(watcher.current.config) }, 'web config loaded');

  const info = server.address() as AddressInfo;
  return { server, address: { host: info.address, port: info.port }, close: () => closeServer(server) };
}

/** The configured headers, rate limit and basic auth in front of `handler` (all off without a web config). */
function guardedListener(
  handler: http.RequestListener,
  watcher: WebConfigWatcher | undefined,
  authenticator: BasicAuthenticator,
  logger: WebLogger,
): http.RequestListener {
  return (req, res) => {
    watcher?.check();
    const config = watcher?.current.config;
    if (watcher === undefined || config === undefined) {
      handler(req, res);
      return;
    }
    if (!watcher.allowRequest()) {
      res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Too Many Requests\n');
      return;
    }
    for (const [name, value] of Object.entries(config.headers)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (config.users.size === 0 || ALWAYS_OPEN_PATHS.includes(path) || config.authExcludedPaths.includes(path)) {
      handler(req, res);
      return;
    }
    authenticator
      .verify(config.users, parseBasicAuth(req.headers.authorization))
      .then((ok) => {
        if (ok) {
          handler(req, res);
          return;
        }
        res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unauthorized\n');
      })
      .catch((error: unknown) => {
        if (error instanceof TooManyVerificationsError) {
          // Answered at once, without hashing: the flood waits on the client's side, not ours.
          res
            .writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' })
            .end('Too Many Requests: too many password checks pending\n');
          return;
        }
        logger.error(errorFields(error, logger), 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end();
      });
  };
}

/** Timeouts for slow or silent clients. */
function hardenConnections(server: http.Server | https.Server, timeouts: ConnectionTimeouts): void {
  // Node's headersTimeout only starts once a request has begun: a connection that sends nothing at
  // all (or nothing after its TLS handshake) would hold its slot for ever. Close it instead.
  const requested = new WeakSet<object>();
  const closeUnlessRequested = (socket: net.Socket): void => {
    const timer = setTimeout(() => {
      if (!requested.has(socket)) socket.destroy();
    }, timeouts.headersMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  server.on('request', (req: http.IncomingMessage) => requested.add(req.socket));
  if (server instanceof https.Server) server.on('secureConnection', closeUnlessRequested);
  else server.on('connection', closeUnlessRequested);
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
}

function listen(server: http.Server, host: string | undefined, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting connections, closes idle ones at once and busy ones after 5 s. */
function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * What Node's own options cannot express: RequireAnyClientCert (a certificate, not verified),
 * VerifyClientCertIfGiven (verified only when given) and client_allowed_sans.
 */
function enforceClientCert(socket: TLSSocket, config: TlsServerConfig | undefined): void {
  if (config === undefined) return;
  const cert = socket.getPeerCertificate();
  const given = cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
  let refuse = false;
  switch (config.clientAuthType) {
    case 'RequireAnyClientCert':
      refuse = !given;
      break;
    case 'VerifyClientCertIfGiven':
      refuse = given && !socket.authorized;
      break;
    case 'RequireAndVerifyClientCert':
      refuse = !given || !socket.authorized;
      break;
    default:
      break;
  }
  if (!refuse && config.clientAllowedSans !== undefined) {
    const sans = (given ? (cert.subjectaltname ?? '') : '')
      .split(/,\s*/)
      .map((entry) => entry.slice(entry.indexOf(':') + 1))
      .filter((entry) => entry !== '');
    refuse = !sans.some((san) => config.clientAllowedSans?.includes(san));
  }
  if (refuse) socket.destroy();
}
