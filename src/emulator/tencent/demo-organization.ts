// The Tencent Cloud organization of the organization demo (`npm run demo -- --organizations`): a
// management account and its members, one of whom leaves and another joins at each churn. The keys
// are fakes that only this emulator accepts; demo/organizations.yaml reads them from the environment.
import { DEMO_MEMBER_ROLE, demoMemberName, eachMember } from '../kit/demo.js';
import type { OrganizationDemo } from '../kit/handler.js';
import type { TencentEmulatedAccount, TencentEmulatedMember, TencentEmulator, TencentEmulatorOptions } from './index.js';

const MANAGEMENT = {
  name: 'org-management',
  secretId: 'AKIDdemoOrgManagement000000000000001',
  secretKey: 'demoOnlyTencentOrgManagementKey001',
};

function accountOf(i: number): TencentEmulatedAccount {
  const n = String(i).padStart(4, '0');
  return {
    name: `tencent-member-${i}`,
    secretId: `AKIDdemoOrgMember${n}0000000000000000001`.slice(0, 36),
    secretKey: `demoOnlyTencentOrgMember${n}0000000`.slice(0, 34),
    strategies: [{ id: 1001, name: 'Linux security baseline' }],
    cycleMs: 20_000 + i * 5_000,
  };
}

function member(i: number): TencentEmulatedMember {
  return { uin: String(200000000000 + i), name: demoMemberName(i), roles: [DEMO_MEMBER_ROLE], account: `tencent-member-${i}` };
}

export const tencentOrganizationDemo: OrganizationDemo<TencentEmulatorOptions, TencentEmulator> = {
  options: (members) => ({
    accounts: [{ ...MANAGEMENT, strategies: [{ id: 1001, name: 'Linux security baseline' }] }, ...eachMember(members, accountOf)],
    organizations: [{ management: MANAGEMENT.name, members: eachMember(members, member) }],
  }),
  environment: { DEMO_ORG_TENCENT_SECRET_ID: MANAGEMENT.secretId, DEMO_ORG_TENCENT_SECRET_KEY: MANAGEMENT.secretKey },
  churn: (tencent, joining, leaving) => {
    tencent.addAccount(accountOf(joining));
    tencent.organizations.remove(MANAGEMENT.name, member(leaving).uin);
    tencent.organizations.add(MANAGEMENT.name, member(joining));
    return `tencent ${member(leaving).uin} left, ${member(joining).uin} (${member(joining).name}) joined`;
  },
};
