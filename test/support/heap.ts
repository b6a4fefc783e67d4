// Counts live objects by constructor name in a heap snapshot of this process (after a full GC,
// which taking a snapshot does). For leak tests: counts, not bytes, so they do not depend on load.
import { getHeapSnapshot } from 'node:v8';

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export async function liveObjects(name: string): Promise<number> {
  let text = '';
  for await (const chunk of getHeapSnapshot()) text += String(chunk);
  const heap = JSON.parse(text) as SnapshotJson;
  const fields = heap.snapshot.meta.node_fields;
  const typeIndex = fields.indexOf('type');
  const nameIndex = fields.indexOf('name');
  const objectType = heap.snapshot.meta.node_types[0].indexOf('object');
  let count = 0;
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    if (heap.nodes[i + typeIndex] === objectType && heap.strings[heap.nodes[i + nameIndex]!] === name) count++;
  }
  return count;
}
