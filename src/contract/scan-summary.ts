// What the status page shows of an account's scans: plain words and numbers a cloud's provider
// makes from its snapshot (sources/<cloud>/status.ts), rendered the same for every cloud by http.

/** How a row looks: good (green), busy (blue), bad (red), idle (grey). */
export type SummaryTone = 'good' | 'busy' | 'bad' | 'idle';

export interface SummaryRow {
  label: string;
  value: string;
  tone: SummaryTone;
}

export interface SummaryTable {
  title: string;
  rows: SummaryRow[];
}

/** The servers (or other items) failing, the first few by name. */
export interface FailingList {
  title: string;
  total: number;
  first: Array<{ name: string; detail: string }>;
}

export interface ScanSummary {
  tables: SummaryTable[];
  /** Servers to look at before the failing ones, because they explain failures (agents offline), each listed like `failing`. */
  attention?: FailingList[];
  /** Absent when the cloud's data says nothing of single servers. */
  failing?: FailingList;
}

/** How many failing servers a summary names. */
export const FAILING_LISTED = 10;
