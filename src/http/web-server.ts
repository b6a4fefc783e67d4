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
import { statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { ConfigError } from '../config/errors.js';
import { errorFields } from '../log.js';
import { BasicAuthenticator, TooManyVerificationsError, WWW_AUTHENTICATE, parseBasicAuth } from './basic-auth.js';
import {
  CIPHER_SUITES,
  CURVES,
  TLS_VERSIONS,
  loadWebConfig,
  readTlsMaterial,
  watchedFiles,
  type TlsMaterial,
  type TlsServerConfig,
  type WebConfig,
} from './web-config.js';

/** Paths that never ask for basic auth; see the file's header. */
export const ALWAYS_OPEN_PATHS: readonly string[] = ['/-/healthy'];

type LogFn = (fields: Record<string, unknown>, message: string) => void;
export interface WebLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** pino's: at debug, logged errors carry their stacks. */
  isLevelEnabled?(level: string): boolean;
}

export interface WebServerOptions {
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
}

export interface ConnectionTimeouts {
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
export const CONNECTION_TIMEOUTS: ConnectionTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

export interface WebServer {
  server: http.Server | https.Server;
  address: { host: string; port: number };
  /** Stops accepting connections, closes idle ones at once and busy ones after 5 s. */
  close(): Promise<void>;
}

const quiet: WebLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Node's default TLS 1.3 suites: kept whatever cipher_suites says, as Go ignores it for TLS 1.3. */
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

export function parseListenAddress(address: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--web.listen-address: "${address}" is not host:port (e.g. :9787, 127.0.0.1:9787, [::1]:9787)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' || host === undefined ? undefined : host, port };
}

type SecureOptions = tls.SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };

