#!/usr/bin/env -S node --max-semi-space-size=2
// The command: flags, configuration, server, and the signals (SIGHUP reload, SIGTERM/SIGINT stop).
// --max-semi-space-size=2 (MiB; the Dockerfile's ENTRYPOINT and `npm start` pass the same): a large
// refresh allocates fast, and V8 otherwise grows the young generation to 3 x 16 MiB and keeps it,
// which took a 10,000-server account without per-server series from ~115 to ~135 MiB RSS.
import { atRateLimitShare, describeCapacity, keepsUp, plannedCapacity } from '../exporter/capacity.js';
import { ConfigError, checkConfigFile, loadConfig } from '../config/load.js';
import { Exporter } from '../exporter/exporter.js';
import { FlagError, USAGE, parseFlags, type Flags } from './flags.js';
import { createApp } from '../http/app.js';
import { createWebServer } from '../http/web/web-server.js';
import { createLogger, errorFields } from '../base/log.js';
import { ExporterMetrics } from '../metrics/exporter-metrics.js';
import { packageVersion, revision } from '../base/version.js';

/** Exit status for a bad command line or configuration, as Prometheus uses it. */
const EXIT_USAGE = 2;
/** Exit status when the exporter cannot run, e.g. cannot listen (Prometheus' too). */
const EXIT_FAILURE = 1;

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use (another exporter, or another program?); stop it or pick another --web.listen-address',
  EACCES: 'permission denied (ports below 1024 need privileges); pick another --web.listen-address',
  EADDRNOTAVAIL: 'no network interface of this machine has that address; pick another --web.listen-address',
};

/** A one-line reason when the server could not listen, for the errors a user can act on. */
function listenFailure(error: unknown, address: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : LISTEN_ERRORS[code];
  return reason === undefined ? undefined : `cannot listen on ${address}: ${reason}`;
}

async function main(argv: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    process.stderr.write(`cloudscan-exporter: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const version = packageVersion();
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`cloudscan-exporter ${version} (revision ${revision()}, node ${process.version})\n`);
    return 0;
  }
  if (flags.configCheck) return checkConfig(flags.configFile, flags.rateLimitShare);
  return serve(flags, version);
}

/** --config.check: the file's accounts and their refresh capacity, or what is wrong with it. */
async function checkConfig(file: string, rateLimitShare: number): Promise<number> {
  const result = await checkConfigFile(file);
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    return EXIT_USAGE;
  }
  const lines = result.summary.split('\n');
  const accounts = lines.filter((line) => !line.startsWith('warning:'));
  const capacity = plannedCapacity(result.config).map(
    (account) => `  refresh ${describeCapacity(atRateLimitShare(account, rateLimitShare))}`,
  );
  const warnings = lines.filter((line) => line.startsWith('warning:'));
  process.stdout.write(`${[...accounts, ...capacity, ...warnings].join('\n')}\n`);
  return 0;
}

/** Runs the exporter until SIGTERM or SIGINT. */
async function serve(flags: Flags, version: string): Promise<number> {
  const logger = createLogger(flags.logLevel, flags.logFormat);
  let loaded;
  try {
    loaded = await loadConfig(flags.configFile);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  for (const warning of loaded.warnings) logger.warn({ file: flags.configFile }, warning);

  const metrics = new ExporterMetrics({ build: { version, revision: revision() } });
  const exporter = new Exporter(loaded.config, { metrics, logger, rateLimitShare: flags.rateLimitShare });
  metrics.recordReload(true, Date.now());
  let stopping = false;

  const reload = async (): Promise<void> => {
    try {
      const next = await loadConfig(flags.configFile);
      for (const warning of next.warnings) logger.warn({ file: flags.configFile }, warning);
      exporter.reload(next.config);
      metrics.recordReload(true, Date.now());
      logCapacity(exporter, logger);
      logger.info({ file: flags.configFile }, 'configuration reloaded');
    } catch (error) {
      metrics.recordReload(false, Date.now());
      logger.error({ file: flags.configFile, ...errorFields(error, logger) }, 'reload failed; keeping the old configuration');
      throw error;
    }
  };

  const app = createApp({
    exporter: () => exporter,
    contentType: metrics.contentType,
    reload,
    enableLifecycle: flags.enableLifecycle,
    ready: () => !stopping,
    logger,
    version,
  });
  let web;
  try {
    web = await createWebServer({
      listenAddress: flags.listenAddress,
      webConfigFile: flags.webConfigFile,
      handler: app,
      logger,
      maxConnections: flags.maxConnections,
    });
  } catch (error) {
    exporter.close();
    const cannotListen = listenFailure(error, flags.listenAddress);
    if (cannotListen !== undefined) {
      process.stderr.write(`cloudscan-exporter: ${cannotListen}\n`);
      return EXIT_FAILURE;
    }
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  logger.info({ address: `${web.address.host}:${web.address.port}`, version, accounts: exporter.collector.accounts.length }, 'listening');
  logCapacity(exporter, logger);

  process.on('SIGHUP', () => {
    reload().catch(() => undefined);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error(errorFields(reason, logger), 'unhandled rejection');
  });

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      // Refreshes stop once the server has answered its last scrape: a scrape answered after an
      // aborted refresh would show its account down and its data gone, and resolve alerts.
      const closeExporter = () => {
        exporter.close();
        resolve();
      };
      web.close().then(closeExporter, closeExporter);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

/** Each account's shortest refresh next to its TTL; a warning where the refresh cannot keep up. */
function logCapacity(exporter: Exporter, logger: ReturnType<typeof createLogger>): void {
  for (const account of exporter.capacity()) {
    if (keepsUp(account) === false) logger.warn({ target: account.target }, describeCapacity(account));
    else logger.info({ target: account.target }, describeCapacity(account));
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`cloudscan-exporter: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
