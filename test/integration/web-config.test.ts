// The web config file in exporter-toolkit's format: what it accepts, the exact one-line error for
// each kind of bad file, and that promtool accepts the shipped example.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuthenticator, parseBasicAuth } from '../../src/http/web/basic-auth.js';
import { loadWebConfig, parseWebConfig, readTlsMaterial } from '../../src/http/web/web-config.js';
import { parseListenAddress, secureOptions } from '../../src/http/web/web-server.js';
import { repoRoot } from '../support/paths.js';
import { promtool } from '../support/promtool.js';
import { makeTestPki } from '../support/web-certs.js';

const EXAMPLE = join(repoRoot, 'docs', 'web-config.example.yml');
const HASH = '$2y$10$18UW3mqTat/nCkpPl0TR9eVEuZIZTCCIlxEDGrCcgNrLjBIqaWXCG';

/** The error message parseWebConfig gives for this text, as /etc/web.yml. */
function errorOf(text: string): string {
  try {
    parseWebConfig(text, '/etc/web.yml');
  } catch (error) {
    assert.equal((error as Error).name, 'ConfigError');
    return (error as Error).message;
  }
  assert.fail('expected the web config to be refused');
}

describe('a good web config', () => {
  test('an empty file means plain HTTP, no users, no headers', () => {
    const config = parseWebConfig('', '/etc/web.yml');
    assert.equal(config.tls, undefined);
    assert.equal(config.users.size, 0);
    assert.deepEqual(config.headers, {});
    assert.equal(config.rateLimit, undefined);
  });

  test('TLS keys take the toolkit defaults, and relative paths resolve against the file directory', () => {
    const config = parseWebConfig(
      'tls_server_config:\n  cert_file: tls/a.crt\n  key_file: /abs/a.key\n',
      '/etc/cloudscan-exporter/web.yml',
    );
    assert.deepEqual(config.tls, {
      certFile: '/etc/cloudscan-exporter/tls/a.crt',
      certInline: undefined,
      keyFile: '/abs/a.key',
      keyInline: undefined,
      clientCaFile: undefined,
      clientCaInline: undefined,
      clientAuthType: 'NoClientCert',
      clientAllowedSans: undefined,
      minVersion: 'TLS12',
      maxVersion: 'TLS13',
      cipherSuites: [],
      preferServerCipherSuites: true,
      curvePreferences: [],
    });
    assert.equal(config.http2, true);
  });

  test('every toolkit key is accepted', () => {
    const config = parseWebConfig(
      [
        'tls_server_config:',
        '  cert_file: a.crt',
        '  key_file: a.key',
        '  client_auth_type: RequireAndVerifyClientCert',
        '  client_ca_file: ca.crt',
        '  client_allowed_sans: [prometheus.example]',
        '  min_version: TLS13',
        '  max_version: TLS13',
        '  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]',
        '  prefer_server_cipher_suites: false',
        '  curve_preferences: [X25519, CurveP256]',
        'http_server_config:',
        '  http2: false',
        '  headers:',
        '    X-XSS-Protection: 1; mode=block',
        '    X-Frame-Options: sameorigin',
        'basic_auth_users:',
        `  alice: ${HASH}`,
        'auth_excluded_paths: [/-/ready]',
        'rate_limit:',
        '  interval: 500ms',
        '  burst: 20',
        '',
      ].join('\n'),
      '/w/web.yml',
    );
    assert.equal(config.tls?.clientAuthType, 'RequireAndVerifyClientCert');
    assert.equal(config.tls?.clientCaFile, '/w/ca.crt');
    assert.deepEqual(config.tls?.curvePreferences, ['X25519', 'CurveP256']);
    assert.deepEqual(config.headers, { 'X-XSS-Protection': '1; mode=block', 'X-Frame-Options': 'sameorigin' });
    assert.deepEqual([...config.users], [['alice', HASH]]);
    assert.deepEqual(config.rateLimit, { intervalSeconds: 0.5, burst: 20 });
    assert.deepEqual(config.authExcludedPaths, ['/-/ready']);
  });

  test("RequireClientCert, the toolkit's older name, means RequireAnyClientCert", () => {
    const config = parseWebConfig('tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireClientCert\n', '/w.yml');
    assert.equal(config.tls?.clientAuthType, 'RequireAnyClientCert');
  });
});

