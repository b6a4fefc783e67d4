// HTTP basic auth against the web config's bcrypt hashes, as Prometheus' exporter-toolkit does it:
// - an unknown user is checked against a dummy hash of the same cost, so the answer takes as long as
//   for a known user and timing does not tell which users exist;
// - a successful check is cached under a SHA-256 of user, hash and password, so bcrypt (tens of ms
//   at cost 10) does not run on every scrape; a changed hash or password misses the cache;
// - failures are not cached: each wrong guess pays for its bcrypt.
import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

export const REALM = 'cloudscan-exporter';
export const WWW_AUTHENTICATE = `Basic realm="${REALM}"`;

const CACHE_SIZE = 256;

/** Dummy hashes by cost, made once per cost per process. */
const dummyHashes = new Map<number, string>();

function dummyHash(cost: number): string {
  let hash = dummyHashes.get(cost);
  if (hash === undefined) {
    hash = bcrypt.hashSync(randomBytes(18).toString('base64'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

export interface Credentials {
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
export type HashCompare = (password: string, hash: string) => Promise<boolean>;

export class BasicAuthenticator {
  readonly #cache = new Map<string, true>();

  constructor(private readonly compare: HashCompare = (password, hash) => bcrypt.compare(password, hash)) {}

  /**
   * True when the credentials match a user's hash. Runs bcrypt (asynchronously, off the event loop's
   * critical path) unless this exact user, hash and password succeeded before.
   */
  async verify(users: ReadonlyMap<string, string>, credentials: Credentials | undefined): Promise<boolean> {
    if (credentials === undefined || users.size === 0) return false;
    const known = users.get(credentials.user);
    const hash = known ?? dummyHash(maxCost(users));
    const key = createHash('sha256')
      .update(credentials.user)
      .update('\0')
      .update(hash)
      .update('\0')
      .update(credentials.password)
      .digest('hex');
    if (known !== undefined && this.#cache.has(key)) return true;
    let match: boolean;
    try {
      match = await this.compare(credentials.password, hash);
    } catch {
      match = false;
    }
    if (!match || known === undefined) return false;
    if (this.#cache.size >= CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(key, true);
    return true;
  }
}

function maxCost(users: ReadonlyMap<string, string>): number {
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
