// The `--web.config.file`, in Prometheus exporter-toolkit's format: TLS (and mTLS), basic auth users
// with bcrypt hashes, extra response headers. Parsed strictly: an unknown key or a bad value is a
// one-line ConfigError naming the file, line and key path, e.g.
// `web.yml:3: tls_server_config.cert_fil: unknown key (did you mean cert_file?)`.
// Relative file names resolve against the web config file's directory, as the toolkit does.
// No message ever quotes a password hash or a private key.
import { X509Certificate } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import { FILE_LIMITS, readRegularFile, readRegularTextFile } from '../../config/bounded-read.js';
import { YamlFile } from '../../config/document.js';
import { parseDuration } from '../../base/duration.js';
import { ConfigError, type KeyPath } from '../../config/errors.js';
import { closestKey, errorMap, knownKeys } from '../../config/issues.js';

const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** Go's names for TLS versions, as the toolkit spells them, and Node's. */
export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
type TlsVersionName = keyof typeof TLS_VERSIONS;

/**
 * Go's cipher suite names (crypto/tls CipherSuites(), the ones the toolkit accepts) and their OpenSSL
 * names. Go applies cipher_suites to TLS 1.2 and below only; the TLS 1.3 suites are accepted and,
 * as in Go, have no effect (Node keeps its default TLS 1.3 suites).
 */
export const CIPHER_SUITES: Readonly<Record<string, string | null>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_AES_128_GCM_SHA256: null,
  TLS_AES_256_GCM_SHA384: null,
  TLS_CHACHA20_POLY1305_SHA256: null,
};

/** Go's curve names and OpenSSL's. */
export const CURVES = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' } as const;
type CurveName = keyof typeof CURVES;

/**
 * The headers the toolkit lets a web config set (on purpose a closed list, for consistency across
 * the Prometheus ecosystem), with their allowed values where those are an enumeration.
 */
const ALLOWED_HEADERS: Readonly<Record<string, readonly string[] | null>> = {
  'Content-Security-Policy': null,
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-Content-Type-Options': ['nosniff'],
  'X-XSS-Protection': null,
  'Strict-Transport-Security': null,
};

export interface TlsServerConfig {
  /** Absolute path, or undefined when the certificate is given inline (`cert`). */
  certFile: string | undefined;
  certInline: string | undefined;
  keyFile: string | undefined;
  keyInline: string | undefined;
  clientCaFile: string | undefined;
  clientCaInline: string | undefined;
  clientAuthType: ClientAuthType;
  /** Client certificates must carry one of these SANs (DNS, IP, e-mail or URI); undefined: no check. */
  clientAllowedSans: readonly string[] | undefined;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  cipherSuites: readonly string[];
  preferServerCipherSuites: boolean;
  curvePreferences: readonly CurveName[];
}

export interface WebConfig {
  /** The file as the user named it. */
  file: string;
  /** Undefined: plain HTTP. */
  tls: TlsServerConfig | undefined;
  /** Accepted for compatibility; Node serves HTTP/1.1 (the toolkit's default is true). */
  http2: boolean;
  /** Extra headers for every response, from http_server_config.headers. */
  headers: Readonly<Record<string, string>>;
  /** User name -> bcrypt hash. Empty: no basic auth. */
  users: ReadonlyMap<string, string>;
  /** Paths served without basic auth (the toolkit's auth_excluded_paths). */
  authExcludedPaths: readonly string[];
  /** Token bucket over all requests (the toolkit's rate_limit); undefined: none. */
  rateLimit: { intervalSeconds: number; burst: number } | undefined;
}

const names = (values: readonly string[]): string => values.join(', ');

const enumOf = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z.enum(values, { error: (issue) => (issue.input === undefined ? 'required' : `${what}: must be one of ${names(values)}`) });

const tlsSchema = z.strictObject({
  cert: z.string().optional(),
  key: z.string().optional(),
  client_ca: z.string().optional(),
  cert_file: z.string().optional(),
  key_file: z.string().optional(),
  // RequireClientCert: the toolkit's older spelling of RequireAnyClientCert, still accepted there.
  client_auth_type: enumOf([...CLIENT_AUTH_TYPES, 'RequireClientCert'], 'unknown client_auth_type').optional(),
  client_ca_file: z.string().optional(),
  client_allowed_sans: z.array(z.string()).optional(),
  min_version: enumOf(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]], 'unknown TLS version').optional(),
  max_version: enumOf(Object.keys(TLS_VERSIONS) as [TlsVersionName, ...TlsVersionName[]], 'unknown TLS version').optional(),
  cipher_suites: z.array(enumOf(Object.keys(CIPHER_SUITES) as [string, ...string[]], 'unknown cipher suite')).optional(),
  prefer_server_cipher_suites: z.boolean().optional(),
  curve_preferences: z.array(enumOf(Object.keys(CURVES) as [CurveName, ...CurveName[]], 'unknown curve')).optional(),
});

