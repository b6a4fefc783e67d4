// Reading /metrics output in tests.

/** Sample lines (no comments) whose metric name starts with one of the prefixes, sorted. */
export function sampleLines(exposition: string, ...prefixes: string[]): string[] {
  return exposition
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .filter((line) => prefixes.some((p) => line.startsWith(p)))
    .sort();
}

/** The value of the one sample whose line starts with `selector` (name{labels...}). */
export function valueOf(exposition: string, selector: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${selector} `));
  return line === undefined ? undefined : Number(line.slice(selector.length + 1));
}

/** The exporter's counters (not the histogram, whose buckets depend on timing): in golden files from the first scrape. */
export const COUNTER_FAMILIES = [
  'cloudscan_api_requests_total',
  'cloudscan_api_errors_total',
  'cloudscan_dropped_series_total',
  'cloudscan_cache_requests_total',
  'cloudscan_cache_hits_total',
];

/** The families (HELP, TYPE and samples) of the given names, in exposition order, for golden files. */
export function families(exposition: string, names: string[]): string {
  const keep = (line: string) =>
    names.some(
      (name) =>
        line.startsWith(`# HELP ${name} `) ||
        line.startsWith(`# TYPE ${name} `) ||
        line.startsWith(`${name}{`) ||
        line.startsWith(`${name} `),
    );
  return `${exposition.split('\n').filter(keep).join('\n')}\n`;
}
