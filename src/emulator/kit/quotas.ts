// Per-account API rate limits as the clouds enforce them: at most `perSecond` calls of one action in
// any sliding 1-second window, counted against the account that signs (its own keys, or a role's
// temporary keys in it) whatever key or process calls and whoever's data the call names (Tencent
// counts per uin and API, Alibaba per account across its keys). Calls over the limit are answered
// with the cloud's throttling error and do not count against the window. Off unless a test or
// benchmark sets one.
import type { Provider } from '../../contract/types.js';

const WINDOW_MS = 1000;

export class Quotas {
  readonly #limits = new Map<string, number>();
  /** Admitted call times per provider/account/action, oldest first, within the last window. */
  readonly #admitted = new Map<string, number[]>();
  readonly #throttled = new Map<string, number>();

  /** Limits one account's calls of each action to `perSecond` in any 1-second window; undefined lifts it. */
  set(provider: Provider, account: string, perSecond: number | undefined): void {
    if (perSecond === undefined) this.#limits.delete(`${provider}/${account}`);
    else this.#limits.set(`${provider}/${account}`, perSecond);
  }

  /** Whether this call is within the account's limit; an admitted call is counted, a refused one is not. */
  admit(provider: Provider, account: string, action: string, at: number): boolean {
    const limit = this.#limits.get(`${provider}/${account}`);
    if (limit === undefined) return true;
    const key = `${provider}/${account}/${action}`;
    const times = (this.#admitted.get(key) ?? []).filter((t) => at - t < WINDOW_MS);
    if (times.length >= limit) {
      this.#admitted.set(key, times);
      this.#throttled.set(`${provider}/${account}`, this.throttled(provider, account) + 1);
      return false;
    }
    times.push(at);
    this.#admitted.set(key, times);
    return true;
  }

  /** Calls of the account answered with a throttling error so far. */
  throttled(provider: Provider, account: string): number {
    return this.#throttled.get(`${provider}/${account}`) ?? 0;
  }

  clear(): void {
    this.#admitted.clear();
    this.#throttled.clear();
  }
}
