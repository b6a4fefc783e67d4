// A cloud is one folder plus one registry line (issues 16 and 23): config, the exporter, capacity planning,
// metrics, the HTTP app, and the generators of the metrics doc, the alert rules and the dashboard find every
// cloud through the provider registry and name none, so a third provider registered beside the two real ones
// is configured, collected, planned, rendered, scraped, probed, documented, alerted on and drawn like them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDashboard } from '../../grafana/dashboard.js';
import { alertGroups, parseAlertSettings, renderAlerts, thresholdsPath } from '../../prometheus/alerts.js';
import { renderMetricsDoc } from '../../scripts/metrics-doc.js';
import type { CloudAlerts } from '../../src/contract/alert-rules.js';
import { summarize } from '../../src/config/summary.js';
import { z } from 'zod';
import { parseConfig } from '../../src/config/load.js';
import type { ExporterConfig } from '../../src/config/types.js';
import type { Family } from '../../src/contract/series.js';
import type { ProviderEntry } from '../../src/contract/provider.js';
import { PROVIDERS } from '../../src/sources/registry.js';
import type { Snapshot, Source } from '../../src/contract/types.js';
import { lintDashboard } from '../support/dashboard-lint.js';
import { valueOf } from '../support/exposition.js';
import { exporterConfig, startExporter } from '../support/harness.js';
import { promtool } from '../support/promtool.js';

const FAKE = 'fakecloud';

interface LabSettings {
  name: string;
  rateLimit: number;
  requestTimeoutSeconds: number;
}

const LAB_FAMILY: Family = { name: 'cloudscan_lab_things', type: 'gauge', labels: ['account'], help: 'Things in the lab.' };

/** A whole cloud in one object: its schema part, settings, series, source, docs, alerts and dashboard, registered beside the real ones. */
function fakeProvider(
  loaded: string[],
): ProviderEntry<{ readonly fakecloud: readonly LabSettings[] }, { name: string; things?: number | undefined }> {
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
          blocks: (snapshot) => [
            { sources: undefined, samples: () => [{ family: LAB_FAMILY, labels: { account: snapshot.account }, value: 7 }] },
          ],
        },
        describe: () => 'a lab cloud',
        signer: () => `${FAKE}:${settings.name}`,
      })),
    metricsDoc: {
      title: 'Lab cloud',
      short: 'Lab',
      text: ['From `ListThings`, one call per account.'],
      families: [LAB_FAMILY],
      labelValues: [],
      codes: [{ label: '`code` (lab)', values: 'the code of a thing' }],
      dropReasons: [{ reason: 'things', bound: 1000, text: 'things of one listing beyond the first 1,000' }],
      exampleAction: 'ListThings',
    },
    alerts: {
      thresholds: { lab_things_gone_for: 'duration' },
      codes: { auth: 'LabAuth[.].*', permission: 'LabAuth[.]Denied', throttling: 'LabBusy' },
      permissions: { ListThings: 'lab:ListThings' },
      groups: ({ heldRule }, t) => [
        {
          name: 'cloudscan-lab',
          rules: [
            heldRule(
              'CloudscanLabThingsGone',
              'warning',
              'cloudscan_lab_things == 0',
              t.lab_things_gone_for,
              'A lab account has no things.',
              `Lab account {{ $labels.account }} has had no things for ${t.lab_things_gone_for}.`,
            ),
          ],
        },
      ],
    } satisfies CloudAlerts<{ lab_things_gone_for: 'duration' }>,
    dashboard: {
      product: 'the Lab cloud',
      tag: 'lab-cloud',
      panels: ({ scan, ofCloud, legendTable }) => ({
        overview: [],
        rows: [
          {
            title: 'Lab',
            panels: [
              {
                type: 'timeseries',
                title: 'Lab things',
                description: 'Things in each lab account.',
                unit: 'none',
                w: 24,
                h: 8,
                queries: [{ expr: ofCloud(`cloudscan_lab_things{${scan}}`), legend: '{{account}}' }],
                options: legendTable,
              },
            ],
          },
        ],
        serversMissed: [],
      }),
    },
  };
}

const LAB_FILE = 'fakecloud:\n  - name: lab\n    things: 7\n';

function labConfig(loaded: string[] = []): ExporterConfig {
  return parseConfig(LAB_FILE, 'lab.yaml', {}, { providers: [...PROVIDERS, fakeProvider(loaded)] }).config;
}

