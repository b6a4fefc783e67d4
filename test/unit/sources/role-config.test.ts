// `credentials.role_arn` and its options, as a person writes them: the settings they give (with each
// cloud's defaults), and one exact line for each kind of mistake, with what was likely meant.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../src/config/load.js';
import { summarize } from '../../../src/config/summary.js';
import { alibabaStsEndpoint } from '../../../src/sources/alibaba/role-endpoint.js';
import { tencentStsEndpoint } from '../../../src/sources/tencent/role-endpoint.js';
import type { AlibabaAccountConfig } from '../../../src/sources/alibaba/config.js';
import type { TencentAccountConfig } from '../../../src/sources/tencent/config.js';

const env = { BASE_ID: 'AKIDbase-0001', BASE_KEY: 'base-secret-0002', EXTERNAL: 'ext-id-from-env' } as NodeJS.ProcessEnv;
const FILE = '/etc/cloudscan/config.yaml';

function tencent(credentials: string): TencentAccountConfig {
  const config = parseConfig(`tencent:\n  - name: member\n    credentials: ${credentials}\n`, FILE, env).config as unknown as {
    tencent: TencentAccountConfig[];
  };
  return config.tencent[0]!;
}

function alibaba(credentials: string): AlibabaAccountConfig {
  const config = parseConfig(`alibaba:\n  - name: member\n    region: cn-shanghai\n    credentials: ${credentials}\n`, FILE, env)
    .config as unknown as {
    alibaba: AlibabaAccountConfig[];
  };
  return config.alibaba[0]!;
}

function problem(cloud: 'tencent' | 'alibaba', credentials: string): string {
  try {
    if (cloud === 'tencent') tencent(credentials);
    else alibaba(credentials);
  } catch (error) {
    return (error as Error).message.replace(`${FILE}:`, '');
  }
  return 'no error';
}

describe('the settings of an account that assumes a role', () => {
  test('Tencent: static keys assume the role; session name and duration default (STS: 7200 s)', () => {
    const account = tencent(
      '{ secret_id: "${BASE_ID}", secret_key: "${BASE_KEY}", role_arn: "qcs::cam::uin/100012345678:roleName/cloudscan-reader" }',
    );
    assert.equal(account.credentials.source, 'static');
    assert.deepEqual(account.credentials.role, {
      arn: 'qcs::cam::uin/100012345678:roleName/cloudscan-reader',
      sessionName: 'cloudscan-exporter',
      durationSeconds: 7200,
    });
  });

  test('Tencent: any base credential source, with every role option spelled out', () => {
    const account = tencent(
      '{ source: cvm_role, role_arn: "qcs::cam::uin/100012345678:role/4611686018427397919", role_session_name: "scan@prod", duration: 1h, external_id: "${EXTERNAL}", sts_endpoint: "sts.intl.tencentcloudapi.com" }',
    );
    assert.deepEqual(account.credentials, {
      source: 'cvm_role',
      role: {
        arn: 'qcs::cam::uin/100012345678:role/4611686018427397919',
        sessionName: 'scan@prod',
        durationSeconds: 3600,
        externalId: 'ext-id-from-env',
        stsEndpoint: { protocol: 'https', host: 'sts.intl.tencentcloudapi.com' },
      },
    });
  });

  test("Alibaba: an ExternalId may hold a plus, as STS's own pattern allows", () => {
    const account = alibaba(
      '{ source: default, role_arn: "acs:ram::1234567890123456:role/cloudscan-reader", external_id: "team+scan=prod" }',
    );
    assert.equal(account.credentials.role?.externalId, 'team+scan=prod');
  });

  test('Alibaba: the default chain assumes the role; STS default duration 3600 s', () => {
    const account = alibaba(
      '{ source: default, role_arn: "acs:ram::1234567890123456:role/cloudscan-reader", sts_endpoint: "http://127.0.0.1:18080" }',
    );
    assert.deepEqual(account.credentials, {
      source: 'default',
      role: {
        arn: 'acs:ram::1234567890123456:role/cloudscan-reader',
        sessionName: 'cloudscan-exporter',
        durationSeconds: 3600,
        stsEndpoint: { protocol: 'http', host: '127.0.0.1:18080' },
      },
    });
  });

  test('without role_arn the credentials are the base credential alone', () => {
    assert.equal(tencent('{ source: env }').credentials.role, undefined);
    assert.equal(alibaba('{ source: default }').credentials.role, undefined);
  });
});