describe('a bad web config names the file, line and key in one line', () => {
  const cases: Array<[string, string, string]> = [
    [
      'an unknown key, with a suggestion',
      'tls_server_config:\n  cert_fil: a.crt\n  key_file: a.key\n',
      '/etc/web.yml:2: tls_server_config.cert_fil: unknown key (did you mean cert_file?)',
    ],
    ['an unknown top-level key', 'basic_auth_users: {}\nweb:\n  x: 1\n', '/etc/web.yml:2: web: unknown key'],
    [
      'an unknown key under http_server_config',
      'http_server_config:\n  header:\n    X-Frame-Options: deny\n',
      '/etc/web.yml:2: http_server_config.header: unknown key (did you mean headers?)',
    ],
    [
      'a header the toolkit does not allow',
      'http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Server: me\n',
      '/etc/web.yml:4: http_server_config.headers.Server: HTTP header "Server" can not be configured (allowed: Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security)',
    ],
    [
      'a header value outside its enumeration',
      'http_server_config:\n  headers:\n    X-Frame-Options: allow\n',
      '/etc/web.yml:3: http_server_config.headers.X-Frame-Options: must be one of deny, sameorigin',
    ],
    [
      'an unknown client_auth_type',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Always\n',
      '/etc/web.yml:4: tls_server_config.client_auth_type: unknown client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert, RequireClientCert',
    ],
    [
      'an unknown TLS version',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS1.2\n',
      '/etc/web.yml:4: tls_server_config.min_version: unknown TLS version: must be one of TLS10, TLS11, TLS12, TLS13',
    ],
    [
      'min_version above max_version',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n  max_version: TLS12\n',
      '/etc/web.yml:4: tls_server_config.min_version: TLS13 is above max_version TLS12',
    ],
    [
      'an unknown cipher suite',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites:\n    - TLS_RSA_WITH_RC4_128_SHA\n',
      '/etc/web.yml:5: tls_server_config.cipher_suites[0]: unknown cipher suite: must be one of ' +
        'TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256',
    ],
    [
      'an unknown curve',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  curve_preferences: [P256]\n',
      '/etc/web.yml:4: tls_server_config.curve_preferences[0]: unknown curve: must be one of CurveP256, CurveP384, CurveP521, X25519',
    ],
    ['a key file missing', 'tls_server_config:\n  cert_file: a.crt\n', '/etc/web.yml:1: tls_server_config: missing one of key or key_file'],
    [
      'a certificate missing',
      'tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n  key_file: a.key\n',
      '/etc/web.yml:1: tls_server_config: missing one of cert or cert_file',
    ],
    [
      'a client CA without a client auth type',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca.crt\n',
      '/etc/web.yml:4: tls_server_config.client_ca_file: a client CA is set but client_auth_type is NoClientCert (use RequireAndVerifyClientCert to check client certificates)',
    ],
    [
      'SANs with a client auth type that lets clients skip the certificate',
      'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: VerifyClientCertIfGiven\n  client_allowed_sans: [x]\n',
      '/etc/web.yml:5: tls_server_config.client_allowed_sans: requires client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert',
    ],
    [
      'a password where a hash belongs, without quoting it',
      'basic_auth_users:\n  alice: hunter2-plain\n',
      '/etc/web.yml:2: basic_auth_users.alice: not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')',
    ],
    [
      'a wrong type',
      'http_server_config:\n  http2: maybe\n',
      '/etc/web.yml:2: http_server_config.http2: expected true or false, got a string',
    ],
    [
      'a list where a mapping belongs',
      'basic_auth_users:\n  - alice\n',
      '/etc/web.yml:1: basic_auth_users: expected a mapping, got a list',
    ],
    [
      'a rate limit that is not a duration',
      'rate_limit:\n  interval: often\n  burst: 2\n',
      '/etc/web.yml:2: rate_limit.interval: not a duration (use e.g. 1s, 500ms; 0 turns the limit off)',
    ],
    [
      'a YAML syntax error',
      'tls_server_config:\n  cert_file: [a\n',
      '/etc/web.yml:3: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['a list at the top level', '- a\n', '/etc/web.yml:1: expected a mapping at the top level'],
  ];
  for (const [name, text, message] of cases) {
    test(name, () => assert.equal(errorOf(text), message));
  }

  test('no message quotes a bcrypt hash or a private key', () => {
    assert.doesNotMatch(errorOf(`basic_auth_users:\n  alice: ${HASH.slice(0, 20)}\n`), /\$2y/);
    const inlineKey = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----';
    assert.doesNotMatch(
      errorOf(`tls_server_config:\n  key: |\n    ${inlineKey.replaceAll('\n', '\n    ')}\n  cert_file: a\n  key_file: b\n`),
      /PRIVATE|c2VjcmV0/,
    );
  });

  test('a file that cannot be read says so', () => {
    assert.throws(() => loadWebConfig('/nonexistent/web.yml'), {
      name: 'ConfigError',
      message: '/nonexistent/web.yml: cannot read (ENOENT)',
    });
  });
});

describe('listen addresses', () => {
  test(':9787 means all interfaces; host:0 a free port; IPv6 in brackets', () => {
    assert.deepEqual(parseListenAddress(':9787'), { host: undefined, port: 9787 });
    assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListenAddress('[::1]:9787'), { host: '::1', port: 9787 });
    assert.deepEqual(parseListenAddress('localhost:80'), { host: 'localhost', port: 80 });
    for (const bad of ['9787', 'host:', 'host:99999', ':port', '::1:9787']) {
      assert.throws(() => parseListenAddress(bad), /--web.listen-address: ".*" is not host:port/, bad);
    }
  });
});

