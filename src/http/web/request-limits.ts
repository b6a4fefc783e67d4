// Bounds on what clients can make the exporter work on at once (issue 21, findings 1 and 6):
// - one connection's requests are answered one after the other, the next only once the last answer
//   has been taken by the client (its socket drained): HTTP pipelining cannot start a scrape per
//   request sent, and a client that sends requests without reading answers is closed past a few;
// - requests being worked on (until their answer starts) are capped for all connections together,
//   the others wait their turn; /-/healthy and /-/ready never wait;
// - past --web.max-connections a few more connections are accepted, for /-/healthy and /-/ready
//   only: however scrapes hold the slots, a liveness or readiness probe is answered.
import type http from 'node:http';
import type net from 'node:net';

export interface RequestLimits {
  /** Requests of one connection waiting behind the one being answered (HTTP pipelining); past them the connection is closed. */
  pipelined: number;
  /** Requests worked on at once, all connections together, until their answer starts; the others wait their turn. */
  inFlight: number;
  /** Connections accepted past --web.max-connections, for /-/healthy and /-/ready only. */
  healthReserve: number;
}

/**
 * Scrapers send a request and read its answer; 8 requests sent ahead are more than any client
 * pipelines. 64 scrapes worked on at once is far above what Prometheus replicas send.
 */
export const REQUEST_LIMITS: RequestLimits = { pipelined: 8, inFlight: 64, healthReserve: 8 };

/** Answered whatever the scrapes do: on the reserved connections, and without waiting for a slot. */
const HEALTH_PATHS: readonly string[] = ['/-/healthy', '/-/ready'];

function pathOf(req: http.IncomingMessage): string {
  return (req.url ?? '/').split('?', 1)[0] ?? '/';
}

/** One connection's requests one after the other: the next starts once the last answer ended and its socket drained. */
export function oneAtATime(handler: http.RequestListener, pipelined: number): http.RequestListener {
  const queues = new WeakMap<net.Socket, { busy: boolean; waiting: Array<() => void> }>();
  return (req, res) => {
    const socket = req.socket;
    if (socket.destroyed) {
      res.destroy();
      return;
    }
    let queue = queues.get(socket);
    if (queue === undefined) {
      queue = { busy: false, waiting: [] };
      queues.set(socket, queue);
    }
    const line = queue;
    const run = () => {
      line.busy = true;
      let ended = false;
      const next = () => {
        if (ended) return;
        ended = true;
        const go = () => {
          line.busy = false;
          line.waiting.shift()?.();
        };
        if (socket.destroyed) line.waiting.length = 0;
        else if (socket.writableNeedDrain) socket.once('drain', go);
        else go();
      };
      res.once('finish', next);
      res.once('close', next);
      handler(req, res);
    };
    if (!line.busy) run();
    else if (line.waiting.length < pipelined) line.waiting.push(run);
    // A client that sends request after request without reading the answers is not a scraper.
    else socket.destroy();
  };
}

/** At most `max` requests worked on at once (until their answer starts); the others wait in order; health paths never wait. */
export function limitInFlight(handler: http.RequestListener, max: number): http.RequestListener {
  let running = 0;
  const waiting: Array<() => void> = [];
  return (req, res) => {
    if (HEALTH_PATHS.includes(pathOf(req))) {
      handler(req, res);
      return;
    }
    const start = () => {
      running++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        running--;
        waiting.shift()?.();
      };
      // The answer starting (its status line written) ends the work this cap is about.
      const writeHead = res.writeHead;
      res.writeHead = function (this: http.ServerResponse, ...args: Parameters<typeof writeHead>) {
        release();
        return writeHead.apply(this, args);
      } as typeof writeHead;
      res.once('close', release);
      handler(req, res);
    };
    if (running < max) {
      start();
      return;
    }
    waiting.push(start);
    res.once('close', () => {
      const at = waiting.indexOf(start);
      if (at >= 0) waiting.splice(at, 1);
    });
  };
}

/**
 * `maxConnections` connections, then `reserve` more that are answered for the health paths only (the
 * others get 503 and are closed); past those Node closes a new connection at once (server.maxConnections).
 * Returns the listener to put in front of the others. 0 connections: no limit, nothing reserved.
 */
export function reserveForHealth(
  server: http.Server,
  maxConnections: number,
  reserve: number,
  handler: http.RequestListener,
): http.RequestListener {
  if (maxConnections <= 0) return handler;
  server.maxConnections = maxConnections + reserve;
  let open = 0;
  const overflow = new WeakSet<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    open++;
    socket.once('close', () => open--);
    if (open > maxConnections) overflow.add(socket);
  });
  // Over TLS the request's socket is the TLS one, wrapping the connection counted above.
  server.on('secureConnection', (socket: net.Socket) => {
    if (open > maxConnections) overflow.add(socket);
  });
  return (req, res) => {
    if (!overflow.has(req.socket)) {
      handler(req, res);
      return;
    }
    res.setHeader('Connection', 'close');
    if (HEALTH_PATHS.includes(pathOf(req))) {
      handler(req, res);
      return;
    }
    res
      .writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' })
      .end('Service Unavailable: every connection slot is taken (--web.max-connections); this one answers /-/healthy and /-/ready only\n');
  };
}
