// What a cloud registers (as blackbox_exporter's prober map holds its probers): its name, its part of
// the configuration file, its series, and for each of its configured accounts what the exporter needs
// to refresh, plan and render it. The layers above sources reach a cloud only through this; see
// registry.ts for the list.
import type { z } from 'zod';
import type { SnapshotRenderer } from './account-state.js';
import type { CloudAlerts } from './alert-rules.js';
import type { CloudDashboard } from './dashboard.js';
import type { CloudMetricsDoc } from './metrics-doc.js';
import type { Secret } from '../base/secret.js';
import type { Family } from './series.js';
import type { ScanSummary } from './scan-summary.js';
import type { CallPlan } from './plan.js';
import type { DropReason, Member, MemberSource, Provider, Snapshot, Source } from './types.js';

/** What every cloud's account settings share: all that the layers above sources read of them. */
export interface AccountSettings {
  readonly name: string;
  /** Requests per second per API action. */
  readonly rateLimit: number;
  readonly requestTimeoutSeconds: number;
}

/** One configured account of a cloud. */
export interface ProviderAccount {
  /** The account's settings, as configured (their fingerprint decides whether a reload keeps the cache). */
  readonly settings: AccountSettings;
  /** The calls a refresh makes, planned from the settings. */
  plan(): CallPlan;
  /** The API actions a refresh may call, from the settings: their counters start at 0. */
  readonly actions: readonly string[];
  /** The account's source; its module, and so its cloud's SDK, is loaded by this call only. */
  loadSource(): Promise<Source<Snapshot>>;
  readonly renderer: SnapshotRenderer;
  /** One line for `--config.check`, after "<provider>/<account>: " (never a secret). */
  describe(): string;
  /**
   * Who signs the account's calls of `action`, as the cloud counts its limits (sources/kit/principal.ts):
   * accounts whose calls one principal signs share its rate limit.
   */
  signer(action: string): string;
}

/** Reads the secrets of one account's `credentials:` mapping (config implements it: files, ${ENV}, warnings). */
export interface CredentialReader {
  /** The secret under `key`, written inline or as `<key>_file`; `secretProper` warns when it is written inline. */
  secret(key: string, options?: { secretProper?: boolean }): Secret | undefined;
  /** The same, where the schema has made sure that it is given. */
  required(key: string, options?: { secretProper?: boolean }): Secret;
}

/** What a cloud's settings builder may use beside the validated account (config implements it). */
export interface SettingsContext {
  readonly credentials: CredentialReader;
  /** A configuration error located at a key under the account, e.g. ['request_timeout']. */
  error(path: ReadonlyArray<string | number>, detail: string): Error;
}

/**
 * A cloud. `Config` is the part of the ExporterConfig it reads its accounts from ({ <name>: Settings[] }),
 * `File` one account as its schema validates it. (Methods, so that a list of clouds of different
 * types is a list of ProviderEntry: each cloud's settings() is only ever given what its schema produced.)
 */
/** What every cloud's organization settings share: all that the layers above sources read of them. */
export interface OrganizationSettings {
  /** The organization's label: its listing calls are counted under account="<name>". */
  readonly name: string;
  /** How often the member list is read again. */
  readonly refreshIntervalSeconds: number;
  /** Requests per second of the listing action. */
  readonly rateLimit: number;
  readonly requestTimeoutSeconds: number;
  /** Members to keep, by id or name; empty keeps every member. */
  readonly include: readonly string[];
  /** Members to leave out, by id or name; wins over include. */
  readonly exclude: readonly string[];
}

/** One configured organization of a cloud: how to list its members, and what account each becomes. */
export interface ProviderOrganization {
  readonly settings: OrganizationSettings;
  /** The API actions a listing calls: their counters start at 0. */
  readonly actions: readonly string[];
  /** Its member lister; loads the cloud's SDK, on the first listing only. */
  loadMemberSource(): Promise<MemberSource>;
  /** The account a member becomes (named by its id), with the member role or access the organization configures. */
  memberAccount(member: Member): ProviderAccount;
  /** One line for `--config.check`, after "<provider>/<organization>: " (never a secret). */
  describe(): string;
  /** Who signs the listing's calls (the management principal, sources/kit/principal.ts). */
  signer(action: string): string;
  /**
   * Whether a member's failed call (`action`, the cloud's `code`) says the member may have left the
   * organization or no longer be reachable through it: the exporter then lists the members again early.
   */
  memberGone(action: string, code: string): boolean;
}

/**
 * A cloud's member-account discovery: a list of organizations under its own key of the file
 * (e.g. `tencent_organizations:`), each turned into accounts by listing its members.
 */
interface ProviderDiscovery<Config = unknown, File = unknown> {
  /** The key of the organizations in the configuration file. */
  readonly key: string;
  /** One organization under that key: a strict zod object. */
  readonly schema: z.ZodType<File>;
  settings(file: File, context: SettingsContext): OrganizationSettings;
  organizations(config: Config): ProviderOrganization[];
}

export interface ProviderEntry<Config = unknown, File = unknown, OrganizationFile = unknown> {
  /** The provider label, the /probe target prefix, and the key of its accounts in the configuration file. */
  readonly name: Provider;
  /** One account under `<name>:` in the file: a strict zod object. */
  readonly accountSchema: z.ZodType<File>;
  /** A validated account with its defaults, endpoint and credentials resolved. */
  settings(file: File, context: SettingsContext): AccountSettings;
  accounts(config: Config): ProviderAccount[];
  /** Every family the cloud's accounts may show, in exposition order (docs, lints). */
  readonly families: readonly Family[];
  /** What the status page shows of an account's scans, from its snapshot (see sources/<cloud>/status.ts). */
  readonly summarize?: (snapshot: Snapshot) => ScanSummary;
  /** Why this cloud's values may be left out (cloudscan_dropped_series_total): their counters start at 0. */
  readonly dropReasons: readonly DropReason[];
  /** Member-account discovery, where the cloud has organizations. */
  readonly discovery?: ProviderDiscovery<Config, OrganizationFile>;
  /** Its part of docs/metrics.md (scripts/metrics-doc.ts). */
  readonly metricsDoc: CloudMetricsDoc;
  /** Its thresholds and alert rules (prometheus/alerts.ts). */
  readonly alerts: CloudAlerts;
  /** Its panels of the Grafana dashboard (grafana/dashboard.ts), drawn with the thresholds of its alerts. */
  readonly dashboard: CloudDashboard;
}
