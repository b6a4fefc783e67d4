// The status page at organization scale (issue 24): N accounts as a large user has them, through the
// real SDK clients against the emulator. Two written-out accounts (tencent/prod, alibaba/shop: servers
// failing and agents offline), a Tencent organization `acme` and an Alibaba resource directory
// `acme-rd` sharing the rest of the N as members. Some members are down (a Tencent member without the
// role, an Alibaba member throttled, one whose key is disabled after it was read once: its last good
// data kept) and some stale (the exporter's clock moved on 10 minutes and
// only they were not refreshed since, as when the Prometheus that probes them is gone). Used by the
// browser test, `npm run screenshot` and bench part 16, so its figures are of the page the test sees.
import { generatedFleet } from '../../src/emulator/alibaba/fleet.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { OffsetClock } from './offset-clock.js';
import { endpointOf, exporterConfig, startExporter, type Running } from './harness.js';
import { alibabaAccount, alibabaDirectory } from './alibaba.js';
import { tencentAccount, tencentOrganization } from './tencent.js';

export const FLEET_ROLE = 'CloudscanReadOnly';
const TENCENT_MANAGEMENT = { secretId: 'AKIDfleetScenarioManagement000000001', secretKey: 'fleetScenarioManagementSecret0001' };
const ALIBABA_MANAGEMENT = { accessKeyId: 'LTAI5tFleetScenarioRd1', accessKeySecret: 'fleet-scenario-rd-management-secret1' };
const PROD = { secretId: 'AKIDfleetScenarioProd00000000000001', secretKey: 'fleetScenarioProdSecretKey0000001' };
const SHOP = { accessKeyId: 'LTAI5tFleetScenarioShop', accessKeySecret: 'fleet-scenario-shop-secret-00000001' };
/** How far the exporter's clock moves on before every account but the stale ones is refreshed again. */
export const STALE_BY_MS = 10 * 60_000;

export const fleetUin = (i: number) => String(400000000000 + i);
export const fleetAccountId = (i: number) => String(1400000000000000 + i);
/** Tencent members without the member role (AssumeRole fails: down), Alibaba members throttled (down), Tencent members left stale. */
export const tencentDown = (i: number) => i % 17 === 5;
export const alibabaDown = (i: number) => i % 23 === 3;
export const tencentStale = (i: number) => i % 29 === 4 && !tencentDown(i);
/** Alibaba members whose key is disabled after their first refresh: down, with their last good data kept. */
export const alibabaFailsLater = (i: number) => i % 23 === 2;

export interface FleetScenario {
  emulator: Emulator;
  running: Running;
  clock: OffsetClock;
  /** Every account, as provider/account, in configuration order (written out, then members as listed). */
  targets: string[];
  down: string[];
  stale: string[];
  close(): Promise<void>;
}

/** Members of each organization for `accounts` in all: two accounts are written out, the members share the rest. */
export function fleetMembers(accounts: number): { tencent: number; alibaba: number } {
  if (accounts < 4) throw new Error('a fleet scenario has at least 4 accounts');
  const tencent = Math.floor((accounts - 2) / 2);
  return { tencent, alibaba: accounts - 2 - tencent };
}

