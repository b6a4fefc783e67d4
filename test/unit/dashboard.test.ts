// The Grafana dashboard: committed exactly as grafana/dashboard.ts generates it, provisioned where
// docker-compose.yml mounts it, and clean under the lint; each lint rule is shown to catch a
// dashboard that breaks it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { DASHBOARD_UID, buildDashboard, dashboardPath, renderDashboard, type Dashboard } from '../../grafana/dashboard.js';
import { dashboardQueries, lintDashboard, lintExpression } from '../support/dashboard-lint.js';
import { repoRoot } from '../support/paths.js';

const committed = readFileSync(dashboardPath, 'utf8');
const copy = (): Dashboard => JSON.parse(committed) as Dashboard;
const firstPanel = (d: Dashboard) => d.panels.find((p) => p.type !== 'row')!;

describe('grafana/dashboards/cloudscan.json', () => {
  test('is exactly what grafana/dashboard.ts generates', () => {
    assert.equal(committed, renderDashboard(), 'the dashboard JSON is out of date: run `npm run dashboard` and commit it');
  });

  test('passes the lint', () => {
    assert.deepEqual(lintDashboard(buildDashboard()), []);
  });

  test('has a fixed uid and the five variables, in order', () => {
    const dashboard = copy();
    assert.equal(dashboard.uid, DASHBOARD_UID);
    assert.deepEqual(
      dashboard.templating.list.map((v) => v.name),
      ['datasource', 'job', 'instance', 'provider', 'account'],
    );
  });

  test('covers the panels the issue asks for', () => {
    const titles = copy().panels.map((p) => p.title);
    for (const title of [
      'Accounts up',
      'Last successful refresh',
      'Scans in progress',
      'Failed subtasks',
      'Risk events',
      'Scan state',
      'Scan progress',
      'Time since last completed scan',
      'Last scan duration',
      'Subtasks by state',
      'Failed subtasks by code',
      'Failing servers',
      'API requests',
      'API errors by code',
      'API latency',
      'Cache hit ratio',
      'Scrape and refresh duration',
    ]) {
      assert.ok(titles.includes(title), `no panel "${title}"`);
    }
  });

  test('is provisioned from where docker-compose.yml mounts it, with a Prometheus datasource', () => {
    const provider = parse(readFileSync(join(repoRoot, 'grafana', 'provisioning', 'dashboards', 'cloudscan.yml'), 'utf8')) as {
      providers: { type: string; options: { path: string } }[];
    };
    assert.equal(provider.providers[0]?.type, 'file');
    assert.equal(provider.providers[0]?.options.path, '/var/lib/grafana/dashboards');
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    assert.match(compose, /- \.\/grafana\/dashboards:\/var\/lib\/grafana\/dashboards:ro/);
    assert.match(compose, /- \.\/grafana\/provisioning:\/etc\/grafana\/provisioning:ro/);
    const datasources = parse(readFileSync(join(repoRoot, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as {
      datasources: { type: string; url: string }[];
    };
    assert.deepEqual(datasources.datasources.map((d) => [d.type, d.url]), [['prometheus', 'http://prometheus:9090']]);
  });

  test('lists every panel and variable query for the end-to-end test', () => {
    const queries = dashboardQueries(copy());
    const targets = copy().panels.flatMap((p) => p.targets ?? []).length;
    assert.equal(queries.length, targets + 4, 'every target and the four query variables');
    assert.ok(queries.some((q) => q.where === 'variable account' && q.expr.startsWith('label_values(cloudscan_up{')));
  });
});

describe('the dashboard lint catches', () => {
  test('a missing uid', () => {
    const d = copy();
    d.uid = '';
    assert.ok(lintDashboard(d).includes('no fixed uid'));
  });

  test('a missing datasource, job or instance variable', () => {
    const d = copy();
    d.templating.list = d.templating.list.filter((v) => v.name === 'provider' || v.name === 'account');
    const problems = lintDashboard(d);
    assert.ok(problems.some((p) => p.includes('"datasource" variable')));
    assert.ok(problems.includes('no "job" query variable'));
    assert.ok(problems.includes('no "instance" query variable'));
  });

  test('a panel without a description, a unit, or the datasource variable', () => {
    const d = copy();
    const panel = firstPanel(d);
    delete panel.description;
    panel.fieldConfig = { defaults: {}, overrides: [] };
    panel.datasource = { type: 'prometheus', uid: 'prometheus' } as unknown as typeof panel.datasource;
    const problems = lintDashboard(d);
    assert.ok(problems.includes(`panel "${panel.title}": no description`));
    assert.ok(problems.includes(`panel "${panel.title}": no unit`));
    assert.ok(problems.includes(`panel "${panel.title}": datasource is not the \${datasource} variable`));
  });

  test('a selector without job and instance, and a bare metric name', () => {
    assert.deepEqual(lintExpression('sum(cloudscan_up{job=~"$job", instance=~"$instance"})'), []);
    assert.equal(lintExpression('sum(cloudscan_up{account=~"$account"})').length, 1);
    assert.equal(lintExpression('cloudscan_up').length, 1);
    assert.equal(lintExpression('sum(cloudscan_up{job=~"$job"})').length, 1);
  });

  test('a counter outside rate or increase over $__rate_interval', () => {
    const sel = '{job=~"$job", instance=~"$instance"}';
    assert.deepEqual(lintExpression(`rate(cloudscan_api_requests_total${sel}[$__rate_interval])`), []);
    assert.deepEqual(lintExpression(`increase(cloudscan_api_errors_total${sel}[$__range])`), []);
    assert.match(lintExpression(`cloudscan_api_requests_total${sel}`).join(), /not inside rate/);
    assert.match(lintExpression(`rate(cloudscan_api_requests_total${sel}[5m])`).join(), /not inside rate/);
    assert.match(lintExpression(`rate(cloudscan_api_request_duration_seconds_bucket${sel}[1m])`).join(), /not inside rate/);
  });

  test('a missing row, overlapping panels and duplicate ids', () => {
    const d = copy();
    d.panels = d.panels.filter((p) => p.title !== 'Alibaba SAS');
    const [a, b] = d.panels.filter((p) => p.type !== 'row');
    b!.gridPos = { ...a!.gridPos };
    b!.id = a!.id;
    const problems = lintDashboard(d);
    assert.ok(problems.includes('no "Alibaba SAS" row'));
    assert.ok(problems.includes(`panels "${a!.title}" and "${b!.title}" overlap`));
    assert.ok(problems.some((p) => p.endsWith('missing or duplicate id')));
  });
});
