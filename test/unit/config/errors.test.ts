// Each kind of bad configuration file stops the exporter with one exact line naming the file, the
// line, the key path and what is wrong; and no message ever shows a secret.
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, checkConfigFile, loadConfig, parseConfig } from '../../../src/config/load.js';
import { fixturesDir, repoRoot } from '../../support/paths.js';

const dir = join(fixturesDir, 'config');
const env = {
  TENCENTCLOUD_SECRET_ID: 'AKIDenvid-0101',
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIenvid-0102',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-alibaba-s3cr3t-0103',
  CLOUDSCAN_TEST_ID: 'AKIDenvid-0104',
};

const CASES: ReadonlyArray<readonly [kind: string, fixture: string, message: string]> = [
  ['not YAML', 'bad-not-yaml.yaml', ':4: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }'],
  ['unknown key', 'bad-unknown-key.yaml', ':9: alibaba[0].regoin: unknown key (did you mean region?)'],
  ['misspelt required key', 'bad-misspelt-required-key.yaml', ':6: alibaba[0].regoin: unknown key (did you mean region?)'],
  [
    'misspelt Alibaba region',
    'bad-region.yaml',
    ':6: alibaba[0].region: "cn-shangai" is not a region Alibaba Cloud Security Center serves (did you mean cn-shanghai?); a region not listed in docs/configuration.md needs an explicit endpoint: add endpoint: tds.cn-shanghai.aliyuncs.com for a region in mainland China, tds.ap-southeast-1.aliyuncs.com for any other',
  ],
  [
    'misspelt Tencent region',
    'bad-tencent-region.yaml',
    ':6: tencent[0].region: "ap-guangzou" is not a Tencent Cloud region (did you mean ap-guangzhou?); a region not listed in docs/configuration.md needs an explicit endpoint: add endpoint: cwp.tencentcloudapi.com (cwp.intl.tencentcloudapi.com on the international site)',
  ],
  ['wrong type', 'bad-wrong-type.yaml', ':5: tencent[0].rate_limit: expected a number, got a string'],
  ['value not in a list', 'bad-bad-enum.yaml', ':6: tencent[0].modules[1]: "Vull" is not one of Malware, Vul, Baseline'],
  [
    'missing credentials',
    'bad-missing-credentials.yaml',
    ':6: tencent[0].credentials: missing credentials: give secret_id and secret_key, or source: env|profile|cvm_role|oidc',
  ],
  ['half the credentials', 'bad-partial-credentials.yaml', ':5: tencent[0].credentials.secret_key: required'],
  [
    'keys and source together',
    'bad-mixed-credentials.yaml',
    ':7: alibaba[0].credentials.source: give either source: or access_key_id and access_key_secret, not both',
  ],
  ['duplicate account name', 'bad-duplicate-name.yaml', ':12: alibaba[1].name: duplicate account name "prod" (first at line 9)'],
  [
    'bad account name',
    'bad-account-name.yaml',
    ':2: tencent[0].name: "prod account" is not a valid account name (letters, digits, _ . - only, starting with a letter or digit)',
  ],
  [
    'empty account list',
    'bad-no-accounts.yaml',
    ': no accounts: configure at least one under tencent: or alibaba:, or an organization under tencent_organizations: or alibaba_resource_directories:',
  ],
  ['bad duration', 'bad-duration.yaml', ':3: cache.ttl: "60x" is not a duration (use e.g. 30s, 5m, 1h)'],
  [
    'unset env var',
    'bad-unset-env.yaml',
    ':5: tencent[0].credentials.secret_key: environment variable CLOUDSCAN_TEST_UNSET_KEY is not set (set it, or read the secret from a file with secret_key_file)',
  ],
  [
    'bad endpoint',
    'bad-endpoint.yaml',
    ':4: tencent[0].endpoint: "http://127.0.0.1:8080/v3": an endpoint URL takes only a scheme, a host and a port, no path or query',
  ],
  [
    'secret file missing',
    'bad-secret-file-missing.yaml',
    ':6: alibaba[0].credentials.access_key_secret_file: cannot read "secrets/does-not-exist": ENOENT',
  ],
];

