// Imports run one way: cmd -> http -> exporter -> collect/metrics/config -> sources -> contract -> base.
// The ranks are in scripts/import-graph.ts's header; `node --import tsx scripts/import-graph.ts` prints the graph's state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backEdges, cloudNamingEdges, cycles, readImportGraph, repositorySrc, type ImportGraph } from '../../../scripts/import-graph.js';

const graphOf = (edges: Record<string, string[]>): ImportGraph => ({ edges: new Map(Object.entries(edges)) });

test('no module of src/ imports a layer above its own, a sibling layer, or (from collect or metrics) a cloud', () => {
  const found = backEdges(readImportGraph(repositorySrc())).map(({ from, to }) => `${from} -> ${to}`);
  assert.deepEqual(found, []);
});

test('no modules of src/ import each other in a cycle', () => {
  assert.deepEqual(cycles(readImportGraph(repositorySrc())), []);
});

test('no module outside sources/ imports a cloud\'s folder: config, the exporter, metrics and http go through the registry', () => {
  assert.deepEqual(cloudNamingEdges(readImportGraph(repositorySrc())), []);
});

test('the graph is read from the source: cmd/main.ts reaches http, and the exporter loads each cloud through import()', () => {
  const graph = readImportGraph(repositorySrc());
  assert.ok(graph.edges.get('cmd/main.ts')?.includes('http/app.ts'));
  assert.ok([...graph.edges.values()].some((targets) => targets.some((to) => to.endsWith('/source.ts'))));
});

test('an import that runs up, sideways between collect and metrics, or from metrics into a cloud is a back-edge', () => {
  const graph = graphOf({
    'sources/tencent/client.ts': ['config/types.ts'],
    'collect/collector.ts': ['metrics/samples.ts'],
    'metrics/samples.ts': ['sources/tencent/map.ts', 'contract/types.ts'],
    'http/app.ts': ['exporter/exporter.ts'],
    'config/types.ts': [],
    'metrics/families.ts': [],
    'sources/tencent/map.ts': [],
    'contract/types.ts': [],
    'exporter/exporter.ts': [],
  });
  assert.deepEqual(backEdges(graph), [
    { from: 'sources/tencent/client.ts', to: 'config/types.ts' },
    { from: 'collect/collector.ts', to: 'metrics/samples.ts' },
    { from: 'metrics/samples.ts', to: 'sources/tencent/map.ts' },
  ]);
});

test('modules that import each other, even through a third, are one cycle', () => {
  const graph = graphOf({
    'emulator/server.ts': ['emulator/tencent/index.ts'],
    'emulator/tencent/index.ts': ['emulator/server.ts', 'emulator/kit/faults.ts'],
    'emulator/kit/faults.ts': [],
  });
  assert.deepEqual(cycles(graph), [['emulator/server.ts', 'emulator/tencent/index.ts']]);
});
