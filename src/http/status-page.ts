// The page at `/`: every account at a glance, as a person on call reads it. Plain HTML and CSS from
// the exporter itself (no script, no external asset: it works offline and under a strict CSP). It
// names no cloud: each account's scan summary is plain data from its provider (sources/<cloud>/status.ts),
// rendered here the same for every cloud. Every value is escaped: account names, error messages and
// request ids come from configuration files and clouds.
import { createHash } from 'node:crypto';
import type { FailingList, ScanSummary, SummaryTone } from '../contract/scan-summary.js';
import { MEMBER_CARDS, type AccountStatus, type OrganizationStatus, type StatusView } from '../exporter/status.js';

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root { color-scheme: light; --good: #1a7f37; --bad: #cf222e; --busy: #0969da; --idle: #6e7781; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1f2328; background: #fff; }
header { padding: 16px 24px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 2px 0; }
nav a { margin-right: 14px; }
.overview { font-size: 17px; font-weight: 600; }
.overview .up { color: var(--good); } .overview .down { color: var(--bad); } .overview .pending { color: var(--idle); }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); align-items: start; gap: 16px; padding: 16px 24px; }
.account { border: 1px solid var(--line); border-left: 6px solid var(--idle); border-radius: 6px; padding: 12px 16px; min-width: 0; }
.account.up { border-left-color: var(--good); } .account.down { border-left-color: var(--bad); }
.account h2 { margin: 0 0 8px; font-size: 17px; overflow-wrap: anywhere; }
.badge { display: inline-block; min-width: 4.2em; padding: 1px 8px; margin-right: 8px; border-radius: 10px; color: #fff; font-size: 13px; text-align: center; vertical-align: 2px; }
.badge.up { background: var(--good); } .badge.down { background: var(--bad); } .badge.pending { background: var(--idle); }
dl { display: grid; grid-template-columns: 9.5em 1fr; gap: 3px 12px; margin: 0 0 10px; }
dt { color: var(--idle); } dd { margin: 0; overflow-wrap: anywhere; }
.error { color: var(--bad); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft); padding: 0 3px; border-radius: 3px; }
progress, meter { width: 120px; height: 10px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding-bottom: 2px; }
td { padding: 2px 6px; border-top: 1px solid var(--soft); overflow-wrap: anywhere; }
td.label { width: 45%; }
td.good { color: var(--good); } td.bad { color: var(--bad); font-weight: 600; } td.busy { color: var(--busy); } td.idle { color: var(--idle); }
.failing h3, .attention h3 { margin: 4px 0; font-size: 14px; color: var(--bad); }
.failing ul, .attention ul { margin: 0; padding-left: 20px; font-size: 14px; }
.links { margin: 6px 0 0; font-size: 14px; }
.links a { margin-right: 12px; }
footer { padding: 4px 24px 16px; color: var(--idle); font-size: 13px; }
.organizations { padding: 16px 24px 0; }
.organizations h2 { margin: 0 0 8px; font-size: 18px; }
.organization { border: 1px solid var(--line); border-left: 6px solid var(--idle); border-radius: 6px; padding: 12px 16px; margin-bottom: 12px; }
.organization.up { border-left-color: var(--good); } .organization.down { border-left-color: var(--bad); }
.organization h3 { margin: 0 0 8px; font-size: 16px; overflow-wrap: anywhere; }
.skipped h4 { margin: 6px 0 2px; font-size: 14px; }
.skipped p { margin: 0 0 2px; font-size: 14px; }
.skipped ul { margin: 0 0 6px; padding-left: 20px; font-size: 14px; }
`;

/** The Content-Security-Policy of the page: its own stylesheet and nothing else, no script at all. */
export const STATUS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function statusPage(version: string, view: StatusView, now: number): string {
  const { accounts: total, up, down, pending } = view.totals;
  const { accounts } = view;
  const overview =
    total === 0
      ? view.organizations.length === 0
        ? 'No accounts configured.'
        : 'No accounts yet: the organizations below have not been listed.'
      : `${total} account${total === 1 ? '' : 's'}: <span class="up">${up} up</span>, ` +
        `<span class="down">${down} down</span>${pending > 0 ? `, <span class="pending">${pending} waiting for a first refresh</span>` : ''}` +
        (accounts.length < total ? ` (${accounts.length} shown below)` : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cloudscan-exporter: ${up}/${total} up</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>cloudscan-exporter ${escapeHtml(version)}</h1>
<p class="overview">${overview}</p>
<nav><a href="metrics">/metrics</a><a href="-/healthy">/-/healthy</a><a href="-/ready">/-/ready</a><span>/probe?target=&lt;provider&gt;/&lt;account&gt;[&amp;debug=true]</span></nav>
</header>
${view.organizations.length > 0 ? organizationsSection(view.organizations, now) : ''}
<main>
${accounts.map((account) => accountCard(account, now)).join('\n')}
</main>
<footer>As of ${escapeHtml(utc(now))}. Viewing this page makes no cloud call; reload it for fresh figures.</footer>
</body>
</html>
`;
}

