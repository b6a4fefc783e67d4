// Secret files saved with a byte-order mark or a stray character (issue 21, finding 4): the mark is
// taken off when the file is read; any other character a request header cannot carry is refused when
// the configuration loads, by position, never by value; and a credential that reaches the SDK with one
// anyway is a configuration error shown with a fixed text: no SecretId, token or signature in the
// log, on / or in the debug probe, and not retried as a network failure.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { Secret } from '../../src/base/secret.js';
import { valueOf } from '../support/exposition.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

const TENCENT = { secretId: 'AKIDsecretFiles0000000000000000000001', secretKey: 'secretFilesTencentKey000000000001' };
const ALIBABA = { accessKeyId: 'LTAI5tSecretFiles00001', accessKeySecret: 'secret-files-alibaba-secret-00001' };
const TOKEN = 'secretFilesSessionToken0123456789abcdefghij';
const BOM = '\ufeff';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'prod', ...TENCENT, strategies: [] });
  emulator.alibaba.addAccount({ name: 'shop', ...ALIBABA, fleetSize: 1 });
});
after(() => emulator.close());

describe('secret files', () => {
  const text = (endpoint: string) =>
    [
      'tencent:',
      '  - name: prod',
      '    credentials: { secret_id_file: id, secret_key_file: key }',
      `    endpoint: ${endpoint}`,
      '    modules: [Vul]',
      '',
    ].join('\n');

  test('a byte-order mark at the start of a secret file is not part of the secret: the account works', async () => {
    const files: Record<string, string> = {
      '/etc/cloudscan/id': `${BOM}${TENCENT.secretId}\r\n`,
      '/etc/cloudscan/key': `${BOM}${TENCENT.secretKey}\n`,
    };
    const { config } = parseConfig(
      text(`http://127.0.0.1:${emulator.port}`),
      '/etc/cloudscan/config.yaml',
      {},
      { readSecretFile: (path) => files[path]! },
    );
    const credentials = config.tencent[0]!.credentials;
    assert.ok(credentials.source === 'static');
    assert.equal(credentials.secretId.reveal(), TENCENT.secretId);
    const running = await startExporter(config);
    try {
      const metrics = await running.scrape();
      assert.equal(valueOf(metrics, 'cloudscan_up{provider="tencent",account="prod"}'), 1);
    } finally {
      await running.close();
    }
  });

  test('any other character a header cannot carry is refused at load, by key, file and position, never by value', () => {
    for (const [content, codePoint, at] of [
      [`AKID${BOM}secretFiles`, 'U+FEFF', 5],
      ['AKID\u00a0secretFiles', 'U+00A0', 5],
      ['AKIDsecret\nFiles\n', 'U+000A', 11],
    ] as const) {
      assert.throws(
        () => parseConfig(text('http://127.0.0.1:1'), '/etc/cloudscan/config.yaml', {}, { readSecretFile: () => content }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(
            error.message,
            new RegExp(
              `tencent\\[0\\]\\.credentials\\.secret_id_file: holds ${codePoint.replace('+', '\\+')} at character ${at} in "id": keys and tokens are printable ASCII`,
            ),
          );
          assert.doesNotMatch(error.message, /secretFiles|AKID/);
          return true;
        },
      );
    }
    assert.throws(
      () =>
        parseConfig('tencent:\n  - name: prod\n    credentials: { secret_id: "${ID}", secret_key: "${KEY}" }\n', '/c.yaml', {
          ID: `${BOM}AKIDx`,
          KEY: 'k',
        }),
      /tencent\[0\]\.credentials\.secret_id: holds U\+FEFF at character 1: keys and tokens are printable ASCII/,
    );
  });
});

describe('a credential that reaches the SDK with a character a header cannot carry', () => {
  const withMark = (value: string) => new Secret(`${BOM}${value}`);

  async function check(
    config: ReturnType<typeof exporterConfig>,
    target: string,
    action: string,
    secrets: readonly string[],
  ): Promise<void> {
    const running = await startExporter(config);
    try {
      const metrics = await running.scrape();
      const [provider, account] = target.split('/');
      assert.equal(
        valueOf(
          metrics,
          `cloudscan_api_errors_total{provider="${provider}",account="${account}",action="${action}",code="invalid_credentials"}`,
        ),
        1,
      );
      assert.equal(
        valueOf(metrics, `cloudscan_api_requests_total{provider="${provider}",account="${account}",action="${action}"}`),
        1,
        'not retried',
      );
      const shown = [
        running.logText(),
        (await running.get('/')).body,
        (await running.get(`/?account=${target}`)).body,
        (await running.get(`/probe?target=${target}&debug=true`)).body,
      ].join('\n');
      assert.match(shown, /a credential holds a character a request header cannot carry/);
      for (const secret of secrets) assert.equal(shown.includes(secret), false, `${secret} is shown`);
      assert.doesNotMatch(shown, /Signature=|not a legal HTTP header value/);
    } finally {
      await running.close();
    }
  }

  test('a Tencent session token with a byte-order mark: invalid_credentials, the token nowhere', async () => {
    const account = tencentAccount('prod', TENCENT, endpointOf(emulator), {
      modules: ['Vul'],
      credentials: {
        source: 'static',
        secretId: new Secret(TENCENT.secretId),
        secretKey: new Secret(TENCENT.secretKey),
        token: withMark(TOKEN),
      },
    });
    await check(exporterConfig({ tencent: [account] }), 'tencent/prod', 'DescribeScanState', [TOKEN]);
  });

  test('a Tencent SecretId with a byte-order mark: invalid_credentials, neither the SecretId nor the signature anywhere', async () => {
    const account = tencentAccount('prod', TENCENT, endpointOf(emulator), {
      modules: ['Vul'],
      credentials: { source: 'static', secretId: withMark(TENCENT.secretId), secretKey: new Secret(TENCENT.secretKey) },
    });
    await check(exporterConfig({ tencent: [account] }), 'tencent/prod', 'DescribeScanState', [TENCENT.secretId]);
  });

  test('an Alibaba AccessKeyId with a byte-order mark: invalid_credentials', async () => {
    const account = alibabaAccount('shop', ALIBABA, endpointOf(emulator), {
      credentials: { source: 'static', accessKeyId: withMark(ALIBABA.accessKeyId), accessKeySecret: new Secret(ALIBABA.accessKeySecret) },
    });
    await check(exporterConfig({ alibaba: [account] }), 'alibaba/shop', 'DescribeCloudCenterInstances', [ALIBABA.accessKeyId]);
  });
});
