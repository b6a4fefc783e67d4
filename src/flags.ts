// Command-line flags, named as Prometheus' own exporters name them.
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';

export interface Flags {
  configFile: string;
  configCheck: boolean;
  listenAddress: string;
  webConfigFile: string | undefined;
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
  --log.level=LEVEL          debug, info, warn or error (default: info)
  --log.format=FORMAT        logfmt or json (default: logfmt)
  --version                  print the version and exit
  --help                     print this help and exit
`;

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

export function parseFlags(argv: string[]): Flags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'config.file': { type: 'string', default: 'config.yaml' },
        'config.check': { type: 'boolean', default: false },
        'web.listen-address': { type: 'string', default: ':9787' },
        'web.config.file': { type: 'string' },
        'log.level': { type: 'string', default: 'info' },
        'log.format': { type: 'string', default: 'logfmt' },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new FlagError(error instanceof Error ? error.message : String(error));
  }
  const logLevel = values['log.level'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new FlagError(`--log.level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const logFormat = values['log.format'];
  if (logFormat !== 'logfmt' && logFormat !== 'json') {
    throw new FlagError(`--log.format: "${logFormat}" is not logfmt or json`);
  }
  return {
    configFile: values['config.file'],
    configCheck: values['config.check'],
    listenAddress: values['web.listen-address'],
    webConfigFile: values['web.config.file'],
    logLevel: logLevel as LogLevel,
    logFormat,
    version: values.version,
    help: values.help,
  };
}
