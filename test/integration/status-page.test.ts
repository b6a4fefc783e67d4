// The status page at `/`, looked at in a real browser (Debian's chromium, headless) as a person on call
// would: which accounts are down or stale, found at the top whatever their number, with their error,
// its age and what to do; filters and pages that work without a script; each account's detail on its
// own page (data age, request id, calls, scans); and that markup in names and messages shows as text
// and never runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { fleetAccountId, fleetUin, startFleetScenario, type FleetScenario } from '../support/fleet-scenario.js';
import {
  HOSTILE_TEXT,
  SHOP_FAILING,
  SHOP_FAILURE_CODES,
  SHOP_FLEET_SIZE,
  SHOP_OFFLINE,
  startStatusScenario,
  type StatusScenario,
} from '../support/status-scenario.js';

const skip = browserSkipReason();
if (skip !== undefined) console.log(`# status page browser tests skipped: ${skip}`);

/** The badge colours of the page's stylesheet (#1a7f37, #cf222e, #9a6700): the CSP let the stylesheet apply. */
const GREEN = 'rgb(26, 127, 55)';
const RED = 'rgb(207, 34, 46)';
const AMBER = 'rgb(154, 103, 0)';
/** A laptop's screen: what is above the fold is seen without scrolling. */
const LAPTOP = { width: 1366, height: 768 };
/** Runs in the page, whose globals (window's) this file's types do not know. */
const BACKGROUND = (element: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor;
const COLOR = (element: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(element).color;

interface Looked {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors and page errors (a CSP violation is one). */
  errors: string[];
}

async function look(browser: Browser, url: string, viewport = { width: 1400, height: 1000 }): Promise<Looked> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(url);
  assert.equal(response?.status(), 200);
  return { page, requests, errors };
}

/** The line of one account in the table, found by its visible name. */
function row(page: Page, target: string) {
  return page.locator('table.accounts tbody tr').filter({ has: page.locator('td:nth-child(2) a', { hasText: target }) });
}

/** The targets of the table's lines, in order. */
async function targetsShown(page: Page): Promise<string[]> {
  return page.locator('table.accounts tbody tr td:nth-child(2) a').allInnerTexts();
}

async function fact(page: Page, name: string): Promise<string> {
  return (await page.locator(`dd[data-fact="${name}"]`).innerText()).trim();
}

describe('the status page in a browser', { skip }, () => {
  let browser: Browser;
  let scenario: StatusScenario;
  let looked: Looked;
  /** Each account's own page, opened by its link in the table. */
  const own = new Map<string, Looked>();

  before(async () => {
    browser = await launchBrowser();
    scenario = await startStatusScenario();
    await scenario.running.scrapeAfterRefresh();
    looked = await look(browser, `${scenario.running.url}/`);
    for (const target of ['tencent/prod', 'tencent/staging', 'alibaba/shop', 'alibaba/edge']) {
      const opened = await look(browser, `${scenario.running.url}/`);
      await row(opened.page, target).locator('a').click();
      await opened.page.waitForURL(/\?account=/);
      own.set(target, opened);
    }
  });

  after(async () => {
    await browser?.close();
    await scenario?.close();
  });

  test('says at the top how many accounts are up and down, and lists every account, those down first', async () => {
    const { page } = looked;
    assert.equal(await page.locator('.overview').innerText(), '4 accounts: 2 up, 2 down');
    assert.deepEqual(await targetsShown(page), ['tencent/staging', 'alibaba/edge', 'tencent/prod', 'alibaba/shop']);
    assert.equal(await page.locator('.tiles li.down strong').innerText(), '2');
    assert.equal(await page.locator('.tiles li.up strong').innerText(), '2');
  });

  test('an account that is up has a green UP badge in the table; its own page gives its provider, data age and an idle refresh', async () => {
    const badge = row(looked.page, 'tencent/prod').locator('.badge');
    assert.equal(await badge.innerText(), 'UP');
    assert.equal(await badge.evaluate(BACKGROUND), GREEN);
    assert.match(await row(looked.page, 'tencent/prod').locator('td:nth-child(4)').innerText(), /^data [\d.]+ s old$/);
    const { page } = own.get('tencent/prod')!;
    assert.equal(await page.locator('h2 .badge').innerText(), 'UP');
    assert.equal(await fact(page, 'provider'), 'tencent');
    assert.match(await fact(page, 'data age'), /^[\d.]+ s old \(taken \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
    assert.match(await fact(page, 'refresh'), /^idle; the last took [\d.]+ s$/);
    assert.equal(await fact(page, 'last error'), 'none');
  });

  test('an account with a rotated key is DOWN in red with its code, the age of its failure and what to do; its page gives the request id the cloud answered with', async () => {
    const line = row(looked.page, 'tencent/staging');
    assert.equal(await line.locator('.badge').innerText(), 'DOWN');
    assert.equal(await line.locator('.badge').evaluate(BACKGROUND), RED);
    assert.equal(await line.locator('.code').innerText(), 'AuthFailure.SignatureFailure');
    assert.match(await line.locator('td:nth-child(4)').innerText(), /^failing for [\d.]+ (s|min)\nno data to serve$/);
    assert.match(await line.locator('td:last-child').innerText(), /^Check its credentials and their policy: a rotated or wrong key/);
    const calls = scenario.emulator.calls.list({ provider: 'tencent', account: 'staging' });
    const requestId = calls.at(-1)?.requestId;
    assert.ok(requestId, 'the emulator answered with a request id');
    const { page } = own.get('tencent/staging')!;
    assert.equal(await page.locator('h2 .badge').evaluate(BACKGROUND), RED);
    const error = await fact(page, 'last error');
    assert.match(error, /^AuthFailure\.SignatureFailure in Describe\w+, request id /);
    assert.ok(error.includes(requestId), `${error} names ${requestId}`);
    assert.match(error, /failing for [\d.]+ (s|min) \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
    assert.equal(await page.locator('.request-id').innerText(), requestId);
    assert.equal(await fact(page, 'data age'), 'no data to serve yet');
    assert.match(await fact(page, 'what to do'), /^Check its credentials/);
  });

  test('a throttled account shows Throttling.User, and its page the request id of its last failed call', async () => {
    const calls = scenario.emulator.calls.list({ provider: 'alibaba', account: 'edge' });
    assert.ok(calls.length >= 2, 'the throttled call was retried');
    assert.equal(await row(looked.page, 'alibaba/edge').locator('.code').innerText(), 'Throttling.User');
    assert.match(
      await row(looked.page, 'alibaba/edge').locator('td:last-child').innerText(),
      /^The cloud throttles its calls: lower rate_limit/,
    );
    const { page } = own.get('alibaba/edge')!;
    assert.equal(await page.locator('.code').innerText(), 'Throttling.User');
    assert.equal(await page.locator('.request-id').innerText(), calls.at(-1)?.requestId);
  });

  test("the table counts each account's servers missed and uncovered; its page gives calls per minute against the rate limit", async () => {
    const shop = row(looked.page, 'alibaba/shop');
    assert.equal(await shop.locator('td:nth-child(5)').innerText(), String(SHOP_FAILING));
    assert.equal(await shop.locator('td:nth-child(6)').innerText(), String(SHOP_OFFLINE.length + 1));
    const { page } = own.get('alibaba/shop')!;
    const shopCalls = scenario.emulator.calls.count({ provider: 'alibaba', account: 'shop' });
    // alibabaAccount's rate_limit is 50/s: 3000 a minute per action.
    assert.match(
      await fact(page, 'calls/min'),
      new RegExp(`^${shopCalls} in the last minute; busiest DescribeVulCheckTaskStatusDetail 40 of 3000/min \\(1% of its rate limit\\)$`),
    );
    assert.equal(await page.locator('dd[data-fact="calls/min"] meter').isVisible(), true);
    assert.match(await fact(page, 'capacity'), /^alibaba\/shop: \d+ call\(s\) per refresh/);
  });

  test("CWP modules' states, Security Center subtasks by state, and each account's servers by coverage are on its own page", async () => {
    const prod = own.get('tencent/prod')!.page;
    const cwp = await prod.locator('.scans table').first().innerText();
    for (const line of ['Malware', 'Vul', 'Baseline: Linux security baseline (1001)', 'Baseline: Windows security baseline (1002)']) {
      assert.match(cwp, new RegExp(`^${line.replace(/[()]/g, '\\$&')}\\t(never scanned|scanning|completed|stopping|stopped)`, 'm'), line);
    }
    // The emulator's default machines: 10 scanned hosts (one offline), then one of each other state.
    const machines = await prod.locator('.scans table').nth(1).innerText();
    assert.match(machines, /^Server coverage: 16 servers/);
    assert.match(machines, /^protected\t11\nagent offline\t2\nagent paused\t0\nagent missing\t1\nserver stopped\t2$/m);
    const shop = own.get('alibaba/shop')!.page;
    const sas = await shop.locator('.scans table').first().innerText();
    assert.match(sas, /^Vulnerability-check subtasks by state: \d+ on 40 servers/);
    assert.match(sas, new RegExp(`^failed \\(with a code\\)\\t${SHOP_FAILING}$`, 'm'));
    const coverage = await shop.locator('.scans table').nth(1).innerText();
    assert.match(coverage, /^Server coverage: 40 servers/);
    assert.match(
      coverage,
      new RegExp(
        `^protected\\t${SHOP_FLEET_SIZE - SHOP_OFFLINE.length - 1}\\nagent offline\\t${SHOP_OFFLINE.length}\\nagent paused\\t1\\nagent missing\\t0\\nserver stopped\\t0$`,
        'm',
      ),
    );
    assert.equal(await shop.locator('.scans td.good').first().evaluate(COLOR), GREEN, 'an account that is up is shown in its colours');
  });

  test('the servers without a working agent are listed before the failing ones, by name with since when, their instance id and IP', async () => {
    const shop = own.get('alibaba/shop')!.page;
    const uncovered = shop.locator('.attention');
    assert.equal(await uncovered.locator('h3').innerText(), `Servers without a working agent: ${SHOP_OFFLINE.length + 1}`);
    const items = await uncovered.locator('li').allInnerTexts();
    assert.equal(items.length, SHOP_OFFLINE.length + 1);
    assert.match(
      items[0]!,
      /^shop-host-0001 \([0-9a-f-]{36}\): agent offline since \d{4}-\d\d-\d\d \d\d:\d\d UTC, i-[0-9a-f]{20}, 10\.0\.0\.0, cn-hangzhou$/,
    );
    assert.match(items.at(-1)!, /^shop-host-0021 \([0-9a-f-]{36}\): agent paused since /);
    const headings = await shop.locator('.scans h3').allInnerTexts();
    assert.deepEqual(
      headings.map((h) => h.replace(/: \d+$/, '')),
      ['Servers without a working agent', 'Servers with failed subtasks'],
    );
    assert.equal(await uncovered.locator('h3').evaluate(COLOR), RED);
    const tencent = await own.get('tencent/prod')!.page.locator('.attention li').allInnerTexts();
    // Tencent's: a scanned host whose agent is offline, one without an agent, one offline so long that it has no Uuid.
    assert.deepEqual(
      tencent.map((item) => item.replace(/ \([^)]*\): /, ': ').replace(/ since .*$/, '')),
      ['prod-cvm-004: agent offline', 'prod-uninstalled-001: agent missing', 'prod-offline-long-002: agent offline'],
    );
  });

  test('the servers failing are counted and the first ten listed by name with their codes', async () => {
    const failing = own.get('alibaba/shop')!.page.locator('.failing');
    assert.equal(await failing.locator('h3').innerText(), `Servers with failed subtasks: ${SHOP_FAILING}`);
    const items = await failing.locator('li').allInnerTexts();
    assert.equal(items.length, 11);
    assert.match(items[0]!, new RegExp(`^shop-host-0001 \\([0-9a-f-]{36}\\): cve: ${SHOP_FAILURE_CODES[0]}$`));
    assert.equal(items[10], `and ${SHOP_FAILING - 10} more`);
  });

  test("an account's page links back to all accounts, and an unknown account is a 404 that says so", async () => {
    const { page } = own.get('tencent/prod')!;
    await page.locator('.back a').click();
    await page.waitForURL(`${scenario.running.url}/`);
    assert.equal(await page.locator('.overview').innerText(), '4 accounts: 2 up, 2 down');
    const missing = await scenario.running.get('/?account=tencent/nobody');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /No account tencent\/nobody: it is not configured, or its organization no longer lists it\./);
  });

  test('the pages load nothing but themselves and break no rule of their Content-Security-Policy', () => {
    assert.deepEqual(looked.requests, [`${scenario.running.url}/`]);
    assert.deepEqual(looked.errors, []);
    for (const [target, opened] of own) {
      assert.ok(
        opened.requests.every((url) => url.startsWith(`${scenario.running.url}/`) && !url.includes('/probe')),
        `${target}: ${opened.requests.join(', ')}`,
      );
      assert.deepEqual(opened.errors, [], target);
    }
  });
});

for (const accounts of [12, 200]) {
  describe(`the status page at ${accounts} accounts, some down and some stale`, { skip }, () => {
    let browser: Browser;
    let scenario: FleetScenario;
    let looked: Looked;
    let bytes = 0;

    before(async () => {
      browser = await launchBrowser();
      scenario = await startFleetScenario(accounts);
      bytes = Buffer.byteLength((await scenario.running.get('/')).body);
      looked = await look(browser, `${scenario.running.url}/`, LAPTOP);
    });

    after(async () => {
      await browser?.close();
      await scenario?.close();
    });

    test('the summary counts accounts down, stale and up, the organizations, and the servers missed and uncovered', async () => {
      const { page } = looked;
      const down = scenario.down.length;
      const stale = scenario.stale.length;
      assert.equal(
        await page.locator('.overview').innerText(),
        `${accounts} accounts: ${accounts - down - stale} up, ${down} down, ${stale} stale`,
      );
      assert.equal(await page.locator('.tiles li.down strong').innerText(), String(down));
      assert.equal(await page.locator('.tiles li.stale strong').innerText(), String(stale));
      assert.match(await page.locator('.tiles').innerText(), /2\norganizations/);
      assert.match(await page.locator('.tiles li.missed').innerText(), /^servers missed\n[1-9]\d*\non \d+ accounts?$/);
      assert.match(await page.locator('.tiles li.uncovered').innerText(), /^servers uncovered\n[1-9]\d*\non \d+ accounts?$/);
    });

    test('the first failing account is above the fold of a laptop screen, with its error, its age and what to do', async () => {
      const { page } = looked;
      const first = page.locator('table.accounts tbody tr').first();
      assert.equal(await first.getAttribute('data-state'), 'down');
      assert.equal(await first.locator('td:nth-child(2) a').innerText(), scenario.down[0]);
      const box = await first.boundingBox();
      assert.ok(
        box && box.y + box.height <= LAPTOP.height,
        `the first failing account ends at ${box?.y}+${box?.height}px, below ${LAPTOP.height}px`,
      );
      assert.equal(await first.locator('.code').innerText(), 'ResourceNotFound.RoleNotFound');
      assert.match(await first.locator('td:nth-child(4)').innerText(), /^failing for [\d.]+ (s|min)\n/);
      assert.match(await first.locator('td:last-child').innerText(), /member role/);
      // Down, then stale, then up.
      const states = await page
        .locator('table.accounts tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { state: string } }).dataset.state));
      const order = { down: 0, stale: 1, pending: 2, up: 3 } as Record<string, number>;
      assert.deepEqual(
        states,
        [...states].sort((a, b) => order[a]! - order[b]!),
      );
    });

    test('a stale account is marked stale in amber; an account down with its last good data says it is not current, in no healthy colour', async () => {
      const { page } = looked;
      const stale = row(page, scenario.stale[0]!);
      assert.equal(await stale.locator('.badge').innerText(), 'STALE');
      assert.equal(await stale.locator('.badge').evaluate(BACKGROUND), AMBER);
      assert.match(await stale.locator('td:nth-child(4)').innerText(), /^data 1\d min old stale$/);
      const kept = `alibaba/${fleetAccountId(2)}`;
      assert.match(await row(page, kept).locator('td:nth-child(4)').innerText(), /^failing for [\d.]+ (s|min)\ndata 1\d min old stale$/);
      const { page: own } = await look(browser, `${scenario.running.url}/?account=${encodeURIComponent(kept)}`);
      assert.match(
        await own.locator('.scans-of .notice').innerText(),
        /^Not current: its last refresh failed, and these figures were taken 1\d min ago/,
      );
      const colours = await own
        .locator('.scans td:not(.label)')
        .evaluateAll((cells) =>
          cells.map((cell) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(cell).color),
        );
      assert.ok(colours.length >= 6, `${colours.length} figures`);
      assert.deepEqual(
        colours.filter((colour) => colour === GREEN),
        [],
        'no figure of a down account in green',
      );
      assert.match(await fact(own, 'data age'), /^1\d min old stale \(taken /);
      await own.close();
    });

    test('the filters work without a script: state, provider and text, kept while paging', async () => {
      const { page } = await look(browser, `${scenario.running.url}/`, LAPTOP);
      await page.locator('select[name=state]').selectOption('down');
      await page.locator('form.filters button').click();
      await page.waitForURL(/state=down/);
      assert.deepEqual((await targetsShown(page)).sort(), [...scenario.down].sort());
      await page.locator('select[name=provider]').selectOption('alibaba');
      await page.locator('form.filters button').click();
      await page.waitForURL(/provider=alibaba/);
      assert.deepEqual((await targetsShown(page)).sort(), scenario.down.filter((target) => target.startsWith('alibaba/')).sort());
      assert.match(page.url(), /state=down/, 'the state filter is kept');
      await page.goto(`${scenario.running.url}/`);
      await page.locator('input[name=q]').fill('TEAM-4');
      await page.locator('input[name=q]').press('Enter');
      await page.waitForURL(/q=TEAM-4/);
      const team4 = accounts >= 200 ? [4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49] : [4];
      assert.deepEqual((await targetsShown(page)).sort(), team4.map((i) => `tencent/${fleetUin(i)}`).sort(), 'a member name, without case');
      assert.match(
        await page.locator('table.accounts caption').innerText(),
        new RegExp(`^1–${team4.length} of ${team4.length} accounts? matching, of ${accounts}`),
      );
      await page.locator('input[name=q]').fill('throttling.user');
      await page.locator('form.filters button').click();
      await page.waitForURL(/q=throttling/);
      assert.ok((await targetsShown(page)).length > 0, 'an error code');
      assert.ok((await targetsShown(page)).every((target) => scenario.down.includes(target)));
      await page.locator('form.filters a').click();
      await page.waitForURL(`${scenario.running.url}/`);
      assert.equal((await targetsShown(page)).length, Math.min(accounts, 100));
      await page.close();
    });

    test("an account's own page is one click away, and its organization's page lists the members it does not read", async () => {
      const { page } = await look(browser, `${scenario.running.url}/`, LAPTOP);
      await row(page, scenario.down[0]!).locator('a').click();
      await page.waitForURL(/\?account=tencent%2F/);
      assert.equal(await page.locator('h2').innerText(), `DOWN ${scenario.down[0]}`);
      assert.match(await fact(page, 'member'), /^team-5 of organization acme$/);
      assert.match(await fact(page, 'last error'), /^ResourceNotFound\.RoleNotFound in AssumeRole, request id \S+/);
      await page.locator('dd[data-fact="member"] a').click();
      await page.waitForURL(/\?organization=tencent%2Facme/);
      assert.match(await fact(page, 'members'), /^\d+ of \d+ listed: \d+ up, \d+ down, \d+ stale$/);
      const members = await targetsShown(page);
      assert.ok(members.length > 0 && members.every((target) => target.startsWith('tencent/4')), 'only the members of acme');
      await page.goto(`${scenario.running.url}/`);
      await page.locator('table.organizations a', { hasText: 'alibaba/acme-rd' }).click();
      await page.waitForURL(/\?organization=alibaba%2Facme-rd/);
      assert.match(
        await page.locator('.skipped[data-reason="not_monitored"]').innerText(),
        /^1 not read: not in Security Center's multi-account management\n/,
      );
      assert.match(await page.locator('.skipped[data-reason="inactive"]').innerText(), /shop-closing\): Status "Removed"/);
      await page.close();
    });

    if (accounts > 100) {
      test('it pages: 100 accounts a page, with links to the others that keep the filters', async () => {
        const { page } = await look(browser, `${scenario.running.url}/?state=up`, LAPTOP);
        const up = accounts - scenario.down.length - scenario.stale.length;
        assert.equal((await targetsShown(page)).length, 100);
        assert.match(await page.locator('nav.pages').innerText(), new RegExp(`^Page 1 of ${Math.ceil(up / 100)} `));
        await page.locator('nav.pages a[rel=next]').click();
        await page.waitForURL(/page=2/);
        assert.match(page.url(), /state=up/);
        assert.equal((await targetsShown(page)).length, Math.min(100, up - 100));
        assert.equal(await page.locator('table.accounts tbody tr[data-state="up"]').count(), Math.min(100, up - 100));
        await page.close();
      });

      test('it stays small: under 300 KB', () => {
        assert.ok(bytes < 300_000, `${bytes} bytes`);
      });
    }

    test('the page loads nothing but itself and breaks no rule of its Content-Security-Policy', () => {
      assert.deepEqual(looked.requests, [`${scenario.running.url}/`]);
      assert.deepEqual(looked.errors, []);
    });
  });
}

describe('the status page with markup in names and messages', { skip }, () => {
  let browser: Browser;
  let scenario: StatusScenario;
  let looked: Looked;

  before(async () => {
    browser = await launchBrowser();
    scenario = await startStatusScenario({ hostile: true });
    await scenario.running.scrapeAfterRefresh();
    looked = await look(browser, `${scenario.running.url}/`);
  });

  after(async () => {
    await browser?.close();
    await scenario?.close();
  });

  test('shows the markup as text, in the table, on the pages of the accounts and in the text filter, and none of it runs or renders', async () => {
    const { page } = looked;
    assert.match(await page.title(), /^cloudscan-exporter: 2\/4 up$/);
    assert.equal(await page.locator('main img, main script, main b').count(), 0);
    const target = `alibaba/${HOSTILE_TEXT}`;
    assert.equal(await row(page, target).locator('td:nth-child(2) a').innerText(), target);
    assert.ok(
      (await row(page, target).locator('td:nth-child(3)').innerText()).includes(`slow down ${HOSTILE_TEXT.slice(0, 40)}`),
      'the start of the error message',
    );
    await row(page, target).locator('a').click();
    await page.waitForURL(/\?account=alibaba%2F%3Cimg/);
    assert.equal(await page.locator('h2').innerText(), `DOWN ${target}`);
    assert.ok((await fact(page, 'last error')).includes(`slow down ${HOSTILE_TEXT}`), 'the error message');
    assert.equal(await page.locator('main img, main script, main b').count(), 0);
    const prod = await look(browser, `${scenario.running.url}/?account=tencent/prod`);
    assert.ok(
      (await prod.page.locator('.scans table').first().innerText()).includes(`Baseline: ${HOSTILE_TEXT} (1002)`),
      'the strategy name',
    );
    const shop = await look(browser, `${scenario.running.url}/?account=alibaba/shop`);
    assert.ok((await shop.page.locator('.failing li').first().innerText()).startsWith(`${HOSTILE_TEXT} (`), 'the server name');
    const searched = await look(
      browser,
      `${scenario.running.url}/?q=${encodeURIComponent(HOSTILE_TEXT)}&state=${encodeURIComponent(HOSTILE_TEXT)}`,
    );
    assert.equal(await searched.page.locator('input[name=q]').inputValue(), HOSTILE_TEXT);
    assert.deepEqual(await targetsShown(searched.page), [target]);
    assert.match(
      await searched.page.locator('.notice').innerText(),
      /^state=<img src=x .* is not one of not-up, down, stale, pending, up: every state is shown\.$/,
    );
    for (const opened of [looked, prod, shop, searched]) {
      assert.notEqual(await opened.page.title(), 'pwned');
      assert.equal(await opened.page.locator('main img, main script, main b').count(), 0);
      assert.deepEqual(opened.errors, []);
      assert.ok(
        opened.requests.every((url) => url.startsWith(`${scenario.running.url}/`)),
        `no image was fetched: ${opened.requests.join(', ')}`,
      );
    }
  });
});
