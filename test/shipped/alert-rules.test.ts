// The shipped alert rules: generated from prometheus/thresholds.yml and committed as generated,
// accepted by promtool, every alert unit-tested both before it may fire and when it fires, every
// alert documented in docs/runbooks.md, and the error-code selectors in step with the classifiers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import {
  COVERAGE_RATIO,
  alertGroups,
  alertRules,
  alertsPath,
  durationSeconds,
  loadAlertSettings,
  parseAlertSettings,
  renderAlerts,
  thresholdsPath,
  type AlertRule,
} from '../../prometheus/alerts.js';
import { alibabaErrorKind, alibabaPermissionDenied } from '../../src/sources/alibaba/errors.js';
import { tencentErrorKind, tencentPermissionDenied } from '../../src/sources/tencent/errors.js';
import { selectors } from '../support/dashboard-lint.js';
import { repoRoot } from '../support/paths.js';
import { promtool } from '../support/promtool.js';

const settings = loadAlertSettings();
const rules: AlertRule[] = alertRules(settings);
const testsFile = join(repoRoot, 'prometheus', 'tests', 'alerts.test.yml');

interface PromtoolTestFile {
  tests: { name: string; alert_rule_test?: { eval_time: string; alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('prometheus/alerts.yml', () => {
  test('is exactly what prometheus/alerts.ts generates from prometheus/thresholds.yml', () => {
    assert.equal(
      readFileSync(alertsPath, 'utf8'),
      renderAlerts(settings),
      'prometheus/alerts.yml is out of date: run `npm run rules` and commit it',
    );
  });

  test('passes promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', alertsPath]);
    assert.equal(status, 0, output);
    assert.match(output, new RegExp(`SUCCESS: ${rules.length + 1} rules found`), 'the alerts and the one recording rule');
  });

  test('passes its promtool unit tests', () => {
    const { status, output } = promtool(['test', 'rules', testsFile]);
    assert.equal(status, 0, output);
  });

  test('has, for every alert, a unit test where it stays silent and one where it fires', () => {
    const file = parse(readFileSync(testsFile, 'utf8')) as PromtoolTestFile;
    const cases = file.tests.flatMap((group) => group.alert_rule_test ?? []);
    for (const { alert } of rules) {
      const own = cases.filter((c) => c.alertname === alert);
      assert.ok(
        own.some((c) => c.exp_alerts.length === 0),
        `${alert}: no case where it does not fire yet`,
      );
      assert.ok(
        own.some((c) => c.exp_alerts.length > 0),
        `${alert}: no case where it fires`,
      );
    }
  });

  test("every alert on the exporter's series is held while Prometheus cannot scrape the exporter, and a test shows it", () => {
    const aboutTheTarget = new Set(['CloudscanExporterDown', 'CloudscanExporterAbsent']);
    for (const rule of rules) {
      const held =
        rule.expr.includes(`ALERTS{alertname="${rule.alert}", alertstate="firing"}`) &&
        /and on \(job, instance\)\s+up == 0\s*\)$/.test(rule.expr);
      assert.equal(
        held,
        !aboutTheTarget.has(rule.alert),
        `${rule.alert}: ${held ? 'held, but it is about the target itself' : 'not held'}`,
      );
    }
    const file = parse(readFileSync(testsFile, 'utf8')) as PromtoolTestFile;
    assert.ok(
      file.tests.some((t) => /exporter stops/.test(t.name) && t.alert_rule_test?.some((c) => c.alertname === 'CloudscanAccountDown')),
      'no promtool test of an account alert while the exporter is down',
    );
  });

