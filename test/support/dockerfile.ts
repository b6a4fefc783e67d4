// A small Dockerfile parser: enough of the format to check the image's rules without a Docker
// engine, and to reproduce what the image installs and runs (the production-install test).
// Handles comments, `\` continuations, exec (JSON) and shell forms, COPY/ADD flags, ENV/ARG forms,
// HEALTHCHECK options, stages by index and name. Variables are not substituted.

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

export interface Copy {
  keyword: 'COPY' | 'ADD';
  /** The stage name or index given with --from, if any. */
  from: string | undefined;
  /** Other flags: --chown=..., --chmod=..., --link (true). */
  flags: Record<string, string | true>;
  sources: string[];
  dest: string;
  line: number;
}

export interface Healthcheck {
  options: Record<string, string>;
  /** The command as an argv array (shell form: ['/bin/sh', '-c', text]); undefined for NONE. */
  command: string[] | undefined;
  /** CMD-SHELL or exec form, as written. */
  form: 'exec' | 'shell' | 'none';
  line: number;
}

export interface Stage {
  index: number;
  /** The AS name, lower-cased as Docker does; undefined when unnamed. */
  name: string | undefined;
  /** The FROM image (or the name of an earlier stage). */
  image: string;
  /** The earlier stage this one builds on, when FROM names one. */
  parent: Stage | undefined;
  instructions: Instruction[];
  copies: Copy[];
  /** RUN commands as written (shell form text, or the exec form joined with spaces). */
  runs: string[];
  env: Record<string, string>;
  args: Record<string, string | undefined>;
  /** The last USER in this stage; see effectiveUser for inheritance. */
  user: string | undefined;
  workdir: string | undefined;
  expose: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  entrypointForm: 'exec' | 'shell' | undefined;
  cmdForm: 'exec' | 'shell' | undefined;
  healthcheck: Healthcheck | undefined;
}

export interface Dockerfile {
  /** ARGs before the first FROM. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
  /** The last stage: the image that `docker build` produces. */
  final: Stage;
  /** A stage by AS name or index (as --from accepts them). */
  stage(ref: string): Stage | undefined;
}

export class DockerfileError extends Error {
  override readonly name = 'DockerfileError';
}

/** Logical instructions: comments and blank lines dropped, `\` continuations joined. */
export function instructionsOf(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const out: Instruction[] = [];
  let buffer: string | undefined;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) continue; // comments (also inside continuations, as Docker allows)
    if (buffer === undefined && trimmed === '') continue;
    if (buffer === undefined) start = i + 1;
    const continued = /\\\s*$/.test(raw);
    const part = continued ? raw.replace(/\\\s*$/, '') : raw;
    buffer = buffer === undefined ? part.trim() : `${buffer} ${part.trim()}`;
    if (!continued) {
      push(buffer, start);
      buffer = undefined;
    }
  }
  if (buffer !== undefined && buffer.trim() !== '') push(buffer, start);
  return out;

  function push(textLine: string, line: number): void {
    const match = /^(\S+)\s*([\s\S]*)$/.exec(textLine.trim());
    if (match === null) return;
    out.push({ keyword: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line });
  }
}

/** A JSON array of strings (exec form), or undefined when the text is not one. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  } catch {
    // Docker treats a malformed JSON array as shell form.
  }
  return undefined;
}

function commandOf(args: string): { argv: string[]; form: 'exec' | 'shell' } {
  const exec = execForm(args);
  return exec !== undefined ? { argv: exec, form: 'exec' } : { argv: ['/bin/sh', '-c', args], form: 'shell' };
}

/** Splits shell-like words, honouring single and double quotes and backslash escapes. */
export function words(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || current !== '') out.push(current);
      current = '';
      has = false;
    } else {
      current += ch;
      has = true;
    }
  }
  if (quote !== undefined) throw new DockerfileError(`unterminated quote in: ${text}`);
  if (has || current !== '') out.push(current);
  return out;
}

