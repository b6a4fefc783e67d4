// The status page's view of every account and organization: a row for every account, configured
// and listed (the page sorts, filters and pages them), and each organization's listing.
// Reading it starts no refresh.
import { accountRow, errorSummary, type OrganizationStatus, type RowSources, type StatusView } from './status.js';
import type { RunningAccount, RunningOrganization } from './running-parts.js';

interface StatusSubjects {
  now: number;
  /** Every account, configured and listed. */
  all: readonly RunningAccount[];
  organizations: readonly RunningOrganization[];
  /** What one account's row is read from. */
  sourcesOf(account: RunningAccount, now: number): RowSources;
  /** The management principal's calls in the last minute, by action. */
  principalCalls(organization: RunningOrganization): OrganizationStatus['principalCalls'];
}

export function statusView({ now, all, organizations, sourcesOf, principalCalls }: StatusSubjects): StatusView {
  return {
    now,
    accounts: all.map((entry) => accountRow(sourcesOf(entry, now))),
    organizations: organizations.map((organization) => organizationStatus(organization, principalCalls(organization))),
  };
}

function organizationStatus(organization: RunningOrganization, principalCalls: OrganizationStatus['principalCalls']): OrganizationStatus {
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
    ...(error ? { lastError: errorSummary(error) } : {}),
    members: state.members?.length,
    listed: state.listed,
    skipped: state.skipped.map(({ reason, count, fix, first }) => ({ reason, count, ...(fix === undefined ? {} : { fix }), first })),
    principalCalls,
  };
}