export async function startFleetScenario(accounts: number): Promise<FleetScenario> {
  const members = fleetMembers(accounts);
  const emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'management', ...TENCENT_MANAGEMENT, strategies: [] });
  emulator.alibaba.addAccount({ name: 'rd-management', ...ALIBABA_MANAGEMENT, fleetSize: 1 });
  emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [{ id: 1001, name: 'Linux security baseline' }], cycleMs: 3_600_000 });
  const fleet = generatedFleet('shop', 40);
  for (const i of [0, 3, 6]) fleet[i] = { ...fleet[i]!, clientStatus: 'offline' };
  emulator.alibaba.addAccount({ name: 'shop', ...SHOP, servers: fleet, failureRate: 0.3, tasksPerServer: 1 });

  const tencentMembers = [];
  for (let i = 1; i <= members.tencent; i++) {
    const n = String(i).padStart(5, '0');
    emulator.tencent.addAccount({
      name: `t-${i}`,
      secretId: `AKIDfleetMember${n}0000000000000000001`.slice(0, 36),
      secretKey: `fleetMember${n}SecretKey000000001`,
      strategies: [],
      fleetSize: 2,
    });
    tencentMembers.push({ uin: fleetUin(i), name: `team-${i}`, roles: tencentDown(i) ? [] : [FLEET_ROLE], account: `t-${i}` });
  }
  const alibabaMembers = [];
  for (let i = 1; i <= members.alibaba; i++) {
    emulator.alibaba.addAccount({
      name: `a-${i}`,
      accessKeyId: `LTAI5tFleetMember${String(i).padStart(5, '0')}`,
      accessKeySecret: `fleet-member-secret-${i}-00000000`,
      fleetSize: 2,
      tasksPerServer: 1,
      failureRate: 0,
    });
    alibabaMembers.push({ accountId: fleetAccountId(i), displayName: `shop-${i}`, roles: [FLEET_ROLE], account: `a-${i}` });
    if (alibabaDown(i))
      emulator.faults.add({
        provider: 'alibaba',
        account: `a-${i}`,
        action: 'DescribeCloudCenterInstances',
        fault: { kind: 'error', code: 'Throttling.User' },
      });
  }
  // Listed but not read: one member Security Center does not monitor, one whose account does not exist.
  alibabaMembers.push({
    accountId: fleetAccountId(members.alibaba + 1),
    displayName: 'shop-unmonitored',
    roles: [FLEET_ROLE],
    monitored: false,
  });
  alibabaMembers.push({
    accountId: fleetAccountId(members.alibaba + 2),
    displayName: 'shop-closing',
    roles: [FLEET_ROLE],
    status: 'Removed',
  });
  emulator.tencent.organizations.set('management', tencentMembers);
  emulator.alibaba.directories.set('rd-management', alibabaMembers);

  const endpoint = endpointOf(emulator);
  const clock = new OffsetClock();
  // Limits and timeouts far from what a loaded machine reaches: only the failures set up here fail.
  const patient = { requestTimeoutSeconds: 30 };
  const fast = { rateLimit: 1000, refreshIntervalSeconds: 3600, ...patient };
  const tencentMember = {
    ...tencentOrganization('x', TENCENT_MANAGEMENT, endpoint).member,
    modules: ['Vul' as const],
    rateLimit: 1000,
    ...patient,
  };
  const alibabaMember = { ...alibabaDirectory('x', ALIBABA_MANAGEMENT, endpoint).member, rateLimit: 1000, ...patient };
  const running = await startExporter(
    exporterConfig({
      tencent: [tencentAccount('prod', PROD, endpoint, { modules: ['Malware', 'Vul', 'Baseline'], ...patient })],
      alibaba: [alibabaAccount('shop', SHOP, endpoint, patient)],
      tencent_organizations: [tencentOrganization('acme', TENCENT_MANAGEMENT, endpoint, { ...fast, member: tencentMember })],
      alibaba_resource_directories: [alibabaDirectory('acme-rd', ALIBABA_MANAGEMENT, endpoint, { ...fast, member: alibabaMember })],
      timeoutSeconds: 60,
    }),
    { clock },
  );
  const close = async () => {
    await running.close();
    await emulator.close();
  };
  try {
    // Members become accounts at the scrape after their listing; each scrape's refreshes are waited for.
    await running.scrape();
    await running.exporter.organizationsSettled();
    await running.exporter.collector.settled();
    await running.scrape();
    await running.exporter.collector.settled();

    const targets = [
      'tencent/prod',
      'alibaba/shop',
      ...Array.from({ length: members.tencent }, (_, i) => `tencent/${fleetUin(i + 1)}`),
      ...Array.from({ length: members.alibaba }, (_, i) => `alibaba/${fleetAccountId(i + 1)}`),
    ];
    const stale = Array.from({ length: members.tencent }, (_, i) => i + 1)
      .filter(tencentStale)
      .map((i) => `tencent/${fleetUin(i)}`);
    const down = [
      ...Array.from({ length: members.tencent }, (_, i) => i + 1)
        .filter(tencentDown)
        .map((i) => `tencent/${fleetUin(i)}`),
      ...Array.from({ length: members.alibaba }, (_, i) => i + 1)
        .filter((i) => alibabaDown(i) || alibabaFailsLater(i))
        .map((i) => `alibaba/${fleetAccountId(i)}`),
    ];
    for (let i = 1; i <= members.alibaba; i++) {
      if (alibabaFailsLater(i))
        emulator.faults.add({
          provider: 'alibaba',
          account: `a-${i}`,
          action: 'DescribeCloudCenterInstances',
          fault: { kind: 'error', code: 'InvalidAccessKeyId.Inactive' },
        });
    }
    // Ten minutes on, every account but the stale ones is refreshed again, one /probe each (as a sharded setup scrapes).
    clock.skip(STALE_BY_MS);
    const keep = new Set(stale);
    const deadline = clock.now() + 60_000;
    await Promise.all(
      targets
        .filter((target) => !keep.has(target))
        .map((target) => {
          const [provider, account] = target.split('/') as [string, string];
          return running.exporter.probe(provider, account, deadline);
        }),
    );
    await running.exporter.collector.settled();
    return { emulator, running, clock, targets, down, stale, close };
  } catch (error) {
    await close();
    throw error;
  }
}
