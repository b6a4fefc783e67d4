// Generates grafana/dashboards/cloudscan.json, the one dashboard of cloudscan-exporter, from small
// typed builders: every panel gets a description, a unit and the ${datasource} variable, and every
// query the job and instance selectors, by construction rather than by review.
//
//   npm run dashboard                                  # rewrite grafana/dashboards/cloudscan.json
//   node --import tsx grafana/dashboard.ts --check     # exit 1 when the committed file is out of date
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { durationSeconds, loadAlertSettings, thresholdsPath, type AlertSettings } from '../prometheus/alerts.js';
import { spokenList } from '../src/base/prose.js';
import {
  OVERVIEW_SLOTS,
  type Color,
  type DashboardKit,
  type FieldDefaults,
  type FieldOverride,
  type OverviewStat,
  type PanelSpec,
  type Thresholds,
  type Transformation,
} from '../src/contract/dashboard.js';
import type { ProviderEntry } from '../src/contract/provider.js';
import { PROVIDERS } from '../src/sources/registry.js';
import {
  DashboardCursorSync,
  FieldColorModeId,
  MappingType,
  ThresholdsMode,
  VariableHide,
  VariableRefresh,
  VariableSort,
  type DataSourceRef,
  type Dashboard as SchemaDashboard,
  type FieldConfig,
  type FieldConfigSource,
  type Panel as SchemaPanel,
  type RowPanel,
  type VariableModel,
} from '@grafana/schema';

export const DASHBOARD_UID = 'cloudscan-exporter';

const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
const TARGET = 'job=~"$job", instance=~"$instance"';
/** Selectors by what a family carries: scan families have account, health families provider too. */
const SCAN = `${TARGET}, account=~"$account"`;
const ACCOUNT = `${TARGET}, provider=~"$provider", account=~"$account"`;
const PROVIDER = `${TARGET}, provider=~"$provider"`;
const RATE = '[$__rate_interval]';

/**
 * A cloud's scan series (which carry no provider label: each family is one cloud's) restricted to
 * the selected accounts of that cloud, so the provider variable filters them too: with another
 * cloud alone selected, its panels are empty. `provider="<cloud>"` keeps an account of the same
 * name in another cloud from letting its series through.
 */
function ofCloud(cloud: string, series: string): string {
  return `(${series} and on (job, instance, account) cloudscan_up{${TARGET}, provider="${cloud}", provider=~"$provider", account=~"$account"})`;
}

/** A table's columns in order, each label with its title; Time left out, and Value too unless `value` titles it (its column last). */
function tableColumns(columns: ReadonlyArray<readonly [label: string, title: string]>, value?: string): Transformation[] {
  const all = value === undefined ? columns : [...columns, ['Value', value] as const];
  return [
    {
      id: 'organize',
      options: {
        excludeByName: value === undefined ? { Time: true, Value: true } : { Time: true },
        indexByName: Object.fromEntries(all.map(([label], index) => [label, index])),
        renameByName: Object.fromEntries(all),
      },
    },
  ];
}

/** The thresholds of the alerts on every cloud (prometheus/thresholds.yml) in seconds: the panels turn orange and red where the alerts would. */
function sharedAlerts(t: AlertSettings['thresholds']) {
  return {
    accountDown: durationSeconds(t.account_down_for),
    dataStale: durationSeconds(t.data_stale_after),
    coverageRatioMin: t.coverage_ratio_min,
    serversUnprotected: durationSeconds(t.servers_unprotected_after),
  };
}
type SharedAlerts = ReturnType<typeof sharedAlerts>;

/** Grafana thresholds: `base` below the first step, then each [value, color] from that value up. */
function thresholds(base: Color, ...steps: [number, Color][]): Thresholds {
  return { mode: 'absolute', steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))] };
}

/** A Prometheus query of a panel, as Grafana's Prometheus data source stores it. */
export type Target = {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format?: 'table' | 'time_series';
};

/** A panel as this generator writes it: Grafana's model, with the parts every panel here has made required. */
export type Panel = Omit<SchemaPanel, 'targets'> &
  Required<Pick<SchemaPanel, 'id' | 'title' | 'gridPos' | 'description'>> & { targets?: Target[] };
/** A row: Grafana's RowPanel, which has no queries, fields or options of its own. */
export type Row = RowPanel &
  Required<Pick<RowPanel, 'title' | 'gridPos'>> & {
    panels: Panel[];
    description?: never;
    targets?: never;
    fieldConfig?: never;
    options?: never;
  };

