// Tencent Cloud CWP in the provider registry. Imports nothing that loads the SDK: source.js (and the
// member lister) are loaded on an account's (an organization's) first refresh.
import { formatEndpoint } from '../../base/endpoint.js';
import type { ProviderAccount, ProviderEntry } from '../../contract/provider.js';
import { principalOf, accountSigner } from '../kit/principal.js';
import { describeRole } from '../kit/role-describe.js';
import { ASSUME_ROLE_ACTION } from '../kit/role-session.js';
import { memberRoleAt } from '../kit/role-settings.js';
import type { MemberSource, Snapshot, Source } from '../../contract/types.js';
import type { TencentAccountConfig, TencentBaseCredentials } from './config.js';
import { CWP } from './families.js';
import { tencentMemberRoleArn, type TencentOrganizationConfig } from './organization-config.js';
import { TENCENT_MEMBER_GONE_CODES } from './organization-gone.js';
import { tencentOrganizationSchema, tencentOrganizationSettings, type TencentOrganizationFile } from './organization-schema.js';
import { describeCoverage, tencentActions, tencentCallPlan } from './plan.js';
import { COVERAGE_FAMILIES } from '../coverage/render.js';
import { tencentRenderer } from './render.js';
import { tencentStsEndpoint } from './role-endpoint.js';
import { tencentAlerts } from './alerts.js';
import { tencentDashboard } from './dashboard.js';
import { tencentMetricsDoc } from './metrics-doc.js';
import { sameSiteEndpoint } from './site.js';
import { tencentAccountSchema, tencentSettings, type TencentAccountFile } from './schema.js';
import { summarizeTencent } from './status.js';

type TencentConfig = {
  readonly tencent: readonly TencentAccountConfig[];
  readonly tencent_organizations?: readonly TencentOrganizationConfig[];
};

/** The principal of a base credential: its SecretId, or the credential chain it reads. */
function tencentPrincipal(credentials: TencentBaseCredentials): string {
  return credentials.source === 'static'
    ? principalOf('tencent', 'key', credentials.secretId.reveal())
    : principalOf('tencent', 'chain', credentials.source);
}

function tencentAccount(settings: TencentAccountConfig): ProviderAccount {
  return {
    signer: accountSigner('tencent', tencentPrincipal(settings.credentials), settings.credentials.role),
    settings,
    plan: () => tencentCallPlan(settings),
    actions: tencentActions(settings),
    loadSource: async () => {
      const { TencentSource } = await import('./source.js');
      return new TencentSource(settings) as Source<Snapshot>;
    },
    renderer: tencentRenderer({ perHostSeries: settings.perHostSeries }),
    describe: () =>
      `${formatEndpoint(settings.endpoint)}, credentials ${settings.credentials.source}` +
      `${describeRole(settings.credentials.role, (role) => tencentStsEndpoint(settings, role))}, modules ${settings.modules.join(',')}, ` +
      describeCoverage(settings.coverage),
  };
}

export const tencentProvider: ProviderEntry<TencentConfig, TencentAccountFile, TencentOrganizationFile> = {
  name: 'tencent',
  accountSchema: tencentAccountSchema,
  settings: tencentSettings,
  families: [...Object.values(CWP), ...COVERAGE_FAMILIES],
  summarize: summarizeTencent,
  dropReasons: ['error_code', 'hosts', 'servers'],
  accounts: (config) => config.tencent.map(tencentAccount),
  metricsDoc: tencentMetricsDoc,
  alerts: tencentAlerts,
  dashboard: tencentDashboard,
  discovery: {
    key: 'tencent_organizations',
    schema: tencentOrganizationSchema,
    settings: tencentOrganizationSettings,
    organizations: (config) =>
      (config.tencent_organizations ?? []).map((organization) => ({
        settings: organization,
        actions: ['DescribeOrganizationMembers'],
        loadMemberSource: async () => {
          const { TencentMemberSource } = await import('./organization-source.js');
          return new TencentMemberSource(organization) as MemberSource;
        },
        memberAccount: (member) => {
          const { memberRole } = organization;
          return tencentAccount({
            ...organization.member,
            name: member.id,
            credentials: {
              ...organization.credentials,
              role: memberRoleAt(memberRole, tencentMemberRoleArn(member.id, memberRole.name)),
            },
          });
        },
        signer: () => tencentPrincipal(organization.credentials),
        // A member that left has lost the role Organization gave it, or no longer trusts the management account.
        memberGone: (action, code) => action === ASSUME_ROLE_ACTION && TENCENT_MEMBER_GONE_CODES.has(code),
        describe: () =>
          `organization via ${formatEndpoint(organization.endpoint)}, credentials ${organization.credentials.source}` +
          `${organization.trustedService === undefined ? '' : ` (delegated administrator of ${organization.trustedService})`}, ` +
          `member role ${organization.memberRole.name} via STS ${formatEndpoint(sameSiteEndpoint(organization.member.endpoint, 'sts'))}, ` +
          `members' CWP via ${formatEndpoint(organization.member.endpoint)}, members every ${organization.refreshIntervalSeconds} s`,
      })),
  },
};
