// The machines of an emulated CWP account, as DescribeMachines lists them: one per scanned host
// (its agent online, or offline where the host's scans fail as offline), and beside them machines in
// every other agent and machine state the Machine model documents: no agent installed, an agent
// offline for so long that its Uuid is gone, a stopped server (InstanceStatus STOPED, the model's
// spelling), an expired one, Lighthouse servers and a server outside Tencent Cloud (MachineType
// Other, region ap-others). Deterministic, so a test knows every answer.
import { createHash } from 'node:crypto';
import type { TencentEmulatedHost } from './hosts.js';

type EmulatedMachineType = 'CVM' | 'BM' | 'ECM' | 'LH' | 'Other';

export interface TencentEmulatedMachine {
  /** The CWP agent's Uuid; "" for an agent offline for long, or none installed. */
  uuid: string;
  /** The CVM's own id. */
  quuid: string;
  name: string;
  instanceId: string;
  ip: string;
  wanIp?: string;
  os: string;
  machineType: EmulatedMachineType;
  /** MachineRegion it is listed in: ap-guangzhou, ..., ap-others for MachineType Other. */
  region: string;
  /** As the API writes them: AgentStatus ONLINE/OFFLINE/UNINSTALLED, MachineStatus ONLINE/OFFLINE/SHUTDOWN/UNINSTALLED, InstanceStatus RUNNING/STOPED/EXPIRED. */
  agentStatus: string;
  machineStatus: string;
  instanceStatus: string;
  /** "" when no agent is installed. */
  agentVersion: string;
}

/** Where generated machines are: the region coverage asks by default. */
const MACHINES_REGION = 'ap-guangzhou';
const AGENT_VERSION = '4.9.0.1';
/** The agent version of a host whose scans fail as agent_outdated. */
const OUTDATED_AGENT_VERSION = '2.1.0';