describe('basic auth checks', () => {
  test('the Authorization header is read as the RFC says, and anything else is no credentials', () => {
    const header = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;
    assert.deepEqual(parseBasicAuth(header('alice:pa:ss')), { user: 'alice', password: 'pa:ss' });
    assert.deepEqual(parseBasicAuth(header(':')), { user: '', password: '' });
    assert.equal(parseBasicAuth(undefined), undefined);
    assert.equal(parseBasicAuth(header('alice')), undefined);
    assert.equal(parseBasicAuth('Bearer abc'), undefined);
  });

  test('the right password passes, a wrong one or an unknown user does not, and success is remembered', async () => {
    const compared: string[] = [];
    const auth = new BasicAuthenticator(async (password, hash) => {
      compared.push(hash);
      return bcrypt.compare(password, hash);
    });
    const hash = bcrypt.hashSync('wonderland', 4);
    const users = new Map([['alice', hash]]);
    assert.equal(await auth.verify(users, { user: 'alice', password: 'guess' }), false);
    assert.equal(await auth.verify(users, { user: 'bob', password: 'wonderland' }), false);
    assert.equal(await auth.verify(users, undefined), false);
    assert.equal(await auth.verify(new Map(), { user: 'alice', password: 'wonderland' }), false);
    compared.length = 0;
    assert.equal(await auth.verify(users, { user: 'alice', password: 'wonderland' }), true);
    assert.equal(await auth.verify(users, { user: 'alice', password: 'wonderland' }), true);
    assert.deepEqual(compared, [hash], 'the second success is served from the cache, without bcrypt');
    // A changed hash for the same user misses the cache.
    assert.equal(await auth.verify(new Map([['alice', bcrypt.hashSync('other', 4)]]), { user: 'alice', password: 'wonderland' }), false);
  });

  test('an unknown user costs a bcrypt check of the same cost as a known one', async () => {
    const compared: string[] = [];
    const auth = new BasicAuthenticator(async (password, hash) => {
      compared.push(hash);
      return bcrypt.compare(password, hash);
    });
    const users = new Map([['alice', bcrypt.hashSync('wonderland', 8)]]);
    assert.equal(await auth.verify(users, { user: 'mallory', password: 'x' }), false);
    assert.equal(await auth.verify(users, { user: 'mallory', password: 'wonderland' }), false);
    assert.equal(compared.length, 2, 'every unknown-user attempt runs bcrypt');
    for (const hash of compared) {
      assert.notEqual(hash, users.get('alice'));
      assert.equal(bcrypt.getRounds(hash), 8);
    }
  });
});

describe('the shipped example, docs/web-config.example.yml', () => {
  test('promtool check web-config accepts it, and so does the exporter', async (t) => {
    const pki = makeTestPki();
    const dir = mkdtempSync(join(tmpdir(), 'cloudscan-webcfg-'));
    t.after(() => {
      pki.remove();
      rmSync(dir, { recursive: true, force: true });
    });
    const file = join(dir, 'web-config.yml');
    copyFileSync(EXAMPLE, file);
    mkdirSync(join(dir, 'tls'));
    copyFileSync(pki.serverCert, join(dir, 'tls', 'server.crt'));
    copyFileSync(pki.serverKey, join(dir, 'tls', 'server.key'));
    copyFileSync(pki.caCert, join(dir, 'tls', 'client-ca.crt'));

    const { status, output } = promtool(['check', 'web-config', file]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS/);

    const config = loadWebConfig(file);
    assert.equal(config.tls?.clientAuthType, 'RequireAndVerifyClientCert');
    assert.equal(config.tls?.certFile, join(dir, 'tls', 'server.crt'));
    assert.deepEqual([...config.users.keys()], ['prometheus']);
    assert.ok(
      await bcrypt.compare('change-me', config.users.get('prometheus') ?? ''),
      'the example hash is for change-me, as its comment says',
    );
    const material = readTlsMaterial(config);
    assert.ok(material !== undefined && config.tls !== undefined);
    assert.equal(secureOptions(config, config.tls, material).rejectUnauthorized, true);
  });

  test('promtool refuses what the exporter refuses: an unknown key', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudscan-webcfg-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'web.yml');
    const text = readFileSync(EXAMPLE, 'utf8').replace(
      /^tls_server_config:[\s\S]*?^http_server_config:/m,
      'http_server_config:\n  headerz: {}\n',
    );
    writeFileSync(file, text);
    assert.notEqual(promtool(['check', 'web-config', file]).status, 0);
    assert.throws(() => loadWebConfig(file), /http_server_config\.headerz: unknown key/);
  });
});
