// The one did-you-mean of the project: the known word nearest a misspelt one, for unknown keys
// (config/issues.ts, http/web/web-config.ts), unknown regions (sources/<cloud>/regions.ts) and
// unknown flags (cmd/flags.ts).

/**
 * The known word nearest `word` (the first of equals), when within `maxDistance` edits: by default
 * 2, or a third of the known word's length. Case is ignored in `word`.
 */
export function closest(word: string, known: readonly string[], maxDistance?: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= (maxDistance ?? Math.max(2, Math.floor(best.length / 3))) ? best : undefined;
}

/** " (did you mean X?)" when a known word is near, else "". */
export function didYouMean(word: string, known: readonly string[]): string {
  const suggestion = closest(word, known);
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}

function editDistance(a: string, b: string): number {
  // Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one edit.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}
