// DescribeMachines' machines -> coverage: the three status fields with the words the answer uses
// (not the filters'), both spellings where the model and the filters disagree, the agent's Uuid gone
// for an agent offline for long, and the labels bounded. Odd values are told, never made up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Machine } from '../../../../src/sources/tencent/api.js';
import { parseMachines } from '../../../../src/sources/tencent/machines-parse.js';
import { machineCoverage, machineKey, toCoveredServer } from '../../../../src/sources/tencent/machines-map.js';
import { validatedAnswer } from '../../../../src/sources/kit/validate.js';
import { ApiError } from '../../../../src/contract/types.js';

function machine(fields: Partial<Machine> = {}): Machine {
  return {
    MachineName: 'web-1',
    MachineOs: 'TencentOS Server 3.1',
    MachineStatus: 'ONLINE',
    AgentStatus: 'ONLINE',
    InstanceStatus: 'RUNNING',
    Uuid: 'agent-uuid-1',
    Quuid: 'cvm-quuid-1',
    MachineIp: '10.0.0.1',
    MachineWanIp: '',
    InstanceId: 'ins-0001',
    AgentVersion: '4.9.0.1',
    MachineType: 'CVM',
    RegionInfo: { Region: 'ap-guangzhou' },
    ...fields,
  };
}

test('AgentStatus ONLINE, OFFLINE and UNINSTALLED (any case: the model writes UNINStALLED) are protected, agent_offline and agent_missing', () => {
  const odd: string[] = [];
  const coverage = (fields: Partial<Machine>) => machineCoverage(machine(fields), (field, value) => odd.push(`${field}=${value}`));
  assert.deepEqual(
    ['ONLINE', 'OFFLINE', 'UNINSTALLED', 'UNINStALLED', ' online '].map((status) => coverage({ AgentStatus: status, MachineStatus: null })),
    ['protected', 'agent_offline', 'agent_missing', 'agent_missing', 'protected'],
  );
  assert.deepEqual(odd, []);
});

test('a stopped or expired server is server_stopped whatever its agent says: InstanceStatus STOPED (the model) or STOPPED (the filter), EXPIRED, or MachineStatus SHUTDOWN', () => {
  const coverage = (fields: Partial<Machine>) => machineCoverage(machine(fields), () => assert.fail('nothing odd here'));
  for (const instance of ['STOPED', 'STOPPED', 'EXPIRED', 'stoped'])
    assert.equal(coverage({ InstanceStatus: instance }), 'server_stopped', instance);
  assert.equal(coverage({ MachineStatus: 'SHUTDOWN', InstanceStatus: null }), 'server_stopped');
  assert.equal(coverage({ MachineStatus: 'SHUTDOWN', AgentStatus: 'OFFLINE', InstanceStatus: 'STOPED' }), 'server_stopped');
});

test('without a known AgentStatus, MachineStatus says it; with neither the machine is unknown, and the odd values are told', () => {
  const odd: string[] = [];
  const coverage = (fields: Partial<Machine>) => machineCoverage(machine(fields), (field, value) => odd.push(`${field}=${value}`));
  assert.deepEqual(
    ['ONLINE', 'OFFLINE', 'UNINSTALLED'].map((status) => coverage({ AgentStatus: null, MachineStatus: status })),
    ['protected', 'agent_offline', 'agent_missing'],
  );
  assert.equal(coverage({ AgentStatus: 'ONLINE', MachineStatus: 'OFFLINE' }), 'protected', 'the agent field wins over MachineStatus');
  assert.equal(coverage({ AgentStatus: null, MachineStatus: null }), 'unknown');
  assert.deepEqual(odd, []);
  assert.equal(coverage({ AgentStatus: 'UPGRADING', MachineStatus: 'OFFLINE' }), 'agent_offline');
  assert.equal(coverage({ AgentStatus: 'UPGRADING', MachineStatus: 'BOOTING', InstanceStatus: 'REBOOTING' }), 'unknown');
  assert.deepEqual(odd, ['AgentStatus=UPGRADING', 'InstanceStatus=REBOOTING', 'AgentStatus=UPGRADING', 'MachineStatus=BOOTING']);
});

test("a machine is named by its agent's Uuid; one whose Uuid is empty (an agent offline for long, none installed) by its Quuid, then its InstanceId", () => {
  assert.equal(machineKey(machine()), 'agent-uuid-1');
  assert.equal(machineKey(machine({ Uuid: '' })), 'cvm-quuid-1');
  assert.equal(machineKey(machine({ Uuid: null, Quuid: ' ' })), 'ins-0001');
  assert.equal(machineKey(machine({ Uuid: '', Quuid: '', InstanceId: null })), '');
});

