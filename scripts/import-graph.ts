// The import graph of src/ and the tools, checked against the layer table of ARCHITECTURE.md, and its
// measures. The rule is the table's: a module may import modules of its own layer and of layers of a
// lower rank; an import to a higher rank, or sideways to another layer of the same rank, runs back up.
// The two rules beside it, as ARCHITECTURE.md words them under the table:
// - collect and metrics import nothing under src/sources/ (they know no cloud);
// - nothing outside src/sources/ imports src/sources/<cloud>/: every layer above, and every tool, reaches
//   a cloud through the provider registry (src/sources/registry.ts), so a cloud is one folder plus one line.
//
// Imports are read with TypeScript's own ts.preProcessFile (static imports, re-exports and import()), over the
// source, so type-only imports count too: a layer that names another's types depends on it. Imports of files
// outside the table's folders (test/support/, by the benchmarks) are not part of the graph.
// Run: node --import tsx scripts/import-graph.ts   (the measures, then every break; exit 1 on any)

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { functionSizes, largest, lineCount, type FileSize, type FunctionSize } from './code-measures.js';
import { ARCHITECTURE, readLayerTable, type Layer, type LayerTable } from './layer-table.js';
import { misplacedTests, type MisplacedTest } from './test-layout.js';

export type { Layer } from './layer-table.js';

/** Layers that know no cloud: they import nothing under SOURCES. */
export const CLOUD_BLIND_LAYERS = ['collect', 'metrics'] as const;
/** The clouds' folder: the registry, their kit, and one folder per cloud. */
export const SOURCES = 'src/sources/';
/** The table's row of a cloud's folder: only modules under SOURCES import it. */
export const CLOUD_FOLDER = 'src/sources/<cloud>/';

