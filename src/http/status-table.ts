// The table of accounts: failing first, then stale, waiting and up (each in configuration order,
// members as listed), filtered by provider, state and text with a plain GET form, one page of
// PAGE_SIZE at a time with links to the others. One short line per account: its state, name, error
// and since when, the servers its cloud's summary counts, and what to do; the rest is on its own page.
import type { AccountHealth, AccountRow } from '../exporter/status.js';
import { accountAction } from './status-actions.js';
import { age, badge, count, escapeHtml, plural, shortened } from './status-format.js';
import { HEALTHS, STATE_FILTERS, filtered, filtersOf, linkTo, type Filters, type StatusQuery } from './status-query.js';

/** Accounts on one page of the table. */
export const PAGE_SIZE = 100;
/** Characters of an error message a line of the table shows; its page shows all it kept. */
const MESSAGE_CHARS = 160;
/** Page links around the current one, besides the first and the last. */
const PAGE_LINKS_AROUND = 3;

const RANK: Record<AccountHealth, number> = { down: 0, stale: 1, pending: 2, up: 3 };

/** The accounts a person asked for, failing first: down, stale, pending, up, each in the order given. */
export function selectAccounts(rows: readonly AccountRow[], filters: Filters): AccountRow[] {
  const text = filters.text?.toLowerCase();
  const [provider, name] = splitTarget(filters.organization);
  const kept = rows.filter(
    (row) =>
      (filters.provider === undefined || row.provider === filters.provider) &&
      (filters.state === undefined || (filters.state === 'not-up' ? row.health !== 'up' : row.health === filters.state)) &&
      (filters.organization === undefined || (row.provider === provider && row.member?.organization === name)) &&
      (text === undefined || searchable(row).includes(text)),
  );
  return kept.sort((a, b) => RANK[a.health] - RANK[b.health]);
}

/** "provider/rest" split at its first slash (an account or organization name may hold more). */
export function splitTarget(target: string | undefined): [string | undefined, string | undefined] {
  if (target === undefined) return [undefined, undefined];
  const slash = target.indexOf('/');
  return slash < 0 ? [target, undefined] : [target.slice(0, slash), target.slice(slash + 1)];
}

function searchable(row: AccountRow): string {
  const { target, member, lastError } = row;
  return [target, member?.name ?? '', member?.organization ?? '', lastError?.code ?? '', lastError?.action ?? '', lastError?.message ?? '']
    .join('\n')
    .toLowerCase();
}

/** The filter form, the table of the query's page of `rows` (all accounts, or one organization's), and the links to the other pages. */
export function accountsSection(rows: readonly AccountRow[], query: StatusQuery, now: number): string {
  const filters = filtersOf(query);
  const selected = selectAccounts(rows, filters);
  const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = selected.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const providers = [...new Set(rows.map((row) => row.provider))].sort();
  const range = shown.length === 0 ? '' : `${count((page - 1) * PAGE_SIZE + 1)}–${count((page - 1) * PAGE_SIZE + shown.length)} of `;
  const caption = filtered(filters)
    ? `${range}${plural(selected.length, 'account')} matching, of ${count(rows.length)}`
    : `${range}${plural(rows.length, 'account')}`;
  return `<h2 id="accounts">Accounts</h2>
${filterForm(filters, providers)}
${
  shown.length === 0
    ? `<p class="none">${rows.length === 0 ? 'No accounts.' : 'No account matches these filters.'}</p>`
    : `<table class="accounts">
<caption>${caption}, failing first</caption>
<thead><tr><th>State</th><th>Account</th><th>Last error</th><th>Since</th><th class="n">Servers<br>missed</th><th class="n">Servers<br>uncovered</th><th>What to do</th></tr></thead>
<tbody>
${shown.map((row) => accountLine(row, now)).join('\n')}
</tbody>
</table>`
}
${pageLinks(filters, page, pages)}`;
}

