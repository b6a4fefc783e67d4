// What a cloud gives grafana/dashboard.ts: its stat panels of the Overview, its own rows, and its
// panels of the shared "Servers missed" row. The generator implements DashboardKit (selectors,
// thresholds, table columns) and lays the panels out; a cloud imports nothing of grafana/.
import type { ThresholdDeclarations, ThresholdValues } from './alert-rules.js';

interface Query {
  expr: string;
  legend?: string;
  instant?: boolean;
  table?: boolean;
}

export interface PanelSpec {
  type: 'stat' | 'timeseries' | 'state-timeline' | 'table' | 'bargauge';
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  w: number;
  h: number;
  defaults?: FieldDefaults;
  overrides?: FieldOverride[];
  options?: Record<string, unknown>;
  transformations?: Transformation[];
}

// Parts of Grafana's dashboard model, as a cloud writes them. grafana/dashboard.ts turns them into the
// types of @grafana/schema (whose enums a cloud does not import), and tsc checks them against those.

/** Field thresholds (Grafana's ThresholdsConfig): the first step's value is null, below every other. */
export interface Thresholds {
  mode: 'absolute' | 'percentage';
  steps: Array<{ color: string; value: number | null }>;
}

/** Values shown as text, in a colour (Grafana's ValueMap). */
interface ValueMapping {
  type: 'value';
  options: Record<string, { text?: string; color?: string; index?: number }>;
}

/** The field settings a panel sets besides its unit: a part of Grafana's FieldConfig. */
export interface FieldDefaults {
  min?: number;
  max?: number;
  decimals?: number;
  noValue?: string;
  thresholds?: Thresholds;
  color?: { mode: 'thresholds' | 'palette-classic' | 'fixed'; fixedColor?: string };
  mappings?: ValueMapping[];
  /** The panel plugin's own field settings (drawStyle, stacking, ...). */
  custom?: Record<string, unknown>;
}

/** Field settings for the fields a matcher selects (Grafana's overrides). */
export interface FieldOverride {
  matcher: { id: string; options?: unknown };
  properties: Array<{ id: string; value?: unknown }>;
}

/** A transformation of a panel's data (Grafana's DataTransformerConfig). */
export interface Transformation {
  id: string;
  options: unknown;
}

export type Color = 'green' | 'orange' | 'red' | 'blue' | 'text';

/** Where a stat panel of the Overview goes: the stats of every cloud are grouped by what they count, in this order. */
export const OVERVIEW_SLOTS = ['in progress', 'failing', 'findings'] as const;
type OverviewSlot = (typeof OVERVIEW_SLOTS)[number];

export interface OverviewStat {
  readonly slot: OverviewSlot;
  readonly panel: PanelSpec;
}

export interface DashboardRow {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

interface CloudPanels {
  readonly overview: readonly OverviewStat[];
  /** Its own rows, after the Overview. */
  readonly rows: readonly DashboardRow[];
  /** Its panels of the "Servers missed" row: servers its scans missed. */
  readonly serversMissed: readonly PanelSpec[];
}

/** What the generator gives a cloud to write its panels with. */
export interface DashboardKit {
  /** The matchers of a scan series (job, instance and account variables); a scan series has no provider label. */
  readonly scan: string;
  /**
   * A series of this cloud restricted to its selected accounts, so the provider variable filters it
   * too: with another cloud alone selected, its panels are empty.
   */
  ofCloud(series: string): string;
  /** Grafana thresholds: `base` below the first step, then each [value, color] from that value up. */
  thresholds(base: Color, ...steps: [number, Color][]): Thresholds;
  /** A table's columns in order, each label with its title; Time left out, and Value too unless `value` titles it (its column last). */
  tableColumns(columns: ReadonlyArray<readonly [label: string, title: string]>, value?: string): Transformation[];
  /** The options of a stat panel. */
  stat(orientation?: string): Record<string, unknown>;
  /** The options of a time series with its legend as a table. */
  readonly legendTable: Record<string, unknown>;
  /** A Prometheus duration (`6h`) in seconds. */
  seconds(duration: string): number;
}

/**
 * A cloud's part of the dashboard. `t` holds the values of the thresholds its alerts declare, so its
 * panels turn orange and red where its alerts would fire. (A method, as in CloudAlerts.)
 */
export interface CloudDashboard<D extends ThresholdDeclarations = ThresholdDeclarations> {
  /** How the dashboard's description names the cloud, e.g. "Tencent Cloud CWP". */
  readonly product: string;
  /** Its tag, e.g. "tencent-cloud". */
  readonly tag: string;
  /** Where its servers' coverage comes from, as the Coverage row says it, e.g. "Tencent from DescribeMachines". */
  readonly coverage?: string;
  panels(kit: DashboardKit, t: ThresholdValues<D>): CloudPanels;
}
