// The Dockerfile as the checks of the image's rules and the production-install test read it, without
// a Docker engine: instructions parsed by dockerfile-ast (the parser of the Docker language server),
// gathered per stage; .dockerignore matched by @balena/dockerignore (a port of Docker's own matcher).
// What stays here is what Docker does with the parsed instructions: stages by index and AS name, USER
// and WORKDIR inherited from a parent stage, ENTRYPOINT clearing CMD, exec form versus shell form.
// Variables are not substituted.
// The package is CommonJS whose types declare an ES default export: under NodeNext its factory is `.default`.
import dockerignore from '@balena/dockerignore';
import {
  DockerfileParser,
  From,
  Healthcheck as HealthcheckInstruction,
  JSONInstruction,
  type ModifiableInstruction,
  PropertyInstruction,
  type Instruction as AstInstruction,
} from 'dockerfile-ast';

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword and its flags, as written (continuations removed). */
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
  /** RUN commands: the shell form's words joined by single spaces, or the exec form joined with spaces. */
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

/** A JSON array of strings (exec form), or undefined when the text is not one: Docker's own rule. */
function execForm(text: string): string[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  } catch {
    // Docker treats a malformed JSON array as shell form.
  }
  return undefined;
}

/** The words after the keyword and flags, continuation lines and comments inside them left out. */
const shellText = (instruction: AstInstruction): string =>
  instruction
    .getArguments()
    .map((a) => a.getValue())
    .join(' ');

/**
 * An instruction's command as Docker runs it. The exec form is read with JSON.parse, as Docker reads
 * it: dockerfile-ast's getJSONStrings() drops the spaces inside a string ("a b" reads as "ab").
 */
function commandOf(instruction: AstInstruction): { argv: string[]; form: 'exec' | 'shell' } {
  const exec = execForm(instruction.getArgumentsContent() ?? '');
  return exec !== undefined ? { argv: exec, form: 'exec' } : { argv: ['/bin/sh', '-c', shellText(instruction)], form: 'shell' };
}

function flagsOf(instruction: ModifiableInstruction): Record<string, string | true> {
  return Object.fromEntries(instruction.getFlags().map((flag) => [flag.getName(), flag.getValue() ?? true]));
}

/** ENV's and ARG's name=value pairs (ENV's legacy `name value` too), values unquoted. */
function assignments(instruction: PropertyInstruction): Record<string, string | undefined> {
  return Object.fromEntries(instruction.getProperties().map((p) => [p.getName(), p.getValue() ?? undefined]));
}

function copyOf(instruction: JSONInstruction, keyword: 'COPY' | 'ADD', line: number): Copy {
  const flags = flagsOf(instruction);
  const paths = execForm(instruction.getArgumentsContent() ?? '') ?? instruction.getArguments().map((a) => a.getValue());
  if (paths.length < 2) throw new DockerfileError(`line ${line}: ${keyword} needs a source and a destination`);
  const from = flags['from'];
  delete flags['from'];
  return {
    keyword,
    from: typeof from === 'string' ? from.toLowerCase() : undefined,
    flags,
    sources: paths.slice(0, -1),
    dest: paths[paths.length - 1] as string,
    line,
  };
}

function healthcheckOf(instruction: HealthcheckInstruction, line: number): Healthcheck {
  const options = Object.fromEntries(Object.entries(flagsOf(instruction)).map(([key, value]) => [key, value === true ? 'true' : value]));
  const kind = instruction.getSubcommand()?.getValue().toUpperCase();
  if (kind === 'NONE') return { options, command: undefined, form: 'none', line };
  if (kind !== 'CMD') throw new DockerfileError(`line ${line}: HEALTHCHECK needs CMD or NONE`);
  const content = instruction.getArgumentsContent() ?? '';
  const afterCmd = content.slice(content.search(/\S/) + 'CMD'.length);
  const exec = execForm(afterCmd);
  if (exec !== undefined) return { options, command: exec, form: 'exec', line };
  const words = instruction.getArguments().slice(1);
  return { options, command: ['/bin/sh', '-c', words.map((a) => a.getValue()).join(' ')], form: 'shell', line };
}

function newStage(from: From, index: number, byName: Map<string, Stage>, instruction: Instruction): Stage {
  const image = from.getImage();
  if (image === null) throw new DockerfileError(`line ${instruction.line}: FROM without an image`);
  return {
    index,
    name: from.getBuildStage()?.toLowerCase() ?? undefined,
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
}

/** One instruction's effect on its stage. */
function apply(stage: Stage, node: AstInstruction, instruction: Instruction): void {
  const { keyword, line } = instruction;
  switch (keyword) {
    case 'COPY':
    case 'ADD':
      if (node instanceof JSONInstruction) stage.copies.push(copyOf(node, keyword, line));
      break;
    case 'RUN': {
      const { argv, form } = commandOf(node);
      stage.runs.push(form === 'exec' ? argv.join(' ') : shellText(node));
      break;
    }
    case 'ENV':
      if (node instanceof PropertyInstruction) for (const [key, value] of Object.entries(assignments(node))) stage.env[key] = value ?? '';
      break;
    case 'ARG':
      if (node instanceof PropertyInstruction) Object.assign(stage.args, assignments(node));
      break;
    case 'USER':
      stage.user = instruction.args;
      break;
    case 'WORKDIR':
      stage.workdir = instruction.args;
      break;
    case 'EXPOSE':
      stage.expose.push(...node.getArguments().map((a) => a.getValue()));
      break;
    case 'ENTRYPOINT': {
      const { argv, form } = commandOf(node);
      stage.entrypoint = argv;
      stage.entrypointForm = form;
      // Docker: setting ENTRYPOINT clears a CMD inherited or set before it.
      stage.cmd = undefined;
      stage.cmdForm = undefined;
      break;
    }
    case 'CMD': {
      const { argv, form } = commandOf(node);
      stage.cmd = argv;
      stage.cmdForm = form;
      break;
    }
    case 'HEALTHCHECK':
      if (node instanceof HealthcheckInstruction) stage.healthcheck = healthcheckOf(node, line);
      break;
    default:
      break;
  }
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  let stage: Stage | undefined;

  for (const node of DockerfileParser.parse(text).getInstructions()) {
    const instruction: Instruction = {
      keyword: node.getKeyword().toUpperCase(),
      args: (node.getArgumentsContent() ?? '').trim(),
      line: node.getRange().start.line + 1,
    };
    if (node instanceof From) {
      stage = newStage(node, stages.length, byName, instruction);
      stages.push(stage);
      if (stage.name !== undefined) byName.set(stage.name, stage);
    } else if (stage !== undefined) {
      stage.instructions.push(instruction);
      apply(stage, node, instruction);
    } else if (node instanceof PropertyInstruction && instruction.keyword === 'ARG') {
      Object.assign(globalArgs, assignments(node));
    } else {
      throw new DockerfileError(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
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
 * Whether a build-context path (as a COPY source names it: `./src/` is `src`) is sent to the daemon
 * under these .dockerignore rules, matched as Docker matches them.
 */
export function dockerignoreIncludes(rules: string, path: string): boolean {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  return !dockerignore.default().add(rules).ignores(clean);
}