/** Leading --flag[=value] words, and the rest. */
function flagsOf(list: string[]): { flags: Record<string, string | true>; rest: string[] } {
  const flags: Record<string, string | true> = {};
  let i = 0;
  for (; i < list.length; i++) {
    const word = list[i] as string;
    if (!word.startsWith('--')) break;
    const eq = word.indexOf('=');
    if (eq < 0) flags[word.slice(2)] = true;
    else flags[word.slice(2, eq)] = word.slice(eq + 1);
  }
  return { flags, rest: list.slice(i) };
}

/** `ENV a=1 b="x y"` or the legacy `ENV a 1`; also ARG's `name[=default]` lists. */
function assignments(args: string, legacy: boolean): Record<string, string | undefined> {
  const list = words(args);
  const out: Record<string, string | undefined> = {};
  if (legacy && list.length > 0 && !(list[0] as string).includes('=')) {
    const [name, ...rest] = args.trim().split(/\s+/);
    out[name as string] = args.trim().slice((name as string).length).trim() || (rest.length === 0 ? '' : rest.join(' '));
    return out;
  }
  for (const word of list) {
    const eq = word.indexOf('=');
    if (eq < 0) out[word] = undefined;
    else out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

function parseHealthcheck(args: string, line: number): Healthcheck {
  const list = words(args);
  const { flags, rest } = flagsOf(list);
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(flags)) options[key] = value === true ? 'true' : value;
  const kind = (rest[0] ?? '').toUpperCase();
  if (kind === 'NONE') return { options, command: undefined, form: 'none', line };
  if (kind !== 'CMD') throw new DockerfileError(`line ${line}: HEALTHCHECK needs CMD or NONE`);
  // Re-find the text after the CMD keyword in the original (the exec form's JSON must stay intact).
  const after = /\bCMD\b\s*([\s\S]*)$/i.exec(args)?.[1] ?? '';
  const { argv, form } = commandOf(after.trim());
  return { options, command: argv, form, line };
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  let stage: Stage | undefined;

  for (const instruction of instructionsOf(text)) {
    const { keyword, args, line } = instruction;
    if (keyword === 'FROM') {
      const { rest } = flagsOf(words(args));
      const image = rest[0];
      if (image === undefined) throw new DockerfileError(`line ${line}: FROM without an image`);
      const name = rest.length >= 3 && (rest[1] as string).toUpperCase() === 'AS' ? (rest[2] as string).toLowerCase() : undefined;
      stage = {
        index: stages.length,
        name,
        image,
        parent: byName.get(image.toLowerCase()),
        instructions: [instruction],
        copies: [],
        runs: [],
        env: {},
        args: {},
        user: undefined,
        workdir: undefined,
        expose: [],
        entrypoint: undefined,
        cmd: undefined,
        entrypointForm: undefined,
        cmdForm: undefined,
        healthcheck: undefined,
      };
      stages.push(stage);
      if (name !== undefined) byName.set(name, stage);
      continue;
    }
    if (stage === undefined) {
      if (keyword === 'ARG') Object.assign(globalArgs, assignments(args, false));
      else throw new DockerfileError(`line ${line}: ${keyword} before the first FROM`);
      continue;
    }
    stage.instructions.push(instruction);
    switch (keyword) {
      case 'COPY':
      case 'ADD': {
        const exec = execForm(args.replace(/^(--\S+\s+)*/, ''));
        const flagText = /^((?:--\S+\s+)*)/.exec(args)?.[1] ?? '';
        const { flags } = flagsOf(words(flagText));
        const paths = exec ?? words(args.slice(flagText.length));
        if (paths.length < 2) throw new DockerfileError(`line ${line}: ${keyword} needs a source and a destination`);
        const from = flags['from'];
        delete flags['from'];
        stage.copies.push({
          keyword,
          from: typeof from === 'string' ? from.toLowerCase() : undefined,
          flags,
          sources: paths.slice(0, -1),
          dest: paths[paths.length - 1] as string,
          line,
        });
        break;
      }
      case 'RUN': {
        const exec = execForm(args);
        stage.runs.push(exec !== undefined ? exec.join(' ') : args);
        break;
      }
      case 'ENV':
        for (const [key, value] of Object.entries(assignments(args, true))) stage.env[key] = value ?? '';
        break;
      case 'ARG':
        Object.assign(stage.args, assignments(args, false));
        break;
      case 'USER':
        stage.user = args.trim();
        break;
      case 'WORKDIR':
        stage.workdir = args.trim();
        break;
      case 'EXPOSE':
        stage.expose.push(...words(args));
        break;
      case 'ENTRYPOINT': {
        const { argv, form } = commandOf(args);
        stage.entrypoint = argv;
        stage.entrypointForm = form;
        // Docker: setting ENTRYPOINT clears a CMD inherited or set before it.
        stage.cmd = undefined;
        stage.cmdForm = undefined;
        break;
      }
      case 'CMD': {
        const { argv, form } = commandOf(args);
        stage.cmd = argv;
        stage.cmdForm = form;
        break;
      }
      case 'HEALTHCHECK':
        stage.healthcheck = parseHealthcheck(args, line);
        break;
      default:
        break;
    }
  }
  const final = stages[stages.length - 1];
  if (final === undefined) throw new DockerfileError('no FROM: not a Dockerfile');
  return {
    globalArgs,
    stages,
    final,
    stage: (ref: string) => (/^\d+$/.test(ref) ? stages[Number(ref)] : byName.get(ref.toLowerCase())),
  };
}

/** The user a stage runs as: its last USER, else its parent stage's, else root (the base image's). */
export function effectiveUser(stage: Stage): string {
  for (let s: Stage | undefined = stage; s !== undefined; s = s.parent) if (s.user !== undefined) return s.user;
  return 'root';
}

/** True for root by name or uid, with or without a group. */
export function isRoot(user: string): boolean {
  const name = user.split(':', 1)[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
}

/**
 * What `docker run IMAGE` (with no arguments) executes, as Docker combines them: an exec-form
 * ENTRYPOINT followed by CMD; a shell-form ENTRYPOINT alone; or CMD alone.
 */
export function startCommand(stage: Stage): string[] {
  if (stage.entrypoint !== undefined) {
    if (stage.entrypointForm === 'shell') return [...stage.entrypoint];
    return [...stage.entrypoint, ...(stage.cmd ?? [])];
  }
  if (stage.cmd !== undefined) return [...stage.cmd];
  throw new DockerfileError(`stage ${stage.name ?? stage.index} has neither ENTRYPOINT nor CMD`);
}

/** The effective WORKDIR of a stage (relative WORKDIRs are not resolved; ours are absolute). */
export function effectiveWorkdir(stage: Stage): string | undefined {
  for (let s: Stage | undefined = stage; s !== undefined; s = s.parent) if (s.workdir !== undefined) return s.workdir;
  return undefined;
}

/**
 * Whether a build-context path is sent to the daemon under these .dockerignore rules (Docker's
 * semantics: the last matching pattern wins, `!` re-includes, `*` and `?` stay within one path
 * segment, `**` spans any number, a pattern that matches a directory covers what is inside).
 */
export function dockerignoreIncludes(dockerignore: string, path: string): boolean {
  const patterns = dockerignore
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const body = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regex: globToRegex(body) };
    });
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  const segments = clean.split('/');
  let included = true;
  for (const { negate, regex } of patterns) {
    // A pattern matching the path or any of its parent directories applies.
    for (let n = segments.length; n >= 1; n--) {
      if (regex.test(segments.slice(0, n).join('/'))) {
        included = negate;
        break;
      }
    }
  }
  return included;
}

function globToRegex(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
