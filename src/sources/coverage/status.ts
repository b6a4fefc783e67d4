// What the status page shows of an account's coverage, for every cloud: its servers counted by
// coverage, and the servers without a working agent, those uncovered longest first.
import { FAILING_LISTED, type FailingList, type SummaryTable, type SummaryTone } from '../../contract/scan-summary.js';
import { COVERAGES, countByCoverage, isUncovered, type Coverage, type CoveredServer } from './coverage.js';

const TONE: Record<Coverage, SummaryTone> = {
  protected: 'good',
  agent_offline: 'bad',
  agent_paused: 'idle',
  agent_missing: 'bad',
  server_stopped: 'idle',
  unknown: 'bad',
};

function servers(count: number): string {
  return `${count} server${count === 1 ? '' : 's'}`;
}

/** Servers by coverage (unknown only when there are some); or, when coverage is not read, why. */
export function coverageTable(covered: readonly CoveredServer[] | undefined, whyNotKnown: string): SummaryTable {
  if (covered === undefined) return { title: 'Server coverage', rows: [{ label: 'not known', value: whyNotKnown, tone: 'idle' }] };
  const counts = countByCoverage(covered);
  return {
    title: `Server coverage: ${servers(covered.length)}`,
    rows: COVERAGES.filter((coverage) => coverage !== 'unknown' || counts.unknown > 0).map((coverage) => ({
      label: coverage.replace('_', ' '),
      value: String(counts[coverage]),
      tone: counts[coverage] === 0 ? 'idle' : TONE[coverage],
    })),
  };
}

/** The running servers without a working agent, uncovered longest first, with what identifies them. */
export function uncoveredServers(covered: readonly CoveredServer[]): FailingList {
  const uncovered = covered.filter((server) => isUncovered(server.coverage));
  const first = [...uncovered].sort((a, b) => (a.uncoveredSince ?? 0) - (b.uncoveredSince ?? 0)).slice(0, FAILING_LISTED);
  return {
    title: 'Servers without a working agent',
    total: uncovered.length,
    first: first.map((server) => ({
      name: server.instanceName === '' ? server.uuid : `${server.instanceName} (${server.uuid})`,
      detail: [
        `${server.coverage.replace('_', ' ')}${server.uncoveredSince === null ? '' : ` since ${utc(server.uncoveredSince)}`}`,
        server.instanceId,
        server.ip,
        server.region,
      ]
        .filter((part) => part !== '')
        .join(', '),
    })),
  };
}

function utc(unixMs: number): string {
  return `${new Date(unixMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