  test('every alert has a severity, a static summary, a templated description and a runbook section', () => {
    const runbooks = readFileSync(join(repoRoot, 'docs', 'runbooks.md'), 'utf8');
    const anchors = new Set([...runbooks.matchAll(/^## (\S+)/gm)].map((m) => m[1]!.toLowerCase()));
    for (const rule of rules) {
      assert.match(rule.labels.severity, /^(critical|warning|info)$/, rule.alert);
      assert.doesNotMatch(rule.annotations.summary, /\{\{/, `${rule.alert}: the summary must be static`);
      assert.match(rule.annotations.description, /\{\{ \$labels\.\w+ \}\}/, `${rule.alert}: the description names no label`);
      const anchor = rule.annotations.runbook_url.split('#')[1];
      assert.ok(anchor !== undefined && anchors.has(anchor), `${rule.alert}: docs/runbooks.md has no "## ${rule.alert}" section`);
    }
  });

  test("the issue's alerts are all there", () => {
    const names = rules.map((r) => r.alert).sort();
    for (const required of [
      'CloudscanExporterDown',
      'CloudscanExporterAbsent',
      'CloudscanAccountDown',
      'CloudscanAuthFailing',
      'CloudscanPermissionMissing',
      'CloudscanApiThrottled',
      'CloudscanDataStale',
      'CloudscanCwpScanStuck',
      'CloudscanCwpScanOverdue',
      'CloudscanSasSubtaskFailed',
      'CloudscanSasSubtaskStuck',
      'CloudscanCwpRiskEventsRising',
      'CloudscanServersUnprotected',
      'CloudscanServerCoverageLow',
    ]) {
      assert.ok(names.includes(required), `missing ${required}`);
    }
  });

  test('an alert reads a recording rule only from its own group, recorded before it (evaluated in order at one timestamp)', () => {
    const groups = alertGroups(settings);
    const recorded = groups.flatMap((group) =>
      group.rules.flatMap((rule) => ('record' in rule ? [{ group: group.name, record: rule.record }] : [])),
    );
    assert.deepEqual(
      recorded.map((r) => r.record),
      [COVERAGE_RATIO],
    );
    let readers = 0;
    for (const group of groups) {
      group.rules.forEach((rule, index) => {
        if (!('alert' in rule)) return;
        for (const { record, group: home } of recorded) {
          if (!selectors(rule.expr).some((s) => s.name === record)) continue;
          readers++;
          assert.equal(group.name, home, `${rule.alert} reads ${record} from another group`);
          const at = group.rules.findIndex((r) => 'record' in r && r.record === record);
          assert.ok(at < index, `${rule.alert} comes before ${record} in ${group.name}`);
        }
      });
    }
    assert.equal(readers, 1, 'CloudscanServerCoverageLow reads the coverage ratio');
  });
});

describe('the error codes the alerts select', () => {
  /** What the alert's cloudscan_api_errors_total selector takes of `code` (its =~ and its !~ matchers). */
  const selector = (alert: string): { test(code: string): boolean } => {
    const expr = rules.find((r) => r.alert === alert)!.expr;
    const errors = selectors(expr).find((s) => s.name === 'cloudscan_api_errors_total');
    const matchers = (errors?.matchers ?? []).filter((m) => m.label === 'code' && (m.op === '=~' || m.op === '!~'));
    assert.ok(
      matchers.some((m) => m.op === '=~'),
      `${alert} selects no code`,
    );
    return { test: (code) => matchers.every((m) => new RegExp(`^(?:${m.value})$`).test(code) === (m.op === '=~')) };
  };

  // The auth codes; those of a policy that lacks the action are CloudscanPermissionMissing's alone.
  const authSamples: Array<[code: string, auth: boolean, permission: boolean]> = [
    ['AuthFailure.SignatureFailure', true, false],
    ['AuthFailure.SecretIdNotFound', true, false],
    ['AuthFailure.UnauthorizedOperation', true, true],
    ['UnauthorizedOperation', true, true],
    ['UnauthorizedOperation.CamNoAuth', true, true],
    ['InternalError.GetRoleError', true, false],
    ['InternalError.IllegalRole', true, false],
    ['InvalidAccessKeyId.NotFound', true, false],
    ['SignatureDoesNotMatch', true, false],
    ['MissingSecurityToken', true, false],
    ['NoPermission', true, true],
    ['Forbidden.RAM', true, true],
    ['SignatureNonceUsed', false, false],
    ['RequestLimitExceeded', false, false],
    ['Throttling.User', false, false],
    ['InternalError', false, false],
    ['timeout', false, false],
    ['invalid_response', false, false],
  ];

  test('CloudscanAuthFailing matches exactly the codes both sources classify as auth, but for those of a missing permission', () => {
    const auth = selector('CloudscanAuthFailing');
    for (const [code, isAuth, permission] of authSamples) {
      assert.equal(auth.test(code), isAuth && !permission, code);
      const classified = tencentErrorKind(code) === 'auth' || alibabaErrorKind(code) === 'auth';
      assert.equal(classified, isAuth, `${code}: the sources disagree with the alert`);
    }
  });

  test('CloudscanPermissionMissing matches exactly the codes both sources take for a missing permission', () => {
    const missing = selector('CloudscanPermissionMissing');
    for (const [code, , permission] of authSamples) {
      assert.equal(missing.test(code), permission, code);
      assert.equal(
        tencentPermissionDenied(code) || alibabaPermissionDenied(code),
        permission,
        `${code}: the sources disagree with the alert`,
      );
    }
  });

  test('CloudscanApiThrottled matches exactly the codes both sources classify as throttled', () => {
    const throttled = selector('CloudscanApiThrottled');
    for (const [code, expected] of [
      ['RequestLimitExceeded', true],
      ['RequestLimitExceeded.UinLimitExceeded', true],
      ['InvalidParameter.OverLimit', true],
      ['InvalidParameter.OverTimeError', false],
      ['Throttling.User', true],
      ['Throttling', true],
      ['http_429', true],
      ['AuthFailure.SignatureFailure', false],
      ['InternalError', false],
    ] as const) {
      assert.equal(throttled.test(code), expected, code);
      if (code !== 'http_429') {
        const classified = tencentErrorKind(code) === 'throttled' || alibabaErrorKind(code) === 'throttled';
        assert.equal(classified, expected, `${code}: the sources disagree with the alert`);
      }
    }
  });
});

describe('the example Prometheus and Alertmanager configurations', () => {
  test('promtool accepts prometheus/prometheus.yml with the alert rules it names', () => {
    const { status, output } = promtool(['check', 'config', join(repoRoot, 'prometheus', 'prometheus.yml')]);
    assert.equal(status, 0, output);
    assert.match(output, /alerts\.yml\s+SUCCESS: \d+ rules found/);
  });

  test('amtool accepts prometheus/alertmanager.yml', () => {
    const result = spawnSync('amtool', ['check-config', join(repoRoot, 'prometheus', 'alertmanager.yml')], { encoding: 'utf8' });
    assert.equal(result.error, undefined, 'amtool could not run; install it with: apt-get install prometheus-alertmanager');
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});

describe('prometheus/thresholds.yml', () => {
  test('is read strictly: an unknown key or a bad duration names the file and the key', () => {
    const text = readFileSync(thresholdsPath, 'utf8');
    assert.throws(
      () => parseAlertSettings(text.replace('account_down_for: 15m', 'account_down_for: 15 minutes'), 'thresholds.yml'),
      /thresholds\.yml: thresholds\.account_down_for: a Prometheus duration/,
    );
    assert.throws(() => parseAlertSettings(`${text}\nextra: 1\n`, 'thresholds.yml'), /thresholds\.yml: .*extra/);
  });

  test('changing a threshold changes the generated rule', () => {
    const text = readFileSync(thresholdsPath, 'utf8').replace('cwp_scan_stuck_after: 6h', 'cwp_scan_stuck_after: 90m');
    const stuck = alertRules(parseAlertSettings(text)).find((r) => r.alert === 'CloudscanCwpScanStuck')!;
    assert.match(stuck.expr, /> 5400\n\)/);
    assert.match(stuck.annotations.description, /threshold 90m/);
    assert.equal(durationSeconds('1h30m'), 5400);
  });
});
