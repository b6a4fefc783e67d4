// The rules a Grafana dashboard of this project keeps, checked on the JSON as Grafana reads it:
// a fixed uid; a datasource variable used by every panel, target and query variable; job and
// instance variables honoured by every selector, and account and provider by every exporter series
// that has those labels; only metric names families.ts defines; counters only under rate/increase
// over $__rate_interval; a unit and a description on every panel; the required rows; unique ids; no
// overlapping panels; the provider variable in every query of exporter series (a scan family, which
// has no provider label, through a join on cloudscan_up); explicit thresholds on every stat and bar
// gauge; no constant such as vector(0) that would show a number when there is no data; no stat
// panel counting two clouds' scans together. test/shipped/dashboard.test.ts shows each rule catching a
// broken dashboard. Expressions are read by Prometheus's own PromQL grammar (@prometheus-io/lezer-promql,
// the parser of Prometheus's web UI).
import { parser } from '@prometheus-io/lezer-promql';
import type { ProviderEntry } from '../../src/contract/provider.js';
import { HEALTH } from '../../src/metrics/families.js';
import { PROVIDERS } from '../../src/sources/registry.js';

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

export const REQUIRED_ROWS = ['Overview', 'Tencent CWP', 'Alibaba SAS', 'Servers missed', 'Coverage', 'Exporter health'];
const DATASOURCE_UID = '${datasource}';
/** Panels whose colour is their thresholds': Grafana's default (green, red from 80) means nothing here. */
const THRESHOLD_PANELS = new Set(['stat', 'bargauge', 'gauge']);
const COUNTER = /_(total|bucket)$/;
/** The ranges a counter may be rated over: Grafana's own interval variables. */
const COUNTER_RANGES = new Set(['$__rate_interval', '$__range']);
const RATE_FUNCTIONS = new Set(['rate', 'increase']);

type ExporterLabels = ReadonlyMap<string, readonly string[]>;

/** The labels each series of these clouds' exporter carries, histogram _bucket/_sum/_count series included. */
function exporterLabels(providers: readonly ProviderEntry[]): ExporterLabels {
  return new Map<string, readonly string[]>(
    [...providers.flatMap((provider) => provider.families), ...Object.values(HEALTH)].flatMap((f) =>
      f.type === 'histogram'
        ? ['_bucket', '_sum', '_count'].map((suffix) => [f.name + suffix, f.labels] as const)
        : [[f.name, f.labels] as const],
    ),
  );
}

const EXPORTER_LABELS = exporterLabels(PROVIDERS);

/** Each cloud's own scan families (not those every cloud shows, as coverage's), by cloud. */
function cloudFamilies(providers: readonly ProviderEntry[]): ReadonlyMap<string, ReadonlySet<string>> {
  const shown = (name: string) => providers.filter((provider) => provider.families.some((f) => f.name === name)).length;
  return new Map(
    providers.map((provider) => [provider.name, new Set(provider.families.map((f) => f.name).filter((name) => shown(name) === 1))]),
  );
}

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree['topNode'];

/** One label matcher of a selector, as written: `job=~"$job"` is { label: 'job', op: '=~', value: '$job' }. */
export interface Matcher {
  label: string;
  op: string;
  /** The string literal without its quotes; escapes are left as written (the values the lint compares have none). */
  value: string;
}

/** One series selector of an expression, as the PromQL parser reads it. */
export interface Selector {
  /** The metric name: the identifier before the braces, a quoted name inside them, or an `__name__="..."` matcher; '' when none. */
  name: string;
  /** The selector as written, braces included. */
  text: string;
  /** The matchers between the braces, or undefined for a bare name without braces. */
  matchers: Matcher[] | undefined;
  /** The range of the matrix selector it stands in, as written (`$__rate_interval`), if any. */
  range: string | undefined;
  /** The function whose direct argument this selector (or its matrix selector) is, if any. */
  inFunction: string | undefined;
}

/**
 * Grafana's interval variables ($__rate_interval, ${__range}, ...) are not PromQL: each becomes a
 * duration of the same length before parsing, so the tree's positions still index the text as written.
 */