export interface ImportGraph {
  /** module -> the modules of the graph it imports; paths from the repository root (`src/cmd/main.ts`). */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** How a graph is judged: the layers, and the two rules beside the ranks. */
export interface LayerRules {
  /** A module's layer; undefined when its folder has no row. */
  layerOf(module: string): Layer | undefined;
  /** Whether a rule beside the ranks forbids the import (collect or metrics into the sources). */
  forbidden(from: string, to: string): boolean;
  /** Whether the import names one cloud from outside the sources. */
  namesACloud(from: string, to: string): boolean;
}

/** The rules of a layer table: its ranks, and the two rules beside them. */
export function tableRules(table: LayerTable): LayerRules {
  const blind = new Set<string>(CLOUD_BLIND_LAYERS);
  return {
    layerOf: (module) => table.layerOf(module),
    forbidden: (from, to) => blind.has(table.layerOf(from)?.group ?? '') && to.startsWith(SOURCES),
    namesACloud: (from, to) => !from.startsWith(SOURCES) && table.rowOf(`${posix.dirname(to)}/`)?.folder === CLOUD_FOLDER,
  };
}

function typescriptFiles(root: string, directory: string): string[] {
  if (!existsSync(join(root, directory))) return [];
  return readdirSync(join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typescriptFiles(root, path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The graph of relative imports between the .ts files under `folders` (top folders of the repository at `root`). */
export function readImportGraph(root: string, folders: readonly string[]): ImportGraph {
  const modules = folders.flatMap((folder) => typescriptFiles(root, folder)).sort();
  const known = new Set(modules);
  const edges = new Map<string, string[]>();
  for (const module of modules) {
    const imported = ts
      .preProcessFile(readFileSync(join(root, module), 'utf8'), true, true)
      .importedFiles.map((reference) => reference.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => posix.normalize(posix.join(posix.dirname(module), specifier)).replace(/\.js$/, '.ts'))
      .filter((target) => known.has(target));
    edges.set(module, [...new Set(imported)].sort());
  }
  return { edges };
}

/** The part of a graph under `prefix` (`src/`): its modules and the imports between them. */
export function subgraph(graph: ImportGraph, prefix: string): ImportGraph {
  const edges = new Map<string, string[]>();
  for (const [from, targets] of graph.edges)
    if (from.startsWith(prefix))
      edges.set(
        from,
        targets.filter((to) => to.startsWith(prefix)),
      );
  return { edges };
}

export interface Edge {
  readonly from: string;
  readonly to: string;
}

/** Modules whose folder has no row in the table. */
export function unplaced(graph: ImportGraph, rules: LayerRules): string[] {
  return [...graph.edges.keys()].filter((module) => rules.layerOf(module) === undefined);
}

/** Imports that run back up: to a higher rank, sideways to another layer of the same rank, or forbidden beside the ranks. */
export function backEdges(graph: ImportGraph, rules: LayerRules): Edge[] {
  const found: Edge[] = [];
  for (const [from, targets] of graph.edges) {
    const source = rules.layerOf(from);
    for (const to of targets) {
      const target = rules.layerOf(to);
      if (source === undefined || target === undefined) continue;
      const upOrSideways = target.rank > source.rank || (target.rank === source.rank && target.group !== source.group);
      if (upOrSideways || rules.forbidden(from, to)) found.push({ from, to });
    }
  }
  return found;
}

/** Imports that name one cloud from outside the sources: the registry's measure. */
export function cloudNamingEdges(graph: ImportGraph, rules: LayerRules): Edge[] {
  const found: Edge[] = [];
  for (const [from, targets] of graph.edges) for (const to of targets) if (rules.namesACloud(from, to)) found.push({ from, to });
  return found;
}

/** Every elementary cycle is not needed: one cycle per strongly connected component of more than one module (or a self-import). */
export function cycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components, iterative enough for a graph of a few hundred modules.
  let index = 0;
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (module: string): void => {
    indexOf.set(module, index);
    lowLink.set(module, index);
    index += 1;
    stack.push(module);
    onStack.add(module);
    for (const next of graph.edges.get(module) ?? []) {
      if (!graph.edges.has(next)) continue;
      if (!indexOf.has(next)) {
        visit(next);
        lowLink.set(module, Math.min(lowLink.get(module)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(module, Math.min(lowLink.get(module)!, indexOf.get(next)!));
      }
    }
    if (lowLink.get(module) === indexOf.get(module)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== module);
      const selfImport = graph.edges.get(module)?.includes(module) ?? false;
      if (component.length > 1 || selfImport) components.push(component.sort());
    }
  };
  for (const module of graph.edges.keys()) if (!indexOf.has(module)) visit(module);
  return components;
}

export interface Measures {
  /** Folders holding a module. */
  readonly folders: number;
  /** Ranks holding a module. */
  readonly layers: number;
  readonly modules: number;
  readonly imports: number;
  readonly unplaced: readonly string[];
  readonly backEdges: readonly Edge[];
  readonly cycles: readonly string[][];
  readonly cloudNaming: readonly Edge[];
  /** Modules directly in src/. */
  readonly looseFiles: readonly string[];
  readonly largestFile: FileSize | undefined;
  readonly longestFunction: FunctionSize | undefined;
}

/** The measures of a graph of the repository at `root`, judged by `rules`. */
export function measure(root: string, graph: ImportGraph, rules: LayerRules): Measures {
  const modules = [...graph.edges.keys()];
  const texts = modules.map((module) => ({ module, text: readFileSync(join(root, module), 'utf8') }));
  return {
    folders: new Set(modules.map((module) => posix.dirname(module))).size,
    layers: new Set(modules.flatMap((module) => rules.layerOf(module)?.rank ?? [])).size,
    modules: modules.length,
    imports: [...graph.edges.values()].reduce((sum, targets) => sum + targets.length, 0),
    unplaced: unplaced(graph, rules),
    backEdges: backEdges(graph, rules),
    cycles: cycles(graph),
    cloudNaming: cloudNamingEdges(graph, rules),
    looseFiles: modules.filter((module) => posix.dirname(module) === 'src'),
    largestFile: largest(texts.map(({ module, text }) => ({ module, lines: lineCount(text) }))),
    longestFunction: largest(texts.flatMap(({ module, text }) => functionSizes(module, text))),
  };
}

/** The measures side by side, one column per graph, as the command prints them. */
export function measuresTable(columns: ReadonlyArray<readonly [title: string, measures: Measures]>): string {
  const rows: Array<[string, (m: Measures) => string]> = [
    ['folders', (m) => String(m.folders)],
    ['layers (ranks)', (m) => String(m.layers)],
    ['modules', (m) => String(m.modules)],
    ['imports', (m) => String(m.imports)],
    ['modules in no folder of the table', (m) => String(m.unplaced.length)],
    ['imports running back up', (m) => String(m.backEdges.length)],
    ['cycles', (m) => String(m.cycles.length)],
    ['imports naming a cloud from outside src/sources/', (m) => String(m.cloudNaming.length)],
    ['loose files in src/', (m) => String(m.looseFiles.length)],
    ['largest file (lines)', (m) => (m.largestFile ? `${m.largestFile.lines} ${m.largestFile.module}` : '-')],
    [
      'longest function (lines)',
      (m) =>
        m.longestFunction
          ? `${m.longestFunction.lines} ${m.longestFunction.name} (${m.longestFunction.module}:${m.longestFunction.line})`
          : '-',
    ],
  ];
  const table = [['', ...columns.map(([title]) => title)], ...rows.map(([name, value]) => [name, ...columns.map(([, m]) => value(m))])];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Every break of a graph's measures, one line each, under a heading; empty when there is none. */
export function breaks(measures: Measures, rules: LayerRules, misplaced: readonly MisplacedTest[]): string[] {
  const layerName = (module: string) => rules.layerOf(module)?.group ?? '?';
  return [
    ...section('modules in no folder of the table (add a row to ARCHITECTURE.md)', measures.unplaced),
    ...section(
      'imports running back up',
      measures.backEdges.map(({ from, to }) => `${from} -> ${to}  (${layerName(from)} -> ${layerName(to)})`),
    ),
    ...section(
      'cycles',
      measures.cycles.map((cycle) => cycle.join(' <-> ')),
    ),
    ...section(
      "imports of a cloud's folder from outside src/sources/ (go through src/sources/registry.ts)",
      measures.cloudNaming.map(({ from, to }) => `${from} -> ${to}`),
    ),
    ...section('loose files in src/', measures.looseFiles),
    ...section(
      'tests out of their place (ARCHITECTURE.md, "Where tests go")',
      misplaced.map(({ file, why }) => `${file}: ${why}`),
    ),
  ];
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`${lines.length} ${title}:`, ...lines.map((line) => `  ${line}`)];
}

/** The root of this repository, from scripts/ (run with tsx) or dist/scripts/ (compiled). */
export function repositoryRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.split(sep).includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = repositoryRoot();
  const table = readLayerTable(root);
  const rules = tableRules(table);
  const graph = readImportGraph(root, table.roots);
  const all = measure(root, graph, rules);
  const misplaced = misplacedTests(root, table);
  console.log(`The import graph of ${table.roots.map((top) => `${top}/`).join(', ')}; its layers from ${ARCHITECTURE}\n`);
  console.log(
    measuresTable([
      ['src/', measure(root, subgraph(graph, 'src/'), rules)],
      ['src/ and the tools', all],
    ]),
  );
  console.log(`\ntests out of their place: ${misplaced.length}`);
  const found = breaks(all, rules, misplaced);
  if (found.length > 0) console.log(`\n${found.join('\n')}`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