function accountCard(status: AccountStatus, now: number): string {
  const state = status.up ? 'up' : status.lastError === undefined ? 'pending' : 'down';
  const badge = { up: 'UP', down: 'DOWN', pending: 'PENDING' }[state];
  const probe = `probe?target=${encodeURIComponent(status.target)}`;
  const facts: Array<[string, string]> = [
    ['Provider', escapeHtml(status.provider)],
    ...(status.member
      ? ([['Member', `${escapeHtml(status.member.name || '(no name)')} of organization ${escapeHtml(status.member.organization)}`]] as Array<[string, string]>)
      : []),
    ['Data age', dataAge(status, now)],
    ['Refresh', refresh(status, now)],
    ['Calls/min', callRate(status)],
    ['Last error', lastError(status)],
    ...(status.featuresOff ? ([['Left out', featuresOff(status.featuresOff, now)]] as Array<[string, string]>) : []),
    ['Capacity', `${status.capacity.keepsUp === false ? '<strong class="error">refresh cannot keep up</strong> ' : ''}<small>${escapeHtml(status.capacity.text)}</small>`],
  ];
  return `<section class="account ${state}" data-target="${escapeHtml(status.target)}" data-state="${state}">
<h2><span class="badge ${state}">${badge}</span>${escapeHtml(status.target)}</h2>
<dl>
${facts.map(([term, value]) => `<dt>${term}</dt><dd data-fact="${term.toLowerCase()}">${value}</dd>`).join('\n')}
</dl>
${status.summary ? summary(status.summary) : ''}
<p class="links"><a href="${probe}">series</a><a href="${probe}&amp;debug=true">debug log of the last refresh</a></p>
</section>`;
}

/** Each organization: its listing, its members by state, and those it does not read, with what to do. */
function organizationsSection(organizations: readonly OrganizationStatus[], now: number): string {
  return `<section class="organizations">
<h2>Organizations</h2>
${organizations.map((organization) => organizationCard(organization, now)).join('\n')}
</section>`;
}