test('its part of the configuration file is validated by its own schema, with did-you-mean', () => {
  const providers = [...PROVIDERS, fakeProvider([])];
  assert.throws(
    () => parseConfig('fakecloud:\n  - name: lab\n    thinsg: 7\n', 'lab.yaml', {}, { providers }),
    /fakecloud\[0\]\.thinsg: unknown key \(did you mean things\?\)/,
  );
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
    assert.equal(
      valueOf(scraped, 'cloudscan_api_requests_total{provider="fakecloud",account="lab",action="ListThings"}'),
      0,
      'its counters start at 0',
    );
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

/** prometheus/thresholds.yml with the lab cloud's threshold added, as its users would add it. */
function labThresholds(): string {
  return `${readFileSync(thresholdsPath, 'utf8').trimEnd()}\n  lab_things_gone_for: 30m\n`;
}

test('its section, label values and words are in the metrics doc, generated with it registered', () => {
  const doc = renderMetricsDoc([...PROVIDERS, fakeProvider([])]);
  assert.match(
    doc,
    /^## Lab cloud\n\nFrom `ListThings`, one call per account\.\n\n\| name \| type \| labels \| meaning \|\n\|---\|---\|---\|---\|\n\| `cloudscan_lab_things` \| gauge \| `account` \| Things in the lab\. \|\n\n## Coverage/m,
  );
  assert.match(doc, /`provider` is `tencent`, `alibaba` or `fakecloud`\./);
  assert.match(doc, /^\| `provider` \| `tencent`, `alibaba`, `fakecloud` \|$/m);
  assert.match(doc, /^\| `code` \(lab\) \| the code of a thing \|$/m);
  assert.match(
    doc,
    /`subtasks` \(subtasks beyond the first 500 of one server answer\), `things` \(things of one listing beyond the first 1,000\), `hosts`/,
  );
  assert.match(doc, /e\.g\. `DescribeScanState`, `DescribeVulCheckTaskStatusDetail`, `ListThings` \|$/m);
  assert.match(doc, /^## Coverage: servers no scan can see \(both clouds\)$/m, "it lists no servers, so coverage is the two real clouds'");
  assert.doesNotMatch(renderMetricsDoc(PROVIDERS), /Lab cloud|fakecloud|ListThings/, 'nothing of it without it');
});

test('its thresholds are read strictly from thresholds.yml, and its alerts are generated and pass promtool', () => {
  const providers = [...PROVIDERS, fakeProvider([])];
  assert.throws(
    () => parseAlertSettings(readFileSync(thresholdsPath, 'utf8'), 'thresholds.yml', providers),
    /thresholds\.yml: thresholds\.lab_things_gone_for: /,
  );
  assert.throws(
    () => parseAlertSettings(labThresholds(), 'thresholds.yml'),
    /thresholds\.yml: .*lab_things_gone_for/,
    'not registered, its key is unknown',
  );
  const clashing = {
    ...fakeProvider([]),
    alerts: { ...fakeProvider([]).alerts, thresholds: { cwp_scan_stuck_after: 'duration' as const } },
  };
  assert.throws(
    () => parseAlertSettings(labThresholds(), 'thresholds.yml', [...PROVIDERS, clashing]),
    /the threshold cwp_scan_stuck_after of fakecloud is declared twice/,
  );
  const settings = parseAlertSettings(labThresholds(), 'thresholds.yml', providers);
  const groups = alertGroups(settings, providers);
  assert.deepEqual(
    groups.map((group) => group.name),
    ['cloudscan-exporter', 'cloudscan-accounts', 'cloudscan-tencent-cwp', 'cloudscan-alibaba-sas', 'cloudscan-lab', 'cloudscan-coverage'],
  );
  const rule = groups.find((group) => group.name === 'cloudscan-lab')!.rules[0]!;
  assert.ok('alert' in rule && rule.alert === 'CloudscanLabThingsGone' && rule.for === '30m', JSON.stringify(rule));
  assert.match(
    rule.expr,
    /ALERTS\{alertname="CloudscanLabThingsGone", alertstate="firing"\}/,
    'held while the exporter is down, as every cloud alert',
  );
  const accounts = groups.find((group) => group.name === 'cloudscan-accounts')!.rules;
  const expr = (alert: string) => accounts.find((r) => 'alert' in r && r.alert === alert)!.expr;
  assert.match(expr('CloudscanAuthFailing'), /\|LabAuth\[\.\]\.\*",code!~"[^"]*\|LabAuth\[\.\]Denied"/);
  assert.match(expr('CloudscanApiThrottled'), /\|LabBusy\|http_429"/);

  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-lab-rules-'));
  try {
    const file = join(dir, 'alerts.yml');
    writeFileSync(file, renderAlerts(settings, providers));
    assert.match(
      readFileSync(file, 'utf8'),
      /\(eq \$labels\.provider "fakecloud"\) \(eq \$labels\.action "ListThings"\) \}\}lab:ListThings\{\{ else \}\}/,
    );
    const { status, output } = promtool(['check', 'rules', file]);
    assert.equal(status, 0, output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('its row is in the dashboard, drawn with it registered, and passes the dashboard lint', () => {
  const providers = [...PROVIDERS, fakeProvider([])];
  const dashboard = buildDashboard(providers, parseAlertSettings(labThresholds(), 'thresholds.yml', providers));
  const titles = dashboard.panels.map((panel) => panel.title);
  assert.deepEqual(
    titles.slice(titles.indexOf('Lab'), titles.indexOf('Lab') + 3),
    ['Lab', 'Lab things', 'Servers missed'],
    "its row after the real clouds' rows",
  );
  const things = dashboard.panels.find((panel) => panel.title === 'Lab things')!;
  assert.match(
    things.targets![0]!.expr,
    /cloudscan_up\{[^}]*provider="fakecloud", provider=~"\$provider"/,
    'the provider variable filters it',
  );
  assert.match(dashboard.description, /Tencent Cloud CWP, Alibaba Cloud Security Center and the Lab cloud scans/);
  assert.deepEqual(lintDashboard(dashboard, providers), []);
  assert.ok(
    lintDashboard(dashboard).includes('panel "Lab things" A: cloudscan_lab_things is not a metric of src/metrics/families.ts'),
    'the lint knows its series from the registry',
  );
});