test('a listed machine becomes a covered server with what identifies it, bounded, its region from RegionInfo or the region asked', () => {
  const warnings: string[] = [];
  const server = toCoveredServer(
    machine(),
    'ap-shanghai',
    undefined,
    1000,
    (_kind, w) => warnings.push(w),
    () => {},
  );
  assert.deepEqual(server, {
    uuid: 'agent-uuid-1',
    instanceName: 'web-1',
    instanceId: 'ins-0001',
    region: 'ap-guangzhou',
    ip: '10.0.0.1',
    os: 'TencentOS Server 3.1',
    agentVersion: '4.9.0.1',
    coverage: 'protected',
    uncoveredSince: null,
  });
  const bare = toCoveredServer(
    machine({
      Uuid: '',
      MachineName: null,
      MachineOs: null,
      MachineIp: null,
      AgentVersion: null,
      RegionInfo: null,
      AgentStatus: 'UNINSTALLED',
    }),
    'ap-shanghai',
    undefined,
    1000,
    (_kind, w) => warnings.push(w),
    () => {},
  );
  assert.deepEqual(bare, {
    uuid: 'cvm-quuid-1',
    instanceName: '',
    instanceId: 'ins-0001',
    region: 'ap-shanghai',
    ip: '',
    os: '',
    agentVersion: '',
    coverage: 'agent_missing',
    uncoveredSince: 1000,
  });
  assert.equal(warnings.length, 0);
  const hostile = toCoveredServer(
    machine({ MachineName: 'web\n1', AgentVersion: '4.9 "x"' }),
    'ap-guangzhou',
    undefined,
    0,
    (_kind, w) => warnings.push(w),
    () => {},
  );
  assert.equal(hostile.instanceName, 'web1');
  assert.equal(hostile.agentVersion, '4.9__x_');
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /^machine agent-uuid-1: MachineName "web\\n1" is not a plain name/);
});

test('uncovered since the first listing that found it so, whatever the reason; an unchanged machine is the very object of its previous listing', () => {
  const at = (now: number, fields: Partial<Machine>, previous?: ReturnType<typeof toCoveredServer>) =>
    toCoveredServer(
      machine(fields),
      'ap-guangzhou',
      previous,
      now,
      () => {},
      () => {},
    );
  const online = at(0, {});
  assert.equal(at(600_000, {}, online), online);
  const offline = at(600_000, { AgentStatus: 'OFFLINE' }, online);
  assert.equal(offline.uncoveredSince, 600_000);
  const missing = at(1_200_000, { AgentStatus: 'UNINSTALLED' }, offline);
  assert.deepEqual([missing.coverage, missing.uncoveredSince], ['agent_missing', 600_000]);
  assert.equal(at(1_800_000, { AgentStatus: 'UNINSTALLED' }, missing), missing);
  const stopped = at(2_400_000, { InstanceStatus: 'STOPED' }, missing);
  assert.equal(stopped.uncoveredSince, null, 'a stopped server is not uncovered');
});

test('a page without its Machines list is invalid_response naming the field; each machine field of the wrong type too', () => {
  const parse = (raw: unknown) => validatedAnswer('tencent', 'DescribeMachines', () => parseMachines(raw));
  assert.deepEqual(parse({ Machines: [], TotalCount: 0, RequestId: 'r' }), { Machines: [], TotalCount: 0, RequestId: 'r' });
  assert.throws(
    () => parse({ TotalCount: 3 }),
    (error: unknown) =>
      error instanceof ApiError && error.code === 'invalid_response' && /Response\.Machines is missing/.test(error.message),
  );
  assert.throws(() => parse({ Machines: [{ AgentStatus: 1 }] }), /Response\.Machines\[0\]\.AgentStatus is number 1, expected a string/);
  assert.throws(
    () => parse({ Machines: [{ RegionInfo: 'ap-guangzhou' }] }),
    /Response\.Machines\[0\]\.RegionInfo is the string "ap-guangzhou", expected an object/,
  );
  const [read] = parse({
    Machines: [{ Uuid: null, Quuid: 'q', RegionInfo: { Region: 'ap-beijing', RegionId: 8 } }],
    TotalCount: 1,
  }).Machines;
  assert.equal(read?.Uuid, null);
  assert.deepEqual(read?.RegionInfo, { Region: 'ap-beijing' });
});
