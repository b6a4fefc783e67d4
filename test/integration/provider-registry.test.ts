// A cloud is one folder plus one registry line (issue 16): config, the exporter, capacity planning, metrics
// and the HTTP app find every account through the provider registry and name no cloud, so a third provider
// registered beside the two real ones is configured, collected, planned, rendered, scraped and probed like them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from '../../src/config/summary.js';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load.js';
import type { ExporterConfig } from '../../src/config/types.js';
import type { Family } from '../../src/contract/series.js';
import type { ProviderEntry } from '../../src/contract/provider.js';
import { PROVIDERS } from '../../src/sources/registry.js';
import type { Snapshot, Source } from '../../src/contract/types.js';
import { valueOf } from '../support/exposition.js';
import { exporterConfig, startExporter } from '../support/harness.js';

const FAKE = 'fakecloud';

interface LabSettings {
  name: string;
  rateLimit: number;
  requestTimeoutSeconds: number;
}

const LAB_FAMILY: Family = { name: 'cloudscan_lab_things', type: 'gauge', labels: ['account'], help: 'Things in the lab.' };

/** A whole cloud in one object: its schema part, settings, series and source, registered beside the real ones. */
function fakeProvider(loaded: string[]): ProviderEntry<{ readonly fakecloud: readonly LabSettings[] }, { name: string; things?: number | undefined }> {
  return {
    name: FAKE,
    dropReasons: ['error_code'],
    accountSchema: z.strictObject({ name: z.string(), things: z.number().optional() }),
    settings: (file) => ({ name: file.name, rateLimit: 4, requestTimeoutSeconds: 1 }),
    families: [LAB_FAMILY],
    accounts: (config) =>
      config.fakecloud.map((settings) => ({
        settings,
        plan: () => ({ fixed: 3, perItem: 0, item: 'thing', itemPlural: 'things', items: 0 }),
        actions: ['ListThings'],
        loadSource: async () => {
          loaded.push(settings.name);
          const source: Source<Snapshot> = {
            provider: FAKE,
            account: settings.name,
            fetch: async () => ({ provider: FAKE, account: settings.name, takenAt: Date.now(), errors: [], warnings: [] }),
          };
          return source;
        },
        renderer: {
          families: [LAB_FAMILY],
          blocks: (snapshot) => [{ sources: undefined, samples: () => [{ family: LAB_FAMILY, labels: { account: snapshot.account }, value: 7 }] }],
        },
        describe: () => 'a lab cloud',
        signer: () => `${FAKE}:${settings.name}`,
      })),
  };
}

const LAB_FILE = 'fakecloud:\n  - name: lab\n    things: 7\n';

function labConfig(loaded: string[] = []): ExporterConfig {
  return parseConfig(LAB_FILE, 'lab.yaml', {}, { providers: [...PROVIDERS, fakeProvider(loaded)] }).config;
}

test('its part of the configuration file is validated by its own schema, with did-you-mean', () => {
  const providers = [...PROVIDERS, fakeProvider([])];
  assert.throws(() => parseConfig('fakecloud:\n  - name: lab\n    thinsg: 7\n', 'lab.yaml', {}, { providers }), /fakecloud\[0\]\.thinsg: unknown key \(did you mean things\?\)/);
  assert.throws(() => parseConfig(LAB_FILE, 'lab.yaml', {}), /lab\.yaml:1: fakecloud: unknown key/, 'not registered, its key is unknown');
});

test('a third provider registered beside the real ones is scraped, probed and planned like them', async () => {
  const loaded: string[] = [];
  const running = await startExporter(labConfig(), { providers: [...PROVIDERS, fakeProvider(loaded)] });
  try {
    const [capacity] = running.exporter.capacity();
    assert.deepEqual([capacity?.target, capacity?.calls, capacity?.measured], ['fakecloud/lab', 3, false], 'planned from its plan');

    const scraped = await running.scrapeAfterRefresh();
    assert.equal(valueOf(scraped, 'cloudscan_up{provider="fakecloud",account="lab"}'), 1);
    assert.equal(valueOf(scraped, 'cloudscan_lab_things{account="lab"}'), 7, 'rendered by its own renderer');
    assert.equal(valueOf(scraped, 'cloudscan_api_requests_total{provider="fakecloud",account="lab",action="ListThings"}'), 0, 'its counters start at 0');
    assert.deepEqual(loaded, ['lab'], 'its source is loaded once, on the first refresh');

    const probe = await running.get('/probe?target=fakecloud/lab');
    assert.equal(probe.status, 200, probe.body);
    assert.match(probe.body, /^# TYPE cloudscan_lab_things gauge$/m);
    assert.equal(valueOf(probe.body, 'cloudscan_up{provider="fakecloud",account="lab"}'), 1);


    const landing = await running.get('/');
    assert.match(landing.body, /<a href="\?account=fakecloud%2Flab">fakecloud\/lab<\/a>/);
    const own = await running.get('/?account=fakecloud/lab');
    assert.match(own.body, /probe\?target=fakecloud%2Flab/);
  } finally {
    await running.close();
  }
});

test('--config.check lists its accounts with the others', () => {
  const summary = summarize('lab.yaml', labConfig(), [], [...PROVIDERS, fakeProvider([])]);
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
