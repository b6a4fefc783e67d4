// The defaults of the configuration file in one table, but for each cloud's own (its endpoint,
// modules, rate limits and role duration: one table in its folder, sources/<cloud>/schema.ts): the
// file's frame (cache, scrape) and what every cloud's accounts, roles and organizations share.
// config.example.yaml shows the same values.
export const DEFAULTS = {
  cache: { ttlSeconds: 60, maxStaleSeconds: 30 * 60 },
  scrape: { timeoutSeconds: 9, timeoutOffsetSeconds: 0.5 },
  account: {
    requestTimeoutSeconds: 5,
    /** The size limit of one API answer (max_response_bytes): far above any real scan status answer. */
    maxResponseBytes: 4 * 1024 * 1024,
  },
  role: {
    /** The RoleSessionName, an account's role's and an organization's member role's. */
    sessionName: 'cloudscan-exporter',
  },
  organization: {
    /** How often an organization's member list is read again. */
    refreshIntervalSeconds: 300,
    requestTimeoutSeconds: 5,
  },
} as const;
