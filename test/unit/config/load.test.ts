// Good configuration files load into the ExporterConfig the rest of the exporter uses, with every
// default filled in, ${ENV} references expanded and *_file secrets read.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkConfigFile, loadConfig, parseConfig } from '../../../src/config/load.js';
import { Secret } from '../../../src/base/secret.js';
import type { AlibabaCredentials } from '../../../src/sources/alibaba/config.js';
import type { TencentCredentials } from '../../../src/sources/tencent/config.js';
import { fixturesDir, repoRoot } from '../../support/paths.js';

const dir = join(fixturesDir, 'config');

function tencentKeys(credentials: TencentCredentials | undefined): string[] {
  assert.equal(credentials?.source, 'static');
  if (credentials?.source !== 'static') return [];
  return [credentials.secretId.reveal(), credentials.secretKey.reveal(), credentials.token?.reveal() ?? ''];
}

function alibabaKeys(credentials: AlibabaCredentials | undefined): string[] {
  assert.equal(credentials?.source, 'static');
  if (credentials?.source !== 'static') return [];
  return [credentials.accessKeyId.reveal(), credentials.accessKeySecret.reveal(), credentials.securityToken?.reveal() ?? ''];
}

describe('a good configuration file', () => {
  it('minimal: one account and every default as docs/configuration.md gives it', async () => {
    const file = join(dir, 'good-minimal.yaml');
    const { config, warnings } = await loadConfig(file, {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      file,
      cache: { ttlSeconds: 60, maxStaleSeconds: 1800 },
      scrape: { timeoutSeconds: 9, timeoutOffsetSeconds: 0.5 },
      tencent: [
        {
          name: 'prod',
          credentials: { source: 'env' },
          endpoint: { protocol: 'https', host: 'cwp.tencentcloudapi.com' },
          modules: ['Malware', 'Vul', 'Baseline'],
          baselineStrategies: 'auto',
          rateLimit: 20,
          timeZone: '+08:00',
          perHostSeries: true,
          requestTimeoutSeconds: 5,
          maxResponseBytes: 4 * 1024 * 1024,
          coverage: { enabled: true, regions: ['ap-guangzhou'], machineTypes: ['CVM', 'LH', 'Other'], intervalSeconds: 600 },
        },
      ],
      alibaba: [],
    });
  });

  it('Alibaba defaults: endpoint from the region, all servers, all types', () => {
    const text = 'alibaba:\n  - name: prod\n    region: cn-hangzhou\n    credentials: { source: default }\n';
    const { config } = parseConfig(text, 'config.yaml', {});
    assert.deepEqual(config.alibaba, [
      {
        name: 'prod',
        credentials: { source: 'default' },
        region: 'cn-hangzhou',
        endpoint: { protocol: 'https', host: 'tds.cn-shanghai.aliyuncs.com' },
        servers: 'auto',
        taskIds: [],
        types: ['cve', 'sys', 'cms', 'sca'],
        perServerSeries: true,
        rateLimit: 10,
        requestTimeoutSeconds: 5,
        maxResponseBytes: 4 * 1024 * 1024,
        fullReadIntervalSeconds: 3 * 3600,
      },
    ]);
  });

  it('full: every key set', async () => {
    const { config, warnings } = await loadConfig(join(dir, 'good-full.yaml'), {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.cache, { ttlSeconds: 90, maxStaleSeconds: 3600 });
    assert.deepEqual(config.scrape, { timeoutSeconds: 15, timeoutOffsetSeconds: 0.5 });
    assert.deepEqual(config.tencent[0], {
      name: 'prod',
      credentials: { source: 'oidc' },
      endpoint: { protocol: 'https', host: 'cwp.intl.tencentcloudapi.com' },
      region: 'ap-singapore',
      modules: ['Vul', 'Baseline'],
      baselineStrategies: ['1234', '5678', '123456789012345678901'],
      rateLimit: 5.5,
      timeZone: '-05:00',
      perHostSeries: false,
      requestTimeoutSeconds: 2,
      maxResponseBytes: 1000000,
      coverage: { enabled: true, regions: ['ap-singapore', 'ap-tokyo'], machineTypes: ['CVM', 'BM', 'Other'], intervalSeconds: 1800 },
    });
    assert.deepEqual(config.tencent[1]?.endpoint, { protocol: 'http', host: '127.0.0.1:8080' });
    assert.deepEqual(config.alibaba[0], {
      name: 'intl',
      credentials: { source: 'default' },
      region: 'eu-central-1',
      endpoint: { protocol: 'https', host: 'tds.ap-southeast-1.aliyuncs.com' },
      servers: ['uuid-a', 'uuid-b'],
      taskIds: ['1001', '1002'],
      types: ['cve', 'sca'],
      perServerSeries: false,
      rateLimit: 3,
      requestTimeoutSeconds: 1.5,
      maxResponseBytes: 2000000,
      fullReadIntervalSeconds: 5400,
      resourceDirectoryAccountId: '1234567890123',
    });
    assert.deepEqual(
      config.alibaba[1]?.endpoint,
      { protocol: 'https', host: 'tds.cn-shanghai.aliyuncs.com' },
      'cn-hongkong is served from Shanghai',
    );
    assert.deepEqual(config.alibaba[2]?.endpoint, { protocol: 'https', host: 'emulator.local:8443' });
  });

  it('env expansion: ${NAME}, ${NAME:-default}, inside a longer value, and $${ for a literal', async () => {
    const env = {
      CLOUDSCAN_TEST_ID: 'AKIDenv-0401',
      CLOUDSCAN_TEST_KEY: 'env-key-0402',
      CLOUDSCAN_TEST_AK: 'LTAIenv-0403',
      CLOUDSCAN_TEST_SK: 'env-secret-0404',
      CLOUDSCAN_TEST_STS: 'sts-0405',
      CLOUDSCAN_TEST_RATE: '7',
      CLOUDSCAN_TEST_ENDPOINT: 'http://127.0.0.1:9999',
      CLOUDSCAN_TEST_REGION: '', // empty counts as unset when a default is given
    };
    const { config, warnings } = await loadConfig(join(dir, 'good-env.yaml'), env);
    assert.deepEqual(warnings, [], 'references are not inline secrets');
    assert.equal(config.cache.ttlSeconds, 120);
    const [tencent] = config.tencent;
    assert.equal(tencent?.name, 'prod');
    assert.deepEqual(tencentKeys(tencent?.credentials), ['AKIDenv-0401', 'env-key-0402', '']);
    assert.deepEqual(tencent?.endpoint, { protocol: 'http', host: '127.0.0.1:9999' });
    assert.equal(tencent?.rateLimit, 7);
    const [alibaba] = config.alibaba;
    assert.equal(alibaba?.region, 'cn-hangzhou');
    assert.deepEqual(alibabaKeys(alibaba?.credentials), ['LTAIenv-0403', 'env-secret-0404', 'prefix-sts-0405']);
    assert.equal(alibaba?.perServerSeries, false);
    assert.deepEqual(alibaba?.taskIds, ['${literal}']);
  });

  it('*_file: reads each secret relative to the config file and trims the trailing newline', async () => {
    const { config, warnings } = await loadConfig(join(dir, 'good-secret-files.yaml'), {});
    assert.deepEqual(warnings, []);
    assert.deepEqual(tencentKeys(config.tencent[0]?.credentials), ['AKIDfiletencentid0001', 'filetencentkey-s3cr3t-0002', '']);
    assert.deepEqual(alibabaKeys(config.alibaba[0]?.credentials), ['LTAIfilealibabaid0003', 'filealibabasecret-s3cr3t-0004', '']);
    assert.ok(config.alibaba[0]?.credentials.source === 'static' && config.alibaba[0].credentials.accessKeySecret instanceof Secret);
  });

  it('*_file paths go through the injected reader, absolute', () => {
    const read: string[] = [];
    const text = 'tencent:\n  - name: prod\n    credentials: { secret_id_file: id, secret_key_file: /run/secrets/key }\n';
    const { config } = parseConfig(
      text,
      '/etc/cloudscan/config.yaml',
      {},
      {
        readSecretFile: (path) => {
          read.push(path);
          return `value of ${path}\n\n`;
        },
      },
    );
    assert.deepEqual(read, ['/etc/cloudscan/id', '/run/secrets/key']);
    assert.deepEqual(tencentKeys(config.tencent[0]?.credentials), ['value of /etc/cloudscan/id', 'value of /run/secrets/key', '']);
  });

  it('a secret written inline loads, with a warning that names the key and line', async () => {
    const file = join(dir, 'good-inline-secrets.yaml');
    const { config, warnings } = await loadConfig(file, {});
    assert.deepEqual(tencentKeys(config.tencent[0]?.credentials), ['AKIDinlineid0005', 'inline-tencent-s3cr3t-0006', '']);
    assert.deepEqual(warnings, [
      `${file}:5: tencent[0].credentials.secret_key: secret written inline; use \${ENV_VAR} or secret_key_file instead`,
      `${file}:11: alibaba[0].credentials.access_key_secret: secret written inline; use \${ENV_VAR} or access_key_secret_file instead`,
    ]);
  });

  it('empty sections count as absent', () => {
    const { config } = parseConfig(
      'cache:\nscrape:\ntencent:\n  - name: prod\n    credentials: { source: cvm_role }\n    modules:\nalibaba:\n',
      'c.yaml',
      {},
    );
    assert.equal(config.cache.ttlSeconds, 60);
    assert.deepEqual(config.tencent[0]?.modules, ['Malware', 'Vul', 'Baseline']);
    assert.deepEqual(config.alibaba, []);
  });

  it("config.example.yaml, the users' reference, loads with the defaults it documents", async () => {
    const file = join(repoRoot, 'config.example.yaml');
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDexample',
      TENCENTCLOUD_SECRET_KEY: 'example-key',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIexample',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret',
    };
    const { config, warnings } = await loadConfig(file, env);
    assert.deepEqual(warnings, []);
    const minimal = parseConfig(
      'tencent:\n  - name: prod\n    credentials: { source: env }\nalibaba:\n  - name: prod\n    region: cn-shanghai\n    credentials: { source: default }\n',
      file,
      {},
    ).config;
    const withoutCredentials = (c: typeof config) => ({
      ...c,
      tencent: c.tencent.map((a) => ({ ...a, credentials: null })),
      alibaba: c.alibaba.map((a) => ({ ...a, credentials: null })),
    });
    assert.deepEqual(withoutCredentials(config), withoutCredentials(minimal), 'the example shows exactly the defaults');
  });

  it('--config.check summarises the accounts per provider', async () => {
    const file = join(dir, 'good-full.yaml');
    const result = await checkConfigFile(file, {});
    assert.ok(result.ok);
    const { config, ...summary } = result;
    assert.equal(config.tencent.length + config.alibaba.length, 5);
    assert.deepEqual(summary, {
      ok: true,
      warnings: [],
      summary: [
        `${file}: OK, 5 account(s)`,
        '  cache: ttl 1m30s, max_stale 1h',
        '  tencent/prod: cwp.intl.tencentcloudapi.com, credentials oidc, modules Vul,Baseline, coverage every 30m: 5 DescribeMachines call(s) ' +
          '(CVM,BM in ap-singapore,ap-tokyo; Other in ap-others), 1 more per further 100 machines of a type in a region',
        '  tencent/emulated_1: http://127.0.0.1:8080, credentials profile, modules Malware,Vul,Baseline, coverage every 10m: 3 DescribeMachines call(s) ' +
          '(CVM,LH in ap-guangzhou; Other in ap-others), 1 more per further 100 machines of a type in a region',
        '  alibaba/intl: eu-central-1 via tds.ap-southeast-1.aliyuncs.com, credentials default, servers 2',
        '  alibaba/hk: cn-hongkong via tds.cn-shanghai.aliyuncs.com, credentials default, servers auto',
        '  alibaba/emulated: ap-southeast-1 via https://emulator.local:8443, credentials default, servers auto',
      ].join('\n'),
    });
  });

  it('a configuration loaded twice is equal (reload compares accounts)', () => {
    const text = 'tencent:\n  - name: prod\n    credentials: { source: env }\n';
    assert.deepEqual(parseConfig(text, 'c.yaml', {}).config, parseConfig(text, 'c.yaml', {}).config);
  });
});
