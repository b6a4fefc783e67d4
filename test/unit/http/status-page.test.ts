// The status page from plain data, without a server: which accounts a query asks for and in what order,
// the pages, the links that keep the filters, what a query it does not understand says, and that every
// value from a configuration file or a cloud is escaped. (The browser test looks at it as a person does.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccountRow, AccountStatus, OrganizationStatus, StatusView } from '../../../src/exporter/status.js';
import { statusPage, type StatusSource } from '../../../src/http/status-page.js';
import { parseStatusQuery } from '../../../src/http/status-query.js';
import { PAGE_SIZE, selectAccounts } from '../../../src/http/status-table.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const MARKUP = `<script>alert(1)</script><b x="y">&amp;</b>'`;

function row(target: string, health: AccountRow['health'], extra: Partial<AccountRow> = {}): AccountRow {
  const [provider, account] = target.split('/') as [string, string];
  return {
    target,
    provider,
    account,
    health,
    dataStale: health === 'stale',
    permissionsMissing: [],
    ...(health === 'pending' ? {} : { dataTakenAt: NOW - 30_000 }),
    ...extra,
  };
}

function organization(provider: string, name: string, extra: Partial<OrganizationStatus> = {}): OrganizationStatus {
  return {
    provider,
    organization: name,
    up: true,
    refreshIntervalSeconds: 300,
    lastSuccessAt: NOW - 60_000,
    members: 0,
    listed: 0,
    skipped: [],
    principalCalls: [],
    ...extra,
  };
}

function source(accounts: AccountRow[], organizations: OrganizationStatus[] = [], detail?: AccountStatus): StatusSource {
  const view: StatusView = { now: NOW, accounts, organizations };
  return {
    statusView: () => view,
    accountStatus: (provider, account) => (detail && detail.provider === provider && detail.account === account ? detail : undefined),
  };
}

const page = (from: StatusSource, query: Record<string, string> = {}) => statusPage('1.0', from, parseStatusQuery(query));
const targets = (html: string) => [...html.matchAll(/<tr class="\w+" data-target="([^"]*)"/g)].map((match) => match[1]);

describe('the query', () => {
  test('takes the first of a repeated parameter, trims and bounds the text, and names what it does not understand', () => {
    const query = parseStatusQuery({ provider: ['tencent', 'alibaba'], q: `  ${'x'.repeat(500)} `, state: 'sideways', page: '0' });
    assert.equal(query.provider, 'tencent');
    assert.equal(query.text, 'x'.repeat(200));
    assert.equal(query.state, undefined);
    assert.equal(query.page, 1);
    assert.deepEqual(query.notices, [
      'state=sideways is not one of not-up, down, stale, pending, up: every state is shown.',
      'page=0 is not a page number: the first page is shown.',
    ]);
    assert.deepEqual(parseStatusQuery({ state: 'not-up', page: '3', account: 'tencent/prod' }), {
      page: 3,
      state: 'not-up',
      account: 'tencent/prod',
      notices: [],
    });
  });
});

describe('the accounts asked for', () => {
  const rows = [
    row('tencent/a', 'up'),
    row('tencent/b', 'down', {
      lastError: { action: 'DescribeScanState', code: 'AuthFailure.SignatureFailure', kind: 'auth', message: 'The key is wrong' },
    }),
    row('alibaba/c', 'pending'),
    row('alibaba/d', 'stale', { member: { name: 'Payments', organization: 'acme-rd' } }),
    row('alibaba/e', 'down', {
      lastError: { action: 'DescribeCloudCenterInstances', code: 'Throttling.User', kind: 'throttled', message: 'slow down' },
    }),
  ];

  test('are failing first: down, stale, pending, then up, each in the order given', () => {
    assert.deepEqual(
      selectAccounts(rows, {}).map((r) => r.target),
      ['tencent/b', 'alibaba/e', 'alibaba/d', 'alibaba/c', 'tencent/a'],
    );
  });

  test('are filtered by provider, state (not-up is all but up), organization, and text without case in names, codes and messages', () => {
    const pick = (filters: Parameters<typeof selectAccounts>[1]) => selectAccounts(rows, filters).map((r) => r.target);
    assert.deepEqual(pick({ provider: 'alibaba' }), ['alibaba/e', 'alibaba/d', 'alibaba/c']);
    assert.deepEqual(pick({ state: 'not-up' }), ['tencent/b', 'alibaba/e', 'alibaba/d', 'alibaba/c']);
    assert.deepEqual(pick({ state: 'stale' }), ['alibaba/d']);
    assert.deepEqual(pick({ organization: 'alibaba/acme-rd' }), ['alibaba/d']);
    assert.deepEqual(pick({ organization: 'tencent/acme-rd' }), [], 'an organization is of one provider');
    assert.deepEqual(pick({ text: 'PAYMENTS' }), ['alibaba/d']);
    assert.deepEqual(pick({ text: 'throttling' }), ['alibaba/e']);
    assert.deepEqual(pick({ text: 'key is wrong' }), ['tencent/b']);
    assert.deepEqual(pick({ provider: 'alibaba', state: 'down', text: 'slow' }), ['alibaba/e']);
  });
});

describe('the page of accounts', () => {
  const many = Array.from({ length: 250 }, (_, i) => row(`tencent/${String(i).padStart(3, '0')}`, i % 50 === 7 ? 'down' : 'up'));

  test(`shows ${PAGE_SIZE} accounts a page, failing first, with links to the others that keep the filters`, () => {
    const first = page(source(many)).html;
    assert.equal(targets(first).length, PAGE_SIZE);
    assert.deepEqual(targets(first).slice(0, 6), [
      'tencent/007',
      'tencent/057',
      'tencent/107',
      'tencent/157',
      'tencent/207',
      'tencent/000',
    ]);
    assert.match(
      first,
      /Page 1 of 3 \(100 accounts a page\): <strong>1<\/strong> <a href="\?page=2">2<\/a> <a href="\?page=3">3<\/a> <a href="\?page=2" rel="next">next ›<\/a>/,
    );
    const third = page(source(many), { page: '3' }).html;
    assert.equal(targets(third).length, 50);
    assert.match(third, /<caption>201–250 of 250 accounts, failing first<\/caption>/);
    assert.deepEqual(targets(page(source(many), { page: '9' }).html), targets(third), 'a page past the last shows the last');
    const filtered = page(source(many), { state: 'up', q: 'tencent/1', page: '1' }).html;
    assert.match(filtered, /<caption>1–98 of 98 accounts matching, of 250, failing first<\/caption>/);
    const up = page(source(many), { state: 'up' }).html;
    assert.match(up, /<a href="\?state=up&amp;page=2" rel="next">/);
  });

  test('counts accounts by state, and the servers missed and uncovered, at the top; says so when no account matches', () => {
    const rows = [
      row('tencent/a', 'up', { serversMissed: 3, serversUncovered: 0 }),
      row('alibaba/b', 'down', { serversMissed: 2, serversUncovered: 4 }),
      row('alibaba/c', 'pending'),
    ];
    const html = page(source(rows)).html;
    assert.match(
      html,
      /<p class="overview">3 accounts: <span class="up">1 up<\/span>, <span class="down">1 down<\/span>, <span class="pending">1 waiting for a first refresh<\/span><\/p>/,
    );
    assert.match(html, /<li class="down"><a href="\?state=down#accounts"><strong>1<\/strong>down<\/a><\/li>/);
    assert.match(html, /servers missed <strong>5<\/strong>on 2 accounts/);
    assert.match(html, /servers uncovered <strong>4<\/strong>on 1 account</);
    assert.match(page(source(rows), { q: 'nothing like it' }).html, /<p class="none">No account matches these filters\.<\/p>/);
    assert.match(page(source([])).html, /<p class="overview">No accounts configured\.<\/p>/);
  });

  test('escapes every value from a configuration file or a cloud, and what the query says', () => {
    const hostile = row(`alibaba/${MARKUP}`, 'down', {
      member: { name: MARKUP, organization: MARKUP },
      lastError: { action: MARKUP, code: MARKUP, kind: MARKUP, message: MARKUP, requestId: MARKUP },
    });
    const html = page(
      source(
        [hostile],
        [organization('alibaba', MARKUP, { up: false, lastError: { action: MARKUP, code: MARKUP, kind: 'auth', message: MARKUP } })],
      ),
      {
        q: MARKUP,
        state: MARKUP,
      },
    ).html;
    const body = html.slice(html.indexOf('<body>'));
    assert.equal(body.includes('<script>'), false);
    assert.equal(body.includes('<b x='), false);
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b x=&quot;y&quot;&gt;&amp;amp;&lt;/b&gt;&#39;'));
    assert.ok(
      body.includes(`value="${'&lt;script&gt;alert(1)&lt;/script&gt;&lt;b x=&quot;y&quot;&gt;&amp;amp;&lt;/b&gt;&#39;'}"`),
      'the text filter, given back',
    );
    assert.match(body, /<a href="\?account=alibaba%2F%3Cscript%3Ealert%281%29%3C%2Fscript%3E%3Cb\+x%3D%22y%22%3E%26amp%3B%3C%2Fb%3E%27">/);
  });
});

describe("an account's or an organization's own page", () => {
  const detail: AccountStatus = {
    ...row('alibaba/shop', 'down', {
      dataStale: true,
      dataTakenAt: NOW - 20 * 60_000,
      lastSuccessAt: NOW - 20 * 60_000,
      failingSince: NOW - 5 * 60_000,
      lastError: {
        action: 'DescribeCloudCenterInstances',
        code: 'InvalidAccessKeyId.Inactive',
        kind: 'auth',
        message: 'disabled',
        requestId: 'REQ-1',
      },
    }),
    readAt: NOW,
    up: false,
    callsLastMinute: { total: 0 },
    rateLimit: 10,
    capacity: { text: 'alibaba/shop: 3 call(s) per refresh', keepsUp: true },
    summary: {
      tables: [
        {
          title: 'Subtasks',
          rows: [
            { label: 'complete', value: '9', tone: 'good' },
            { label: 'failed', value: '1', tone: 'bad' },
          ],
        },
      ],
    },
  };

  test('of an account that is down shows its last good figures as not current, none in a healthy colour', () => {
    const { status, html } = page(source([detail], [], detail), { account: 'alibaba/shop' });
    assert.equal(status, 200);
    assert.match(html, /<title>cloudscan-exporter: alibaba\/shop DOWN<\/title>/);
    assert.match(
      html,
      /<dd data-fact="data age">20 min old <span class="stale-mark">stale<\/span> \(taken 2026-12-01 11:40:00 UTC\); last full success 20 min ago<\/dd>/,
    );
    assert.match(
      html,
      /request id <code class="request-id">REQ-1<\/code><br><small>disabled<\/small><br>failing for 5 min \(since 2026-12-01 11:55:00 UTC\)/,
    );
    assert.match(html, /<dd data-fact="what to do">Check its credentials and their policy/);
    assert.match(html, /<p class="notice">Not current: its last refresh failed, and these figures were taken 20 min ago/);
    assert.match(html, /<td class="label">complete<\/td><td class="idle">9<\/td>/);
    assert.doesNotMatch(html, /<td class="(good|busy|bad)">/);
    const up = page(source([], [], { ...detail, health: 'up', dataStale: false, up: true }), { account: 'alibaba/shop' }).html;
    assert.match(up, /<td class="label">complete<\/td><td class="good">9<\/td>/, 'an account that is up in its colours');
  });

  test('of an account or organization that is not there is a 404 that says so', () => {
    const missing = page(source([]), { account: 'tencent/gone' });
    assert.equal(missing.status, 404);
    assert.match(missing.html, /No account tencent\/gone: it is not configured, or its organization no longer lists it\./);
    const noOrganization = page(source([]), { organization: 'tencent/acme' });
    assert.equal(noOrganization.status, 404);
  });

  test("of an organization gives its listing, the members it does not read and what to do, and its members' table", () => {
    const acme = organization('tencent', 'acme', {
      members: 2,
      listed: 4,
      skipped: [
        { reason: 'invalid_id', count: 1, first: [{ id: 'x1', name: 'odd', detail: 'MemberUin "x1"' }] },
        { reason: 'excluded', count: 1, first: [{ id: '300000000009', name: 'lab', detail: 'exclude' }] },
      ],
    });
    const rows = [
      row('tencent/300000000001', 'up', { member: { name: 'team-1', organization: 'acme' } }),
      row('tencent/300000000002', 'down', { member: { name: 'team-2', organization: 'acme' } }),
      row('tencent/prod', 'up'),
    ];
    const html = page(source(rows, [acme]), { organization: 'tencent/acme' }).html;
    assert.match(html, /<dd data-fact="members">2 of 4 listed: 1 up, 1 down<\/dd>/);
    assert.match(
      html,
      /<div class="skipped" data-reason="invalid_id"><h3>1 not read: an id that is not an account id<\/h3><ul><li>x1 \(odd\): MemberUin &quot;x1&quot;<\/li><\/ul><\/div>/,
    );
    assert.doesNotMatch(html, /data-reason="excluded"/, 'members left out on purpose are not a problem');
    assert.deepEqual(targets(html), ['tencent/300000000002', 'tencent/300000000001']);
    assert.match(html, /<input type="hidden" name="organization" value="tencent\/acme">/);
    const main = page(source(rows, [acme])).html;
    assert.match(
      main,
      /<td><a href="\?organization=tencent%2Facme">tencent\/acme<\/a><\/td>\n<td>2 of 4 listed: 1 up, 1 down<\/td>\n<td>1 invalid id<\/td>/,
    );
  });
});