function withDurationStandIns(expr: string): string {
  return expr.replace(/\$(?:__\w+|\{__\w+\})/g, (variable) => `${'1'.repeat(variable.length - 1)}s`);
}

const unquote = (literal: string): string => literal.slice(1, -1);

/** The first syntax error of a parsed expression, as a problem naming where it is; undefined when it parses. */
function syntaxError(expr: string, tree: Tree): string | undefined {
  let at: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (at !== undefined) return false;
      if (node.type.isError) at = node.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  const rest = expr.slice(at, at + 20);
  return `does not parse as PromQL at character ${at + 1}: ${rest === '' ? 'it ends too early' : JSON.stringify(rest)}`;
}

function matchersOf(labelMatchers: SyntaxNode, expr: string): { matchers: Matcher[]; quotedName: string | undefined } {
  const matchers: Matcher[] = [];
  let quotedName: string | undefined;
  for (let child = labelMatchers.firstChild; child !== null; child = child.nextSibling) {
    if (child.name === 'QuotedLabelName') {
      quotedName = unquote(expr.slice(child.from, child.to)); // {"metric.name", ...}
      continue;
    }
    if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
    const label = child.getChild('LabelName') ?? child.getChild('QuotedLabelName');
    const op = child.getChild('MatchOp');
    const value = child.getChild('StringLiteral');
    if (label === null || op === null || value === null) continue;
    const labelText = expr.slice(label.from, label.to);
    matchers.push({
      label: label.name === 'QuotedLabelName' ? unquote(labelText) : labelText,
      op: expr.slice(op.from, op.to),
      value: unquote(expr.slice(value.from, value.to)),
    });
  }
  return { matchers, quotedName };
}

/** The name of the function whose argument list holds `node` directly, if any. */
function enclosingFunction(node: SyntaxNode, expr: string): string | undefined {
  const body = node.parent;
  const call = body?.name === 'FunctionCallBody' ? body.parent : null;
  const identifier = call?.name === 'FunctionCall' ? call.getChild('FunctionIdentifier') : null;
  return identifier ? expr.slice(identifier.from, identifier.to) : undefined;
}

function selectorOf(node: SyntaxNode, expr: string): Selector {
  const identifier = node.getChild('Identifier');
  const labelMatchers = node.getChild('LabelMatchers');
  const { matchers, quotedName } = labelMatchers ? matchersOf(labelMatchers, expr) : { matchers: undefined, quotedName: undefined };
  const nameMatcher = matchers?.find((m) => m.label === '__name__' && m.op === '=');
  const name = identifier ? expr.slice(identifier.from, identifier.to) : (quotedName ?? nameMatcher?.value ?? '');
  const matrix = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
  const duration = matrix?.getChild('DurationExpr');
  return {
    name,
    text: expr.slice(node.from, node.to),
    matchers,
    range: duration ? expr.slice(duration.from, duration.to) : undefined,
    inFunction: enclosingFunction(matrix ?? node, expr),
  };
}

function parse(expr: string): Tree {
  return parser.parse(withDurationStandIns(expr));
}

/**
 * The series selectors of a PromQL expression, as the official PromQL grammar parses it: every
 * VectorSelector (also inside a MatrixSelector), never a function name, a keyword or a label of
 * by/without/on/ignoring/group_*.
 */
export function selectors(expr: string, tree: Tree = parse(expr)): Selector[] {
  const out: Selector[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') out.push(selectorOf(node.node, expr));
    },
  });
  return out;
}

const hasMatcher = (matchers: readonly Matcher[] | undefined, label: string): boolean =>
  matchers?.some((m) => m.label === label && m.op === '=~' && (m.value === `$${label}` || m.value === `\${${label}}`)) ?? false;

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
 * Problems with one panel expression: one that does not parse as PromQL; a selector (or a bare
 * metric name) without job=~"$job" and instance=~"$instance"; an exporter series without
 * account=~"$account" or provider=~"$provider" when it has that label; a cloudscan_ name the exporter
 * does not serve; a counter or histogram bucket outside rate() or increase() over [$__rate_interval]
 * or [$__range].
 */
