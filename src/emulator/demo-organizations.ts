// The organization demo (`npm run demo -- --organizations`): an organization of six members in each
// emulated cloud (emulator/<cloud>/demo-organization.ts), one of whom leaves and another joins every
// CHURN_MS, so the exporter's member accounts appear and disappear while it runs. The keys are fakes
// that only this emulator accepts; demo/organizations.yaml reads them from the environment below.
import { CLOUDS, eachCloud, organizationDemoOptions as withMembers } from './registry.js';
import type { Emulator, EmulatorOptions } from './server.js';

/** How often one member leaves and another joins, in each organization. */
export const CHURN_MS = 15_000;
const MEMBERS = 6;

/** The variables demo/organizations.yaml expects. */
export const ORGANIZATION_DEMO_ENVIRONMENT: Readonly<Record<string, string>> = Object.fromEntries(
  CLOUDS.flatMap((cloud) => Object.entries(cloud.organizationDemo.environment)),
);

/** Emulator options with every cloud's organization, its members and the members' emulated accounts. */
export function organizationDemoOptions(): EmulatorOptions {
  return withMembers(MEMBERS);
}

/**
 * Every `everyMs`, the longest-standing member of each organization leaves and a new one joins
 * (its emulated account created as it joins); `say` is told of each change. Returns a stop function.
 */
export function churnMembers(emulator: Emulator, say: (line: string) => void, everyMs = CHURN_MS): () => void {
  let next = MEMBERS + 1;
  let oldest = 1;
  const timer = setInterval(() => {
    const joining = next++;
    const leaving = oldest++;
    const changes = eachCloud(emulator).map(({ cloud, handler }) => cloud.organizationDemo.churn(handler, joining, leaving));
    say(`organizations: ${changes.join('; ')}`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
