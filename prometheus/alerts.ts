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
import type {
  AlertKit,
  AlertRule,
  Rule,
  RuleGroup,
  ThresholdDeclarations,
  ThresholdKind,
  ThresholdValues,
} from '../src/contract/alert-rules.js';
import type { ProviderEntry } from '../src/contract/provider.js';
import { HEALTH } from '../src/metrics/families.js';
import { PROVIDERS } from '../src/sources/registry.js';

export type { AlertRule, RecordingRule, Rule, RuleGroup } from '../src/contract/alert-rules.js';

/** prometheus/ in the repository, from the source file or its compiled copy in dist/prometheus/. */
export const prometheusDir = join(repositoryRoot(dirname(fileURLToPath(import.meta.url))), 'prometheus');
export const thresholdsPath = join(prometheusDir, 'thresholds.yml');
export const alertsPath = join(prometheusDir, 'alerts.yml');

const duration = z.string().regex(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 30s, 15m, 6h or 2d');
const share = z.number().gt(0).lt(1);
const THRESHOLD_SCHEMAS: Record<ThresholdKind, typeof duration | typeof share> = { duration, share };

/** The thresholds of the alerts on the exporter, on every account and on coverage; each cloud declares its own. */
const SHARED_THRESHOLDS = {
  exporter_down_for: duration,
  exporter_absent_for: duration,
  account_down_for: duration,
  auth_failing_window: duration,
  auth_failing_for: duration,
  permission_missing_window: duration,
  permission_missing_for: duration,
  throttled_ratio: share,
  throttled_window: duration,
  throttled_for: duration,
  data_stale_after: duration,
  organization_listing_failed_for: duration,
  coverage_ratio_min: z.number().gt(0).lte(1),
  coverage_low_for: duration,
  servers_unprotected_after: duration,
  config_reload_failed_for: duration,
};

/** thresholds.yml, strictly: the shared thresholds and those each cloud declares, no other key. */
function settingsSchema(providers: readonly ProviderEntry[]) {
  const clouds: Record<string, typeof duration | typeof share> = {};
  for (const { name, alerts } of providers) {
    for (const [key, kind] of Object.entries(alerts.thresholds)) {
      if (Object.hasOwn(SHARED_THRESHOLDS, key) || Object.hasOwn(clouds, key))
        throw new Error(`the threshold ${key} of ${name} is declared twice`);
      clouds[key] = THRESHOLD_SCHEMAS[kind];
    }
  }
  return z.strictObject({
    job: z.string().min(1),
    runbook_url: z.url(),
    thresholds: z.strictObject({ ...SHARED_THRESHOLDS, ...clouds }),
  });
}

/** thresholds.yml as validated: the shared thresholds by name, and each cloud's, which its own rules read by its declarations. */
export interface AlertSettings {
  job: string;
  runbook_url: string;
  thresholds: z.infer<z.ZodObject<typeof SHARED_THRESHOLDS>> & ThresholdValues<ThresholdDeclarations>;
}
export type Thresholds = AlertSettings['thresholds'];

export function parseAlertSettings(text: string, where = thresholdsPath, providers: readonly ProviderEntry[] = PROVIDERS): AlertSettings {
  const result = settingsSchema(providers).safeParse(parse(text));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new Error(`${where}: ${problems.join('; ')}`);
  }
  // The schema checked every shared key as SHARED_THRESHOLDS types it; zod cannot type the clouds' keys, known only at run time.
  return result.data as AlertSettings;
}

