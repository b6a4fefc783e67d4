// Loading the configuration file: read, parse YAML, expand ${ENV}, validate strictly, apply defaults.
// Every problem is a ConfigError with a one-line message naming the file, line and key path.
import { isAbsolute, relative } from 'node:path';
import { FILE_LIMITS, FileReadError, readRegularTextFile } from './bounded-read.js';
import { packageFile } from '../base/version.js';
import { buildConfig } from './build.js';
import type { ReadSecretFile } from './credentials.js';
import { YamlFile } from './document.js';
import { ConfigError } from './errors.js';
import { errorMap, knownKeys, problemsOf } from './issues.js';
import type { KeyPath } from './errors.js';
import { fileSchema, fileSchemaFor } from './schema.js';
import type { ProviderEntry } from '../contract/provider.js';
import { summarize } from './summary.js';
import type { ExporterConfig } from './types.js';

export { ConfigError } from './errors.js';

interface LoadedConfig {
  config: ExporterConfig;
  /** One-line notes that do not stop loading (e.g. a secret written inline). Never hold a secret. */
  warnings: string[];
}

interface ParseOptions {
  /** Reads `*_file` secrets (absolute paths); default: a regular file of at most FILE_LIMITS.secret, as UTF-8. */
  readSecretFile?: ReadSecretFile;
  /** The clouds whose parts the file may have; default every registered one. */
  providers?: readonly ProviderEntry[];
}

const readUtf8: ReadSecretFile = (path) => readRegularTextFile(path, FILE_LIMITS.secret);

/**
 * Validates the text of a configuration file. `file` names it in messages and resolves relative
 * `*_file` paths. Pure apart from reading `*_file` secrets through options.readSecretFile.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env, options: ParseOptions = {}): LoadedConfig {
  const yaml = YamlFile.parse(text, file);
  const schema = options.providers === undefined ? fileSchema : fileSchemaFor(options.providers);
  yaml.expandEnv(env, (path) => secretFileKey(schema, path));
  const result = schema.safeParse(yaml.toPlain(), { error: errorMap, reportInput: true });
  if (!result.success) {
    const [first] = problemsOf(result.error.issues, yaml, schema);
    if (first !== undefined) throw new ConfigError(file, first.detail, first.line, first.path);
    throw new ConfigError(file, 'invalid configuration');
  }
  return buildConfig(result.data, yaml, options.readSecretFile ?? readUtf8, options.providers);
}

/** For a secret (a value the schema also takes from a file: `<key>_file`), that file key. */
function secretFileKey(schema: unknown, path: KeyPath): string | undefined {
  const key = path.at(-1);
  if (typeof key !== 'string') return undefined;
  const fileKey = `${key}_file`;
  return knownKeys(schema, path.slice(0, -1)).includes(fileKey) ? fileKey : undefined;
}

/** What to do when --config.file names no file: name another, or start from the shipped example. */
function missingFileDetail(file: string): string {
  const example = packageFile('config.example.yaml');
  const shown = example === undefined ? undefined : relative(process.cwd(), example);
  const from = shown === undefined ? undefined : shown.startsWith('..') || isAbsolute(shown) ? example : shown;
  const start =
    from === undefined
      ? "or start from config.example.yaml of the exporter's source, which has every key (docs/configuration.md)"
      : `or start from the example with every key: cp ${from} ${file}`;
  return `config file does not exist (give its path with --config.file=FILE, default config.yaml; ${start})`;
}

export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readRegularTextFile(file, FILE_LIMITS.config);
  } catch (error) {
    if (error instanceof FileReadError && error.code === 'ENOENT') throw new ConfigError(file, missingFileDetail(file));
    throw new ConfigError(file, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseConfig(text, file, env);
}

type CheckResult = { ok: true; summary: string; warnings: string[]; config: ExporterConfig } | { ok: false; message: string };

/** For `--config.check`: a summary of the accounts (never a secret), or the one-line error. */
export async function checkConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult> {
  try {
    const { config, warnings } = await loadConfig(file, env);
    return { ok: true, summary: summarize(file, config, warnings), warnings, config };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, message: error.message };
    throw error;
  }
}
