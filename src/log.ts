// Structured logs: JSON (pino's own) or logfmt, one line per event on stderr.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export type { Logger };
export type LogFormat = 'json' | 'logfmt';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, format: LogFormat, destination: NodeJS.WritableStream = process.stderr): Logger {
  const options = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (format === 'json') return pino(options, destination as NodeJS.WritableStream & { write(chunk: string): boolean });
  return pino(options, logfmtStream(destination));
}

/** Rewrites pino's JSON lines as logfmt: time=... level=... msg="..." key=value. */
function logfmtStream(destination: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          destination.write(`${toLogfmt(JSON.parse(line) as Record<string, unknown>)}\n`);
        } catch {
          destination.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

export function toLogfmt(record: Record<string, unknown>): string {
  const { time, level, msg, ...rest } = record;
  const fields: Array<[string, unknown]> = [
    ['time', time],
    ['level', level],
    ['msg', msg],
    ...Object.entries(rest),
  ];
  return fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${logfmtValue(value)}`)
    .join(' ');
}

function logfmtValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}