export function loadAlertSettings(path = thresholdsPath, providers: readonly ProviderEntry[] = PROVIDERS): AlertSettings {
  return parseAlertSettings(readFileSync(path, 'utf8'), path, providers);
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

export function isAlert(rule: Rule): rule is AlertRule {
  return 'alert' in rule;
}

/**
 * Keeps one copy of each counter series of a replica: each member's /probe answer carries its
 * organization's listing counters, so a sharded setup scrapes them once per member target (with the
 * target's own labels); for any other series this changes nothing.
 */
const ONE_COPY_PER_SERIES = 'max by (job, instance, provider, account, action, code)';
/** The account's current state, for the alerts that must speak at the first scrape showing an error. */
const LAST_REFRESH_ERROR = HEALTH.lastRefreshError.name;
/** The share of an account's running servers (all but server_stopped) that have a working agent; no series while it has none running. */
export const COVERAGE_RATIO = 'account:cloudscan_servers_protected:ratio';

/** The error codes of every cloud, of one kind, as one alternation. */
function codesOf(providers: readonly ProviderEntry[], kind: 'auth' | 'permission' | 'throttling'): string {
  return providers.map((provider) => provider.alerts.codes[kind]).join('|');
}

/** The permission to add for the alert's provider and action, from each cloud's table (sources/<cloud>/permissions.ts). */
function permissionToAdd(providers: readonly ProviderEntry[]): string {
  return `${providers
    .flatMap(({ name, alerts }) => Object.entries(alerts.permissions).map(([action, permission]) => [name, action, permission] as const))
    .map(
      ([provider, action, permission], i) =>
        `{{ ${i === 0 ? 'if' : 'else if'} and (eq $labels.provider "${provider}") (eq $labels.action "${action}") }}${permission}`,
    )
    .join('')}{{ else }}the permission for {{ $labels.action }}{{ end }}`;
}

/** What every group's rules are written with: the thresholds, the job selector and the rule builders. */
interface RuleContext extends AlertKit {
  t: AlertSettings['thresholds'];
  job: string;
  rule: (
    alert: string,
    severity: AlertRule['labels']['severity'],
    expr: string,
    forDuration: string,
    summary: string,
    description: string,
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
export function heldWhileExporterDown(
  alert: string,
  expr: string,
  description: { known: string; held: string },
): { expr: string; description: string } {
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
    const held = heldWhileExporterDown(
      alert,
      expr,
      typeof description === 'string' ? { known: description, held: description } : description,
    );
    return rule(alert, severity, held.expr, forDuration, summary, held.description);
  };
  return { t: settings.thresholds, job: JSON.stringify(settings.job), rule, heldRule, seconds: durationSeconds };
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
      'The last configuration reload of {{ $labels.instance }} failed; it keeps running with the previous configuration. Its log names the file, line and key.',
    ),
  ];
}