function organizationCard(status: OrganizationStatus, now: number): string {
  const target = `${status.provider}/${status.organization}`;
  const state = status.up ? 'up' : status.lastError === undefined ? 'pending' : 'down';
  const badge = { up: 'LISTED', down: 'FAILING', pending: 'PENDING' }[state];
  const { up, down, pending } = status.memberStates;
  const members =
    status.members === undefined
      ? 'none yet: members become accounts once a listing succeeds'
      : `${status.members} read as accounts (${up} up, ${down} down${pending > 0 ? `, ${pending} waiting for a first refresh` : ''}) of ${status.listed ?? status.members} listed` +
        (status.members > MEMBER_CARDS ? `; ${MEMBER_CARDS} of them shown below, those not up first` : '');
  const listing = [
    status.lastSuccessAt === undefined ? 'no good listing yet' : `last good listing ${duration((now - status.lastSuccessAt) / 1000)} ago`,
    `listed every ${duration(status.refreshIntervalSeconds)}`,
  ].join('; ');
  const error = status.lastError;
  const facts: Array<[string, string]> = [
    ['Members', escapeHtml(members)],
    ['Listing', escapeHtml(listing)],
    [
      'Last error',
      error
        ? `<span class="error"><code class="code">${escapeHtml(error.code)}</code> in ${escapeHtml(error.action)}</span>, request id ${
            error.requestId === undefined ? 'none' : `<code class="request-id">${escapeHtml(error.requestId)}</code>`
          }<br><small>${escapeHtml(error.message)}</small>`
        : 'none',
    ],
    ['Calls/min', principalCalls(status)],
  ];
  const skipped = status.skipped.filter((group) => group.count > 0 && group.reason !== 'excluded');
  return `<section class="organization ${state}" data-organization="${escapeHtml(target)}" data-state="${state}">
<h3><span class="badge ${state}">${badge}</span>${escapeHtml(target)}</h3>
<dl>
${facts.map(([term, value]) => `<dt>${term}</dt><dd data-fact="${term.toLowerCase()}">${value}</dd>`).join('\n')}
</dl>
${skipped.map((group) => skippedGroup(group)).join('\n')}
</section>`;
}

const SKIP_TITLES: Record<string, string> = {
  inactive: 'not read: their account does not exist',
  not_monitored: "not read: not in Security Center's multi-account management",
  invalid_id: 'not read: an id that is not an account id',
};

function skippedGroup(group: OrganizationStatus['skipped'][number]): string {
  const more = group.count - group.first.length;
  return `<div class="skipped" data-reason="${escapeHtml(group.reason)}"><h4>${group.count} ${escapeHtml(SKIP_TITLES[group.reason] ?? group.reason)}</h4>${
    group.fix === undefined ? '' : `<p>${escapeHtml(group.fix)}</p>`
  }<ul>${group.first
    .map((member) => `<li>${escapeHtml(member.id)}${member.name === '' ? '' : ` (${escapeHtml(member.name)})`}: ${escapeHtml(member.detail)}</li>`)
    .join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul></div>`;
}

/** The management principal's busiest action in the last minute, against its limit: every member's calls it signs count. */
function principalCalls(status: OrganizationStatus): string {
  const busiest = status.principalCalls[0];
  if (!busiest || busiest.calls === 0) return 'the management credentials made no call in the last minute';
  const limit = busiest.ratePerSecond * 60;
  const ratio = limit > 0 ? busiest.calls / limit : 0;
  const total = status.principalCalls.reduce((sum, action) => sum + action.calls, 0);
  return (
    `${total} by the management credentials in the last minute (listing, and what they sign for the members); busiest ` +
    `${escapeHtml(busiest.action)} ${busiest.calls} of ${Number(limit.toFixed(1))}/min (${percentText(ratio)} of its limit) ${rateMeter(ratio)}`
  );
}

function dataAge(status: AccountStatus, now: number): string {
  if (status.dataTakenAt === undefined) return 'no data to serve yet';
  const taken = `${duration((now - status.dataTakenAt) / 1000)} old (taken ${escapeHtml(utc(status.dataTakenAt))})`;
  if (status.lastSuccessAt === undefined) return `${taken}; no refresh has fully succeeded yet`;
  if (status.lastSuccessAt === status.dataTakenAt) return taken;
  return `${taken}; last full success ${duration((now - status.lastSuccessAt) / 1000)} ago`;
}

function refresh(status: AccountStatus, now: number): string {
  const last = status.lastDurationSeconds === undefined ? '' : `; the last took ${duration(status.lastDurationSeconds)}`;
  if (status.refresh) {
    const { done, total, startedAt } = status.refresh;
    const running = `running for ${duration((now - startedAt) / 1000)}`;
    if (total === 0) return `${running}, counting its items${last}`;
    const ratio = Math.min(1, done / total);
    return `${running}: ${done} of ${total} items (${Math.floor(ratio * 100)}%) ${progressBar(ratio)}${last}`;
  }
  if (status.lastDurationSeconds === undefined) return 'not run yet (the first scrape starts it)';
  return `idle${last}`;
}

