// The accounts the status page is looked at with, in its browser test and for the screenshot in the
// docs (scripts/screenshot.ts): the real SDK clients against the emulator, one account of each kind a
// person on call meets. tencent/prod is up; tencent/staging has a rotated key (an auth error with the
// cloud's request id); alibaba/shop is up with servers whose subtasks failed, some because their agent
// is offline, and one agent paused; alibaba/edge is throttled.
// `hostile` puts markup where config files and clouds put text: an account name, a baseline strategy
// name, a server name and an error message.
import { generatedFleet } from '../../src/emulator/alibaba/fleet.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { endpointOf, exporterConfig, startExporter, type Running } from './harness.js';
import { alibabaAccount } from './alibaba.js';
import { tencentAccount } from './tencent.js';

/** Markup that would run a script or change the page if it were not escaped. */
export const HOSTILE_TEXT = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script><b>bold</b>`;

export const SCENARIO_KEYS = {
  tencentProd: { secretId: 'AKIDstatusPageProd00000000000000001', secretKey: 'statusPageProdSecretKey0000000001' },
  tencentStaging: { secretId: 'AKIDstatusPageStaging000000000000001', secretKey: 'statusPageStagingSecretKey0000001' },
  alibabaShop: { accessKeyId: 'LTAI5tStatusPageShop01', accessKeySecret: 'status-page-shop-secret-0000000000001' },
  alibabaEdge: { accessKeyId: 'LTAI5tStatusPageEdge01', accessKeySecret: 'status-page-edge-secret-0000000000001' },
};

/** What the exporter is configured with for tencent/staging: not the key the emulated cloud expects. */
export const ROTATED_AWAY_KEY = 'statusPageStagingOLDSecretKey00001';

/** Servers of alibaba/shop, and how many of them (the first) have a failed subtask; the others never fail. */
export const SHOP_FLEET_SIZE = 40;
export const SHOP_FAILING = 12;
export const SHOP_FAILURE_CODES = ['push_command_failed', 'agent_offline', 'command_exec_failed'];
/** Servers of alibaba/shop (among the failing ones) whose agent is offline, and the one paused. */
export const SHOP_OFFLINE = [0, 3, 6];
export const SHOP_PAUSED = 20;

export interface StatusScenario {
  emulator: Emulator;
  running: Running;
  /** The configured account name of the throttled Alibaba account ("edge", or hostile markup). */
  edgeAccount: string;
  close(): Promise<void>;
}

export async function startStatusScenario(options: { hostile?: boolean } = {}): Promise<StatusScenario> {
  const hostile = options.hostile ?? false;
  const emulator = await startEmulator();
  const strategies = [
    { id: 1001, name: 'Linux security baseline' },
    { id: 1002, name: hostile ? HOSTILE_TEXT : 'Windows security baseline' },
  ];
  emulator.tencent.addAccount({ name: 'prod', ...SCENARIO_KEYS.tencentProd, strategies, cycleMs: 120_000 });
  emulator.tencent.addAccount({ name: 'staging', ...SCENARIO_KEYS.tencentStaging, strategies, cycleMs: 120_000 });

  const fleet = generatedFleet('shop', SHOP_FLEET_SIZE);
  if (hostile) fleet[0] = { ...fleet[0]!, instanceName: HOSTILE_TEXT };
  for (const i of SHOP_OFFLINE) fleet[i] = { ...fleet[i]!, clientStatus: 'offline' };
  fleet[SHOP_PAUSED] = { ...fleet[SHOP_PAUSED]!, clientStatus: 'pause' };
  emulator.alibaba.addAccount({ name: 'shop', ...SCENARIO_KEYS.alibabaShop, servers: fleet, failureRate: 0 });
  fleet.slice(0, SHOP_FAILING).forEach((server, i) =>
    emulator.alibaba.pinTaskStatus('shop', server.uuid, {
      TotalCount: 2,
      RequestId: `BE120DAB-F4E7-4C53-ADC3-${String(i).padStart(12, '0')}`,
      TaskStatuses: [
        {
          TaskId: '16190385',
          TaskStatusList: [
            { Type: 'cve', Status: '4', Code: SHOP_FAILURE_CODES[i % SHOP_FAILURE_CODES.length] },
            { Type: 'sys', Status: '4', Code: '' },
          ],
        },
      ],
    }),
  );
  emulator.alibaba.addAccount({ name: 'edge', ...SCENARIO_KEYS.alibabaEdge, fleetSize: 3 });
  emulator.faults.add({
    provider: 'alibaba',
    account: 'edge',
    action: 'DescribeCloudCenterInstances',
    fault: { kind: 'error', code: 'Throttling.User', ...(hostile ? { message: `slow down ${HOSTILE_TEXT}` } : {}) },
  });

  const endpoint = endpointOf(emulator);
  const edgeAccount = hostile ? HOSTILE_TEXT : 'edge';
  const running = await startExporter(
    exporterConfig({
      tencent: [
        tencentAccount('prod', SCENARIO_KEYS.tencentProd, endpoint),
        tencentAccount('staging', { ...SCENARIO_KEYS.tencentStaging, secretKey: ROTATED_AWAY_KEY }, endpoint),
      ],
      alibaba: [
        alibabaAccount('shop', SCENARIO_KEYS.alibabaShop, endpoint),
        alibabaAccount(edgeAccount, SCENARIO_KEYS.alibabaEdge, endpoint),
      ],
    }),
  );
  return {
    emulator,
    running,
    edgeAccount,
    async close() {
      await running.close();
      await emulator.close();
    },
  };
}
