// The rules a Grafana dashboard of this project keeps, checked on the JSON as Grafana reads it:
// a fixed uid, a datasource variable used by every panel, job and instance variables honoured by
// every selector, counters only under rate/increase over $__rate_interval, a unit and a
// description on every panel, no overlapping panels.

interface LooseTarget {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
}

interface LoosePanel {
  id?: number;
  type?: string;
  title?: string;
  description?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: LooseTarget[];
  fieldConfig?: { defaults?: { unit?: string } };
  panels?: LoosePanel[];
}

interface LooseVariable {
  name?: string;
  type?: string;
  query?: string | { query?: string };
}

interface LooseDashboard {
  uid?: string;
  panels?: LoosePanel[];
  templating?: { list?: LooseVariable[] };
}

export const REQUIRED_ROWS = ['Overview', 'Tencent CWP', 'Alibaba SAS', 'Exporter health'];
const DATASOURCE_UID = '${datasource}';
/** Series names the dashboard may select: the exporter's and Prometheus' own per-target ones. */
const METRIC = /\b((?:cloudscan|scrape|process|nodejs)_[a-zA-Z0-9_:]*)(\s*\{[^}]*\})?/g;
const COUNTER = /_(total|bucket)$/;

function allPanels(dashboard: LooseDashboard): LoosePanel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

function variableQuery(variable: LooseVariable): string | undefined {
  return typeof variable.query === 'string' ? variable.query : variable.query?.query;
}

/** Every query of the dashboard: each panel target's expr and each query variable's query. */
export function dashboardQueries(dashboard: unknown): { where: string; expr: string }[] {
  const d = dashboard as LooseDashboard;
  const out: { where: string; expr: string }[] = [];
  for (const panel of allPanels(d)) {
    for (const target of panel.targets ?? []) {
      if (target.expr !== undefined) out.push({ where: `panel "${panel.title}" ${target.refId ?? ''}`.trim(), expr: target.expr });
    }
  }
  for (const variable of d.templating?.list ?? []) {
    const query = variableQuery(variable);
    if (variable.type === 'query' && query !== undefined) out.push({ where: `variable ${variable.name}`, expr: query });
  }
  return out;
}

/** Problems with one panel expression: selectors without job/instance, counters outside rate/increase. */
export function lintExpression(expr: string): string[] {
  const problems: string[] = [];
  for (const match of expr.matchAll(METRIC)) {
    const [whole, name, braces] = match;
    if (braces === undefined || !braces.includes('job=~"$job"') || !braces.includes('instance=~"$instance"')) {
      problems.push(`${name} is selected without job=~"$job" and instance=~"$instance"`);
    }
    if (COUNTER.test(name!)) {
      const before = expr.slice(0, match.index).trimEnd();
      const after = expr.slice(match.index! + whole.length).trimStart();
      if (!/\b(rate|increase)\($/.test(before) || !/^\[\$__(rate_interval|range)\]/.test(after)) {
        problems.push(`counter ${name} is not inside rate() or increase() over [$__rate_interval]`);
      }
    }
  }
  return problems;
}

function overlaps(a: LoosePanel['gridPos'], b: LoosePanel['gridPos']): boolean {
  if (!a || !b) return false;
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function lintDashboard(dashboard: unknown): string[] {
  const d = dashboard as LooseDashboard;
  const problems: string[] = [];
  if (typeof d.uid !== 'string' || d.uid === '') problems.push('no fixed uid');

  const variables = d.templating?.list ?? [];
  const datasource = variables.find((v) => v.name === 'datasource');
  if (datasource?.type !== 'datasource' || variableQuery(datasource) !== 'prometheus') problems.push('no "datasource" variable of type datasource for prometheus');
  for (const name of ['job', 'instance']) {
    if (!variables.some((v) => v.name === name && v.type === 'query')) problems.push(`no "${name}" query variable`);
  }

  const panels = allPanels(d);
  const rows = panels.filter((p) => p.type === 'row').map((p) => p.title);
  for (const row of REQUIRED_ROWS) if (!rows.includes(row)) problems.push(`no "${row}" row`);

  const ids = new Set<number>();
  for (const panel of panels) {
    const name = `panel "${panel.title ?? panel.id}"`;
    if (panel.id === undefined || ids.has(panel.id)) problems.push(`${name}: missing or duplicate id`);
    else ids.add(panel.id);
    if (panel.type === 'row') continue;
    if (!panel.description?.trim()) problems.push(`${name}: no description`);
    if (!panel.fieldConfig?.defaults?.unit) problems.push(`${name}: no unit`);
    if (panel.datasource?.uid !== DATASOURCE_UID) problems.push(`${name}: datasource is not the \${datasource} variable`);
    if ((panel.targets ?? []).length === 0) problems.push(`${name}: no query`);
    for (const target of panel.targets ?? []) {
      if (target.datasource !== undefined && target.datasource.uid !== DATASOURCE_UID) problems.push(`${name} ${target.refId}: datasource is not the \${datasource} variable`);
      for (const problem of lintExpression(target.expr ?? '')) problems.push(`${name} ${target.refId}: ${problem}`);
    }
  }

  for (let i = 0; i < panels.length; i++) {
    for (let j = i + 1; j < panels.length; j++) {
      if (overlaps(panels[i]!.gridPos, panels[j]!.gridPos)) problems.push(`panels "${panels[i]!.title}" and "${panels[j]!.title}" overlap`);
    }
  }
  return problems;
}
