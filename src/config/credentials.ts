// Credentials from the validated file: inline values (after ${ENV} expansion) or *_file references
// become Secret objects. A secret written as a plain literal loads, with a warning.
import { dirname, resolve } from 'node:path';
import { ConfigError, formatProblem, type KeyPath } from './errors.js';
import type { YamlFile } from './document.js';
import { Secret } from '../base/secret.js';
import type { CredentialReader } from '../contract/provider.js';

/** Reads a *_file secret; the default is readFileSync. */
export type ReadSecretFile = (path: string) => string;

export class SecretResolver {
  readonly warnings: string[] = [];

  constructor(
    private readonly yaml: YamlFile,
    private readonly readFile: ReadSecretFile,
  ) {}

  /** A reader of the `credentials:` mapping at `path` (as the schema validated it). */
  reader(credentials: Readonly<Record<string, unknown>>, path: KeyPath): CredentialReader {
    const values = credentials as Readonly<Record<string, string | undefined>>;
    return {
      secret: (key, options) => this.#secret(values, key, path, options?.secretProper ?? false),
      required: (key, options) => this.#required(values, key, path, options?.secretProper ?? false),
    };
  }

  #required(credentials: Readonly<Record<string, string | undefined>>, key: string, path: KeyPath, secretProper: boolean): Secret {
    const secret = this.#secret(credentials, key, path, secretProper);
    // The cloud's schema already requires one of key and key_file; this guards the contract.
    if (secret === undefined) throw this.#error([...path, key], 'required');
    return secret;
  }

  #secret(
    credentials: Readonly<Record<string, string | undefined>>,
    key: string,
    path: KeyPath,
    secretProper: boolean,
  ): Secret | undefined {
    const inline = credentials[key];
    if (inline !== undefined) {
      const keyPath = [...path, key];
      if (inline.trim() === '') {
        const via = this.yaml.referenced(keyPath) ? ' (its environment variable is empty)' : '';
        throw this.#error(keyPath, `must not be empty${via}`);
      }
      if (secretProper && !this.yaml.referenced(keyPath)) {
        this.warnings.push(
          formatProblem(
            this.yaml.file,
            `secret written inline; use \${ENV_VAR} or ${key}_file instead`,
            this.yaml.lineOf(keyPath),
            keyPath,
          ),
        );
      }
      return this.#checked(inline, keyPath);
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
      throw this.#error(
        keyPath,
        `cannot read ${JSON.stringify(file)}: ${code ?? (error instanceof Error ? error.message : String(error))}`,
      );
    }
    // A byte-order mark is what some editors put first in a file saved as UTF-8: not part of the secret.
    const value = text.replace(/^\ufeff/, '').replace(/[\r\n]+$/, '');
    if (value.trim() === '') throw this.#error(keyPath, `${JSON.stringify(file)} is empty`);
    return this.#checked(value, keyPath, ` in ${JSON.stringify(file)}`);
  }

  /**
   * The value as a Secret, unless it holds a character a request header cannot carry: keys and tokens
   * are printable ASCII, and each is sent in a header or signs one. Said by position and code point,
   * never by the value.
   */
  #checked(value: string, keyPath: KeyPath, where = ''): Secret {
    const at = value.search(/[^\x20-\x7e]/);
    if (at >= 0) {
      const codePoint = `U+${value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw this.#error(
        keyPath,
        `holds ${codePoint} at character ${at + 1}${where}: keys and tokens are printable ASCII (a byte-order mark, a line break or another encoding?)`,
      );
    }
    return new Secret(value);
  }

  #error(path: KeyPath, detail: string): ConfigError {
    return new ConfigError(this.yaml.file, detail, this.yaml.lineOf(path), path);
  }
}
