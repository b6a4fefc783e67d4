// Demo accounts for the Alibaba half of the emulator, for `npm run demo` (src/emulator/demo.ts)
// and for anyone running the emulator by hand. The keys are fakes that only this emulator accepts.
import type { AlibabaEmulatorAccount } from './fleet.js';

export const ALIBABA_DEMO_PROD_ACCESS_KEY_ID = 'LTAI5tDemoShopProd000001';
export const ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET = 'demo-only-alibaba-prod-secret-0001';
export const ALIBABA_DEMO_STAGING_ACCESS_KEY_ID = 'LTAI5tDemoShopStaging001';
export const ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET = 'demo-only-alibaba-staging-secret-01';

/**
 * shop-prod: 8 servers whose subtasks cycle every 5 minutes, one agent offline and one paused;
 * shop-staging: 3 servers, slower, one agent offline.
 */
export const ALIBABA_DEMO_ACCOUNTS: AlibabaEmulatorAccount[] = [
  {
    name: 'shop-prod',
    accessKeyId: ALIBABA_DEMO_PROD_ACCESS_KEY_ID,
    accessKeySecret: ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET,
    fleetSize: 8,
    tasksPerServer: 2,
    cycleSeconds: 300,
    failureRate: 0.25,
    offlineAgents: 1,
    pausedAgents: 1,
  },
  {
    name: 'shop-staging',
    accessKeyId: ALIBABA_DEMO_STAGING_ACCESS_KEY_ID,
    accessKeySecret: ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET,
    fleetSize: 3,
    tasksPerServer: 1,
    cycleSeconds: 900,
    failureRate: 0.1,
    offlineAgents: 1,
  },
];