/** The dashboard: Grafana's own model (@grafana/schema), so that tsc checks every field this file writes. */
export type Dashboard = Omit<SchemaDashboard, 'panels' | 'templating' | 'description'> & {
  description: string;
  panels: Array<Panel | Row>;
  templating: { list: VariableModel[] };
};

const THRESHOLDS_MODES = { absolute: ThresholdsMode.Absolute, percentage: ThresholdsMode.Percentage } as const satisfies Record<
  Thresholds['mode'],
  ThresholdsMode
>;
const COLOR_MODES = {
  thresholds: FieldColorModeId.Thresholds,
  'palette-classic': FieldColorModeId.PaletteClassic,
  fixed: FieldColorModeId.Fixed,
} as const satisfies Record<NonNullable<FieldDefaults['color']>['mode'], FieldColorModeId>;

/** Compile-time check: every field setting a cloud may write is one of Grafana's FieldConfig. */
const onlyGrafanasFieldSettings: Record<Exclude<keyof FieldDefaults, keyof FieldConfig>, never> = {};
void onlyGrafanasFieldSettings;

/** A panel's field settings in Grafana's model. */
function fieldConfig(unit: string, defaults: FieldDefaults = {}): FieldConfig {
  const { thresholds, color, mappings, ...rest } = defaults;
  return {
    unit,
    ...rest,
    ...(thresholds === undefined ? {} : { thresholds: { ...thresholds, mode: THRESHOLDS_MODES[thresholds.mode] } }),
    ...(color === undefined ? {} : { color: { ...color, mode: COLOR_MODES[color.mode] } }),
    ...(mappings === undefined ? {} : { mappings: mappings.map((mapping) => ({ ...mapping, type: MappingType.ValueToText })) }),
  };
}

/** Lays panels out left to right in 24 columns, wrapping, and numbers them. */
class Layout {
  readonly panels: Array<Panel | Row> = [];
  #id = 1;
  #x = 0;
  #y = 0;
  #rowHeight = 0;

