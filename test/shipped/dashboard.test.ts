// The Grafana dashboard: committed exactly as grafana/dashboard.ts generates it, provisioned where
// docker-compose.yml mounts it, and clean under the lint; each lint rule is shown to catch a
// dashboard that breaks it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { DASHBOARD_UID, buildDashboard, dashboardPath, renderDashboard, type Dashboard, type Row } from '../../grafana/dashboard.js';
import { dashboardQueries, lintDashboard, lintExpression, selectors } from '../support/dashboard-lint.js';
import { repoRoot } from '../support/paths.js';

const committed = readFileSync(dashboardPath, 'utf8');
const copy = (): Dashboard => JSON.parse(committed) as Dashboard;
const firstPanel = (d: Dashboard) => d.panels.find((p) => p.type !== 'row')!;
const panelNamed = (d: Dashboard, title: string) => d.panels.find((p) => p.title === title)!;
const TARGET = 'job=~"$job", instance=~"$instance"';
/** A copy of the dashboard whose panel `title` has its first query replaced by `expr`, and its problems. */
function withExpr(title: string, expr: string): string[] {
  const d = copy();
  panelNamed(d, title).targets![0]!.expr = expr;
  return lintDashboard(d);
}

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
      'CWP scans in progress',
      'SAS subtasks in progress',
      'Failed subtasks',
      'Risk events',
      'Scan state',
      'Scan progress',
      'Time since last completed scan',
      'Last scan duration',
      'Subtasks by state',
      'Failed subtasks by code',
      'Failing servers',
      'Offline agents per account',
      'Offline agents',
      'API requests',
      'API errors by code',
      'API latency',
      'Cache hit ratio',
      'Scrape and refresh duration',
    ]) {
      assert.ok(titles.includes(title), `no panel "${title}"`);
    }
  });

  test('the Security Center agent panels are in the "Servers missed" row, which a second function continues rather than repeats', () => {
    const panels = copy().panels;
    const rowOf = (title: string) =>
      panels.filter((p) => p.type === 'row' && p.gridPos.y <= panels.find((q) => q.title === title)!.gridPos.y).at(-1)!.title;
    assert.equal(rowOf('Offline agents per account'), 'Servers missed');
    assert.equal(rowOf('Offline agents'), 'Servers missed');
    assert.equal(panels.filter((p) => p.title === 'Servers missed').length, 1);
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
    assert.deepEqual(
      datasources.datasources.map((d) => [d.type, d.url]),
      [['prometheus', 'http://prometheus:9090']],
    );
  });

  test('the lint reads every selector of its queries, and only those', () => {
    const names = (expr: string) => selectors(expr).map((s) => s.name);
    assert.deepEqual(names(panelNamed(copy(), 'Scan state').targets![0]!.expr), [
      ...Array(6).fill('cloudscan_cwp_scan_state'),
      'cloudscan_up',
    ]);
    assert.deepEqual(names(panelNamed(copy(), 'Failed subtasks').targets![0]!.expr), [
      'cloudscan_sas_vul_check_subtask_failed',
      'cloudscan_up',
      'cloudscan_sas_vul_check_subtasks',
      'cloudscan_up',
    ]);
    assert.deepEqual(names(panelNamed(copy(), 'Cache hit ratio').targets![0]!.expr), [
      'cloudscan_cache_hits_total',
      'cloudscan_cache_requests_total',
    ]);
    assert.deepEqual(
      names(
        'time() - max without (module) (a{x="}"} offset 5m) and on (job) b unless ignoring(le) group_left (c) sum(d[1h:5m]) > bool 1e3',
      ),
      ['a', 'b', 'd'],
    );
    // Grafana's interval variables stand where PromQL has a duration; a quoted name inside the braces is the metric name.
    assert.deepEqual(selectors('rate(x_total{a="b"}[$__rate_interval])'), [
      {
        name: 'x_total',
        text: 'x_total{a="b"}',
        matchers: [{ label: 'a', op: '=', value: 'b' }],
        range: '$__rate_interval',
        inFunction: 'rate',
      },
    ]);
    assert.deepEqual(names('{"cloudscan_up", job=~"$job"} or {__name__="cloudscan_build_info"}'), ['cloudscan_up', 'cloudscan_build_info']);
  });

  test('lists every panel and variable query for the end-to-end test', () => {
    const queries = dashboardQueries(copy());
    const targets = copy().panels.flatMap((p) => p.targets ?? []).length;
    assert.equal(queries.length, targets + 4, 'every target and the four query variables');
    assert.ok(queries.some((q) => q.where === 'variable account' && q.expr.startsWith('label_values(cloudscan_up{')));
  });
});