describe('a bad configuration file', () => {
  for (const [kind, fixture, message] of CASES) {
    it(`${kind}: one line naming file, line and key`, async () => {
      const file = join(dir, fixture);
      await assert.rejects(loadConfig(file, env), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.message, `${file}${message}`);
        assert.ok(!error.message.includes('\n'));
        return true;
      });
    });
  }

  it('with an unknown key and a missing one in the same account names the unknown key first', () => {
    const text = ['alibaba:', '  - name: shop', '    credentials: { source: default }', '    zone: cn-shanghai', ''].join('\n');
    assert.throws(() => parseConfig(text, 'c.yaml', {}), { message: 'c.yaml:4: alibaba[0].zone: unknown key' });
  });

  it('with a region no list knows loads once the endpoint its message names is added', () => {
    for (const [cloud, region, credentials] of [
      ['alibaba', 'me-west-9', 'default'],
      ['tencent', 'ap-newcity', 'env'],
    ] as const) {
      const text = `${cloud}:\n  - name: a\n    credentials: { source: ${credentials} }\n    region: ${region}\n`;
      let message = '';
      assert.throws(
        () => parseConfig(text, 'c.yaml', {}),
        (error: Error) => ((message = error.message), true),
      );
      const endpoint = / add endpoint: ([a-z0-9.-]+)/.exec(message)?.[1];
      assert.ok(endpoint !== undefined, message);
      assert.equal(parseConfig(`${text}    endpoint: ${endpoint}\n`, 'c.yaml', {}).config[cloud][0]?.region, region);
    }
  });

  it('with a region no list knows loads when an explicit endpoint says where to send it', () => {
    for (const [cloud, extra] of [
      ['alibaba', '    region: cn-shangai\n    endpoint: tds.cn-shanghai.aliyuncs.com\n'],
      ['tencent', '    region: ap-newcity\n    endpoint: cwp.tencentcloudapi.com\n'],
    ] as const) {
      const text = `${cloud}:\n  - name: a\n    credentials: { source: ${cloud === 'alibaba' ? 'default' : 'env'} }\n${extra}`;
      const { config } = parseConfig(text, 'c.yaml', {});
      assert.equal(config[cloud][0]?.region, cloud === 'alibaba' ? 'cn-shangai' : 'ap-newcity');
    }
  });

  it('that does not exist is named with the flag that names it and the example to start from', async () => {
    const file = join(dir, 'no-such-file.yaml');
    const example = relative(process.cwd(), join(repoRoot, 'config.example.yaml'));
    await assert.rejects(loadConfig(file, env), {
      name: 'ConfigError',
      message: `${file}: config file does not exist (give its path with --config.file=FILE, default config.yaml; or start from the example with every key: cp ${example} ${file})`,
    });
  });

  it('--config.check answers with the message, not a throw', async () => {
    const file = join(dir, 'bad-duration.yaml');
    assert.deepEqual(await checkConfigFile(file, env), {
      ok: false,
      message: `${file}:3: cache.ttl: "60x" is not a duration (use e.g. 30s, 5m, 1h)`,
    });
  });
});

