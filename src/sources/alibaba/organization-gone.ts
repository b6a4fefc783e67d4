// Which answers to a member's calls say it may have left the Alibaba Cloud resource directory (the
// exporter then lists the members again early). Its own module: the provider imports it without
// loading the SDK.

/**
 * The codes with which a member's calls say it may no longer be in the directory: Security Center
 * refuses ResourceDirectoryAccountId of a member that left (NoPermission), and a member that left
 * no longer has the role the directory gave it (EntityNotExist.Role) or no longer trusts the management account.
 */
export const ALIBABA_MEMBER_GONE_CODES: ReadonlySet<string> = new Set(['NoPermission', 'EntityNotExist.Role']);
