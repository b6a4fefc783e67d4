// Demo accounts for the Alibaba half of the emulator, for `npm run demo` (src/emulator/demo.ts)
// and for anyone running the emulator by hand. The keys are fakes that only this emulator accepts;
// demo/config.yaml reads them from the environment below.
import { DEMO_ROLE } from '../kit/demo.js';
import type { EmulatedDemo } from '../kit/handler.js';
import type { AlibabaEmulatorAccount } from './fleet.js';
import type { AlibabaEmulatorOptions } from './index.js';

const ALIBABA_DEMO_PROD_ACCESS_KEY_ID = 'LTAI5tDemoShopProd000001';
const ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET = 'demo-only-alibaba-prod-secret-0001';
const ALIBABA_DEMO_STAGING_ACCESS_KEY_ID = 'LTAI5tDemoShopStaging001';
const ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET = 'demo-only-alibaba-staging-secret-01';
const ALIBABA_DEMO_ORG_ACCESS_KEY_ID = 'LTAI5tDemoShopOrgMgmt001';
const ALIBABA_DEMO_ORG_ACCESS_KEY_SECRET = 'demo-only-alibaba-org-secret-00001';

/**
 * shop-prod: 8 servers whose subtasks cycle every 5 minutes, three agents offline (offline, not
 * installed, server stopped: ClientSubStatus tells them apart) and one paused;
 * shop-staging: 3 servers, slower, one agent offline; both with a role org-mgmt may assume.
 * org-mgmt: the management principal (one server of its own).
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
    offlineAgents: 3,
    pausedAgents: 1,
    accountId: '1000000000000001',
    roles: [{ name: DEMO_ROLE, trusted: ['org-mgmt'] }],
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
    accountId: '1000000000000002',
    roles: [{ name: DEMO_ROLE, trusted: ['org-mgmt'], externalId: 'demo-external-id' }],
  },
  {
    name: 'org-mgmt',
    accessKeyId: ALIBABA_DEMO_ORG_ACCESS_KEY_ID,
    accessKeySecret: ALIBABA_DEMO_ORG_ACCESS_KEY_SECRET,
    fleetSize: 1,
    accountId: '1000000000000000',
  },
];

export const alibabaDemo: EmulatedDemo<AlibabaEmulatorOptions> = {
  options: { accounts: ALIBABA_DEMO_ACCOUNTS },
  environment: {
    DEMO_ALIBABA_PROD_ACCESS_KEY_ID: ALIBABA_DEMO_PROD_ACCESS_KEY_ID,
    DEMO_ALIBABA_PROD_ACCESS_KEY_SECRET: ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET,
    DEMO_ALIBABA_STAGING_ACCESS_KEY_ID: ALIBABA_DEMO_STAGING_ACCESS_KEY_ID,
    DEMO_ALIBABA_STAGING_ACCESS_KEY_SECRET: ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET,
    DEMO_ALIBABA_ORG_ACCESS_KEY_ID: ALIBABA_DEMO_ORG_ACCESS_KEY_ID,
    DEMO_ALIBABA_ORG_ACCESS_KEY_SECRET: ALIBABA_DEMO_ORG_ACCESS_KEY_SECRET,
  },
};
