// The Alibaba Cloud half of the emulator: Security Center (SAS) RPC actions and STS AssumeRole
// (sts.ts) as the real services answer the Darabonba base client, with signature checks (for an
// account's own keys and for its roles' temporary keys, whose security token must be signed and be
// the one issued with them, unexpired on the emulator's clock), a simulated fleet per account and
// the shared fault injection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandlerContext, ProviderHandler } from '../kit/handler.js';
import { applyTransportFault, nullFields, oversizedJson, type Fault } from '../kit/faults.js';
import { IssuedKeysTable, type EmulatedRole, type IssuedKeys, type KeysProblem } from '../kit/sts.js';
import { StsError, assumeRole, roleOwnerId } from './sts.js';
import { checkSignature } from './signature.js';
import { alibabaErrorBody, alibabaErrorStatus } from './errors.js';
import { AlibabaRequestError, NonceMemory, checkSigningTime, listParam, routeAlibaba } from './actions.js';
import {
  EmulatedAccount,
  generatedFleet,
  uuidFor,
  type AlibabaEmulatorAccount,
  type ClientSubStatus,
  type EmulatedServer,
  type VulCheckAnswer,
} from './fleet.js';
import { hash32, type ClientStatus } from './subtasks.js';
import { checkStatus, type VulCheckSource, type VulCheckStart } from './vul-checks.js';
import { describeOnceTask } from './once-task.js';
import { describeInstances } from './instances.js';
import {
  actionRefusal,
  headerText,
  intParam,
  readRequest,
  type AlibabaActionSpec,
  type EmulatedRequest,
  type Query,
  type Refusal,
} from './request.js';

import { AlibabaDirectories, memberExists, type AlibabaEmulatedDirectory, type AlibabaEmulatedMember } from './directory.js';

export type { AlibabaEmulatedMember } from './directory.js';
export { NOT_EXISTING_MEMBER_STATUSES } from './directory.js';
export { type AlibabaEmulatorAccount } from './fleet.js';
export { subtaskAt } from './subtasks.js';

export interface AlibabaEmulatorOptions {
  accounts?: AlibabaEmulatorAccount[];
  resourceDirectories?: AlibabaEmulatedDirectory[];
}

/** Query parameters of the v2 signature that carry or prove a credential. */
const CREDENTIAL_PARAMS = new Set(['AccessKeyId', 'SecurityToken', 'Signature', 'SignatureNonce']);

/** What an action answers: a body, a pinned answer sent as it is, or an error. */
type Outcome = { answer: Record<string, unknown> } | { pinned: unknown } | { refused: Refusal };

/** The signer of a call: an account's own AccessKey, or temporary keys AssumeRole issued for one of its roles. */
type Caller = { account: EmulatedAccount; keys?: IssuedKeys };

export class AlibabaEmulator implements ProviderHandler {
  readonly provider = 'alibaba' as const;
  readonly #accounts = new Map<string, EmulatedAccount>();
  /** Temporary keys issued by AssumeRole. */
  readonly issued = new IssuedKeysTable();
  #requests = 0;
  /** Signature nonces seen lately: a request sent twice is refused (SignatureNonceUsed). */
  readonly #nonces = new NonceMemory();
  /** Resource directories by management account: members join and leave through it. */
  readonly directories: AlibabaDirectories;

  constructor(
    readonly options: AlibabaEmulatorOptions,
    readonly now: () => number,
  ) {
    for (const account of options.accounts ?? []) this.addAccount(account);
    this.directories = new AlibabaDirectories(
      options.resourceDirectories,
      (management, member) => this.#applyMember(management, member),
      (management, member) => this.#leaveMember(management, member),
    );
  }

