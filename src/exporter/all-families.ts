// Every family the exporter may show, for the docs and the dashboard's lint.
import { HEALTH, type Family } from '../metrics/families.js';
import { PROVIDERS } from '../sources/registry.js';

/** Every family the exporter may show, each once: each registered cloud's (coverage's are every cloud's), then its own. */
export const ALL_FAMILIES: readonly Family[] = [
  ...new Set([...PROVIDERS.flatMap((provider) => provider.families), ...Object.values(HEALTH)]),
];
