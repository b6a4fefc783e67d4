// Generates grafana/dashboards/cloudscan.json, the one dashboard of cloudscan-exporter, from small
// typed builders: every panel gets a description, a unit and the ${datasource} variable, and every
// query the job and instance selectors, by construction rather than by review.
//
//   npm run dashboard                                  # rewrite grafana/dashboards/cloudscan.json
//   node --import tsx grafana/dashboard.ts --check     # exit 1 when the committed file is out of date
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { durationSeconds, loadAlertSettings } from '../prometheus/alerts.js';
import { CWP_SCAN_STATES } from '../src/sources/tencent/types.js';

export const DASHBOARD_UID = 'cloudscan-exporter';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const TARGET = 'job=~"$job", instance=~"$instance"';
/** Selectors by what a family carries: scan families have account, health families provider too. */
const SCAN = `${TARGET}, account=~"$account"`;
const ACCOUNT = `${TARGET}, provider=~"$provider", account=~"$account"`;
const PROVIDER = `${TARGET}, provider=~"$provider"`;
const CWP_SCAN_KEY = 'job, instance, account, module, strategy_id';
const RATE = '[$__rate_interval]';

/**
 * A cloud's scan series (which carry no provider label: each family is one cloud's) restricted to
 * the selected accounts of that cloud, so the provider variable filters them too: with "alibaba"
 * alone selected, the Tencent panels are empty. `provider="tencent"` keeps an Alibaba account of
 * the same name from letting a Tencent account's series through.
 */
function ofCloud(cloud: 'tencent' | 'alibaba', series: string): string {
  return `(${series} and on (job, instance, account) cloudscan_up{${TARGET}, provider="${cloud}", provider=~"$provider", account=~"$account"})`;
}

/** A table's columns in order, each label with its title; Time left out, and Value too unless `value` titles it (its column last). */
function tableColumns(columns: ReadonlyArray<readonly [label: string, title: string]>, value?: string): unknown[] {
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

/** The alert thresholds (prometheus/thresholds.yml) in seconds: the panels turn orange and red where the alerts would. */
const ALERTS = (() => {
  const t = loadAlertSettings().thresholds;
  return {
    accountDown: durationSeconds(t.account_down_for),
    dataStale: durationSeconds(t.data_stale_after),
    scanStuck: durationSeconds(t.cwp_scan_stuck_after),
    scanOverdue: durationSeconds(t.cwp_scan_overdue_after),
    coverageRatioMin: t.coverage_ratio_min,
    serversUnprotected: durationSeconds(t.servers_unprotected_after),
  };
})();

type Color = 'green' | 'orange' | 'red' | 'blue' | 'text';
/** Grafana thresholds: `base` below the first step, then each [value, color] from that value up. */
function thresholds(base: Color, ...steps: [number, Color][]): Record<string, unknown> {
  return { mode: 'absolute', steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))] };
}

export interface Target {
  refId: string;
  datasource: typeof DATASOURCE;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format?: 'table' | 'time_series';
}

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: typeof DATASOURCE;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  transformations?: unknown[];
  collapsed?: boolean;
  panels?: Panel[];
}

export interface Variable {
  name: string;
  label: string;
  type: 'datasource' | 'query';
  query: string | { query: string; refId: string; qryType: number };
  definition?: string;
  datasource?: typeof DATASOURCE;
  refresh?: number;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  current: Record<string, unknown>;
  options: unknown[];
  hide: number;
  sort?: number;
  regex?: string;
  description: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: string;
  editable: boolean;
  graphTooltip: number;
  schemaVersion: number;
  version: number;
  refresh: string;
  time: { from: string; to: string };
  links: unknown[];
  annotations: { list: unknown[] };
  templating: { list: Variable[] };
  panels: Panel[];
}

interface Query {
  expr: string;
  legend?: string;
  instant?: boolean;
  table?: boolean;
}

interface PanelSpec {
  type: 'stat' | 'timeseries' | 'state-timeline' | 'table' | 'bargauge';
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  w: number;
  h: number;
  defaults?: Record<string, unknown>;
  overrides?: unknown[];
  options?: Record<string, unknown>;
  transformations?: unknown[];
}

/** Lays panels out left to right in 24 columns, wrapping, and numbers them. */
class Layout {
  readonly panels: Panel[] = [];
  #id = 1;
  #x = 0;
  #y = 0;
  #rowHeight = 0;