/** Each account: up, credentials, throttling, stale data; the error codes and permissions are each cloud's. */
function accountRules({ t, heldRule }: RuleContext, providers: readonly ProviderEntry[]): AlertRule[] {
  const authCodes = codesOf(providers, 'auth');
  // The auth codes that say a policy lacks the action: CloudscanPermissionMissing's, not CloudscanAuthFailing's.
  const permissionCodes = codesOf(providers, 'permission');
  const throttlingCodes = `${codesOf(providers, 'throttling')}|http_429`;
  const permission = permissionToAdd(providers);
  return [
    heldRule(
      'CloudscanAccountDown',
      'warning',
      'cloudscan_up == 0',
      t.account_down_for,
      'A cloud account cannot be read by the cloudscan exporter.',
      `Every refresh of {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} has failed for ${t.account_down_for}; its last good data is shown until it is older than cache.max_stale. cloudscan_api_errors_total tells the error code.`,
    ),
    heldRule(
      'CloudscanAuthFailing',
      'critical',
      // The account's state: pending from the first scrape that shows the refused refresh, and over
      // at the first that shows a good one. An organization's listing has no such series: its
      // counters tell (an increase needs two samples of the code's series, so a scrape later).
      `
max by (job, instance, provider, account, code) (${LAST_REFRESH_ERROR}{class="auth",code!~"${permissionCodes}"})
  or
(
    sum by (job, instance, provider, account, code) (${ONE_COPY_PER_SERIES} (increase(cloudscan_api_errors_total{code=~"${authCodes}",code!~"${permissionCodes}"}[${t.auth_failing_window}]))) > 0
  unless on (job, instance, provider, account)
    ${LAST_REFRESH_ERROR}
)`,
      t.auth_failing_for,
      'The cloud rejects the credentials of a cloudscan account.',
      {
        known: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} gets {{ $labels.code }} from the cloud API: the key is wrong, disabled or expired, or the role it assumes cannot be assumed.`,
        held: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} got {{ $labels.code }} from the cloud API: the key is wrong, disabled or expired, or the role it assumes cannot be assumed.`,
      },
    ),
    heldRule(
      'CloudscanPermissionMissing',
      'warning',
      `
sum by (job, instance, provider, account, action) (${ONE_COPY_PER_SERIES} (increase(cloudscan_api_errors_total{code=~"${permissionCodes}"}[${t.permission_missing_window}]))) > 0
  unless on (job, instance, provider, account, action)
cloudscan_action_up == 1`,
      t.permission_missing_for,
      "The policy of a cloudscan account's credentials does not allow an action the exporter calls.",
      {
        known: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} is refused {{ $labels.action }} for lack of permission ({{ $value | humanize }} in the last ${t.permission_missing_window}): add ${permission} to the policy of its credentials. Until then the data this action reads is missing; docs/permissions.md tells what that is.`,
        held: `{{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} was refused {{ $labels.action }} for lack of permission: add ${permission} to the policy of its credentials. Until then the data this action reads is missing; docs/permissions.md tells what that is.`,
      },
    ),
    heldRule(
      'CloudscanApiThrottled',
      'warning',
      // The share of throttled calls needs two samples of a new code's series; a refresh that lost
      // calls to throttling (after the retries) says so at the first scrape.
      `
(
    sum by (job, instance, provider, account) (${ONE_COPY_PER_SERIES} (rate(cloudscan_api_errors_total{code=~"${throttlingCodes}"}[${t.throttled_window}])))
  /
    sum by (job, instance, provider, account) (${ONE_COPY_PER_SERIES} (rate(cloudscan_api_requests_total[${t.throttled_window}])))
  > ${t.throttled_ratio}
)
  or
max by (job, instance, provider, account) (${LAST_REFRESH_ERROR}{class="throttled"})`,
      t.throttled_for,
      'The cloud API throttles a cloudscan account persistently.',
      `The cloud API has throttled {{ $labels.provider }} account {{ $labels.account }} on {{ $labels.instance }} for ${t.throttled_for}: more than ${Number((t.throttled_ratio * 100).toPrecision(6))}% of its calls over ${t.throttled_window}, or calls its refreshes lost after their retries. Lower its rate_limit, or find what else uses the same account's quota.`,
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
      `Every listing of the members of {{ $labels.provider }} organization {{ $labels.organization }} on {{ $labels.instance }} has failed for ${t.organization_listing_failed_for}: the members last listed are still read, but members that joined since are not, and members that left are still shown. cloudscan_api_errors_total with account set to the organization tells the error code.`,
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

export function alertGroups(settings: AlertSettings, providers: readonly ProviderEntry[] = PROVIDERS): RuleGroup[] {
  const context = ruleContext(settings);
  return [
    { name: 'cloudscan-exporter', rules: exporterRules(context) },
    { name: 'cloudscan-accounts', rules: accountRules(context, providers) },
    ...providers.flatMap((provider) => provider.alerts.groups(context, settings.thresholds)),
    { name: 'cloudscan-coverage', rules: coverageRules(context) },
  ];
}

/** Every alert of the groups, without the recording rules. */
export function alertRules(settings: AlertSettings, providers: readonly ProviderEntry[] = PROVIDERS): AlertRule[] {
  return alertGroups(settings, providers).flatMap((group) => group.rules.filter(isAlert));
}

function repositoryRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const HEADER = `# Alert rules of cloudscan-exporter. Generated from prometheus/thresholds.yml by prometheus/alerts.ts:
# change thresholds there, then run \`npm run rules\`. Self-contained: its one recording rule,
# ${COVERAGE_RATIO}, is in the group of the alert that reads it, before it.
# What each alert means and what to do: docs/runbooks.md.
`;

export function renderAlerts(settings: AlertSettings, providers: readonly ProviderEntry[] = PROVIDERS): string {
  return HEADER + stringify({ groups: alertGroups(settings, providers) }, { blockQuote: 'literal', lineWidth: 0 });
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
