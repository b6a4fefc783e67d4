// One account's own page (`?account=<provider>/<account>`): its data age, refresh, calls, last error
// with its request id and what to do, the parts left out, its capacity, and its cloud's scan summary
// (not in healthy colours when it is not current); and one organization's facts
// (`?organization=<provider>/<name>`): its listing, the management credentials' calls, the members it
// does not read and why. Every value escaped.
import type { FailingList, ScanSummary, SummaryTone } from '../contract/scan-summary.js';
import type { AccountStatus, OrganizationStatus } from '../exporter/status.js';
import { accountAction, errorAction } from './status-actions.js';
import { age, badge, duration, escapeHtml, percentText, progressBar, rateMeter, utc } from './status-format.js';
import { linkTo } from './status-query.js';
import { listingState } from './status-summary.js';

type Facts = Array<[term: string, html: string]>;

function factList(facts: Facts): string {
  return `<dl>
${facts.map(([term, value]) => `<dt>${term}</dt><dd data-fact="${term.toLowerCase()}">${value}</dd>`).join('\n')}
</dl>`;
}

export function accountDetail(status: AccountStatus): string {
  const now = status.readAt;
  const probe = `probe?target=${encodeURIComponent(status.target)}`;
  const todo = accountAction(status);
  const member = status.member;
  const facts: Facts = [
    ['Provider', escapeHtml(status.provider)],
    ...(member
      ? ([
          [
            'Member',
            `${escapeHtml(member.name || '(no name)')} of organization <a href="${escapeHtml(linkTo({ organization: `${status.provider}/${member.organization}` }))}">${escapeHtml(member.organization)}</a>`,
          ],
        ] as Facts)
      : []),
    ['Data age', dataAge(status, now)],
    ['Refresh', refresh(status, now)],
    ['Calls/min', callRate(status)],
    ['Last error', lastError(status, now)],
    ...(todo === '' ? [] : ([['What to do', escapeHtml(todo)]] as Facts)),
    ...(status.featuresOff ? ([['Left out', featuresOff(status.featuresOff, now)]] as Facts) : []),
    [
      'Capacity',
      `${status.capacity.keepsUp === false ? '<strong class="error">refresh cannot keep up</strong> ' : ''}<small>${escapeHtml(status.capacity.text)}</small>`,
    ],
  ];
  return `<section class="account ${status.health}" data-target="${escapeHtml(status.target)}" data-state="${status.health}">
<h2>${badge(status.health)} ${escapeHtml(status.target)}</h2>
${factList(facts)}
${status.summary ? scans(status.summary, status, now) : ''}
<p class="links"><a href="${probe}">series</a><a href="${probe}&amp;debug=true">debug log of the last refresh</a></p>
</section>`;
}

function dataAge(status: AccountStatus, now: number): string {
  if (status.dataTakenAt === undefined) return 'no data to serve yet';
  const stale = status.dataStale ? ' <span class="stale-mark">stale</span>' : '';
  const taken = `${age(status.dataTakenAt, now)} old${stale} (taken ${escapeHtml(utc(status.dataTakenAt))})`;
  if (status.lastSuccessAt === undefined) return `${taken}; no refresh has fully succeeded yet`;
  if (status.up) return taken;
  return `${taken}; last full success ${age(status.lastSuccessAt, now)} ago`;
}