describe('a bad role is refused when the file is loaded, naming the line and key', () => {
  const cases: ReadonlyArray<readonly [string, 'tencent' | 'alibaba', string, string]> = [
    [
      'an Alibaba ARN under tencent',
      'tencent',
      '{ source: env, role_arn: "acs:ram::1234567890123456:role/reader" }',
      '3: tencent[0].credentials.role_arn: "acs:ram::1234567890123456:role/reader" is an Alibaba Cloud RAM role ARN; under tencent: write qcs::cam::uin/<owner uin>:roleName/<role name>, e.g. qcs::cam::uin/100012345678:roleName/cloudscan-reader',
    ],
    [
      'a role name after role/',
      'tencent',
      '{ source: env, role_arn: "qcs::cam::uin/100012345678:role/cloudscan-reader" }',
      '3: tencent[0].credentials.role_arn: "qcs::cam::uin/100012345678:role/cloudscan-reader" is not a role ARN: did you mean qcs::cam::uin/100012345678:roleName/cloudscan-reader?',
    ],
    [
      'uin/ left out',
      'tencent',
      '{ source: env, role_arn: "qcs::cam::100012345678:roleName/reader" }',
      '3: tencent[0].credentials.role_arn: "qcs::cam::100012345678:roleName/reader" is not a role ARN: did you mean qcs::cam::uin/100012345678:roleName/reader?',
    ],
    [
      'an AWS ARN',
      'tencent',
      '{ source: env, role_arn: "arn:aws:iam::123456789012:role/reader" }',
      '3: tencent[0].credentials.role_arn: "arn:aws:iam::123456789012:role/reader" is an AWS-style ARN; a Tencent Cloud role ARN is qcs::..., write qcs::cam::uin/<owner uin>:roleName/<role name>, e.g. qcs::cam::uin/100012345678:roleName/cloudscan-reader',
    ],
    [
      'something that is no ARN at all is not quoted',
      'tencent',
      '{ source: env, role_arn: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }',
      '3: tencent[0].credentials.role_arn: the value is not a Tencent Cloud role ARN (write qcs::cam::uin/<owner uin>:roleName/<role name>, e.g. qcs::cam::uin/100012345678:roleName/cloudscan-reader)',
    ],
    [
      'a RAM user',
      'alibaba',
      '{ source: default, role_arn: "acs:ram::1234567890123456:user/scanner" }',
      '4: alibaba[0].credentials.role_arn: "acs:ram::1234567890123456:user/scanner" names a RAM user, not a role: write acs:ram::<account id>:role/<role name>, e.g. acs:ram::1234567890123456:role/cloudscan-reader',
    ],
    [
      'an assumed-role session ARN',
      'alibaba',
      '{ source: default, role_arn: "acs:ram::1234567890123456:assumed-role/reader/cloudscan-exporter" }',
      '4: alibaba[0].credentials.role_arn: "acs:ram::1234567890123456:assumed-role/reader/cloudscan-exporter" is an assumed-role session, not the role: did you mean acs:ram::1234567890123456:role/reader?',
    ],
    [
      'one colon missing',
      'alibaba',
      '{ source: default, role_arn: "acs:ram:1234567890123456:role/reader" }',
      '4: alibaba[0].credentials.role_arn: "acs:ram:1234567890123456:role/reader" is not a role ARN: did you mean acs:ram::1234567890123456:role/reader?',
    ],
    [
      'a Tencent ARN under alibaba',
      'alibaba',
      '{ source: default, role_arn: "qcs::cam::uin/100012345678:roleName/reader" }',
      '4: alibaba[0].credentials.role_arn: "qcs::cam::uin/100012345678:roleName/reader" is a Tencent Cloud role ARN; under alibaba: write acs:ram::<account id>:role/<role name>, e.g. acs:ram::1234567890123456:role/cloudscan-reader',
    ],
    [
      'role_arn without a base credential',
      'tencent',
      '{ role_arn: "qcs::cam::uin/100012345678:roleName/reader" }',
      '3: tencent[0].credentials: role_arn needs a base credential to assume the role with; missing credentials: give secret_id and secret_key, or source: env|profile|cvm_role|oidc',
    ],
    [
      'a role option without role_arn',
      'alibaba',
      '{ source: default, external_id: "abc-123" }',
      '4: alibaba[0].credentials.external_id: only with role_arn (the role to assume)',
    ],
    [
      'a duration shorter than STS gives',
      'tencent',
      '{ source: env, role_arn: "qcs::cam::uin/1:roleName/reader", duration: 5m }',
      "3: tencent[0].credentials.duration: must be whole seconds from 15m to 12h (the temporary keys' lifetime), got 5m",
    ],
    [
      'a duration longer than STS gives',
      'alibaba',
      '{ source: default, role_arn: "acs:ram::1:role/reader", duration: 24h }',
      "4: alibaba[0].credentials.duration: must be whole seconds from 15m to 12h (the temporary keys' lifetime), got 1d",
    ],
    [
      'a session name with a space',
      'alibaba',
      '{ source: default, role_arn: "acs:ram::1:role/reader", role_session_name: "cloud scan" }',
      '4: alibaba[0].credentials.role_session_name: must be 2 to 64 letters, digits or .@_- (RoleSessionName)',
    ],
    [
      'an external id of one character (not quoted)',
      'tencent',
      '{ source: env, role_arn: "qcs::cam::uin/1:roleName/reader", external_id: "x" }',
      '3: tencent[0].credentials.external_id: must be 2 to 128 letters, digits or +=,.@:/_- (ExternalId)',
    ],
    [
      'an STS endpoint with a path',
      'tencent',
      '{ source: env, role_arn: "qcs::cam::uin/1:roleName/reader", sts_endpoint: "https://sts.tencentcloudapi.com/v3" }',
      '3: tencent[0].credentials.sts_endpoint: "https://sts.tencentcloudapi.com/v3": an endpoint URL takes only a scheme, a host and a port, no path or query',
    ],
    [
      'a misspelt role key',
      'tencent',
      '{ source: env, role_rn: "qcs::cam::uin/1:roleName/reader" }',
      '3: tencent[0].credentials.role_rn: unknown key (did you mean role_arn?)',
    ],
  ];
  for (const [what, cloud, credentials, message] of cases) {
    test(what, () => assert.equal(problem(cloud, credentials), message));
  }
});

