// Structured logs: JSON (pino's own) or logfmt, one line per event on stderr.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { errorChain } from './error-chain.js';

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

function toLogfmt(record: Record<string, unknown>): string {
  const { time, level, msg, ...rest } = record;
  const fields: Array<[string, unknown]> = [['time', time], ['level', level], ['msg', msg], ...Object.entries(rest)];
  return fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${logfmtValue(value)}`)
    .join(' ');
}

function logfmtValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** The most characters of one error's message a log line carries: an SDK may quote a whole answer. */
const MAX_MESSAGE_CHARS = 500;

/**
 * The log fields of an error: `err` its message, `errType` its class, `errCause` the class, message
 * and code of each of its causes ("FetchError: ... (ECONNRESET) <- ..."), and when the logger logs
 * debug, `errStack` the stacks of all of them. Errors from the clouds carry their causes with the
 * account's secrets already taken out (base/error-chain.ts), so no secret reaches a log.
 */
export function errorFields(error: unknown, logger: { isLevelEnabled?(level: string): boolean }): Record<string, string> {
  const [outer, ...causes] = errorChain(error);
  if (outer === undefined) return { err: String(error) };
  const fields: Record<string, string> = { err: clipped(outer.message), errType: outer.type };
  if (causes.length > 0) {
    fields['errCause'] = causes
      .map((link) => `${link.type}: ${clipped(link.message)}${link.code === undefined ? '' : ` (${link.code})`}`)
      .join(' <- ');
  }
  if (logger.isLevelEnabled?.('debug') === true) {
    const stacks = [outer, ...causes].map((link) => link.stack ?? `${link.type}: ${link.message}`);
    fields['errStack'] = stacks.join('\ncaused by: ');
  }
  return fields;
}

function clipped(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}... (${text.length} characters)`;
}
