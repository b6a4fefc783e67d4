// Generates prometheus/alerts.yml from prometheus/thresholds.yml, so every threshold lives in one
// place while the rules Prometheus loads stay plain YAML. The end-to-end test generates the same
// rules with short thresholds.
//
//   npm run rules                                 # rewrite prometheus/alerts.yml
//   node --import tsx prometheus/alerts.ts --check  # exit 1 when prometheus/alerts.yml is out of date
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ALIBABA_AUTH_CODES, ALIBABA_PERMISSION_CODES, ALIBABA_THROTTLING_CODES } from '../src/sources/alibaba/errors.js';
import { ALIBABA_PERMISSIONS } from '../src/sources/alibaba/permissions.js';
import { TENCENT_AUTH_CODES, TENCENT_PERMISSION_CODES, TENCENT_THROTTLING_CODES } from '../src/sources/tencent/errors.js';
import { TENCENT_PERMISSIONS } from '../src/sources/tencent/permissions.js';

/** prometheus/ in the repository, from the source file or its compiled copy in dist/prometheus/. */
export const prometheusDir = join(repositoryRoot(dirname(fileURLToPath(import.meta.url))), 'prometheus');
export const thresholdsPath = join(prometheusDir, 'thresholds.yml');
export const alertsPath = join(prometheusDir, 'alerts.yml');

const duration = z.string().regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 30s, 15m, 6h or 2d');

const settingsSchema = z.strictObject({
  job: z.string().min(1),
  runbook_url: z.url(),
  thresholds: z.strictObject({
    exporter_down_for: duration,
    exporter_absent_for: duration,
    account_down_for: duration,
    auth_failing_window: duration,
    auth_failing_for: duration,
    permission_missing_window: duration,
    permission_missing_for: duration,
    throttled_ratio: z.number().gt(0).lt(1),
    throttled_window: duration,
    throttled_for: duration,
    data_stale_after: duration,
    organization_listing_failed_for: duration,
    cwp_scan_stuck_after: duration,
    cwp_scan_overdue_after: duration,
    cwp_risk_events_window: duration,
    cwp_hosts_missed_ratio: z.number().gt(0).lt(1),
    cwp_hosts_missed_for: duration,
    sas_subtask_failed_for: duration,
    sas_subtask_stuck_for: duration,
    sas_agent_offline_for: duration,
    coverage_ratio_min: z.number().gt(0).lte(1),
    coverage_low_for: duration,
    servers_unprotected_after: duration,
    config_reload_failed_for: duration,
  }),
});

export type AlertSettings = z.infer<typeof settingsSchema>;
export type Thresholds = AlertSettings['thresholds'];

export function parseAlertSettings(text: string, where = thresholdsPath): AlertSettings {
  const result = settingsSchema.safeParse(parse(text));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  return result.data;
}

