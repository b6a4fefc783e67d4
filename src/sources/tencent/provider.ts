// Tencent Cloud CWP in the provider registry. Imports nothing that loads the SDK: source.js is loaded on
// an account's first refresh.
import { formatEndpoint } from '../../shared/endpoint.js';
import type { ProviderEntry } from '../provider.js';
import { describeRole } from '../role-describe.js';
import type { Snapshot, Source } from '../types.js';
import type { TencentAccountConfig } from './config.js';
import { CWP } from './families.js';
import { tencentActions, tencentCallPlan } from './plan.js';
import { tencentRenderer } from './render.js';
import { tencentStsEndpoint } from './role-endpoint.js';
import { tencentAccountSchema, tencentSettings, type TencentAccountFile } from './schema.js';
import { summarizeTencent } from './status.js';

export const tencentProvider: ProviderEntry<{ readonly tencent: readonly TencentAccountConfig[] }, TencentAccountFile> = {
  name: 'tencent',
  accountSchema: tencentAccountSchema,
  settings: tencentSettings,
  families: Object.values(CWP),
  summarize: summarizeTencent,
  dropReasons: ['error_code', 'hosts'],
  accounts: (config) =>
    config.tencent.map((settings) => ({
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
        `${describeRole(settings.credentials.role, (role) => tencentStsEndpoint(settings, role))}, modules ${settings.modules.join(',')}`,
    })),
};
