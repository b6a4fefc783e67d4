// The rules a Grafana dashboard of this project keeps, checked on the JSON as Grafana reads it:
// a fixed uid; a datasource variable used by every panel, target and query variable; job and
// instance variables honoured by every selector, and account and provider by every exporter series
// that has those labels; only metric names families.ts defines; counters only under rate/increase
// over $__rate_interval; a unit and a description on every panel; the four rows; unique ids; no
// overlapping panels; the provider variable in every query of exporter series (a scan family, which
// has no provider label, through a join on cloudscan_up); explicit thresholds on every stat and bar
// gauge; no constant such as vector(0) that would show a number when there is no data; no stat
// panel counting two clouds' scans together. test/unit/dashboard.test.ts shows each rule catching a
// broken dashboard.
import { ALL_FAMILIES, CWP, SAS } from '../../src/metrics/families.js';

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
  fieldConfig?: { defaults?: { unit?: string; thresholds?: { steps?: { color?: string; value?: number | null }[] } } };
  panels?: LoosePanel[];
}

interface LooseVariable {
  name?: string;
  type?: string;
  datasource?: { uid?: string };
  query?: string | { query?: string };
}

interface LooseDashboard {
  uid?: string;
  panels?: LoosePanel[];
  templating?: { list?: LooseVariable[] };
}

export const REQUIRED_ROWS = ['Overview', 'Tencent CWP', 'Alibaba SAS', 'Exporter health'];
const DATASOURCE_UID = '${datasource}';
/** Panels whose colour is their thresholds': Grafana's default (green, red from 80) means nothing here. */
const THRESHOLD_PANELS = new Set(['stat', 'bargauge', 'gauge']);
const CLOUD_FAMILIES = { tencent: new Set(Object.values(CWP).map((f) => f.name)), alibaba: new Set(Object.values(SAS).map((f) => f.name)) };
const COUNTER = /_(total|bucket)$/;
/** PromQL words that are not series names: binary operators, modifiers, literals, and the
 * aggregations, which may be followed by `by (...)` before their parenthesis. */
const KEYWORDS = new Set([
  ...['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan'],
  ...['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio'],
]);
/** Keywords followed by a parenthesised list of label names rather than by an expression. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** The labels each exporter series carries, histogram _bucket/_sum/_count series included. */
const EXPORTER_LABELS = new Map<string, readonly string[]>(
  ALL_FAMILIES.flatMap((f) =>
    f.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((suffix) => [f.name + suffix, f.labels] as const) : [[f.name, f.labels] as const],
  ),
);

/** One series selector of an expression: its metric name ('' for a bare `{...}`) and matchers. */
export interface Selector {
  name: string;
  /** The text between the braces, or undefined for a bare name without braces. */
  matchers: string | undefined;
  start: number;
  end: number;
}

function skipString(expr: string, i: number): number {
  const quote = expr[i]!;
  for (let j = i + 1; j < expr.length; j++) {
    if (expr[j] === '\\' && quote !== '`') j++;
    else if (expr[j] === quote) return j + 1;
  }
  return expr.length;
}

/** The end of a bracketed block starting at i (strings inside respected). */
function skipBlock(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; ) {
    const c = expr[j]!;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(expr, j);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
    j++;
  }
  return expr.length;
}

const skipSpace = (expr: string, i: number): number => {
  while (i < expr.length && /\s/.test(expr[i]!)) i++;
  return i;
};

/**
 * The series selectors of a PromQL expression, read roughly: every identifier that is not a
 * function call, a keyword or a label list of by/on/without/ignoring/group_*, with its {matchers}
 * when it has them. Durations in [...] and $variables are skipped.
 */
