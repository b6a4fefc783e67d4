// The whole chain as users run it: the exporter's command against the emulator, scraped by a real
// Prometheus loaded with our example config and generated alert rules, alerting a real
// Alertmanager with our example config, which notifies a webhook. Faults are put into the
// emulator; the test waits for the matching alerts in Alertmanager, clears the faults and waits for
// them to resolve. Every query of the Grafana dashboard then runs against that Prometheus.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { alertGroups, isAlert, parseAlertSettings, thresholdsPath } from '../../prometheus/alerts.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { beijingTime } from '../../src/emulator/tencent/simulation.js';
import { dashboardQueries } from '../support/dashboard-lint.js';
import {
  alertmanagerAlerts,
  alertmanagerConfig,
  instantQuery,
  labelValues,
  prometheusConfig,
  ruleGroupLastEvaluation,
  sampleTimes,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type AlertmanagerAlert,
  type RunningService,
  type WebhookReceiver,
} from '../support/monitoring-stack.js';
import { distMain, repoRoot } from '../support/paths.js';
import { freePort, start, waitFor, type Started } from '../support/processes.js';

const PROD = { secretId: 'AKIDe2eProd000000000000000000000000001', secretKey: 'e2eProdSecretKey0000000000000000001' };
const STAGING = { secretId: 'AKIDe2eStaging0000000000000000000000001', secretKey: 'e2eStagingSecretKey000000000000000001' };
const SHOP = { accessKeyId: 'LTAI5tE2eShop0000000001', accessKeySecret: 'e2e-shop-secret-000000000000000001' };
const WEB_01 = { uuid: 'e2e-uuid-web-01', instanceName: 'web-01' };
const DB_01 = { uuid: 'e2e-uuid-db-01', instanceName: 'db-01' };
/** A server whose Security Center agent is offline: its checks never start. */
const CACHE_01 = {
  uuid: 'e2e-uuid-cache-01',
  instanceName: 'cache-01',
  instanceId: 'i-e2ecache01',
  ip: '10.0.9.1',
  clientStatus: 'offline' as const,
};
const ALERT_WAIT_MS = 60_000;
const EXPORTER_DOWN_FOR_S = 8;

/** The shipped rules, with windows and `for` durations short enough for a test; thresholds on times (6h stuck) stay. */
function rulesForTest(): string {
  const text = readFileSync(thresholdsPath, 'utf8')
    .replace(/auth_failing_window: \S+/, 'auth_failing_window: 8s')
    .replace(/throttled_window: \S+/, 'throttled_window: 30s');
  const groups = alertGroups(parseAlertSettings(text));
  // As with the defaults (15m against 5m), an account goes down for longer before it alerts than an
  // auth failure, so the auth alert is there first to inhibit it. The exporter is down for a while
  // before CloudscanExporterDown fires, as with the defaults: long enough for a resolve to get out.
  const forTest: Record<string, string> = {
    CloudscanExporterAbsent: '10m',
    CloudscanAccountDown: '10s',
    CloudscanExporterDown: `${EXPORTER_DOWN_FOR_S}s`,
  };
  for (const rule of groups.flatMap((g) => g.rules.filter(isAlert))) rule.for = forTest[rule.alert] ?? '2s';
  return stringify({ groups });
}

function subtaskAnswer(code: string, status = '4') {
  return {
    TotalCount: 1,
    RequestId: 'e2e',
    TaskStatuses: [{ TaskId: 'e2e-task-1', TaskStatusList: [{ Type: 'cve', Status: status, Code: code }] }],
  };
}