/** The colour Grafana gives `value` under a panel's thresholds (the last step at or below it). */
function colour(steps: { color: string; value: number | null }[], value: number): string {
  return steps.filter((step) => step.value === null || value >= step.value).at(-1)!.color;
}
type Steps = { color: string; value: number | null }[];
const stepsOf = (title: string): Steps => (panelNamed(copy(), title).fieldConfig!.defaults['thresholds'] as { steps: Steps }).steps;

describe('what the panels show', () => {
  test('"Accounts up" turns red on one account down, and when none is up', () => {
    const panel = panelNamed(copy(), 'Accounts up');
    assert.deepEqual(
      panel.targets!.map((t) => t.legendFormat),
      ['up', 'down'],
    );
    const down = (panel.fieldConfig!.overrides as { matcher: { options: string }; properties: { value: { steps: Steps } }[] }[]).find(
      (o) => o.matcher.options === 'B',
    )!;
    const downSteps = down.properties[0]!.value.steps;
    assert.equal(colour(downSteps, 0), 'green');
    assert.equal(colour(downSteps, 1), 'red');
    assert.equal(colour(stepsOf('Accounts up'), 0), 'red', 'no account up');
    assert.equal(colour(stepsOf('Accounts up'), 3), 'green');
  });

  test('duration panels turn orange and red where the alerts would fire, not at 80 s', () => {
    assert.equal(colour(stepsOf('Last scan duration'), 80), 'green');
    assert.equal(colour(stepsOf('Last scan duration'), 3 * 3600), 'orange');
    assert.equal(colour(stepsOf('Last scan duration'), 6 * 3600), 'red', 'cwp_scan_stuck_after');
    assert.equal(colour(stepsOf('Last successful refresh'), 14 * 60), 'green');
    assert.equal(colour(stepsOf('Last successful refresh'), 15 * 60), 'orange', 'account_down_for');
    assert.equal(colour(stepsOf('Last successful refresh'), 3600), 'red', 'data_stale_after');
    assert.equal(colour(stepsOf('Time since last completed scan'), 2 * 86_400), 'red', 'cwp_scan_overdue_after');
    assert.equal(colour(stepsOf('Failed subtasks'), 1), 'red');
    assert.equal(colour(stepsOf('Risk events'), 1), 'orange');
  });

  test('CWP scans and SAS subtasks in progress are counted apart', () => {
    for (const [title, family] of [
      ['CWP scans in progress', 'cloudscan_cwp_scan_state'],
      ['SAS subtasks in progress', 'cloudscan_sas_vul_check_subtasks'],
    ] as const) {
      const names = panelNamed(copy(), title).targets!.flatMap((t) => selectors(t.expr).map((s) => s.name));
      assert.deepEqual([...new Set(names)], [family, 'cloudscan_up'], title);
    }
  });

  test('the provider variable filters every panel that shows exporter series, the scan panels too', () => {
    const progress = panelNamed(copy(), 'Scan progress').targets![0]!.expr;
    assert.match(
      progress,
      /and on \(job, instance, account\) cloudscan_up\{[^}]*provider="tencent", provider=~"\$provider", account=~"\$account"\}/,
    );
    const failing = panelNamed(copy(), 'Failing servers').targets![0]!.expr;
    assert.match(failing, /cloudscan_up\{[^}]*provider="alibaba", provider=~"\$provider"/);
  });

  test('"Failed subtasks" is 0 only where there are subtasks to count, never for an outage', () => {
    const expr = panelNamed(copy(), 'Failed subtasks').targets![0]!.expr;
    assert.doesNotMatch(expr, /vector\(/);
    assert.match(expr, /or on \(\)\n0 \* sum\(\(cloudscan_sas_vul_check_subtasks\{/);
  });
});

describe('the dashboard lint catches', () => {
  test("a stat or bar gauge left with Grafana's default thresholds", () => {
    const d = copy();
    for (const title of ['Risk events', 'Last scan duration']) delete panelNamed(d, title).fieldConfig!.defaults['thresholds'];
    const problems = lintDashboard(d);
    assert.ok(problems.includes('panel "Risk events": no explicit thresholds'));
    assert.ok(problems.includes('panel "Last scan duration": no explicit thresholds'));
  });

  test('a scan panel the provider variable does not filter', () => {
    assert.ok(
      withExpr('Scan progress', `cloudscan_cwp_scan_progress_ratio{${TARGET}, account=~"$account"}`).includes(
        'panel "Scan progress" A: exporter series are selected without the provider variable',
      ),
    );
  });

  test('a constant that shows "0 failed" when there is no data', () => {
    const expr = `sum(cloudscan_sas_vul_check_subtask_failed{${TARGET}, account=~"$account"} and on (job, instance, account) cloudscan_up{${TARGET}, provider=~"$provider", account=~"$account"}) or on () vector(0)`;
    assert.ok(
      withExpr('Failed subtasks', expr).includes('panel "Failed subtasks" A: a constant vector() shows a number where there is no data'),
    );
  });

  test('a stat that counts CWP scans and SAS subtasks together', () => {
    const d = copy();
    const cwp = panelNamed(d, 'CWP scans in progress');
    const sas = panelNamed(d, 'SAS subtasks in progress');
    cwp.targets = [...cwp.targets!, { ...sas.targets![0]!, refId: 'B' }];
    assert.ok(lintDashboard(d).includes('panel "CWP scans in progress": counts tencent and alibaba scans in one stat'));
  });

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

  test('a selector without job or instance, and a bare metric name', () => {
    const sel = (extra: string) => `sum(cloudscan_up{${extra}provider=~"$provider", account=~"$account"})`;
    assert.deepEqual(lintExpression(sel(`${TARGET}, `)), []);
    assert.equal(lintExpression(sel('job=~"$job", ')).length, 1);
    assert.equal(lintExpression(sel('instance=~"$instance", ')).length, 1);
    assert.equal(lintExpression(sel('exported_job=~"$job", exported_instance=~"$instance", ')).length, 1);
    assert.ok(
      withExpr('Accounts up', sel('job=~"$job", ')).includes(
        'panel "Accounts up" A: cloudscan_up is selected without job=~"$job" and instance=~"$instance"',
      ),
    );
    // A bare name has no braces, so no matchers; whatever its name, not just the exporter's.
    assert.match(withExpr('Accounts up', 'sum(cloudscan_build_info)').join(), /cloudscan_build_info is selected without job/);
    assert.match(withExpr('Accounts up', 'count(up) by (job)').join(), /"Accounts up" A: up is selected without job/);
    assert.match(withExpr('Accounts up', 'sum({__name__="cloudscan_up"})').join(), /\{__name__="cloudscan_up"\} is selected without job/);
    assert.match(withExpr('Accounts up', 'vector(1)').join(), /selects no series/);
  });

  test('an exporter series without account or provider when it has that label', () => {
    assert.ok(
      withExpr('Risk events', `sum(cloudscan_cwp_scan_risk_events{${TARGET}})`).includes(
        'panel "Risk events" A: cloudscan_cwp_scan_risk_events has a account label but is selected without account=~"$account"',
      ),
    );
    const problems = withExpr('Accounts up', `sum(cloudscan_up{${TARGET}})`);
    assert.ok(problems.some((p) => p.includes('cloudscan_up has a provider label')));
    assert.ok(problems.some((p) => p.includes('cloudscan_up has a account label')));
    // The histogram has provider but no account: its _bucket series needs only provider.
    const bucket = (m: string) =>
      `histogram_quantile(0.9, sum by (le) (rate(cloudscan_api_request_duration_seconds_bucket{${m}}[$__rate_interval])))`;
    assert.deepEqual(lintExpression(bucket(`${TARGET}, provider=~"$provider"`)), []);
    assert.match(lintExpression(bucket(TARGET)).join(), /_bucket has a provider label/);
  });

  test('an expression that does not parse as PromQL, whatever its selectors', () => {
    const good = `sum(cloudscan_up{${TARGET}, provider=~"$provider", account=~"$account"})`;
    assert.deepEqual(lintExpression(good), []);
    assert.deepEqual(lintExpression(`${good})`), ['does not parse as PromQL at character 98: ")"']);
    assert.deepEqual(lintExpression(good.slice(0, -1)), ['does not parse as PromQL at character 97: it ends too early']);
    assert.match(
      lintExpression(`rates(cloudscan_api_requests_total{${TARGET}}[$__rate_interval])`).join(),
      /does not parse as PromQL at character 6/,
    );
    assert.match(lintExpression('sum(up{job=$job, instance=~"$instance"})').join(), /does not parse as PromQL at character 12: "\$job/);
    assert.ok(withExpr('Accounts up', `${good})`).includes('panel "Accounts up" A: does not parse as PromQL at character 98: ")"'));
  });

  test('a cloudscan_ metric that families.ts does not define', () => {
    assert.ok(
      withExpr('Risk events', `sum(cloudscan_cwp_scan_risks{${TARGET}, account=~"$account"})`).includes(
        'panel "Risk events" A: cloudscan_cwp_scan_risks is not a metric of src/metrics/families.ts',
      ),
    );
  });

  test('a counter outside rate or increase over $__rate_interval', () => {
    const sel = `{${TARGET}, provider=~"$provider", account=~"$account"}`;
    assert.deepEqual(lintExpression(`rate(cloudscan_api_requests_total${sel}[$__rate_interval])`), []);
    assert.deepEqual(lintExpression(`increase(cloudscan_api_errors_total${sel}[$__range])`), []);
    assert.match(lintExpression(`cloudscan_api_requests_total${sel}`).join(), /not inside rate/);
    assert.match(lintExpression(`rate(cloudscan_api_requests_total${sel}[5m])`).join(), /not inside rate/);
    assert.match(lintExpression(`irate(cloudscan_api_requests_total${sel}[$__rate_interval])`).join(), /not inside rate/);
    const bucket = `{${TARGET}, provider=~"$provider"}`;
    assert.match(lintExpression(`rate(cloudscan_api_request_duration_seconds_bucket${bucket}[1m])`).join(), /not inside rate/);
    assert.ok(
      withExpr('API requests', `sum(cloudscan_api_requests_total${sel})`).includes(
        'panel "API requests" A: counter cloudscan_api_requests_total is not inside rate() or increase() over [$__rate_interval]',
      ),
    );
  });

  test('a query variable or a target on another datasource', () => {
    const d = copy();
    d.templating.list.find((v) => v.name === 'account')!.datasource = {
      type: 'prometheus',
      uid: 'prometheus',
    } as unknown as Dashboard['templating']['list'][number]['datasource'];
    const panel = panelNamed(d, 'API latency');
    panel.targets![1]!.datasource = { type: 'prometheus', uid: 'prometheus' } as unknown as typeof panel.datasource & object;
    const problems = lintDashboard(d);
    assert.ok(problems.includes('variable account: datasource is not the ${datasource} variable'));
    assert.ok(problems.includes('panel "API latency" B: datasource is not the ${datasource} variable'));
  });

  test('a broken panel inside a collapsed row', () => {
    const d = copy();
    const row = d.panels.find((p): p is Row => p.type === 'row' && p.title === 'Exporter health')!;
    const panel = panelNamed(d, 'Cache hit ratio');
    d.panels = d.panels.filter((p) => p !== panel);
    row.collapsed = true;
    row.panels = [{ ...panel, description: '', targets: [{ ...panel.targets![0]!, expr: 'cloudscan_cache_hits_total' }] }];
    const problems = lintDashboard(d);
    assert.ok(problems.includes('panel "Cache hit ratio": no description'));
    assert.ok(problems.some((p) => p.startsWith('panel "Cache hit ratio" A: counter cloudscan_cache_hits_total')));
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
