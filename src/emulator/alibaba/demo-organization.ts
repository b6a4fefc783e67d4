// The Alibaba Cloud resource directory of the organization demo (`npm run demo -- --organizations`):
// a management account and its members, one of whom leaves and another joins at each churn. The
// keys are fakes that only this emulator accepts; demo/organizations.yaml reads them from the environment.
import { DEMO_MEMBER_ROLE, demoMemberName, eachMember } from '../kit/demo.js';
import type { OrganizationDemo } from '../kit/handler.js';
import type { AlibabaEmulatedMember } from './directory.js';
import type { AlibabaEmulatorAccount } from './fleet.js';
import type { AlibabaEmulator, AlibabaEmulatorOptions } from './index.js';

const MANAGEMENT = {
  name: 'rd-management',
  accessKeyId: 'LTAI5tDemoRdManagement01',
  accessKeySecret: 'demo-only-alibaba-rd-management-0001',
};

function accountOf(i: number): AlibabaEmulatorAccount {
  const n = String(i).padStart(4, '0');
  return {
    name: `alibaba-member-${i}`,
    accessKeyId: `LTAI5tDemoRdMember${n}00`,
    accessKeySecret: `demo-only-alibaba-rd-member-${n}-001`,
    fleetSize: 2 + (i % 3),
    tasksPerServer: 1,
    cycleSeconds: 120,
    failureRate: 0.2,
  };
}

function member(i: number): AlibabaEmulatedMember {
  return {
    accountId: String(1600000000000000 + i),
    displayName: `shop-${demoMemberName(i)}`,
    roles: [DEMO_MEMBER_ROLE],
    account: `alibaba-member-${i}`,
  };
}

export const alibabaOrganizationDemo: OrganizationDemo<AlibabaEmulatorOptions, AlibabaEmulator> = {
  options: (members) => ({
    accounts: [{ ...MANAGEMENT, fleetSize: 1 }, ...eachMember(members, accountOf)],
    resourceDirectories: [{ management: MANAGEMENT.name, members: eachMember(members, member) }],
  }),
  environment: { DEMO_ORG_ALIBABA_ACCESS_KEY_ID: MANAGEMENT.accessKeyId, DEMO_ORG_ALIBABA_ACCESS_KEY_SECRET: MANAGEMENT.accessKeySecret },
  churn: (alibaba, joining, leaving) => {
    alibaba.addAccount(accountOf(joining));
    alibaba.directories.remove(MANAGEMENT.name, member(leaving).accountId);
    alibaba.directories.add(MANAGEMENT.name, member(joining));
    return `alibaba ${member(leaving).accountId} left, ${member(joining).accountId} joined`;
  },
};
