// The import graph of src/, checked against the layers below (issue 16, "One way down").
//
// Every module gets a rank; a module may import modules of a LOWER rank, and modules of its own group.
// An import to a higher rank, or sideways to another group of the same rank, is a back-edge.
//
//   rank 5  entry     cmd/main.ts, cmd/demo.ts, cmd/flags.ts      the CLI: wires everything together
//   rank 4  http      http/**                          express app, landing page, web config
//   rank 3  exporter  exporter/exporter.ts, exporter/capacity.ts,      accounts -> collectors -> exposition; capacity planning;
//                     exporter/status.ts                        what the status page and debug probe show
//   rank 2  collect   collect/**                       cache, single flight, limiter, retries: knows no cloud
//           metrics   metrics/**                       snapshot -> series: knows no SDK
//           config    config/**                        YAML -> ExporterConfig; validates each cloud's part
//           emulator  emulator/**                      a fake of the clouds, a library and command of its own
//   rank 1  sources   sources/**                       one folder per cloud
//   rank 0  shared    shared/**, contract/types.ts,     plain types and helpers every layer may name:
//                     base/log.ts, base/version.ts               the source contract (snapshots, Provider, ApiError), Secret, Endpoint
//
// Three more rules, from DESIGN.md and issue 16 ("a provider registry") ("a source knows its cloud and nothing of Prometheus; metrics knows Prometheus
// and nothing of clouds; collect knows neither"):
// - collect and metrics are siblings: neither imports the other (what both need lives in shared/);
// - collect and metrics import nothing from sources/ but the contract, contract/types.ts;
// - no module outside sources/ imports a cloud's folder (sources/<cloud>/...): every layer above reaches a
//   cloud through the provider registry (sources/registry.ts), so adding a cloud is one folder plus one line.
// Why config sits above sources: it validates each cloud's part of the file, so it names the clouds' values;
// the sources get their account settings as plain types and never import config.
//
// Imports are read with TypeScript's own ts.preProcessFile (static imports, re-exports and import()), over the
// source, so type-only imports count too: a layer that names another's types depends on it.
// Run: node --import tsx scripts/import-graph.ts   (prints the edges that break the rule and the cycles; exit 1 if any)

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Layer {
  readonly group: string;
  readonly rank: number;
}

/** Each folder of src/ and its layer's rank: a module may import its own folder and folders of a lower rank. */
const FOLDER_RANKS: ReadonlyArray<readonly [folder: string | RegExp, rank: number]> = [
  ['base', 0],
  ['contract', 1],
  ['sources/kit', 2],
  ['sources/coverage', 2],
  ['emulator/kit', 2],
  [/^sources\/[^/]+$/, 3],
  [/^emulator\/[^/]+$/, 3],
  ['sources', 4],
  ['emulator', 4],
  ['config', 5],
  ['collect', 5],
  ['metrics', 5],
  ['exporter', 6],
  ['http/web', 6],
  ['http', 7],
  ['cmd', 8],
];

/** The layer of a module, by its path relative to src/ (posix separators): its folder is its group. */
export function layerOf(module: string): Layer {
  const folder = posix.dirname(module);
  const found = FOLDER_RANKS.find(([pattern]) => (typeof pattern === 'string' ? pattern === folder : pattern.test(folder)));
  if (!found) throw new Error(`src/${module} has no layer: its folder ${folder} is in no rank of scripts/import-graph.ts`);
  return { group: folder, rank: found[1] };
}

/** Groups that may import nothing from sources/ but the contract. */
const CLOUD_BLIND = new Set(['collect', 'metrics']);

export interface ImportGraph {
  /** module -> the project modules it imports, paths relative to src/. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

function typescriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The graph of relative imports between the .ts files under `srcDirectory`. */
export function readImportGraph(srcDirectory: string): ImportGraph {
  const edges = new Map<string, string[]>();
  for (const file of typescriptFiles(srcDirectory).sort()) {
    const module = relative(srcDirectory, file).split(sep).join('/');
    const imported = ts
      .preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((reference) => reference.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => posix.normalize(posix.join(posix.dirname(module), specifier)).replace(/\.js$/, '.ts'));
    edges.set(module, [...new Set(imported)].sort());
  }
  return { edges };
}

export interface BackEdge {
  readonly from: string;
  readonly to: string;
}

/** Imports from a lower rank to a higher one, sideways between two groups of the same rank, or from collect or metrics into a cloud. */
export function backEdges(graph: ImportGraph): BackEdge[] {
  const found: BackEdge[] = [];
  for (const [from, targets] of graph.edges) {
    const source = layerOf(from);
    for (const to of targets) {
      const target = layerOf(to);
      const upOrSideways = target.rank > source.rank || (target.rank === source.rank && target.group !== source.group);
      const intoACloud = CLOUD_BLIND.has(source.group) && (target.group === 'sources' || target.group.startsWith('sources/'));
      if (upOrSideways || intoACloud) found.push({ from, to });
    }
  }
  return found;
}

/**
 * Imports that name one cloud from outside sources/: the registry's measure. Every layer above sources
 * reaches a cloud through the provider registry, so adding a cloud is one folder plus one registry line.
 */
export function cloudNamingEdges(graph: ImportGraph): BackEdge[] {
  const found: BackEdge[] = [];
  for (const [from, targets] of graph.edges) {
    if (from.startsWith('sources/')) continue;
    for (const to of targets) if (/^sources\/(?!kit\/|coverage\/)[^/]+\//.test(to)) found.push({ from, to });
  }
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

/** src/ of this repository, from scripts/ (run with tsx) or dist/scripts/ (compiled). */
export function repositorySrc(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.split(sep).includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');
  return join(root, 'src');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = readImportGraph(repositorySrc());
  const edges = [...graph.edges.values()].reduce((sum, targets) => sum + targets.length, 0);
  const back = backEdges(graph);
  const found = cycles(graph);
  console.log(`${graph.edges.size} modules, ${edges} imports`);
  console.log(`${back.length} back-edges`);
  for (const edge of back) console.log(`  ${edge.from} -> ${edge.to}  (${layerOf(edge.from).group} -> ${layerOf(edge.to).group})`);
  console.log(`${found.length} cycles`);
  for (const cycle of found) console.log(`  ${cycle.join(' <-> ')}`);
  const naming = cloudNamingEdges(graph);
  console.log(`${naming.length} imports of a cloud's folder from outside sources/`);
  for (const edge of naming) console.log(`  ${edge.from} -> ${edge.to}`);
  process.exitCode = back.length + found.length + naming.length > 0 ? 1 : 0;
}