const fileSchema = z.strictObject({
  tls_server_config: tlsSchema.optional(),
  http_server_config: z
    .strictObject({
      http2: z.boolean().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  basic_auth_users: z.record(z.string(), z.string()).optional(),
  auth_excluded_paths: z.array(z.string()).optional(),
  rate_limit: z
    .strictObject({
      interval: z.union([z.string(), z.number()]).optional(),
      burst: z.number().int().min(0).optional(),
    })
    .optional(),
});

type FileShape = z.infer<typeof fileSchema>;

/** The config loader's wording, with zod's "record" said as YAML users say it. */
const webErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.expected === 'record' && issue.input !== undefined) {
    return `expected a mapping, got ${Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'string' ? 'a string' : String(issue.input)}`;
  }
  return errorMap(issue);
};

const VERSION_ORDER: readonly TlsVersionName[] = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];
const BCRYPT_HASH = /^\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Validates the text of a web config file; `file` names it in messages and anchors relative paths. */
export function parseWebConfig(text: string, file: string): WebConfig {
  const yaml = YamlFile.parse(text, file);
  const fail = (path: KeyPath, detail: string, key?: string): never => {
    const line = key === undefined ? yaml.lineOf(path) : yaml.lineOfKey(path, key);
    throw new ConfigError(file, detail, line, key === undefined ? path : [...path, key]);
  };
  const plain = yaml.toPlain();
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new ConfigError(file, 'expected a mapping at the top level', 1);
  }
  const result = fileSchema.safeParse(plain, { error: webErrorMap, reportInput: true });
  if (!result.success) {
    const issue = result.error.issues
      .map((i) => ({ ...i, path: i.path.map((step) => (typeof step === 'symbol' ? String(step) : step)) }))
      .map((i) => ({ issue: i, line: i.code === 'unrecognized_keys' ? yaml.lineOfKey(i.path, i.keys[0] ?? '') : yaml.lineOf(i.path) }))
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))[0]?.issue;
    if (issue === undefined) throw new ConfigError(file, 'invalid web configuration');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      fail(issue.path, `unknown key${hint(issue.path, key)}`, key);
    }
    fail(issue.path, issue.message);
  }
  const data = result.data as FileShape;

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(data.http_server_config?.headers ?? {})) {
    const path = ['http_server_config', 'headers'];
    if (!Object.hasOwn(ALLOWED_HEADERS, name)) {
      fail(path, `HTTP header "${name}" can not be configured (allowed: ${names(Object.keys(ALLOWED_HEADERS))})`, name);
    }
    const allowed = ALLOWED_HEADERS[name];
    if (allowed && !allowed.includes(value)) fail([...path, name], `must be one of ${names(allowed)}`);
    if (/[\r\n]/.test(value)) fail([...path, name], 'must be on one line');
    if (value !== '') headers[name] = value;
  }

  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(data.basic_auth_users ?? {})) {
    let valid = BCRYPT_HASH.test(hash);
    if (valid) {
      try {
        bcrypt.getRounds(hash);
      } catch {
        valid = false;
      }
    }
    // The hash is a <secret> in the toolkit's terms: never quoted.
    if (!valid) fail(['basic_auth_users', user], 'not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')');
    users.set(user, hash);
  }

  let rateLimit: WebConfig['rateLimit'];
  if (data.rate_limit !== undefined) {
    const interval = data.rate_limit.interval === undefined ? 0 : parseDuration(data.rate_limit.interval);
    if (interval === undefined) fail(['rate_limit', 'interval'], 'not a duration (use e.g. 1s, 500ms; 0 turns the limit off)');
    const burst = data.rate_limit.burst ?? 0;
    if (interval !== undefined && interval > 0) {
      if (burst < 1) fail(['rate_limit', 'burst'], 'must be at least 1 when rate_limit.interval is set');
      rateLimit = { intervalSeconds: interval, burst };
    }
  }

  return {
    file,
    tls: tlsConfig(data.tls_server_config, dirname(file), fail),
    http2: data.http_server_config?.http2 ?? true,
    headers,
    users,
    authExcludedPaths: data.auth_excluded_paths ?? [],
    rateLimit,
  };
}

