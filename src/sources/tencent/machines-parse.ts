// The shape check of a DescribeMachines page: the list must be there (without it nothing is known
// of the region's machines); each machine's fields may be null, and a field of the wrong type names
// itself in the ShapeError the client reports as invalid_response.
import { ShapeError, describe, expectObject, optionalArray, optionalNumber, optionalString } from '../kit/validate.js';
import type { DescribeMachinesResponse, Machine } from './api.js';

export function parseMachines(raw: unknown): DescribeMachinesResponse {
  const where = 'Response';
  const response = expectObject(raw, where);
  const list = optionalArray(response, 'Machines', where);
  if (list === null) throw new ShapeError(`${where}.Machines is ${describe(response['Machines'])}, expected an array`);
  return {
    Machines: list.map((item, i) => parseMachine(item, `${where}.Machines[${i}]`)),
    TotalCount: optionalNumber(response, 'TotalCount', where),
    RequestId: optionalString(response, 'RequestId', where) ?? '',
  };
}

function parseMachine(raw: unknown, where: string): Machine {
  const machine = expectObject(raw, where);
  const text = (key: string) => optionalString(machine, key, where);
  const region = machine['RegionInfo'];
  return {
    MachineName: text('MachineName'),
    MachineOs: text('MachineOs'),
    MachineStatus: text('MachineStatus'),
    AgentStatus: text('AgentStatus'),
    InstanceStatus: text('InstanceStatus'),
    Uuid: text('Uuid'),
    Quuid: text('Quuid'),
    MachineIp: text('MachineIp'),
    MachineWanIp: text('MachineWanIp'),
    InstanceId: text('InstanceId'),
    AgentVersion: text('AgentVersion'),
    MachineType: text('MachineType'),
    RegionInfo:
      region === undefined || region === null
        ? null
        : { Region: optionalString(expectObject(region, `${where}.RegionInfo`), 'Region', `${where}.RegionInfo`) },
  };
}
