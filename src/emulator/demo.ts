// The demo scenario of `npm run demo`, `npm run emulator` and the compose demo profile: two
// Tencent accounts (with hosts the scans miss) and two Alibaba accounts whose scans change within
// seconds. The keys are fakes
// that only this emulator accepts; demo/config.yaml reads them from the environment below.
import {
  ALIBABA_DEMO_ACCOUNTS,
  ALIBABA_DEMO_ORG_ACCESS_KEY_ID,
  ALIBABA_DEMO_ORG_ACCESS_KEY_SECRET,
  ALIBABA_DEMO_PROD_ACCESS_KEY_ID,
  ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET,
  ALIBABA_DEMO_STAGING_ACCESS_KEY_ID,
  ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET,
} from './alibaba/demo.js';
import type { EmulatorOptions } from './server.js';
import type { TencentEmulatedAccount } from './tencent/index.js';

export const DEMO_EMULATOR_PORT = 18080;

/** The role the demo's management principals may assume in each demo member account (docs/roles.md). */
export const DEMO_ROLE = 'cloudscan-reader';

const STRATEGIES = [
  { id: 1001, name: 'Linux security baseline' },
  { id: 1002, name: 'Windows security baseline' },
];

export const TENCENT_DEMO_ACCOUNTS: TencentEmulatedAccount[] = [
  {
    name: 'demo-prod',
    secretId: 'AKIDdemoProd0000000000000000000000001',
    secretKey: 'demoOnlyTencentProdSecretKey000001',
    strategies: STRATEGIES,
    cycleMs: 30_000,
    bigTaskIds: true,
    // A quarter of the hosts are never scanned: offline, timed out, failed, or an agent too old.
    fleetSize: 40,
    uin: '100000000001',
    roles: [{ name: DEMO_ROLE, trusted: ['demo-org'] }],
  },
  {
    name: 'demo-staging',
    secretId: 'AKIDdemoStaging000000000000000000001',
    secretKey: 'demoOnlyTencentStagingSecretKey001',
    strategies: STRATEGIES,
    cycleMs: 45_000,
    fleetSize: 12,
    uin: '100000000002',
    roles: [{ name: DEMO_ROLE, trusted: ['demo-org'], externalId: 'demo-external-id' }],
  },
  {
    // The management principal: its keys only assume the member accounts' roles.
    name: 'demo-org',
    secretId: 'AKIDdemoOrg00000000000000000000000001',
    secretKey: 'demoOnlyTencentOrgSecretKey0000001',
    uin: '100000000000',
  },
];

/** The variables demo/config.yaml expects. */
export const DEMO_ENVIRONMENT: Record<string, string> = {
  DEMO_TENCENT_PROD_SECRET_ID: TENCENT_DEMO_ACCOUNTS[0]!.secretId,
  DEMO_TENCENT_PROD_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[0]!.secretKey,
  DEMO_TENCENT_STAGING_SECRET_ID: TENCENT_DEMO_ACCOUNTS[1]!.secretId,
  DEMO_TENCENT_STAGING_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[1]!.secretKey,
  DEMO_ALIBABA_PROD_ACCESS_KEY_ID: ALIBABA_DEMO_PROD_ACCESS_KEY_ID,
  DEMO_ALIBABA_PROD_ACCESS_KEY_SECRET: ALIBABA_DEMO_PROD_ACCESS_KEY_SECRET,
  DEMO_ALIBABA_STAGING_ACCESS_KEY_ID: ALIBABA_DEMO_STAGING_ACCESS_KEY_ID,
  DEMO_ALIBABA_STAGING_ACCESS_KEY_SECRET: ALIBABA_DEMO_STAGING_ACCESS_KEY_SECRET,
  DEMO_TENCENT_ORG_SECRET_ID: TENCENT_DEMO_ACCOUNTS[2]!.secretId,
  DEMO_TENCENT_ORG_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[2]!.secretKey,
  DEMO_ALIBABA_ORG_ACCESS_KEY_ID: ALIBABA_DEMO_ORG_ACCESS_KEY_ID,
  DEMO_ALIBABA_ORG_ACCESS_KEY_SECRET: ALIBABA_DEMO_ORG_ACCESS_KEY_SECRET,
};

export function demoEmulatorOptions(): EmulatorOptions {
  return { tencent: { accounts: TENCENT_DEMO_ACCOUNTS }, alibaba: { accounts: ALIBABA_DEMO_ACCOUNTS } };
}
