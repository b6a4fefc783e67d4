// The temporary keys of an assumed role, for one account: assumed through the account's own
// FetchContext.invoke (so an AssumeRole call is rate limited, retried, timed out, counted and logged
// like any other call, under action "AssumeRole"), cached, and renewed before they expire, never per
// call. Cloud-neutral: each cloud gives the AssumeRole call and tells which of its error codes mean
// "these temporary keys are no longer accepted".
import { ApiError, type ApiCall, type FetchContext, type Provider } from '../../contract/types.js';

export const ASSUME_ROLE_ACTION = 'AssumeRole';

/** Keys are renewed this long before they expire at most... */
export const MAX_RENEWAL_MARGIN_MS = 5 * 60_000;
/** ...and at most this share of their lifetime before, so that short-lived keys are still used most of their life. */
const RENEWAL_SHARE = 0.2;

/**
 * How much later than the DurationSeconds asked for the keys may say they expire: this machine's clock
 * may run behind the cloud's (both clouds refuse signatures more than 5 to 15 minutes off, so a
 * clock further off fails every call anyway). Keys said to live longer are refused: they would
 * never be renewed.
 */
export const MAX_EXPIRY_SLACK_MS = 15 * 60_000;

/** When keys that live `lifetimeMs` from `receivedAt` are renewed (Unix ms). */
export function renewalTime(receivedAt: number, expiresAt: number): number {
  const lifetime = expiresAt - receivedAt;
  return expiresAt - Math.min(MAX_RENEWAL_MARGIN_MS, lifetime * RENEWAL_SHARE);
}

/** What AssumeRole answered: the keys (as the cloud's client signs with them) and when they expire. */
export interface TemporaryKeys<K> {
  keys: K;
  /** Unix ms, by the cloud's clock as it answered. */
  expiresAt: number;
}

interface Held<K> {
  keys: K;
  expiresAt: number;
  renewAt: number;
  /** Counts assumptions, so that a call can tell whether the keys it was refused with are still the current ones. */
  generation: number;
}

interface RoleSessionOptions<K> {
  provider: Provider;
  /** The DurationSeconds AssumeRole asks for: keys said to expire later than that (and MAX_EXPIRY_SLACK_MS) are refused. */
  durationSeconds: number;
  /** One AssumeRole call with the base credential; throws ApiError. */
  assume: ApiCall<TemporaryKeys<K>>;
  /** Whether the cloud refused a call because its temporary keys have expired or are unknown to it. */
  keysRefused: (error: ApiError) => boolean;
}

/** What one refresh has seen of the role, so that a failing STS is asked once per refresh, not once per call. */
interface RefreshRole {
  failure: ApiError | undefined;
  forcedRenewal: boolean;
}

export class RoleSession<K> {
  #held: Held<K> | undefined;
  #renewing: Promise<Held<K>> | undefined;
  #generation = 0;
  #assumptions = 0;

  constructor(private readonly options: RoleSessionOptions<K>) {}

  /** The keys to sign with now; undefined before the role was first assumed. */
  get keys(): K | undefined {
    return this.#held?.keys;
  }

  /** AssumeRole calls that succeeded (for the status page and tests). */
  get assumptions(): number {
    return this.#assumptions;
  }

  /**
   * The refresh's context with an `invoke` that first makes sure the role's keys are fresh (assuming
   * the role when they are missing or due for renewal), and when the cloud refuses a call's
   * temporary keys (they expired early, or were revoked), renews them and tries that call once more.
   */
  guard<S>(context: FetchContext<S>): FetchContext<S> {
    const refresh: RefreshRole = { failure: undefined, forcedRenewal: false };
    const invoke = async <T>(action: string, call: ApiCall<T>): Promise<T> => {
      const used = await this.#fresh(context, refresh);
      try {
        return await context.invoke(action, call);
      } catch (error) {
        if (!(error instanceof ApiError) || !this.options.keysRefused(error)) throw error;
        // Keys renewed since this call was signed: try once with the new ones. Else renew, once per refresh.
        if (this.#held?.generation === used.generation) {
          if (refresh.forcedRenewal) throw error;
          refresh.forcedRenewal = true;
          this.#held = undefined;
        }
        await this.#fresh(context, refresh);
        return context.invoke(action, call);
      }
    };
    return { ...context, invoke };
  }

  async #fresh<S>(context: FetchContext<S>, refresh: RefreshRole): Promise<Held<K>> {
    const held = this.#held;
    if (held && context.now() < held.renewAt) return held;
    if (refresh.failure) throw refresh.failure;
    this.#renewing ??= this.#assume(context).finally(() => {
      this.#renewing = undefined;
    });
    try {
      return await this.#renewing;
    } catch (error) {
      refresh.failure = error instanceof ApiError ? error : this.#invalid(String(error));
      throw refresh.failure;
    }
  }

  async #assume<S>(context: FetchContext<S>): Promise<Held<K>> {
    let receivedAt = 0;
    const answer = await context.invoke(ASSUME_ROLE_ACTION, async (signal, trace) => {
      const keys = await this.options.assume(signal, trace);
      receivedAt = context.now();
      // Keys already expired by this machine's clock would be renewed on every call, keys expiring
      // past what was asked for never: answers that cannot be used, counted as such.
      const latest = receivedAt + this.options.durationSeconds * 1000 + MAX_EXPIRY_SLACK_MS;
      if (!Number.isFinite(keys.expiresAt) || keys.expiresAt <= receivedAt) {
        throw this.#invalid(
          `the temporary keys expire at ${isoTime(keys.expiresAt)}, not after this machine's time ${isoTime(receivedAt)}: is its clock right?`,
        );
      }
      if (keys.expiresAt > latest) {
        throw this.#invalid(
          `the temporary keys expire at ${isoTime(keys.expiresAt)}, later than the ${this.options.durationSeconds} s asked for ` +
            `(${isoTime(latest)} at the latest, this machine's time ${isoTime(receivedAt)} allowing ${MAX_EXPIRY_SLACK_MS / 60_000} minutes of clock difference): is its clock right, or the STS's answer?`,
        );
      }
      return keys;
    });
    this.#assumptions++;
    this.#held = {
      keys: answer.keys,
      expiresAt: answer.expiresAt,
      renewAt: renewalTime(receivedAt, answer.expiresAt),
      generation: ++this.#generation,
    };
    return this.#held;
  }

  #invalid(detail: string): ApiError {
    return new ApiError(
      this.options.provider,
      ASSUME_ROLE_ACTION,
      'invalid_response',
      'invalid_response',
      `${ASSUME_ROLE_ACTION}: ${detail}`,
    );
  }
}

/** `ms` as an ISO time; a number no Date can hold (beyond ±100 million days) as itself. */
function isoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms since 1970 (no time at all)`;
}
