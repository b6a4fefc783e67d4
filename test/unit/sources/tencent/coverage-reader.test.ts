// A cloud cannot make a coverage listing endless: all machine types and regions together read at most
// MAX_MACHINE_PAGES pages, and the machines left out are counted (cloudscan_dropped_series_total,
// reason "servers"); a machine listed twice is one server; one without any id is told and left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DescribeMachinesRequest, DescribeMachinesResponse, Machine } from '../../../../src/sources/tencent/api.js';
import type { CwpClient } from '../../../../src/sources/tencent/client.js';
import type { TencentCoverageConfig } from '../../../../src/sources/tencent/config.js';
import { TencentCoverageReader } from '../../../../src/sources/tencent/coverage-reader.js';
import { MACHINE_PAGE_SIZE, MAX_MACHINE_PAGES } from '../../../../src/sources/tencent/plan.js';
import type { TencentSnapshot } from '../../../../src/sources/tencent/types.js';
import type { FetchContext } from '../../../../src/contract/types.js';

function machine(uuid: string, fields: Partial<Machine> = {}): Machine {
  return {
    MachineName: uuid,
    MachineOs: null,
    MachineStatus: 'ONLINE',
    AgentStatus: 'ONLINE',
    InstanceStatus: 'RUNNING',
    Uuid: uuid,
    Quuid: null,
    MachineIp: null,
    MachineWanIp: null,
    InstanceId: null,
    AgentVersion: null,
    MachineType: null,
    RegionInfo: null,
    ...fields,
  };
}

/** A client whose every listing is `total` machines long, each page as asked. */
function endless(total: number): { client: CwpClient; requests: DescribeMachinesRequest[] } {
  const requests: DescribeMachinesRequest[] = [];
  const client = {
    describeMachines: async (request: DescribeMachinesRequest): Promise<DescribeMachinesResponse> => {
      requests.push(request);
      const count = Math.max(0, Math.min(request.Limit, total - request.Offset));
      return {
        Machines: Array.from({ length: count }, (_, i) => machine(`${request.MachineType}-${request.Offset + i}`)),
        TotalCount: total,
        RequestId: 'r',
      };
    },
  } as unknown as CwpClient;
  return { client, requests };
}

function context(): FetchContext<TencentSnapshot> {
  return {
    signal: new AbortController().signal,
    invoke: (_action, call) => call(new AbortController().signal, {}),
    staleBefore: 0,
    now: () => 0,
    publish: () => {},
  };
}

const COVERAGE: TencentCoverageConfig = { enabled: true, regions: ['ap-guangzhou'], machineTypes: ['CVM', 'LH'], intervalSeconds: 600 };

test('two listings of 150,000 machines each read 1,000 pages between them, and the machines left out are counted', async () => {
  const { client, requests } = endless(150_000);
  const read = await new TencentCoverageReader(COVERAGE, client).read(context());
  assert.equal(requests.length, MAX_MACHINE_PAGES);
  assert.equal(read.coverage?.servers.length, MAX_MACHINE_PAGES * MACHINE_PAGE_SIZE);
  assert.equal(read.error, undefined);
  const dropped = read.warnings.filter((w) => w.dropped);
  assert.equal(dropped.length, 1);
  assert.deepEqual(dropped[0]!.dropped, { reason: 'servers', count: 2 * 150_000 - MAX_MACHINE_PAGES * MACHINE_PAGE_SIZE });
  assert.match(dropped[0]!.message, /more than 1000 pages of machines/);
});

test('a listing of 250 takes 3 pages; one listed twice is one server; one without Uuid, Quuid or InstanceId is told and left out', async () => {
  const { client, requests } = endless(250);
  const read = await new TencentCoverageReader({ ...COVERAGE, machineTypes: ['CVM'] }, client).read(context());
  assert.deepEqual(
    requests.map((r) => r.Offset),
    [0, 100, 200],
  );
  assert.equal(read.coverage?.servers.length, 250);
  assert.deepEqual(read.warnings, []);

  const twice = {
    describeMachines: async (): Promise<DescribeMachinesResponse> => ({
      Machines: [
        machine('a'),
        machine('a', { AgentStatus: 'OFFLINE' }),
        machine('', { InstanceId: '' }),
        machine('b', { AgentStatus: 'GONE', MachineStatus: null }),
      ],
      TotalCount: 4,
      RequestId: 'r',
    }),
  } as unknown as CwpClient;
  const odd = await new TencentCoverageReader({ ...COVERAGE, machineTypes: ['CVM'] }, twice).read(context());
  assert.deepEqual(
    odd.coverage?.servers.map((s) => [s.uuid, s.coverage]),
    [
      ['a', 'protected'],
      ['b', 'unknown'],
    ],
  );
  assert.deepEqual(
    odd.warnings.map((w) => w.message),
    [
      'DescribeMachines: 1 machine(s) without Uuid, Quuid or InstanceId; left out',
      'DescribeMachines: 1 status value(s) the API documents no meaning for (AgentStatus "GONE" on machine b); their machines reported by the other fields, else as coverage "unknown"',
    ],
  );
});