function callRate(status: AccountStatus): string {
  const { total, busiest } = status.callsLastMinute;
  const limit = status.rateLimit * 60;
  if (!busiest || total === 0) return `0 in the last minute (rate limit ${limit}/min per action)`;
  const ratio = busiest.calls / limit;
  return (
    `${total} in the last minute; busiest ${escapeHtml(busiest.action)} ${busiest.calls} of ${limit}/min ` +
    `(${percentText(ratio)} of its rate limit) ${rateMeter(ratio)}`
  );
}

function lastError(status: AccountStatus): string {
  const error = status.lastError;
  if (!error) return 'none';
  return (
    `<span class="error"><code class="code">${escapeHtml(error.code)}</code> in ${escapeHtml(error.action)}</span>` +
    `, request id ${error.requestId === undefined ? 'none (no answer from the cloud)' : `<code class="request-id">${escapeHtml(error.requestId)}</code>`}` +
    `<br><small>${escapeHtml(error.message)}</small>`
  );
}

/** The parts of the account's data off for lack of permission, each with the permission to add. */
function featuresOff(features: NonNullable<AccountStatus['featuresOff']>, now: number): string {
  return features
    .map(
      (feature) =>
        `<span class="error">${escapeHtml(feature.feature)}</span>: <code class="code">${escapeHtml(feature.code)}</code> in ${escapeHtml(feature.action)} ` +
        `since ${escapeHtml(utc(feature.since))}; add <code class="permission">${escapeHtml(feature.permission)}</code> to the policy ` +
        `<small>(tried again in ${duration(Math.max(0, feature.retryAt - now) / 1000)})</small>`,
    )
    .join('<br>');
}

function summary({ tables, attention, failing }: ScanSummary): string {
  const rendered = tables.map(
    (table) =>
      `<table><caption>${escapeHtml(table.title)}</caption>${table.rows
        .map((row) => `<tr><td class="label">${escapeHtml(row.label)}</td><td class="${tone(row.tone)}">${escapeHtml(row.value)}</td></tr>`)
        .join('')}</table>`,
  );
  for (const list of attention ?? []) rendered.push(...serverList(list, 'attention'));
  if (failing) rendered.push(...serverList(failing, 'failing'));
  return rendered.join('\n');
}

/** A list of servers: its title and count, the first ones by name, how many more; or that there are none. */
function serverList(list: FailingList, className: 'attention' | 'failing'): string[] {
  if (list.total === 0) return [`<p class="${className}-none">${escapeHtml(list.title)}: none</p>`];
  const more = list.total - list.first.length;
  return [
    `<div class="${className}"><h3>${escapeHtml(list.title)}: ${list.total}</h3><ul>${list.first
      .map((item) => `<li>${escapeHtml(item.name)}: ${escapeHtml(item.detail)}</li>`)
      .join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul></div>`,
  ];
}

function tone(value: SummaryTone): string {
  return ['good', 'bad', 'busy', 'idle'].includes(value) ? value : 'idle';
}

/** Native elements, drawn by the browser: a style attribute would need 'unsafe-inline' in the CSP. */
function progressBar(ratio: number): string {
  return `<progress max="1" value="${Math.max(0, Math.min(1, ratio)).toFixed(3)}"></progress>`;
}

function rateMeter(ratio: number): string {
  return `<meter min="0" max="1" low="0.7" high="0.9" optimum="0" value="${Math.max(0, Math.min(1, ratio)).toFixed(3)}"></meter>`;
}

function duration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${Number(s.toFixed(1))} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

function utc(unixMs: number): string {
  return `${new Date(unixMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "<1%" rather than a 0% that reads as idle. */
function percentText(ratio: number): string {
  return ratio > 0 && ratio < 0.005 ? '<1%' : `${Math.round(ratio * 100)}%`;
}
