// Tencent Cloud CWP's part of the Grafana dashboard: its scans in the Overview, a row of each
// module's scan state, progress, age and findings, and the hosts its scans missed.
import type { ThresholdValues } from '../../contract/alert-rules.js';
import type { CloudDashboard, DashboardKit, DashboardRow, OverviewStat, PanelSpec } from '../../contract/dashboard.js';
import { CWP_SCAN_KEY, type TENCENT_THRESHOLDS } from './alerts.js';
import { CWP_SCAN_STATES } from './types.js';

const SCAN_LEGEND = '{{account}} {{module}} {{strategy_id}}';

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
function cwpStateCode({ scan, ofCloud }: DashboardKit): string {
  const terms = CWP_STATE_CODES.map((state, code) => `      cloudscan_cwp_scan_state{state="${state}", ${scan}} * ${code}`);
  const codes = ['  sum without (state) (', terms.join('\n    or\n'), '  )'].join('\n');
  return ['max by (account, module, strategy_id) (', ofCloud(`\n${codes}\n`), ')'].join('\n');
}

function overview({ scan, ofCloud, thresholds, stat }: DashboardKit): OverviewStat[] {
  return [
    {
      slot: 'in progress',
      panel: {
        type: 'stat',
        title: 'CWP scans in progress',
        description:
          'Tencent CWP scans (one per module, Baseline one per strategy) scanning or stopping now. A count, not a health signal: blue whatever the number.',
        unit: 'none',
        w: 4,
        h: 5,
        queries: [{ expr: `sum(${ofCloud(`cloudscan_cwp_scan_state{state=~"scanning|stopping", ${scan}}`)})`, legend: 'CWP scans' }],
        defaults: { thresholds: thresholds('blue') },
        options: stat(),
      },
    },
    {
      slot: 'findings',
      panel: {
        type: 'stat',
        title: 'Risk events',
        description:
          'Risks found by the latest Tencent CWP scan of each module (RiskEventCount), summed over the selected accounts: orange from one, as each is a finding to look at.',
        unit: 'none',
        w: 4,
        h: 5,
        queries: [{ expr: `sum(${ofCloud(`cloudscan_cwp_scan_risk_events{${scan}}`)})`, legend: 'risk events' }],
        defaults: { thresholds: thresholds('green', [1, 'orange']) },
        options: stat(),
      },
    },
  ];
}

/** Each module's scan state, progress, age and findings. */
function scansRow(kit: DashboardKit, t: ThresholdValues<typeof TENCENT_THRESHOLDS>): DashboardRow {
  const { scan, ofCloud, thresholds, legendTable, seconds } = kit;
  const scanOverdue = seconds(t.cwp_scan_overdue_after);
  const scanStuck = seconds(t.cwp_scan_stuck_after);
  return {
    title: 'Tencent CWP',
    panels: [
      {
        type: 'state-timeline',
        title: 'Scan state',
        description:
          'State of the latest scan of each module (Baseline: each strategy) over time: never scanned, scanning, completed, stopping, stopped.',
        unit: 'none',
        w: 24,
        h: 8,
        queries: [{ expr: cwpStateCode(kit), legend: SCAN_LEGEND }],
        defaults: {
          color: { mode: 'thresholds' },
          mappings: [
            {
              type: 'value',
              options: Object.fromEntries(
                CWP_STATE_CODES.map((state, code) => [
                  String(code),
                  { text: state.replace('_', ' '), color: CWP_STATE_COLORS[state], index: code },
                ]),
              ),
            },
          ],
        },
        options: { showValue: 'never', mergeValues: true, rowHeight: 0.8, legend: { showLegend: false } },
      },
      {
        type: 'timeseries',
        title: 'Scan progress',
        description: 'Progress of the latest scan of each module, 0 to 100% (DescribeScanState Schedule).',
        unit: 'percentunit',
        w: 12,
        h: 8,
        queries: [{ expr: ofCloud(`cloudscan_cwp_scan_progress_ratio{${scan}}`), legend: SCAN_LEGEND }],
        defaults: { min: 0, max: 1 },
        options: legendTable,
      },
      {
        type: 'timeseries',
        title: 'Risk events per scan',
        description:
          'Risks found by the latest scan of each module (RiskEventCount); it rises while a scan runs and starts again with the next scan.',
        unit: 'none',
        w: 12,
        h: 8,
        queries: [{ expr: ofCloud(`cloudscan_cwp_scan_risk_events{${scan}}`), legend: SCAN_LEGEND }],
        options: legendTable,
      },
      {
        type: 'bargauge',
        title: 'Time since last completed scan',
        description: `How long ago the latest scan of each module completed: orange after ${scanOverdue / 2 / 3600} h, red after ${scanOverdue / 3600} h (when CloudscanCwpScanOverdue would fire). A module whose latest scan is still running, was stopped or never ran is not listed.`,
        unit: 's',
        w: 12,
        h: 8,
        queries: [
          {
            expr: ofCloud(
              `\n  time() - cloudscan_cwp_scan_end_timestamp_seconds{${scan}}\n    and on (${CWP_SCAN_KEY})\n  cloudscan_cwp_scan_state{state="completed", ${scan}} == 1\n`,
            ),
            legend: SCAN_LEGEND,
            instant: true,
          },
        ],
        defaults: { thresholds: thresholds('green', [scanOverdue / 2, 'orange'], [scanOverdue, 'red']) },
        options: {
          orientation: 'horizontal',
          displayMode: 'basic',
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          showUnfilled: true,
        },
      },
      {
        type: 'bargauge',
        title: 'Last scan duration',
        description: `From ScanBeginTime to ScanEndTime of the latest finished (completed or stopped) scan of each module: orange from ${scanStuck / 2 / 3600} h, red from ${scanStuck / 3600} h (a scan running that long is reported stuck by CloudscanCwpScanStuck).`,
        unit: 's',
        w: 12,
        h: 8,
        queries: [
          {
            // Only finished scans: while one runs, the API may still report the previous scan's end.
            expr: ofCloud(
              [
                '',
                `  cloudscan_cwp_scan_end_timestamp_seconds{${scan}}`,
                `    - on (${CWP_SCAN_KEY})`,
                `  cloudscan_cwp_scan_start_timestamp_seconds{${scan}}`,
                `    and on (${CWP_SCAN_KEY})`,
                `  cloudscan_cwp_scan_state{state=~"completed|stopped", ${scan}} == 1`,
                '',
              ].join('\n'),
            ),
            legend: SCAN_LEGEND,
            instant: true,
          },
        ],
        defaults: { thresholds: thresholds('green', [scanStuck / 2, 'orange'], [scanStuck, 'red']) },
        options: {
          orientation: 'horizontal',
          displayMode: 'basic',
          reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
          showUnfilled: true,
        },
      },
    ],
  };
}

