// Alibaba Cloud Security Center in the provider registry. Imports nothing that loads the SDK: source.js
// is loaded on an account's first refresh.
import { formatEndpoint } from '../../shared/endpoint.js';
import type { ProviderEntry } from '../provider.js';
import type { Snapshot, Source } from '../types.js';
import type { AlibabaAccountConfig } from './config.js';
import { alibabaActions, alibabaCallPlan } from './plan.js';

export const alibabaProvider: ProviderEntry<{ readonly alibaba: readonly AlibabaAccountConfig[] }> = {
  name: 'alibaba',
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
      render: { perServerSeries: settings.perServerSeries, types: settings.types },
      describe: () => {
        const servers = settings.servers === 'auto' ? 'auto' : `${settings.servers.length}`;
        return `${settings.region} via ${formatEndpoint(settings.endpoint)}, credentials ${settings.credentials.source}, servers ${servers}`;
      },
    })),
};
