// Texts a cloud sends are bounded where they enter (issue 21, finding 2): a megabyte Message, a
// kilobyte error code, a megabyte host name reach the log, the status page and the debug probe cut
// to a few hundred characters, through the real SDK clients against the emulator.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { MAX_MESSAGE_CHARS } from '../../src/base/cloud-text.js';
import { Secret } from '../../src/base/secret.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

const ORG = { secretId: 'AKIDcloudTextsOrg0000000000000000001', secretKey: 'cloudTextsOrgSecretKey00000000001' };
const OWN = { secretId: 'AKIDcloudTextsOwn0000000000000000001', secretKey: 'cloudTextsOwnSecretKey00000000001' };
const ALIBABA = { accessKeyId: 'LTAI5tCloudTexts000001', accessKeySecret: 'cloud-texts-secret-00000000000001' };
const HUGE = 3_000_000;

/** What a person or a scraper can see of an account: the log, the status page and the debug probe. */
async function shown(running: Running, target: string): Promise<{ log: string; page: string; accountPage: string; debug: string }> {
  return {
    log: running.logText(),
    page: (await running.get('/')).body,
    accountPage: (await running.get(`/?account=${target}`)).body,
    debug: (await running.get(`/probe?target=${target}&debug=true`)).body,
  };
}

function assertBounded(texts: { log: string; page: string; accountPage: string; debug: string }, limit: number): void {
  for (const [where, text] of Object.entries(texts)) {
    assert.ok(text.length < limit, `${where} is ${text.length} characters`);
    const longest = Math.max(...text.split('\n').map((line) => line.length));
    assert.ok(longest < 12_000, `${where} has a line of ${longest} characters`);
  }
}

describe('texts from the clouds are bounded where they enter', () => {
  let emulator: Emulator;
  let running: Running | undefined;

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'org', ...ORG });
    emulator.tencent.addAccount({ name: 'own', ...OWN, strategies: [] });
    emulator.tencent.addAccount({
      name: 'member',
      secretId: 'AKIDcloudTextsMember00000000000001',
      secretKey: 'never-used',
      roles: [{ name: 'reader', trusted: ['org'] }],
    });
    emulator.alibaba.addAccount({ name: 'shop', ...ALIBABA, fleetSize: 1 });
  });
  after(() => emulator.close());
  afterEach(async () => {
    emulator.faults.clear();
    await running?.close();
    running = undefined;
  });

  test('a 3 MB Message and a 300-character Code in an STS error answer are shown cut, the start kept, in the log, on / and in the debug probe', async () => {
    emulator.faults.add({
      provider: 'tencent',
      action: 'AssumeRole',
      fault: { kind: 'error', code: `ResourceNotFound.${'y'.repeat(300)}`, message: `The role is gone: ${'x'.repeat(HUGE)}` },
    });
    const account = tencentAccount('member', ORG, endpointOf(emulator), {
      modules: ['Vul'],
      credentials: {
        source: 'static',
        secretId: new Secret(ORG.secretId),
        secretKey: new Secret(ORG.secretKey),
        role: { arn: emulator.tencent.roleArn('member', 'reader'), sessionName: 'cloudscan-exporter', durationSeconds: 900 },
      },
    });
    running = await startExporter(exporterConfig({ tencent: [account] }));
    await running.scrape();
    const error = running.exporter.collector.accounts[0]!.collector.state().lastError;
    assert.ok(error, 'the refresh failed');
    assert.match(error.message, /^AssumeRole: ResourceNotFound\.y+: The role is gone: x+… \(\d+ characters in all\)$/);
    assert.ok(error.message.length < MAX_MESSAGE_CHARS + 40, `${error.message.length} characters`);
    assert.ok(error.code.length <= 128, `code of ${error.code.length} characters`);
    assertBounded(await shown(running, 'tencent/member'), 60_000);
  });

  test('a 3 MB Message of a Security Center error answer is shown cut', async () => {
    emulator.faults.add({
      provider: 'alibaba',
      action: 'DescribeCloudCenterInstances',
      fault: { kind: 'error', code: 'IllegalParam', message: `Bad parameter: ${'z'.repeat(HUGE)}` },
    });
    running = await startExporter(exporterConfig({ alibaba: [alibabaAccount('shop', ALIBABA, endpointOf(emulator))] }));
    await running.scrape();
    const error = running.exporter.collector.accounts[0]!.collector.state().lastError;
    assert.equal(error?.code, 'IllegalParam');
    assert.ok(error.message.length < MAX_MESSAGE_CHARS + 40, `${error.message.length} characters`);
    assertBounded(await shown(running, 'alibaba/shop'), 60_000);
  });

  test('a host whose name and Status are a megabyte each is warned about in lines of bounded length', async () => {
    emulator.tencent.pinScanState('own', 'Vul', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 31,
      VulId: [],
      Type: 1,
      ScanBeginTime: null,
      RiskEventCount: 0,
      ScanEndTime: null,
    });
    emulator.tencent.pinTaskHosts('own', 31, [
      { Uuid: 'u-1', HostName: 'h'.repeat(1_000_000), HostIp: '10.0.0.1', Status: 's'.repeat(1_000_000), FailType: 0, RiskNum: 0 },
    ]);
    running = await startExporter(exporterConfig({ tencent: [tencentAccount('own', OWN, endpointOf(emulator), { modules: ['Vul'] })] }));
    const text = await running.scrapeAfterRefresh();
    assert.match(text, /cloudscan_cwp_host_scan_state\{[^}]*uuid="u-1",host="h{128}",state="unknown"\} 1/);
    assert.match(running.logText(), /unknown Status/);
    assertBounded(await shown(running, 'tencent/own'), 60_000);
  });
});
