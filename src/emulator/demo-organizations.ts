// The organization demo (`npm run demo -- --organizations`): a Tencent Cloud organization and an
// Alibaba Cloud resource directory of six members each, one of whom leaves and another joins every
// CHURN_MS, so the exporter's member accounts appear and disappear while it runs. The keys are fakes
// that only this emulator accepts; demo/organizations.yaml reads them from the environment below.
import type { AlibabaEmulatorAccount } from './alibaba/fleet.js';
import type { AlibabaEmulatedMember } from './alibaba/directory.js';
import type { Emulator, EmulatorOptions } from './server.js';
import type { TencentEmulatedAccount, TencentEmulatedMember } from './tencent/index.js';

/** How often one member leaves and another joins, in each organization. */
export const CHURN_MS = 15_000;
export const DEMO_MEMBER_ROLE = 'CloudscanReadOnly';
const MEMBERS = 6;

const TENCENT_MANAGEMENT = {
  name: 'org-management',
  secretId: 'AKIDdemoOrgManagement000000000000001',
  secretKey: 'demoOnlyTencentOrgManagementKey001',
};
const ALIBABA_MANAGEMENT = {
  name: 'rd-management',
  accessKeyId: 'LTAI5tDemoRdManagement01',
  accessKeySecret: 'demo-only-alibaba-rd-management-0001',
};

/** The variables demo/organizations.yaml expects. */
export const ORGANIZATION_DEMO_ENVIRONMENT: Record<string, string> = {
  DEMO_ORG_TENCENT_SECRET_ID: TENCENT_MANAGEMENT.secretId,
  DEMO_ORG_TENCENT_SECRET_KEY: TENCENT_MANAGEMENT.secretKey,
  DEMO_ORG_ALIBABA_ACCESS_KEY_ID: ALIBABA_MANAGEMENT.accessKeyId,
  DEMO_ORG_ALIBABA_ACCESS_KEY_SECRET: ALIBABA_MANAGEMENT.accessKeySecret,
};

const NAMES = ['payments', 'search', 'checkout', 'analytics', 'identity', 'media', 'billing', 'logistics', 'support', 'catalog', 'ads', 'risk'];

function tencentAccountOf(i: number): TencentEmulatedAccount {
  const n = String(i).padStart(4, '0');
  return {
    name: `tencent-member-${i}`,
    secretId: `AKIDdemoOrgMember${n}0000000000000000001`.slice(0, 36),
    secretKey: `demoOnlyTencentOrgMember${n}0000000`.slice(0, 34),
    strategies: [{ id: 1001, name: 'Linux security baseline' }],
    cycleMs: 20_000 + i * 5_000,
  };
}

function tencentMember(i: number): TencentEmulatedMember {
  return { uin: String(200000000000 + i), name: NAMES[i % NAMES.length]!, roles: [DEMO_MEMBER_ROLE], account: `tencent-member-${i}` };
}

function alibabaAccountOf(i: number): AlibabaEmulatorAccount {
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

function alibabaMember(i: number): AlibabaEmulatedMember {
  return { accountId: String(1600000000000000 + i), displayName: `shop-${NAMES[i % NAMES.length]!}`, roles: [DEMO_MEMBER_ROLE], account: `alibaba-member-${i}` };
}

/** Emulator options with both organizations, their members and the members' emulated accounts. */
export function organizationDemoOptions(): EmulatorOptions {
  return {
    tencent: {
      accounts: [
        { ...TENCENT_MANAGEMENT, strategies: [{ id: 1001, name: 'Linux security baseline' }] },
        ...Array.from({ length: MEMBERS }, (_, i) => tencentAccountOf(i + 1)),
      ],
      organizations: [{ management: TENCENT_MANAGEMENT.name, members: Array.from({ length: MEMBERS }, (_, i) => tencentMember(i + 1)) }],
    },
    alibaba: {
      accounts: [{ ...ALIBABA_MANAGEMENT, fleetSize: 1 }, ...Array.from({ length: MEMBERS }, (_, i) => alibabaAccountOf(i + 1))],
      resourceDirectories: [{ management: ALIBABA_MANAGEMENT.name, members: Array.from({ length: MEMBERS }, (_, i) => alibabaMember(i + 1)) }],
    },
  };
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
    emulator.tencent.addAccount(tencentAccountOf(joining));
    emulator.alibaba.addAccount(alibabaAccountOf(joining));
    emulator.tencent.organizations.remove(TENCENT_MANAGEMENT.name, tencentMember(leaving).uin);
    emulator.tencent.organizations.add(TENCENT_MANAGEMENT.name, tencentMember(joining));
    emulator.alibaba.directories.remove(ALIBABA_MANAGEMENT.name, alibabaMember(leaving).accountId);
    emulator.alibaba.directories.add(ALIBABA_MANAGEMENT.name, alibabaMember(joining));
    say(
      `organizations: tencent ${tencentMember(leaving).uin} left, ${tencentMember(joining).uin} (${tencentMember(joining).name}) joined; ` +
        `alibaba ${alibabaMember(leaving).accountId} left, ${alibabaMember(joining).accountId} joined`,
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
