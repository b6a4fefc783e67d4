// The Tencent Cloud organizations of the emulator: which management account may list which members,
// each member's name, the CAM roles that exist in it (what STS may assume there), and the emulated
// account whose CWP data the member has. Changed at run time to let members join and leave; each
// member is applied to its emulated account (`apply`): its uin, and its roles trusting the management
// account, which are deleted when it leaves (`leave`), as Organization deletes its member access roles.

export interface TencentEmulatedMember {
  /** The member's uin (digits). */
  uin: string;
  name: string;
  /** Role names that exist in the member: assuming any other fails as a missing role does. */
  roles: string[];
  /** The emulated account (by name) that is the member: it takes the member's uin and roles. */
  account?: string;
  /**
   * What the listing sends as MemberUin instead of `uin`, as raw JSON text (`null`, `-1`, `1e21`,
   * `"0200000000000"`, a number of any length): for tests of answers no exporter should trust.
   */
  memberUinJson?: string;
}

export interface TencentEmulatedOrganization {
  /** The emulated account (by name) that manages the organization: it may list the members. */
  management: string;
  members: TencentEmulatedMember[];
  /**
   * Members (emulated accounts, by name) made delegated administrators of a trusted service (its
   * product abbreviation, e.g. cwp): they may list the members too, naming that service as Product.
   */
  delegatedAdmins?: Array<{ account: string; product: string }>;
}

export class TencentOrganizations {
  readonly #byManagement = new Map<string, TencentEmulatedMember[]>();
  /** Delegated administrators by account: the organization they administer a service of, and the service. */
  readonly #delegated = new Map<string, { management: string; product: string }>();
  /** A Total the listing answers instead of the number of members, by management account. */
  readonly #reportedTotal = new Map<string, number>();

  constructor(
    organizations: readonly TencentEmulatedOrganization[] = [],
    private readonly apply: (management: string, member: TencentEmulatedMember) => void = () => {},
    /** A member left: the roles its membership gave it (Organization's member access roles) are deleted. */
    private readonly leave: (management: string, member: TencentEmulatedMember) => void = () => {},
  ) {
    for (const organization of organizations) {
      this.set(organization.management, organization.members);
      for (const admin of organization.delegatedAdmins ?? []) this.delegate(organization.management, admin.account, admin.product);
    }
  }

  /** Makes `account` the delegated administrator of the trusted service `product` in the organization `management` manages. */
  delegate(management: string, account: string, product: string): void {
    this.#delegated.set(account, { management, product });
  }

  /**
   * The members `caller` may list: those of the organization it manages; or, for a delegated
   * administrator naming its service as Product (which the API requires of it), those of the
   * organization it administers that service of; with the organization's management account. Undefined: none.
   */
  listedBy(caller: string, product: string | undefined): { management: string; members: TencentEmulatedMember[] } | undefined {
    const delegated = this.#delegated.get(caller);
    const management = this.members(caller) !== undefined ? caller : delegated?.product === product ? delegated?.management : undefined;
    const members = management === undefined ? undefined : this.members(management);
    return management === undefined || members === undefined ? undefined : { management, members };
  }

  /** Replaces the members of the organization `management` manages (creating it). */
  set(management: string, members: readonly TencentEmulatedMember[]): void {
    const staying = new Set(members.map((member) => member.uin));
    for (const member of this.#list(management)) if (!staying.has(member.uin)) this.leave(management, member);
    this.#byManagement.set(
      management,
      members.map((member) => ({ ...member, roles: [...member.roles] })),
    );
    for (const member of members) this.apply(management, member);
  }

  /** A member joins (or is replaced, by uin). */
  add(management: string, member: TencentEmulatedMember): void {
    const members = this.#list(management).filter((m) => m.uin !== member.uin);
    this.#byManagement.set(management, [...members, { ...member, roles: [...member.roles] }]);
    this.apply(management, member);
  }

  /** A member leaves. */
  remove(management: string, uin: string): void {
    for (const member of this.#list(management)) if (member.uin === uin) this.leave(management, member);
    this.#byManagement.set(
      management,
      this.#list(management).filter((m) => m.uin !== uin),
    );
  }

  /** Makes the listing answer this Total (undefined: the number of members), as a cloud that miscounts would. */
  reportTotal(management: string, total: number | undefined): void {
    if (total === undefined) this.#reportedTotal.delete(management);
    else this.#reportedTotal.set(management, total);
  }

  /** The Total the listing answers. */
  total(management: string): number {
    return this.#reportedTotal.get(management) ?? this.#list(management).length;
  }

  /** The members, in the order the listing returns them; undefined when `management` manages none. */
  members(management: string): TencentEmulatedMember[] | undefined {
    const members = this.#byManagement.get(management);
    return members && members.map((member) => ({ ...member, roles: [...member.roles] }));
  }

  /** The member of this uin in any organization, with its management account. */
  member(uin: string): { management: string; member: TencentEmulatedMember } | undefined {
    for (const [management, members] of this.#byManagement) {
      const member = members.find((m) => m.uin === uin);
      if (member) return { management, member };
    }
    return undefined;
  }

  #list(management: string): TencentEmulatedMember[] {
    return this.#byManagement.get(management) ?? [];
  }
}
