// The top of the status page, read first: how many accounts are down, stale, waiting and up (each a
// link to those accounts), the organizations, and the servers the scans missed or cannot see; then
// one line per organization (its listing, its members by state, those it does not read), each a link
// to its own page.
import type { AccountRow, OrganizationStatus } from '../exporter/status.js';
import { errorAction } from './status-actions.js';
import { age, count, escapeHtml, plural } from './status-format.js';
import { linkTo, type Filters } from './status-query.js';
import { countByHealth } from './status-table.js';

/** "4 accounts: 2 up, 2 down", and stale and waiting when there are any. */
export function overview(rows: readonly AccountRow[]): string {
  const { down, stale, pending, up } = countByHealth(rows);
  return (
    `${plural(rows.length, 'account')}: <span class="up">${count(up)} up</span>, <span class="down">${count(down)} down</span>` +
    (stale > 0 ? `, <span class="stale">${count(stale)} stale</span>` : '') +
    (pending > 0 ? `, <span class="pending">${count(pending)} waiting for a first refresh</span>` : '')
  );
}

/** The counts a person reads first, each state a link to its accounts (within `scope`: all, or one organization's). */
export function summaryTiles(rows: readonly AccountRow[], scope: Filters, organizations?: readonly OrganizationStatus[]): string {
  const counts = countByHealth(rows);
  const stateTile = (health: keyof typeof counts, label: string) =>
    `<li class="${health}"><a href="${escapeHtml(linkTo({ ...scope, state: health }))}#accounts"><strong>${count(counts[health])}</strong>${label}</a></li>`;
  const servers = (pick: (row: AccountRow) => number | undefined) => {
    let total = 0;
    let accounts = 0;
    for (const row of rows) {
      const n = pick(row) ?? 0;
      total += n;
      if (n > 0) accounts++;
    }
    return `<strong>${count(total)}</strong>on ${plural(accounts, 'account')}`;
  };
  const failingOrganizations =
    organizations?.filter((organization) => !organization.up && organization.lastError !== undefined).length ?? 0;
  return `<ul class="tiles">
${stateTile('down', 'down')}
${stateTile('stale', 'stale')}
${counts.pending > 0 ? stateTile('pending', 'waiting') : ''}
${stateTile('up', 'up')}
${
  organizations === undefined || organizations.length === 0
    ? ''
    : `<li${failingOrganizations > 0 ? ' class="failing"' : ''}><a href="#organizations"><strong>${count(organizations.length)}</strong>${
        failingOrganizations > 0
          ? `organization${organizations.length === 1 ? '' : 's'}, ${failingOrganizations} failing`
          : `organization${organizations.length === 1 ? '' : 's'}`
      }</a></li>`
}
<li class="missed"><span title="servers the latest scans failed on">servers missed ${servers((row) => row.serversMissed)}</span></li>
<li class="uncovered"><span title="servers without a working agent">servers uncovered ${servers((row) => row.serversUncovered)}</span></li>
</ul>`;
}

const SKIP_WORDS: Record<string, string> = { inactive: 'account does not exist', not_monitored: 'not monitored', invalid_id: 'invalid id' };

/** One line per organization, each a link to its own page (its listing, the members it does not read, its members' table). */
export function organizationsTable(organizations: readonly OrganizationStatus[], rows: readonly AccountRow[], now: number): string {
  if (organizations.length === 0) return '';
  return `<h2 id="organizations">Organizations</h2>
<table class="organizations">
<thead><tr><th>Listing</th><th>Organization</th><th>Members read as accounts</th><th>Not read</th><th>Last error</th><th>What to do</th></tr></thead>
<tbody>
${organizations.map((organization) => organizationLine(organization, membersOf(rows, organization), now)).join('\n')}
</tbody>
</table>`;
}

/** The rows of an organization's members. */
export function membersOf(rows: readonly AccountRow[], { provider, organization }: OrganizationStatus): AccountRow[] {
  return rows.filter((row) => row.provider === provider && row.member?.organization === organization);
}

/** LISTED, FAILING or PENDING, coloured as up, down and pending accounts. */
export function listingState(status: OrganizationStatus): { health: 'up' | 'down' | 'pending'; word: string } {
  if (status.up) return { health: 'up', word: 'LISTED' };
  return status.lastError === undefined ? { health: 'pending', word: 'PENDING' } : { health: 'down', word: 'FAILING' };
}

/** "130 of 130 listed: 129 up, 1 down", or why there are none yet. */
export function membersText(status: OrganizationStatus, members: readonly AccountRow[]): string {
  if (status.members === undefined) return 'none yet: members become accounts once a listing succeeds';
  const counts = countByHealth(members);
  const states = [`${count(counts.up)} up`, `${count(counts.down)} down`];
  if (counts.stale > 0) states.push(`${count(counts.stale)} stale`);
  if (counts.pending > 0) states.push(`${count(counts.pending)} waiting for a first refresh`);
  return `${count(status.members)} of ${count(status.listed ?? status.members)} listed: ${states.join(', ')}`;
}

function organizationLine(status: OrganizationStatus, members: readonly AccountRow[], now: number): string {
  const target = `${status.provider}/${status.organization}`;
  const { health, word } = listingState(status);
  const skipped = status.skipped.filter((group) => group.count > 0 && group.reason !== 'excluded');
  const error = status.lastError;
  const listing = status.lastSuccessAt === undefined ? 'no good listing yet' : `last good listing ${age(status.lastSuccessAt, now)} ago`;
  const todo = error
    ? errorAction(error.kind)
    : skipped.length > 0
      ? 'Its page lists the members not read, and what to do about them.'
      : '';
  return `<tr class="${health}" data-organization="${escapeHtml(target)}" data-state="${health}">
<td><span class="badge ${health}">${word}</span></td>
<td><a href="${escapeHtml(linkTo({ organization: target }))}">${escapeHtml(target)}</a></td>
<td>${escapeHtml(membersText(status, members))}</td>
<td>${skipped.map((group) => `${count(group.count)} ${escapeHtml(SKIP_WORDS[group.reason] ?? group.reason)}`).join(', ')}</td>
<td>${error ? `<code class="code">${escapeHtml(error.code)}</code> in ${escapeHtml(error.action)}` : ''}<small>${escapeHtml(listing)}</small></td>
<td>${escapeHtml(todo)}</td>
</tr>`;
}
