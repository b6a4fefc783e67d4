// The Tencent Cloud half of the emulator: CWP's DescribeScanState, DescribeScanTaskDetails,
// DescribeBaselineStrategyList and DescribeMachines (machines.ts), and STS's AssumeRole (sts.ts), answered as the real APIs answer the
// real CommonClient, with TC3 signatures checked, for an account's own keys and for the temporary
// keys of its roles (whose X-TC-Token must be the one issued with them, unexpired on the emulator's clock).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ProviderHandler } from '../kit/handler.js';
import { applyTransportFault, nullFields, oversizedJson } from '../kit/faults.js';
import { IssuedKeysTable, accountNumberFor, type EmulatedRole, type IssuedKeys } from '../kit/sts.js';
import { checkTc3 } from './signature.js';
import { beijingTime, scanStateAt } from './simulation.js';
import { TencentOrganizations, type TencentEmulatedMember, type TencentEmulatedOrganization } from './organization.js';

export type { TencentEmulatedMember } from './organization.js';
import { CwpError } from './errors.js';
import { assumeRole, roleOwnerUin, type StsAccount } from './sts.js';
import { checkTencentRequest, routeTencent, tencentAddress, type TencentRoute, type TencentSite } from './actions.js';
import { generatedHosts, hostEntry, taskSummary, type TaskProgress, type TencentEmulatedHost } from './hosts.js';

import { describeMachines, generatedMachines, type TencentEmulatedMachine } from './machines.js';

export type { TencentEmulatedHost } from './hosts.js';
export { generatedHosts } from './hosts.js';
export type { TencentEmulatedMachine } from './machines.js';
export { extraMachine, generatedMachines, hostMachine } from './machines.js';

interface TencentStrategy {
  id: number;
  name: string;
  enabled?: boolean;
}

export interface TencentEmulatedAccount {
  name: string;
  secretId: string;
  secretKey: string;
  strategies?: TencentStrategy[];
  /** Length of one scan cycle (scanning for half of it, then completed). Default 120 s. */
  cycleMs?: number;
  /** Task ids above 2^53, written as raw JSON numbers. Default false. */
  bigTaskIds?: boolean;
  /** The account's uin (its ARNs' qcs::cam::uin/<uin>); derived from the name when absent. */
  uin?: string;
  /** CAM roles in this account that other accounts' keys may assume (their trust policies). */
  roles?: EmulatedRole[];
  /** The hosts every scan task covers; when absent, `fleetSize` hosts are generated, a quarter of them failing. */
  hosts?: TencentEmulatedHost[];
  /** Default 10. */
  fleetSize?: number;
  /** The machines DescribeMachines lists; when absent, one per host and others in every other state (generatedMachines). */
  machines?: TencentEmulatedMachine[];
  /** The site the account is on: its keys are known to that site's hosts only (*.intl.tencentcloudapi.com for intl). Default china. */
  site?: TencentSite;
  /** Actions its CAM policy (a role's, for its temporary keys) does not allow: AuthFailure.UnauthorizedOperation. */
  deniedActions?: string[];
}

export interface TencentEmulatorOptions {
  accounts?: TencentEmulatedAccount[];
  organizations?: TencentEmulatedOrganization[];
}

/** DescribeScanTaskDetails' Limit when the request has none (the document gives no default). */
const DEFAULT_HOST_PAGE = 10;

interface Account extends Required<
  Omit<TencentEmulatedAccount, 'strategies' | 'roles' | 'hosts' | 'fleetSize' | 'deniedActions' | 'machines'>
> {
  deniedActions: string[];
  strategies: TencentStrategy[];
  roles: EmulatedRole[];
  hosts: TencentEmulatedHost[];
  machines: TencentEmulatedMachine[];
  pinned: Map<string, Record<string, unknown>>;
  /** Host entries of a task (by task id digits), paged as the API pages them. */
  pinnedHosts: Map<string, Array<Record<string, unknown>>>;
  /** Whole DescribeScanTaskDetails answers of a task, whatever the page. */
  pinnedDetails: Map<string, Record<string, unknown>>;
  /** DescribeBaselineStrategyList's answer to each page, when pinned (a cloud whose pages never end, say). */
  pinnedStrategyPages: StrategyPages | undefined;
}