export function lintExpression(expr: string, exporter: ExporterLabels = EXPORTER_LABELS): string[] {
  const tree = parse(expr);
  const broken = syntaxError(expr, tree);
  if (broken !== undefined) return [broken];
  const problems: string[] = [];
  const found = selectors(expr, tree);
  if (found.length === 0) problems.push('selects no series');
  for (const { name, text, matchers, range, inFunction } of found) {
    const what = name === '' || !text.startsWith(name) ? text : name;
    if (!hasMatcher(matchers, 'job') || !hasMatcher(matchers, 'instance')) {
      problems.push(`${what} is selected without job=~"$job" and instance=~"$instance"`);
    }
    const labels = exporter.get(name);
    if (labels === undefined && name.startsWith('cloudscan_')) problems.push(`${name} is not a metric of src/metrics/families.ts`);
    for (const label of ['provider', 'account']) {
      if (labels?.includes(label) && !hasMatcher(matchers, label)) {
        problems.push(`${name} has a ${label} label but is selected without ${label}=~"$${label}"`);
      }
    }
    if (COUNTER.test(name) && !(range !== undefined && COUNTER_RANGES.has(range) && RATE_FUNCTIONS.has(inFunction ?? ''))) {
      problems.push(`counter ${name} is not inside rate() or increase() over [$__rate_interval]`);
    }
  }
  if (found.some(({ name }) => name.startsWith('cloudscan_')) && !/provider\s*=~\s*"\$(provider|\{provider\})"/.test(expr)) {
    problems.push('exporter series are selected without the provider variable');
  }
  if (/\bvector\s*\(/.test(expr)) problems.push('a constant vector() shows a number where there is no data');
  return problems;
}

/** The clouds whose scan families an expression selects. */
export function cloudsOf(expr: string, clouds: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const names = selectors(expr).map((s) => s.name);
  return [...clouds].filter(([, families]) => names.some((name) => families.has(name))).map(([cloud]) => cloud);
}

function overlaps(a: LoosePanel['gridPos'], b: LoosePanel['gridPos']): boolean {
  if (!a || !b) return false;
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The problems of a dashboard of these clouds' series; none is a clean dashboard. */
export function lintDashboard(dashboard: unknown, providers: readonly ProviderEntry[] = PROVIDERS): string[] {
  const d = dashboard as LooseDashboard;
  const labels = exporterLabels(providers);
  const families = cloudFamilies(providers);
  const problems: string[] = [];
  if (typeof d.uid !== 'string' || d.uid === '') problems.push('no fixed uid');

  const variables = d.templating?.list ?? [];
  const datasource = variables.find((v) => v.name === 'datasource');
  if (datasource?.type !== 'datasource' || variableQuery(datasource) !== 'prometheus')
    problems.push('no "datasource" variable of type datasource for prometheus');
  for (const name of ['job', 'instance']) {
    if (!variables.some((v) => v.name === name && v.type === 'query')) problems.push(`no "${name}" query variable`);
  }
  for (const variable of variables) {
    if (variable.type === 'query' && variable.datasource?.uid !== DATASOURCE_UID)
      problems.push(`variable ${variable.name}: datasource is not the \${datasource} variable`);
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
    if (THRESHOLD_PANELS.has(panel.type ?? '') && (steps === undefined || steps.length === 0))
      problems.push(`${name}: no explicit thresholds`);
    const clouds = new Set((panel.targets ?? []).flatMap((t) => cloudsOf(t.expr ?? '', families)));
    if (panel.type === 'stat' && clouds.size > 1) problems.push(`${name}: counts ${[...clouds].join(' and ')} scans in one stat`);
    for (const target of panel.targets ?? []) {
      if (target.datasource !== undefined && target.datasource.uid !== DATASOURCE_UID)
        problems.push(`${name} ${target.refId}: datasource is not the \${datasource} variable`);
      for (const problem of lintExpression(target.expr ?? '', labels)) problems.push(`${name} ${target.refId}: ${problem}`);
    }
  }

  for (let i = 0; i < panels.length; i++) {
    for (let j = i + 1; j < panels.length; j++) {
      if (overlaps(panels[i]!.gridPos, panels[j]!.gridPos)) problems.push(`panels "${panels[i]!.title}" and "${panels[j]!.title}" overlap`);
    }
  }
  return problems;
}
