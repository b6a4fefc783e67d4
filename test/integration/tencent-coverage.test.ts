// Tencent coverage through the real CommonClient against the emulator: DescribeMachines for each
// configured machine type and region, page by page, on its own interval; machines in every agent and
// machine state mapped to their coverage; refused for lack of permission, an optional part turned off
// with the account's scans still read; any other failure an error of the refresh, the last listing kept.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { extraMachine, generatedHosts, generatedMachines, hostMachine } from '../../src/emulator/tencent/index.js';
import { FEATURE_RETRY_MS } from '../../src/sources/kit/optional-feature.js';
import type { DescribeMachinesRequest, DescribeMachinesResponse } from '../../src/sources/tencent/api.js';
import { CwpClient } from '../../src/sources/tencent/client.js';
import type { TencentAccountConfig, TencentCoverageConfig } from '../../src/sources/tencent/config.js';
import { TencentSource } from '../../src/sources/tencent/source.js';
import type { TencentSnapshot } from '../../src/sources/tencent/types.js';
import type { CallTrace, FetchContext } from '../../src/contract/types.js';
import { countByCoverage } from '../../src/sources/coverage/coverage.js';
import { endpointOf } from '../support/harness.js';
import { tencentAccount } from '../support/tencent.js';

const KEYS = { secretId: 'AKIDcoverageTest000000000000000000001', secretKey: 'coverageTestSecretKey00000000000001' };
const NOW = Date.UTC(2026, 10, 23, 4, 0, 0);

/** A CwpClient that notes every DescribeMachines request it sends. */
class RecordingClient extends CwpClient {
  readonly machineRequests: DescribeMachinesRequest[] = [];

  override describeMachines(request: DescribeMachinesRequest, signal: AbortSignal, trace?: CallTrace): Promise<DescribeMachinesResponse> {
    this.machineRequests.push(request);
    return super.describeMachines(request, signal, trace);
  }
}