describe('exact messages for smaller mistakes', () => {
  const account = (lines: string) => `tencent:\n  - name: prod\n    credentials: { source: env }\n${lines}`;
  const table: ReadonlyArray<readonly [string, string]> = [
    ['- a\n', 'config.yaml:1: expected a mapping, got a list'],
    ['tencent: prod\n', 'config.yaml:1: tencent: expected a list, got a string'],
    [
      'tencent:\n  - name: prod\n',
      'config.yaml:2: tencent[0].credentials: missing credentials: give secret_id and secret_key, or source: env|profile|cvm_role|oidc',
    ],
    ['tencent:\n  - credentials: { source: env }\n', 'config.yaml:2: tencent[0].name: required'],
    [account('    Modules: [Vul]\n'), 'config.yaml:4: tencent[0].Modules: unknown key (did you mean modules?)'],
    [account('    colour: blue\n'), 'config.yaml:4: tencent[0].colour: unknown key'],
    [account('    modules: []\n'), 'config.yaml:4: tencent[0].modules: must not be empty (list at least one module)'],
    [account('    modules: [Vul, Vul]\n'), 'config.yaml:4: tencent[0].modules[1]: "Vul" is listed twice'],
    [
      account('    baseline_strategies: sometimes\n'),
      'config.yaml:4: tencent[0].baseline_strategies: expected auto or a list of strategy ids, got a string',
    ],
    [
      account('    baseline_strategies: [1, [2]]\n'),
      'config.yaml:4: tencent[0].baseline_strategies[1]: expected an id (a string or a whole number), got a list',
    ],
    [account('    rate_limit: 0\n'), 'config.yaml:4: tencent[0].rate_limit: must be greater than 0, got 0'],
    [account('    request_timeout: 0s\n'), 'config.yaml:4: tencent[0].request_timeout: must be greater than 0'],
    [account('    time_zone: "8"\n'), 'config.yaml:4: tencent[0].time_zone: "8" is not a time zone offset (write +08:00 or -05:00)'],
    [
      account('    endpoint: ftp://cwp.tencentcloudapi.com\n'),
      'config.yaml:4: tencent[0].endpoint: "ftp://cwp.tencentcloudapi.com": scheme ftp is not supported (use a host name such as cwp.tencentcloudapi.com or a URL such as http://127.0.0.1:8080)',
    ],
    [
      account('    endpoint: https://cwp.tencentcloudapi.com?x=1\n'),
      'config.yaml:4: tencent[0].endpoint: "https://cwp.tencentcloudapi.com?x=1": an endpoint URL takes only a scheme, a host and a port, no path or query',
    ],
    [
      account('    endpoint: https://user:pw@host\n'),
      'config.yaml:4: tencent[0].endpoint: an endpoint takes no user name or password (use a host name such as cwp.tencentcloudapi.com or a URL such as http://127.0.0.1:8080)',
    ],
    [
      account('    endpoint: cwp.tencentcloudapi.com/v3\n'),
      'config.yaml:4: tencent[0].endpoint: "cwp.tencentcloudapi.com/v3" is not a host name or URL (use a host name such as cwp.tencentcloudapi.com or a URL such as http://127.0.0.1:8080)',
    ],
    [
      account('scrape: { timeout: 1s, timeout_offset: 1s }\n'),
      'config.yaml:4: scrape.timeout_offset: must be less than scrape.timeout (1s)',
    ],
    [account('cache: { ttl: [60] }\n'), 'config.yaml:4: cache.ttl: expected a duration (use e.g. 30s, 5m, 1h), got a list'],
    [
      'tencent:\n  - name: prod\n    credentials: { source: envv }\n',
      'config.yaml:3: tencent[0].credentials.source: "envv" is not one of env, profile, cvm_role, oidc',
    ],
    [
      'tencent:\n  - name: prod\n    credentials: { secret_id: a, secret_key: b, secret_key_file: /k }\n',
      'config.yaml:3: tencent[0].credentials.secret_key_file: give secret_key or secret_key_file, not both',
    ],
    [
      'tencent:\n  - name: prod\n    credentials: { secret_id: "${X}", secret_key: "${Y" }\n',
      'config.yaml:3: tencent[0].credentials.secret_id: environment variable X is not set (set it, or read the secret from a file with secret_id_file)',
    ],
    [
      'tencent:\n  - name: prod\n    credentials: { source: env }\n    region: "${REGION}"\n',
      'config.yaml:4: tencent[0].region: environment variable REGION is not set (set it, or write ${REGION:-default})',
    ],
    [
      'tencent:\n  - name: prod\n    credentials: { secret_id: "${X:-a}", secret_key: "${Y" }\n',
      'config.yaml:3: tencent[0].credentials.secret_key: unclosed ${ (write ${NAME} or ${NAME:-default}; $${ for a literal ${)',
    ],
    [
      'tencent:\n  - name: prod\n    credentials: { secret_id: ${X}, secret_key: ${Y} }\n',
      'config.yaml:3: not valid YAML: Unexpected flow-map-start at node end (inside { } or [ ], quote references: "${NAME}")',
    ],
    [
      'alibaba:\n  - name: prod\n    credentials: { source: default }\n',
      'config.yaml:2: alibaba[0].region: required (e.g. cn-shanghai, or ap-southeast-1 outside China)',
    ],
    [
      'alibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { source: default }\n    per_server_series: yes\n',
      'config.yaml:5: alibaba[0].per_server_series: expected true or false, got a string',
    ],
    [
      'alibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { source: default }\n    full_read_interval: 0s\n',
      'config.yaml:5: alibaba[0].full_read_interval: must be greater than 0',
    ],
    [
      'alibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { access_key_id: "${AK}", access_key_secret: "${SK}" }\n',
      'config.yaml:4: alibaba[0].credentials.access_key_secret: must not be empty (its environment variable is empty)',
    ],
    [
      'tencent:\n  - name: a\n    credentials: { source: env }\n  - name: a\n    credentials: { source: env }\n',
      'config.yaml:4: tencent[1].name: duplicate account name "a" (first at line 2)',
    ],
    ['a: 1\na: 2\n', 'config.yaml:2: not valid YAML: Map keys must be unique'],
    [
      '',
      'config.yaml: no accounts: configure at least one under tencent: or alibaba:, or an organization under tencent_organizations: or alibaba_resource_directories:',
    ],
  ];
  for (const [text, message] of table) {
    it(message, () => {
      assert.throws(() => parseConfig(text, 'config.yaml', { AK: 'LTAI-0201', SK: '' }), { name: 'ConfigError', message });
    });
  }
});

