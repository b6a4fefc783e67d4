// The exporter's HTTP endpoints. Knows nothing of clouds: it asks the Exporter for expositions.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Exporter, ProbeDebug } from '../exporter/exporter.js';
import { gzipBody, identityBody, type Exposition } from '../metrics/gzip.js';
import { errorFields, type Logger } from '../base/log.js';
import { probeDebugText } from './probe-debug.js';
import { statusPage } from './status-page.js';
import { parseStatusQuery } from './status-query.js';
import { STATUS_PAGE_CSP } from './status-style.js';
import { rejectUnsupportedMethods } from './methods.js';
import { drained } from './write-stall.js';

/** Targets a 400 from /probe names at most. */
const NAMED_TARGETS = 20;

interface AppOptions {
  exporter: () => Exporter;
  /** Content type of the exposition (prom-client's). */
  contentType: string;
  /** Re-reads the configuration file; rejects with a message naming what is wrong. */
  reload: () => Promise<void>;
  /** --web.enable-lifecycle: without it, POST /-/reload answers 403 (as Prometheus does). */
  enableLifecycle?: boolean;
  ready: () => boolean;
  logger: Logger;
  version: string;
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(rejectUnsupportedMethods);

  app.get('/', (req, res) => {
    const page = statusPage(options.version, options.exporter(), parseStatusQuery(req.query));
    res.status(page.status).set('Content-Security-Policy', STATUS_PAGE_CSP).type('html').send(page.html);
  });

  // Prometheus' HTTP service discovery (http_sd_configs): every account as a /probe target, members
  // as their organization lists them now, so members that join after setup are scraped.
  app.get('/targets', async (req, res) => {
    const exporter = options.exporter();
    const deadline = exporter.deadlineFor(req.get('X-Prometheus-Scrape-Timeout-Seconds'));
    res.type('application/json').send(JSON.stringify(await exporter.targets(deadline)));
  });

  // HEAD answers what GET would send, without its body, so it must not start the scrape (cloud calls) GET would.
  app.head('/metrics', (_req, res) => {
    res.status(200).set('Content-Type', options.contentType).vary('Accept-Encoding').end();
  });

  app.head('/probe', (req, res) => {
    const target = req.query['target'];
    const match = typeof target === 'string' ? /^([^/]+)\/([^/]+)$/.exec(target) : null;
    const known = match !== null && options.exporter().has(match[1]!, match[2]!);
    res
      .status(known ? 200 : 400)
      .set('Content-Type', known && req.query['debug'] !== 'true' ? options.contentType : 'text/plain; charset=utf-8')
      .end();
  });

  app.get('/metrics', async (req, res) => {
    const exporter = options.exporter();
    const deadline = exporter.deadlineFor(req.get('X-Prometheus-Scrape-Timeout-Seconds'));
    await sendExposition(req, res, options.contentType, await exporter.scrape(deadline));
  });

  app.get('/probe', async (req, res) => {
    const target = req.query['target'];
    const exporter = options.exporter();
    const match = typeof target === 'string' ? /^([^/]+)\/([^/]+)$/.exec(target) : null;
    const deadline = exporter.deadlineFor(req.get('X-Prometheus-Scrape-Timeout-Seconds'));
    // debug=true, as blackbox_exporter: what the probe did (the account's last refresh), then its series, as text.
    const debug = req.query['debug'] === 'true';
    const body = match
      ? await (debug ? exporter.probeDebug(match[1]!, match[2]!, deadline) : exporter.probe(match[1]!, match[2]!, deadline))
      : undefined;
    if (body === undefined) {
      const accounts = exporter.collector.accounts;
      // An organization may make thousands of accounts: the first few are named, the rest counted (GET /targets lists them all).
      const known = accounts.slice(0, NAMED_TARGETS).map((a) => `${a.collector.provider}/${a.collector.account}`);
      const more = accounts.length > NAMED_TARGETS ? `, and ${accounts.length - NAMED_TARGETS} more: GET /targets lists them` : '';
      res
        .status(400)
        .type('text')
        .send(
          `Bad target ${JSON.stringify(typeof target === 'string' ? target.slice(0, 100) : (target ?? ''))}: ` +
            `give target=<provider>/<account> naming a configured account (${known.join(', ') || 'none configured'}${more}).\n`,
        );
      return;
    }
    if (isProbeDebug(body)) res.type('text').send(probeDebugText(body, Date.now()));
    else await sendExposition(req, res, options.contentType, body);
  });

  app.get('/-/healthy', (_req, res) => {
    res.type('text').send('Healthy.\n');
  });

  app.get('/-/ready', (_req, res) => {
    if (options.ready()) res.type('text').send('Ready.\n');
    else res.status(503).type('text').send('Not ready.\n');
  });

  app.post('/-/reload', async (req, res) => {
    if (options.enableLifecycle !== true) {
      res.status(403).type('text').send('Lifecycle API is not enabled (start with --web.enable-lifecycle, or send SIGHUP).\n');
      return;
    }
    // A page elsewhere can make a browser POST here with the basic-auth credentials it holds.
    const foreign = foreignOrigin(req);
    if (foreign !== undefined) {
      res
        .status(403)
        .type('text')
        .send(`Refused: a request from another site (${foreign}); POST /-/reload from the exporter's own pages, curl or promtool.\n`);
      return;
    }
    try {
      await options.reload();
      res.type('text').send('Reloaded.\n');
    } catch (error) {
      res
        .status(500)
        .type('text')
        .send(`Reload failed, keeping the old configuration: ${messageOf(error)}\n`);
    }
  });

  app.use((_req, res) => {
    res.status(404).type('text').send('Not found. See / for the endpoints.\n');
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ path: req.path, ...errorFields(error, options.logger) }, 'request failed');
    if (!res.headersSent) res.status(500).type('text').send('Internal error; see the exporter log.\n');
  });

  return app;
}

/**
 * Writes the pieces without joining them (a large fleet's exposition is tens of MiB), gzipped when
 * the scraper accepts it (Prometheus always asks): the pieces that did not change since the last
 * scrape are sent as they were compressed then.
 */
async function sendExposition(req: Request, res: Response, contentType: string, exposition: Exposition): Promise<void> {
  const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
  const body = gzip ? await gzipBody(exposition) : identityBody(exposition);
  res.status(200).set('Content-Type', contentType).vary('Accept-Encoding');
  if (gzip) res.set('Content-Encoding', 'gzip');
  res.set('Content-Length', String(body.reduce((total, part) => total + part.length, 0)));
  for (const part of body) {
    if (res.destroyed) return;
    // Backpressure: the next piece once the client has taken the last (the pieces are shared, but
    // a connection's next request waits for this answer to drain).
    if (!res.write(part)) await drained(res);
  }
  if (!res.destroyed) res.end();
}

/**
 * The site a request came from when it is not the exporter itself: its Origin, when that is not
 * this scheme, host and port, or Sec-Fetch-Site when the browser says cross-site or same-site.
 * Undefined for the exporter's own origin and for clients that send neither (curl, promtool).
 */
function foreignOrigin(req: Request): string | undefined {
  const fetchSite = req.get('Sec-Fetch-Site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return `Sec-Fetch-Site: ${fetchSite.slice(0, 20)}`;
  const origin = req.get('Origin');
  if (origin === undefined) return undefined;
  return origin === `${req.protocol}://${req.get('Host') ?? ''}` ? undefined : `Origin ${JSON.stringify(origin.slice(0, 100))}`;
}

function isProbeDebug(body: ProbeDebug | Exposition): body is ProbeDebug {
  return !Array.isArray(body);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
