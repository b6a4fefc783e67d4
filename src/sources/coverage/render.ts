// Coverage -> samples, for every cloud's renderer: the account's servers counted by coverage, and
// each server's one-hot coverage, what it is, and since when it has been uncovered.
import { ItemMemo } from '../../base/item-memo.js';
import { inBlocks, oneHot, type Sample } from '../../contract/series.js';
import { COVERAGE } from './families.js';
import { COVERAGES, countByCoverage, type Coverage, type CoveredServer } from './coverage.js';
import type { Provider } from '../../contract/types.js';

/** Every family of coverage, in exposition order. */
export const COVERAGE_FAMILIES = Object.values(COVERAGE);

/** Servers by coverage, per block of servers, kept while the block's servers are the same objects. */
const blockCounts = new ItemMemo<Record<Coverage, number>>();

/** The account's servers by coverage; every value always present. */
export function coverageCounts(provider: Provider, account: string, servers: readonly CoveredServer[]): Sample[] {
  const total = countByCoverage([]);
  for (const block of inBlocks(servers)) {
    const counts = blockCounts.get(block, () => countByCoverage(block));
    for (const coverage of COVERAGES) total[coverage] += counts[coverage];
  }
  return COVERAGES.map((coverage) => ({ family: COVERAGE.servers, labels: { provider, account, coverage }, value: total[coverage] }));
}

/** One server's series: its one-hot coverage, what it is, and since when it has been uncovered. */
export function coverageServerSamples(provider: Provider, account: string, server: CoveredServer): Sample[] {
  const labels = { provider, account, uuid: server.uuid, instance: server.instanceName };
  const samples = oneHot(COVERAGE.serverCoverage, labels, 'coverage', COVERAGES, server.coverage);
  samples.push({
    family: COVERAGE.serverInfo,
    labels: {
      ...labels,
      instance_id: server.instanceId,
      region: server.region,
      ip: server.ip,
      os: server.os,
      agent_version: server.agentVersion,
    },
    value: 1,
  });
  if (server.uncoveredSince !== null) {
    samples.push({
      family: COVERAGE.uncoveredSince,
      labels: { ...labels, coverage: server.coverage },
      value: server.uncoveredSince / 1000,
    });
  }
  return samples;
}
