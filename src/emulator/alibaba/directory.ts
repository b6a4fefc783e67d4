// The Alibaba Cloud resource directories of the emulator: which management account may list which
// members, each member's display name, the RAM roles that exist in it (what STS may assume there),
// whether Security Center's multi-account management monitors it (then the management account may
// read it with ResourceDirectoryAccountId), and the emulated account that is the member (`apply`
// gives it the member's account id, and its roles trusting the management account).

export interface AlibabaEmulatedMember {
  /** The member's Alibaba Cloud account id (digits). */
  accountId: string;
  displayName: string;
  /** Role names that exist in the member: assuming any other fails as a missing role does. */
  roles: string[];
  /** The emulated account (by name) that is the member: it takes the member's account id and roles. */
  account?: string;
  /** Added to Security Center's multi-account management: readable through ResourceDirectoryAccountId. Default true. */
  monitored?: boolean;
  /** ListAccounts' Status. Default CreateSuccess. */
  status?: string;
}

export interface AlibabaEmulatedDirectory {
  /** The emulated account (by name) that manages the resource directory. */
  management: string;
  members: AlibabaEmulatedMember[];
}

export class AlibabaDirectories {
  readonly #byManagement = new Map<string, AlibabaEmulatedMember[]>();

  constructor(
    directories: readonly AlibabaEmulatedDirectory[] = [],
    private readonly apply: (management: string, member: AlibabaEmulatedMember) => void = () => {},
  ) {
    for (const directory of directories) this.set(directory.management, directory.members);
  }

  set(management: string, members: readonly AlibabaEmulatedMember[]): void {
    this.#byManagement.set(management, members.map((member) => ({ ...member, roles: [...member.roles] })));
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
    this.#byManagement.set(management, this.#list(management).filter((m) => m.accountId !== accountId));
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