describe('where AssumeRole is called', () => {
  const role = { arn: 'x', sessionName: 'cloudscan-exporter', durationSeconds: 3600 };
  test("Tencent: the STS of the account's site, sts_endpoint when given, or an endpoint outside the cloud's domain itself", () => {
    const at = (host: string, protocol: 'https' | 'http' = 'https') => tencentStsEndpoint({ endpoint: { protocol, host } }, role);
    assert.deepEqual(at('cwp.tencentcloudapi.com'), { protocol: 'https', host: 'sts.tencentcloudapi.com' });
    assert.deepEqual(at('cwp.ap-singapore.tencentcloudapi.com'), { protocol: 'https', host: 'sts.tencentcloudapi.com' });
    assert.deepEqual(at('cwp.intl.tencentcloudapi.com'), { protocol: 'https', host: 'sts.intl.tencentcloudapi.com' });
    assert.deepEqual(at('127.0.0.1:18080', 'http'), { protocol: 'http', host: '127.0.0.1:18080' });
    // The same site keeps the endpoint's scheme and port (a proxy of the cloud's hosts, the emulator addressed by them).
    assert.deepEqual(at('cwp.intl.tencentcloudapi.com:8443'), { protocol: 'https', host: 'sts.intl.tencentcloudapi.com:8443' });
    assert.deepEqual(at('cwp.tencentcloudapi.com:18080', 'http'), { protocol: 'http', host: 'sts.tencentcloudapi.com:18080' });
    const given = { protocol: 'https' as const, host: 'sts.ap-guangzhou.tencentcloudapi.com' };
    assert.deepEqual(
      tencentStsEndpoint({ endpoint: { protocol: 'https', host: 'cwp.intl.tencentcloudapi.com' } }, { ...role, stsEndpoint: given }),
      given,
    );
  });

  test("Alibaba: sts.aliyuncs.com for the cloud's own endpoints, sts_endpoint when given, or an endpoint outside aliyuncs.com itself", () => {
    const at = (host: string, protocol: 'https' | 'http' = 'https') => alibabaStsEndpoint({ endpoint: { protocol, host } }, role);
    assert.deepEqual(at('tds.cn-shanghai.aliyuncs.com'), { protocol: 'https', host: 'sts.aliyuncs.com' });
    assert.deepEqual(at('tds.ap-southeast-1.aliyuncs.com'), { protocol: 'https', host: 'sts.aliyuncs.com' });
    assert.deepEqual(at('127.0.0.1:18080', 'http'), { protocol: 'http', host: '127.0.0.1:18080' });
    const vpc = { protocol: 'https' as const, host: 'sts-vpc.cn-shanghai.aliyuncs.com' };
    assert.deepEqual(
      alibabaStsEndpoint({ endpoint: { protocol: 'https', host: 'tds.vpc-proxy.aliyuncs.com' } }, { ...role, stsEndpoint: vpc }),
      vpc,
    );
  });

  test('--config.check names the role, its session, duration and STS, and that an external id is set, never its value', () => {
    const { config } = parseConfig(
      [
        'tencent:',
        '  - name: member',
        '    credentials: { source: cvm_role, role_arn: "qcs::cam::uin/100012345678:roleName/cloudscan-reader", external_id: "${EXTERNAL}" }',
        '',
      ].join('\n'),
      FILE,
      env,
    );
    const text = summarize(FILE, config, []);
    assert.match(
      text,
      /tencent\/member: cwp\.tencentcloudapi\.com, credentials cvm_role, role qcs::cam::uin\/100012345678:roleName\/cloudscan-reader \(session cloudscan-exporter, 2h, external id\) via STS sts\.tencentcloudapi\.com, modules/,
    );
    assert.ok(!text.includes('ext-id-from-env'));
  });

  test("--config.check says of every Alibaba role that STS refuses a root account's AccessKey (no key id tells one apart)", () => {
    const { config } = parseConfig(
      [
        'alibaba:',
        '  - name: member',
        '    region: cn-shanghai',
        '    credentials: { access_key_id: "${BASE_ID}", access_key_secret: "${BASE_KEY}", role_arn: "acs:ram::1234567890123456:role/cloudscan-reader" }',
        '  - name: own',
        '    region: cn-shanghai',
        '    credentials: { access_key_id: "${BASE_ID}", access_key_secret: "${BASE_KEY}" }',
        '',
      ].join('\n'),
      FILE,
      env,
    );
    const lines = summarize(FILE, config, []).split('\n');
    assert.match(
      lines.find((line) => line.includes('alibaba/member:')) ?? '',
      /signed by a RAM user's or a role's key: STS refuses a root account's AccessKey/,
    );
    assert.doesNotMatch(lines.find((line) => line.includes('alibaba/own:')) ?? '', /root account/, 'no role, nothing to say');
  });
});

