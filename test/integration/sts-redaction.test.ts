// The STS client's errors carry a redaction list (issue 21, finding 8): an STS (or whatever answers
// in its place) that echoes the request shows neither the role's external_id nor the base key's
// secret in the log, on / or in the debug probe, for both clouds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { Secret } from '../../src/base/secret.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';

const EXTERNAL_ID = 'cloudscan-external-id-0421';
const TENCENT_ORG = { secretId: 'AKIDstsRedaction00000000000000000001', secretKey: 'stsRedactionTencentSecretKey00001' };
const ALIBABA_ORG = { accessKeyId: 'LTAI5tStsRedaction0001', accessKeySecret: 'sts-redaction-alibaba-secret-00001' };
const READER = { name: 'reader', trusted: ['org'], externalId: EXTERNAL_ID };

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'org', ...TENCENT_ORG });
  emulator.tencent.addAccount({ name: 'member', secretId: 'AKIDstsRedactionMember000000000001', secretKey: 'never-used', roles: [READER] });
  emulator.alibaba.addAccount({ name: 'org', ...ALIBABA_ORG, fleetSize: 1 });
  emulator.alibaba.addAccount({
    name: 'member',
    accessKeyId: 'LTAI5tStsRedactionMem1',
    accessKeySecret: 'never-used',
    fleetSize: 1,
    roles: [READER],
  });
});
after(() => emulator.close());

describe('an STS that echoes the request in its error', () => {
  const cases = [
    {
      provider: 'tencent' as const,
      secret: TENCENT_ORG.secretKey,
      code: 'UnauthorizedOperation',
      config: () =>
        exporterConfig({
          tencent: [
            tencentAccount('member', TENCENT_ORG, endpointOf(emulator), {
              modules: ['Vul'],
              credentials: {
                source: 'static',
                secretId: new Secret(TENCENT_ORG.secretId),
                secretKey: new Secret(TENCENT_ORG.secretKey),
                role: {
                  arn: emulator.tencent.roleArn('member', 'reader'),
                  sessionName: 'cloudscan-exporter',
                  durationSeconds: 900,
                  externalId: EXTERNAL_ID,
                },
              },
            }),
          ],
        }),
    },
    {
      provider: 'alibaba' as const,
      secret: ALIBABA_ORG.accessKeySecret,
      code: 'NoPermission',
      config: () =>
        exporterConfig({
          alibaba: [
            alibabaAccount('member', ALIBABA_ORG, endpointOf(emulator), {
              credentials: {
                source: 'static',
                accessKeyId: new Secret(ALIBABA_ORG.accessKeyId),
                accessKeySecret: new Secret(ALIBABA_ORG.accessKeySecret),
                role: {
                  arn: emulator.alibaba.roleArn('member', 'reader'),
                  sessionName: 'cloudscan-exporter',
                  durationSeconds: 900,
                  externalId: EXTERNAL_ID,
                },
              },
            }),
          ],
        }),
    },
  ];
  for (const { provider, secret, code, config } of cases) {
    test(`${provider}: neither the external_id nor the base secret is shown`, async () => {
      emulator.faults.add({
        provider,
        action: 'AssumeRole',
        fault: { kind: 'error', code, message: `Refused: you sent ExternalId=${EXTERNAL_ID} signed with ${secret}.` },
      });
      const running = await startExporter(config());
      try {
        await running.scrape();
        const error = running.exporter.collector.accounts[0]!.collector.state().lastError;
        assert.equal(error?.code, code);
        assert.match(error?.message ?? '', /you sent ExternalId=<secret> signed with <secret>\./);
        const accountPage = (await running.get(`/?account=${provider}/member`)).body;
        assert.match(
          accountPage,
          /you sent ExternalId=&lt;secret&gt; signed with &lt;secret&gt;\./,
          "the account's page shows the message, redacted",
        );
        const shown = [
          running.logText(),
          (await running.get('/')).body,
          accountPage,
          (await running.get(`/probe?target=${provider}/member&debug=true`)).body,
        ].join('\n');
        assert.equal(shown.includes(EXTERNAL_ID), false, 'the external id is shown');
        assert.equal(shown.includes(secret), false, 'the base secret is shown');
      } finally {
        emulator.faults.clear();
        await running.close();
      }
    });
  }
});