/** The hosts the latest scan task of each module failed on, by reason, and which they are. */
function hostsMissed({ scan, ofCloud, tableColumns, legendTable }: DashboardKit): PanelSpec[] {
  const scanKey = 'account, module, strategy_id';
  return [
    {
      type: 'timeseries',
      title: 'CWP hosts missed by reason',
      description:
        'Hosts the latest scan task of each module (Baseline: each strategy) failed on, per account and module, by reason: offline, timeout, failed, agent_outdated (agent too old to scan), unknown (DescribeScanTaskDetails FailType).',
      unit: 'none',
      w: 12,
      h: 8,
      queries: [
        {
          expr: `max by (${scanKey}, reason) (${ofCloud(`cloudscan_cwp_scan_hosts_failed{${scan}}`)})`,
          legend: '{{account}} {{module}} {{strategy_id}} {{reason}}',
        },
      ],
      defaults: { custom: { drawStyle: 'bars', fillOpacity: 60, stacking: { mode: 'normal', group: 'A' } } },
      options: legendTable,
    },
    {
      type: 'bargauge',
      title: 'CWP share of hosts missed',
      description:
        "Share of the hosts of each module's latest scan task that it failed on (failed / all hosts of the task), per account and module; CloudscanCwpHostsMissed alerts on a completed scan above the threshold.",
      unit: 'percentunit',
      w: 12,
      h: 8,
      queries: [
        {
          expr: [
            `max by (${scanKey}) (${ofCloud(`cloudscan_cwp_scan_hosts{result="failed", ${scan}}`)})`,
            '  /',
            `max by (${scanKey}) (sum without (result) (${ofCloud(`cloudscan_cwp_scan_hosts{${scan}}`)}))`,
          ].join('\n'),
          legend: SCAN_LEGEND,
          instant: true,
        },
      ],
      defaults: {
        min: 0,
        max: 1,
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'orange', value: 0.05 },
            { color: 'red', value: 0.1 },
          ],
        },
      },
      options: {
        orientation: 'horizontal',
        displayMode: 'basic',
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        showUnfilled: true,
      },
    },
    {
      type: 'table',
      title: 'CWP hosts missed',
      description:
        'Each host the latest scan task of a module failed on now, with its private and public IP and the reason. Needs per_host_series (the default); with per_host_series: false only the counts above are there.',
      unit: 'none',
      w: 24,
      h: 9,
      queries: [
        {
          expr: [
            `max by (${scanKey}, host, uuid, ip, wan_ip, reason) (`,
            `  ${ofCloud(`(cloudscan_cwp_host_scan_failure{${scan}} == 1)`)}`,
            `    * on (job, instance, ${scanKey}, uuid) group_left (ip, wan_ip)`,
            `  ${ofCloud(`cloudscan_cwp_host_info{${scan}}`)}`,
            ')',
          ].join('\n'),
          instant: true,
          table: true,
        },
      ],
      transformations: tableColumns([
        ['account', 'Account'],
        ['module', 'Module'],
        ['strategy_id', 'Strategy'],
        ['host', 'Host'],
        ['ip', 'IP'],
        ['wan_ip', 'Public IP'],
        ['reason', 'Reason'],
        ['uuid', 'UUID'],
      ]),
      options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
    },
  ];
}

export const tencentDashboard: CloudDashboard<typeof TENCENT_THRESHOLDS> = {
  product: 'Tencent Cloud CWP',
  tag: 'tencent-cloud',
  coverage: 'Tencent from DescribeMachines',
  panels: (kit, t) => ({ overview: overview(kit), rows: [scansRow(kit, t)], serversMissed: hostsMissed(kit) }),
};
