// What a cloud gives prometheus/alerts.ts: its thresholds, its groups of rules, and what the
// alerts on every account need to know of it (its error codes, its permissions). The generator
// implements AlertKit; a cloud writes its rules with it and imports nothing of prometheus/.

type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** A recording rule: what it records, and from what. */
export interface RecordingRule {
  record: string;
  expr: string;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** What a threshold under `thresholds:` of prometheus/thresholds.yml holds: a Prometheus duration, or a share between 0 and 1 (both excluded). */
export type ThresholdKind = 'duration' | 'share';

/** A cloud's keys under `thresholds:`, each with its kind. */
export type ThresholdDeclarations = Readonly<Record<string, ThresholdKind>>;

/** The value of a threshold of this kind, as validated: a duration as written (`6h`), a share as a number. */
type ThresholdValue<Kind extends ThresholdKind> = Kind extends 'duration' ? string : number;

/** The values of declared thresholds. */
export type ThresholdValues<D extends ThresholdDeclarations> = { readonly [K in keyof D]: ThresholdValue<D[K]> };

/** The description of a held alert: `known` while the exporter answers, `held` (which quotes no value) while it cannot be scraped. */
interface HeldDescription {
  known: string;
  held: string;
}

/** What the generator gives a cloud to write its rules with. */
export interface AlertKit {
  /**
   * A rule on the exporter's series, held while Prometheus cannot scrape the exporter. A description
   * given as one string quotes no value and reads the same while held.
   */
  heldRule(
    alert: string,
    severity: Severity,
    expr: string,
    forDuration: string,
    summary: string,
    description: string | HeldDescription,
  ): AlertRule;
  /** A Prometheus duration (`1h30m`) in seconds. */
  seconds(duration: string): number;
}

/** Regular expressions (alternations, as PromQL's `=~` takes them) of a cloud's error codes. */
interface ErrorCodes {
  /** The credentials or the role are refused. */
  readonly auth: string;
  /** Of those, the codes of a policy that lacks the action. */
  readonly permission: string;
  /** The cloud throttles the calls. */
  readonly throttling: string;
}

/**
 * A cloud's part of the alert rules. (A method, so that clouds with thresholds of different names
 * are one list: each cloud's groups() is only ever given the values of its own declarations.)
 */
export interface CloudAlerts<D extends ThresholdDeclarations = ThresholdDeclarations> {
  /** Its keys under `thresholds:` of prometheus/thresholds.yml. */
  readonly thresholds: D;
  /** Its groups of rules, after those on every account and before coverage's. */
  groups(kit: AlertKit, t: ThresholdValues<D>): RuleGroup[];
  /** Its error codes, for the alerts on every account (auth failing, permission missing, throttled). */
  readonly codes: ErrorCodes;
  /** The permission that allows each API action, for CloudscanPermissionMissing's description. */
  readonly permissions: Readonly<Record<string, string>>;
}
