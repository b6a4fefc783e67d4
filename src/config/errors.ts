// The one error a bad configuration file raises: a single line naming the file, the line, the key
// path and what is wrong, e.g. `config.yaml:7: tencent[0].credentials.secret_key: required`.

/** A key path into the YAML file: map keys and list indices, as zod reports them. */
export type KeyPath = ReadonlyArray<string | number>;

/** `tencent[0].credentials.secret_key`; "" for the top level. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else text += text === '' ? step : `.${step}`;
  }
  return text;
}

/** `file:line: path: detail`, leaving out the line or path when unknown. */
export function formatProblem(file: string, detail: string, line?: number, path?: KeyPath): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const key = path === undefined ? '' : formatPath(path);
  return key === '' ? `${where}: ${detail}` : `${where}: ${key}: ${detail}`;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The file as the user named it. */
    readonly file: string,
    /** What is wrong, without location. Never contains a secret. */
    readonly detail: string,
    readonly line?: number,
    readonly path?: KeyPath,
  ) {
    super(formatProblem(file, detail, line, path));
  }
}
