// The defaults of the file's frame; each cloud's are in its folder (sources/<cloud>/schema.ts).
// config.example.yaml shows the same values.
export const DEFAULTS = {
  cache: { ttlSeconds: 60, maxStaleSeconds: 30 * 60 },
  scrape: { timeoutSeconds: 9, timeoutOffsetSeconds: 0.5 },
} as const;
