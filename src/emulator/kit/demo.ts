// What the demos of every emulated cloud share: the names of the roles the exporter assumes, and
// the names their organizations' members take.

/** The role the demo's management principals may assume in each demo member account (docs/roles.md). */
export const DEMO_ROLE = 'cloudscan-reader';

/** The role every member of the organization demo has (demo/organizations.yaml). */
export const DEMO_MEMBER_ROLE = 'CloudscanReadOnly';

const NAMES = [
  'payments',
  'search',
  'checkout',
  'analytics',
  'identity',
  'media',
  'billing',
  'logistics',
  'support',
  'catalog',
  'ads',
  'risk',
];

/** The name of the organization demo's member `i`. */
export function demoMemberName(i: number): string {
  return NAMES[i % NAMES.length]!;
}

/** `of` each of the organization demo's members 1 to `members`. */
export function eachMember<T>(members: number, of: (i: number) => T): T[] {
  return Array.from({ length: members }, (_, i) => of(i + 1));
}
