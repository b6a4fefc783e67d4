// A cloud is one folder plus one registry line (issue 16): the exporter, capacity planning and the
// HTTP app find every account through the provider registry and name no cloud, so a third provider
// registered beside the two real ones is collected, planned, scraped and probed like them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from '../../src/config/summary.js';
import type { ExporterConfig } from '../../src/config/types.js';
import type { ProviderEntry } from '../../src/sources/provider.js';
import { PROVIDERS } from '../../src/sources/registry.js';
import type { Provider, Snapshot, Source } from '../../src/sources/types.js';
import { valueOf } from '../support/exposition.js';
import { exporterConfig, startExporter } from '../support/harness.js';

// Provider and Snapshot are still the two real clouds' unions (see sources/types.ts), hence the casts.
const FAKE = 'fakecloud' as Provider;

function fakeProvider(loaded: string[]): ProviderEntry<ExporterConfig> {
  return {
    name: FAKE,
    dropReasons: ['error_code'],
    accounts: () => [
      {
        settings: { name: 'lab', rateLimit: 4, requestTimeoutSeconds: 1 },
        plan: () => ({ fixed: 3, perItem: 0, item: 'thing', itemPlural: 'things', items: 0 }),
        actions: ['ListThings'],
        loadSource: async () => {
          loaded.push('lab');
          const source: Source<Snapshot> = {
            provider: FAKE,
            account: 'lab',
            fetch: async () => ({ provider: FAKE, account: 'lab', takenAt: Date.now(), errors: [], warnings: [] }) as unknown as Snapshot,
          };
          return source;
        },
        render: { perServerSeries: true, types: [] },
        describe: () => 'a lab cloud',
      },
    ],
  };
}

test('a third provider registered beside the real ones is scraped, probed and planned like them', async () => {
  const loaded: string[] = [];
  const running = await startExporter(exporterConfig({}), { providers: [...PROVIDERS, fakeProvider(loaded)] });
  try {
    const [capacity] = running.exporter.capacity();
    assert.deepEqual([capacity?.target, capacity?.calls, capacity?.measured], ['fakecloud/lab', 3, false], 'planned from its plan');

    const scraped = await running.scrapeAfterRefresh();
    assert.equal(valueOf(scraped, 'cloudscan_up{provider="fakecloud",account="lab"}'), 1);
    assert.equal(valueOf(scraped, 'cloudscan_api_requests_total{provider="fakecloud",account="lab",action="ListThings"}'), 0, 'its counters start at 0');
    assert.deepEqual(loaded, ['lab'], 'its source is loaded once, on the first refresh');

    const probe = await running.get('/probe?target=fakecloud/lab');
    assert.equal(probe.status, 200, probe.body);
    assert.equal(valueOf(probe.body, 'cloudscan_up{provider="fakecloud",account="lab"}'), 1);


    const landing = await running.get('/');
    assert.match(landing.body, /probe\?target=fakecloud%2Flab/);
  } finally {
    await running.close();
  }
});

test('--config.check lists its accounts with the others', () => {
  const summary = summarize('lab.yaml', exporterConfig({}), [], [...PROVIDERS, fakeProvider([])]);
  assert.match(summary, /^lab\.yaml: OK, 1 account\(s\)$/m);
  assert.match(summary, /^ {2}fakecloud\/lab: a lab cloud$/m);
});

test('without it registered, its accounts are unknown: the probe names the configured ones', async () => {
  const running = await startExporter(exporterConfig({}), { providers: PROVIDERS });
  try {
    const probe = await running.get('/probe?target=fakecloud/lab');
    assert.equal(probe.status, 400);
    assert.match(probe.body, /none configured/);
  } finally {
    await running.close();
  }
});