  row(title: string): void {
    this.#newLine();
    this.panels.push({ id: this.#id++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.#y, w: 24, h: 1 }, panels: [] });
    this.#y += 1;
  }

  /** Goes on in the row of this title when it is the last one begun, else begins it: so that several functions can fill one row. */
  inRow(title: string): void {
    if (this.panels.findLast((panel) => panel.type === 'row')?.title === title) return;
    this.row(title);
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
      fieldConfig: { defaults: { unit: spec.unit, ...spec.defaults }, overrides: spec.overrides ?? [] },
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

function queryVariable(name: string, label: string, query: string, description: string): Variable {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    definition: query,
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: {},
    options: [],
    hide: 0,
    sort: 1,
    regex: '',
    description,
  };
}

/** The exporter's own states, in its order, then unknown: a code is a state's index here. */
const CWP_STATE_CODES = [...CWP_SCAN_STATES, 'unknown'] as const;
const CWP_STATE_COLORS: Record<(typeof CWP_STATE_CODES)[number], string> = {
  never_scanned: 'text',
  scanning: 'blue',
  completed: 'green',
  stopping: 'orange',
  stopped: 'yellow',
  unknown: 'red',
};

/**
 * The one-hot state gauge as one number per scan (its index in CWP_STATE_CODES), for a state
 * timeline: each state's series times its code, `or`-ed together (their state labels differ, so all
 * are kept) and summed without the state label, which leaves the code of the one state at 1 per
 * exporter. `max by` then folds exporters that scrape the same account (replicas) into one row; a
 * plain `sum by (account, ...)` of the codes would add their codes together into a wrong state.
 */
function cwpStateCode(): string {
  const terms = CWP_STATE_CODES.map((state, code) => `      cloudscan_cwp_scan_state{state="${state}", ${SCAN}} * ${code}`);
  const codes = ['  sum without (state) (', terms.join('\n    or\n'), '  )'].join('\n');
  return ['max by (account, module, strategy_id) (', ofCloud('tencent', `\n${codes}\n`), ')'].join('\n');
}

const stat = (orientation = 'auto') => ({
  reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
  orientation,
  textMode: 'auto',
  colorMode: 'value',
  graphMode: 'area',
  justifyMode: 'auto',
});
const legendTable = { legend: { displayMode: 'table', placement: 'right', showLegend: true, calcs: ['lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } };
const SCAN_LEGEND = '{{account}} {{module}} {{strategy_id}}';

/** At a glance: accounts up and down, scans running, stuck or failing, risks found. */
function overviewRow(layout: Layout): void {
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
    overrides: [{ matcher: { id: 'byFrameRefID', options: 'B' }, properties: [{ id: 'thresholds', value: thresholds('green', [1, 'red']) }] }],
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'Last successful refresh',
    description: `How long ago each account was last refreshed successfully: orange after ${ALERTS.accountDown / 60} minutes (when CloudscanAccountDown would fire), red after ${ALERTS.dataStale / 3600} h (CloudscanDataStale). It grows while refreshes fail; the exporter drops data older than cache.max_stale.`,
    unit: 's',
    w: 4,
    h: 5,
    queries: [{ expr: `time() - max by (provider, account) (cloudscan_last_success_timestamp_seconds{${ACCOUNT}})`, legend: '{{provider}}/{{account}}' }],
    defaults: { thresholds: thresholds('green', [ALERTS.accountDown, 'orange'], [ALERTS.dataStale, 'red']) },
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'CWP scans in progress',
    description: 'Tencent CWP scans (one per module, Baseline one per strategy) scanning or stopping now. A count, not a health signal: blue whatever the number.',
    unit: 'none',
    w: 4,
    h: 5,
    queries: [{ expr: `sum(${ofCloud('tencent', `cloudscan_cwp_scan_state{state=~"scanning|stopping", ${SCAN}}`)})`, legend: 'CWP scans' }],
    defaults: { thresholds: thresholds('blue') },
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'SAS subtasks in progress',
    description:
      'Alibaba Security Center vulnerability-check subtasks (one per server, task and type) not yet complete: unhandled, collecting, collected or matching. A count, not a health signal: blue whatever the number.',
    unit: 'none',
    w: 4,
    h: 5,
    queries: [{ expr: `sum(${ofCloud('alibaba', `cloudscan_sas_vul_check_subtasks{state=~"unhandled|collecting|collected|matching", ${SCAN}}`)})`, legend: 'SAS subtasks' }],
    defaults: { thresholds: thresholds('blue') },
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'Failed subtasks',
    description:
      'Alibaba Security Center vulnerability-check subtasks that report an error code, on all selected servers: red from one. 0 only when the exporter has subtask data to count from; no data during an outage.',
    unit: 'none',
    w: 4,
    h: 5,
    queries: [
      {
        // 0 only where there are subtasks to count: an outage (no series) is no data, never "0 failed".
        expr: `sum(${ofCloud('alibaba', `cloudscan_sas_vul_check_subtask_failed{${SCAN}}`)})\n  or on ()\n0 * sum(${ofCloud('alibaba', `cloudscan_sas_vul_check_subtasks{${SCAN}}`)})`,
        legend: 'failed',
      },
    ],
    defaults: { thresholds: thresholds('green', [1, 'red']) },
    options: stat(),
  });
  layout.add({
    type: 'stat',
    title: 'Risk events',
    description: 'Risks found by the latest Tencent CWP scan of each module (RiskEventCount), summed over the selected accounts: orange from one, as each is a finding to look at.',
    unit: 'none',
    w: 4,
    h: 5,
    queries: [{ expr: `sum(${ofCloud('tencent', `cloudscan_cwp_scan_risk_events{${SCAN}}`)})`, legend: 'risk events' }],
    defaults: { thresholds: thresholds('green', [1, 'orange']) },
    options: stat(),
  });
}

/** Tencent Cloud CWP: each module's scan state, progress, age and findings. */
function tencentRow(layout: Layout): void {
  layout.row('Tencent CWP');
  layout.add({
    type: 'state-timeline',
    title: 'Scan state',
    description: 'State of the latest scan of each module (Baseline: each strategy) over time: never scanned, scanning, completed, stopping, stopped.',
    unit: 'none',
    w: 24,
    h: 8,
    queries: [{ expr: cwpStateCode(), legend: SCAN_LEGEND }],
    defaults: {
      color: { mode: 'thresholds' },
      mappings: [
        {
          type: 'value',
          options: Object.fromEntries(CWP_STATE_CODES.map((state, code) => [String(code), { text: state.replace('_', ' '), color: CWP_STATE_COLORS[state], index: code }])),
        },
      ],
    },
    options: { showValue: 'never', mergeValues: true, rowHeight: 0.8, legend: { showLegend: false } },
  });
  layout.add({
    type: 'timeseries',
    title: 'Scan progress',
    description: 'Progress of the latest scan of each module, 0 to 100% (DescribeScanState Schedule).',
    unit: 'percentunit',
    w: 12,
    h: 8,
    queries: [{ expr: ofCloud('tencent', `cloudscan_cwp_scan_progress_ratio{${SCAN}}`), legend: SCAN_LEGEND }],
    defaults: { min: 0, max: 1 },
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Risk events per scan',
    description: 'Risks found by the latest scan of each module (RiskEventCount); it rises while a scan runs and starts again with the next scan.',
    unit: 'none',
    w: 12,
    h: 8,
    queries: [{ expr: ofCloud('tencent', `cloudscan_cwp_scan_risk_events{${SCAN}}`), legend: SCAN_LEGEND }],
    options: legendTable,
  });
  layout.add({
    type: 'bargauge',
    title: 'Time since last completed scan',
    description: `How long ago the latest scan of each module completed: orange after ${ALERTS.scanOverdue / 2 / 3600} h, red after ${ALERTS.scanOverdue / 3600} h (when CloudscanCwpScanOverdue would fire). A module whose latest scan is still running, was stopped or never ran is not listed.`,
    unit: 's',
    w: 12,
    h: 8,
    queries: [
      {
        expr: ofCloud(
          'tencent',
          `\n  time() - cloudscan_cwp_scan_end_timestamp_seconds{${SCAN}}\n    and on (${CWP_SCAN_KEY})\n  cloudscan_cwp_scan_state{state="completed", ${SCAN}} == 1\n`,
        ),
        legend: SCAN_LEGEND,
        instant: true,
      },
    ],
    defaults: { thresholds: thresholds('green', [ALERTS.scanOverdue / 2, 'orange'], [ALERTS.scanOverdue, 'red']) },
    options: { orientation: 'horizontal', displayMode: 'basic', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showUnfilled: true },
  });
  layout.add({
    type: 'bargauge',
    title: 'Last scan duration',
    description: `From ScanBeginTime to ScanEndTime of the latest finished (completed or stopped) scan of each module: orange from ${ALERTS.scanStuck / 2 / 3600} h, red from ${ALERTS.scanStuck / 3600} h (a scan running that long is reported stuck by CloudscanCwpScanStuck).`,
    unit: 's',
    w: 12,
    h: 8,
    queries: [
      {
        // Only finished scans: while one runs, the API may still report the previous scan's end.
        expr: ofCloud(
          'tencent',
          [
            '',
            `  cloudscan_cwp_scan_end_timestamp_seconds{${SCAN}}`,
            `    - on (${CWP_SCAN_KEY})`,
            `  cloudscan_cwp_scan_start_timestamp_seconds{${SCAN}}`,
            `    and on (${CWP_SCAN_KEY})`,
            `  cloudscan_cwp_scan_state{state=~"completed|stopped", ${SCAN}} == 1`,
            '',
          ].join('\n'),
        ),
        legend: SCAN_LEGEND,
        instant: true,
      },
    ],
    defaults: { thresholds: thresholds('green', [ALERTS.scanStuck / 2, 'orange'], [ALERTS.scanStuck, 'red']) },
    options: { orientation: 'horizontal', displayMode: 'basic', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showUnfilled: true },
  });
}

/** Servers the scans missed: a row of its own, each cloud adding its panels to it. */
function serversMissedRow(layout: Layout): void {
  layout.row('Servers missed');
  cwpHostsMissed(layout);
}

/** Tencent CWP: the hosts the latest scan task of each module failed on, by reason, and which they are. */
function cwpHostsMissed(layout: Layout): void {
  const scanKey = 'account, module, strategy_id';
  layout.add({
    type: 'timeseries',
    title: 'CWP hosts missed by reason',
    description:
      'Hosts the latest scan task of each module (Baseline: each strategy) failed on, per account and module, by reason: offline, timeout, failed, agent_outdated (agent too old to scan), unknown (DescribeScanTaskDetails FailType).',
    unit: 'none',
    w: 12,
    h: 8,
    queries: [{ expr: `max by (${scanKey}, reason) (${ofCloud('tencent', `cloudscan_cwp_scan_hosts_failed{${SCAN}}`)})`, legend: '{{account}} {{module}} {{strategy_id}} {{reason}}' }],
    defaults: { custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal', group: 'A' } } },
    options: legendTable,
  });
  layout.add({
    type: 'bargauge',
    title: 'CWP share of hosts missed',
    description: "Share of the hosts of each module's latest scan task that it failed on (failed / all hosts of the task), per account and module; CloudscanCwpHostsMissed alerts on a completed scan above the threshold.",
    unit: 'percentunit',
    w: 12,
    h: 8,
    queries: [
      {
        expr: [
          `max by (${scanKey}) (${ofCloud('tencent', `cloudscan_cwp_scan_hosts{result="failed", ${SCAN}}`)})`,
          '  /',
          `max by (${scanKey}) (sum without (result) (${ofCloud('tencent', `cloudscan_cwp_scan_hosts{${SCAN}}`)}))`,
        ].join('\n'),
        legend: SCAN_LEGEND,
        instant: true,
      },
    ],
    defaults: { min: 0, max: 1, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.05 }, { color: 'red', value: 0.1 }] } },
    options: { orientation: 'horizontal', displayMode: 'basic', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showUnfilled: true },
  });
  layout.add({
    type: 'table',
    title: 'CWP hosts missed',
    description:
      "Each host the latest scan task of a module failed on now, with its private and public IP and the reason. Needs per_host_series (the default); with per_host_series: false only the counts above are there.",
    unit: 'none',
    w: 24,
    h: 9,
    queries: [
      {
        expr: [
          `max by (${scanKey}, host, uuid, ip, wan_ip, reason) (`,
          `  ${ofCloud('tencent', `(cloudscan_cwp_host_scan_failure{${SCAN}} == 1)`)}`,
          `    * on (job, instance, ${scanKey}, uuid) group_left (ip, wan_ip)`,
          `  ${ofCloud('tencent', `cloudscan_cwp_host_info{${SCAN}}`)}`,
          ')',
        ].join('\n'),
        instant: true,
        table: true,
      },
    ],
    transformations: tableColumns([['account', 'Account'], ['module', 'Module'], ['strategy_id', 'Strategy'], ['host', 'Host'], ['ip', 'IP'], ['wan_ip', 'Public IP'], ['reason', 'Reason'], ['uuid', 'UUID']]),
    options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
  });
}

/** Alibaba Cloud Security Center: vulnerability-check subtasks, failures, agents and servers. */
function alibabaRow(layout: Layout): void {
  layout.row('Alibaba SAS');
  layout.add({
    type: 'timeseries',
    title: 'Subtasks by state',
    description: 'Vulnerability-check subtasks in each state (unhandled, collecting, collected, matching, complete), all selected servers together.',
    unit: 'none',
    w: 12,
    h: 8,
    queries: [{ expr: `sum by (state) (${ofCloud('alibaba', `cloudscan_sas_vul_check_subtasks{${SCAN}}`)})`, legend: '{{state}}' }],
    defaults: { custom: { stacking: { mode: 'normal', group: 'A' }, fillOpacity: 40 } },
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Failed subtasks by code',
    description: 'Vulnerability-check subtasks that report an error code, by code (for example push_command_failed: the agent did not get the command).',
    unit: 'none',
    w: 12,
    h: 8,
    queries: [{ expr: `sum by (code) (${ofCloud('alibaba', `cloudscan_sas_vul_check_subtask_failed{${SCAN}}`)})`, legend: '{{code}}' }],
    defaults: { custom: { drawStyle: 'bars', fillOpacity: 60 } },
    options: legendTable,
  });
  layout.add({
    type: 'table',
    title: 'Failing servers',
    description: 'Each server and subtask that reports an error code now. "Instance name" is the server name (the exporter\'s instance label, which Prometheus stores as exported_instance).',
    unit: 'none',
    w: 24,
    h: 9,
    queries: [
      {
        expr: `max by (account, uuid, exported_instance, task_id, type, code) (${ofCloud('alibaba', `cloudscan_sas_vul_check_subtask_failed{${SCAN}} == 1`)})`,
        instant: true,
        table: true,
      },
    ],
    transformations: tableColumns([['account', 'Account'], ['exported_instance', 'Instance name'], ['uuid', 'UUID'], ['task_id', 'Task'], ['type', 'Type'], ['code', 'Code']]),
    options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
  });
}

/** The row of servers a scan missed, and why; each cloud adds its panels to it. */
export const SERVERS_MISSED_ROW = 'Servers missed';
/** The keys of one server's series in Prometheus (the exporter's instance label is stored as exported_instance). */
const SAS_SERVER_KEY = 'job, instance, account, uuid';

/** Alibaba Security Center in "Servers missed": servers whose agent is offline, so their checks cannot run. */
function alibabaServersMissed(layout: Layout): void {
  layout.inRow(SERVERS_MISSED_ROW);
  layout.add({
    type: 'timeseries',
    title: 'Offline agents per account',
    description:
      'Alibaba Security Center servers whose agent is offline (DescribeCloudCenterInstances ClientStatus), per account: their vulnerability checks cannot run. Paused agents (protection suspended on purpose) are not counted. Discovered servers only (servers: auto).',
    unit: 'none',
    w: 12,
    h: 8,
    // max, not sum: exporters that scrape the same account (replicas) would add up.
    queries: [{ expr: `max by (account) (${ofCloud('alibaba', `cloudscan_sas_agents{state="offline", ${SCAN}}`)})`, legend: '{{account}}' }],
    defaults: { min: 0, custom: { drawStyle: 'line', fillOpacity: 20 }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] } },
    options: legendTable,
  });
  layout.add({
    type: 'table',
    title: 'Offline agents',
    description:
      'Each Alibaba Security Center server whose agent is offline now, with its instance ID, IP, region and OS (cloudscan_sas_server_info). "Instance name" is the server name (the exporter\'s instance label, which Prometheus stores as exported_instance). Needs per_server_series.',
    unit: 'none',
    w: 12,
    h: 8,
    queries: [
      {
        expr: [
          'max by (account, exported_instance, uuid, instance_id, ip, region, os) (',
          `  ${ofCloud('alibaba', `cloudscan_sas_server_info{${SCAN}}`)}`,
          `    * on (${SAS_SERVER_KEY}) group_left ()`,
          `  ${ofCloud('alibaba', `(cloudscan_sas_agent_state{state="offline", ${SCAN}} == 1)`)}`,
          ')',
        ].join('\n'),
        instant: true,
        table: true,
      },
    ],
    transformations: tableColumns([['account', 'Account'], ['exported_instance', 'Instance name'], ['uuid', 'UUID'], ['instance_id', 'Instance ID'], ['ip', 'IP'], ['region', 'Region'], ['os', 'OS']]),
    options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
  });
}

