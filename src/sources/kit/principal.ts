// Who signs a call, as the clouds count their rate limits (Tencent per uin and API, Alibaba per
// account across its keys): the base credential's key, a credential chain, or an assumed role's
// temporary keys. An opaque identity (a hash, never a key id itself), so it may be held and compared
// anywhere without naming a credential.
import { createHash } from 'node:crypto';
import { ASSUME_ROLE_ACTION } from './role-session.js';
import type { RoleSettings } from './role-settings.js';
import type { Provider } from '../../contract/types.js';

/** A stable identity for `what` (a key id, a role ARN): the same input gives the same principal. */
export function principalOf(provider: Provider, kind: 'key' | 'chain' | 'role', what: string): string {
  return `${provider}:${kind}:${createHash('sha256').update(`${provider}\u0000${kind}\u0000${what}`).digest('hex').slice(0, 24)}`;
}

/**
 * The principal of each action of an account: its role's temporary keys sign every call but
 * AssumeRole, which the base credential signs; without a role, the base credential signs them all.
 */
export function accountSigner(provider: Provider, base: string, role: RoleSettings | undefined): (action: string) => string {
  if (role === undefined) return () => base;
  const assumed = principalOf(provider, 'role', role.arn);
  return (action) => (action === ASSUME_ROLE_ACTION ? base : assumed);
}
