// HTTP basic auth against the web config's bcrypt hashes, as Prometheus' exporter-toolkit does it,
// made safe for a single-threaded server:
// - bcrypt runs in worker threads (bcrypt-pool.ts), never on the event loop: wrong passwords cost
//   CPU, not scrapes;
// - at most `maxPending` checks wait or run at once; past that a request is answered 429 at once,
//   without hashing, so a flood of wrong passwords cannot queue without bound;
// - a successful check is cached under an HMAC-SHA256 (per-process random key) of user, hash and
//   password, so a good client skips bcrypt and never waits behind bad ones; a changed hash or
//   password misses the cache;
// - an unknown user is checked against a dummy hash of the same cost (made without hashing: random
//   salt and digest), so the answer takes as long as for a known user and timing does not tell
//   which users exist;
// - failures are not cached: each wrong guess pays for its bcrypt;
// - passwords over 72 bytes: as Go's bcrypt.CompareHashAndPassword (which the toolkit calls), only
//   the first 72 bytes count; bcryptjs does the same.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { sharedBcryptPool } from './bcrypt-pool.js';

const REALM = 'cloudscan-exporter';
export const WWW_AUTHENTICATE = `Basic realm="${REALM}"`;

const CACHE_SIZE = 256;

/** Checks waiting or running at most; the 2^10 rounds of one check take ~60 ms of one core. */
const DEFAULT_MAX_PENDING = 16;

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A well-formed bcrypt hash of this cost that matches no password: checking against it costs as much as a real one. */
function dummyHash(cost: number): string {
  let tail = '';
  for (let i = 0; i < 53; i++) tail += BCRYPT_ALPHABET[randomInt(BCRYPT_ALPHABET.length)];
  return `$2b$${String(cost).padStart(2, '0')}$${tail}`;
}

interface Credentials {
  user: string;
  password: string;
}

/** The user and password of an `Authorization: Basic ...` header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** bcrypt's compare; injectable so tests can see which hash each check ran against. */
type HashCompare = (password: string, hash: string) => Promise<boolean>;

/** Thrown by verify when `maxPending` checks are already waiting or running: answer 429. */
export class TooManyVerificationsError extends Error {
  override readonly name = 'TooManyVerificationsError';
}

interface BasicAuthenticatorOptions {
  maxPending?: number;
}

export class BasicAuthenticator {
  readonly #cache = new Map<string, true>();
  readonly #cacheKey = randomBytes(32);
  readonly #dummies = new Map<number, string>();
  readonly #maxPending: number;
  #pending = 0;

  constructor(
    private readonly compare: HashCompare = (password, hash) => sharedBcryptPool().compare(password, hash),
    options: BasicAuthenticatorOptions = {},
  ) {
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  }

  /** Checks waiting or running now. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * True when the credentials match a user's hash. A cached success answers at once; otherwise the
   * check runs in a worker thread, or throws TooManyVerificationsError when too many already wait.
   */
  async verify(users: ReadonlyMap<string, string>, credentials: Credentials | undefined): Promise<boolean> {
    if (credentials === undefined || users.size === 0) return false;
    const known = users.get(credentials.user);
    const hash = known ?? this.#dummy(maxCost(users));
    const key = createHmac('sha256', this.#cacheKey)
      .update(credentials.user)
      .update('\0')
      .update(hash)
      .update('\0')
      .update(credentials.password)
      .digest('hex');
    if (known !== undefined && this.#cache.has(key)) return true;
    if (this.#pending >= this.#maxPending) throw new TooManyVerificationsError(`${this.#pending} password checks already pending`);
    this.#pending += 1;
    let match: boolean;
    try {
      match = await this.compare(credentials.password, hash);
    } catch {
      match = false;
    } finally {
      this.#pending -= 1;
    }
    if (!match || known === undefined) return false;
    if (this.#cache.size >= CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, true);
    return true;
  }

  #dummy(cost: number): string {
    let hash = this.#dummies.get(cost);
    if (hash === undefined) {
      hash = dummyHash(cost);
      this.#dummies.set(cost, hash);
    }
    return hash;
  }
}

const costs = new WeakMap<ReadonlyMap<string, string>, number>();

/** The highest cost among the users' hashes (remembered per users map: it is read on every check). */
function maxCost(users: ReadonlyMap<string, string>): number {
  const known = costs.get(users);
  if (known !== undefined) return known;
  const cost = highestCost(users);
  costs.set(users, cost);
  return cost;
}

function highestCost(users: ReadonlyMap<string, string>): number {
  let cost = 10;
  let first = true;
  for (const hash of users.values()) {
    try {
      const rounds = bcrypt.getRounds(hash);
      cost = first ? rounds : Math.max(cost, rounds);
      first = false;
    } catch {
      // parseWebConfig only lets bcrypt hashes through.
    }
  }
  return cost;
}