/** DescribeBaselineStrategyList's Response for a page (its Offset and Limit). */
type StrategyPages = (page: { offset: number; limit: number }) => Record<string, unknown>;

/** Who signed a call: an account by its own keys, or by temporary keys of one of its roles. */
interface Caller {
  account: Account;
  keys?: IssuedKeys;
}

export class TencentEmulator implements ProviderHandler {
  readonly provider = 'tencent' as const;
  readonly #accounts = new Map<string, Account>();
  /** Organizations by management account: members join and leave through it. */
  readonly organizations: TencentOrganizations;
  /** Temporary keys issued by AssumeRole. */
  readonly issued = new IssuedKeysTable();

  constructor(
    options: TencentEmulatorOptions,
    private readonly now: () => number,
  ) {
    for (const account of options.accounts ?? []) this.addAccount(account);
    this.organizations = new TencentOrganizations(
      options.organizations,
      (management, member) => this.#applyMember(management, member),
      (management, member) => this.#leaveMember(management, member),
    );
  }

  /** A member that left loses the roles its membership gave it: assuming them fails as for a missing role. */
  #leaveMember(management: string, member: TencentEmulatedMember): void {
    const account = member.account === undefined ? undefined : this.#accounts.get(member.account);
    if (!account) return;
    const named = new Set(member.roles);
    account.roles = account.roles.filter((role) => !(named.has(role.name) && role.trusted.includes(management)));
  }

  /** A member of an organization is its emulated account: with the member's uin, and its roles trusting the management account. */
  #applyMember(management: string, member: TencentEmulatedMember): void {
    const account = member.account === undefined ? undefined : this.#accounts.get(member.account);
    if (!account) return;
    account.uin = member.uin;
    const named = new Set(member.roles);
    account.roles = [
      ...account.roles.filter((role) => !named.has(role.name)),
      ...member.roles.map((name) => ({ name, trusted: [management] })),
    ];
  }

  /** Adds an account, or replaces the one of the same name. */
  addAccount(account: TencentEmulatedAccount): void {
    const { hosts, fleetSize, machines, ...rest } = account;
    const scanned = hosts ? [...hosts] : generatedHosts(account.name, fleetSize ?? 10);
    this.#accounts.set(account.name, {
      cycleMs: 120_000,
      bigTaskIds: false,
      uin: accountNumberFor(`tencent/${account.name}`, 12),
      site: 'china',
      ...rest,
      deniedActions: [...(account.deniedActions ?? [])],
      strategies: [...(account.strategies ?? [])],
      roles: [...(account.roles ?? [])],
      hosts: scanned,
      machines: machines ? [...machines] : generatedMachines(account.name, scanned),
      pinned: new Map(),
      pinnedHosts: new Map(),
      pinnedDetails: new Map(),
      pinnedStrategyPages: undefined,
    });
  }

  /** The account's uin, as its role ARNs name it. */
  uin(account: string): string {
    return this.#account(account).uin;
  }

  /** qcs::cam::uin/<uin>:roleName/<role>, the ARN of one of the account's roles (whether it exists or not). */
  roleArn(account: string, role: string): string {
    return `qcs::cam::uin/${this.uin(account)}:roleName/${role}`;
  }

  /** Replaces the account's roles (a role left out no longer exists: AssumeRole answers ResourceNotFound.RoleNotFound). */
  setRoles(account: string, roles: EmulatedRole[]): void {
    this.#account(account).roles = [...roles];
  }

  /** The actions the account's policy denies from now on (an empty list allows every one). */
  setDeniedActions(account: string, actions: string[]): void {
    this.#account(account).deniedActions = [...actions];
  }

  /** Ends the life of every temporary key of the account's roles now (all accounts' when absent), as if they had expired. */
  expireTemporaryKeys(account?: string): number {
    return this.issued.expire(this.now(), account);
  }

  /** The hosts every task of the account covers from now on. */
  setHosts(account: string, hosts: TencentEmulatedHost[]): void {
    this.#account(account).hosts = [...hosts];
  }

  hosts(account: string): readonly TencentEmulatedHost[] {
    return this.#account(account).hosts;
  }

  /** The machines DescribeMachines lists from now on. */
  setMachines(account: string, machines: TencentEmulatedMachine[]): void {
    this.#account(account).machines = [...machines];
  }

  machines(account: string): readonly TencentEmulatedMachine[] {
    return this.#account(account).machines;
  }

  /** Makes DescribeScanTaskDetails of this task list exactly these entries (paged by Limit and Offset); undefined unpins. */
  pinTaskHosts(account: string, taskId: number | bigint | string, entries: Array<Record<string, unknown>> | undefined): void {
    const pinned = this.#account(account).pinnedHosts;
    if (entries === undefined) pinned.delete(String(taskId));
    else pinned.set(String(taskId), entries);
  }

  /** Makes DescribeScanTaskDetails of this task answer exactly this Response for every page; undefined unpins. */
  pinTaskDetails(account: string, taskId: number | bigint | string, response: Record<string, unknown> | undefined): void {
    const pinned = this.#account(account).pinnedDetails;
    if (response === undefined) pinned.delete(String(taskId));
    else pinned.set(String(taskId), response);
  }

  /** A rotated key: requests signed with the old one fail with AuthFailure.SignatureFailure. */
  setSecretKey(account: string, secretKey: string): void {
    this.#account(account).secretKey = secretKey;
  }

  /** Makes DescribeBaselineStrategyList answer each page with what `pages` returns (RequestId added); undefined unpins. */
  pinStrategyPages(account: string, pages: StrategyPages | undefined): void {
    this.#account(account).pinnedStrategyPages = pages;
  }

  setStrategies(account: string, strategies: TencentStrategy[]): void {
    this.#account(account).strategies = [...strategies];
  }

  /** Makes DescribeScanState answer exactly this Response (RequestId added if missing); undefined unpins. */
  pinScanState(
    account: string,
    module: string,
    strategyId: number | string | undefined,
    response: Record<string, unknown> | undefined,
  ): void {
    const key = scanKey(module, strategyId);
    if (response === undefined) this.#account(account).pinned.delete(key);
    else this.#account(account).pinned.set(key, response);
  }

  /** What DescribeScanState answers now for this module and strategy (without RequestId). */
  scanState(account: string, module: string, strategyId?: number | string): Record<string, unknown> {
    const found = this.#account(account);
    const key = scanKey(module, strategyId);
    return found.pinned.get(key) ?? { ...scanStateAt(`${account}/${key}`, this.now(), found.cycleMs, found.bigTaskIds) };
  }

  accepts(req: IncomingMessage): boolean {
    return req.headers['x-tc-action'] !== undefined;
  }

  async handle(req: IncomingMessage, _url: URL, body: Buffer, res: ServerResponse, context: HandlerContext): Promise<void> {
    const action = String(req.headers['x-tc-action']);
    const address = tencentAddress(req.headers.host);
    const requestId = randomUUID();
    let route: TencentRoute | undefined;
    let routing: CwpError | undefined;
    try {
      route = routeTencent(address, action, headerText(req, 'x-tc-version') ?? '');
    } catch (error) {
      if (!(error instanceof CwpError)) throw error;
      routing = error;
    }
    const sts = route?.product === 'sts';
    const check = checkTc3(req.headers, body, (id) => this.#secretKeyOf(id), Math.floor(context.signingNow() / 1000));
    const caller = check.ok || check.secretId ? this.#caller(check.ok ? check.secretId : check.secretId!) : undefined;
    // An AssumeRole call is the role owner's (a member account's) call: counted and faulted as such.
    const account = (sts ? this.#roleOwner(body) : undefined) ?? caller?.account;
    const principal = check.ok ? check.secretId : (check.secretId ?? '');
    context.calls.record({ provider: 'tencent', account: account?.name ?? '', principal, action, at: context.now(), requestId });
    if (routing) return sendError(res, routing.code, routing.message, requestId);
    if (!check.ok) return sendError(res, check.code, check.message, requestId);
    // The China site and the international site are separate: neither knows the other's keys.
    if (address.cloud && caller!.account.site !== address.site) {
      return sendError(
        res,
        'AuthFailure.SecretIdNotFound',
        'The SecretId is not found, please ensure that your SecretId is correct.',
        requestId,
      );
    }
    // The limit is the signer's (RequestLimitExceeded.UinLimitExceeded: per uin), whoever's data or role is named.
    if (!context.quotas.admit('tencent', caller!.account.name, action, context.now())) {
      return sendError(res, 'RequestLimitExceeded', 'Your current request rate exceeds the limit of this API; try again later.', requestId);
    }

    const fault = context.faults.take('tencent', account!.name, action);
    if (fault?.kind === 'session_expired' && caller!.keys) this.issued.expire(context.now(), caller!.keys.account);
    if (caller!.keys) {
      const refused = this.issued.problem(caller!.keys, headerText(req, 'x-tc-token'), context.now());
      if (refused) return sendError(res, 'AuthFailure.TokenFailure', TOKEN_MESSAGES[refused], requestId);
    }
    if (fault && applyTransportFault(res, fault, context.hanging, context.faults)) return;
    if (fault?.kind === 'error') return sendError(res, fault.code, fault.message ?? `Injected ${fault.code}.`, requestId);

    let result: Record<string, unknown>;
    try {
      const request = parseBody(body);
      checkTencentRequest(route!, headerText(req, 'x-tc-region'), request);
      // CAM: the signer's policy (a role's, for temporary keys) must allow the action.
      if (caller!.account.deniedActions.includes(action)) {
        throw new CwpError(
          'AuthFailure.UnauthorizedOperation',
          `you are not authorized to perform operation (${route!.product}:${action}) resource (*) has no permission`,
        );
      }
      result = sts ? this.#assumeRole(caller!, request, context.now()) : this.#answer(account!, action, request, body);
    } catch (error) {
      if (error instanceof CwpError) return sendError(res, error.code, error.message, requestId);
      throw error;
    }
    const response = { ...result, RequestId: result['RequestId'] ?? requestId };
    if (fault?.kind === 'slow') {
      const timer = setTimeout(() => sendJson(res, { Response: response }), fault.delayMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (fault?.kind === 'null_fields') return sendJson(res, { Response: nullFields(response) });
    if (fault?.kind === 'oversized') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(oversizedJson({ Response: response }, fault.bytes));
      return;
    }
    sendJson(res, { Response: response });
  }

  #assumeRole(caller: Caller, request: Record<string, unknown>, now: number): Record<string, unknown> {
    const accounts: StsAccount[] = [...this.#accounts.values()].map((a) => ({ name: a.name, uin: a.uin, roles: a.roles }));
    return assumeRole({ name: caller.account.name }, request, accounts, this.issued, now);
  }

  /** The account that owns the role an AssumeRole body names, if it names one of ours. */
  #roleOwner(body: Buffer): Account | undefined {
    let uin: string | undefined;
    try {
      uin = roleOwnerUin(parseBody(body));
    } catch {
      return undefined;
    }
    return uin === undefined ? undefined : [...this.#accounts.values()].find((a) => a.uin === uin);
  }

  #secretKeyOf(secretId: string): string | undefined {
    return this.#bySecretId(secretId)?.secretKey ?? this.issued.find(secretId)?.secret;
  }

  #caller(secretId: string): Caller | undefined {
    const own = this.#bySecretId(secretId);
    if (own) return { account: own };
    const keys = this.issued.find(secretId);
    const owner = keys && this.#accounts.get(keys.account);
    return owner && keys ? { account: owner, keys } : undefined;
  }

  #answer(account: Account, action: string, request: Record<string, unknown>, body: Buffer): Record<string, unknown> {
    switch (action) {
      case 'DescribeScanState':
        return this.#describeScanState(account, request);
      case 'DescribeScanTaskDetails':
        return this.#describeScanTaskDetails(account, request, body);
      case 'DescribeBaselineStrategyList':
        return this.#describeBaselineStrategyList(account, request);
      case 'DescribeMachines':
        return describeMachines(account.machines, request);
      case 'DescribeOrganizationMembers':
        return this.#describeOrganizationMembers(account, request);
      default:
        throw new CwpError('InvalidAction', `The action ${action} is not supported by this emulator.`);
    }
  }

  #describeScanState(account: Account, request: Record<string, unknown>): Record<string, unknown> {
    const module = String(request['ModuleType']);
    if (module !== 'Baseline') return this.scanState(account.name, module);
    const filters = Array.isArray(request['Filters']) ? (request['Filters'] as Array<Record<string, unknown>>) : [];
    const strategy = filters.find((f) => f['Name'] === 'StrategyId');
    const id = Array.isArray(strategy?.['Values']) ? String((strategy['Values'] as unknown[])[0]) : undefined;
    if (id === undefined) throw new CwpError('InvalidParameter.MissingParameter', 'ModuleType Baseline needs a StrategyId filter.');
    if (!account.strategies.some((s) => String(s.id) === id)) {
      throw new CwpError('ResourceNotFound', `Baseline strategy ${id} does not exist.`);
    }
    return this.scanState(account.name, module, id);
  }

  /**
   * The hosts of a task, a page at a time. The task is found among the module's latest tasks (the
   * scans DescribeScanState reports now): while it runs, its hosts finish as its progress passes
   * them. Any other task id is an earlier task, finished, with every host done.
   */
  #describeScanTaskDetails(account: Account, request: Record<string, unknown>, body: Buffer): Record<string, unknown> {
    const module = String(request['ModuleType']);
    // The digits as sent: JSON.parse would round an id beyond 2^53.
    const taskId = /"TaskId"\s*:\s*(\d+)\s*[,}]/.exec(body.toString('utf8'))?.[1] ?? String(request['TaskId']);
    const limit = typeof request['Limit'] === 'number' ? request['Limit'] : DEFAULT_HOST_PAGE;
    const offset = typeof request['Offset'] === 'number' ? request['Offset'] : 0;
    const pinned = account.pinnedDetails.get(taskId);
    if (pinned) return pinned;

    const current = this.#latestTasks(account, module).find((scan) => String(scan['TaskId']) === taskId);
    const running = current !== undefined && (current['ScanState'] === 1 || current['ScanState'] === 3);
    const task: TaskProgress = {
      running,
      schedule: typeof current?.['Schedule'] === 'number' ? current['Schedule'] : 100,
      scanBeginTime: typeof current?.['ScanBeginTime'] === 'string' ? current['ScanBeginTime'] : null,
      scanEndTime: typeof current?.['ScanEndTime'] === 'string' ? current['ScanEndTime'] : null,
      now: beijingTime(this.now()),
    };
    const entries =
      account.pinnedHosts.get(taskId) ?? account.hosts.map((host, i) => hostEntry(`${account.name}/${module}/${taskId}`, host, i, task));
    return {
      ...taskSummary(entries, task, current?.['Type'] ?? 1),
      ScanTaskDetailList: entries.slice(offset, offset + limit),
      TotalCount: entries.length,
    };
  }

  /** What DescribeScanState answers now for each scan of a module (each strategy of Baseline). */
  #latestTasks(account: Account, module: string): Array<Record<string, unknown>> {
    if (module !== 'Baseline') return [this.scanState(account.name, module)];
    return account.strategies.map((s) => this.scanState(account.name, module, s.id));
  }

  #describeBaselineStrategyList(account: Account, request: Record<string, unknown>): Record<string, unknown> {
    const { Limit: limit, Offset: offset, Enabled: enabled } = request as { Limit: number; Offset: number; Enabled: number };
    if (account.pinnedStrategyPages) return account.pinnedStrategyPages({ offset, limit });
    const matching = account.strategies.filter((s) => enabled === 2 || (enabled === 1) === (s.enabled ?? true));
    return {
      TotalCount: matching.length,
      StrategyList: matching.slice(offset, offset + limit).map((s, i) => ({
        StrategyId: s.id,
        StrategyName: s.name,
        Enabled: (s.enabled ?? true) ? 1 : 0,
        HostCount: 3 + (s.id % 7),
        RuleCount: 40 + (s.id % 30),
        ScanCycle: 7,
        ScanAt: '02:00:00',
        PassRate: 80 + (s.id % 20),
        IsDefault: offset + i === 0 ? 1 : 0,
      })),
    };
  }

  /** As the Organization API (2021-03-31) answers: Offset a multiple of Limit, Limit 1..50, Items and Total. */
  #describeOrganizationMembers(account: Account, request: Record<string, unknown>): Record<string, unknown> {
    const { Limit: limit, Offset: offset } = request as { Limit: number; Offset: number };
    const listed = this.organizations.listedBy(account.name, typeof request['Product'] === 'string' ? request['Product'] : undefined);
    if (listed === undefined) throw new CwpError('ResourceNotFound.OrganizationNotExist', 'The organization does not exist.');
    return {
      Items: listed.members.slice(offset, offset + limit).map((member) => ({
        MemberUin: member.memberUinJson === undefined ? BigInt(member.uin) : new RawJson(member.memberUinJson),
        Name: member.name,
        MemberType: 'Invite',
        NodeId: 1,
        NodeName: 'root',
        CreateTime: '2024-01-01 00:00:00',
        IsAllowQuit: 'Allow',
        PermissionStatus: 'Confirmed',
      })),
      Total: this.organizations.total(listed.management),
    };
  }

  #bySecretId(secretId: string): Account | undefined {
    for (const account of this.#accounts.values()) if (account.secretId === secretId) return account;
    return undefined;
  }

  #account(name: string): Account {
    const account = this.#accounts.get(name);
    if (!account) throw new Error(`no emulated Tencent account "${name}"`);
    return account;
  }
}

const TOKEN_MESSAGES: Record<'missing_token' | 'wrong_token' | 'expired', string> = {
  missing_token: 'The request is signed with temporary keys but carries no X-TC-Token.',
  wrong_token: 'The token does not belong to the temporary keys the request is signed with.',
  expired: 'The token has expired.',
};

function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function scanKey(module: string, strategyId: number | string | undefined): string {
  return strategyId === undefined || strategyId === '' ? module : `${module}/${strategyId}`;
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    throw new CwpError('InvalidParameter.InvalidFormat', 'The request body is not JSON.');
  }
}

/** A value written into an answer as this JSON text, as it is: for answers of any shape. */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON with bigints written as raw numbers, as the real API writes large ids, and RawJson as its text. */
function toJson(value: unknown): string {
  const marker = '__cloudscan_raw__:';
  const raws: string[] = [];
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${marker}${raws.push(String(v)) - 1}`;
    if (v instanceof RawJson) return `${marker}${raws.push(v.text) - 1}`;
    return v;
  }).replace(new RegExp(`"${marker}(\\d+)"`, 'g'), (_match, index: string) => raws[Number(index)]!);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(toJson(value));
}

function sendError(res: ServerResponse, code: string, message: string, requestId: string): void {
  sendJson(res, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}
