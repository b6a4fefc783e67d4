// Imports run one way, as the layer table of ARCHITECTURE.md says: tools -> cmd -> http -> exporter ->
// config/collect/metrics -> the registries -> the clouds -> their kits -> contract -> base.
// `node --import tsx scripts/import-graph.ts` prints the graph's measures and every break.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { functionSizes, lineCount } from '../../../scripts/code-measures.js';
import {
  CLOUD_BLIND_LAYERS,
  CLOUD_FOLDER,
  SOURCES,
  backEdges,
  cloudNamingEdges,
  cycles,
  readImportGraph,
  repositoryRoot,
  tableRules,
  unplaced,
  type ImportGraph,
} from '../../../scripts/import-graph.js';
import { LayerTableError, parseLayerTable, readLayerTable } from '../../../scripts/layer-table.js';

const root = repositoryRoot();
const table = readLayerTable(root);
const rules = tableRules(table);
const graph = readImportGraph(root, table.roots);
const graphOf = (edges: Record<string, string[]>): ImportGraph => ({ edges: new Map(Object.entries(edges)) });

/** The generators that name a cloud today: part 23a of issue 23 takes their clouds' parts from the registry. When it merges, this is empty. */
test('no module of src/ or the tools imports a layer above its own or a sibling layer, nor (from collect or metrics) the sources', () => {
  assert.deepEqual(
    backEdges(graph, rules).map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

test('no modules import each other in a cycle', () => {
  assert.deepEqual(cycles(graph), []);
});

test("no module of src/ outside src/sources/ imports a cloud's folder: config, the exporter, metrics and http go through the registry", () => {
  assert.deepEqual(
    cloudNamingEdges(graph, rules).filter(({ from }) => from.startsWith('src/')),
    [],
  );
});

test('the tools (generators, scripts, bench) reach a cloud through the registry too', () => {
  assert.deepEqual(
    cloudNamingEdges(graph, rules).map(({ from, to }) => `${from} -> ${to}`),
    [],
  );
});

test('every module is in a folder of the table, and no file lies loose in src/', () => {
  assert.deepEqual(unplaced(graph, rules), []);
  assert.deepEqual(
    [...graph.edges.keys()].filter((module) => posix.dirname(module) === 'src'),
    [],
  );
});

test('every folder of src/ has a row in ARCHITECTURE.md, and every row names a folder that exists', () => {
  const folders = (directory: string): string[] =>
    readdirSync(join(root, directory), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => [`${directory}${entry.name}/`, ...folders(`${directory}${entry.name}/`)]);
  const all = folders('src/');
  assert.deepEqual(
    all.filter((folder) => table.rowOf(folder) === undefined),
    [],
  );
  const existing = new Set([...all, ...table.roots.flatMap((top) => [`${top}/`, ...folders(`${top}/`)])]);
  assert.deepEqual(
    table.rows.filter((row) => ![...existing].some((folder) => table.rowOf(folder) === row)).map((row) => row.folder),
    [],
  );
});

test('the rules beside the ranks name layers and folders of the table', () => {
  for (const layer of CLOUD_BLIND_LAYERS)
    assert.ok(
      table.rows.some((row) => row.layer === layer),
      `no layer ${layer}`,
    );
  assert.ok(
    table.rows.some((row) => row.folder === CLOUD_FOLDER),
    `no row ${CLOUD_FOLDER}`,
  );
  assert.ok(
    table.rows.some((row) => row.folder === SOURCES),
    `no row ${SOURCES}`,
  );
});

test('the table places the tools above src/, and each cloud in a layer of its own', () => {
  const cmd = table.layerOf('src/cmd/main.ts')!;
  for (const tool of ['scripts/x.ts', 'prometheus/x.ts', 'grafana/x.ts', 'deploy/kubernetes/x.ts', 'bench/x.ts']) {
    assert.ok(table.layerOf(tool)!.rank > cmd.rank, tool);
  }
  assert.deepEqual(table.layerOf('src/sources/tencent/x.ts'), { group: 'tencent source', rank: 3 });
  assert.deepEqual(table.layerOf('src/sources/alibaba/x.ts'), { group: 'alibaba source', rank: 3 });
  assert.equal(table.layerOf('src/sources/kit/x.ts')!.group, 'cloud kit');
  assert.equal(table.layerOf('src/sources/tencent/deeper/x.ts'), undefined);
});

test('the graph is read from the source: main reaches http, the exporter loads each cloud through import(), a tool imports src/', () => {
  assert.ok(graph.edges.get('src/cmd/main.ts')?.includes('src/http/app.ts'));
  assert.ok([...graph.edges.values()].some((targets) => targets.some((to) => /^src\/sources\/[^/]+\/source\.ts$/.test(to))));
  assert.ok(graph.edges.get('grafana/dashboard.ts')?.includes('prometheus/alerts.ts'));
  assert.ok([...graph.edges].some(([from, targets]) => from.startsWith('bench/') && targets.some((to) => to.startsWith('src/'))));
});

test('an import that runs up, sideways, from metrics into the sources, or from src/ into a tool runs back up; tools may import src/ and each other', () => {
  const fixture = graphOf({
    'src/sources/tencent/client.ts': ['src/config/types.ts', 'src/sources/alibaba/rpc.ts', 'src/sources/kit/validate.ts'],
    'src/collect/collector.ts': ['src/metrics/samples.ts'],
    'src/metrics/samples.ts': ['src/sources/registry.ts', 'src/contract/types.ts'],
    'src/http/app.ts': ['src/exporter/exporter.ts', 'scripts/metrics-doc.ts'],
    'grafana/dashboard.ts': ['prometheus/alerts.ts', 'src/sources/registry.ts'],
  });
  assert.deepEqual(backEdges(fixture, rules), [
    { from: 'src/sources/tencent/client.ts', to: 'src/config/types.ts' },
    { from: 'src/sources/tencent/client.ts', to: 'src/sources/alibaba/rpc.ts' },
    { from: 'src/collect/collector.ts', to: 'src/metrics/samples.ts' },
    { from: 'src/metrics/samples.ts', to: 'src/sources/registry.ts' },
    { from: 'src/http/app.ts', to: 'scripts/metrics-doc.ts' },
  ]);
});

test("an import of a cloud's folder from outside src/sources/ names a cloud; from the registry or the cloud it does not", () => {
  const fixture = graphOf({
    'src/sources/registry.ts': ['src/sources/tencent/provider.ts'],
    'src/sources/tencent/source.ts': ['src/sources/tencent/map.ts', 'src/sources/kit/validate.ts'],
    'src/config/schema.ts': ['src/sources/tencent/schema.ts', 'src/sources/kit/role-schema.ts'],
    'scripts/metrics-doc.ts': ['src/sources/alibaba/families.ts', 'src/sources/coverage/families.ts'],
  });
  assert.deepEqual(cloudNamingEdges(fixture, rules), [
    { from: 'src/config/schema.ts', to: 'src/sources/tencent/schema.ts' },
    { from: 'scripts/metrics-doc.ts', to: 'src/sources/alibaba/families.ts' },
  ]);
});

test('modules that import each other, even through a third, are one cycle', () => {
  const fixture = graphOf({
    'src/emulator/server.ts': ['src/emulator/tencent/index.ts'],
    'src/emulator/tencent/index.ts': ['src/emulator/server.ts', 'src/emulator/kit/faults.ts'],
    'src/emulator/kit/faults.ts': [],
  });
  assert.deepEqual(cycles(fixture), [['src/emulator/server.ts', 'src/emulator/tencent/index.ts']]);
});

const TABLE = [
  '# Title',
  '',
  '| folder | layer | rank | what it is |',
  '|---|---|---:|---|',
  '| `src/base/` | base | 0 | helpers |',
  '| `src/sources/<cloud>/` | `<cloud>` source | 3 | a cloud |',
  '',
  'after',
];
const withRow = (row: string) => [...TABLE.slice(0, 6), row, ...TABLE.slice(6)].join('\n');

test('the layer table is read from the markdown a person reads', () => {
  const parsed = parseLayerTable(TABLE.join('\n'));
  assert.deepEqual(parsed.rows, [
    { folder: 'src/base/', layer: 'base', rank: 0, line: 5 },
    { folder: 'src/sources/<cloud>/', layer: '<cloud> source', rank: 3, line: 6 },
  ]);
  assert.deepEqual(parsed.roots, ['src']);
  assert.deepEqual(parsed.layerOf('src/sources/tencent/x.ts'), { group: 'tencent source', rank: 3 });
});

test('a broken layer table fails with the line of what is wrong', () => {
  const broken: Array<[string, RegExp]> = [
    [TABLE.filter((line) => !line.startsWith('|')).join('\n'), /ARCHITECTURE\.md: no layer table/],
    [withRow('| `src/x/` | x | two | words |'), /ARCHITECTURE\.md:7: the rank "two" of src\/x\/ is not a whole number/],
    [withRow('| src/x | x | 2 | words |'), /ARCHITECTURE\.md:7: the folder "src\/x" is not one path in backticks ending with \//],
    [withRow('| `src/x/` | x | 2 |'), /ARCHITECTURE\.md:7: a row of the layer table has 4 cells/],
    [withRow('| `src/base/` | base | 0 | again |'), /ARCHITECTURE\.md:7: src\/base\/ has a row already, on line 5/],
    [withRow('| `src/more/` | base | 1 | words |'), /ARCHITECTURE\.md:7: the layer "base" has rank 1 here and 0 on line 5/],
    [
      withRow('| `src/emulator/<cloud>/` | emulated clouds | 3 | words |'),
      /ARCHITECTURE\.md:7: the layer "emulated clouds" must name the placeholders/,
    ],
    [withRow('| `src/x/` |  | 2 | words |'), /ARCHITECTURE\.md:7: the folder src\/x\/ has no layer/],
  ];
  for (const [markdown, message] of broken)
    assert.throws(
      () => parseLayerTable(markdown),
      (error: unknown) => error instanceof LayerTableError && message.test(error.message),
    );
});

test('ARCHITECTURE.md has the table: every folder of src/ and the tools, ranks from 0', () => {
  assert.ok(table.rows.length >= 20);
  assert.equal(Math.min(...table.rows.map((row) => row.rank)), 0);
  assert.deepEqual([...table.roots].sort(), ['bench', 'deploy', 'grafana', 'prometheus', 'scripts', 'src']);
});

test('functions are measured by their lines in the source, named as a reader names them', () => {
  const source = [
    'export function top(): void {', // 1
    '  const inner = () => {', // 2
    '    return 1;', // 3
    '  };', // 4
    '}', // 5
    'class Box {', // 6
    '  constructor() {}', // 7
    '  #size(): number {', // 8
    '    return 2;', // 9
    '  }', // 10
    '}', // 11
    'run(() => 3);', // 12
    '',
  ].join('\n');
  assert.equal(lineCount(source), 12);
  assert.deepEqual(
    functionSizes('m.ts', source).map(({ name, line, lines }) => [name, line, lines]),
    [
      ['top', 1, 5],
      ['inner', 2, 3],
      ['Box.constructor', 7, 1],
      ['Box.#size', 8, 3],
      ['(a function passed to run)', 12, 1],
    ],
  );
});
