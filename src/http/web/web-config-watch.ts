// The web config file and the certificate, key and client CA files it names, watched: re-read at most
// once per interval when their mtime, size or inode changed (see web-server.ts's header). A file that
// fails to load keeps the last good configuration and logs one error.
import { statSync } from 'node:fs';
import { ConfigError } from '../../config/errors.js';
import { errorFields } from '../../base/log.js';
import { loadWebConfig, readTlsMaterial, watchedFiles, type WebConfig } from './web-config.js';
import { secureOptions, type SecureOptions } from './tls-options.js';

type LogFn = (fields: Record<string, unknown>, message: string) => void;
export interface WebLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** pino's: at debug, logged errors carry their stacks. */
  isLevelEnabled?(level: string): boolean;
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

/** The web config in force, re-read when its files change; its request rate limit. */
export class WebConfigWatcher {
  #current: Loaded;
  #lastCheck = Date.now();
  #failedFingerprint: string | undefined;
  #limiter: RateLimiter | undefined;
  #onSecureChange: ((secure: SecureOptions) => void) | undefined;

  constructor(
    private readonly file: string,
    private readonly intervalMs: number,
    private readonly logger: WebLogger,
  ) {
    this.#current = load(file);
    this.#limiter = limiterFor(this.#current.config);
  }

  get current(): Loaded {
    return this.#current;
  }

  /** Told of new TLS settings (the HTTPS server applies them to new connections). */
  onSecureChange(apply: (secure: SecureOptions) => void): void {
    this.#onSecureChange = apply;
  }

  allowRequest(): boolean {
    return this.#limiter === undefined || this.#limiter.allow();
  }

  /** Re-reads the web config when one of its files changed; at most once per interval. */
  check(): void {
    const now = Date.now();
    if (now - this.#lastCheck < this.intervalMs) return;
    this.#lastCheck = now;
    const current = this.#current;
    const files = watchedFiles(current.config);
    const seen = `${fingerprint(files.slice(0, 1))}|${fingerprint(files.slice(1))}`;
    if (seen === current.fingerprint || seen === this.#failedFingerprint) return;
    const https = current.secure !== undefined;
    let next: Loaded;
    try {
      next = load(this.file);
      if ((next.secure !== undefined) !== https) {
        throw new ConfigError(
          this.file,
          `${https ? 'removing' : 'adding'} tls_server_config needs a restart (the server keeps serving ${https ? 'HTTPS' : 'plain HTTP'})`,
        );
      }
    } catch (error) {
      this.#failedFingerprint = seen;
      this.logger.error({ file: this.file, ...errorFields(error, this.logger) }, 'web config reload failed; keeping the last good one');
      return;
    }
    this.#failedFingerprint = undefined;
    const rate = next.config.rateLimit;
    const old = current.config.rateLimit;
    if (rate?.intervalSeconds !== old?.intervalSeconds || rate?.burst !== old?.burst) this.#limiter = limiterFor(next.config);
    if (next.secure !== undefined) this.#onSecureChange?.(next.secure);
    this.#current = next;
    this.logger.info(describeWebConfig(next.config), 'web config reloaded');
  }
}

function limiterFor(config: WebConfig): RateLimiter | undefined {
  return config.rateLimit && new RateLimiter(config.rateLimit.intervalSeconds, config.rateLimit.burst);
}

export function describeWebConfig(config: WebConfig): Record<string, unknown> {
  return {
    tls: config.tls !== undefined,
    client_auth_type: config.tls?.clientAuthType ?? 'NoClientCert',
    basic_auth_users: config.users.size,
    headers: Object.keys(config.headers).length,
  };
}
