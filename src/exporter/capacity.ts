// Whether each account's refresh can keep up with its TTL at its rate limit: the calls a refresh
// makes (planned from the config, or counted in the last refresh) divided by the rate is the
// shortest refresh there can be. Said by --config.check, the startup log and the landing page.
import { minimumRefreshSeconds } from '../collect/invoker.js';
import { formatDuration } from '../base/duration.js';
import type { ExporterConfig } from '../config/types.js';
import type { CallPlan } from '../contract/plan.js';
import type { ProviderEntry } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';

export interface AccountCapacity {
  /** provider/account */
  target: string;
  rateLimit: number;
  ttlSeconds: number;
  plan: CallPlan;
  /** Calls per refresh: counted in the last refresh when there was one, else planned; undefined when only the cloud knows. */
  calls: number | undefined;
  measured: boolean;
  /** The share of the configured rate_limit this process uses, when below 1 (--cloud.rate-limit-share); rateLimit is already that share. */
  rateLimitShare?: number;
}

export function plannedCapacity(config: ExporterConfig, providers: readonly ProviderEntry[] = PROVIDERS): AccountCapacity[] {
  const ttlSeconds = config.cache.ttlSeconds;
  return providers.flatMap((provider) =>
    provider
      .accounts(config)
      .map((account) => planned(`${provider.name}/${account.settings.name}`, account.settings.rateLimit, ttlSeconds, account.plan())),
  );
}

/** One account's planned capacity (configured or discovered). */
export function planned(target: string, rateLimit: number, ttlSeconds: number, plan: CallPlan): AccountCapacity {
  const calls = plan.items === undefined ? undefined : Math.ceil(plan.fixed + plan.perItem * plan.items);
  return { target, rateLimit, ttlSeconds, plan, calls, measured: false };
}

/** The same, at the share of its rate_limit this process uses (--cloud.rate-limit-share). */
export function atRateLimitShare(capacity: AccountCapacity, share: number): AccountCapacity {
  return share === 1 ? capacity : { ...capacity, rateLimit: capacity.rateLimit * share, rateLimitShare: share };
}

/** The same, with the calls the last refresh really made where there was one. */
export function withMeasuredCalls(capacity: AccountCapacity, lastRefreshCalls: number | undefined): AccountCapacity {
  return lastRefreshCalls === undefined ? capacity : { ...capacity, calls: lastRefreshCalls, measured: true };
}

/** true or false when the calls are known; undefined when they depend on the fleet. */
export function keepsUp(capacity: AccountCapacity): boolean | undefined {
  if (capacity.calls === undefined) return undefined;
  return minimumRefreshSeconds(capacity.calls, capacity.rateLimit) <= capacity.ttlSeconds;
}

/** The most items whose refresh still fits in the TTL at the rate limit. */
function largestKeepingUp(capacity: AccountCapacity): number {
  const { plan, rateLimit, ttlSeconds } = capacity;
  return Math.max(0, Math.floor((rateLimit * ttlSeconds - plan.fixed) / plan.perItem));
}

/** One line for a person: the shortest refresh next to the TTL, and plainly whether it keeps up. */
export function describeCapacity(capacity: AccountCapacity): string {
  return describePlanned(capacity) + (capacity.plan.note ?? '');
}

function describePlanned(capacity: AccountCapacity): string {
  const { target, rateLimit, ttlSeconds, calls, plan } = capacity;
  const share = capacity.rateLimitShare;
  const rate =
    share === undefined
      ? `rate_limit ${rateLimit}/s`
      : `${roundedRate(rateLimit)}/s (a ${share} share of rate_limit ${roundedRate(rateLimit / share)}/s)`;
  const ttl = `cache.ttl ${formatDuration(ttlSeconds)}`;
  if (calls === undefined) {
    return (
      `${target}: ${plan.fixed} call(s) + ${plan.perItem} per ${plan.item} (discovered) at ${rate}: ` +
      `a refresh keeps up with ${ttl} up to ${largestKeepingUp(capacity)} ${plan.itemPlural}; beyond that it outlasts the TTL`
    );
  }
  const shortest = minimumRefreshSeconds(calls, rateLimit);
  const head = `${target}: ${calls} call(s) per refresh${capacity.measured ? ' (last refresh)' : ''} at ${rate}: at least ${formatSeconds(shortest)}`;
  if (shortest <= ttlSeconds) return `${head}, within ${ttl}`;
  return (
    `${head}, LONGER than ${ttl}: the refresh cannot keep up, so scrapes are served data up to ` +
    `${formatSeconds(shortest)} old while it rolls; raise rate_limit (within the cloud's quota) or cache.ttl`
  );
}

function roundedRate(rate: number): number {
  return Number(rate.toFixed(2));
}

function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${Number(seconds.toFixed(2))} s` : `${Math.round(seconds)} s`;
}
