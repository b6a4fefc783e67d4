// Coverage: which servers a scan can see at all. A scan reports on the servers its agent reached;
// a server whose agent is offline, paused or not installed is never reached, and never reported.
// Both clouds' sources turn what their server listing says (Tencent CWP DescribeMachines, Alibaba
// DescribeCloudCenterInstances) into these same words, so the same series, alerts and dashboard
// panels serve both.

/** Coverage values, in exposition order: every one is always present in cloudscan_servers. */
export const COVERAGES = ['protected', 'agent_offline', 'agent_paused', 'agent_missing', 'server_stopped', 'unknown'] as const;
export type Coverage = (typeof COVERAGES)[number];

/**
 * A server no scan can see while it runs: its agent is not working, or what the cloud said of it is
 * not known. A stopped (or expired) server is not: nothing runs there to attack or to scan.
 */
export function isUncovered(coverage: Coverage): boolean {
  return coverage !== 'protected' && coverage !== 'server_stopped';
}

/** One server of a cloud's listing, with what identifies it and its coverage. Never changed once made. */
export interface CoveredServer {
  /** The `uuid` label: the server's id in the security product (see each cloud's mapping). */
  uuid: string;
  /** The `instance` label: the server's name ("" when the cloud gives none). */
  instanceName: string;
  instanceId: string;
  region: string;
  ip: string;
  os: string;
  /** The agent's version; "" when the cloud does not say. */
  agentVersion: string;
  coverage: Coverage;
  /**
   * Unix ms since which the exporter has seen the server uncovered without a break (the first
   * listing that found it so since the exporter started); null while it is protected or stopped.
   */
  uncoveredSince: number | null;
}

/** A cloud's servers as its listing said at `fetchedAt`, each once. */
export interface ServerCoverage {
  /** Unix ms when the listing was read (older than the snapshot when carried over). */
  fetchedAt: number;
  servers: readonly CoveredServer[];
}

/**
 * When a server found with `coverage` at `now` has been uncovered since: carried over from the
 * server's previous listing while it stays uncovered (whatever the reason), `now` when it has just
 * become so, null while it is covered or stopped.
 */
export function uncoveredSince(
  coverage: Coverage,
  previous: Pick<CoveredServer, 'uncoveredSince'> | undefined,
  now: number,
): number | null {
  if (!isUncovered(coverage)) return null;
  return previous?.uncoveredSince ?? now;
}

/** Servers by coverage, every value present. */
export function countByCoverage(servers: Iterable<Pick<CoveredServer, 'coverage'>>): Record<Coverage, number> {
  const counts = Object.fromEntries(COVERAGES.map((coverage) => [coverage, 0])) as Record<Coverage, number>;
  for (const { coverage } of servers) counts[coverage]++;
  return counts;
}

/** Whether two listings of a server say the same in every field: a refresh that finds it unchanged keeps the very object. */
export function sameCoverage(a: CoveredServer, b: CoveredServer): boolean {
  return (
    a.uuid === b.uuid &&
    a.instanceName === b.instanceName &&
    a.instanceId === b.instanceId &&
    a.region === b.region &&
    a.ip === b.ip &&
    a.os === b.os &&
    a.agentVersion === b.agentVersion &&
    a.coverage === b.coverage &&
    a.uncoveredSince === b.uncoveredSince
  );
}
