// Command-line flags, named as Prometheus' own exporters name them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../base/did-you-mean.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from '../base/log.js';

export interface Flags {
  configFile: string;
  configCheck: boolean;
  listenAddress: string;
  webConfigFile: string | undefined;
  /** POST /-/reload answers 403 unless set (as Prometheus' --web.enable-lifecycle); SIGHUP always reloads. */
  enableLifecycle: boolean;
  /** At most this many simultaneous connections; 0: no limit. */
  maxConnections: number;
  /**
   * The share of every account's rate_limit this process uses, in (0, 1]: 1/N when N replicas read
   * the same accounts (high availability), so that together they stay within what the cloud allows.
   */
  rateLimitShare: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  version: boolean;
  help: boolean;
}

export const USAGE = `Usage: cloudscan-exporter [flags]

  --config.file=FILE         configuration file (default: config.yaml)
  --config.check             validate the configuration file and exit: 0 when good, 2 when not
  --web.listen-address=ADDR  address to listen on (default: :9787)
  --web.config.file=FILE     TLS and basic auth, in Prometheus exporter-toolkit format
  --web.enable-lifecycle     allow POST /-/reload (without it: 403; SIGHUP always reloads)
  --web.max-connections=N    simultaneous connections at most; 0 for no limit (default: 512)
  --cloud.rate-limit-share=F use this share of every account's rate_limit, 0 < F <= 1: 1/N when
                             N replicas read the same accounts (default: 1)
  --log.level=LEVEL          debug, info, warn or error (default: info)
  --log.format=FORMAT        logfmt or json (default: logfmt)
  --version                  print the version and exit
  --help                     print this help and exit
`;

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

const OPTIONS = {
  'config.file': { type: 'string', default: 'config.yaml' },
  'config.check': { type: 'boolean', default: false },
  'web.listen-address': { type: 'string', default: ':9787' },
  'web.config.file': { type: 'string' },
  'web.enable-lifecycle': { type: 'boolean', default: false },
  'web.max-connections': { type: 'string', default: '512' },
  'cloud.rate-limit-share': { type: 'string', default: '1' },
  'log.level': { type: 'string', default: 'info' },
  'log.format': { type: 'string', default: 'logfmt' },
  version: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** "unknown flag --config.fil (did you mean --config.file?)" for parseArgs' unknown-option error. */
function unknownFlag(error: unknown): string | undefined {
  if ((error as { code?: unknown } | undefined)?.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const given = /'(-[^']*)'/.exec(error instanceof Error ? error.message : '')?.[1];
  if (given === undefined) return undefined;
  const name = given.replace(/^--?/, '').split('=')[0] ?? '';
  const suggestion = closest(name, Object.keys(OPTIONS));
  return `unknown flag ${given}${suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`}`;
}

export function parseFlags(argv: string[]): Flags {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }));
  } catch (error) {
    throw new FlagError(unknownFlag(error) ?? (error instanceof Error ? error.message : String(error)));
  }
  const logLevel = values['log.level'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new FlagError(`--log.level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const logFormat = values['log.format'];
  if (logFormat !== 'logfmt' && logFormat !== 'json') {
    throw new FlagError(`--log.format: "${logFormat}" is not logfmt or json`);
  }
  const maxConnectionsText = values['web.max-connections'];
  const maxConnections = /^\d{1,9}$/.test(maxConnectionsText) ? Number(maxConnectionsText) : NaN;
  if (!Number.isSafeInteger(maxConnections)) {
    throw new FlagError(`--web.max-connections: "${maxConnectionsText}" is not a whole number (0 for no limit)`);
  }
  const shareText = values['cloud.rate-limit-share'];
  const rateLimitShare = /^(?:0|[1-9]\d*)?(?:\.\d+)?$/.test(shareText) && shareText !== '' ? Number(shareText) : NaN;
  if (!(rateLimitShare > 0 && rateLimitShare <= 1)) {
    throw new FlagError(
      `--cloud.rate-limit-share: "${shareText}" is not a share above 0 and at most 1 (0.5 for two replicas of the same accounts)`,
    );
  }
  return {
    configFile: values['config.file'],
    configCheck: values['config.check'],
    listenAddress: values['web.listen-address'],
    webConfigFile: values['web.config.file'],
    enableLifecycle: values['web.enable-lifecycle'],
    maxConnections,
    rateLimitShare,
    logLevel: logLevel as LogLevel,
    logFormat,
    version: values.version,
    help: values.help,
  };
}