/** Both clouds' coverage: the share of servers with a working agent, the others by reason, and which they are. */
function coverageRow(layout: Layout): void {
  layout.row('Coverage');
  const running = `sum without (coverage) (cloudscan_servers{coverage!="server_stopped", ${ACCOUNT}})`;
  layout.add({
    type: 'timeseries',
    title: 'Coverage ratio per account',
    description: `Share of each account's running servers (all the cloud lists but those stopped or expired) whose security agent works (cloudscan_servers coverage="protected"): the scans can see only these. Red below ${ALERTS.coverageRatioMin * 100}%, where CloudscanServerCoverageLow fires; prometheus/alerts.yml records the same ratio as account:cloudscan_servers_protected:ratio.`,
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
    defaults: { min: 0, max: 1, thresholds: thresholds('red', [ALERTS.coverageRatioMin, 'green']), custom: { thresholdsStyle: { mode: 'line' } } },
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'Servers uncovered by reason',
    description:
      'Running servers without a working security agent, per account, by reason: agent_offline, agent_paused (protection suspended), agent_missing (no agent installed), unknown (a state the exporter does not know). Tencent from DescribeMachines, Alibaba from discovery (servers: auto).',
    unit: 'none',
    w: 12,
    h: 8,
    // max, not sum: exporters that scrape the same account (replicas) would add up.
    queries: [{ expr: `max by (provider, account, coverage) (cloudscan_servers{coverage=~"agent_offline|agent_paused|agent_missing|unknown", ${ACCOUNT}})`, legend: '{{provider}}/{{account}} {{coverage}}' }],
    defaults: { min: 0, custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal', group: 'A' } } },
    options: legendTable,
  });
  layout.add({
    type: 'table',
    title: 'Servers without a working agent',
    description:
      `Each running server without a working security agent now, with how long the exporter has seen it so (it counts from the exporter's start at the most), its instance ID, IP, region, OS and agent version. CloudscanServersUnprotected fires for those offline or without an agent for more than ${ALERTS.serversUnprotected / 3600} h. "Instance name" is the server name (the exporter's instance label, which Prometheus stores as exported_instance). Needs the per-server series (per_host_series, per_server_series: on by default).`,
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
      [['provider', 'Cloud'], ['account', 'Account'], ['exported_instance', 'Instance name'], ['coverage', 'Coverage'], ['instance_id', 'Instance ID'], ['ip', 'IP'], ['region', 'Region'], ['os', 'OS'], ['agent_version', 'Agent version'], ['uuid', 'UUID']],
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
    queries: [{ expr: `sum by (provider, action) (max by (job, instance, provider, account, action) (rate(cloudscan_api_requests_total{${ACCOUNT}}${RATE})))`, legend: '{{provider}} {{action}}' }],
    options: legendTable,
  });
  layout.add({
    type: 'timeseries',
    title: 'API errors by code',
    description: "Failed cloud API calls per second by the cloud's error code, or timeout, network, invalid_response, http_NNN. docs/troubleshooting.md explains each code.",
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
    description: 'Share of account lookups by scrapes served from the cache without waiting for a refresh. Low when cache.ttl is shorter than the scrape interval.',
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
    description: "How long Prometheus' scrapes of the exporter take (scrape_duration_seconds), and how long the last refresh of each account took.",
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

export function buildDashboard(): Dashboard {
  const layout = new Layout();
  overviewRow(layout);
  tencentRow(layout);
  alibabaRow(layout);
  serversMissedRow(layout);
  alibabaServersMissed(layout);
  coverageRow(layout);
  healthRow(layout);

  return {
    uid: DASHBOARD_UID,
    title: 'Cloudscan: cloud security scans',
    description: 'Tencent Cloud CWP and Alibaba Cloud Security Center scans, from cloudscan-exporter.',
    tags: ['cloudscan', 'security', 'tencent-cloud', 'alibaba-cloud'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
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
          current: {},
          options: [],
          hide: 0,
          regex: '',
          description: 'The Prometheus that scrapes cloudscan-exporter.',
        },
        queryVariable('job', 'Job', 'label_values(cloudscan_build_info, job)', 'Scrape jobs of cloudscan exporters.'),
        queryVariable('instance', 'Instance', 'label_values(cloudscan_build_info{job=~"$job"}, instance)', 'Exporter instances (scrape targets) of the selected jobs.'),
        queryVariable('provider', 'Provider', `label_values(cloudscan_up{${TARGET}}, provider)`, 'Cloud: tencent or alibaba.'),
        queryVariable('account', 'Account', `label_values(cloudscan_up{${TARGET}, provider=~"$provider"}, account)`, 'Configured account names.'),
      ],
    },
    panels: layout.panels,
  };
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
