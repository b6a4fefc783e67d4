// Request and response types of the Security Center (SAS) actions we call, API version 2018-12-03,
// taken from the API reference and the generated @alicloud/sas20181203 models. Ours, so that the
// generated client could replace the base client later without touching the rest of the source.

export const SAS_API_VERSION = '2018-12-03';

/**
 * DescribeVulCheckTaskStatusDetail. The current API reference and the generated client mark every
 * parameter optional (an older reference marked TaskIds, Types and Uuid required). The exporter
 * always sends Uuid and Types, and TaskIds only when the configuration names tasks: without
 * TaskIds the API answers for the server's vulnerability-check tasks (no documented API lists
 * these task IDs; DescribeOnceTask with TaskType=VUL_CHECK_TASK comes closest).
 */
export interface DescribeVulCheckTaskStatusDetailRequest {
  /** Server UUID. */
  Uuid?: string;
  /** cve, sys, cms, sca. Sent as Types.1=..&Types.2=.. */
  Types?: string[];
  /** 32-character hex task IDs. Sent as TaskIds.1=..&TaskIds.2=.. */
  TaskIds?: string[];
  /** A member account under a resource directory. */
  ResourceDirectoryAccountId?: string;
}

export interface VulCheckSubtaskStatus {
  /** cve, sys, cms, sca. */
  Type: string | null;
  /** "0" unhandled, "1" collecting, "2" collected, "3" matching, "4" complete. Kept as sent. */
  Status: string | number | null;
  /** Failure code such as push_command_failed; empty or null when none. */
  Code: string | null;
}

export interface VulCheckTaskStatus {
  /** The main task ID; documented as a string, sent as a number by some answers. */
  TaskId: string | number | null;
  /** null when the answer left it out. */
  TaskStatusList: VulCheckSubtaskStatus[] | null;
}

/** After validation: what the answer left out is null. */
export interface DescribeVulCheckTaskStatusDetailResponse {
  /**
   * The server's vulnerability-check subtasks ("the total number of vulnerability subtasks for the
   * server" in the current reference and SDK model; the 2024 reference said "tasks"). Optional in the SDK.
   */
  TotalCount: number | null;
  TaskStatuses: VulCheckTaskStatus[] | null;
  RequestId: string;
}

/**
 * DescribeOnceTask: the account's tasks of one type, page by page; the change signal of
 * read-only-what-changed (change-signal.ts). From the sas-20181203 models (aliyun/alibabacloud-typescript-sdk
 * 06a71f9: DescribeOnceTaskRequest.ts, DescribeOnceTaskResponseBody.ts) and the API reference:
 * - it takes TaskType (VUL_CHECK_TASK: vulnerability checks; also CLIENT_PROBLEM_CHECK, CLIENT_DEV_OPS,
 *   ASSET_SECURITY_CHECK) or RootTaskId (a root task's subtasks), one of the two at least; TaskId and
 *   Source (schedule: the scheduled checks, console: one-click checks from the console) filter;
 *   StartTimeQuery and EndTimeQuery are the root task's start and end in Unix ms; CurrentPage and
 *   PageSize (default 20, no maximum documented) page. It takes no ResourceDirectoryAccountId: it
 *   lists the signer's own account's tasks, never a member's named by the management account.
 * - each task has TaskId, TaskType, TaskName, TaskStatus (1 started, 2 completed, 3 failed, 4 timed
 *   out; a number), TaskStatusText, Progress (a string, "10%"), TaskStartTime and TaskEndTime (Unix
 *   ms, numbers), SuccessCount, FailCount, ResultInfo and DetailData. No field names the servers a
 *   task covers: DetailData is a JSON string documented only with the agent-troubleshooting task's
 *   keys (uuid, instanceId, problemType, resCode, ...; its example is a CLIENT_PROBLEM_CHECK), not
 *   for VUL_CHECK_TASK, and a root task's subtasks are entries of the same model. So a task in the
 *   list tells that checks ran, not on which servers: the exporter reads it as "any server may have
 *   changed", and never reads DetailData. Nor is a task's Source in the answer (only a filter).
 * We send TaskType, CurrentPage, PageSize and StartTimeQuery.
 */
export interface DescribeOnceTaskRequest {
  TaskType?: string;
  CurrentPage?: number;
  PageSize?: number;
  /** Unix ms: tasks whose root task started at or after this. */
  StartTimeQuery?: number;
}

/** The fields of a task we read; what the answer left out is null. */
export interface OnceTask {
  TaskId: string | null;
  /** 1 started, 2 completed, 3 failed, 4 timed out; kept as sent (a number in the model). */
  TaskStatus: string | number | null;
  /** "10%" in the model's example; kept as sent. */
  Progress: string | number | null;
  /** Unix ms. */
  TaskStartTime: number | null;
  TaskEndTime: number | null;
}

/** CurrentPage, PageSize, TotalCount, Count (tasks on this page): DescribeCloudCenterInstances' without its NextToken. */
export type OnceTaskPageInfo = Omit<CloudCenterPageInfo, 'NextToken'>;

export interface DescribeOnceTaskResponse {
  TaskManageResponseList: OnceTask[];
  PageInfo: OnceTaskPageInfo | null;
  RequestId: string;
}

/**
 * DescribeCloudCenterInstances: pages by UseNextToken + NextToken, which the current reference
 * recommends (then TotalCount is not returned), or by CurrentPage/PageSize (PageSize up to 100).
 */
export interface DescribeCloudCenterInstancesRequest {
  CurrentPage?: number;
  /** Default 20, at most 100. */
  PageSize?: number;
  UseNextToken?: boolean;
  NextToken?: string;
  /** JSON array of {name, value} search criteria. */
  Criteria?: string;
  LogicalExp?: 'OR' | 'AND';
  /** ecs (servers), cloud_product, eci, rund, runc. */
  MachineTypes?: string;
  Lang?: 'zh' | 'en';
  ResourceDirectoryAccountId?: string;
}

/** The fields of an asset we read; the API sends many more (see the reference). */
export interface CloudCenterInstance {
  Uuid: string | null;
  InstanceId: string | null;
  InstanceName: string | null;
  Ip: string | null;
  InternetIp: string | null;
  IntranetIp: string | null;
  RegionId: string | null;
  /** The Security Center agent: online, offline, pause (suspended). */
  ClientStatus: string | null;
  /** What ClientStatus does not tell: online, offline, pause, uninstalled (no agent), stopped (the server is shut down). */
  ClientSubStatus: string | null;
  /** The instance: Running, or notRunning (stopped). */
  Status: string | null;
  Os: string | null;
}

export interface CloudCenterPageInfo {
  CurrentPage: number | null;
  PageSize: number | null;
  TotalCount: number | null;
  /** Entries on this page. */
  Count: number | null;
  /** With UseNextToken: the next page's token; empty (or absent) on the last page. */
  NextToken: string | null;
}

export interface DescribeCloudCenterInstancesResponse {
  Instances: CloudCenterInstance[];
  PageInfo: CloudCenterPageInfo | null;
  RequestId: string;
}
