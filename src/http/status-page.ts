// The page at `/`: every account at a glance, as a person on call reads it, at any number of accounts.
// First what needs looking at (accounts down, stale, waiting and up; organizations; servers missed and
// uncovered), then a table of accounts, failing first, filtered and paged with plain links and a GET
// form; one account's or one organization's detail on its own page (`?account=`, `?organization=`).
// Plain HTML and CSS from the exporter itself (no script, no external asset: it works offline and under
// a strict CSP). It names no cloud: each account's scan summary is plain data from its provider,
// rendered the same for every cloud. Every value is escaped: account names, error messages and request
// ids come from configuration files and clouds. Viewing it makes no cloud call.
import type { AccountStatus, StatusView } from '../exporter/status.js';
import { accountDetail, organizationDetail } from './status-detail.js';
import { escapeHtml, utc } from './status-format.js';
import { linkTo, type StatusQuery } from './status-query.js';
import { CSS } from './status-style.js';
import { membersOf, membersText, organizationsTable, overview, summaryTiles } from './status-summary.js';
import { accountsSection, countByHealth, splitTarget } from './status-table.js';

/** What the page reads, and nothing else: it starts no refresh. */
export interface StatusSource {
  statusView(): StatusView;
  accountStatus(provider: string, account: string): AccountStatus | undefined;
}

interface StatusPage {
  status: 200 | 404;
  html: string;
}

export function statusPage(version: string, source: StatusSource, query: StatusQuery): StatusPage {
  if (query.account !== undefined) return accountPage(version, source, query.account);
  const view = source.statusView();
  if (query.organization !== undefined) return organizationPage(version, view, query);
  const { accounts, organizations, now } = view;
  const { up } = countByHealth(accounts);
  const heading =
    accounts.length === 0
      ? organizations.length === 0
        ? 'No accounts configured.'
        : 'No accounts yet: the organizations below have not been listed.'
      : overview(accounts);
  const body = `<p class="overview">${heading}</p>
${notices(query)}
${summaryTiles(accounts, {}, organizations)}
${organizationsTable(organizations, accounts, now)}
${accountsSection(accounts, query, now)}`;
  return { status: 200, html: document(version, `${up}/${accounts.length} up`, body, now) };
}

function accountPage(version: string, source: StatusSource, target: string): StatusPage {
  const [provider, account] = splitTarget(target);
  const status = provider === undefined || account === undefined ? undefined : source.accountStatus(provider, account);
  if (status === undefined) return notFound(version, `No account ${target}: it is not configured, or its organization no longer lists it.`);
  const back = status.member
    ? `<a href="./">all accounts</a> · <a href="${escapeHtml(linkTo({ organization: `${status.provider}/${status.member.organization}` }))}">the members of ${escapeHtml(status.member.organization)}</a>`
    : '<a href="./">all accounts</a>';
  return {
    status: 200,
    html: document(
      version,
      `${status.target} ${status.health.toUpperCase()}`,
      `<p class="back">← ${back}</p>\n${accountDetail(status)}`,
      status.readAt,
    ),
  };
}

function organizationPage(version: string, view: StatusView, query: StatusQuery): StatusPage {
  const [provider, name] = splitTarget(query.organization);
  const status = view.organizations.find((organization) => organization.provider === provider && organization.organization === name);
  if (status === undefined) return notFound(version, `No organization ${query.organization ?? ''}: it is not configured.`);
  const members = membersOf(view.accounts, status);
  const scope = { organization: `${status.provider}/${status.organization}` };
  const body = `<p class="back">← <a href="./">all accounts</a></p>
${notices(query)}
${organizationDetail(status, membersText(status, members), view.now)}
${members.length === 0 ? '' : summaryTiles(members, scope)}
${members.length === 0 ? '' : accountsSection(members, query, view.now)}`;
  return { status: 200, html: document(version, `${status.provider}/${status.organization}`, body, view.now) };
}

function notFound(version: string, message: string): StatusPage {
  return {
    status: 404,
    html: document(version, 'not found', `<p class="notice">${escapeHtml(message)}</p>\n<p><a href="./">All accounts</a></p>`, Date.now()),
  };
}

function notices(query: StatusQuery): string {
  return query.notices.map((notice) => `<p class="notice">${escapeHtml(notice)}</p>`).join('\n');
}

function document(version: string, title: string, body: string, now: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cloudscan-exporter: ${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1><a href="./">cloudscan-exporter ${escapeHtml(version)}</a></h1>
<nav><a href="metrics">/metrics</a><a href="-/healthy">/-/healthy</a><a href="-/ready">/-/ready</a><span>/probe?target=&lt;provider&gt;/&lt;account&gt;[&amp;debug=true]</span></nav>
</header>
<main>
${body}
</main>
<footer>As of ${escapeHtml(utc(now))}. Viewing this page makes no cloud call; reload it for fresh figures.</footer>
</body>
</html>
`;
}
