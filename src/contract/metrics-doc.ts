// What a cloud gives scripts/metrics-doc.ts for docs/metrics.md: its section (prose and the table of
// its families), its rows of the label-values table, and its words in the parts every cloud shares
// (coverage, dropped values, API actions). Markdown, written as it is to appear.
import type { Family } from './series.js';

/** One row of the label-values table: the label cell and the values cell, as Markdown. */
export interface LabelValuesRow {
  readonly label: string;
  readonly values: string;
}

/** How the cloud's server listing gives coverage (the shared Coverage section). */
interface CoverageDoc {
  /** Its item of the list of listings, in lines (wrapped as in the file, without the list's indentation). */
  readonly listing: readonly string[];
  /** Where the `uuid` of a server of its listing comes from. */
  readonly uuid: string;
  /** Where `instance`, `instance_id`, `ip`, `os` and `agent_version` of cloudscan_server_info come from. */
  readonly serverInfo: string;
  /** The setting that turns its per-server series off, as written to do so (`per_host_series: false`). */
  readonly perServerSeriesOff: string;
}

/** A reason of cloudscan_dropped_series_total the cloud counts under, with the bound it applies. */
interface DropReasonDoc {
  readonly reason: string;
  /** The number of values kept: the reasons of every cloud are listed from the smallest bound up. */
  readonly bound: number;
  /** What is left out, e.g. "subtasks beyond the first 500 of one server answer". */
  readonly text: string;
}

export interface CloudMetricsDoc {
  /** Its heading, e.g. "Tencent Cloud CWP". */
  readonly title: string;
  /** How a list of every cloud's words names it, e.g. "Tencent". */
  readonly short: string;
  /** The paragraphs between its heading and the table of its families, in lines. */
  readonly text: readonly string[];
  /** The families of its own section, in order (coverage's are in their own section). */
  readonly families: readonly Family[];
  /** Its rows of the label-values table, after `provider`. */
  readonly labelValues: readonly LabelValuesRow[];
  /** Rows of codes its series carry as the cloud reports them, before the exporter's own `code`. */
  readonly codes: readonly LabelValuesRow[];
  readonly coverage?: CoverageDoc;
  readonly dropReasons: readonly DropReasonDoc[];
  /** An API action it calls, named as an example of the `action` label. */
  readonly exampleAction: string;
}
