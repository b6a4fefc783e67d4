// Compares two V8 heap snapshots (node:v8 writeHeapSnapshot): which kinds of objects grew in count
// and bytes between them, and what holds a few of the new ones (their retainer chains), so a
// per-call leak can be named. `node dist/bench/heap-diff.js before.heapsnapshot after.heapsnapshot`.
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] };
    node_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface Heap {
  nodeCount: number;
  /** "type:name" of each node. */
  kindOf(node: number): string;
  selfSize(node: number): number;
  id(node: number): number;
  /** Nodes that point at `node`, with the edge's name or index, skipping weak edges. */
  retainers(node: number): Array<{ from: number; edge: string }>;
  byKind(): Map<string, { count: number; bytes: number; nodes: number[] }>;
}

export function loadHeap(file: string): Heap {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
  const meta = raw.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const idAt = meta.node_fields.indexOf('id');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const nodeCount = raw.nodes.length / nf;

  // Reverse edges, built once: for each node, the edges that point at it.
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let n = 0, e = 0; n < nodeCount; n++) {
    firstEdge[n] = e;
    e += raw.nodes[n * nf + edgeCountAt]! * ef;
  }
  const incomingCount = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < raw.edges.length; e += ef) incomingCount[raw.edges[e + edgeToAt]! / nf]!++;
  const incomingStart = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) incomingStart[n + 1] = incomingStart[n]! + incomingCount[n]!;
  const incomingFrom = new Uint32Array(incomingStart[nodeCount]!);
  const incomingEdge = new Uint32Array(incomingStart[nodeCount]!);
  const fill = incomingStart.slice();
  for (let n = 0; n < nodeCount; n++) {
    const end = n + 1 < nodeCount ? firstEdge[n + 1]! : raw.edges.length;
    for (let e = firstEdge[n]!; e < end; e += ef) {
      const to = raw.edges[e + edgeToAt]! / nf;
      const slot = fill[to]!++;
      incomingFrom[slot] = n;
      incomingEdge[slot] = e;
    }
  }

  const kindOf = (node: number) => `${nodeTypes[raw.nodes[node * nf + typeAt]!]}:${raw.strings[raw.nodes[node * nf + nameAt]!]}`;
  return {
    nodeCount,
    kindOf,
    selfSize: (node) => raw.nodes[node * nf + sizeAt]!,
    id: (node) => raw.nodes[node * nf + idAt]!,
    retainers(node) {
      const out: Array<{ from: number; edge: string }> = [];
      for (let slot = incomingStart[node]!; slot < incomingStart[node + 1]!; slot++) {
        const e = incomingEdge[slot]!;
        const type = edgeTypes[raw.edges[e + edgeTypeAt]!]!;
        if (type === 'weak') continue;
        const nameOrIndex = raw.edges[e + edgeNameAt]!;
        const edge = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : raw.strings[nameOrIndex]!;
        out.push({ from: incomingFrom[slot]!, edge: `${type}:${edge}` });
      }
      return out;
    },
    byKind() {
      const kinds = new Map<string, { count: number; bytes: number; nodes: number[] }>();
      for (let n = 0; n < nodeCount; n++) {
        const kind = kindOf(n);
        let entry = kinds.get(kind);
        if (!entry) kinds.set(kind, (entry = { count: 0, bytes: 0, nodes: [] }));
        entry.count++;
        entry.bytes += raw.nodes[n * nf + sizeAt]!;
        entry.nodes.push(n);
      }
      return kinds;
    },
  };
}

export interface KindGrowth {
  kind: string;
  before: number;
  after: number;
  bytesBefore: number;
  bytesAfter: number;
}

/** Kinds whose count grew most from `before` to `after`. */
export function growth(before: Heap, after: Heap, top: number): KindGrowth[] {
  const a = before.byKind();
  const b = after.byKind();
  const rows: KindGrowth[] = [];
  for (const [kind, entry] of b) {
    const old = a.get(kind);
    rows.push({ kind, before: old?.count ?? 0, after: entry.count, bytesBefore: old?.bytes ?? 0, bytesAfter: entry.bytes });
  }
  return rows.sort((x, y) => y.bytesAfter - y.bytesBefore - (x.bytesAfter - x.bytesBefore)).slice(0, top);
}

/** One retainer chain of `node`, up to `depth` steps, preferring holders that are not internal arrays or system nodes. */
export function retainerChain(heap: Heap, node: number, depth: number): string[] {
  const chain: string[] = [];
  const seen = new Set<number>([node]);
  let current = node;
  for (let step = 0; step < depth; step++) {
    const holders = heap.retainers(current).filter((r) => !seen.has(r.from));
    if (holders.length === 0) break;
    const pick = holders.find((r) => !heap.kindOf(r.from).startsWith('synthetic')) ?? holders[0]!;
    chain.push(`${pick.edge} <- ${heap.kindOf(pick.from)}${holders.length > 1 ? ` (+${holders.length - 1} more holders)` : ''}`);
    seen.add(pick.from);
    current = pick.from;
  }
  return chain;
}

/** Prints the growth table and retainer chains of the newest objects of the top kinds. */
export function reportHeapGrowth(beforeFile: string, afterFile: string, calls: number, top = 15): void {
  const before = loadHeap(beforeFile);
  const after = loadHeap(afterFile);
  const rows = growth(before, after, top);
  console.log(`| kind (type:name) | count before | count after | per 1,000 calls | bytes growth | bytes per call |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| \`${r.kind}\` | ${r.before} | ${r.after} | ${(((r.after - r.before) / calls) * 1000).toFixed(1)} | ${r.bytesAfter - r.bytesBefore} | ${((r.bytesAfter - r.bytesBefore) / calls).toFixed(1)} |`,
    );
  }
  const beforeIds = new Set<number>();
  for (let n = 0; n < before.nodeCount; n++) beforeIds.add(before.id(n));
  const kinds = after.byKind();
  console.log('\nRetainer chains of one object created between the two snapshots, for each of the top kinds (holder <- its holder ...):');
  for (const r of rows.slice(0, 8)) {
    const fresh = kinds.get(r.kind)!.nodes.filter((n) => !beforeIds.has(after.id(n)));
    if (fresh.length === 0) continue;
    const sample = fresh[Math.floor(fresh.length / 2)]!;
    console.log(`- \`${r.kind}\` (${fresh.length} new):`);
    for (const line of retainerChain(after, sample, 10)) console.log(`    ${line}`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const [beforeFile, afterFile, calls] = process.argv.slice(2);
  if (!beforeFile || !afterFile) {
    console.error('usage: heap-diff.js before.heapsnapshot after.heapsnapshot [calls between]');
    process.exit(2);
  }
  reportHeapGrowth(beforeFile, afterFile, Number(calls ?? 1));
}