function refresh(status: AccountStatus, now: number): string {
  const last = status.lastDurationSeconds === undefined ? '' : `; the last took ${duration(status.lastDurationSeconds)}`;
  if (status.refresh) {
    const { done, total, startedAt } = status.refresh;
    const running = `running for ${age(startedAt, now)}`;
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

function lastError(status: AccountStatus, now: number): string {
  const error = status.lastError;
  if (!error) return 'none';
  const since =
    status.failingSince === undefined
      ? ''
      : `<br>failing for ${age(status.failingSince, now)} (since ${escapeHtml(utc(status.failingSince))})`;
  return (
    `<span class="error"><code class="code">${escapeHtml(error.code)}</code> in ${escapeHtml(error.action)}</span>` +
    `, request id ${error.requestId === undefined ? 'none (no answer from the cloud)' : `<code class="request-id">${escapeHtml(error.requestId)}</code>`}` +
    `<br><small>${escapeHtml(error.message)}</small>${since}`
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

/**
 * The cloud's summary of the account's scans. When the account is not up, or its data is stale, the
 * figures are not current: they are said to be so, and none is shown in a healthy colour.
 */
function scans({ tables, attention, failing }: ScanSummary, status: AccountStatus, now: number): string {
  const current = status.health === 'up';
  const rendered = tables.map(
    (table) =>
      `<table><caption>${escapeHtml(table.title)}</caption>${table.rows
        .map(
          (row) =>
            `<tr><td class="label">${escapeHtml(row.label)}</td><td class="${current ? tone(row.tone) : 'idle'}">${escapeHtml(row.value)}</td></tr>`,
        )
        .join('')}</table>`,
  );
  for (const list of attention ?? []) rendered.push(serverList(list, 'attention'));
  if (failing) rendered.push(serverList(failing, 'failing'));
  const note =
    current || status.dataTakenAt === undefined
      ? ''
      : `<p class="notice">Not current: ${status.health === 'down' ? 'its last refresh failed, and ' : ''}these figures were taken ${age(status.dataTakenAt, now)} ago (${escapeHtml(utc(status.dataTakenAt))}).</p>`;
  return `<section class="scans-of${current ? '' : ' not-current'}">${note}<div class="scans">
${rendered.join('\n')}
</div></section>`;
}

/** A list of servers: its title and count, the first ones by name, how many more; or that there are none. */
function serverList(list: FailingList, className: 'attention' | 'failing'): string {
  if (list.total === 0) return `<p class="${className}-none">${escapeHtml(list.title)}: none</p>`;
  const more = list.total - list.first.length;
  return `<div class="${className}"><h3>${escapeHtml(list.title)}: ${list.total}</h3><ul>${list.first
    .map((item) => `<li>${escapeHtml(item.name)}: ${escapeHtml(item.detail)}</li>`)
    .join('')}${more > 0 ? `<li>and ${more} more</li>` : ''}</ul></div>`;
}

function tone(value: SummaryTone): string {
  return ['good', 'bad', 'busy', 'idle'].includes(value) ? value : 'idle';
}

/** An organization's listing, its management credentials' calls and the members it does not read, with what to do. */
export function organizationDetail(status: OrganizationStatus, members: string, now: number): string {
  const target = `${status.provider}/${status.organization}`;
  const { health, word } = listingState(status);
  const listing = [
    status.lastSuccessAt === undefined ? 'no good listing yet' : `last good listing ${age(status.lastSuccessAt, now)} ago`,
    `listed every ${duration(status.refreshIntervalSeconds)}`,
  ].join('; ');
  const error = status.lastError;
  const facts: Facts = [
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
    ...(error ? ([['What to do', escapeHtml(errorAction(error.kind))]] as Facts) : []),
    ['Calls/min', principalCalls(status)],
  ];
  const skipped = status.skipped.filter((group) => group.count > 0 && group.reason !== 'excluded');
  return `<section class="organization ${health}" data-organization="${escapeHtml(target)}" data-state="${health}">
<h2><span class="badge ${health}">${word}</span> ${escapeHtml(target)}</h2>
${factList(facts)}
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
  return `<div class="skipped" data-reason="${escapeHtml(group.reason)}"><h3>${group.count} ${escapeHtml(SKIP_TITLES[group.reason] ?? group.reason)}</h3>${
    group.fix === undefined ? '' : `<p>${escapeHtml(group.fix)}</p>`
  }<ul>${group.first
    .map(
      (member) =>
        `<li>${escapeHtml(member.id)}${member.name === '' ? '' : ` (${escapeHtml(member.name)})`}: ${escapeHtml(member.detail)}</li>`,
    )
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