  row(title: string): void {
    this.#newLine();
    this.panels.push({ id: this.#id++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.#y, w: 24, h: 1 }, panels: [] });
    this.#y += 1;
  }

  add(spec: PanelSpec): void {
    if (this.#x + spec.w > 24) this.#newLine();
    const refIds = 'ABCDEFGH';
    this.panels.push({
      id: this.#id++,
      type: spec.type,
      title: spec.title,
      description: spec.description,
      gridPos: { x: this.#x, y: this.#y, w: spec.w, h: spec.h },
      datasource: DATASOURCE,
      targets: spec.queries.map((q, i) => ({
        refId: refIds[i]!,
        datasource: DATASOURCE,
        expr: q.expr,
        legendFormat: q.legend ?? '__auto',
        range: !(q.instant ?? false),
        instant: q.instant ?? false,
        ...(q.table ? { format: 'table' as const } : {}),
      })),
      fieldConfig: { defaults: fieldConfig(spec.unit, spec.defaults), overrides: (spec.overrides ?? []).map(override) },
      options: spec.options ?? {},
      ...(spec.transformations ? { transformations: spec.transformations } : {}),
    });
    this.#x += spec.w;
    this.#rowHeight = Math.max(this.#rowHeight, spec.h);
  }

  #newLine(): void {
    this.#y += this.#rowHeight;
    this.#x = 0;
    this.#rowHeight = 0;
  }
}

/** An override in Grafana's model: thresholds set by an override are Grafana's too. */
function override({ matcher, properties }: FieldOverride): FieldConfigSource['overrides'][number] {
  return {
    matcher,
    properties: properties.map(({ id, value }) =>
      id === 'thresholds' ? { id, value: fieldConfig('', { thresholds: value as Thresholds }).thresholds } : { id, value },
    ),
  };
}

function queryVariable(name: string, label: string, query: string, description: string): VariableModel {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    refresh: VariableRefresh.onTimeRangeChanged,
    multi: true,
    includeAll: true,
    allValue: '.*',
    options: [],
    hide: VariableHide.dontHide,
    sort: VariableSort.alphabeticalAsc,
    regex: '',
    description,
  };
}

const stat = (orientation = 'auto') => ({
  reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
  orientation,
  textMode: 'auto',
  colorMode: 'value',
  graphMode: 'area',
  justifyMode: 'auto',
});
const legendTable = {
  legend: { displayMode: 'table', placement: 'right', showLegend: true, calcs: ['lastNotNull'] },
  tooltip: { mode: 'multi', sort: 'desc' },
};

/** At a glance: accounts up and down, then each cloud's stats: scans running, failing, risks found. */
function overviewRow(layout: Layout, alerts: SharedAlerts, stats: readonly OverviewStat[]): void {
  layout.row('Overview');
  layout.add({
    type: 'stat',
    title: 'Accounts up',
    description:
      'Accounts whose last refresh succeeded without an API error (cloudscan_up 1), and accounts whose last refresh failed (red from one). No data, rather than 0, when Prometheus has nothing current from the exporter.',
    unit: 'none',
    w: 4,
    h: 5,
    queries: [
      { expr: `sum(cloudscan_up{${ACCOUNT}})`, legend: 'up' },
      { expr: `count(cloudscan_up{${ACCOUNT}} == 0)\n  or on ()\n0 * count(cloudscan_up{${ACCOUNT}})`, legend: 'down' },
    ],
    // "up" is red only when no account is up; "down" is red from one account down.
    defaults: { thresholds: thresholds('red', [1, 'green']) },
    overrides: [
      { matcher: { id: 'byFrameRefID', options: 'B' }, properties: [{ id: 'thresholds', value: thresholds('green', [1, 'red']) }] },
    ],
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'Last successful refresh',
    description: `How long ago each account was last refreshed successfully: orange after ${alerts.accountDown / 60} minutes (when CloudscanAccountDown would fire), red after ${alerts.dataStale / 3600} h (CloudscanDataStale). It grows while refreshes fail; the exporter drops data older than cache.max_stale.`,
    unit: 's',
    w: 4,
    h: 5,
    queries: [
      {
        expr: `time() - max by (provider, account) (cloudscan_last_success_timestamp_seconds{${ACCOUNT}})`,
        legend: '{{provider}}/{{account}}',
      },
    ],
    defaults: { thresholds: thresholds('green', [alerts.accountDown, 'orange'], [alerts.dataStale, 'red']) },
    options: stat(),
  });
  for (const slot of OVERVIEW_SLOTS) for (const stat of stats) if (stat.slot === slot) layout.add(stat.panel);
}

/** Every cloud's coverage (each from `sources`): the share of servers with a working agent, the others by reason, and which they are. */
function coverageRow(layout: Layout, alerts: SharedAlerts, sources: readonly string[]): void {
  layout.row('Coverage');
  const running = `sum without (coverage) (cloudscan_servers{coverage!="server_stopped", ${ACCOUNT}})`;
  layout.add({
    type: 'timeseries',
    title: 'Coverage ratio per account',
    description: `Share of each account's running servers (all the cloud lists but those stopped or expired) whose security agent works (cloudscan_servers coverage="protected"): the scans can see only these. Red below ${alerts.coverageRatioMin * 100}%, where CloudscanServerCoverageLow fires; prometheus/alerts.yml records the same ratio as account:cloudscan_servers_protected:ratio.`,
    unit: 'percentunit',
    w: 12,
    h: 8,
    queries: [
      {
        expr: [
          'max by (provider, account) (',
          `  sum without (coverage) (cloudscan_servers{coverage="protected", ${ACCOUNT}})`,
          '    /',
          `  (${running} > 0)`,
          ')',
        ].join('\n'),
        legend: '{{provider}}/{{account}}',
      },
    ],
    defaults: {
      min: 0,
      max: 1,
      thresholds: thresholds('red', [alerts.coverageRatioMin, 'green']),
      custom: { thresholdsStyle: { mode: 'line' } },
    },
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Servers uncovered by reason',
    description: `Running servers without a working security agent, per account, by reason: agent_offline, agent_paused (protection suspended), agent_missing (no agent installed), unknown (a state the exporter does not know). ${sources.join(', ')}.`,
    unit: 'none',
    w: 12,
    h: 8,
    // max, not sum: exporters that scrape the same account (replicas) would add up.
    queries: [
      {
        expr: `max by (provider, account, coverage) (cloudscan_servers{coverage=~"agent_offline|agent_paused|agent_missing|unknown", ${ACCOUNT}})`,
        legend: '{{provider}}/{{account}} {{coverage}}',
      },
    ],
    defaults: { min: 0, custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal', group: 'A' } } },
    options: legendTable,
  });
  layout.add({
    type: 'table',
    title: 'Servers without a working agent',
    description: `Each running server without a working security agent now, with how long the exporter has seen it so (it counts from the exporter's start at the most), its instance ID, IP, region, OS and agent version. CloudscanServersUnprotected fires for those offline or without an agent for more than ${alerts.serversUnprotected / 3600} h. "Instance name" is the server name (the exporter's instance label, which Prometheus stores as exported_instance). Needs the per-server series (per_host_series, per_server_series: on by default).`,
    unit: 's',
    w: 24,
    h: 9,
    queries: [
      {
        expr: [
          'max by (provider, account, exported_instance, uuid, coverage, instance_id, ip, region, os, agent_version) (',
          `  (time() - cloudscan_server_uncovered_since_timestamp_seconds{${ACCOUNT}})`,
          '    * on (job, instance, provider, account, uuid) group_left (instance_id, ip, region, os, agent_version)',
          `  cloudscan_server_info{${ACCOUNT}}`,
          ')',
        ].join('\n'),
        instant: true,
        table: true,
      },
    ],
    transformations: tableColumns(
      [
        ['provider', 'Cloud'],
        ['account', 'Account'],
        ['exported_instance', 'Instance name'],
        ['coverage', 'Coverage'],
        ['instance_id', 'Instance ID'],
        ['ip', 'IP'],
        ['region', 'Region'],
        ['os', 'OS'],
        ['agent_version', 'Agent version'],
        ['uuid', 'UUID'],
      ],
      'Uncovered for',
    ),
    options: { showHeader: true, sortBy: [{ displayName: 'Uncovered for', desc: true }] },
  });
}

/** The exporter itself: API calls and errors, throttling, refresh and scrape durations, cache. */
function healthRow(layout: Layout): void {
  layout.row('Exporter health');
  layout.add({
    type: 'timeseries',
    title: 'API requests',
    description: 'Cloud API calls per second by provider and action, retries included.',
    unit: 'reqps',
    w: 12,
    h: 8,
    // One copy per replica of each series: every member's /probe carries its organization's listing counters.
    queries: [
      {
        expr: `sum by (provider, action) (max by (job, instance, provider, account, action) (rate(cloudscan_api_requests_total{${ACCOUNT}}${RATE})))`,
        legend: '{{provider}} {{action}}',
      },
    ],
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'API errors by code',
    description:
      "Failed cloud API calls per second by the cloud's error code, or timeout, network, invalid_response, http_NNN. docs/troubleshooting.md explains each code.",
    unit: 'reqps',
    w: 12,
    h: 8,
    queries: [
      {
        expr: `sum by (provider, account, code) (max by (job, instance, provider, account, action, code) (rate(cloudscan_api_errors_total{${ACCOUNT}}${RATE})))`,
        legend: '{{provider}}/{{account}} {{code}}',
      },
    ],
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'API latency',
    description: 'Duration of cloud API calls by provider and action: median, 90th and 99th percentile.',
    unit: 's',
    w: 8,
    h: 8,
    queries: [0.5, 0.9, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le, provider, action) (rate(cloudscan_api_request_duration_seconds_bucket{${PROVIDER}}${RATE})))`,
      legend: `p${q * 100} {{provider}} {{action}}`,
    })),
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Cache hit ratio',
    description:
      'Share of account lookups by scrapes served from the cache without waiting for a refresh. Low when cache.ttl is shorter than the scrape interval.',
    unit: 'percentunit',
    w: 8,
    h: 8,
    queries: [
      {
        expr: `sum by (provider) (rate(cloudscan_cache_hits_total{${PROVIDER}}${RATE}))\n/\nsum by (provider) (rate(cloudscan_cache_requests_total{${PROVIDER}}${RATE}))`,
        legend: '{{provider}}',
      },
    ],
    defaults: { min: 0, max: 1 },
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Scrape and refresh duration',
    description:
      "How long Prometheus' scrapes of the exporter take (scrape_duration_seconds), and how long the last refresh of each account took.",
    unit: 's',
    w: 8,
    h: 8,
    queries: [
      { expr: `scrape_duration_seconds{${TARGET}}`, legend: 'scrape {{instance}}' },
      { expr: `cloudscan_collect_duration_seconds{${ACCOUNT}}`, legend: 'refresh {{provider}}/{{account}}' },
    ],
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'API actions up',
    description:
      "1 while an API action's calls succeed, per account; 0 for one refused (for lack of permission: CloudscanPermissionMissing names the permission to add, docs/permissions.md what is missing meanwhile) or failing. An optional action refused leaves the account up with that part of its data off.",
    unit: 'none',
    w: 24,
    h: 6,
    queries: [{ expr: `cloudscan_action_up{${ACCOUNT}}`, legend: '{{provider}}/{{account}} {{action}}' }],
    defaults: { min: 0, max: 1 },
    options: legendTable,
  });
}

/** What the generator gives `cloud` to write its panels with. */
function kitFor(cloud: string): DashboardKit {
  return {
    scan: SCAN,
    ofCloud: (series) => ofCloud(cloud, series),
    thresholds,
    tableColumns,
    stat,
    legendTable,
    seconds: durationSeconds,
  };
}

/** The dashboard of these clouds, its panels turning orange and red at the thresholds of `settings` (prometheus/thresholds.yml). */
export function buildDashboard(
  providers: readonly ProviderEntry[] = PROVIDERS,
  settings: AlertSettings = loadAlertSettings(thresholdsPath, providers),
): Dashboard {
  const alerts = sharedAlerts(settings.thresholds);
  const clouds = providers.map(({ name, dashboard }) => dashboard.panels(kitFor(name), settings.thresholds));
  const layout = new Layout();
  overviewRow(
    layout,
    alerts,
    clouds.flatMap((cloud) => cloud.overview),
  );
  for (const row of clouds.flatMap((cloud) => cloud.rows)) {
    layout.row(row.title);
    for (const panel of row.panels) layout.add(panel);
  }
  // Servers the scans missed: a row of its own, each cloud adding its panels to it.
  layout.row('Servers missed');
  for (const panel of clouds.flatMap((cloud) => cloud.serversMissed)) layout.add(panel);
  coverageRow(
    layout,
    alerts,
    providers.flatMap(({ dashboard }) => (dashboard.coverage === undefined ? [] : [dashboard.coverage])),
  );
  healthRow(layout);

  const dashboard: Dashboard = {
    uid: DASHBOARD_UID,
    title: 'Cloudscan: cloud security scans',
    description: `${spokenList(
      providers.map(({ dashboard }) => dashboard.product),
      'and',
    )} scans, from cloudscan-exporter.`,
    tags: ['cloudscan', 'security', ...providers.map(({ dashboard }) => dashboard.tag)],
    timezone: 'browser',
    editable: true,
    graphTooltip: DashboardCursorSync.Crosshair,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-24h', to: 'now' },
    links: [],
    annotations: { list: [] },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          options: [],
          hide: VariableHide.dontHide,
          regex: '',
          description: 'The Prometheus that scrapes cloudscan-exporter.',
        },
        queryVariable('job', 'Job', 'label_values(cloudscan_build_info, job)', 'Scrape jobs of cloudscan exporters.'),
        queryVariable(
          'instance',
          'Instance',
          'label_values(cloudscan_build_info{job=~"$job"}, instance)',
          'Exporter instances (scrape targets) of the selected jobs.',
        ),
        queryVariable(
          'provider',
          'Provider',
          `label_values(cloudscan_up{${TARGET}}, provider)`,
          `Cloud: ${spokenList(
            providers.map(({ name }) => name),
            'or',
          )}.`,
        ),
        queryVariable(
          'account',
          'Account',
          `label_values(cloudscan_up{${TARGET}, provider=~"$provider"}, account)`,
          'Configured account names.',
        ),
      ],
    },
    panels: layout.panels,
  };
  // Grafana's model with nothing left out: what tsc checks here is what Grafana reads.
  return dashboard satisfies SchemaDashboard;
}

export function renderDashboard(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}

function repositoryRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const dashboardPath = join(repositoryRoot(dirname(fileURLToPath(import.meta.url))), 'grafana', 'dashboards', 'cloudscan.json');

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const text = renderDashboard();
  if (process.argv.includes('--check')) {
    if (!existsSync(dashboardPath) || readFileSync(dashboardPath, 'utf8') !== text) {
      process.stderr.write(`${dashboardPath} is out of date; run: npm run dashboard\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(dashboardPath, text);
    process.stdout.write(`wrote ${dashboardPath}\n`);
  }
}
