// Credentials from the validated file: inline values (after ${ENV} expansion) or *_file references
// become Secret objects. A secret written as a plain literal loads, with a warning.
import { dirname, resolve } from 'node:path';
import { ConfigError, formatProblem, type KeyPath } from './errors.js';
import type { YamlFile } from './document.js';
import { Secret } from '../shared/secret.js';
import type { AlibabaCredentials, TencentCredentials } from './types.js';
import type { AlibabaAccountFile, TencentAccountFile } from './schema.js';

/** Reads a *_file secret; the default is readFileSync. */
export type ReadSecretFile = (path: string) => string;

/** Keys whose value is a secret proper (the ids are credentials too, but not secret on their own). */
const WARN_INLINE = new Set(['secret_key', 'token', 'access_key_secret', 'security_token']);

export class SecretResolver {
  readonly warnings: string[] = [];

  constructor(
    private readonly yaml: YamlFile,
    private readonly readFile: ReadSecretFile,
  ) {}

  tencent(credentials: TencentAccountFile['credentials'], path: KeyPath): TencentCredentials {
    if (credentials.source !== undefined) return { source: credentials.source };
    const token = this.#secret(credentials, 'token', path);
    return {
      source: 'static',
      secretId: this.#required(credentials, 'secret_id', path),
      secretKey: this.#required(credentials, 'secret_key', path),
      ...(token === undefined ? {} : { token }),
    };
  }

  alibaba(credentials: AlibabaAccountFile['credentials'], path: KeyPath): AlibabaCredentials {
    if (credentials.source !== undefined) return { source: credentials.source };
    const securityToken = this.#secret(credentials, 'security_token', path);
    return {
      source: 'static',
      accessKeyId: this.#required(credentials, 'access_key_id', path),
      accessKeySecret: this.#required(credentials, 'access_key_secret', path),
      ...(securityToken === undefined ? {} : { securityToken }),
    };
  }

  #required(credentials: Readonly<Record<string, string | undefined>>, key: string, path: KeyPath): Secret {
    const secret = this.#secret(credentials, key, path);
    // schema.ts already requires one of key and key_file; this guards the contract.
    if (secret === undefined) throw this.#error([...path, key], 'required');
    return secret;
  }

  #secret(credentials: Readonly<Record<string, string | undefined>>, key: string, path: KeyPath): Secret | undefined {
    const inline = credentials[key];
    if (inline !== undefined) {
      const keyPath = [...path, key];
      if (inline.trim() === '') {
        const via = this.yaml.referenced(keyPath) ? ' (its environment variable is empty)' : '';
        throw this.#error(keyPath, `must not be empty${via}`);
      }
      if (WARN_INLINE.has(key) && !this.yaml.referenced(keyPath)) {
        this.warnings.push(
          formatProblem(this.yaml.file, `secret written inline; use \${ENV_VAR} or ${key}_file instead`, this.yaml.lineOf(keyPath), keyPath),
        );
      }
      return new Secret(inline);
    }
    const file = credentials[`${key}_file`];
    if (file === undefined) return undefined;
    const keyPath = [...path, `${key}_file`];
    const full = resolve(dirname(resolve(this.yaml.file)), file);
    let text: string;
    try {
      text = this.readFile(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw this.#error(keyPath, `cannot read ${JSON.stringify(file)}: ${code ?? (error instanceof Error ? error.message : String(error))}`);
    }
    const value = text.replace(/[\r\n]+$/, '');
    if (value.trim() === '') throw this.#error(keyPath, `${JSON.stringify(file)} is empty`);
    return new Secret(value);
  }

  #error(path: KeyPath, detail: string): ConfigError {
    return new ConfigError(this.yaml.file, detail, this.yaml.lineOf(path), path);
  }
}
