// Request and response types of the CWP actions we call (API version 2018-02-28), taken from the
// API documents and the generated SDK's models (tencentcloud-sdk-nodejs 4.1.313,
// services/cwp/v20180228/cwp_models.d.ts; test/unit/sources/tencent/api-types.test.ts checks ours against
// them). Ours, so that the per-product SDK package can replace CommonClient later.
import type { CwpModule } from './types.js';

export const CWP_API_VERSION = '2018-02-28';

interface CwpFilter {
  Name: string;
  Values: string[];
  ExactMatch?: boolean;
}

export interface DescribeScanStateRequest {
  /** Malware, Vul or Baseline. */
  ModuleType: CwpModule;
  /** StrategyId, required only for Baseline. */
  Filters?: CwpFilter[];
}

/**
 * As the cloud documents it, after validation: ScanState is always an integer; the fields the
 * document marks nullable, and those a faulty answer left out, are null.
 */
export interface DescribeScanStateResponse {
  /** 0 never scanned, 1 scanning, 2 completed, 3 stopping, 4 stopped. */
  ScanState: number;
  /** Progress, 0..100. */
  Schedule: number | null;
  TaskId: number | bigint | string | null;
  VulId: Array<number | bigint | string> | null;
  /** 0 one-click, 1 scheduled. */
  Type: number | null;
  /** "YYYY-MM-DD HH:mm:ss", Beijing time; may be null. */
  ScanBeginTime: string | null;
  /** Number of vulnerabilities found; may be null. */
  RiskEventCount: number | null;
  ScanEndTime: string | null;
  /** KB numbers scanned (in the SDK's model, not in the API document). */
  KBNumber?: string[] | null;
  RequestId: string;
}

export interface DescribeBaselineStrategyListRequest {
  /** At most 100. */
  Limit: number;
  Offset: number;
  /** 1 enabled, 0 disabled, 2 all. */
  Enabled: 0 | 1 | 2;
}

export interface BaselineStrategy {
  StrategyId: number;
  StrategyName: string;
  Enabled?: number;
  HostCount?: number;
  RuleCount?: number;
  ScanCycle?: number;
  ScanAt?: string;
  PassRate?: number;
  IsDefault?: number;
}

export interface DescribeBaselineStrategyListResponse {
  TotalCount: number;
  StrategyList: BaselineStrategy[];
  RequestId: string;
}

export interface DescribeScanTaskDetailsRequest {
  /** Malware, Vul or Baseline. */
  ModuleType: CwpModule;
  /**
   * TaskId of DescribeScanState. An Integer in the API; a bigint for ids beyond 2^53, which the
   * SDK's JSON writer (json-bigint) sends as the raw integer.
   */
  TaskId: number | bigint;
  /** At most 100. */
  Limit: number;
  /** Default 0. */
  Offset: number;
}

/** One host of a scan task (ScanTaskDetails), after validation: what the answer left out is null. */
export interface ScanTaskDetails {
  Uuid: string | null;
  HostName: string | null;
  HostIp: string | null;
  MachineWanIp: string | null;
  OsName: string | null;
  /** Scanning, Ok or Fail. */
  Status: string | null;
  /** Why a host failed: 3 offline, 4 timeout, 5 failed, 8 agent version too old. */
  FailType: number | null;
  /** In words: what a FailType outside those codes leaves unsaid. */
  Description: string | null;
  /** Risks found on the host. */
  RiskNum: number | null;
}

/**
 * After validation. Units as the documents give them: ScanProgress ("scan progress") and
 * ScanLeftTime ("remaining scan time", Integer) name none, so neither is exported.
 */
export interface DescribeScanTaskDetailsResponse {
  ScanTaskDetailList: ScanTaskDetails[] | null;
  /** Hosts of the task, all pages together. */
  TotalCount: number | null;
  ScanMachineCount: number | null;
  RiskMachineCount: number | null;
  ScanProgress: number | null;
  ScanLeftTime: number | null;
  VulCount: number | null;
  RequestId: string;
}

/** DescribeMachines' machine zone types (MachineType): CVM, Blackstone, edge computing, Lighthouse, hybrid cloud. */
export const CWP_MACHINE_TYPES = ['CVM', 'BM', 'ECM', 'LH', 'Other'] as const;
export type CwpMachineType = (typeof CWP_MACHINE_TYPES)[number];
/** The MachineRegion of machines outside Tencent Cloud (MachineType Other), as the API document says. */
export const OTHER_MACHINES_REGION = 'ap-others';

/**
 * DescribeMachines: one machine zone type in one region, a page at a time. The API also takes
 * Filters (AgentStatus ONLINE/OFFLINE/UNINSTALLED, MachineStatus RUNNING/STOPPED/EXPIRED, ...):
 * the exporter sends none, so one listing gives every state.
 */
export interface DescribeMachinesRequest {
  MachineType: CwpMachineType;
  /** e.g. ap-guangzhou; ap-others for MachineType Other. */
  MachineRegion: string;
  /** Default 10, at most 100. */
  Limit: number;
  /** Default 0. */
  Offset: number;
}

/**
 * One machine (the SDK's Machine model), after validation: what the answer left out is null. Its
 * status fields do not use the filters' words: MachineStatus is ONLINE, OFFLINE, SHUTDOWN or
 * UNINSTALLED; AgentStatus ONLINE, OFFLINE or UNINSTALLED (the model writes "UNINStALLED");
 * InstanceStatus RUNNING, STOPED (the model's spelling; the filter's is STOPPED) or EXPIRED.
 */
export interface Machine {
  MachineName: string | null;
  MachineOs: string | null;
  MachineStatus: string | null;
  AgentStatus: string | null;
  InstanceStatus: string | null;
  /** The CWP agent's id; "" for an agent offline for long (the model says so) and, in practice, for none. */
  Uuid: string | null;
  /** The CVM's (or BM's) own id. */
  Quuid: string | null;
  MachineIp: string | null;
  MachineWanIp: string | null;
  InstanceId: string | null;
  AgentVersion: string | null;
  MachineType: string | null;
  RegionInfo: { Region: string | null } | null;
}

export interface DescribeMachinesResponse {
  Machines: Machine[];
  /** Machines of the type and region, all pages together. */
  TotalCount: number | null;
  RequestId: string;
}
