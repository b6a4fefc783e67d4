// Odd values of a hostile cloud cost one log line per kind and refresh, and the invalid_response
// counter counts answers, not fields (issue 21, finding 5): 20,000 hosts with seven odd fields each,
// read on every refresh while their scan runs, through the real SDK and the emulator.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { MAX_WARNING_KINDS, OTHER_KINDS, AnswerWarnings } from '../../src/sources/kit/answer-warnings.js';
import { valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { tencentAccount } from '../support/tencent.js';

const KEYS = { secretId: 'AKIDlogVolume000000000000000000000001', secretKey: 'logVolumeSecretKey000000000000001' };
const HOSTS = 20_000;

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'prod', ...KEYS, strategies: [], hosts: [] });
  emulator.tencent.pinScanState('prod', 'Vul', undefined, {
    ScanState: 1,
    Schedule: 50,
    TaskId: 77,
    VulId: [],
    Type: 1,
    ScanBeginTime: null,
    RiskEventCount: 0,
    ScanEndTime: null,
  });
  emulator.tencent.pinTaskHosts(
    'prod',
    77,
    Array.from({ length: HOSTS }, (_, i) => ({
      Uuid: `host ${i}`,
      HostName: `web\n${i}`,
      HostIp: `10.0.0.1"} ${i}`,
      MachineWanIp: `wan ${i}`,
      OsName: `os\u0000${i}`,
      Status: 'Exploded',
      FailType: 42,
      RiskNum: -i - 1,
    })),
  );
});
after(() => emulator.close());

test('20,000 hosts with 7 odd fields each: the refresh succeeds, each kind is one line with its count, and invalid_response rises by the 200 pages', async () => {
  const running = await startExporter(
    exporterConfig({ tencent: [tencentAccount('prod', KEYS, endpointOf(emulator), { modules: ['Vul'], rateLimit: 5000 })] }),
  );
  try {
    const text = await running.scrapeAfterRefresh();
    const state = running.exporter.collector.accounts[0]!.collector.state();
    assert.equal(state.up, true, state.lastError?.message);
    assert.equal(valueOf(text, 'cloudscan_cwp_scan_hosts{account="prod",module="Vul",strategy_id="",result="unknown"}'), HOSTS);
    assert.equal(
      valueOf(
        text,
        'cloudscan_api_errors_total{provider="tencent",account="prod",action="DescribeScanTaskDetails",code="invalid_response"}',
      ),
      HOSTS / 100,
    );
    const warnings = running
      .logText()
      .split('\n')
      .filter((line) => line.includes('"action":"DescribeScanTaskDetails"'));
    assert.equal(warnings.length, 7, warnings.join('\n'));
    for (const line of warnings) assert.match(line, /"count":20000,.*\(and 19999 more like it in this refresh\)/);
  } finally {
    await running.close();
  }
});

test(`past ${MAX_WARNING_KINDS} kinds of odd values in one refresh, the rest are one warning more, still counted`, () => {
  const warnings = new AnswerWarnings();
  for (let i = 0; i < MAX_WARNING_KINDS + 10; i++) warnings.answer('DescribeScanState')(`kind ${i}`, `odd value ${i}`);
  const list = warnings.list();
  assert.equal(list.length, MAX_WARNING_KINDS + 1);
  assert.deepEqual(list.at(-1), {
    action: 'DescribeScanState',
    kind: OTHER_KINDS,
    message: `odd value ${MAX_WARNING_KINDS}`,
    count: 10,
    answers: 10,
  });
  assert.equal(
    list.reduce((sum, w) => sum + w.answers, 0),
    MAX_WARNING_KINDS + 10,
  );
});
