// `npm run demo` as a new user sees it: every Tencent and Alibaba family with values that change,
// in seconds (how many is reported, not asserted: it depends on the machine's load), and the hosts
// the CWP scans missed, with every reason; and with a port taken, a clear failure.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { SAS } from '../../src/sources/alibaba/families.js';
import { CWP } from '../../src/sources/tencent/families.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { repoRoot } from '../support/paths.js';
import { freePort, run, start, waitFor } from '../support/processes.js';

test('the demo shows every Tencent and Alibaba family, with live, changing values', async (t) => {
  const listen = `127.0.0.1:${await freePort()}`;
  const demo = start(process.execPath, [join(repoRoot, 'dist', 'src', 'cmd', 'demo.js')], {
    env: { ...process.env, CLOUDSCAN_DEMO_LISTEN: listen, CLOUDSCAN_DEMO_EMULATOR_PORT: String(await freePort()) },
  });
  t.after(() => demo.stop('SIGTERM'));
  const startedAt = Date.now();
  const metrics = () => fetch(`http://${listen}/metrics`).then((r) => r.text());
  const families = [...Object.values(CWP), ...Object.values(SAS)].map((f) => f.name);

  const first = await waitFor(
    'every family in the demo',
    async () => {
      const text = await metrics();
      return families.every((name) => sampleLines(text, `${name}{`).length > 0) ? text : undefined;
    },
    { timeoutMs: 60_000, describe: demo.output },
  );
  t.diagnostic(`all families after ${Date.now() - startedAt} ms`);
  // Agents offline on both demo accounts (on shop-prod one offline, one not installed, one on a
  // stopped server), and one paused: what the dashboard's "Servers missed" row shows.
  assert.equal(valueOf(first, 'cloudscan_sas_agents{account="shop-prod",state="offline"}'), 3);
  assert.equal(valueOf(first, 'cloudscan_sas_agents{account="shop-prod",state="paused"}'), 1);
  assert.equal(valueOf(first, 'cloudscan_sas_agents{account="shop-staging",state="offline"}'), 1);
  assert.equal(sampleLines(first, 'cloudscan_sas_agent_state{').filter((line) => line.includes('state="offline"} 1')).length, 4);
  await assertAnnouncement(demo.output(), listen);

  const reasons = (text: string) =>
    new Set(sampleLines(text, 'cloudscan_cwp_host_scan_failure{account="demo-prod"').map((l) => /reason="([^"]+)"/.exec(l)?.[1]));
  const missed = await waitFor(
    'failed hosts with every reason in the demo',
    async () => {
      const text = await metrics();
      return ['offline', 'timeout', 'failed', 'agent_outdated', 'unknown'].every((r) => reasons(text).has(r)) ? text : undefined;
    },
    { timeoutMs: 35_000, describe: demo.output },
  );
  assert.ok(sampleLines(missed, 'cloudscan_cwp_scan_hosts_failed{account="demo-prod"').some((l) => !l.endsWith(' 0')));
  assert.match(sampleLines(missed, 'cloudscan_cwp_host_info{account="demo-prod"').join('\n'), /ip="172\.16\.0\.\d+"/);

  const progress = (text: string) => sampleLines(text, 'cloudscan_cwp_scan_progress_ratio{').join('\n');
  await waitFor('the demo values to change', async () => (progress(await metrics()) !== progress(first) ? true : undefined), {
    timeoutMs: 60_000,
  });
  assert.equal(await demo.stop('SIGTERM'), 0);
});

/**
 * What the demo tells once it serves: the status page first, then /metrics, then the emulator; each
 * URL answers, the status page as a page and the emulator's root saying what it is.
 */
async function assertAnnouncement(output: string, listen: string): Promise<void> {
  const block = output.slice(output.indexOf('cloudscan-exporter demo'));
  const urls = [...block.matchAll(/^ {2}(status page|metrics|emulator) +(http:\/\/\S+)/gm)].map((m) => ({ what: m[1]!, url: m[2]! }));
  assert.deepEqual(
    urls.map((u) => u.what),
    ['status page', 'metrics', 'emulator'],
    output,
  );
  assert.equal(urls[0]!.url, `http://${listen}/`);
  assert.equal(urls[1]!.url, `http://${listen}/metrics`);
  const page = await fetch(urls[0]!.url);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const emulatorRoot = await fetch(urls[2]!.url);
  assert.equal(emulatorRoot.status, 200, `the emulator URL the demo prints answers ${emulatorRoot.status}`);
  assert.match(await emulatorRoot.text(), /NOT a real cloud/);
}

