// What decides whether a reload keeps an account's (or an organization's) running parts, and so its
// cache: a hash of its settings and of the cache settings, secrets by their own hash.
import { createHash } from 'node:crypto';
import { Secret } from '../base/secret.js';
import type { ExporterConfig } from '../config/types.js';
import type { Provider } from '../contract/types.js';

/** Identifies an account's settings, secrets by hash, so an unchanged account keeps its cache on reload. */
export function fingerprintOf(provider: Provider, account: object, config: ExporterConfig): string {
  // A replacer sees Secret.toJSON()'s "<secret>", so it looks at the holder's raw value instead.
  const text = JSON.stringify({ provider, account, cache: config.cache }, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Secret ? createHash('sha256').update(raw.reveal()).digest('hex') : value;
  });
  return createHash('sha256').update(text).digest('hex');
}