/** The machines beside the scanned hosts, in turn: every state the scanned hosts do not have. */
const EXTRA_KINDS = ['uninstalled', 'offline_long', 'stopped', 'expired', 'lighthouse', 'other_cloud'] as const;

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A UUID-shaped id derived from a name, as CWP's agent Uuids are. */
function uuidShaped(name: string): string {
  const h = hex(name, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The machine of a scanned host: its agent online, or offline where its scans fail as offline. */
export function hostMachine(account: string, host: TencentEmulatedHost): TencentEmulatedMachine {
  const status = host.failure === 'offline' ? 'OFFLINE' : 'ONLINE';
  return {
    uuid: host.uuid,
    quuid: uuidShaped(`${account}/quuid/${host.uuid}`),
    name: host.name,
    instanceId: `ins-${host.uuid.slice(0, 8)}`,
    ip: host.ip,
    ...(host.wanIp ? { wanIp: host.wanIp } : {}),
    os: host.os ?? '',
    machineType: 'CVM',
    region: MACHINES_REGION,
    agentStatus: status,
    machineStatus: status,
    instanceStatus: 'RUNNING',
    agentVersion: host.failure === 'agent_outdated' ? OUTDATED_AGENT_VERSION : AGENT_VERSION,
  };
}

/** The i-th machine beside the scanned hosts (0-based): kinds in turn. */
export function extraMachine(account: string, index: number): TencentEmulatedMachine {
  const kind = EXTRA_KINDS[index % EXTRA_KINDS.length]!;
  const id = hex(`${account}/machine/${index}`, 8);
  const machine: TencentEmulatedMachine = {
    uuid: uuidShaped(`${account}/agent/${index}`),
    quuid: uuidShaped(`${account}/quuid/${index}`),
    name: `${account}-${kind.replace('_', '-')}-${String(index + 1).padStart(3, '0')}`,
    instanceId: kind === 'lighthouse' ? `lhins-${id}` : kind === 'other_cloud' ? '' : `ins-${id}`,
    ip: `172.20.${(index >> 8) & 255}.${index & 255}`,
    os: index % 2 === 0 ? 'TencentOS Server 3.1' : 'Ubuntu Server 22.04 LTS 64bit',
    machineType: kind === 'lighthouse' ? 'LH' : kind === 'other_cloud' ? 'Other' : 'CVM',
    region: kind === 'other_cloud' ? 'ap-others' : MACHINES_REGION,
    agentStatus: 'ONLINE',
    machineStatus: 'ONLINE',
    instanceStatus: 'RUNNING',
    agentVersion: AGENT_VERSION,
  };
  switch (kind) {
    case 'uninstalled':
      return { ...machine, uuid: '', agentStatus: 'UNINSTALLED', machineStatus: 'UNINSTALLED', agentVersion: '' };
    case 'offline_long':
      return { ...machine, uuid: '', agentStatus: 'OFFLINE', machineStatus: 'OFFLINE' };
    case 'stopped':
      return { ...machine, agentStatus: 'OFFLINE', machineStatus: 'SHUTDOWN', instanceStatus: 'STOPED' };
    case 'expired':
      return { ...machine, agentStatus: 'OFFLINE', machineStatus: 'OFFLINE', instanceStatus: 'EXPIRED' };
    default:
      return machine;
  }
}

/**
 * An account's machines: one per scanned host, then `extra` machines in the other states (by
 * default a quarter as many as the hosts, at least one of each kind).
 */
export function generatedMachines(
  account: string,
  hosts: readonly TencentEmulatedHost[],
  extra = Math.max(EXTRA_KINDS.length, Math.ceil(hosts.length / 4)),
): TencentEmulatedMachine[] {
  return [...hosts.map((host) => hostMachine(account, host)), ...Array.from({ length: extra }, (_, i) => extraMachine(account, i))];
}

/** One machine as the API's Machine model writes it. */
function machineEntry(machine: TencentEmulatedMachine): Record<string, unknown> {
  const protectedNow = machine.agentStatus === 'ONLINE';
  return {
    MachineName: machine.name,
    MachineOs: machine.os,
    MachineStatus: machine.machineStatus,
    AgentStatus: machine.agentStatus,
    InstanceStatus: machine.instanceStatus,
    Uuid: machine.uuid,
    Quuid: machine.quuid,
    VulNum: 0,
    MachineIp: machine.ip,
    IsProVersion: false,
    MachineWanIp: machine.wanIp ?? '',
    PayMode: 'POSTPAY',
    MalwareNum: 0,
    Tag: [],
    BaselineNum: 0,
    CyberAttackNum: 0,
    SecurityStatus: protectedNow ? 'SAFE' : 'UNKNOWN',
    InvasionNum: 0,
    RegionInfo: {
      Region: machine.region,
      RegionName: machine.region,
      RegionId: 1,
      RegionCode: machine.region,
      RegionNameEn: machine.region,
    },
    InstanceState: 'NORMAL',
    LicenseStatus: 0,
    ProjectId: 0,
    HasAssetScan: 0,
    MachineType: machine.machineType,
    KernelVersion: '5.4.119-19.0009.28',
    ProtectType: 'BASIC_VERSION',
    CloudTags: [],
    IsAddedOnTheFifteen: 0,
    IpList: machine.ip,
    VpcId: 'vpc-emulated',
    MachineExtraInfo: {
      WanIP: machine.wanIp ?? '',
      PrivateIP: machine.ip,
      NetworkType: 1,
      NetworkName: 'vpc-emulated',
      InstanceID: machine.instanceId,
      HostName: machine.name,
    },
    InstanceId: machine.instanceId,
    Remark: '',
    AgentVersion: machine.agentVersion,
    AppId: 1250000000,
    CSIPProtectType: '',
  };
}

/** DescribeMachines' Limit when the request has none (the document's default). */
const DEFAULT_LIMIT = 10;

/** The machines of one type in one region, a page at a time, as DescribeMachines answers. */
export function describeMachines(machines: readonly TencentEmulatedMachine[], request: Record<string, unknown>): Record<string, unknown> {
  const matching = machines.filter((m) => m.machineType === request['MachineType'] && m.region === request['MachineRegion']);
  const limit = typeof request['Limit'] === 'number' ? request['Limit'] : DEFAULT_LIMIT;
  const offset = typeof request['Offset'] === 'number' ? request['Offset'] : 0;
  return { Machines: matching.slice(offset, offset + limit).map(machineEntry), TotalCount: matching.length };
}
