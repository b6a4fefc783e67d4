// Where tests go (ARCHITECTURE.md, "Where tests go"): a module's tests under test/unit/, at the path
// of a folder of the layer table (test/unit/<path>/ for src/<path>/, or for a tool's folder <path>/),
// starting no server and no process; tests of shipped files in test/shipped/; anything that starts a
// server or a process in test/integration/; the real Prometheus in test/e2e/.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import type { LayerTable } from './layer-table.js';

export const UNIT = 'test/unit/';
/** Folders whose tests may sit anywhere beneath them. */
export const TEST_FOLDERS = ['test/shipped/', 'test/integration/', 'test/e2e/'] as const;
/** What a unit test may not call: each starts a server or a process (with the child_process functions' sync forms). */
export const STARTS_A_SERVER_OR_PROCESS = [
  'createServer',
  'listen',
  'spawn',
  'execFile',
  'startEmulator',
  'startExporter',
  'spawnSync',
  'execFileSync',
  'execSync',
  'fork',
] as const;
export const SUPPORT = 'test/support/';

export interface MisplacedTest {
  /** The test file, from the repository root. */
  readonly file: string;
  readonly why: string;
}

function testFiles(root: string, directory: string): string[] {
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(directory, entry.name);
    if (entry.isDirectory()) return testFiles(root, path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const parse = (file: string, text: string) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** The names a module imports from test/support/, each with the helper it names there (`test/support/processes.ts#start`). */
function supportImports(file: string, source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const target = posix.normalize(posix.join(posix.dirname(file), statement.moduleSpecifier.text)).replace(/\.js$/, '.ts');
    const bindings = statement.importClause?.namedBindings;
    if (!target.startsWith(SUPPORT) || bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) names.set(element.name.text, `${target}#${(element.propertyName ?? element.name).text}`);
  }
  return names;
}

/** The names of the functions a node calls: `f(` and `x.f(` both give f. */
function calledNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (child: ts.Node): void => {
    if (ts.isCallExpression(child) || ts.isNewExpression(child)) {
      const callee = child.expression;
      if (ts.isIdentifier(callee)) names.add(callee.text);
      else if (ts.isPropertyAccessExpression(callee)) names.add(callee.name.text);
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return names;
}

/** The top-level functions of a module (declarations, and consts bound to a function), by name. */
function topLevelFunctions(source: ts.SourceFile): Map<string, ts.Node> {
  const functions = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) functions.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (
          ts.isIdentifier(declaration.name) &&
          declaration.initializer &&
          (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
        ) {
          functions.set(declaration.name.text, declaration.initializer);
        }
      }
    }
  }
  return functions;
}

/**
 * The helpers of test/support/ that start a server or a process, directly or through another helper
 * (`start` spawns; `startExporter` listens), as `test/support/<module>.ts#<name>`.
 */
export function startingHelpers(modules: ReadonlyMap<string, string>): Set<string> {
  const functions = [...modules].flatMap(([file, text]) => {
    const source = parse(file, text);
    const imports = supportImports(file, source);
    return [...topLevelFunctions(source)].map(([name, node]) => ({ id: `${file}#${name}`, file, calls: [...calledNames(node)], imports }));
  });
  const starting = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const { id, file, calls, imports } of functions) {
      if (starting.has(id)) continue;
      const starts = calls.some(
        (name) =>
          (STARTS_A_SERVER_OR_PROCESS as readonly string[]).includes(name) ||
          starting.has(`${file}#${name}`) ||
          starting.has(imports.get(name) ?? ''),
      );
      if (starts) {
        starting.add(id);
        grew = true;
      }
    }
  }
  return starting;
}

/** What a test's source calls that starts a server or a process: one of those functions, or a helper of test/support/ that does. */
export function serverOrProcessCalls(file: string, text: string, helpers: ReadonlySet<string> = new Set()): string[] {
  const source = parse(file, text);
  const imports = supportImports(file, source);
  const calls = [...calledNames(source)].filter(
    (name) => (STARTS_A_SERVER_OR_PROCESS as readonly string[]).includes(name) || helpers.has(imports.get(name) ?? ''),
  );
  return calls.sort();
}

function supportModules(root: string): Map<string, string> {
  return new Map(
    readdirSync(join(root, SUPPORT))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => [`${SUPPORT}${name}`, readFileSync(join(root, SUPPORT, name), 'utf8')]),
  );
}

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** Why a test file is out of its place, or undefined; `text` is its source, `helpers` those of startingHelpers(). */
export function misplacement(
  root: string,
  table: LayerTable,
  file: string,
  text: string,
  helpers: ReadonlySet<string> = new Set(),
): string | undefined {
  if (TEST_FOLDERS.some((folder) => file.startsWith(folder))) return undefined;
  if (!file.startsWith(UNIT)) return `tests live under ${[UNIT, ...TEST_FOLDERS].join(', ')}`;
  const path = posix.dirname(file.slice(UNIT.length));
  const mirrored = [`src/${path}/`, `${path}/`].find((folder) => table.rowOf(folder) !== undefined && isFolder(join(root, folder)));
  if (path === '.' || mirrored === undefined) {
    const folder = path === '.' ? '' : `${path}/`;
    return `${UNIT}${folder} mirrors no folder of the layer table in ARCHITECTURE.md (neither src/${folder} nor ${folder || 'the root'})`;
  }
  const calls = serverOrProcessCalls(file, text, helpers);
  if (calls.length > 0)
    return `a unit test starts no server or process, and this one calls ${calls.join(', ')}: it belongs in test/integration/`;
  return undefined;
}

/** Every test file of the repository at `root` that is out of its place, and why. */
export function misplacedTests(root: string, table: LayerTable): MisplacedTest[] {
  const helpers = startingHelpers(supportModules(root));
  return testFiles(root, 'test')
    .sort()
    .flatMap((file) => {
      const why = misplacement(root, table, file, readFileSync(join(root, file), 'utf8'), helpers);
      return why === undefined ? [] : [{ file, why }];
    });
}