describe('Tencent coverage: DescribeMachines through the real client against the emulator', () => {
  let emulator: Emulator;
  let now = NOW;

  before(async () => {
    emulator = await startEmulator({ clock: () => now });
  });
  after(() => emulator.close());
  beforeEach(() => {
    now = NOW;
    emulator.faults.clear();
    emulator.calls.clear();
    emulator.tencent.addAccount({ name: 'prod', ...KEYS, strategies: [], fleetSize: 10 });
  });

  function source(coverage: Partial<TencentCoverageConfig> = {}): { source: TencentSource; client: RecordingClient } {
    const base = tencentAccount('prod', KEYS, endpointOf(emulator), { modules: ['Vul'] });
    const config: TencentAccountConfig = { ...base, coverage: { ...base.coverage, ...coverage } };
    const client = new RecordingClient(config);
    return { source: new TencentSource(config, client, () => now), client };
  }

  function context(previous?: TencentSnapshot, staleBefore = 0): FetchContext<TencentSnapshot> {
    return {
      signal: new AbortController().signal,
      invoke: (_action, call) => call(new AbortController().signal, {}),
      staleBefore,
      now: () => now,
      publish: () => {},
      ...(previous ? { previous } : {}),
    };
  }
  const machineCalls = () => emulator.calls.count({ provider: 'tencent', account: 'prod', action: 'DescribeMachines' });

  test("the emulator's machines, in every agent and machine state, are every coverage but paused (CWP has none), in one call per type", async () => {
    const { source: prod, client } = source();
    const snapshot = await prod.fetch(context());
    assert.deepEqual(snapshot.errors, []);
    assert.deepEqual(snapshot.warnings, []);
    assert.deepEqual(client.machineRequests, [
      { MachineType: 'CVM', MachineRegion: 'ap-guangzhou', Limit: 100, Offset: 0 },
      { MachineType: 'LH', MachineRegion: 'ap-guangzhou', Limit: 100, Offset: 0 },
      { MachineType: 'Other', MachineRegion: 'ap-others', Limit: 100, Offset: 0 },
    ]);
    const servers = snapshot.coverage?.servers ?? [];
    assert.equal(servers.length, emulator.tencent.machines('prod').length);
    // 10 scanned hosts (one offline), then one machine without an agent, one offline so long its Uuid is
    // gone, one stopped (STOPED), one expired, one Lighthouse, one outside Tencent Cloud.
    assert.deepEqual(countByCoverage(servers), {
      protected: 11,
      agent_offline: 2,
      agent_paused: 0,
      agent_missing: 1,
      server_stopped: 2,
      unknown: 0,
    });
    const byName = new Map(servers.map((server) => [server.instanceName, server]));
    const missing = byName.get('prod-uninstalled-001')!;
    assert.deepEqual(
      { uuid: missing.uuid, coverage: missing.coverage, since: missing.uncoveredSince, agent: missing.agentVersion },
      { uuid: extraMachine('prod', 0).quuid, coverage: 'agent_missing', since: NOW, agent: '' },
      'no agent, so no Uuid: named by its Quuid',
    );
    assert.equal(byName.get('prod-offline-long-002')?.uuid, extraMachine('prod', 1).quuid);
    assert.equal(byName.get('prod-stopped-003')?.coverage, 'server_stopped');
    assert.equal(byName.get('prod-expired-004')?.coverage, 'server_stopped');
    assert.deepEqual([byName.get('prod-lighthouse-005')?.coverage, byName.get('prod-other-cloud-006')?.region], ['protected', 'ap-others']);
    const scanned = hostMachine('prod', generatedHosts('prod', 10)[0]!);
    assert.deepEqual(byName.get(scanned.name), {
      uuid: scanned.uuid,
      instanceName: scanned.name,
      instanceId: scanned.instanceId,
      region: 'ap-guangzhou',
      ip: scanned.ip,
      os: scanned.os,
      agentVersion: scanned.agentVersion,
      coverage: 'protected',
      uncoveredSince: null,
    });
  });

  test('250 CVM machines are read in 3 pages of 100, by Offset; regions and types as configured, Other once in ap-others', async () => {
    const hosts = generatedHosts('prod', 250);
    emulator.tencent.setMachines('prod', [
      ...generatedMachines('prod', hosts, 0),
      { ...extraMachine('prod', 4), region: 'ap-shanghai' },
      { ...extraMachine('prod', 5) },
    ]);
    const { source: prod, client } = source({ regions: ['ap-guangzhou', 'ap-shanghai'], machineTypes: ['CVM', 'LH', 'Other'] });
    const snapshot = await prod.fetch(context());
    assert.deepEqual(client.machineRequests.map((r) => `${r.MachineType} ${r.MachineRegion} ${r.Offset}`).sort(), [
      'CVM ap-guangzhou 0',
      'CVM ap-guangzhou 100',
      'CVM ap-guangzhou 200',
      'CVM ap-shanghai 0',
      'LH ap-guangzhou 0',
      'LH ap-shanghai 0',
      'Other ap-others 0',
    ]);
    assert.equal(machineCalls(), 7);
    assert.equal(snapshot.coverage?.servers.length, 252);
    assert.equal(snapshot.coverage?.servers.find((s) => s.instanceId.startsWith('lhins-'))?.region, 'ap-shanghai');
  });

  test('machines are listed again only once their interval has passed: in between the same objects, without a call', async () => {
    const { source: prod } = source({ intervalSeconds: 600 });
    const first = await prod.fetch(context());
    assert.equal(machineCalls(), 3);
    now = NOW + 599_000;
    const second = await prod.fetch(context(first));
    assert.equal(machineCalls(), 3, 'not due yet');
    assert.equal(second.coverage, first.coverage);

    // A machine's agent goes offline; the next listing sees it, and the machines unchanged are the same objects.
    const [host] = emulator.tencent.machines('prod');
    emulator.tencent.setMachines('prod', [
      { ...host!, agentStatus: 'OFFLINE', machineStatus: 'OFFLINE' },
      ...emulator.tencent.machines('prod').slice(1),
    ]);
    now = NOW + 600_000;
    const third = await prod.fetch(context(second));
    assert.equal(machineCalls(), 6);
    const offline = third.coverage!.servers.find((s) => s.uuid === host!.uuid)!;
    assert.deepEqual([offline.coverage, offline.uncoveredSince], ['agent_offline', NOW + 600_000]);
    const missing = (snapshot: TencentSnapshot) => snapshot.coverage!.servers.find((s) => s.coverage === 'agent_missing');
    assert.equal(missing(third), missing(first), 'still without an agent: the same object, uncovered since the first listing');
    assert.equal(missing(third)?.uncoveredSince, NOW);
  });

  test('coverage off: no DescribeMachines call and no coverage', async () => {
    const { source: prod } = source({ enabled: false });
    const snapshot = await prod.fetch(context());
    assert.equal(snapshot.coverage, undefined);
    assert.equal(machineCalls(), 0);
  });

  test('refused for lack of permission, coverage is off and the account stays up with its scans; tried again after FEATURE_RETRY_MS', async () => {
    emulator.tencent.setDeniedActions('prod', ['DescribeMachines']);
    const { source: prod } = source();
    const first = await prod.fetch(context());
    assert.deepEqual(first.errors, [], 'no error: the account is up');
    assert.equal(first.scans.length, 1, 'the scans are read');
    assert.equal(first.coverage, undefined);
    assert.deepEqual(
      first.featuresOff?.map((off) => [off.action, off.permission, off.code]),
      [['DescribeMachines', 'cwp:DescribeMachines', 'AuthFailure.UnauthorizedOperation']],
    );
    const refusedCalls = machineCalls();
    now += FEATURE_RETRY_MS - 1;
    const second = await prod.fetch(context(first));
    assert.equal(machineCalls(), refusedCalls, 'off: no call until the retry is due');
    assert.equal(second.featuresOff?.length, 1);

    emulator.tencent.setDeniedActions('prod', []);
    now += 1;
    const granted = await prod.fetch(context(second));
    assert.equal(granted.featuresOff, undefined);
    assert.equal(granted.coverage?.servers.length, emulator.tencent.machines('prod').length);
  });

  test('a failing listing is an error of the refresh: the last listing is kept, unless older than max_stale', async () => {
    const { source: prod } = source({ intervalSeconds: 60 });
    const first = await prod.fetch(context());
    emulator.faults.add({ provider: 'tencent', action: 'DescribeMachines', fault: { kind: 'error', code: 'InternalError' } });
    now = NOW + 60_000;
    const failed = await prod.fetch(context(first));
    assert.deepEqual(
      failed.errors.map((e) => [e.action, e.code]),
      [['DescribeMachines', 'InternalError']],
    );
    assert.equal(failed.coverage, first.coverage, 'kept');
    assert.equal(failed.featuresOff, undefined, 'not for lack of permission: nothing turned off');
    const stale = await prod.fetch(context(failed, NOW + 1));
    assert.equal(stale.coverage, undefined, 'older than max_stale: dropped rather than shown as current');
  });

  test('an account whose scan state cannot be read makes no DescribeMachines call', async () => {
    emulator.faults.add({
      provider: 'tencent',
      action: 'DescribeScanState',
      fault: { kind: 'error', code: 'AuthFailure.SecretIdNotFound' },
    });
    const { source: prod } = source();
    await assert.rejects(prod.fetch(context()), { code: 'AuthFailure.SecretIdNotFound' });
    assert.equal(machineCalls(), 0);
  });
});
