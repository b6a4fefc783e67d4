// The Alibaba Cloud half of the emulator: Security Center (SAS) RPC actions as the real service
// answers the Darabonba base client, with signature checks, a simulated fleet per account and
// the shared fault injection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ProviderHandler } from '../handler.js';
import { applyTransportFault, nullFields, oversizedJson, type Fault } from '../faults.js';
import { checkSignature, parseQuery } from './signature.js';
import { alibabaErrorBody, alibabaErrorStatus } from './errors.js';
import {
  EmulatedAccount,
  generatedFleet,
  hash32,
  uuidFor,
  type AlibabaEmulatorAccount,
  type ClientStatus,
  type EmulatedServer,
  type VulCheckAnswer,
} from './fleet.js';

export {
  FAILURE_CODES,
  generatedServer,
  subtaskAt,
  uuidFor,
  type AlibabaEmulatorAccount,
  type ClientStatus,
  type EmulatedServer,
} from './fleet.js';

export interface AlibabaEmulatorOptions {
  accounts?: AlibabaEmulatorAccount[];
}

export const SAS_VERSION = '2018-12-03';
/** DescribeCloudCenterInstances' largest page. */
export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

type Query = Record<string, string>;

/** Query parameters of the v2 signature that carry or prove a credential. */
const CREDENTIAL_PARAMS = new Set(['AccessKeyId', 'SecurityToken', 'Signature', 'SignatureNonce']);

export class AlibabaEmulator implements ProviderHandler {
  readonly provider = 'alibaba' as const;
  readonly #accounts = new Map<string, EmulatedAccount>();
  #requests = 0;

  constructor(
    readonly options: AlibabaEmulatorOptions,
    readonly now: () => number,
  ) {
    for (const account of options.accounts ?? []) this.addAccount(account);
  }

  // ---- control, for tests and demos ---------------------------------------------------------