describe('sts_endpoint over plain HTTP', () => {
  const tencentRole = (sts: string) => `{ source: cvm_role, role_arn: "qcs::cam::uin/100012345678:roleName/r", sts_endpoint: "${sts}" }`;
  const alibabaRole = (sts: string) => `{ source: default, role_arn: "acs:ram::1234567890123456:role/r", sts_endpoint: "${sts}" }`;

  test('to a host other than this machine is refused: the answer holds the temporary keys', () => {
    for (const [cloud, credentials] of [
      ['tencent', tencentRole('http://sts.example.com')],
      ['alibaba', alibabaRole('http://10.0.0.7:8080')],
    ] as const) {
      assert.match(
        problem(cloud, credentials),
        /^\d: (tencent|alibaba)\[0\]\.credentials\.sts_endpoint: http:\/\/[\w.:]+ would carry the role's temporary keys in cleartext: use https:\/\/, or http:\/\/ only to this machine \(127\.0\.0\.1, \[::1\], localhost\)$/,
      );
    }
  });

  test('to this machine (an emulator, a local proxy) and over HTTPS anywhere is taken', () => {
    for (const sts of [
      'http://127.0.0.1:18080',
      'http://127.1.2.3:1',
      'http://localhost:8080',
      'http://[::1]:8080',
      'https://sts.example.com',
      'sts.example.com',
    ]) {
      assert.equal(problem('tencent', tencentRole(sts)), 'no error', sts);
      assert.equal(problem('alibaba', alibabaRole(sts)), 'no error', sts);
    }
  });
});
