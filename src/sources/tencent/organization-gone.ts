// Which answers to a member's calls say it may have left the Tencent Cloud organization (the
// exporter then lists the members again early). Its own module: the provider imports it without
// loading the SDK.

/** The codes with which AssumeRole says a member's role is gone or no longer trusts the management account: it may have left. */
export const TENCENT_MEMBER_GONE_CODES: ReadonlySet<string> = new Set(['ResourceNotFound.RoleNotFound', 'UnauthorizedOperation']);
