// What the exporter knows of its accounts and organizations beside their data, as samples:
// cloudscan_account_info and cloudscan_organization_*.
import type { Provider, SkipReason } from '../contract/types.js';
import { HEALTH } from './families.js';
import type { Sample } from './samples.js';

/** One account's cloudscan_account_info labels (besides provider and account). */
export interface AccountInfo {
  provider: Provider;
  account: string;
  name: string;
  /** The organization that listed the account; '' for a configured one. */
  discoveredBy: string;
}

/** What cloudscan_organization_* show of one organization. */
export interface OrganizationInfo {
  provider: Provider;
  organization: string;
  up: boolean;
  /** Members read as accounts; undefined before the first good listing. */
  members: number | undefined;
  /** Unix ms of the last good listing. */
  lastSuccessAt: number | undefined;
  /** Members listed but not read, by reason; empty before the first good listing. */
  skipped: ReadonlyArray<{ reason: SkipReason; count: number }>;
}

/** An account's cloudscan_account_info sample. */
export function accountInfoSample({ provider, account, name, discoveredBy }: AccountInfo): Sample {
  return { family: HEALTH.accountInfo, labels: { provider, account, name, discovered_by: discoveredBy }, value: 1 };
}

/** An organization's cloudscan_organization_* samples. */
export function organizationSamples(organization: OrganizationInfo): Sample[] {
  const labels = { provider: organization.provider, organization: organization.organization };
  return [
    { family: HEALTH.organizationUp, labels, value: organization.up ? 1 : 0 },
    ...(organization.members === undefined ? [] : [{ family: HEALTH.organizationMembers, labels, value: organization.members }]),
    ...organization.skipped.map(({ reason, count }) => ({
      family: HEALTH.organizationMembersSkipped,
      labels: { ...labels, reason },
      value: count,
    })),
    ...(organization.lastSuccessAt === undefined
      ? []
      : [{ family: HEALTH.organizationLastSuccess, labels, value: organization.lastSuccessAt / 1000 }]),
  ];
}
