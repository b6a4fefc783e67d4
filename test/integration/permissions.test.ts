// A missing permission degrades one feature, not the account: a least-privilege policy from before
// per-host results (DescribeScanState only) reads the scan state as it always did, the hosts of the
// scan tasks are off with one log line naming the permission to add, and they come back once it is
// granted, without a restart. An action the scan state needs, refused, marks the account down.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { GENERATED_OTHER_FAILURE } from '../../src/emulator/tencent/hosts.js';
import { FEATURE_RETRY_MS } from '../../src/sources/kit/optional-feature.js';
import { sampleLines, valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter, type Running } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';
import { OffsetClock } from '../support/offset-clock.js';

const PROD = { secretId: 'AKIDpermissionsTest00000000000000001', secretKey: 'permissionsTestSecretKey0000000001' };
const STAGING = { secretId: 'AKIDpermissionsTestStaging0000000001', secretKey: 'permissionsTestStagingSecretKey001' };
const SHOP = { accessKeyId: 'LTAI5tPermissionsTest01', accessKeySecret: 'permissions-test-secret-000000000001' };

describe('a missing permission degrades one feature, not the account', () => {
  let emulator: Emulator;
  let running: Running | undefined;
  let clock: OffsetClock;

  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.calls.clear();
  });

  async function start(config: Parameters<typeof exporterConfig>[0]): Promise<Running> {
    clock = new OffsetClock();
    running = await startExporter(exporterConfig({ ttlSeconds: 0, ...config }), { clock });
    return running;
  }
  const hostCalls = () => emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeScanTaskDetails' });
  const refused = (log: string) => log.split('\n').filter((line) => line.includes('is refused for lack of permission')).length;

  test('without cwp:DescribeScanTaskDetails the account is up with its scans and no hosts; granted, the hosts come back without a restart', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [], cycleMs: 3_600_000, deniedActions: ['DescribeScanTaskDetails'] });
    const exporter = await start({ tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Malware', 'Vul'] })] });
    const account = 'provider="tencent",account="prod"';

    const first = await exporter.scrapeAfterRefresh();
    assert.equal(valueOf(first, `cloudscan_up{${account}}`), 1, 'the scan state was read');
    assert.equal(valueOf(first, `cloudscan_action_up{${account},action="DescribeScanState"}`), 1);
    assert.equal(valueOf(first, `cloudscan_action_up{${account},action="DescribeScanTaskDetails"}`), 0);
    assert.equal(sampleLines(first, 'cloudscan_cwp_scan_state{account="prod"').filter((line) => line.endsWith(' 1')).length, 2);
    assert.deepEqual(
      sampleLines(first, 'cloudscan_cwp_scan_hosts{', 'cloudscan_cwp_host_'),
      [],
      'no hosts, rather than stale or zero ones',
    );
    assert.ok((valueOf(first, `cloudscan_last_success_timestamp_seconds{${account}}`) ?? 0) > 0);
    assert.equal(
      valueOf(first, `cloudscan_api_errors_total{${account},action="DescribeScanTaskDetails",code="AuthFailure.UnauthorizedOperation"}`),
      2,
    );
    assert.equal(refused(exporter.logText()), 1);
    assert.match(exporter.logText(), /Add cwp:DescribeScanTaskDetails to the policy of its credentials/);
    assert.doesNotMatch(exporter.logText(), /part of the refresh failed/);

    // Off means off: the next refreshes make no call of it, and say nothing more, until the retry is due.
    const calls = hostCalls();
    await exporter.scrapeAfterRefresh();
    const again = await exporter.scrapeAfterRefresh();
    assert.equal(hostCalls(), calls);
    assert.equal(valueOf(again, `cloudscan_up{${account}}`), 1);
    assert.equal(valueOf(again, `cloudscan_action_up{${account},action="DescribeScanTaskDetails"}`), 0);
    assert.equal(refused(exporter.logText()), 1, 'one log line, not one per refresh');

    // Still refused at the retry: one call more, still off, no new line.
    clock.skip(FEATURE_RETRY_MS);
    await exporter.scrapeAfterRefresh();
    assert.ok(hostCalls() > calls);
    assert.equal(refused(exporter.logText()), 1);

    // Granted: the next retry reads the hosts again.
    emulator.tencent.setDeniedActions('prod', []);
    clock.skip(FEATURE_RETRY_MS);
    await exporter.scrapeAfterRefresh();
    const granted = await exporter.scrapeAfterRefresh();
    assert.equal(valueOf(granted, `cloudscan_action_up{${account},action="DescribeScanTaskDetails"}`), 1);
    assert.ok(sampleLines(granted, 'cloudscan_cwp_scan_hosts{account="prod"').length > 0, 'the hosts are back');
    assert.match(exporter.logText(), /DescribeScanTaskDetails is allowed again/);
  });

  test('the status page and the debug probe show the part left out with the permission to add, and why a host failed when its FailType does not say', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [], cycleMs: 3_600_000, deniedActions: ['DescribeScanTaskDetails'] });
    emulator.tencent.addAccount({ name: 'staging', ...STAGING, strategies: [], fleetSize: 20 });
    // A finished task: every host is done, 6 of the 20 failed, one of them for a reason FailType does not name.
    emulator.tencent.pinScanState('staging', 'Vul', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 77,
      VulId: [],
      Type: 1,
      ScanBeginTime: '2026-11-23 10:00:00',
      ScanEndTime: '2026-11-23 11:00:00',
      RiskEventCount: 0,
    });
    const exporter = await start({
      tencent: [
        tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] }),
        tencentAccount('staging', STAGING, endpointOf(emulator), { modules: ['Vul'] }),
      ],
    });
    await exporter.scrapeAfterRefresh();

    const page = (await exporter.get('/')).body;
    assert.match(page, /data-target="tencent\/prod" data-state="up"/);
    assert.match(page, /Add cwp:DescribeScanTaskDetails to its policy: a part of its data is left out/, 'the table says what to do');
    const prod = (await exporter.get('/?account=tencent/prod')).body;
    assert.match(
      prod,
      /<dt>Left out<\/dt><dd data-fact="left out"><span class="error">the hosts of each scan task \(which were scanned, which failed and why\)<\/span>: <code class="code">AuthFailure.UnauthorizedOperation<\/code> in DescribeScanTaskDetails/,
    );
    assert.match(prod, /add <code class="permission">cwp:DescribeScanTaskDetails<\/code> to the policy/);
    const staging = (await exporter.get('/?account=tencent/staging')).body;
    assert.match(
      staging,
      new RegExp(`Vul: unknown \\(${GENERATED_OTHER_FAILURE}\\)`),
      'the Description of a host failed without a known FailType',
    );

    const debug = (await exporter.get('/probe?target=tencent/prod&debug=true')).body;
    assert.match(
      debug,
      /^Left out for lack of permission: action=DescribeScanTaskDetails code=AuthFailure.UnauthorizedOperation add=cwp:DescribeScanTaskDetails since=\S+ retry_at=\S+ what="the hosts of each scan task/m,
    );
    const stagingDebug = (await exporter.get('/probe?target=tencent/staging&debug=true')).body;
    assert.match(stagingDebug, /^Hosts the latest scans failed on: 6$/m);
    assert.match(stagingDebug, new RegExp(`why="Vul: unknown \\(${GENERATED_OTHER_FAILURE}\\)"`));
  });

  test('an action the scan state needs, refused, marks the account down, and its action_up says which', async () => {
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [], deniedActions: ['DescribeScanState'] });
    emulator.alibaba.addAccount({ name: 'shop', ...SHOP, fleetSize: 2, deniedActions: ['DescribeVulCheckTaskStatusDetail'] });
    const exporter = await start({
      tencent: [tencentAccount('prod', PROD, endpointOf(emulator), { modules: ['Vul'] })],
      alibaba: [alibabaAccount('shop', SHOP, endpointOf(emulator))],
    });
    const text = await exporter.scrapeAfterRefresh();
    assert.equal(valueOf(text, 'cloudscan_up{provider="tencent",account="prod"}'), 0);
    assert.equal(valueOf(text, 'cloudscan_action_up{provider="tencent",account="prod",action="DescribeScanState"}'), 0);
    assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="shop"}'), 0);
    assert.equal(valueOf(text, 'cloudscan_action_up{provider="alibaba",account="shop",action="DescribeCloudCenterInstances"}'), 1);
    assert.equal(valueOf(text, 'cloudscan_action_up{provider="alibaba",account="shop",action="DescribeVulCheckTaskStatusDetail"}'), 0);
    assert.equal(refused(exporter.logText()), 0, 'not an optional part: the refresh failed');
  });
});
