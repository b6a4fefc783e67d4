// Alibaba Cloud Security Center in the provider registry. Imports nothing that loads the SDK: source.js
// is loaded on an account's first refresh.
import { formatEndpoint } from '../../base/endpoint.js';
import type { ProviderAccount, ProviderEntry } from '../../contract/provider.js';
import { principalOf, accountSigner } from '../kit/principal.js';
import { describeRole } from '../kit/role-describe.js';
import { memberRoleAt } from '../kit/role-settings.js';
import type { MemberSource, Snapshot, Source } from '../../contract/types.js';
import type { AlibabaAccountConfig, AlibabaBaseCredentials } from './config.js';
import { SAS } from './families.js';
import { ALIBABA_MEMBER_GONE_CODES } from './organization-gone.js';
import { alibabaMemberRoleArn, type AlibabaResourceDirectoryConfig } from './organization-config.js';
import {
  alibabaResourceDirectorySchema,
  alibabaResourceDirectorySettings,
  type AlibabaResourceDirectoryFile,
} from './organization-schema.js';
import { alibabaActions, alibabaCallPlan } from './plan.js';
import { COVERAGE_FAMILIES } from '../coverage/render.js';
import { alibabaRenderer } from './render.js';
import { alibabaStsEndpoint } from './role-endpoint.js';
import { alibabaAlerts } from './alerts.js';
import { alibabaDashboard } from './dashboard.js';
import { alibabaMetricsDoc } from './metrics-doc.js';
import { alibabaAccountSchema, alibabaSettings, type AlibabaAccountFile } from './schema.js';
import { summarizeAlibaba } from './status.js';

type AlibabaConfig = {
  readonly alibaba: readonly AlibabaAccountConfig[];
  readonly alibaba_resource_directories?: readonly AlibabaResourceDirectoryConfig[];
};

/** The principal of a base credential: its AccessKeyId, or the credential chain it reads. */
function alibabaPrincipal(credentials: AlibabaBaseCredentials): string {
  return credentials.source === 'static'
    ? principalOf('alibaba', 'key', credentials.accessKeyId.reveal())
    : principalOf('alibaba', 'chain', credentials.source);
}

function alibabaAccount(settings: AlibabaAccountConfig): ProviderAccount {
  return {
    signer: accountSigner('alibaba', alibabaPrincipal(settings.credentials), settings.credentials.role),
    settings,
    plan: () => alibabaCallPlan(settings),
    actions: alibabaActions(settings),
    loadSource: async () => {
      const { AlibabaSource } = await import('./source.js');
      return new AlibabaSource(settings) as Source<Snapshot>;
    },
    renderer: alibabaRenderer({ perServerSeries: settings.perServerSeries, types: settings.types }),
    describe: () => {
      const servers = settings.servers === 'auto' ? 'auto' : `${settings.servers.length}`;
      const role =
        describeRole(settings.credentials.role, (assumed) => alibabaStsEndpoint(settings, assumed)) +
        (settings.credentials.role === undefined ? '' : ROOT_KEY_NOTE);
      return `${settings.region} via ${formatEndpoint(settings.endpoint)}, credentials ${settings.credentials.source}${role}, servers ${servers}`;
    },
  };
}

/** Said of every role: STS refuses a root account's AccessKey, which no key id tells apart from a RAM user's. */
const ROOT_KEY_NOTE = " (signed by a RAM user's or a role's key: STS refuses a root account's AccessKey)";

/** A member's account: the management credentials naming the member, or a role assumed in it. */
function memberSettings(directory: AlibabaResourceDirectoryConfig, accountId: string): AlibabaAccountConfig {
  const role = directory.memberRole;
  if (directory.memberAccess === 'assume_role' && role !== undefined) {
    return {
      ...directory.member,
      name: accountId,
      credentials: {
        ...directory.credentials,
        role: memberRoleAt(role, alibabaMemberRoleArn(accountId, role.name)),
      },
    };
  }
  return { ...directory.member, name: accountId, credentials: directory.credentials, resourceDirectoryAccountId: accountId };
}

export const alibabaProvider: ProviderEntry<AlibabaConfig, AlibabaAccountFile, AlibabaResourceDirectoryFile> = {
  name: 'alibaba',
  accountSchema: alibabaAccountSchema,
  settings: alibabaSettings,
  families: [...Object.values(SAS), ...COVERAGE_FAMILIES],
  summarize: summarizeAlibaba,
  dropReasons: ['error_code', 'subtasks'],
  accounts: (config) => config.alibaba.map(alibabaAccount),
  metricsDoc: alibabaMetricsDoc,
  alerts: alibabaAlerts,
  dashboard: alibabaDashboard,
  discovery: {
    key: 'alibaba_resource_directories',
    schema: alibabaResourceDirectorySchema,
    settings: alibabaResourceDirectorySettings,
    organizations: (config) =>
      (config.alibaba_resource_directories ?? []).map((directory) => ({
        settings: directory,
        // Through ResourceDirectoryAccountId, which members Security Center monitors is asked too.
        actions:
          directory.memberAccess === 'resource_directory_account_id' ? ['ListAccounts', 'DescribeMonitorAccounts'] : ['ListAccounts'],
        loadMemberSource: async () => {
          const { AlibabaMemberSource } = await import('./organization-source.js');
          return new AlibabaMemberSource(directory) as MemberSource;
        },
        memberAccount: (member) => alibabaAccount(memberSettings(directory, member.id)),
        signer: () => alibabaPrincipal(directory.credentials),
        memberGone: (_action, code) => ALIBABA_MEMBER_GONE_CODES.has(code),
        describe: () => {
          const access =
            directory.memberAccess === 'assume_role'
              ? `member role ${directory.memberRole?.name ?? '?'}${ROOT_KEY_NOTE}`
              : 'ResourceDirectoryAccountId';
          return (
            `resource directory via ${formatEndpoint(directory.endpoint)}, credentials ${directory.credentials.source}, ` +
            `members read by ${access}, every ${directory.refreshIntervalSeconds} s`
          );
        },
      })),
  },
};
