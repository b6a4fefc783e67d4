// One account's /probe answer: its own series rendered afresh, then what it adds of the registry's
// families (its cloudscan_account_info, its organization's series, its and its organization's call
// counters), written from those samples alone so a probe costs the same whatever the number of accounts.
import { HEALTH, type Family } from './families.js';
import { CompressiblePiece, type Exposition } from './gzip.js';
import type { Sample } from './samples.js';
import { accountPieces, headerOf, type AccountRender } from './state-exposition.js';
import { sampleLine } from './text.js';

/** What /probe adds to an account's own series, in this order. */
const PROBE_FAMILIES: readonly Family[] = [
  HEALTH.accountInfo,
  HEALTH.organizationUp,
  HEALTH.organizationMembers,
  HEALTH.organizationMembersSkipped,
  HEALTH.organizationLastSuccess,
  HEALTH.apiRequests,
  HEALTH.apiErrors,
  HEALTH.droppedSeries,
];

/** `account`'s series, then `added` (samples of PROBE_FAMILIES) family by family; `now` (Unix ms) dates the live samples. */
export function probeExposition(account: AccountRender, added: readonly Sample[], now: number): Exposition {
  const parts = accountPieces(account, now);
  const lines = new Map<Family, string[]>();
  for (const { family, labels, value } of added) {
    const list = lines.get(family) ?? [];
    list.push(sampleLine(family.name, labels, value));
    lines.set(family, list);
  }
  for (const family of PROBE_FAMILIES) {
    const text = lines.get(family);
    if (text) parts.push(headerOf(family), new CompressiblePiece(text.join('')));
  }
  return parts;
}