export function loadAlertSettings(path = thresholdsPath): AlertSettings {
  return parseAlertSettings(readFileSync(path, 'utf8'), path);
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning' | 'info' };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A recording rule: what it records, and from what. */
export interface RecordingRule {
  record: string;
  expr: string;
}

export type Rule = AlertRule | RecordingRule;

export function isAlert(rule: Rule): rule is AlertRule {
  return 'alert' in rule;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/**
 * Keeps one copy of each counter series of a replica: each member's /probe answer carries its
 * organization's listing counters, so a sharded setup scrapes them once per member target (with the
 * target's own labels); for any other series this changes nothing.
 */
const ONE_COPY_PER_SERIES = 'max by (job, instance, provider, account, action, code)';
/** The share of an account's running servers (all but server_stopped) that have a working agent; no series while it has none running. */
export const COVERAGE_RATIO = 'account:cloudscan_servers_protected:ratio';

/** The keys that identify one CWP scan series (the module's latest scan) across families. */
const CWP_SCAN = 'job, instance, account, module, strategy_id';
const AUTH_CODES = `${TENCENT_AUTH_CODES}|${ALIBABA_AUTH_CODES}`;
/** The auth codes that say a policy lacks the action: CloudscanPermissionMissing's, not CloudscanAuthFailing's. */
const PERMISSION_CODES = `${TENCENT_PERMISSION_CODES}|${ALIBABA_PERMISSION_CODES}`;
/** The permission to add for the alert's provider and action, from each cloud's table (sources/<cloud>/permissions.ts). */
const PERMISSION_TO_ADD = `${[
  ...Object.entries(TENCENT_PERMISSIONS).map(([action, permission]) => ['tencent', action, permission] as const),
  ...Object.entries(ALIBABA_PERMISSIONS).map(([action, permission]) => ['alibaba', action, permission] as const),
]
  .map(([provider, action, permission], i) => `{{ ${i === 0 ? 'if' : 'else if'} and (eq $labels.provider "${provider}") (eq $labels.action "${action}") }}${permission}`)
  .join('')}{{ else }}the permission for {{ $labels.action }}{{ end }}`;
const THROTTLING_CODES = `${TENCENT_THROTTLING_CODES}|${ALIBABA_THROTTLING_CODES}|http_429`;
/** Names a CWP scan in a description: "module Vul" or "module Baseline (strategy 12)". */
const CWP_SCAN_NAME =
  'module {{ $labels.module }}{{ with $labels.strategy_id }} (baseline strategy {{ . }}){{ end }} of Tencent account {{ $labels.account }}';
const SAS_SERVER_NAME =
  'server {{ with $labels.exported_instance }}{{ . }} ({{ $labels.uuid }}){{ else }}{{ $labels.uuid }}{{ end }} of Alibaba account {{ $labels.account }}';
const SAS_SUBTASK_NAME =
  'the {{ $labels.type }} subtask of task {{ $labels.task_id }} on server {{ with $labels.exported_instance }}{{ . }} ({{ $labels.uuid }}){{ else }}{{ $labels.uuid }}{{ end }} of Alibaba account {{ $labels.account }}';

/** What every group's rules are written with: the thresholds, the job selector and the rule builders. */
interface RuleContext {
  t: AlertSettings['thresholds'];
  job: string;
  rule: (alert: string, severity: AlertRule['labels']['severity'], expr: string, forDuration: string, summary: string, description: string) => AlertRule;
  /** A rule on the exporter's own series, held while the exporter cannot be scraped (see heldWhileExporterDown). */
  heldRule: (
    alert: string,
    severity: AlertRule['labels']['severity'],
    expr: string,
    forDuration: string,
    summary: string,
    description: { known: string; held: string },
  ) => AlertRule;
}

/** Said by every held alert's description while it is held. */
export const HELD_NOTE = 'Prometheus cannot scrape the exporter now: this is what it last reported.';

/**
 * An alert on the exporter's series, held while Prometheus cannot scrape the exporter. When the
 * exporter stops, its series go stale at the first failed scrape and every alert on them would be
 * sent as resolved, minutes before CloudscanExporterDown fires (and inhibits them). Held, a firing
 * alert keeps firing from its own ALERTS series (less the labels the rule adds, so its label set is
 * the expression's and `or` keeps the expression's sample when there is one) for as long as the
 * target's `up` is 0, and resolves only on what the exporter says once it answers again (or when the
 * target leaves Prometheus, taking its `up` with it).
 * Pending alerts are not held: they were never sent. While held the value is unknown (NaN), so the
 * description is the `held` text, which quotes no value.
 */
export function heldWhileExporterDown(alert: string, expr: string, description: { known: string; held: string }): { expr: string; description: string } {
  return {
    expr: `
(
${indented(expr.trim())}
)
  or
(
    max without (alertname, alertstate, severity) (ALERTS{alertname="${alert}", alertstate="firing"}) * NaN
  and on (job, instance)
    up == 0
)`,
    description:
      description.held === description.known
        ? `${description.known}{{ if eq (humanize $value) "NaN" }} ${HELD_NOTE}{{ end }}`
        : `{{ if eq (humanize $value) "NaN" }}${description.held} ${HELD_NOTE}{{ else }}${description.known}{{ end }}`,
  };
}

function indented(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function ruleContext(settings: AlertSettings): RuleContext {
  const rule = (
    alert: string,
    severity: AlertRule['labels']['severity'],
    expr: string,
    forDuration: string,
    summary: string,
    description: string,
  ): AlertRule => ({
    alert,
    expr: expr.trim(),
    for: forDuration,
    labels: { severity },
    annotations: { summary, description, runbook_url: `${settings.runbook_url}#${alert.toLowerCase()}` },
  });
  const heldRule: RuleContext['heldRule'] = (alert, severity, expr, forDuration, summary, description) => {
    const held = heldWhileExporterDown(alert, expr, description);
    return rule(alert, severity, held.expr, forDuration, summary, held.description);
  };
  return { t: settings.thresholds, job: JSON.stringify(settings.job), rule, heldRule };
}

/** The exporter itself: down, absent, failed reloads. */
function exporterRules({ t, job, rule, heldRule }: RuleContext): AlertRule[] {
  return [
    rule(
      'CloudscanExporterDown',
      'critical',
      `up{job=${job}} == 0`,
      t.exporter_down_for,
      'Prometheus cannot scrape the cloudscan exporter.',
      `The cloudscan exporter {{ $labels.instance }} (job {{ $labels.job }}) has not answered Prometheus' scrapes for ${t.exporter_down_for}; no scan status of its accounts is current.`,
    ),
    rule(
      'CloudscanExporterAbsent',
      'critical',
      `absent(up{job=${job}})`,
      t.exporter_absent_for,
      'No cloudscan exporter is being scraped.',
      `Prometheus has had no target in job {{ $labels.job }} for ${t.exporter_absent_for}: the exporter is not deployed, or service discovery or the job name changed.`,
    ),
    heldRule(
      'CloudscanConfigReloadFailed',
      'warning',
      'cloudscan_config_last_reload_successful == 0',
      t.config_reload_failed_for,
      'The cloudscan exporter could not reload its configuration.',
      unquoted(
        'The last configuration reload of {{ $labels.instance }} failed; it keeps running with the previous configuration. Its log names the file, line and key.',
      ),
    ),
  ];
}

/** Each account: up, credentials, throttling, stale data. */
function accountRules({ t, heldRule }: RuleContext): AlertRule[] {
  return [
    heldRule(
      'CloudscanAccountDown',
      'warning',
      'cloudscan_up == 0',
      t.account_down_for,
      'A cloud account cannot be read by the cloudscan exporter.',
      unquoted(
        `Every refresh of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} has failed for ${t.account_down_for}; its last good data is shown until it is older than cache.max_stale. cloudscan_api_errors_total tells the error code.`,
      ),
    ),
    heldRule(
      'CloudscanAuthFailing',
      'critical',
      `sum by (job, instance, provider, account, code) (${ONE_COPY_PER_SERIES} (increase(cloudscan_api_errors_total{code=~"${AUTH_CODES}",code!~"${PERMISSION_CODES}"}[${t.auth_failing_window}]))) > 0`,
      t.auth_failing_for,
      'The cloud rejects the credentials of a cloudscan account.',
      {
        known: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} gets {{ $labels.code }} from the cloud API ({{ $value | humanize }} in the last ${t.auth_failing_window}): the key is wrong, disabled or expired, or the role it assumes cannot be assumed.`,
        held: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} got {{ $labels.code }} from the cloud API: the key is wrong, disabled or expired, or the role it assumes cannot be assumed.`,
      },
    ),
    heldRule(
      'CloudscanPermissionMissing',
      'warning',
      `
sum by (job, instance, provider, account, action) (${ONE_COPY_PER_SERIES} (increase(cloudscan_api_errors_total{code=~"${PERMISSION_CODES}"}[${t.permission_missing_window}]))) > 0
  unless on (job, instance, provider, account, action)
cloudscan_action_up == 1`,
      t.permission_missing_for,
      "The policy of a cloudscan account's credentials does not allow an action the exporter calls.",
      {
        known: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} is refused {{ $labels.action }} for lack of permission ({{ $value | humanize }} in the last ${t.permission_missing_window}): add ${PERMISSION_TO_ADD} to the policy of its credentials. Until then the data this action reads is missing; docs/permissions.md tells what that is.`,
        held: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} was refused {{ $labels.action }} for lack of permission: add ${PERMISSION_TO_ADD} to the policy of its credentials. Until then the data this action reads is missing; docs/permissions.md tells what that is.`,
      },
    ),
    heldRule(
      'CloudscanApiThrottled',
      'warning',
      `
sum by (job, instance, provider, account) (${ONE_COPY_PER_SERIES} (rate(cloudscan_api_errors_total{code=~"${THROTTLING_CODES}"}[${t.throttled_window}])))
  /
sum by (job, instance, provider, account) (${ONE_COPY_PER_SERIES} (rate(cloudscan_api_requests_total[${t.throttled_window}])))
  > ${t.throttled_ratio}`,
      t.throttled_for,
      'The cloud API throttles a cloudscan account persistently.',
      {
        known: `{{ $value | humanizePercentage }} of the API calls of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} have been throttled for ${t.throttled_for}: lower its rate_limit, or find what else uses the same account's quota.`,
        held: `More than ${Number((t.throttled_ratio * 100).toPrecision(6))}% of the API calls of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} were throttled for ${t.throttled_for}: lower its rate_limit, or find what else uses the same account's quota.`,
      },
    ),
    heldRule(
      'CloudscanDataStale',
      'critical',
      `time() - cloudscan_last_success_timestamp_seconds > ${durationSeconds(t.data_stale_after)}`,
      '5m',
      'The scan status of a cloud account has not been refreshed for too long.',
      {
        known: `The last successful refresh of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} was {{ $value | humanizeDuration }} ago (threshold ${t.data_stale_after}).`,
        held: `The last successful refresh of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} was more than ${t.data_stale_after} ago.`,
      },
    ),
    heldRule(
      'CloudscanOrganizationListingFailed',
      'warning',
      // Every member's /probe answer carries its organization's series: one alert per organization and replica, not per member.
      'max by (job, instance, provider, organization) (cloudscan_organization_up) == 0',
      t.organization_listing_failed_for,
      "The cloudscan exporter cannot list an organization's member accounts.",
      unquoted(
        `Every listing of the members of {{ $labels.provider }} organization {{ $labels.organization }} on {{ $labels.instance }} has failed for ${t.organization_listing_failed_for}: the members last listed are still read, but members that joined since are not, and members that left are still shown. cloudscan_api_errors_total with account set to the organization tells the error code.`,
      ),
    ),
  ];
}

/** Tencent Cloud CWP scans. */
function cwpRules({ t, heldRule }: RuleContext): AlertRule[] {
  return [
    heldRule(
      'CloudscanCwpScanStuck',
      'warning',
      `
(time() - cloudscan_cwp_scan_start_timestamp_seconds)
  * on (${CWP_SCAN}) group_right ()
(cloudscan_cwp_scan_state{state=~"scanning|stopping"} == 1)
  > ${durationSeconds(t.cwp_scan_stuck_after)}`,
      '5m',
      'A Tencent CWP scan is stuck in progress.',
      {
        known: `The scan of ${CWP_SCAN_NAME} started {{ $value | humanizeDuration }} ago and is still {{ $labels.state }} (threshold ${t.cwp_scan_stuck_after}).`,
        held: `The scan of ${CWP_SCAN_NAME} started more than ${t.cwp_scan_stuck_after} ago and was still {{ $labels.state }}.`,
      },
    ),
    heldRule(
      'CloudscanCwpScanOverdue',
      'warning',
      `
(
    (time() - cloudscan_cwp_scan_end_timestamp_seconds)
      * on (${CWP_SCAN}) group_right ()
    (cloudscan_cwp_scan_state{state=~"completed|stopped"} == 1)
  > ${durationSeconds(t.cwp_scan_overdue_after)}
)
  or
cloudscan_cwp_scan_state{state="never_scanned"} == 1`,
      '1h',
      'A Tencent CWP module has not completed a scan recently.',
      {
        known: `{{ if eq $labels.state "never_scanned" }}${capitalised(CWP_SCAN_NAME)} has never been scanned{{ else }}The latest scan of ${CWP_SCAN_NAME} ended {{ $value | humanizeDuration }} ago, {{ $labels.state }}{{ end }}; no scan has completed within ${t.cwp_scan_overdue_after}.`,
        held: `{{ if eq $labels.state "never_scanned" }}${capitalised(CWP_SCAN_NAME)} had never been scanned{{ else }}The latest scan of ${CWP_SCAN_NAME} ended more than ${t.cwp_scan_overdue_after} ago, {{ $labels.state }}{{ end }}.`,
      },
    ),
    heldRule(
      'CloudscanCwpRiskEventsRising',
      'info',
      `
(
    cloudscan_cwp_scan_risk_events
  -
    max_over_time(cloudscan_cwp_scan_risk_events[${t.cwp_risk_events_window}] offset ${t.cwp_risk_events_window})
) > 0
  and on (${CWP_SCAN})
cloudscan_cwp_scan_state{state="completed"} == 1`,
      '0m',
      'A Tencent CWP scan found more risks than before.',
      {
        known: `The latest completed scan of ${CWP_SCAN_NAME} found {{ $value }} more risk events than any scan of it in the ${t.cwp_risk_events_window} before.`,
        held: `The latest completed scan of ${CWP_SCAN_NAME} found more risk events than any scan of it in the ${t.cwp_risk_events_window} before.`,
      },
    ),
    heldRule(
      'CloudscanCwpHostsMissed',
      'warning',
      `
(
    cloudscan_cwp_scan_hosts{result="failed"}
      / ignoring (result)
    sum without (result) (cloudscan_cwp_scan_hosts)
) > ${t.cwp_hosts_missed_ratio}
  and on (${CWP_SCAN})
cloudscan_cwp_scan_state{state="completed"} == 1`,
      t.cwp_hosts_missed_for,
      'A completed Tencent CWP scan missed many of its hosts.',
      {
        known: `The latest completed scan of ${CWP_SCAN_NAME} failed on {{ $value | humanizePercentage }} of its hosts (threshold ${t.cwp_hosts_missed_ratio * 100}%): cloudscan_cwp_scan_hosts_failed tells why (offline, timeout, failed, agent_outdated), cloudscan_cwp_host_scan_failure which hosts.`,
        held: `The latest completed scan of ${CWP_SCAN_NAME} failed on more than ${t.cwp_hosts_missed_ratio * 100}% of its hosts: cloudscan_cwp_scan_hosts_failed tells why (offline, timeout, failed, agent_outdated), cloudscan_cwp_host_scan_failure which hosts.`,
      },
    ),
  ];
}

/** Alibaba Cloud Security Center vulnerability checks and agents. */
function sasRules({ t, heldRule }: RuleContext): AlertRule[] {
  return [
    heldRule(
      'CloudscanSasSubtaskFailed',
      'warning',
      'cloudscan_sas_vul_check_subtask_failed == 1',
      t.sas_subtask_failed_for,
      'An Alibaba Security Center vulnerability check failed on a server.',
      unquoted(`${capitalised(SAS_SUBTASK_NAME)} reports error code {{ $labels.code }}.`),
    ),
    heldRule(
      'CloudscanSasSubtaskStuck',
      'warning',
      'cloudscan_sas_vul_check_subtask_state{state=~"unhandled|collecting|collected|matching"} == 1',
      t.sas_subtask_stuck_for,
      'An Alibaba Security Center vulnerability check is stuck before completing.',
      unquoted(`${capitalised(SAS_SUBTASK_NAME)} has been {{ $labels.state }} for ${t.sas_subtask_stuck_for}.`),
    ),
    heldRule(
      'CloudscanSasAgentOffline',
      'warning',
      'cloudscan_sas_agent_state{state="offline"} == 1',
      t.sas_agent_offline_for,
      'The Alibaba Security Center agent of a server is offline, so its scans miss it.',
      unquoted(`The Security Center agent on ${SAS_SERVER_NAME} has been offline for ${t.sas_agent_offline_for}: no vulnerability check can run there until it is back online.`),
    ),
  ];
}

/**
 * Both clouds' coverage: the ratio recorded, the alert on it, and servers long without a working
 * agent. The recording rule and the alert that reads it are in this one group, the rule first: the
 * rules of a group are evaluated in order at one timestamp, so the alert reads the value recorded in
 * the same evaluation (an alert reading a recording rule of another group saw it one evaluation
 * late, or not at all, at random, which made promtool tests flaky).
 */
function coverageRules({ t, heldRule }: RuleContext): Rule[] {
  const running = 'running servers of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }}';
  const percent = `${Number((t.coverage_ratio_min * 100).toPrecision(6))}%`;
  return [
    {
      record: COVERAGE_RATIO,
      expr: `
sum without (coverage) (cloudscan_servers{coverage="protected"})
  /
(sum without (coverage) (cloudscan_servers{coverage!="server_stopped"}) > 0)`.trim(),
    },
    heldRule(
      'CloudscanServerCoverageLow',
      'warning',
      `${COVERAGE_RATIO} < ${t.coverage_ratio_min}`,
      t.coverage_low_for,
      "Few of a cloud account's running servers have a working security agent.",
      {
        known: `Only {{ $value | humanizePercentage }} of the ${running} have had a working security agent for ${t.coverage_low_for} (threshold ${percent}): no scan can see the others. cloudscan_servers tells why (agent offline, paused, missing), cloudscan_server_coverage which servers.`,
        held: `Less than ${percent} of the ${running} had a working security agent for ${t.coverage_low_for}: no scan can see the others. cloudscan_servers tells why (agent offline, paused, missing), cloudscan_server_coverage which servers.`,
      },
    ),
    heldRule(
      'CloudscanServersUnprotected',
      'warning',
      `
count by (job, instance, provider, account) (
  (time() - cloudscan_server_uncovered_since_timestamp_seconds{coverage=~"agent_offline|agent_missing"})
    > ${durationSeconds(t.servers_unprotected_after)}
)`,
      '5m',
      'Servers have been without a working security agent for long: no scan can see them.',
      {
        known: `{{ $value }} server(s) of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} have had no working security agent (offline, or none installed) for more than ${t.servers_unprotected_after}, as far as the exporter has seen: no scan can see them. cloudscan_server_uncovered_since_timestamp_seconds lists them.`,
        held: `Servers of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} had had no working security agent (offline, or none installed) for more than ${t.servers_unprotected_after}: no scan can see them. cloudscan_server_uncovered_since_timestamp_seconds lists them.`,
      },
    ),
  ];
}

export function alertGroups(settings: AlertSettings): RuleGroup[] {
  const context = ruleContext(settings);
  return [
    { name: 'cloudscan-exporter', rules: exporterRules(context) },
    { name: 'cloudscan-accounts', rules: accountRules(context) },
    { name: 'cloudscan-tencent-cwp', rules: cwpRules(context) },
    { name: 'cloudscan-alibaba-sas', rules: sasRules(context) },
    { name: 'cloudscan-coverage', rules: coverageRules(context) },
  ];
}

/** Every alert of the groups, without the recording rules. */
export function alertRules(settings: AlertSettings): AlertRule[] {
  return alertGroups(settings).flatMap((group) => group.rules.filter(isAlert));
}

function repositoryRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A description that quotes no value reads the same while held. */
function unquoted(description: string): { known: string; held: string } {
  return { known: description, held: description };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const HEADER = `# Alert rules of cloudscan-exporter. Generated from prometheus/thresholds.yml by prometheus/alerts.ts:
# change thresholds there, then run \`npm run rules\`. Self-contained: its one recording rule,
# ${COVERAGE_RATIO}, is in the group of the alert that reads it, before it.
# What each alert means and what to do: docs/runbooks.md.
`;

export function renderAlerts(settings: AlertSettings): string {
  return HEADER + stringify({ groups: alertGroups(settings) }, { blockQuote: 'literal', lineWidth: 0 });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const text = renderAlerts(loadAlertSettings());
  if (process.argv.includes('--check')) {
    if (readFileSync(alertsPath, 'utf8') !== text) {
      process.stderr.write(`${alertsPath} is out of date; run: npm run rules\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(alertsPath, text);
    process.stdout.write(`wrote ${alertsPath}\n`);
  }
}
