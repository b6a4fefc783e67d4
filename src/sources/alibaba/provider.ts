// Alibaba Cloud Security Center in the provider registry. Imports nothing that loads the SDK: source.js
// is loaded on an account's first refresh.
import { formatEndpoint } from '../../shared/endpoint.js';
import type { ProviderEntry } from '../provider.js';
import { describeRole } from '../role-describe.js';
import type { Snapshot, Source } from '../types.js';
import type { AlibabaAccountConfig } from './config.js';
import { SAS } from './families.js';
import { alibabaActions, alibabaCallPlan } from './plan.js';
import { alibabaRenderer } from './render.js';
import { alibabaStsEndpoint } from './role-endpoint.js';
import { alibabaAccountSchema, alibabaSettings, type AlibabaAccountFile } from './schema.js';
import { summarizeAlibaba } from './status.js';

export const alibabaProvider: ProviderEntry<{ readonly alibaba: readonly AlibabaAccountConfig[] }, AlibabaAccountFile> = {
  name: 'alibaba',
  accountSchema: alibabaAccountSchema,
  settings: alibabaSettings,
  families: Object.values(SAS),
  summarize: summarizeAlibaba,
  dropReasons: ['error_code', 'subtasks'],
  accounts: (config) =>
    config.alibaba.map((settings) => ({
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
        const role = describeRole(settings.credentials.role, (assumed) => alibabaStsEndpoint(settings, assumed));
        return `${settings.region} via ${formatEndpoint(settings.endpoint)}, credentials ${settings.credentials.source}${role}, servers ${servers}`;
      },
    })),
};