function filterForm(filters: Filters, providers: readonly string[]): string {
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const states: Record<(typeof STATE_FILTERS)[number], string> = {
    'not-up': 'not up',
    down: 'down',
    stale: 'stale',
    pending: 'pending',
    up: 'up',
  };
  return `<form class="filters" method="get">
${filters.organization === undefined ? '' : `<input type="hidden" name="organization" value="${escapeHtml(filters.organization)}">`}
<label>Provider <select name="provider">${option('', 'any', filters.provider === undefined)}${providers.map((p) => option(p, p, p === filters.provider)).join('')}</select></label>
<label>State <select name="state">${option('', 'any', filters.state === undefined)}${STATE_FILTERS.map((s) => option(s, states[s], s === filters.state)).join('')}</select></label>
<label>Text <input type="search" name="q" value="${escapeHtml(filters.text ?? '')}" placeholder="account, member, organization, error"></label>
<button type="submit">Filter</button>
${filtered(filters) ? `<a href="${escapeHtml(linkTo({ ...(filters.organization === undefined ? {} : { organization: filters.organization }) }))}">clear the filters</a>` : ''}
</form>`;
}

function accountLine(row: AccountRow, now: number): string {
  const error = row.lastError;
  const member = row.member ? `<small>${escapeHtml(row.member.name || '(no name)')} · ${escapeHtml(row.member.organization)}</small>` : '';
  return `<tr class="${row.health}" data-target="${escapeHtml(row.target)}" data-state="${row.health}">
<td>${badge(row.health)}</td>
<td><a href="${escapeHtml(linkTo({ account: row.target }))}">${escapeHtml(row.target)}</a>${member}</td>
<td>${error ? `<code class="code">${escapeHtml(error.code)}</code> in ${escapeHtml(error.action)}<small>${escapeHtml(shortened(error.message, MESSAGE_CHARS))}</small>` : ''}</td>
<td>${since(row, now)}</td>
<td class="n">${row.serversMissed === undefined ? '' : count(row.serversMissed)}</td>
<td class="n">${row.serversUncovered === undefined ? '' : count(row.serversUncovered)}</td>
<td>${escapeHtml(accountAction(row))}</td>
</tr>`;
}

/** Since when it fails (or waits), and how old its data is, marked when stale. */
function since(row: AccountRow, now: number): string {
  const data =
    row.dataTakenAt === undefined
      ? 'no data to serve'
      : `data ${age(row.dataTakenAt, now)} old${row.dataStale ? ' <span class="stale-mark">stale</span>' : ''}`;
  if (row.health === 'down')
    return `failing for ${row.failingSince === undefined ? '?' : age(row.failingSince, now)}<small>${data}</small>`;
  if (row.health === 'pending') return 'no refresh finished yet';
  return data;
}

function pageLinks(filters: Filters, page: number, pages: number): string {
  if (pages <= 1) return '';
  const link = (n: number, label: string, rel?: string) =>
    n === page
      ? `<strong>${label}</strong>`
      : `<a href="${escapeHtml(linkTo({ ...filters, page: n }))}"${rel ? ` rel="${rel}"` : ''}>${label}</a>`;
  const numbers = new Set([1, pages]);
  for (let n = Math.max(1, page - PAGE_LINKS_AROUND); n <= Math.min(pages, page + PAGE_LINKS_AROUND); n++) numbers.add(n);
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, '‹ previous', 'prev'));
  sorted.forEach((n, i) => {
    if (i > 0 && n - sorted[i - 1]! > 1) parts.push('…');
    parts.push(link(n, String(n)));
  });
  if (page < pages) parts.push(link(page + 1, 'next ›', 'next'));
  return `<nav class="pages" aria-label="pages">Page ${page} of ${pages} (${PAGE_SIZE} accounts a page): ${parts.join(' ')}</nav>`;
}

/** Every state's count among `rows`. */
export function countByHealth(rows: readonly AccountRow[]): Record<AccountHealth, number> {
  const counts = Object.fromEntries(HEALTHS.map((health) => [health, 0])) as Record<AccountHealth, number>;
  for (const row of rows) counts[row.health]++;
  return counts;
}
