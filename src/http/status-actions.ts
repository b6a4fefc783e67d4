// What to do about an account or an organization listing, in a line: from the kind of its last error
// (as every cloud's client classifies it), or from its state when it has none. Plain text, escaped by
// the caller; it names the docs page that says more.
import type { AccountRow } from '../exporter/status.js';

const BY_KIND: Record<string, string> = {
  auth: 'Check its credentials and their policy: a rotated or wrong key, a missing permission or member role (docs/permissions.md, docs/roles.md).',
  throttled: 'The cloud throttles its calls: lower rate_limit, or ask the cloud for a higher quota (docs/capacity.md).',
  server: "The cloud's own failure, tried again at each refresh: if it lasts, quote the request id to the cloud's support.",
  network: 'No answer from the cloud: check the endpoint, DNS, proxy and firewall between the exporter and the cloud.',
  timeout: 'The cloud did not answer in time: check the network, or raise request_timeout.',
  invalid_response: "The cloud's answer was not as its documents say: the message says what; report it with the request id.",
  client:
    'The cloud refused the request, its message says why (a missing member role, a wrong region or endpoint): check the settings (docs/roles.md).',
  canceled: 'Its refresh was stopped by a reload or a shutdown: the next scrape refreshes it.',
  config: 'A credential holds a character a request header cannot carry (often a byte-order mark): save the secret again without it.',
};

/** What to do about an error of this kind. */
export function errorAction(kind: string): string {
  return BY_KIND[kind] ?? 'The message and the debug log of its last refresh say what failed.';
}

/** What to do about an account, or '' when nothing is needed. */
export function accountAction(row: AccountRow): string {
  switch (row.health) {
    case 'down':
      return errorAction(row.lastError?.kind ?? '');
    case 'pending':
      return 'Waiting for its first refresh, which a scrape starts: if none comes, check that Prometheus scrapes it.';
    case 'stale':
      return 'Nothing has refreshed it lately: check that Prometheus still scrapes it, and that its refresh fits in cache.ttl (its capacity, on its page).';
    case 'up':
      return row.permissionsMissing.length === 0
        ? ''
        : `Add ${row.permissionsMissing.join(', ')} to its policy: a part of its data is left out (docs/permissions.md).`;
  }
}
