// What a cloud registers (as blackbox_exporter's prober map holds its probers): its name, and for each
// of its configured accounts what the exporter needs to refresh, plan and render it. The layers above
// sources reach a cloud only through this; see registry.ts for the list.
import type { RenderOptions } from '../shared/account-state.js';
import type { CallPlan } from './plan.js';
import type { DropReason, Provider, Snapshot, Source } from './types.js';

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
  readonly render: RenderOptions;
  /** One line for `--config.check`, after "<provider>/<account>: " (never a secret). */
  describe(): string;
}

/** A cloud: `Config` is the part of the configuration it reads its accounts from. */
export interface ProviderEntry<Config> {
  /** The provider label and the /probe target prefix. */
  readonly name: Provider;
  /** Why this cloud's values may be left out (cloudscan_dropped_series_total): their counters start at 0. */
  readonly dropReasons: readonly DropReason[];
  accounts(config: Config): ProviderAccount[];
}