  /** A member that left loses the roles its membership gave it: assuming them fails as for a missing role. */
  #leaveMember(management: string, member: AlibabaEmulatedMember): void {
    const account = member.account === undefined ? undefined : this.#accounts.get(member.account);
    if (!account) return;
    const named = new Set(member.roles.map((name) => name.toLowerCase()));
    account.roles = account.roles.filter((role) => !(named.has(role.name.toLowerCase()) && role.trusted.includes(management)));
  }

  /** A member of a resource directory is its emulated account: with the member's account id, and its roles trusting the management account. */
  #applyMember(management: string, member: AlibabaEmulatedMember): void {
    const account = member.account === undefined ? undefined : this.#accounts.get(member.account);
    if (!account) return;
    account.accountId = member.accountId;
    const named = new Set(member.roles.map((name) => name.toLowerCase()));
    account.roles = [
      ...account.roles.filter((role) => !named.has(role.name.toLowerCase())),
      ...member.roles.map((name) => ({ name, trusted: [management] })),
    ];
  }

  // ---- control, for tests and demos ---------------------------------------------------------

  addAccount(account: AlibabaEmulatorAccount): void {
    if ([...this.#accounts.values()].some((a) => a.accessKeyId === account.accessKeyId && a.name !== account.name)) {
      throw new Error(`AccessKeyId of account ${account.name} is already used by another account`);
    }
    this.#accounts.set(account.name, new EmulatedAccount(account, this.now()));
  }

  /** Replaces the account's servers (a server left out disappears from discovery and answers). */
  setServers(account: string, servers: EmulatedServer[]): void {
    this.#account(account).setServers([...servers], this.now());
  }

  /** Replaces the account's servers with n generated ones (deterministic: the same n gives the same fleet). */
  setFleetSize(account: string, size: number): void {
    this.#account(account).setServers(generatedFleet(account, size), this.now());
  }

  /** Sets a server's agent status (ClientStatus, and ClientSubStatus: the same unless given), as an agent going offline, being paused, removed or coming back would. */
  setClientStatus(account: string, uuid: string, status: ClientStatus, subStatus: ClientSubStatus = status): void {
    this.#account(account).setAgent(uuid, status, subStatus, this.now());
  }

  /**
   * Starts a vulnerability check now in an account whose subtasks move in checks (`checks: 'tasks'`),
   * from the console unless said otherwise, on every server it has or on those named; its task id.
   */
  startVulCheck(account: string, check: VulCheckStart): string {
    const emulated = this.#account(account);
    return emulated.checks.start(
      check,
      this.now(),
      emulated.servers.map((s) => s.uuid),
    );
  }

  /** The vulnerability checks started by now, newest first, as DescribeOnceTask lists them (with their TaskStatus and Progress now). */
  vulChecks(account: string): Array<{ taskId: string; source: VulCheckSource; startedAt: number; TaskStatus: number; Progress: string }> {
    const now = this.now();
    return this.#account(account)
      .checks.startedBetween(-Infinity, Infinity, now)
      .map((check) => {
        const { TaskStatus, Progress } = checkStatus(check, now);
        return { taskId: check.taskId, source: check.source, startedAt: check.startedAt, TaskStatus, Progress };
      });
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

  /** The actions the account's RAM policy denies from now on (an empty list allows every one). */
  setDeniedActions(account: string, actions: string[]): void {
    this.#account(account).deniedActions = [...actions];
  }

  /** Changes the secret the emulator expects, as a key rotation in the console would. */
  setSecret(account: string, secret: string): void {
    this.#account(account).accessKeySecret = secret;
  }

  /** The account's id, as its role ARNs name it. */
  accountId(account: string): string {
    return this.#account(account).accountId;
  }

  /** acs:ram::<id>:role/<role>, the ARN of one of the account's roles (whether it exists or not). */
  roleArn(account: string, role: string): string {
    return `acs:ram::${this.accountId(account)}:role/${role}`;
  }

  /** Replaces the account's roles (a role left out no longer exists: AssumeRole answers EntityNotExist.Role). */
  setRoles(account: string, roles: EmulatedRole[]): void {
    this.#account(account).roles = [...roles];
  }

  /** Ends the life of every temporary key of the account's roles now (all accounts' when absent), as if they had expired. */
  expireTemporaryKeys(account?: string): number {
    return this.issued.expire(this.now(), account);
  }

  /** What the simulation answers for one server (RequestId aside), now or at another time `at` (Unix ms). */
  vulCheckAnswer(account: string, uuid: string, types?: string[], taskIds?: string[], at = this.now()): VulCheckAnswer {
    return this.#account(account).vulCheckAnswer(uuid, types, taskIds, at);
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
    const request = readRequest(req, url, body, this.#requestId());
    const { requestId, params, action } = request;
    const fail = ({ code, message }: Refusal) =>
      send(res, alibabaErrorStatus(code), alibabaErrorBody(code, requestId, request.hostId, message));

    const admitted = this.#admit(req, request, context);
    if ('refused' in admitted) return fail(admitted.refused);
    const { spec, caller, account } = admitted;

    const fault = context.faults.take('alibaba', account.name, action);
    if (fault?.kind === 'session_expired' && caller.keys) this.issued.expire(context.now(), caller.keys.account);
    if (caller.keys) {
      const refused = this.#keysProblem(req, params, caller.keys, context.now());
      if (refused) return fail({ code: refused });
    }
    if (fault && applyTransportFault(res, fault, context.hanging, context.faults)) return;
    if (fault?.kind === 'error') return fail(fault);
    if (fault?.kind === 'slow') {
      const gone = await delay(fault.delayMs, res);
      if (gone) return;
    }
    // What the simulation answers is its state when the call arrived (the time the call log has), or after a slow answer's wait.
    const answeredAt = fault?.kind === 'slow' ? this.now() : admitted.arrivedAt;

    const refused = actionRefusal(spec, params, caller.account, action);
    if (refused) return fail(refused);
    const outcome =
      spec.product === 'Sts'
        ? this.#assumeRole(caller, params, requestId, context)
        : this.#answer(action, account, params, requestId, answeredAt);
    if ('refused' in outcome) return fail(outcome.refused);
    if ('pinned' in outcome) return sendPinned(res, outcome.pinned, fault);
    sendAnswer(res, outcome.answer, fault);
  }

  /**
   * Who calls and whose data it is, recorded in the call log whatever comes of it; then the checks every
   * call meets before its action is looked at: routing, signature, signing time, a member named, the signer's quota.
   */
  #admit(
    req: IncomingMessage,
    { requestId, query, form, body, params, action, version, path }: EmulatedRequest,
    context: HandlerContext,
  ): { spec: AlibabaActionSpec; caller: Caller; account: EmulatedAccount; arrivedAt: number } | { refused: Refusal } {
    let spec: AlibabaActionSpec | undefined;
    let routing: AlibabaRequestError | undefined;
    try {
      spec = routeAlibaba(req.headers.host, action, version);
    } catch (error) {
      if (!(error instanceof AlibabaRequestError)) throw error;
      routing = error;
    }
    const check = checkSignature(req, path, query, form, body, (id) => this.#secretOf(id));
    const caller = check.accessKeyId === null ? undefined : this.#caller(check.accessKeyId);
    const sts = spec?.product === 'Sts';
    // An AssumeRole call is the role owner's (a member account's) call: counted and faulted as such.
    const ownerId = sts ? roleOwnerId(params) : undefined;
    // A management account naming a member (ResourceDirectoryAccountId) is answered with the member's data.
    const member = caller && check.ok && !sts ? this.#directoryMember(caller.account, params['ResourceDirectoryAccountId']) : undefined;
    const owner = ownerId === undefined ? undefined : [...this.#accounts.values()].find((a) => a.accountId === ownerId);
    const account = member?.account ?? owner ?? caller?.account;
    const arrivedAt = context.now();
    context.calls.record({
      provider: 'alibaba',
      account: account?.name ?? '',
      principal: check.accessKeyId ?? '',
      action,
      at: arrivedAt,
      requestId,
      // The action's own parameters too, for tests of paging; never a credential (the v2 signature's are in the query).
      params: Object.fromEntries(Object.entries(params).filter(([key]) => !CREDENTIAL_PARAMS.has(key))),
    });
    if (routing || !spec) return { refused: { code: routing?.code ?? 'InvalidAction.NotFound', message: routing?.message } };
    if (!check.ok) {
      if (check.reason === 'unknown_key') return { refused: { code: 'InvalidAccessKeyId.NotFound' } };
      return { refused: { code: check.reason === 'missing' ? 'IncompleteSignature' : 'SignatureDoesNotMatch' } };
    }
    try {
      checkSigningTime(req, params, context.signingNow(), this.#nonces);
    } catch (error) {
      if (error instanceof AlibabaRequestError) return { refused: { code: error.code, message: error.message } };
      throw error;
    }
    if (!caller || !account) return { refused: { code: 'InvalidAccessKeyId.NotFound' } };
    if (member?.error) return { refused: member.error };
    // Throttling.User counts the signer's account (across its keys), whoever's data or role is named.
    if (!context.quotas.admit('alibaba', caller.account.name, action, context.now())) return { refused: { code: 'Throttling.User' } };
    return { spec, caller, account, arrivedAt };
  }

  /** STS AssumeRole, for a RAM user's or a role's keys: a root account's AccessKey is refused whatever the role. */
  #assumeRole(caller: Caller, params: Query, requestId: string, context: HandlerContext): Outcome {
    if (!caller.keys && caller.account.rootKey)
      return { refused: { code: 'NoPermission', message: 'Roles may not be assumed by root accounts.' } };
    try {
      const accounts = [...this.#accounts.values()].map((a) => ({ name: a.name, accountId: a.accountId, roles: a.roles }));
      return {
        answer: { RequestId: requestId, ...assumeRole({ name: caller.account.name }, params, accounts, this.issued, context.now()) },
      };
    } catch (error) {
      if (error instanceof StsError) return { refused: { code: error.code, message: error.message } };
      throw error;
    }
  }

  /** The answer of a Resource Manager or Security Center action, as the account's simulation stands at `answeredAt`. */
  #answer(action: string, account: EmulatedAccount, params: Query, requestId: string, answeredAt: number): Outcome {
    switch (action) {
      case 'ListAccounts': {
        const page = this.#listAccounts(account, params, requestId);
        return 'error' in page ? { refused: page.error } : page;
      }
      case 'DescribeVulCheckTaskStatusDetail': {
        const uuid = params['Uuid']!;
        if (account.pinned.has(uuid)) return { pinned: account.pinned.get(uuid) };
        const detail = account.vulCheckAnswer(uuid, listParam(params, 'Types'), listParam(params, 'TaskIds'), answeredAt);
        return { answer: { RequestId: requestId, ...detail } };
      }
      case 'DescribeOnceTask':
        return { answer: { RequestId: requestId, ...describeOnceTask(account, params, answeredAt) } };
      case 'DescribeMonitorAccounts':
        return { answer: this.#monitorAccounts(account, requestId) };
      case 'DescribeCloudCenterInstances': {
        const page = describeInstances(account, params, requestId);
        return page === null ? { refused: { code: 'IllegalParam' } } : { answer: page };
      }
      default:
        return { refused: { code: 'InvalidAction.NotFound' } };
    }
  }

  /** ListAccounts as Resource Manager answers it: { Accounts: { Account: [...] }, PageNumber, PageSize, TotalCount }. */
  #listAccounts(
    account: EmulatedAccount,
    params: Query,
    requestId: string,
  ): { answer: Record<string, unknown> } | { error: { code: string; message: string } } {
    const pageSize = intParam(params, 'PageSize', 10) ?? 10;
    const pageNumber = intParam(params, 'PageNumber', 1) ?? 1;
    const members = this.directories.members(account.name);
    if (members === undefined) {
      return { error: { code: 'EntityNotExists.ResourceDirectory', message: 'The resource directory for the account is not enabled.' } };
    }
    const page = members.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const answer = {
      RequestId: requestId,
      PageNumber: pageNumber,
      PageSize: pageSize,
      TotalCount: this.directories.total(account.name),
      Accounts: {
        Account: page.map((member) => ({
          AccountId: member.accountId,
          DisplayName: member.displayName,
          Status: member.status ?? 'CreateSuccess',
          Type: 'ResourceAccount',
          JoinMethod: 'created',
          FolderId: 'fd-emulated',
          ResourceDirectoryId: 'rd-emulated',
          JoinTime: '2024-01-01T00:00:00Z',
          ModifyTime: '2024-01-01T00:00:00Z',
        })),
      },
    };
    return { answer };
  }

  /**
   * DescribeMonitorAccounts (no parameter, no paging), as the sas-20181203 model reads it: the
   * members of the caller's resource directory under Security Center's multi-account management,
   * in AccountIds and, with details, in AccountIdInfos. A caller that manages no directory has none.
   */
  #monitorAccounts(caller: EmulatedAccount, requestId: string): Record<string, unknown> {
    const monitored = (this.directories.members(caller.name) ?? []).filter(isMonitored);
    return {
      RequestId: requestId,
      AccountIds: monitored.map((member) => member.accountId),
      AccountIdInfos: monitored.map((member) => ({
        AccountId: member.accountId,
        AddTime: 1_700_000_000_000,
        OperatorUid: caller.accountId,
        PostBasicService: 1,
        SasVersion: '7',
      })),
    };
  }

  /**
   * The member a management account names with ResourceDirectoryAccountId: its emulated account, or
   * the error Security Center answers (not a member of the caller's directory, not monitored).
   */
  #directoryMember(
    caller: EmulatedAccount,
    memberId: string | undefined,
  ): { account?: EmulatedAccount; error?: { code: string; message: string } } | undefined {
    if (memberId === undefined || memberId === '') return undefined;
    const found = this.directories.member(memberId);
    const refuse = (message: string) => ({ error: { code: 'NoPermission', message } });
    if (!found || found.management !== caller.name) return refuse('caller has no permission');
    if (!memberExists(found.member)) return refuse('caller has no permission');
    if (!isMonitored(found.member)) return refuse('the member is not added to multi-account management');
    const account = found.member.account === undefined ? undefined : this.#accounts.get(found.member.account);
    return account ? { account } : refuse('the member has no Security Center data');
  }

  #secretOf(accessKeyId: string): string | undefined {
    return (
      [...this.#accounts.values()].find((a) => a.accessKeyId === accessKeyId)?.accessKeySecret ?? this.issued.find(accessKeyId)?.secret
    );
  }

  /** Who signed: an account by its own keys, or by temporary keys of one of its roles. */
  #caller(accessKeyId: string): Caller | undefined {
    const own = [...this.#accounts.values()].find((a) => a.accessKeyId === accessKeyId);
    if (own) return { account: own };
    const keys = this.issued.find(accessKeyId);
    const owner = keys && this.#accounts.get(keys.account);
    return owner && keys ? { account: owner, keys } : undefined;
  }

  /**
   * The error code for a call signed with temporary keys whose security token is missing, not
   * covered by the signature (ACS3 signs it as the x-acs-security-token header), not theirs, or expired.
   */
  #keysProblem(req: IncomingMessage, params: Query, keys: IssuedKeys, now: number): string | undefined {
    const authorization = headerText(req, 'authorization');
    const acs3 = authorization.startsWith('ACS3-');
    const token = acs3 ? headerText(req, 'x-acs-security-token') : params['SecurityToken'];
    if (acs3 && token !== '' && !/SignedHeaders=[^,]*\bx-acs-security-token\b/.test(authorization)) return 'SignatureDoesNotMatch';
    const problem = this.issued.problem(keys, token === '' ? undefined : token, now);
    return problem === undefined ? undefined : TOKEN_CODES[problem];
  }

  #requestId(): string {
    this.#requests++;
    return uuidFor(`request/${this.#requests}/${hash32(String(this.now()))}`).toUpperCase();
  }
}

/** Under Security Center's multi-account management: an existing member that was added to it. */
function isMonitored(member: AlibabaEmulatedMember): boolean {
  return memberExists(member) && (member.monitored ?? true);
}

const TOKEN_CODES: Record<KeysProblem, string> = {
  missing_token: 'MissingSecurityToken',
  wrong_token: 'InvalidSecurityToken.MismatchWithAccessKey',
  expired: 'InvalidSecurityToken.Expired',
};

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
