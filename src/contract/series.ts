// What a series is before it is text: a family (name, type, labels, help) and samples of it. Named by
// metrics, which renders them, and by each cloud's renderer under sources/, which makes them.

type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Family<L extends string = string> {
  name: string;
  type: MetricType;
  labels: readonly L[];
  help: string;
}

export function family<const L extends string>(name: string, type: MetricType, labels: readonly L[], help: string): Family<L> {
  return { name, type, labels, help };
}

/** Ends the help text of every family rendered from cached cloud data. */
export const CACHED_HELP = 'Cached: refreshed at most once per cache.ttl.';

export interface Sample {
  family: Family;
  labels: Record<string, string>;
  value: number;
}

/**
 * Some of an account's samples, in exposition order. `sources`, when set, are the immutable items
 * of a snapshot they are made from alone (servers' statuses): while a later snapshot holds the
 * same objects, the samples are the same, so their rendered text can be reused. A rolling refresh
 * of a large fleet replaces a few servers at a time, so a scrape renders the blocks of those only.
 */
export interface SampleBlock {
  sources: readonly object[] | undefined;
  samples(): Sample[];
}

/** A one-hot state: a sample per value of `label`, 1 for `current` and 0 for the others, so none goes missing when it changes. */
export function oneHot(
  family: Family,
  labels: Record<string, string>,
  label: string,
  values: readonly string[],
  current: string,
): Sample[] {
  return values.map((value) => ({ family, labels: { ...labels, [label]: value }, value: value === current ? 1 : 0 }));
}

/** Items per block: small, so a rolling refresh re-renders little beside the items it replaced; big enough to compress well. */
const ITEMS_PER_BLOCK = 25;

/** `items` in blocks of ITEMS_PER_BLOCK, by position. */
export function inBlocks<T>(items: readonly T[]): T[][] {
  const blocks: T[][] = [];
  for (let start = 0; start < items.length; start += ITEMS_PER_BLOCK) blocks.push(items.slice(start, start + ITEMS_PER_BLOCK));
  return blocks;
}
