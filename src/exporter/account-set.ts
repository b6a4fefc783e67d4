// The accounts the exporter reads, as running parts: the configured ones, then each organization's
// members. Rebuilt whole on reload, where an account whose fingerprint did not change keeps its
// parts (and so its cache), and when a member list changes; accounts no longer in use stop, and
// those gone for good lose their series.
import type { ExporterConfig } from '../config/types.js';
import type { ProviderEntry } from '../contract/provider.js';
import { fingerprintOf } from './fingerprint.js';
import { Organizations } from './organizations.js';
import { startAccount, type RunningAccount, type Wiring } from './running-parts.js';

export class AccountSet {
  readonly organizations: Organizations;
  #configured: RunningAccount[] = [];
  /** Every account: the configured ones, then each organization's members. */
  #all: RunningAccount[] = [];
  /** The same by provider/account. */
  #byKey = new Map<string, RunningAccount>();

  constructor(
    private readonly wiring: Wiring,
    private readonly providers: readonly ProviderEntry[],
  ) {
    this.organizations = new Organizations(wiring);
  }

  get all(): readonly RunningAccount[] {
    return this.#all;
  }

  get configured(): readonly RunningAccount[] {
    return this.#configured;
  }

  /** The account /probe names provider/account; undefined when none is configured or listed. */
  get(key: string): RunningAccount | undefined {
    return this.#byKey.get(key);
  }

  /**
   * Applies a configuration; accounts whose settings did not change keep their parts. An
   * organization whose settings changed keeps the members it last listed (less those its new
   * include/exclude leave out) until its next listing, even when listing fails.
   */
  apply(config: ExporterConfig): void {
    const previous = this.#all;
    const reusable = new Map(previous.map((entry) => [entry.fingerprint, entry]));
    this.#configured = this.providers.flatMap((provider) =>
      provider.accounts(config).map((account) => {
        const fingerprint = fingerprintOf(provider.name, account.settings, config);
        const entry = reusable.get(fingerprint) ?? startAccount(this.wiring, provider, account, config, fingerprint);
        entry.displayName = account.settings.name;
        entry.discoveredBy = undefined;
        return entry;
      }),
    );
    this.organizations.reconcile(this.providers, config);
    this.#replace(previous, reusable, config);
  }

  /** After a member list changed: the members' accounts again, the configured ones as they are. */
  rebuildMembers(config: ExporterConfig): void {
    this.#replace(this.#all, undefined, config);
  }

  #replace(previous: readonly RunningAccount[], reusable: ReadonlyMap<string, RunningAccount> | undefined, config: ExporterConfig): void {
    const taken = new Set(this.#configured.map(({ key }) => key));
    this.#all = [...this.#configured, ...this.organizations.memberAccounts(taken, reusable, config)];
    this.#byKey = new Map(this.#all.map((entry) => [entry.key, entry]));
    this.#retire(previous);
  }

  /** Accounts of `previous` no longer in use stop; those whose account is gone for good lose their series. */
  #retire(previous: readonly RunningAccount[]): void {
    const kept = new Set(this.#all);
    for (const old of previous) {
      if (kept.has(old)) continue;
      old.collector.close();
      old.invoker.close();
      if (!this.#byKey.has(old.key)) this.wiring.metrics.forget(old.collector.provider, old.collector.account);
    }
  }
}
