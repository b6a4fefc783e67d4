// All accounts together: one scrape looks every account up in parallel, within one deadline.
import type { Provider, Snapshot } from '../contract/types.js';
import type { AccountState, SnapshotRenderer } from '../contract/account-state.js';
import type { AccountCollector } from './account-collector.js';

export interface CollectedAccount {
  collector: AccountCollector<Snapshot>;
  renderer: SnapshotRenderer;
}

interface AccountLookup {
  state: AccountState;
  renderer: SnapshotRenderer;
}

export class Collector {
  constructor(
    readonly accounts: readonly CollectedAccount[],
    private readonly onLookup: (provider: Provider, cacheHit: boolean) => void = () => {},
  ) {}

  /** Every account's state, refreshed where due, waiting until `deadline` (Unix ms) at most. */
  async collect(deadline: number, only?: CollectedAccount): Promise<AccountLookup[]> {
    const accounts = only ? [only] : this.accounts;
    return Promise.all(
      accounts.map(async ({ collector, renderer }) => {
        const { state, cacheHit } = await collector.lookup(deadline);
        this.onLookup(collector.provider, cacheHit);
        return { state, renderer };
      }),
    );
  }

  close(): void {
    for (const { collector } of this.accounts) collector.close();
  }

  async settled(): Promise<void> {
    await Promise.all(this.accounts.map(({ collector }) => collector.settled()));
  }
}
