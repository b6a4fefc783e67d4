// Alibaba Cloud Security Center's part of the Grafana dashboard: its subtasks in the Overview, a row
// of vulnerability-check subtasks and failures, and the servers whose agent is offline.
import type { CloudDashboard, DashboardKit, DashboardRow, OverviewStat, PanelSpec } from '../../contract/dashboard.js';

/** The keys of one server's series in Prometheus (the exporter's instance label is stored as exported_instance). */
const SAS_SERVER_KEY = 'job, instance, account, uuid';

function overview({ scan, ofCloud, thresholds, stat }: DashboardKit): OverviewStat[] {
  return [
    {
      slot: 'in progress',
      panel: {
        type: 'stat',
        title: 'SAS subtasks in progress',
        description:
          'Alibaba Security Center vulnerability-check subtasks (one per server, task and type) not yet complete: unhandled, collecting, collected or matching. A count, not a health signal: blue whatever the number.',
        unit: 'none',
        w: 4,
        h: 5,
        queries: [
          {
            expr: `sum(${ofCloud(`cloudscan_sas_vul_check_subtasks{state=~"unhandled|collecting|collected|matching", ${scan}}`)})`,
            legend: 'SAS subtasks',
          },
        ],
        defaults: { thresholds: thresholds('blue') },
        options: stat(),
      },
    },
    {
      slot: 'failing',
      panel: {
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
            expr: `sum(${ofCloud(`cloudscan_sas_vul_check_subtask_failed{${scan}}`)})\n  or on ()\n0 * sum(${ofCloud(`cloudscan_sas_vul_check_subtasks{${scan}}`)})`,
            legend: 'failed',
          },
        ],
        defaults: { thresholds: thresholds('green', [1, 'red']) },
        options: stat(),
      },
    },
  ];
}

/** Vulnerability-check subtasks by state, failures by code, and the failing servers. */
function subtasksRow({ scan, ofCloud, tableColumns, legendTable }: DashboardKit): DashboardRow {
  return {
    title: 'Alibaba SAS',
    panels: [
      {
        type: 'timeseries',
        title: 'Subtasks by state',
        description:
          'Vulnerability-check subtasks in each state (unhandled, collecting, collected, matching, complete), all selected servers together.',
        unit: 'none',
        w: 12,
        h: 8,
        queries: [{ expr: `sum by (state) (${ofCloud(`cloudscan_sas_vul_check_subtasks{${scan}}`)})`, legend: '{{state}}' }],
        defaults: { custom: { stacking: { mode: 'normal', group: 'A' }, fillOpacity: 40 } },
        options: legendTable,
      },
      {
        type: 'timeseries',
        title: 'Failed subtasks by code',
        description:
          'Vulnerability-check subtasks that report an error code, by code (for example push_command_failed: the agent did not get the command).',
        unit: 'none',
        w: 12,
        h: 8,
        queries: [{ expr: `sum by (code) (${ofCloud(`cloudscan_sas_vul_check_subtask_failed{${scan}}`)})`, legend: '{{code}}' }],
        defaults: { custom: { drawStyle: 'bars', fillOpacity: 60 } },
        options: legendTable,
      },
      {
        type: 'table',
        title: 'Failing servers',
        description:
          'Each server and subtask that reports an error code now. "Instance name" is the server name (the exporter\'s instance label, which Prometheus stores as exported_instance).',
        unit: 'none',
        w: 24,
        h: 9,
        queries: [
          {
            expr: `max by (account, uuid, exported_instance, task_id, type, code) (${ofCloud(`cloudscan_sas_vul_check_subtask_failed{${scan}} == 1`)})`,
            instant: true,
            table: true,
          },
        ],
        transformations: tableColumns([
          ['account', 'Account'],
          ['exported_instance', 'Instance name'],
          ['uuid', 'UUID'],
          ['task_id', 'Task'],
          ['type', 'Type'],
          ['code', 'Code'],
        ]),
        options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
      },
    ],
  };
}

/** Servers whose agent is offline, so their checks cannot run. */
function agentsOffline({ scan, ofCloud, tableColumns, legendTable }: DashboardKit): PanelSpec[] {
  return [
    {
      type: 'timeseries',
      title: 'Offline agents per account',
      description:
        'Alibaba Security Center servers whose agent is offline (DescribeCloudCenterInstances ClientStatus), per account: their vulnerability checks cannot run. Paused agents (protection suspended on purpose) are not counted. Discovered servers only (servers: auto).',
      unit: 'none',
      w: 12,
      h: 8,
      // max, not sum: exporters that scrape the same account (replicas) would add up.
      queries: [{ expr: `max by (account) (${ofCloud(`cloudscan_sas_agents{state="offline", ${scan}}`)})`, legend: '{{account}}' }],
      defaults: {
        min: 0,
        custom: { drawStyle: 'line', fillOpacity: 20 },
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
        },
      },
      options: legendTable,
    },
    {
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
            `  ${ofCloud(`cloudscan_sas_server_info{${scan}}`)}`,
            `    * on (${SAS_SERVER_KEY}) group_left ()`,
            `  ${ofCloud(`(cloudscan_sas_agent_state{state="offline", ${scan}} == 1)`)}`,
            ')',
          ].join('\n'),
          instant: true,
          table: true,
        },
      ],
      transformations: tableColumns([
        ['account', 'Account'],
        ['exported_instance', 'Instance name'],
        ['uuid', 'UUID'],
        ['instance_id', 'Instance ID'],
        ['ip', 'IP'],
        ['region', 'Region'],
        ['os', 'OS'],
      ]),
      options: { showHeader: true, sortBy: [{ displayName: 'Account', desc: false }] },
    },
  ];
}

export const alibabaDashboard: CloudDashboard = {
  product: 'Alibaba Cloud Security Center',
  tag: 'alibaba-cloud',
  coverage: 'Alibaba from discovery (servers: auto)',
  panels: (kit) => ({ overview: overview(kit), rows: [subtasksRow(kit)], serversMissed: agentsOffline(kit) }),
};