describe('unset environment variables', () => {
  const file = [
    'tencent:',
    '  - name: prod',
    '    credentials: { secret_id: "${TC_ID}", secret_key: "${TC_KEY}" }',
    '    region: "${TC_REGION}"',
    '  - name: test',
    '    credentials: { secret_id: "${TC_ID}", secret_key: "${TC_TEST_KEY}" }',
    'alibaba:',
    '  - name: prod',
    '    region: "${AL_REGION:-cn-shanghai}"',
    '    credentials: { access_key_id: "${AL_ID}", access_key_secret_file: /run/secrets/al }',
    '',
  ].join('\n');

  it('are all named in one error, each once, where it is first used', () => {
    assert.throws(() => parseConfig(file, 'config.yaml', {}), {
      name: 'ConfigError',
      message:
        'config.yaml:3: 5 environment variables are not set: TC_ID (tencent[0].credentials.secret_id, line 3), TC_KEY (tencent[0].credentials.secret_key, line 3), ' +
        'TC_REGION (tencent[0].region, line 4), TC_TEST_KEY (tencent[1].credentials.secret_key, line 6), AL_ID (alibaba[0].credentials.access_key_id, line 10); ' +
        'set them; or read the secrets from files (secret_id_file, secret_key_file, access_key_id_file); or give a default where one fits (${TC_REGION:-default})',
    });
  });

  it('never suggest a default for a secret', () => {
    for (const env of [{}, { TC_REGION: 'ap-guangzhou' }, { TC_REGION: 'ap-guangzhou', TC_ID: 'a', AL_ID: 'b', TC_TEST_KEY: 'c' }]) {
      assert.throws(
        () => parseConfig(file, 'config.yaml', env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          for (const secret of ['TC_ID', 'TC_KEY', 'TC_TEST_KEY', 'AL_ID'])
            assert.ok(!error.message.includes(`\${${secret}:-`), error.message);
          return true;
        },
      );
    }
  });

  it('before a malformed reference are reported, as the first problem of the file', () => {
    const text = 'tencent:\n  - name: prod\n    credentials: { secret_id: "${A}", secret_key: "${B" }\n    region: "${C}"\n';
    assert.throws(() => parseConfig(text, 'config.yaml', {}), {
      message:
        'config.yaml:3: 2 environment variables are not set: A (tencent[0].credentials.secret_id, line 3), C (tencent[0].region, line 4); set them; or read the secrets from files (secret_id_file); or give a default where one fits (${C:-default})',
    });
  });
});

describe('secrets in messages', () => {
  const secrets = ['AKIDleak-0301', 'leak-s3cr3t-0302', 'LTAIleak-0303', 'leak-s3cr3t-0304', 'leak-token-0305'];
  const env = { TID: secrets[0], TKEY: secrets[1], AID: secrets[2], ASECRET: secrets[3], TOKEN: secrets[4] };
  const broken: string[] = [
    // Each file is wrong somewhere after (or around) the secrets.
    `tencent:\n  - name: prod\n    credentials: { secret_id: "${'${TID}'}", secret_key: "${'${TKEY}'}", token: "${'${TOKEN}'}" }\n    rate_limit: x\n`,
    `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: ${secrets[1]}, source: env }\n`,
    `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: [${secrets[1]}] }\n`,
    `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: ${secrets[1]}, secret_kye: ${secrets[4]} }\n`,
    `alibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { access_key_id: "${'${AID}'}", access_key_secret: 12345, security_token: "${'${TOKEN}'}" }\n`,
    `alibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { access_key_id: ${secrets[2]}, access_key_secret: ${secrets[3]}, security_token_file: /nonexistent/${'x'} }\n`,
    `alibaba:\n  - name: prod\n    region: Shanghai\n    credentials: { access_key_id: ${secrets[2]}, access_key_secret: ${secrets[3]} }\n`,
    `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: ${secrets[1]} }\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: ${secrets[1]} }\n`,
    `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: "${secrets[1]}\n`,
  ];

  it('no error message holds a secret value', () => {
    for (const text of broken) {
      let message = '';
      try {
        parseConfig(text, 'config.yaml', env);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        message = error.message;
      }
      assert.notEqual(message, '', `expected an error for:\n${text}`);
      for (const secret of secrets) assert.ok(!message.includes(secret!), `${message} shows a secret`);
    }
  });

  it('a malformed ${...} reference is named by key path and line, never quoted (it may be the secret itself)', () => {
    const canary = 'CANARY-XYZ-123';
    for (const value of [`\${${canary}}`, `"\${${canary}}"`, `"pre\${${canary}}post"`, `"\${ ${canary} }"`]) {
      const text = `tencent:\n  - name: prod\n    credentials:\n      secret_id: AKIDcanary\n      secret_key: ${value}\n`;
      assert.throws(
        () => parseConfig(text, 'config.yaml', env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, String(error));
          assert.ok(!error.message.includes('CANARY'), `${error.message} echoes the reference`);
          assert.match(error.message, /^config\.yaml:5: tencent\[0\]\.credentials\.secret_key: malformed \$\{\.\.\.\} reference/);
          return true;
        },
      );
    }
  });

  it('no warning, summary or printed config holds a secret value', async () => {
    const text = `tencent:\n  - name: prod\n    credentials: { secret_id: ${secrets[0]}, secret_key: ${secrets[1]}, token: ${secrets[4]} }\nalibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { access_key_id: ${secrets[2]}, access_key_secret: ${secrets[3]} }\n`;
    const loaded = parseConfig(text, 'config.yaml', env);
    assert.equal(loaded.warnings.length, 3);
    const printed = [
      ...loaded.warnings,
      JSON.stringify(loaded.config),
      String(loaded.config.tencent[0]?.credentials),
      (await import('node:util')).inspect(loaded.config, { depth: 10 }),
    ];
    for (const text of printed) for (const secret of secrets) assert.ok(!text.includes(secret!), `${text} shows a secret`);
  });
});