/** Node's TLS options for a tls_server_config; throws a ConfigError when Node refuses them. */
export function secureOptions(config: WebConfig, tlsConfig: TlsServerConfig, material: TlsMaterial): SecureOptions {
  const tls12 = tlsConfig.cipherSuites.map((name) => CIPHER_SUITES[name]).filter((name): name is string => typeof name === 'string');
  const options: SecureOptions = {
    cert: material.cert,
    key: material.key,
    minVersion: TLS_VERSIONS[tlsConfig.minVersion],
    maxVersion: TLS_VERSIONS[tlsConfig.maxVersion],
    honorCipherOrder: tlsConfig.preferServerCipherSuites,
    requestCert: tlsConfig.clientAuthType !== 'NoClientCert',
    rejectUnauthorized: tlsConfig.clientAuthType === 'RequireAndVerifyClientCert',
  };
  if (material.ca !== undefined) options.ca = material.ca;
  if (tls12.length > 0) options.ciphers = `${tls12.join(':')}:${TLS13_SUITES}`;
  if (tlsConfig.curvePreferences.length > 0) options.ecdhCurve = tlsConfig.curvePreferences.map((curve) => CURVES[curve]).join(':');
  try {
    tls.createSecureContext(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(config.file, `cannot use this certificate, key and settings: ${reason}`, undefined, ['tls_server_config']);
  }
  return options;
}

interface Loaded {
  config: WebConfig;
  secure: SecureOptions | undefined;
  fingerprint: string;
}

function fingerprint(files: readonly string[]): string {
  return files
    .map((file) => {
      try {
        const stat = statSync(file);
        return `${file}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}:${stat.ino}`;
      } catch {
        return `${file}:missing`;
      }
    })
    .join('|');
}

function load(file: string): Loaded {
  // Fingerprint first: a change made while we read is then seen by the next check.
  const before = fingerprint([file]);
  const config = loadWebConfig(file);
  const material = readTlsMaterial(config);
  const secure = config.tls !== undefined && material !== undefined ? secureOptions(config, config.tls, material) : undefined;
  const files = watchedFiles(config);
  return { config, secure, fingerprint: `${before}|${fingerprint(files.slice(1))}` };
}

/** A token bucket over all requests: `burst` at once, then one per interval. */
class RateLimiter {
  #tokens: number;
  #last = Date.now();

  constructor(
    readonly intervalSeconds: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  allow(): boolean {
    const now = Date.now();
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#last) / 1000 / this.intervalSeconds);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const logger = options.logger ?? quiet;
  const { host, port } = parseListenAddress(options.listenAddress);
  const file = options.webConfigFile === '' ? undefined : options.webConfigFile;
  const interval = options.reloadCheckIntervalMs ?? 1000;

  let current: Loaded | undefined = file === undefined ? undefined : load(file);
  let lastCheck = Date.now();
  let failedFingerprint: string | undefined;
  let limiter = current?.config.rateLimit && new RateLimiter(current.config.rateLimit.intervalSeconds, current.config.rateLimit.burst);
  const authenticator = options.authenticator ?? new BasicAuthenticator();
  const https_ = current?.secure !== undefined;
  const timeouts: ConnectionTimeouts = { ...CONNECTION_TIMEOUTS, ...options.timeouts };
  const serverOptions: http.ServerOptions = { connectionsCheckingInterval: timeouts.checkIntervalMs };
  let server: http.Server | https.Server;

  /** Re-reads the web config when one of its files changed; at most once per interval. */
  const check = (): void => {
    if (file === undefined || current === undefined) return;
    const now = Date.now();
    if (now - lastCheck < interval) return;
    lastCheck = now;
    const files = watchedFiles(current.config);
    const seen = `${fingerprint(files.slice(0, 1))}|${fingerprint(files.slice(1))}`;
    if (seen === current.fingerprint || seen === failedFingerprint) return;
    let next: Loaded;
    try {
      next = load(file);
      if ((next.secure !== undefined) !== https_) {
        throw new ConfigError(
          file,
          `${https_ ? 'removing' : 'adding'} tls_server_config needs a restart (the server keeps serving ${https_ ? 'HTTPS' : 'plain HTTP'})`,
        );
      }
    } catch (error) {
      failedFingerprint = seen;
      logger.error({ file, ...errorFields(error, logger) }, 'web config reload failed; keeping the last good one');
      return;
    }
    failedFingerprint = undefined;
    const rate = next.config.rateLimit;
    const old = current.config.rateLimit;
    if (rate?.intervalSeconds !== old?.intervalSeconds || rate?.burst !== old?.burst) {
      limiter = rate && new RateLimiter(rate.intervalSeconds, rate.burst);
    }
    if (next.secure !== undefined && server instanceof https.Server) {
      server.setSecureContext(next.secure);
      // setSecureContext leaves these two alone; each new connection reads them from the server.
      const settings = server as unknown as { requestCert: boolean; rejectUnauthorized: boolean };
      settings.requestCert = next.secure.requestCert;
      settings.rejectUnauthorized = next.secure.rejectUnauthorized;
    }
    current = next;
    logger.info(describe(next.config), 'web config reloaded');
  };

  const listener: http.RequestListener = (req, res) => {
    check();
    const config = current?.config;
    if (config === undefined) {
      options.handler(req, res);
      return;
    }
    if (limiter !== undefined && !limiter.allow()) {
      res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Too Many Requests\n');
      return;
    }
    for (const [name, value] of Object.entries(config.headers)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (config.users.size === 0 || ALWAYS_OPEN_PATHS.includes(path) || config.authExcludedPaths.includes(path)) {
      options.handler(req, res);
      return;
    }
    authenticator
      .verify(config.users, parseBasicAuth(req.headers.authorization))
      .then((ok) => {
        if (ok) {
          options.handler(req, res);
          return;
        }
        res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unauthorized\n');
      })
      .catch((error: unknown) => {
        if (error instanceof TooManyVerificationsError) {
          // Answered at once, without hashing: the flood waits on the client's side, not ours.
          res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' }).end('Too Many Requests: too many password checks pending\n');
          return;
        }
        logger.error(errorFields(error, logger), 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end();
      });
  };

  if (current?.secure !== undefined) {
    const tlsServer = https.createServer({ ...current.secure, ...serverOptions, handshakeTimeout: timeouts.headersMs }, listener);
    // A new connection picks up changed certificates: the check runs before the TLS socket is made.
    tlsServer.prependListener('connection', check);
    tlsServer.on('secureConnection', (socket: TLSSocket) => enforceClientCert(socket, current?.config.tls));
    tlsServer.on('tlsClientError', () => undefined);
    server = tlsServer;
  } else {
    server = http.createServer(serverOptions, listener);
  }
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
  // Over the cap, Node closes a new connection at once: the scrapers already connected keep working.
  if (options.maxConnections !== undefined && options.maxConnections > 0) server.maxConnections = options.maxConnections;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  if (current !== undefined) logger.info({ file, ...describe(current.config) }, 'web config loaded');

  const info = server.address() as AddressInfo;
  return {
    server,
    address: { host: info.address, port: info.port },
    close: () =>
      new Promise<void>((resolve) => {
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
      }),
  };
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
    const sans = (given ? cert.subjectaltname ?? '' : '')
      .split(/,\s*/)
      .map((entry) => entry.slice(entry.indexOf(':') + 1))
      .filter((entry) => entry !== '');
    refuse = !sans.some((san) => config.clientAllowedSans?.includes(san));
  }
  if (refuse) socket.destroy();
}

function describe(config: WebConfig): Record<string, unknown> {
  return {
    tls: config.tls !== undefined,
    client_auth_type: config.tls?.clientAuthType ?? 'NoClientCert',
    basic_auth_users: config.users.size,
    headers: Object.keys(config.headers).length,
  };
}
