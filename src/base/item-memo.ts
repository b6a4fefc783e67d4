// Results computed from a run of a snapshot's immutable items (a block of servers), kept while a
// later snapshot holds the very same objects in the same order: a rolling refresh replaces a few
// items at a time, so most results are reused.
export class ItemMemo<T> {
  readonly #byFirstItem = new WeakMap<object, { items: readonly object[]; value: T }>();

  get(items: readonly object[], compute: () => T): T {
    const first = items[0];
    if (first === undefined) return compute();
    const kept = this.#byFirstItem.get(first);
    if (kept && kept.items.length === items.length && kept.items.every((item, i) => item === items[i])) return kept.value;
    const value = compute();
    this.#byFirstItem.set(first, { items, value });
    return value;
  }
}
