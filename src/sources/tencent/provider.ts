// Tencent Cloud CWP in the provider registry. Imports nothing that loads the SDK: source.js is loaded on
// an account's first refresh.
import { formatEndpoint } from '../../shared/endpoint.js';
import type { ProviderEntry } from '../provider.js';
import type { Snapshot, Source } from '../types.js';
import type { TencentAccountConfig } from './config.js';
import { tencentActions, tencentCallPlan } from './plan.js';

export const tencentProvider: ProviderEntry<{ readonly tencent: readonly TencentAccountConfig[] }> = {
  name: 'tencent',
  dropReasons: ['error_code'],
  accounts: (config) =>
    config.tencent.map((settings) => ({
      settings,
      plan: () => tencentCallPlan(settings),
      actions: tencentActions(settings),
      loadSource: async () => {
        const { TencentSource } = await import('./source.js');
        return new TencentSource(settings) as Source<Snapshot>;
      },
      render: { perServerSeries: true, types: [] },
      describe: () => `${formatEndpoint(settings.endpoint)}, credentials ${settings.credentials.source}, modules ${settings.modules.join(',')}`,
    })),
};
