// /metrics and /probe answer gzip when the scraper asks for it, as Prometheus always does, and
// compress an account's series once per change of its data, not once per scrape.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { families } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { checkMetrics } from '../support/promtool.js';

const KEYS = { accessKeyId: 'LTAI5tCompressionTest01', accessKeySecret: 'compression-test-secret-000000000001' };
const SAS_FAMILIES = [
  'cloudscan_sas_vul_check_subtask_state',
  'cloudscan_sas_vul_check_subtask_failed',
  'cloudscan_sas_vul_check_subtasks',
  'cloudscan_sas_server_vul_check_subtasks',
  'cloudscan_sas_agent_state',
  'cloudscan_sas_agents',
  'cloudscan_sas_server_info',
];

/** GET without any decoding, so the test sees the bytes on the wire. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('compressed scrapes', () => {
  let emulator: Emulator;
  let running: Running | undefined;

  before(async () => {
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 200, tasksPerServer: 2 });
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  const start = async () => {
    running = await startExporter(exporterConfig({ ttlSeconds: 3600, alibaba: [alibabaAccount('prod', KEYS, endpointOf(emulator))] }));
    return running;
  };

  test('a scraper that accepts gzip gets one valid gzip stream holding the same exposition', async () => {
    const exporter = await start();
    // The first scrape of 200 servers may end at its deadline with part of the fleet (on a loaded
    // machine it does): compare once the refresh has settled and the data no longer changes.
    const plain = await exporter.scrapeAfterRefresh();
    const { headers, body } = await rawGet(`${exporter.url}/metrics`, { 'Accept-Encoding': 'gzip' });
    assert.equal(headers['content-encoding'], 'gzip');
    assert.match(String(headers['vary']), /Accept-Encoding/);
    assert.equal(Number(headers['content-length']), body.length);
    const text = gunzipSync(body).toString();
    assert.equal(families(text, SAS_FAMILIES), families(plain, SAS_FAMILIES));
    assert.ok(body.length * 5 < text.length, `gzip made ${text.length} bytes into ${body.length}`);
    assert.equal(checkMetrics(text), '');
  });

  test('a scraper that does not ask for gzip, or refuses it, gets identity', async () => {
    const exporter = await start();
    for (const accept of [undefined, 'identity', 'gzip;q=0, identity', 'br']) {
      const { headers, body } = await rawGet(`${exporter.url}/metrics`, accept === undefined ? {} : { 'Accept-Encoding': accept });
      assert.equal(headers['content-encoding'], undefined, `Accept-Encoding: ${accept}`);
      assert.match(body.toString(), /^# HELP cloudscan_up /, `Accept-Encoding: ${accept}`);
    }
  });

  test('/probe answers gzip too', async () => {
    const exporter = await start();
    const { headers, body } = await rawGet(`${exporter.url}/probe?target=alibaba/prod`, { 'Accept-Encoding': 'gzip' });
    assert.equal(headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(body).toString(), /cloudscan_sas_vul_check_subtasks\{account="prod"/);
  });

  test("an account's series are compressed once while its data does not change", async () => {
    const exporter = await start();
    await exporter.scrapeAfterRefresh();
    const first = await exporter.metrics.exposition();
    const second = await exporter.metrics.exposition();
    const reused = first.filter((piece) => second.includes(piece));
    const reusedBytes = reused.reduce((total, piece) => total + piece.text.length, 0);
    const allBytes = second.reduce((total, piece) => total + piece.text.length, 0);
    // Everything but the live samples (progress, data age) and prom-client's counters is the same piece, compressed once.
    assert.ok(reusedBytes > 0.9 * allBytes, `${reusedBytes} of ${allBytes} bytes reused`);
    for (const piece of reused) assert.equal(piece.compressed(), piece.compressed());
  });

  test('a refresh that finds every agent as it was keeps their rendered, compressed pieces', async () => {
    running = await startExporter(
      exporterConfig({ ttlSeconds: 0, alibaba: [alibabaAccount('prod', KEYS, endpointOf(emulator), { rateLimit: 2000 })] }),
    );
    await running.scrapeAfterRefresh();
    await running.exporter.collector.settled();
    const agentPieces = async () =>
      (await running!.metrics.exposition()).filter((piece) =>
        /^cloudscan_sas_(agent_state|server_info)\{/.test(piece.text.toString('utf8', 0, 40)),
      );
    const before = await agentPieces();
    const refreshes = emulator.calls.count({ action: 'DescribeCloudCenterInstances' });
    await running.scrapeAfterRefresh();
    await running.exporter.collector.settled();
    assert.ok(emulator.calls.count({ action: 'DescribeCloudCenterInstances' }) > refreshes, 'discovery ran again');
    const after = await agentPieces();
    assert.equal(before.length, (200 / 25) * 2, 'one piece per family and block of 25 servers');
    assert.ok(after.length === before.length && after.every((piece, i) => piece === before[i]), 'the very same pieces');
  });
});