function tlsConfig(
  raw: FileShape['tls_server_config'],
  dir: string,
  fail: (path: KeyPath, detail: string, key?: string) => never,
): TlsServerConfig | undefined {
  // As the toolkit: TLS is on when any certificate, key, client CA or client auth type is set.
  if (raw === undefined) return undefined;
  const enabled = [raw.cert, raw.cert_file, raw.key, raw.key_file, raw.client_ca, raw.client_ca_file, raw.client_auth_type].some(
    (value) => value !== undefined && value !== '',
  );
  if (!enabled) return undefined;
  const at = ['tls_server_config'];
  const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);
  const cert = nonEmpty(raw.cert);
  const certFile = nonEmpty(raw.cert_file);
  const key = nonEmpty(raw.key);
  const keyFile = nonEmpty(raw.key_file);
  const clientCa = nonEmpty(raw.client_ca);
  const clientCaFile = nonEmpty(raw.client_ca_file);
  if (cert === undefined && certFile === undefined) fail(at, 'missing one of cert or cert_file');
  if (key === undefined && keyFile === undefined) fail(at, 'missing one of key or key_file');
  if (cert !== undefined && certFile !== undefined) fail([...at, 'cert'], 'give cert or cert_file, not both');
  if (key !== undefined && keyFile !== undefined) fail([...at, 'key'], 'give key or key_file, not both');
  if (clientCa !== undefined && clientCaFile !== undefined) fail([...at, 'client_ca'], 'give client_ca or client_ca_file, not both');

  const clientAuthType: ClientAuthType =
    raw.client_auth_type === 'RequireClientCert' ? 'RequireAnyClientCert' : (raw.client_auth_type ?? 'NoClientCert');
  if ((clientCa !== undefined || clientCaFile !== undefined) && clientAuthType === 'NoClientCert') {
    fail(
      [...at, clientCaFile !== undefined ? 'client_ca_file' : 'client_ca'],
      'a client CA is set but client_auth_type is NoClientCert (use RequireAndVerifyClientCert to check client certificates)',
    );
  }
  if (
    raw.client_allowed_sans !== undefined &&
    clientAuthType !== 'RequireAnyClientCert' &&
    clientAuthType !== 'RequireAndVerifyClientCert'
  ) {
    fail([...at, 'client_allowed_sans'], 'requires client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert');
  }
  const minVersion = raw.min_version ?? 'TLS12';
  const maxVersion = raw.max_version ?? 'TLS13';
  if (VERSION_ORDER.indexOf(minVersion) > VERSION_ORDER.indexOf(maxVersion)) {
    fail([...at, 'min_version'], `${minVersion} is above max_version ${maxVersion}`);
  }
  const join = (name: string | undefined): string | undefined => (name === undefined ? undefined : resolve(dir, name));
  return {
    certFile: join(certFile),
    certInline: cert,
    keyFile: join(keyFile),
    keyInline: key,
    clientCaFile: join(clientCaFile),
    clientCaInline: clientCa,
    clientAuthType,
    clientAllowedSans: raw.client_allowed_sans,
    minVersion,
    maxVersion,
    cipherSuites: raw.cipher_suites ?? [],
    preferServerCipherSuites: raw.prefer_server_cipher_suites ?? true,
    curvePreferences: raw.curve_preferences ?? [],
  };
}

/** " (did you mean cert_file?)" for a near miss (one edit) of a key the schema allows there, else "". */
function hint(path: readonly (string | number)[], key: string): string {
  const best = closestKey(key, knownKeys(fileSchema, path), 1);
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

/** The TLS material read from disk (or inline), ready for tls.createSecureContext. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer | undefined;
}

/**
 * Reads the certificate, key and client CA. Throws a ConfigError naming the key and the path (never
 * the key's contents) when a file cannot be read or holds no PEM certificate.
 */
export function readTlsMaterial(config: WebConfig): TlsMaterial | undefined {
  const tls = config.tls;
  if (tls === undefined) return undefined;
  const read = (key: string, path: string): Buffer => {
    try {
      return readRegularFile(path, FILE_LIMITS.tls);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      throw new ConfigError(config.file, `cannot read ${path} (${reason})`, undefined, ['tls_server_config', key]);
    }
  };
  const cert = tls.certFile !== undefined ? read('cert_file', tls.certFile) : Buffer.from(tls.certInline ?? '');
  const key = tls.keyFile !== undefined ? read('key_file', tls.keyFile) : Buffer.from(tls.keyInline ?? '');
  const ca =
    tls.clientCaFile !== undefined
      ? read('client_ca_file', tls.clientCaFile)
      : tls.clientCaInline === undefined
        ? undefined
        : Buffer.from(tls.clientCaInline);
  const certKey = tls.certFile !== undefined ? 'cert_file' : 'cert';
  if (!holdsCertificate(cert)) throw new ConfigError(config.file, 'holds no PEM certificate', undefined, ['tls_server_config', certKey]);
  if (ca !== undefined && !holdsCertificate(ca)) {
    throw new ConfigError(config.file, 'holds no PEM certificate', undefined, [
      'tls_server_config',
      tls.clientCaFile !== undefined ? 'client_ca_file' : 'client_ca',
    ]);
  }
  return { cert, key, ca };
}

function holdsCertificate(pem: Buffer): boolean {
  const text = pem.toString('utf8');
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text);
  if (block === null) return false;
  try {
    new X509Certificate(block[0]);
    return true;
  } catch {
    return false;
  }
}

/** The files a web config depends on: the file itself and its TLS files (absolute paths). */
export function watchedFiles(config: WebConfig): string[] {
  const tls = config.tls;
  const files = [config.file];
  if (tls !== undefined) {
    for (const path of [tls.certFile, tls.keyFile, tls.clientCaFile]) if (path !== undefined) files.push(path);
  }
  return files;
}

/** Reads and parses a web config file (synchronously: a regular file of at most 1 MiB, read at most once a second). */
export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readRegularTextFile(file, FILE_LIMITS.webConfig);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(file, `cannot read (${reason})`);
  }
  return parseWebConfig(text, file);
}
