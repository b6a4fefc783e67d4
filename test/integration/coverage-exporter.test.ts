// Coverage through the whole exporter, both clouds: the emulator's servers in every agent and machine
// state -> the exact coverage series (golden files), the same words and families on both clouds in
// one exposition that promtool accepts; the per-server series behind each cloud's opt-out; and a
// missing cwp:DescribeMachines leaving the account up with coverage left out.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { COVERAGE } from '../../src/sources/coverage/families.js';
import { families, sampleLines, valueOf } from '../support/exposition.js';
import type { ExporterConfig } from '../../src/config/types.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';
import { fixturesDir } from '../support/paths.js';
import { checkMetrics } from '../support/promtool.js';

const PROD = { secretId: 'AKIDcoverageExporter0000000000000001', secretKey: 'coverageExporterSecretKey000000001' };
const SHOP = { accessKeyId: 'LTAI5tCoverageExporter01', accessKeySecret: 'coverage-exporter-secret-000000000001' };
const NAMES = Object.values(COVERAGE).map((family) => family.name);
const SINCE = COVERAGE.uncoveredSince.name;

/** The exposition's coverage families, with each uncovered-since time (the exporter's clock at the listing) written as <since>. */
function coverageText(exposition: string): string {
  return families(exposition, NAMES).replace(new RegExp(`^(${SINCE}\\{[^}]*\\}) \\S+$`, 'gm'), '$1 <since>');
}

function golden(name: string, text: string): string {
  const path = join(fixturesDir, 'golden', name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, text);
  return readFileSync(path, 'utf8');
}

/** The exporter with this configuration, for as long as `use` runs. */
async function withExporter<T>(config: ExporterConfig, use: (running: Running) => Promise<T>): Promise<T> {
  const running = await startExporter(config);
  try {
    return await use(running);
  } finally {
    await running.close();
  }
}

describe('coverage through the exporter', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [], fleetSize: 4 });
    emulator.alibaba.addAccount({ name: 'shop', ...SHOP, fleetSize: 6, tasksPerServer: 1, offlineAgents: 3, pausedAgents: 1 });
  });
  after(() => emulator.close());

  test('servers in every agent and machine state of both clouds give the golden coverage series, in one exposition promtool accepts', async () => {
    const before = Date.now() / 1000;
    const config = exporterConfig({
      tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })],
      alibaba: [alibabaAccount('shop', SHOP, endpointOf(emulator))],
    });
    const text = await withExporter(config, (running) => running.scrape());
    assert.equal(coverageText(text), golden('coverage-both-clouds.prom', coverageText(text)));
    assert.equal(checkMetrics(text), '');
    // Every uncovered server was first seen so at this first listing.
    const since = sampleLines(text, SINCE).map((line) => Number(line.split(' ').at(-1)));
    assert.equal(
      since.length,
      3 + 3,
      'tencent: a host offline, one without an agent, one offline for long; alibaba: offline, uninstalled, paused (stopped ones are not uncovered)',
    );
    assert.ok(
      since.every((t) => t >= Math.floor(before) && t <= Date.now() / 1000),
      since.join(', '),
    );
    for (const [provider, count] of [
      ['tencent', 10],
      ['alibaba', 6],
    ] as const) {
      const total = ['protected', 'agent_offline', 'agent_paused', 'agent_missing', 'server_stopped', 'unknown']
        .map(
          (coverage) =>
            valueOf(
              text,
              `cloudscan_servers{provider="${provider}",account="${provider === 'tencent' ? 'prod' : 'shop'}",coverage="${coverage}"}`,
            ) ?? NaN,
        )
        .reduce((a, b) => a + b, 0);
      assert.equal(total, count, `${provider}: every coverage present, adding up to every server`);
    }
  });

  test('with per-server series off, only the counts by coverage are served, on both clouds', async () => {
    const config = exporterConfig({
      tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'], perHostSeries: false })],
      alibaba: [alibabaAccount('shop', SHOP, endpointOf(emulator), { perServerSeries: false })],
    });
    const text = await withExporter(config, (running) => running.scrape());
    assert.deepEqual(sampleLines(text, 'cloudscan_server_'), []);
    assert.equal(sampleLines(text, 'cloudscan_servers{').length, 12);
    assert.equal(valueOf(text, 'cloudscan_servers{provider="alibaba",account="shop",coverage="agent_paused"}'), 1);
  });

  test('servers listed in the configuration have no coverage: its series are absent, not zero', async () => {
    const [server] = emulator.alibaba.servers('shop');
    const text = await withExporter(
      exporterConfig({ alibaba: [alibabaAccount('shop', SHOP, endpointOf(emulator), { servers: [server!.uuid] })] }),
      (running) => running.scrape(),
    );
    assert.deepEqual(sampleLines(text, 'cloudscan_server'), []);
  });

  test('without cwp:DescribeMachines the account is up with its scans and coverage is left out, said once with the permission to add', async () => {
    emulator.tencent.setDeniedActions('prod', ['DescribeMachines']);
    const config = exporterConfig({ ttlSeconds: 0, tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })] });
    try {
      await withExporter(config, async (running) => {
        const text = await running.scrapeAfterRefresh();
        const account = 'provider="tencent",account="prod"';
        assert.equal(valueOf(text, `cloudscan_up{${account}}`), 1);
        assert.equal(valueOf(text, `cloudscan_action_up{${account},action="DescribeMachines"}`), 0);
        assert.equal(valueOf(text, `cloudscan_action_up{${account},action="DescribeScanState"}`), 1);
        assert.deepEqual(sampleLines(text, 'cloudscan_server'), [], 'no coverage series, rather than zeros');
        assert.equal(
          valueOf(text, `cloudscan_api_errors_total{${account},action="DescribeMachines",code="AuthFailure.UnauthorizedOperation"}`),
          3,
        );
        await running.scrapeAfterRefresh();
        const refused = running
          .logText()
          .split('\n')
          .filter((line) => line.includes('DescribeMachines is refused for lack of permission'));
        assert.equal(refused.length, 1);
        assert.match(refused[0]!, /Add cwp:DescribeMachines to the policy of its credentials/);
        const page = (await running.get('/?account=tencent/prod')).body;
        assert.match(
          page,
          /<span class="error">server coverage \(which servers have a working CWP agent\)<\/span>: <code class="code">AuthFailure.UnauthorizedOperation<\/code> in DescribeMachines/,
        );
      });
    } finally {
      emulator.tencent.setDeniedActions('prod', []);
    }
  });
});
