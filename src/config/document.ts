// The YAML side of loading: parse with line numbers, expand ${ENV} references in scalar values,
// turn the tree into plain data for validation, and find the line of any key path.
import { Alias, LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { EnvReferenceError, UnsetVariablesError, describeUnsetVariables, expandEnv, hasEnvReference, type UnsetReference } from './env.js';
import { ConfigError, formatPath, type KeyPath } from './errors.js';

/**
 * How many values aliases may add to the document. Each `*alias` copies its anchor's whole subtree,
 * so a few hundred bytes of nested aliases ("billion laughs") expand to billions of values; real
 * files use a few aliases for shared credentials or settings.
 */
const MAX_ALIAS_EXPANSION = 100_000;

export class YamlFile {
  readonly #doc: Document;
  readonly #lines: LineCounter;
  /** Key paths (formatted) whose value held a ${...} reference. */
  readonly #referenced = new Set<string>();

  private constructor(
    readonly file: string,
    doc: Document,
    lines: LineCounter,
  ) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Parses the text; throws ConfigError on a YAML syntax error. */
  static parse(text: string, file: string): YamlFile {
    const lines = new LineCounter();
    // uniqueKeys is checked in toPlain: the yaml package compares each key with every earlier one.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const first = doc.errors[0];
    if (first !== undefined) {
      const line = lines.linePos(first.pos[0]).line;
      const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
      const source = text.split(/\r?\n/)[line - 1] ?? '';
      const hint = source.includes('${') && /[{[]/.test(source) ? ' (inside { } or [ ], quote references: "${NAME}")' : '';
      throw new ConfigError(file, `not valid YAML: ${reason}${hint}`, line);
    }
    return new YamlFile(file, doc, lines);
  }

  /**
   * Replaces ${NAME} and ${NAME:-default} in every string scalar. Throws one ConfigError for the
   * file's first problem: a malformed reference, or else every unset variable of the file together.
   * `secretFileKey` says which values are secrets (the `<key>_file` key that could hold them instead).
   */
  expandEnv(env: NodeJS.ProcessEnv, secretFileKey: (path: KeyPath) => string | undefined = () => undefined): void {
    const unset: UnsetReference[] = [];
    const visit = (node: unknown, path: Array<string | number>): void => {
      if (isScalar(node)) {
        if (typeof node.value !== 'string' || !node.value.includes('${')) return;
        if (hasEnvReference(node.value)) this.#referenced.add(formatPath(path));
        try {
          node.value = expandEnv(node.value, env);
        } catch (error) {
          if (error instanceof UnsetVariablesError) {
            for (const variable of error.variables)
              unset.push({ variable, path, line: this.line(node), secretFileKey: secretFileKey(path) });
            return;
          }
          if (!(error instanceof EnvReferenceError)) throw error;
          // The first problem in the file is reported: a malformed reference after an unset variable
          // waits for the next run, the unset variables are gathered to the end.
          if (unset.length === 0) throw new ConfigError(this.file, error.message, this.line(node), path);
        }
      } else if (isMap(node)) {
        for (const pair of node.items) visit(pair.value, [...path, keyOf(pair.key)]);
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => visit(item, [...path, index]));
      }
    };
    visit(this.#doc.contents, []);
    if (unset.length > 0) {
      const { detail, line, path } = describeUnsetVariables(unset);
      throw new ConfigError(this.file, detail, line, path);
    }
  }

  /** True when the value at this path was written with a ${...} reference. */
  referenced(path: KeyPath): boolean {
    return this.#referenced.has(formatPath(path));
  }

  /**
   * Plain data for validation. A key with an empty value (`cache:`) counts as absent; an integer too
   * large for a JavaScript number keeps its digits as a string (ids).
   */
  toPlain(): unknown {
    let aliased = 0;
    let aliasLine: number | undefined;
    const convert = (node: unknown, depth: number, viaAlias: boolean): unknown => {
      if (depth > 64) throw new ConfigError(this.file, 'nested too deeply (or an alias refers to itself)');
      if (viaAlias && ++aliased > MAX_ALIAS_EXPANSION) {
        throw new ConfigError(
          this.file,
          `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (nested *aliases multiply; write the values out)`,
          aliasLine,
        );
      }
      if (node instanceof Alias) {
        if (!viaAlias) aliasLine = this.line(node);
        return convert(node.resolve(this.#doc), depth + 1, true);
      }
      if (isScalar(node)) {
        const value = node.value;
        if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
          return node.source ?? String(value);
        }
        return value;
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = keyOf(pair.key);
          // The yaml package's own wording, as before the check moved here.
          if (seen.has(key)) throw new ConfigError(this.file, 'not valid YAML: Map keys must be unique', this.line(pair.key));
          seen.add(key);
          const value = convert(pair.value, depth + 1, viaAlias);
          if (value === null || value === undefined) continue;
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      if (isSeq(node)) return node.items.map((item) => convert(item, depth + 1, viaAlias));
      return node ?? undefined;
    };
    const plain = convert(this.#doc.contents, 0, false);
    return plain === null || plain === undefined ? {} : plain;
  }

  /**
   * The line for a key path: the value's line for a scalar, the key's line for a mapping or list
   * (where `tencent[0].credentials:` is written), or the deepest part of the path that exists.
   */
  lineOf(path: KeyPath): number | undefined {
    let node: unknown = this.#doc.contents;
    let line = this.line(node);
    for (const step of path) {
      if (node instanceof Alias) node = node.resolve(this.#doc);
      if (isMap(node)) {
        const pair = node.items.find((item) => keyOf(item.key) === String(step));
        if (pair === undefined) return line;
        line = this.line(pair.key) ?? line;
        node = pair.value;
        if (isScalar(node)) line = this.line(node) ?? line;
      } else if (isSeq(node) && typeof step === 'number') {
        const item: unknown = node.items[step];
        if (item === undefined) return line;
        line = this.line(item) ?? line;
        node = item;
      } else {
        return line;
      }
    }
    return line;
  }

  /** The line of a key itself (for unknown keys). */
  lineOfKey(path: KeyPath, key: string): number | undefined {
    let node: unknown = this.#doc.contents;
    for (const step of path) {
      if (node instanceof Alias) node = node.resolve(this.#doc);
      if (isMap(node)) node = node.items.find((item) => keyOf(item.key) === String(step))?.value;
      else if (isSeq(node) && typeof step === 'number') node = node.items[step];
      else return this.lineOf(path);
    }
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item.key) === key);
      if (pair !== undefined) return this.line(pair.key);
    }
    return this.lineOf(path);
  }

  private line(node: unknown): number | undefined {
    if (isPair(node)) return this.line(node.key);
    const range = (node as Node | null | undefined)?.range;
    return range ? this.#lines.linePos(range[0]).line : undefined;
  }
}

function keyOf(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}
