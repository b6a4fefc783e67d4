// Organization reconciliation: the configured organizations' member lists, kept across a reload
// that leaves an organization's settings as they were, and each organization's members as accounts
// (a member whose id another account has is left out). The member lists change between scrapes as
// members join and leave.
import type { ExporterConfig } from '../config/types.js';
import type { ProviderEntry } from '../contract/provider.js';
import type { Member } from '../contract/types.js';
import type { OrganizationInfo } from '../metrics/info-series.js';
import { fingerprintOf } from './fingerprint.js';
import { startAccount, startOrganization, type RunningAccount, type RunningOrganization, type Wiring } from './running-parts.js';

/** What reading the member lists did: nothing to rebuild, a list changed, or a reload replaced the organizations meanwhile. */
type ListingOutcome = 'unchanged' | 'changed' | 'replaced';

export class Organizations {
  #all: RunningOrganization[] = [];
  /** provider/account of members left out because another account has their id, each said once. */
  readonly #shadowed = new Set<string>();

  constructor(private readonly wiring: Wiring) {}

  get all(): readonly RunningOrganization[] {
    return this.#all;
  }

  /**
   * The configured organizations; those whose settings did not change keep their member list (and so
   * their members' caches); one whose settings changed starts from what its old list knew. Those no
   * longer configured stop, and lose their listing series when no organization of their name remains.
   */
  reconcile(providers: readonly ProviderEntry[], config: ExporterConfig): void {
    const previous = this.#all;
    const sameName = (a: RunningOrganization, provider: ProviderEntry, name: string) =>
      a.provider.name === provider.name && a.organization.settings.name === name;
    const next = providers.flatMap((provider) =>
      (provider.discovery?.organizations(config) ?? []).map((organization) => {
        const fingerprint = fingerprintOf(provider.name, organization.settings, config);
        const kept = previous.find((o) => o.fingerprint === fingerprint);
        if (kept) return kept;
        const replaced = previous.find((o) => sameName(o, provider, organization.settings.name));
        return startOrganization(this.wiring, provider, organization, fingerprint, replaced?.list.seed());
      }),
    );
    for (const old of previous) {
      if (next.includes(old)) continue;
      old.list.close();
      old.invoker.close();
      // Its listing counters would otherwise stay at their last value for good.
      if (!next.some((o) => sameName(o, old.provider, old.organization.settings.name))) {
        this.wiring.metrics.forget(old.provider.name, old.organization.settings.name);
      }
    }
    this.#all = next;
  }

  /**
   * Reads each organization's member list where it is due, waiting until `deadline` only for one
   * never listed; says whether a list changed since the members' accounts were built.
   */
  async lookup(deadline: number): Promise<ListingOutcome> {
    const organizations = this.#all;
    await Promise.all(organizations.map(({ list }) => list.lookup(deadline)));
    if (organizations !== this.#all) return 'replaced';
    return organizations.some((organization) => organization.list.state().version !== organization.builtVersion) ? 'changed' : 'unchanged';
  }

  /**
   * Each organization's members as accounts, in order; `taken` holds the keys of the accounts before
   * them. A member an organization had is its account as it was; otherwise one of `reusable` (by
   * fingerprint: a reload that left its settings as they were), or a new one. `reusable` undefined:
   * nothing changed but the member lists.
   */
  memberAccounts(taken: Set<string>, reusable: ReadonlyMap<string, RunningAccount> | undefined, config: ExporterConfig): RunningAccount[] {
    const members: RunningAccount[] = [];
    for (const organization of this.#all) {
      const state = organization.list.state();
      organization.builtVersion = state.version;
      const next = new Map<string, RunningAccount>();
      for (const member of state.members ?? []) {
        const entry = this.#memberAccount(organization, member, taken, reusable, config);
        if (!entry) continue;
        members.push(entry);
        next.set(member.id, entry);
      }
      organization.members = next;
    }
    return members;
  }

  #memberAccount(
    organization: RunningOrganization,
    member: Member,
    taken: Set<string>,
    reusable: ReadonlyMap<string, RunningAccount> | undefined,
    config: ExporterConfig,
  ): RunningAccount | undefined {
    const { provider, organization: source } = organization;
    const key = `${provider.name}/${member.id}`;
    if (taken.has(key)) {
      const said = `${source.settings.name}|${key}`;
      if (!this.#shadowed.has(said)) {
        this.#shadowed.add(said);
        this.wiring.logger.warn(
          { provider: provider.name, organization: source.settings.name, account: member.id },
          'member left out: an account of that name is already configured or listed by an earlier organization',
        );
      }
      return undefined;
    }
    taken.add(key);
    let entry = reusable === undefined ? organization.members.get(member.id) : undefined;
    if (!entry) {
      const account = source.memberAccount(member);
      const fingerprint = fingerprintOf(provider.name, account.settings, config);
      entry = reusable?.get(fingerprint) ?? startAccount(this.wiring, provider, account, config, fingerprint);
    }
    entry.displayName = member.name;
    entry.discoveredBy = organization;
    return entry;
  }

  /** cloudscan_organization_* as they are now (a few series per organization). */
  infos(): OrganizationInfo[] {
    return this.#all.map(({ list }) => {
      const state = list.state();
      return {
        provider: state.provider,
        organization: state.organization,
        up: state.up,
        members: state.members?.length,
        lastSuccessAt: state.lastSuccessAt,
        skipped: state.members === undefined ? [] : state.skipped.map(({ reason, count }) => ({ reason, count })),
      };
    });
  }

  /** The member lists, for tests and benchmarks: resolves when no listing runs. */
  async settled(): Promise<void> {
    await Promise.all(this.#all.map(({ list }) => list.settled()));
  }

  close(): void {
    for (const { list } of this.#all) list.close();
  }
}
