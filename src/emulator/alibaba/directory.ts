// The Alibaba Cloud resource directories of the emulator: which management account may list which
// members, each member's display name, the RAM roles that exist in it (what STS may assume there),
// whether Security Center's multi-account management monitors it (then the management account may
// read it with ResourceDirectoryAccountId), its Status (only an existing member can be read), and the
// emulated account that is the member (`apply` gives it the member's account id, and its roles
// trusting the management account; `leave` takes those roles away when it leaves).

export interface AlibabaEmulatedMember {
  /** The member's Alibaba Cloud account id (digits). */
  accountId: string;
  displayName: string;
  /** Role names that exist in the member: assuming any other fails as a missing role does. */
  roles: string[];
  /** The emulated account (by name) that is the member: it takes the member's account id and roles. */
  account?: string;
  /**
   * Added to Security Center's multi-account management (DescribeMonitorAccounts lists it): readable
   * through ResourceDirectoryAccountId. Default true; never for a member that does not exist (see `status`).
   */
  monitored?: boolean;
  /**
   * ListAccounts' Status. Default CreateSuccess. A member whose account does not exist (yet, or any
   * more: CreateVerifying, CreateFailed, CreateExpired, CreateCancelled, Removed) is listed but
   * nothing can be read of it, as in the cloud.
   */
  status?: string;
}

/**
 * The Status values of a member whose account does not exist, from Resource Manager's ListAccounts
 * document: its creation unconfirmed, failed, expired or cancelled, or removed from the directory.
 * Every other documented Status (created, invited, and the states of an upgrade from resource
 * account to cloud account, which PromoteResourceAccount makes of an existing member) is a member
 * that exists.
 */
export const NOT_EXISTING_MEMBER_STATUSES: readonly string[] = [
  'CreateVerifying',
  'CreateFailed',
  'CreateExpired',
  'CreateCancelled',
  'Removed',
];

/** Whether the member's account exists (its Status is not one of NOT_EXISTING_MEMBER_STATUSES). */
export function memberExists(member: AlibabaEmulatedMember): boolean {
  return !NOT_EXISTING_MEMBER_STATUSES.includes(member.status ?? 'CreateSuccess');
}

export interface AlibabaEmulatedDirectory {
  /** The emulated account (by name) that manages the resource directory. */
  management: string;
  members: AlibabaEmulatedMember[];
}

export class AlibabaDirectories {
  readonly #byManagement = new Map<string, AlibabaEmulatedMember[]>();
  /** A TotalCount the listing answers instead of the number of members, by management account. */
  readonly #reportedTotal = new Map<string, number>();

  constructor(
    directories: readonly AlibabaEmulatedDirectory[] = [],
    private readonly apply: (management: string, member: AlibabaEmulatedMember) => void = () => {},
    /** A member left: the roles its membership gave it (trusting the management account) go with it. */
    private readonly leave: (management: string, member: AlibabaEmulatedMember) => void = () => {},
  ) {
    for (const directory of directories) this.set(directory.management, directory.members);
  }

  set(management: string, members: readonly AlibabaEmulatedMember[]): void {
    const staying = new Set(members.map((member) => member.accountId));
    for (const member of this.#list(management)) if (!staying.has(member.accountId)) this.leave(management, member);
    this.#byManagement.set(
      management,
      members.map((member) => ({ ...member, roles: [...member.roles] })),
    );
    for (const member of members) this.apply(management, member);
  }

  /** A member joins (or is replaced, by account id). */
  add(management: string, member: AlibabaEmulatedMember): void {
    const members = this.#list(management).filter((m) => m.accountId !== member.accountId);
    this.#byManagement.set(management, [...members, { ...member, roles: [...member.roles] }]);
    this.apply(management, member);
  }

  /** A member leaves. */
  remove(management: string, accountId: string): void {
    for (const member of this.#list(management)) if (member.accountId === accountId) this.leave(management, member);
    this.#byManagement.set(
      management,
      this.#list(management).filter((m) => m.accountId !== accountId),
    );
  }

  /** Makes ListAccounts answer this TotalCount (undefined: the number of members), as a cloud that miscounts would. */
  reportTotal(management: string, total: number | undefined): void {
    if (total === undefined) this.#reportedTotal.delete(management);
    else this.#reportedTotal.set(management, total);
  }

  /** The TotalCount ListAccounts answers. */
  total(management: string): number {
    return this.#reportedTotal.get(management) ?? this.#list(management).length;
  }

  /** The members, in the order ListAccounts returns them; undefined when `management` manages none. */
  members(management: string): AlibabaEmulatedMember[] | undefined {
    const members = this.#byManagement.get(management);
    return members && members.map((member) => ({ ...member, roles: [...member.roles] }));
  }

  /** The member of this id in any directory, with its management account. */
  member(accountId: string): { management: string; member: AlibabaEmulatedMember } | undefined {
    for (const [management, members] of this.#byManagement) {
      const member = members.find((m) => m.accountId === accountId);
      if (member) return { management, member };
    }
    return undefined;
  }

  #list(management: string): AlibabaEmulatedMember[] {
    return this.#byManagement.get(management) ?? [];
  }
}
