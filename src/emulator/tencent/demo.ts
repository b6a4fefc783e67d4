// Demo accounts for the Tencent half of the emulator, for `npm run demo` and `npm run emulator`: two
// accounts with hosts the scans miss, and a management principal. The keys are fakes that only this
// emulator accepts; demo/config.yaml reads them from the environment below.
import { DEMO_ROLE } from '../kit/demo.js';
import type { EmulatedDemo } from '../kit/handler.js';
import type { TencentEmulatedAccount, TencentEmulatorOptions } from './index.js';

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

export const tencentDemo: EmulatedDemo<TencentEmulatorOptions> = {
  options: { accounts: TENCENT_DEMO_ACCOUNTS },
  environment: {
    DEMO_TENCENT_PROD_SECRET_ID: TENCENT_DEMO_ACCOUNTS[0]!.secretId,
    DEMO_TENCENT_PROD_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[0]!.secretKey,
    DEMO_TENCENT_STAGING_SECRET_ID: TENCENT_DEMO_ACCOUNTS[1]!.secretId,
    DEMO_TENCENT_STAGING_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[1]!.secretKey,
    DEMO_TENCENT_ORG_SECRET_ID: TENCENT_DEMO_ACCOUNTS[2]!.secretId,
    DEMO_TENCENT_ORG_SECRET_KEY: TENCENT_DEMO_ACCOUNTS[2]!.secretKey,
  },
};
