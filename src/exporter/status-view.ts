// The status page's view of every account and organization: every account counted, every configured
// account shown, and of each organization's members at most MEMBER_CARDS, those not up first.
// Reading it starts no refresh.
import { MEMBER_CARDS, stateOf, type AccountStatus, type OrganizationStatus, type StatusView } from './status.js';
import type { RunningAccount, RunningOrganization } from './running-parts.js';

type MemberStates = OrganizationStatus['memberStates'];

export interface StatusSubjects {
  /** Every account, configured and listed. */
  all: readonly RunningAccount[];
  configured: readonly RunningAccount[];
  organizations: readonly RunningOrganization[];
  /** One account's status (its capacity line needs the exporter's settings). */
  statusOf(account: RunningAccount): AccountStatus;
  /** The management principal's calls in the last minute, by action. */
  principalCalls(organization: RunningOrganization): OrganizationStatus['principalCalls'];
}

export function statusView({ all, configured, organizations, statusOf, principalCalls }: StatusSubjects): StatusView {
  const totals = { accounts: all.length, up: 0, down: 0, pending: 0 };
  const memberStates = new Map<RunningOrganization, MemberStates>();
  const shown = new Map<RunningOrganization, { notUp: RunningAccount[]; up: RunningAccount[] }>();
  for (const entry of all) {
    const state = stateOf(entry.collector.state());
    totals[state]++;
    const organization = entry.discoveredBy;
    if (!organization) continue;
    const counts = memberStates.get(organization) ?? { up: 0, down: 0, pending: 0 };
    counts[state]++;
    memberStates.set(organization, counts);
    const cards = shown.get(organization) ?? { notUp: [], up: [] };
    const list = state === 'up' ? cards.up : cards.notUp;
    if (list.length < MEMBER_CARDS) list.push(entry);
    shown.set(organization, cards);
  }
  const accounts = [
    ...configured,
    ...organizations.flatMap((organization) => {
      const cards = shown.get(organization);
      return cards ? [...cards.notUp, ...cards.up].slice(0, MEMBER_CARDS) : [];
    }),
  ].map(statusOf);
  return {
    totals,
    accounts,
    organizations: organizations.map((organization) =>
      organizationStatus(organization, memberStates.get(organization) ?? { up: 0, down: 0, pending: 0 }, principalCalls(organization)),
    ),
  };
}

function organizationStatus(organization: RunningOrganization, memberStates: MemberStates, principalCalls: OrganizationStatus['principalCalls']): OrganizationStatus {
  const state = organization.list.state();
  const { settings } = organization.organization;
  const error = state.lastError;
  return {
    provider: organization.provider.name,
    organization: settings.name,
    up: state.up,
    refreshIntervalSeconds: settings.refreshIntervalSeconds,
    ...(state.lastSuccessAt === undefined ? {} : { lastSuccessAt: state.lastSuccessAt }),
    ...(state.lastAttemptAt === undefined ? {} : { lastAttemptAt: state.lastAttemptAt }),
    ...(error ? { lastError: { action: error.action, code: error.code, message: error.message, ...(error.requestId === undefined ? {} : { requestId: error.requestId }) } } : {}),
    members: state.members?.length,
    listed: state.listed,
    memberStates,
    skipped: state.skipped.map(({ reason, count, fix, first }) => ({ reason, count, ...(fix === undefined ? {} : { fix }), first })),
    principalCalls,
  };
}
