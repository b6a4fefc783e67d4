// The status page at `/`, looked at in a real browser (Debian's chromium, headless) as a person on call
// would: which accounts are up or down, how old their data is, what failed with which code and request
// id, and the scans' summaries; and that markup in names and messages shows as text and never runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
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

/** The badge colours of the page's stylesheet (#1a7f37, #cf222e): the CSP let the stylesheet apply. */
const GREEN = 'rgb(26, 127, 55)';
const RED = 'rgb(207, 34, 46)';
/** Runs in the page, whose globals (window's) this file's types do not know. */
const BACKGROUND = (element: unknown): string =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor;

interface Looked {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors and page errors (a CSP violation is one). */
  errors: string[];
}

async function look(browser: Browser, url: string): Promise<Looked> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
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

/** The card of one account, found by its visible heading text. */
function card(page: Page, target: string) {
  return page.locator('section.account').filter({ has: page.locator('h2', { hasText: target }) });
}

async function fact(page: Page, target: string, name: string): Promise<string> {
  return (await card(page, target).locator(`dd[data-fact="${name}"]`).innerText()).trim();
}

describe('the status page in a browser', { skip }, () => {
  let browser: Browser;
  let scenario: StatusScenario;
  let looked: Looked;

  before(async () => {
    browser = await launchBrowser();
    scenario = await startStatusScenario();
    await scenario.running.scrapeAfterRefresh();
    looked = await look(browser, `${scenario.running.url}/`);
  });

  after(async () => {
    await browser?.close();
    await scenario?.close();
  });

  test('says at the top how many accounts are up and down, and shows every account with its provider', async () => {
    const { page } = looked;
    assert.equal(await page.locator('.overview').innerText(), '4 accounts: 2 up, 2 down');
    for (const [target, provider] of [
      ['tencent/prod', 'tencent'],
      ['tencent/staging', 'tencent'],
      ['alibaba/shop', 'alibaba'],
      ['alibaba/edge', 'alibaba'],
    ]) {
      assert.equal(await card(page, target!).isVisible(), true, target);
      assert.equal(await fact(page, target!, 'provider'), provider);
    }
  });

  test('an account that is up has a green UP badge, its data age and an idle refresh', async () => {
    const { page } = looked;
    const badge = card(page, 'tencent/prod').locator('.badge');
    assert.equal(await badge.innerText(), 'UP');
    assert.equal(await badge.evaluate(BACKGROUND), GREEN);
    assert.match(await fact(page, 'tencent/prod', 'data age'), /^[\d.]+ s old \(taken \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
    assert.match(await fact(page, 'tencent/prod', 'refresh'), /^idle; the last took [\d.]+ s$/);
    assert.equal(await fact(page, 'tencent/prod', 'last error'), 'none');
  });

  test('an account with a rotated key is DOWN in red, showing the error code and the request id the cloud answered with', async () => {
    const { page } = looked;
    const badge = card(page, 'tencent/staging').locator('.badge');
    assert.equal(await badge.innerText(), 'DOWN');
    assert.equal(await badge.evaluate(BACKGROUND), RED);
    const calls = scenario.emulator.calls.list({ provider: 'tencent', account: 'staging' });
    const requestId = calls.at(-1)?.requestId;
    assert.ok(requestId, 'the emulator answered with a request id');
    const error = await fact(page, 'tencent/staging', 'last error');
    assert.match(error, /^AuthFailure\.SignatureFailure in Describe\w+, request id /);
    assert.ok(error.includes(requestId), `${error} names ${requestId}`);
    assert.equal(await card(page, 'tencent/staging').locator('.request-id').innerText(), requestId);
    assert.equal(await fact(page, 'tencent/staging', 'data age'), 'no data to serve yet');
  });

  test('a throttled account shows Throttling.User with the request id of its last failed call', async () => {
    const { page } = looked;
    const calls = scenario.emulator.calls.list({ provider: 'alibaba', account: 'edge' });
    assert.ok(calls.length >= 2, 'the throttled call was retried');
    assert.equal(await card(page, 'alibaba/edge').locator('.code').innerText(), 'Throttling.User');
    assert.equal(await card(page, 'alibaba/edge').locator('.request-id').innerText(), calls.at(-1)?.requestId);
  });

  test('calls per minute are shown against the rate limit', async () => {
    const { page } = looked;
    const shopCalls = scenario.emulator.calls.count({ provider: 'alibaba', account: 'shop' });
    const text = await fact(page, 'alibaba/shop', 'calls/min');
    // alibabaAccount's rate_limit is 50/s: 3000 a minute per action.
    assert.match(text, new RegExp(`^${shopCalls} in the last minute; busiest DescribeVulCheckTaskStatusDetail 40 of 3000/min \\(1% of its rate limit\\)$`));
    assert.equal(await card(page, 'alibaba/shop').locator('dd[data-fact="calls/min"] meter').isVisible(), true);
  });

  test("CWP modules' states, Security Center subtasks by state, and each account's servers by coverage are listed per account", async () => {
    const { page } = looked;
    const cwp = await card(page, 'tencent/prod').locator('table').first().innerText();
    for (const row of ['Malware', 'Vul', 'Baseline: Linux security baseline (1001)', 'Baseline: Windows security baseline (1002)']) {
      assert.match(cwp, new RegExp(`^${row.replace(/[()]/g, '\\$&')}\\t(never scanned|scanning|completed|stopping|stopped)`, 'm'), row);
    }
    // The emulator's default machines: 10 scanned hosts (one offline), then one of each other state.
    const machines = await card(page, 'tencent/prod').locator('table').nth(1).innerText();
    assert.match(machines, /^Server coverage: 16 servers/);
    assert.match(machines, /^protected\t11\nagent offline\t2\nagent paused\t0\nagent missing\t1\nserver stopped\t2$/m);
    const sas = await card(page, 'alibaba/shop').locator('table').first().innerText();
    assert.match(sas, /^Vulnerability-check subtasks by state: \d+ on 40 servers/);
    assert.match(sas, new RegExp(`^failed \\(with a code\\)\\t${SHOP_FAILING}$`, 'm'));
    const coverage = await card(page, 'alibaba/shop').locator('table').nth(1).innerText();
    assert.match(coverage, /^Server coverage: 40 servers/);
    assert.match(coverage, new RegExp(`^protected\\t${SHOP_FLEET_SIZE - SHOP_OFFLINE.length - 1}\\nagent offline\\t${SHOP_OFFLINE.length}\\nagent paused\\t1\\nagent missing\\t0\\nserver stopped\\t0$`, 'm'));
  });

  test('the servers without a working agent are listed before the failing ones, by name with since when, their instance id and IP', async () => {
    const { page } = looked;
    const shop = card(page, 'alibaba/shop');
    const uncovered = shop.locator('.attention');
    assert.equal(await uncovered.locator('h3').innerText(), `Servers without a working agent: ${SHOP_OFFLINE.length + 1}`);
    const items = await uncovered.locator('li').allInnerTexts();
    assert.equal(items.length, SHOP_OFFLINE.length + 1);
    assert.match(items[0]!, /^shop-host-0001 \([0-9a-f-]{36}\): agent offline since \d{4}-\d\d-\d\d \d\d:\d\d UTC, i-[0-9a-f]{20}, 10\.0\.0\.0, cn-hangzhou$/);
    assert.match(items.at(-1)!, /^shop-host-0021 \([0-9a-f-]{36}\): agent paused since /);
    const headings = await shop.locator('h3').allInnerTexts();
    assert.deepEqual(headings.map((h) => h.replace(/: \d+$/, '')), ['Servers without a working agent', 'Servers with failed subtasks']);
    const uncoveredRed = await uncovered.locator('h3').evaluate((element) =>
      (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(element).color,
    );
    assert.equal(uncoveredRed, RED);
    const tencent = await card(page, 'tencent/prod').locator('.attention li').allInnerTexts();
    // Tencent's: a scanned host whose agent is offline, one without an agent, one offline so long that it has no Uuid.
    assert.deepEqual(
      tencent.map((item) => item.replace(/ \([^)]*\): /, ': ').replace(/ since .*$/, '')),
      ['prod-cvm-004: agent offline', 'prod-uninstalled-001: agent missing', 'prod-offline-long-002: agent offline'],
    );
  });

  test('the servers failing are counted and the first ten listed by name with their codes', async () => {
    const { page } = looked;
    const failing = card(page, 'alibaba/shop').locator('.failing');
    assert.equal(await failing.locator('h3').innerText(), `Servers with failed subtasks: ${SHOP_FAILING}`);
    const items = await failing.locator('li').allInnerTexts();
    assert.equal(items.length, 11);
    assert.match(items[0]!, new RegExp(`^shop-host-0001 \\([0-9a-f-]{36}\\): cve: ${SHOP_FAILURE_CODES[0]}$`));
    assert.equal(items[10], `and ${SHOP_FAILING - 10} more`);
  });

  test('the page loads nothing but itself and breaks no rule of its Content-Security-Policy', () => {
    assert.deepEqual(looked.requests, [`${scenario.running.url}/`]);
    assert.deepEqual(looked.errors, []);
  });
});

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

  test('shows the markup as text, and none of it runs or renders', async () => {
    const { page } = looked;
    assert.match(await page.title(), /^cloudscan-exporter: 2\/4 up$/);
    assert.equal(await page.locator('main img, main script, main b').count(), 0);
    const target = `alibaba/${HOSTILE_TEXT}`;
    assert.equal(await card(page, target).locator('h2').innerText(), `DOWN${target}`);
    assert.ok((await fact(page, target, 'last error')).includes(`slow down ${HOSTILE_TEXT}`), 'the error message');
    assert.ok((await card(page, 'tencent/prod').locator('table').first().innerText()).includes(`Baseline: ${HOSTILE_TEXT} (1002)`), 'the strategy name');
    assert.ok((await card(page, 'alibaba/shop').locator('.failing li').first().innerText()).startsWith(`${HOSTILE_TEXT} (`), 'the server name');
    assert.deepEqual(looked.errors, []);
    assert.deepEqual(looked.requests, [`${scenario.running.url}/`], 'no image was fetched');
  });
});