describe('the exporter, Prometheus and Alertmanager together', { timeout: 240_000 }, () => {
  let dir: string;
  let emulator: Emulator;
  let exporter: Started;
  let exporterAddress: string;
  let prometheus: RunningService;
  let alertmanager: RunningService;
  let webhook: WebhookReceiver;
  const started = Date.now();

  const describeAll = () =>
    [
      `exporter:\n${exporter?.output().slice(-3000)}`,
      `prometheus:\n${prometheus?.process.output().slice(-3000)}`,
      `alertmanager:\n${alertmanager?.process.output().slice(-3000)}`,
    ].join('\n');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-e2e-'));
    emulator = await startEmulator();
    const now = Date.now();
    emulator.tencent.addAccount({ name: 'prod', ...PROD, strategies: [{ id: 101, name: 'Linux baseline' }] });
    emulator.tencent.addAccount({ name: 'staging', ...STAGING, strategies: [] });
    // prod: a Vul scan running for 7 hours (past the 6h threshold) and a Malware scan that completed.
    emulator.tencent.pinScanState('prod', 'Vul', undefined, {
      ScanState: 1,
      Schedule: 40,
      TaskId: 7001,
      VulId: [1, 2],
      Type: 1,
      ScanBeginTime: beijingTime(now - 7 * 3600_000),
      ScanEndTime: null,
      RiskEventCount: 2,
    });
    emulator.tencent.pinScanState('prod', 'Malware', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 7002,
      VulId: [],
      Type: 0,
      ScanBeginTime: beijingTime(now - 3 * 3600_000),
      ScanEndTime: beijingTime(now - 2 * 3600_000),
      RiskEventCount: 4,
    });
    emulator.alibaba.addAccount({ name: 'shop', ...SHOP, servers: [WEB_01, DB_01, CACHE_01] });
    emulator.alibaba.pinTaskStatus('shop', DB_01.uuid, subtaskAnswer(''));
    emulator.alibaba.pinTaskStatus('shop', CACHE_01.uuid, subtaskAnswer('', '0'));

    const config = `
cache: { ttl: 1s, max_stale: 30m }
tencent:
  - name: prod
    endpoint: ${emulator.url}
    credentials: { secret_id: "\${E2E_PROD_ID}", secret_key: "\${E2E_PROD_KEY}" }
  - name: staging
    endpoint: ${emulator.url}
    credentials: { secret_id: "\${E2E_STAGING_ID}", secret_key: "\${E2E_STAGING_KEY}" }
alibaba:
  - name: shop
    region: cn-shanghai
    endpoint: ${emulator.url}
    credentials: { access_key_id: "\${E2E_SHOP_ID}", access_key_secret: "\${E2E_SHOP_SECRET}" }
`;
    writeFileSync(join(dir, 'config.yaml'), config);
    const port = await freePort();
    exporterAddress = `127.0.0.1:${port}`;
    exporter = start(process.execPath, [distMain, `--config.file=${join(dir, 'config.yaml')}`, `--web.listen-address=${exporterAddress}`], {
      env: {
        ...process.env,
        E2E_PROD_ID: PROD.secretId,
        E2E_PROD_KEY: PROD.secretKey,
        E2E_STAGING_ID: STAGING.secretId,
        E2E_STAGING_KEY: STAGING.secretKey,
        E2E_SHOP_ID: SHOP.accessKeyId,
        E2E_SHOP_SECRET: SHOP.accessKeySecret,
      },
    });
    await waitFor('the exporter', async () => ((await fetch(`http://${exporterAddress}/-/ready`)).ok ? true : undefined), {
      describe: exporter.output,
    });

    webhook = await startWebhookReceiver();
    alertmanager = await startAlertmanager(join(dir, 'alertmanager'), alertmanagerConfig(webhook.url));
    writeFileSync(join(dir, 'alerts.yml'), rulesForTest());
    prometheus = await startPrometheus(
      join(dir, 'prometheus'),
      prometheusConfig({ exporter: exporterAddress, alertmanager: new URL(alertmanager.url).host, rulesFile: join(dir, 'alerts.yml') }),
    );
  });

  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await exporter?.stop();
    await webhook?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`# end-to-end stack: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  const alertsNamed = async (name: string, state?: AlertmanagerAlert['status']['state']) =>
    (await alertmanagerAlerts(alertmanager.url)).filter(
      (a) => a.labels['alertname'] === name && (state === undefined || a.status.state === state),
    );

  const waitForAlert = (
    what: string,
    name: string,
    match: (a: AlertmanagerAlert) => boolean,
    state: AlertmanagerAlert['status']['state'] = 'active',
  ) =>
    waitFor(what, async () => (await alertsNamed(name, state)).find(match), {
      timeoutMs: ALERT_WAIT_MS,
      intervalMs: 500,
      describe: describeAll,
    });

  test('Prometheus scrapes the exporter with the example config and gets every account up', async () => {
    const up = await waitFor(
      'three accounts up in Prometheus',
      async () => {
        const samples = await instantQuery(prometheus.url, 'cloudscan_up == 1');
        return samples.length === 3 ? samples : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, describe: describeAll },
    );
    assert.deepEqual(up.map((s) => `${s.metric['provider']}/${s.metric['account']}`).sort(), [
      'alibaba/shop',
      'tencent/prod',
      'tencent/staging',
    ]);
    assert.ok(up.every((s) => s.metric['job'] === 'cloudscan' && s.metric['instance'] === exporterAddress));
  });

  test('a stuck scan, a rotated key, a failing subtask and an offline agent reach Alertmanager and the webhook, with their annotations', async () => {
    emulator.tencent.setSecretKey('staging', 'rotated-in-the-console-000000000001');
    emulator.alibaba.pinTaskStatus('shop', WEB_01.uuid, subtaskAnswer('push_command_failed'));

    const auth = await waitForAlert('CloudscanAuthFailing for staging', 'CloudscanAuthFailing', (a) => a.labels['account'] === 'staging');
    assert.equal(auth.labels['severity'], 'critical');
    assert.equal(auth.labels['code'], 'AuthFailure.SignatureFailure');
    assert.match(auth.annotations['description'] ?? '', /^tencent account staging on 127\.0\.0\.1:\d+ gets AuthFailure\.SignatureFailure/);
    assert.match(auth.annotations['runbook_url'] ?? '', /docs\/runbooks\.md#cloudscanauthfailing$/);
    // The rule holds at the very scrape that first showed the refused refresh: the account's state,
    // not an increase() that needs a second sample of a new counter series.
    const [firstScrape] = await sampleTimes(prometheus.url, 'cloudscan_last_refresh_error{account="staging",class="auth"}', '10m');
    assert.ok(firstScrape !== undefined, 'Prometheus has the refused refresh of staging');
    const authRule = alertGroups(parseAlertSettings(readFileSync(thresholdsPath, 'utf8')))
      .flatMap((group) => group.rules.filter(isAlert))
      .find((rule) => rule.alert === 'CloudscanAuthFailing');
    const atFirstScrape = await instantQuery(prometheus.url, authRule!.expr, firstScrape);
    assert.deepEqual(
      atFirstScrape.map((sample) => sample.metric['account']),
      ['staging'],
      'CloudscanAuthFailing holds at the first scrape showing the error',
    );

    const stuck = await waitForAlert('CloudscanCwpScanStuck for prod Vul', 'CloudscanCwpScanStuck', (a) => a.labels['account'] === 'prod');
    assert.equal(stuck.labels['module'], 'Vul');
    assert.equal(stuck.labels['state'], 'scanning');
    assert.match(
      stuck.annotations['description'] ?? '',
      /^The scan of module Vul of Tencent account prod started 7h 0m \d+s ago and is still scanning \(threshold 6h\)\.$/,
    );

    // prod's completed Malware task missed 2 of its 10 hosts (one offline, one timed out): 20%, over 10%.
    const missed = await waitForAlert(
      'CloudscanCwpHostsMissed for prod Malware',
      'CloudscanCwpHostsMissed',
      (a) => a.labels['account'] === 'prod' && a.labels['module'] === 'Malware',
    );
    assert.equal(missed.labels['severity'], 'warning');
    assert.match(
      missed.annotations['description'] ?? '',
      /^The latest completed scan of module Malware of Tencent account prod failed on 20% of its hosts \(threshold 10%\)/,
    );
    assert.equal(
      (await alertsNamed('CloudscanCwpHostsMissed')).some((a) => a.labels['module'] === 'Vul' && a.labels['account'] === 'prod'),
      false,
      'the running Vul scan is not judged',
    );
    const hosts = await instantQuery(prometheus.url, 'cloudscan_cwp_host_scan_failure{account="prod", module="Malware"} == 1');
    assert.deepEqual(hosts.map((h) => h.metric['reason']).sort(), ['offline', 'timeout']);

    const failed = await waitForAlert(
      'CloudscanSasSubtaskFailed for web-01',
      'CloudscanSasSubtaskFailed',
      (a) => a.labels['uuid'] === WEB_01.uuid,
    );
    assert.equal(failed.labels['code'], 'push_command_failed');
    assert.equal(failed.labels['exported_instance'], 'web-01');
    assert.equal(
      failed.annotations['description'],
      `The cve subtask of task e2e-task-1 on server web-01 (${WEB_01.uuid}) of Alibaba account shop reports error code push_command_failed.`,
    );
    assert.deepEqual(await alertsNamed('CloudscanSasSubtaskFailed'), [failed], 'db-01 completed without a code');

    const offline = await waitForAlert(
      'CloudscanSasAgentOffline for cache-01',
      'CloudscanSasAgentOffline',
      (a) => a.labels['uuid'] === CACHE_01.uuid,
    );
    assert.equal(offline.labels['exported_instance'], 'cache-01');
    assert.equal(
      offline.annotations['description'],
      `The Security Center agent on server cache-01 (${CACHE_01.uuid}) of Alibaba account shop has been offline for 1h: no vulnerability check can run there until it is back online.`,
    );
    assert.deepEqual(await alertsNamed('CloudscanSasAgentOffline'), [offline], 'web-01 and db-01 are online');

    // The account is down too, but the auth failure explains it: the example config inhibits it.
    const down = await waitForAlert(
      'CloudscanAccountDown for staging',
      'CloudscanAccountDown',
      (a) => a.labels['account'] === 'staging',
      'suppressed',
    );
    assert.ok(down.status.inhibitedBy.length > 0);
    assert.deepEqual(await alertsNamed('CloudscanAccountDown', 'active'), []);

    const notified = await waitFor(
      'the webhook to be notified of all four',
      async () => {
        const names = new Set(
          webhook.notifications.filter((n) => n.status === 'firing').flatMap((n) => n.alerts.map((a) => a.labels['alertname'])),
        );
        return ['CloudscanAuthFailing', 'CloudscanCwpScanStuck', 'CloudscanSasSubtaskFailed', 'CloudscanSasAgentOffline'].every((n) =>
          names.has(n),
        )
          ? names
          : undefined;
      },
      { timeoutMs: ALERT_WAIT_MS, intervalMs: 500, describe: describeAll },
    );
    assert.equal(notified.has('CloudscanAccountDown'), false, 'an inhibited alert is not notified');
  });

  /** A dashboard query as Grafana sends it with every variable at "All". */
  const substitute = (expr: string) => {
    const variables: Record<string, string> = {
      job: 'cloudscan',
      instance: exporterAddress,
      provider: '.*',
      account: '.*',
      __rate_interval: '15s',
      __interval: '1s',
      __range: '1m',
    };
    return expr.replace(
      /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g,
      (whole, braced: string | undefined, bare: string | undefined) => variables[braced ?? bare ?? ''] ?? whole,
    );
  };
  const dashboard = () => JSON.parse(readFileSync(join(repoRoot, 'grafana', 'dashboards', 'cloudscan.json'), 'utf8')) as unknown;

  test('every query of every dashboard panel and variable returns data', async () => {
    const queries = dashboardQueries(dashboard());
    assert.ok(queries.length >= 20, `only ${queries.length} queries found`);
    const empty: string[] = [];
    for (const { where, expr } of queries) {
      const query = substitute(expr);
      assert.doesNotMatch(query, /\$/, `${where}: a variable is left in ${query}`);
      const labelValuesCall = /^label_values\((.+),\s*(\w+)\)$/.exec(query.trim());
      const found = labelValuesCall
        ? (await labelValues(prometheus.url, labelValuesCall[1]!, labelValuesCall[2]!)).length
        : (await instantQuery(prometheus.url, query)).length;
      if (found === 0) empty.push(`${where}: ${query}`);
    }
    assert.deepEqual(empty, [], 'queries without data');

    // The "Servers missed" panels show the offline agent with what identifies it.
    const offlineTable = queries.find((q) => q.where.startsWith('panel "Offline agents" '));
    assert.ok(offlineTable, 'the "Offline agents" table');
    const rows = await instantQuery(prometheus.url, substitute(offlineTable.expr));
    assert.deepEqual(
      rows.map((r) => [r.metric['account'], r.metric['exported_instance'], r.metric['uuid'], r.metric['instance_id'], r.metric['ip']]),
      [['shop', 'cache-01', CACHE_01.uuid, CACHE_01.instanceId, CACHE_01.ip]],
    );
    const perAccount = queries.find((q) => q.where.startsWith('panel "Offline agents per account" '));
    assert.deepEqual(
      (await instantQuery(prometheus.url, substitute(perAccount!.expr))).map((r) => [r.metric['account'], r.value[1]]),
      [['shop', '1']],
    );

    // The "Coverage" row: both clouds' servers without a working agent, and the share of running servers with one
    // (staging's last good data is still served while its key is rotated).
    const uncovered = queries.find((q) => q.where.startsWith('panel "Servers without a working agent" '));
    const uncoveredRows = await instantQuery(prometheus.url, substitute(uncovered!.expr));
    assert.deepEqual(
      uncoveredRows
        .map((r) => `${r.metric['provider']}/${r.metric['account']} ${r.metric['exported_instance']}: ${r.metric['coverage']}`)
        .sort(),
      [
        'alibaba/shop cache-01: agent_offline',
        'tencent/prod prod-cvm-004: agent_offline',
        'tencent/prod prod-offline-long-002: agent_offline',
        'tencent/prod prod-uninstalled-001: agent_missing',
        'tencent/staging staging-cvm-004: agent_offline',
        'tencent/staging staging-offline-long-002: agent_offline',
        'tencent/staging staging-uninstalled-001: agent_missing',
      ],
    );
    assert.ok(
      uncoveredRows.every((r) => Number(r.value[1]) >= 0 && Number(r.value[1]) < 600),
      'uncovered for as long as the exporter has run',
    );
    const ratio = queries.find((q) => q.where.startsWith('panel "Coverage ratio per account" '));
    assert.deepEqual(
      (await instantQuery(prometheus.url, substitute(ratio!.expr))).map((r) => [r.metric['account'], Number(r.value[1]).toFixed(3)]).sort(),
      [
        ['prod', (11 / 14).toFixed(3)],
        ['shop', (2 / 3).toFixed(3)],
        ['staging', (11 / 14).toFixed(3)],
      ],
    );
    const recorded = await instantQuery(prometheus.url, 'account:cloudscan_servers_protected:ratio');
    assert.deepEqual(recorded.map((r) => [r.metric['account'], Number(r.value[1]).toFixed(3)]).sort(), [
      ['prod', (11 / 14).toFixed(3)],
      ['shop', (2 / 3).toFixed(3)],
      ['staging', (11 / 14).toFixed(3)],
    ]);
  });

  test('when the faults are cleared, the alerts resolve in Alertmanager and the webhook hears it', async () => {
    emulator.tencent.setSecretKey('staging', STAGING.secretKey);
    emulator.tencent.pinScanState('prod', 'Vul', undefined, {
      ScanState: 2,
      Schedule: 100,
      TaskId: 7001,
      VulId: [1, 2],
      Type: 1,
      ScanBeginTime: beijingTime(Date.now() - 7 * 3600_000),
      ScanEndTime: beijingTime(Date.now()),
      RiskEventCount: 2,
    });
    emulator.alibaba.pinTaskStatus('shop', WEB_01.uuid, subtaskAnswer(''));
    emulator.alibaba.setClientStatus('shop', CACHE_01.uuid, 'online');

    const names = [
      'CloudscanAuthFailing',
      'CloudscanCwpScanStuck',
      'CloudscanSasSubtaskFailed',
      'CloudscanSasAgentOffline',
      'CloudscanAccountDown',
    ];
    await waitFor(
      'the alerts to leave Alertmanager',
      async () => {
        const left = (await alertmanagerAlerts(alertmanager.url)).filter((a) => names.includes(a.labels['alertname'] ?? ''));
        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: ALERT_WAIT_MS, intervalMs: 500, describe: describeAll },
    );
    const resolved = await waitFor(
      'resolved notifications for the four',
      async () => {
        const seen = new Set(
          webhook.notifications.flatMap((n) => n.alerts.filter((a) => a.status === 'resolved').map((a) => a.labels['alertname'])),
        );
        return names.slice(0, 4).every((n) => seen.has(n)) ? seen : undefined;
      },
      { timeoutMs: ALERT_WAIT_MS, intervalMs: 500, describe: describeAll },
    );
    assert.ok(resolved.size >= 4);
    const up = await instantQuery(prometheus.url, 'cloudscan_up{account="staging"}');
    assert.equal(up[0]?.value[1], '1');
  });

  test('when the exporter stops, a down account stays alerted: no resolve reaches Alertmanager before or while CloudscanExporterDown fires', async () => {
    emulator.faults.add({ provider: 'tencent', account: 'staging', fault: { kind: 'error', code: 'InternalError' } });
    const isStaging = (a: { labels: Record<string, string> }) =>
      a.labels['alertname'] === 'CloudscanAccountDown' && a.labels['account'] === 'staging';
    await waitForAlert('CloudscanAccountDown for staging', 'CloudscanAccountDown', isStaging);
    await waitFor(
      'the webhook to be notified of it',
      async () => (webhook.notifications.some((n) => n.alerts.some((a) => a.status === 'firing' && isStaging(a))) ? true : undefined),
      { timeoutMs: ALERT_WAIT_MS, intervalMs: 500, describe: describeAll },
    );

    // Watch Alertmanager from the moment the exporter stops: a resolved alert leaves its list.
    const notifiedBefore = webhook.notifications.length;
    const missing: string[] = [];
    let watching = true;
    const watch = (async () => {
      let count = 0;
      while (watching) {
        const alerts = await alertmanagerAlerts(alertmanager.url);
        const down = alerts.find(isStaging);
        if (down === undefined) missing.push(`look ${count}: CloudscanAccountDown for staging is not in Alertmanager`);
        else if (Date.parse(down.endsAt) <= Date.now())
          missing.push(`look ${count}: CloudscanAccountDown for staging ended at ${down.endsAt}`);
        count++;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return count;
    })();

    let looks: number;
    let exporterDown: AlertmanagerAlert;
    const stoppedAt = Date.now();
    try {
      await exporter.stop('SIGTERM');
      exporterDown = await waitForAlert('CloudscanExporterDown', 'CloudscanExporterDown', (a) => a.labels['instance'] === exporterAddress);
      assert.ok(Date.now() - stoppedAt >= EXPORTER_DOWN_FOR_S * 1000, 'CloudscanExporterDown fired before its for');
      // While it fires, the held alert goes on being sent as firing (and is inhibited): five evaluations more.
      const firedAt = Date.now();
      await waitFor(
        'five more evaluations of the account rules',
        async () => ((await ruleGroupLastEvaluation(prometheus.url, 'cloudscan-accounts')) >= firedAt + 5000 ? true : undefined),
        { timeoutMs: ALERT_WAIT_MS, intervalMs: 250, describe: describeAll },
      );
    } finally {
      watching = false;
      looks = await watch;
    }

    assert.ok(looks >= 5, `Alertmanager was looked at only ${looks} times`);
    assert.deepEqual(missing, [], 'CloudscanAccountDown was resolved while the exporter was down');
    const held = (await alertsNamed('CloudscanAccountDown')).find(isStaging);
    assert.equal(held?.status.state, 'suppressed', 'CloudscanExporterDown inhibits the held alert');
    assert.deepEqual(held?.status.inhibitedBy.length, 1);
    assert.match(held?.annotations['description'] ?? '', /Prometheus cannot scrape the exporter now: this is what it last reported\.$/);
    assert.equal(exporterDown.labels['severity'], 'critical');
    // The overview's stats show no data for the outage, never a reassuring 0.
    const overview = (dashboard() as { panels: { type: string; title: string; targets?: { expr: string }[] }[] }).panels.filter(
      (p) => p.type === 'stat',
    );
    for (const panel of overview) {
      for (const target of panel.targets ?? []) {
        assert.deepEqual(
          await instantQuery(prometheus.url, substitute(target.expr)),
          [],
          `"${panel.title}" shows a value while the exporter is down`,
        );
      }
    }
    const resolves = webhook.notifications
      .slice(notifiedBefore)
      .flatMap((n) => n.alerts.filter((a) => a.status === 'resolved' && a.labels['alertname'] !== 'CloudscanExporterDown'));
    assert.deepEqual(
      resolves.map((a) => `${a.labels['alertname']} ${a.labels['account'] ?? ''}`),
      [],
      'the webhook heard of a resolve',
    );
  });
});