export function selectors(expr: string): Selector[] {
  const out: Selector[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '[') {
      i = skipBlock(expr, i, '[', ']');
    } else if (c === '{') {
      const end = skipBlock(expr, i, '{', '}');
      out.push({ name: '', matchers: expr.slice(i + 1, end - 1), start: i, end });
      i = end;
    } else if (c === '$') {
      i = i + 1 + (/^\{?\w*\}?/.exec(expr.slice(i + 1))?.[0].length ?? 0);
    } else if (/[0-9.]/.test(c)) {
      i += /^[0-9.]+(e[+-]?[0-9]+)?[a-z]*/i.exec(expr.slice(i))![0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))![0];
      const next = skipSpace(expr, i + name.length);
      if (LABEL_LISTS.has(name.toLowerCase()) && expr[next] === '(') {
        i = skipBlock(expr, next, '(', ')');
      } else if (expr[next] === '(' || KEYWORDS.has(name.toLowerCase())) {
        i += name.length;
      } else if (expr[next] === '{') {
        const end = skipBlock(expr, next, '{', '}');
        out.push({ name, matchers: expr.slice(next + 1, end - 1), start: i, end });
        i = end;
      } else {
        out.push({ name, matchers: undefined, start: i, end: i + name.length });
        i += name.length;
      }
    } else {
      i++;
    }
  }
  return out;
}

const hasMatcher = (matchers: string, label: string): boolean =>
  new RegExp(`(^|[\\s,])${label}\\s*=~\\s*"\\$(${label}|\\{${label}\\})"`).test(matchers);

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

/**
 * Problems with one panel expression: a selector (or a bare metric name) without
 * job=~"$job" and instance=~"$instance"; an exporter series without account=~"$account" or
 * provider=~"$provider" when it has that label; a cloudscan_ name the exporter does not serve; a
 * counter or histogram bucket outside rate() or increase() over [$__rate_interval] or [$__range].
 */
export function lintExpression(expr: string): string[] {
  const problems: string[] = [];
  const found = selectors(expr);
  if (found.length === 0) problems.push('selects no series');
  for (const { name, matchers, start, end } of found) {
    const what = name === '' ? `{${matchers}}` : name;
    if (matchers === undefined || !hasMatcher(matchers, 'job') || !hasMatcher(matchers, 'instance')) {
      problems.push(`${what} is selected without job=~"$job" and instance=~"$instance"`);
    }
    const labels = EXPORTER_LABELS.get(name);
    if (labels === undefined && name.startsWith('cloudscan_')) problems.push(`${name} is not a metric of src/metrics/families.ts`);
    for (const label of ['provider', 'account']) {
      if (labels?.includes(label) && !(matchers !== undefined && hasMatcher(matchers, label))) {
        problems.push(`${name} has a ${label} label but is selected without ${label}=~"$${label}"`);
      }
    }
    if (COUNTER.test(name)) {
      const before = expr.slice(0, start).trimEnd();
      const after = expr.slice(end).trimStart();
      if (!/\b(rate|increase)\s*\($/.test(before) || !/^\[\$__(rate_interval|range)\]/.test(after)) {
        problems.push(`counter ${name} is not inside rate() or increase() over [$__rate_interval]`);
      }
    }
  }
  if (found.some(({ name }) => name.startsWith('cloudscan_')) && !/provider\s*=~\s*"\$(provider|\{provider\})"/.test(expr)) {
    problems.push('exporter series are selected without the provider variable');
  }
  if (/\bvector\s*\(/.test(expr)) problems.push('a constant vector() shows a number where there is no data');
  return problems;
}

/** The clouds whose scan families an expression selects. */
export function cloudsOf(expr: string): string[] {
  const names = selectors(expr).map((s) => s.name);
  return Object.entries(CLOUD_FAMILIES)
    .filter(([, families]) => names.some((name) => families.has(name)))
    .map(([cloud]) => cloud);
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
  for (const variable of variables) {
    if (variable.type === 'query' && variable.datasource?.uid !== DATASOURCE_UID) problems.push(`variable ${variable.name}: datasource is not the \${datasource} variable`);
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
    const steps = panel.fieldConfig?.defaults?.thresholds?.steps;
    if (THRESHOLD_PANELS.has(panel.type ?? '') && (steps === undefined || steps.length === 0)) problems.push(`${name}: no explicit thresholds`);
    const clouds = new Set((panel.targets ?? []).flatMap((t) => cloudsOf(t.expr ?? '')));
    if (panel.type === 'stat' && clouds.size > 1) problems.push(`${name}: counts ${[...clouds].join(' and ')} scans in one stat`);
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