/** Something else on 127.0.0.1:port that answers every request with 200, as another exporter would. */
async function occupy(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(200).end('someone else'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('with its address taken, the demo says so and how to pick another, with no stack trace and no URL announced', async () => {
  const port = await freePort();
  const other = await occupy(port);
  try {
    const demo = await run(process.execPath, [join(repoRoot, 'dist', 'src', 'cmd', 'demo.js')], {
      env: { ...process.env, CLOUDSCAN_DEMO_LISTEN: `127.0.0.1:${port}`, CLOUDSCAN_DEMO_EMULATOR_PORT: String(await freePort()) },
    });
    assert.equal(demo.status, 1, demo.output);
    assert.match(demo.output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`));
    assert.match(demo.output, /CLOUDSCAN_DEMO_LISTEN=127\.0\.0\.1:9788 npm run demo/);
    assert.doesNotMatch(demo.output, /status page|metrics +http/, 'it announced the other process');
    assert.doesNotMatch(demo.output, /^\s+at /m, 'a stack trace');
  } finally {
    other.close();
  }
});

test('with the emulator port taken, the demo says so and names the variable that moves it', async () => {
  const port = await freePort();
  const other = await occupy(port);
  try {
    const demo = await run(process.execPath, [join(repoRoot, 'dist', 'src', 'cmd', 'demo.js')], {
      env: { ...process.env, CLOUDSCAN_DEMO_LISTEN: `127.0.0.1:${await freePort()}`, CLOUDSCAN_DEMO_EMULATOR_PORT: String(port) },
    });
    assert.equal(demo.status, 1, demo.output);
    assert.equal(
      demo.output,
      `demo: the emulator cannot listen on 127.0.0.1:${port}: the port is already in use (another demo, or npm run emulator?).\n` +
        `  Stop it, or give the emulator another port: CLOUDSCAN_DEMO_EMULATOR_PORT=${port + 1} npm run demo\n`,
    );
  } finally {
    other.close();
  }
});

test('the organization demo shows member accounts of both clouds appearing and leaving while it runs', async (t) => {
  const listen = `127.0.0.1:${await freePort()}`;
  const demo = start(process.execPath, [join(repoRoot, 'dist', 'src', 'cmd', 'demo.js'), '--organizations'], {
    env: {
      ...process.env,
      CLOUDSCAN_DEMO_LISTEN: listen,
      CLOUDSCAN_DEMO_EMULATOR_PORT: String(await freePort()),
      CLOUDSCAN_DEMO_CHURN_MS: '1500',
      DEMO_ORG_REFRESH_INTERVAL: '1s',
    },
  });
  t.after(() => demo.stop('SIGTERM'));
  const members = async (provider: string) => {
    const text = await fetch(`http://${listen}/metrics`).then((r) => r.text());
    return sampleLines(text, `cloudscan_account_info{provider="${provider}"`).map((line) => /account="([^"]*)"/.exec(line)![1]!);
  };
  // Members are read as themselves (Tencent through their role): most of them up, not just listed.
  await waitFor(
    'member accounts of both clouds up',
    async () => {
      const text = await fetch(`http://${listen}/metrics`).then((r) => r.text());
      const up = (provider: string) =>
        sampleLines(text, `cloudscan_up{provider="${provider}"`).filter((line) => line.endsWith(' 1')).length;
      return up('tencent') >= 3 && up('alibaba') >= 3 ? true : undefined;
    },
    { timeoutMs: 15_000, describe: demo.output },
  );
  const first = await waitFor(
    'both organizations listed',
    async () => {
      const [tencent, alibaba] = [await members('tencent'), await members('alibaba')];
      return tencent.length === 6 && alibaba.length === 6 ? { tencent, alibaba } : undefined;
    },
    { timeoutMs: 15_000, describe: demo.output },
  );
  // Members leave and others join: seen in the exposition, without a restart or reload.
  const changed = (before: string[], now: string[]) => before.some((id) => !now.includes(id)) && now.some((id) => !before.includes(id));
  await waitFor(
    'a member of each cloud to leave and another to join',
    async () => {
      const [tencent, alibaba] = [await members('tencent'), await members('alibaba')];
      return changed(first.tencent, tencent) && changed(first.alibaba, alibaba) ? true : undefined;
    },
    { timeoutMs: 20_000, describe: demo.output },
  );
  assert.match(demo.output(), /organizations: tencent \d+ left, \d+ \(\w+\) joined; alibaba \d+ left, \d+ joined/);
  assert.equal(await demo.stop('SIGTERM'), 0);
});