describe('organizations: exact messages', () => {
  const table: Array<[string, string]> = [
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n',
      'config.yaml:2: tencent_organizations[0].member_role: required',
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n    duration: 10m\n',
      "config.yaml:5: tencent_organizations[0].duration: must be whole seconds from 15m to 12h (the temporary keys' lifetime), got 10m",
    ],
    [
      // Refused as on an account: STS takes DurationSeconds as an integer.
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n    duration: 900.5s\n',
      "config.yaml:5: tencent_organizations[0].duration: must be whole seconds from 15m to 12h (the temporary keys' lifetime), got 15m500ms",
    ],
    [
      'alibaba_resource_directories:\n  - name: rd\n    credentials: { source: default }\n    member_access: assume_role\n    member_role: Cloudscan\n    duration: 900.5s\n    members: { region: cn-shanghai }\n',
      "config.yaml:6: alibaba_resource_directories[0].duration: must be whole seconds from 15m to 12h (the temporary keys' lifetime), got 15m500ms",
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: "Cloud scan"\n',
      'config.yaml:4: tencent_organizations[0].member_role: "Cloud scan" is not a role name (letters, digits and + = , . @ _ - only, at most 64)',
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n    members: { name: x }\n',
      'config.yaml:5: tencent_organizations[0].members.name: unknown key',
    ],
    [
      'alibaba_resource_directories:\n  - name: rd\n    credentials: { source: default }\n    member_access: assume_role\n    members: { region: cn-shanghai }\n',
      'config.yaml:2: alibaba_resource_directories[0].member_role: required with member_access: assume_role (the RAM role to assume in each member)',
    ],
    [
      'alibaba_resource_directories:\n  - name: rd\n    credentials: { source: default }\n    member_role: Cloudscan\n    members: { region: cn-shanghai }\n',
      'config.yaml:4: alibaba_resource_directories[0].member_role: only with member_access: assume_role (resource_directory_account_id reads every member with the management credentials)',
    ],
    [
      'alibaba_resource_directories:\n  - name: rd\n    credentials: { source: default }\n    members: { servers: auto }\n',
      'config.yaml:4: alibaba_resource_directories[0].members.region: required (e.g. cn-shanghai, or ap-southeast-1 outside China)',
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n',
      'config.yaml:5: tencent_organizations[1].name: duplicate account name "acme" (first at line 2)',
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env, role_arn: "qcs::cam::uin/100012345678:roleName/scanner" }\n    member_role: Cloudscan\n',
      'config.yaml:3: tencent_organizations[0].credentials.role_arn: not on an organization: its own credentials list the members and assume their roles (give them keys or source:, not a role)',
    ],
    [
      'tencent_organizations:\n  - name: acme\n    credentials: { source: env }\n    member_role: Cloudscan\n    include: [a, a]\n',
      'config.yaml:5: tencent_organizations[0].include[1]: "a" is listed twice',
    ],
  ];
  for (const [text, message] of table) {
    it(message, () => {
      assert.throws(
        () => parseConfig(text, 'config.yaml', {}),
        (error: Error) => {
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
});