  addAccount(account: AlibabaEmulatorAccount): void {
    if ([...this.#accounts.values()].some((a) => a.accessKeyId === account.accessKeyId && a.name !== account.name)) {
      throw new Error(`AccessKeyId of account ${account.name} is already used by another account`);
    }
    this.#accounts.set(account.name, new EmulatedAccount(account));
  }

  /** Replaces the account's servers (a server left out disappears from discovery and answers). */
  setServers(account: string, servers: EmulatedServer[]): void {
    this.#account(account).servers = [...servers];
  }

  /** Replaces the account's servers with n generated ones (deterministic: the same n gives the same fleet). */
  setFleetSize(account: string, size: number): void {
    this.#account(account).servers = generatedFleet(account, size);
  }

  /** Sets a server's agent status (ClientStatus), as an agent going offline, being paused or coming back would. */
  setClientStatus(account: string, uuid: string, status: ClientStatus): void {
    const emulated = this.#account(account);
    const index = emulated.servers.findIndex((s) => s.uuid === uuid);
    if (index < 0) throw new Error(`no server ${uuid} in emulated Alibaba account ${account}`);
    emulated.servers[index] = { ...emulated.servers[index]!, clientStatus: status };
  }

  servers(account: string): EmulatedServer[] {
    return [...this.#account(account).servers];
  }

  /** The account's task ids (32 hex digits). */
  taskIds(account: string): string[] {
    return [...this.#account(account).taskIds];
  }

  /**
   * Makes DescribeVulCheckTaskStatusDetail for this server answer exactly `body` (an object is sent
   * as JSON, a string as is); `undefined` returns to the simulation.
   */
  pinTaskStatus(account: string, uuid: string, body: unknown): void {
    const pinned = this.#account(account).pinned;
    if (body === undefined) pinned.delete(uuid);
    else pinned.set(uuid, body);
  }

  /** Changes the secret the emulator expects, as a key rotation in the console would. */
  setSecret(account: string, secret: string): void {
    this.#account(account).accessKeySecret = secret;
  }

  /** What the simulation answers now for one server (RequestId aside). */
  vulCheckAnswer(account: string, uuid: string, types?: string[], taskIds?: string[]): VulCheckAnswer {
    return this.#account(account).vulCheckAnswer(uuid, types, taskIds, this.now());
  }

  #account(name: string): EmulatedAccount {
    const account = this.#accounts.get(name);
    if (!account) throw new Error(`no emulated Alibaba account ${name}`);
    return account;
  }

  // ---- ProviderHandler -----------------------------------------------------------------------

  accepts(req: IncomingMessage, url: URL): boolean {
    return typeof req.headers['x-acs-action'] === 'string' || url.searchParams.has('Action');
  }

  async handle(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse, context: HandlerContext): Promise<void> {
    const requestId = this.#requestId();
    const hostId = typeof req.headers.host === 'string' ? req.headers.host.replace(/:\d+$/, '') : 'tds.aliyuncs.com';
    const query = parseQuery(url.search);
    const form = isForm(req) ? parseQuery(body.toString('utf8')) : {};
    const params: Query = { ...query, ...form };
    const action = headerText(req, 'x-acs-action') || params['Action'] || '';
    const version = headerText(req, 'x-acs-version') || params['Version'] || '';

    const fail = (code: string, message?: string) =>
      send(res, alibabaErrorStatus(code), alibabaErrorBody(code, requestId, hostId, message));

    const accounts = [...this.#accounts.values()];
    const check = checkSignature(req, url.pathname, query, form, body, (id) => accounts.find((a) => a.accessKeyId === id)?.accessKeySecret);
    const account = check.accessKeyId === null ? undefined : accounts.find((a) => a.accessKeyId === check.accessKeyId);
    // The action's own parameters too, for tests of paging; never a credential (the v2 signature's are in the query).
    const recorded = Object.fromEntries(Object.entries(params).filter(([key]) => !CREDENTIAL_PARAMS.has(key)));
    context.calls.record({ provider: 'alibaba', account: account?.name ?? '', action, at: context.now(), requestId, params: recorded });
    if (!check.ok) {
      if (check.reason === 'unknown_key') return fail('InvalidAccessKeyId.NotFound');
      if (check.reason === 'missing') return fail('IncompleteSignature');
      return fail('SignatureDoesNotMatch');
    }
    if (!account) return fail('InvalidAccessKeyId.NotFound');
    if (!context.quotas.admit('alibaba', account.name, action, context.now())) return fail('Throttling.User');

    const fault = context.faults.take('alibaba', account.name, action);
    if (fault && applyTransportFault(res, fault, context.hanging, context.faults)) return;
    if (fault?.kind === 'error') return fail(fault.code, fault.message);
    if (fault?.kind === 'slow') {
      const gone = await delay(fault.delayMs, res);
      if (gone) return;
    }

    if (version !== SAS_VERSION) return fail('InvalidVersion', `Specified parameter Version is not valid.`);
    let answer: unknown;
    switch (action) {
      case 'DescribeVulCheckTaskStatusDetail': {
        const uuid = params['Uuid'];
        if (uuid === undefined || uuid === '') return fail('IllegalParam');
        if (account.pinned.has(uuid)) return sendPinned(res, account.pinned.get(uuid), fault);
        answer = {
          RequestId: requestId,
          ...account.vulCheckAnswer(uuid, listParam(params, 'Types'), listParam(params, 'TaskIds'), this.now()),
        };
        break;
      }
      case 'DescribeCloudCenterInstances': {
        const page = describeInstances(account, params, requestId);
        if (page === null) return fail('IllegalParam');
        answer = page;
        break;
      }
      default:
        return fail('InvalidAction.NotFound');
    }
    sendAnswer(res, answer as Record<string, unknown>, fault);
  }

  #requestId(): string {
    this.#requests++;
    return uuidFor(`request/${this.#requests}/${hash32(String(this.now()))}`).toUpperCase();
  }
}

/** One page of DescribeCloudCenterInstances; null for parameters the API rejects. */
function describeInstances(account: EmulatedAccount, params: Query, requestId: string): Record<string, unknown> | null {
  const pageSize = intParam(params, 'PageSize', DEFAULT_PAGE_SIZE);
  const currentPage = intParam(params, 'CurrentPage', 1);
  if (pageSize === null || currentPage === null || pageSize < 1 || pageSize > MAX_PAGE_SIZE || currentPage < 1) return null;
  const machineTypes = params['MachineTypes'];
  const servers = machineTypes && !machineTypes.split(',').includes('ecs') ? [] : account.servers;

  if (params['UseNextToken'] === 'true') {
    const token = params['NextToken'] ?? '';
    const start = token === '' ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0) return null;
    const slice = servers.slice(start, start + pageSize);
    const next = start + pageSize < servers.length ? Buffer.from(String(start + pageSize)).toString('base64url') : '';
    return {
      RequestId: requestId,
      Success: true,
      Instances: slice.map((s) => instanceOf(s)),
      PageInfo: { PageSize: pageSize, Count: slice.length, NextToken: next },
    };
  }
  const slice = servers.slice((currentPage - 1) * pageSize, currentPage * pageSize);
  return {
    RequestId: requestId,
    Success: true,
    Instances: slice.map((s) => instanceOf(s)),
    PageInfo: { CurrentPage: currentPage, PageSize: pageSize, TotalCount: servers.length, Count: slice.length },
  };
}

function instanceOf(server: EmulatedServer): Record<string, unknown> {
  const ip = server.ip ?? '10.0.0.1';
  return {
    Uuid: server.uuid,
    InstanceId: server.instanceId ?? '',
    InstanceName: server.instanceName,
    Ip: ip,
    IntranetIp: ip,
    InternetIp: '',
    RegionId: server.regionId ?? 'cn-hangzhou',
    Region: server.regionId ?? 'cn-hangzhou',
    ClientStatus: server.clientStatus ?? 'online',
    ClientSubStatus: server.clientStatus ?? 'online',
    Os: server.os ?? 'linux',
    AssetType: '0',
    AssetTypeName: 'ECS',
    Status: 'Running',
    Vendor: 0,
    VendorName: 'ALIYUN',
    Flag: 0,
    AuthVersion: 3,
    Bind: true,
    RiskStatus: 'NO',
    VulStatus: 'NO',
    VulCount: 0,
    GroupId: 0,
    GroupTrace: 'default',
  };
}

function sendAnswer(res: ServerResponse, answer: Record<string, unknown>, fault: Fault | undefined): void {
  if (fault?.kind === 'null_fields') return send(res, 200, nullFields(answer));
  if (fault?.kind === 'oversized') return sendText(res, 200, oversizedJson(answer, fault.bytes));
  send(res, 200, answer);
}

function sendPinned(res: ServerResponse, body: unknown, fault: Fault | undefined): void {
  if (typeof body === 'string') return sendText(res, 200, body);
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    return sendAnswer(res, body as Record<string, unknown>, fault);
  }
  send(res, 200, body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Waits; true when the client went away meanwhile. */
function delay(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function headerText(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

/** Key.1, Key.2, ... in index order; undefined when none was sent. */
function listParam(params: Query, key: string): string[] | undefined {
  const items: Array<[number, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    const match = /^(.+)\.(\d+)$/.exec(name);
    if (match && match[1] === key) items.push([Number(match[2]), value]);
  }
  return items.length === 0 ? undefined : items.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function intParam(params: Query, key: string, fallback: number): number | null {
  const text = params[key];
  if (text === undefined || text === '') return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}
