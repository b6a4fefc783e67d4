// Secrets hygiene through the real command: with known canary secrets, run every error path (a
// rotated secret, an unknown key, throttling, HTTP 500, a server error, bad configuration files
// with secrets inline, by ${ENV} and by *_file, --config.check, reloads of a bad file) with
// --log.level=debug in both log formats, and search every log line, every endpoint's answer and
// every error message for the secrets: zero hits.
//
// Written against Alibaba accounts; PROVIDERS is a list so that Tencent joins with one entry once
// its emulator half is complete. Accounts that assume roles are searched for in both clouds at the
// end: the base keys, external ids and every temporary key and token the emulated STS issued.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { Provider } from '../../src/contract/types.js';
import { valueOf } from '../support/exposition.js';
import { distMain } from '../support/paths.js';
import { freePort, run, start, waitFor } from '../support/processes.js';

/** One cloud's part: how its accounts look in the emulator and in the config, and its error codes. */
interface ProviderCase {
  provider: Provider;
  /** Adds an emulated account that accepts exactly this key pair. */
  addAccount(emulator: Emulator, name: string, keyId: string, secret: string): void;
  /** Changes the secret the emulator expects (a rotation the exporter has not heard of). */
  rotate(emulator: Emulator, name: string, secret: string): void;
  /** A config account entry (YAML list item lines, indented under the provider key). */
  configAccount(name: string, endpoint: string, credentials: string[]): string[];
  /** Credential lines: key id and secret from these sources ('inline' writes the value itself). */
  credentials(id: CredentialValue, secret: CredentialValue, token?: CredentialValue): string[];
  codes: { wrongSecret: string; unknownKey: string; throttled: string };
  throttleFault: string;
}

type CredentialValue = { env: string } | { file: string } | { inline: string };

function credentialLine(key: string, value: CredentialValue): string {
  if ('env' in value) return `      ${key}: "\${${value.env}}"`;
  if ('file' in value) return `      ${key}_file: ${value.file}`;
  return `      ${key}: ${value.inline}`;
}

const ALIBABA: ProviderCase = {
  provider: 'alibaba',
  addAccount: (emulator, name, keyId, secret) =>
    emulator.alibaba.addAccount({ name, accessKeyId: keyId, accessKeySecret: secret, fleetSize: 2, tasksPerServer: 1 }),
  rotate: (emulator, name, secret) => emulator.alibaba.setSecret(name, secret),
  configAccount: (name, endpoint, credentials) => [
    `  - name: ${name}`,
    '    region: cn-shanghai',
    `    endpoint: ${endpoint}`,
    '    request_timeout: 1s',
    '    credentials:',
    ...credentials,
  ],
  credentials: (id, secret, token) => [
    credentialLine('access_key_id', id),
    credentialLine('access_key_secret', secret),
    ...(token ? [credentialLine('security_token', token)] : []),
  ],
  codes: { wrongSecret: 'SignatureDoesNotMatch', unknownKey: 'InvalidAccessKeyId.NotFound', throttled: 'Throttling.User' },
  throttleFault: 'Throttling.User',
};

/** Add the Tencent case here when src/emulator/tencent is complete. */
const PROVIDERS: ProviderCase[] = [ALIBABA];

for (const cloud of PROVIDERS) {
  describe(`no ${cloud.provider} secret leaks on any path`, () => {
    const p = cloud.provider;
    // Canaries: distinctive values that occur nowhere else. Key ids are treated as secrets too,
    // as the configuration treats them.
    const S = {
      goodId: `CanaryKeyId-${p}-good-7Qx1`,
      goodSecret: `S3cr3t-canary-${p}-good-Zr81kq`,
      goodToken: `S3cr3t-canary-${p}-token-Pp02ws`,
      rotatedId: `CanaryKeyId-${p}-rotated-4Hd2`,
      rotatedOldSecret: `S3cr3t-canary-${p}-old-Lw93ne`,
      rotatedNewSecret: `S3cr3t-canary-${p}-new-Ux55bc`,
      unknownId: `CanaryKeyId-${p}-unknown-8Jm3`,
      unknownSecret: `S3cr3t-canary-${p}-unknown-Qa71vd`,
      throttledId: `CanaryKeyId-${p}-throttled-2Ke9`,
      throttledSecret: `S3cr3t-canary-${p}-throttled-Ty36mf`,
      brokenId: `CanaryKeyId-${p}-broken-6Nb4`,
      brokenSecret: `S3cr3t-canary-${p}-broken-Gh48pz`,
      failingId: `CanaryKeyId-${p}-failing-1Vc7`,
      failingSecret: `S3cr3t-canary-${p}-failing-Wd62rx`,
      inlineSecret: `S3cr3t-canary-${p}-inline-Mk17ty`,
      envOnlySecret: `S3cr3t-canary-${p}-envonly-Bq84ds`,
    };
    const secrets = Object.values(S);

    let emulator: Emulator;
    let dir: string;
    /** Everything the exporter wrote or answered, with where it came from. */
    const seen: Array<{ where: string; text: string }> = [];
    const record = (where: string, text: string) => seen.push({ where, text });

    const env = {
      ...process.env,
      CANARY_GOOD_ID: S.goodId,
      CANARY_GOOD_SECRET: S.goodSecret,
      CANARY_ROTATED_ID: S.rotatedId,
      CANARY_ROTATED_SECRET: S.rotatedOldSecret,
      CANARY_UNKNOWN_ID: S.unknownId,
      CANARY_UNKNOWN_SECRET: S.unknownSecret,
      CANARY_THROTTLED_ID: S.throttledId,
      CANARY_BROKEN_ID: S.brokenId,
      CANARY_BROKEN_SECRET: S.brokenSecret,
      CANARY_FAILING_ID: S.failingId,
      CANARY_FAILING_SECRET: S.failingSecret,
      CANARY_ENV_ONLY: S.envOnlySecret,
    };

    /** A good file whose accounts each take one error path; secrets by env, by file and inline. */
    function goodConfig(): string {
      const fileOf = (name: string, value: string) => {
        const path = join(dir, `${name}.secret`);
        writeFileSync(path, `${value}\n`, { mode: 0o600 });
        return { file: path };
      };
      return [
        'cache: { ttl: 1s, max_stale: 1m }',
        'scrape: { timeout: 8s }',
        `${p}:`,
        ...cloud.configAccount(
          'good',
          emulator.url,
          cloud.credentials({ env: 'CANARY_GOOD_ID' }, { env: 'CANARY_GOOD_SECRET' }, fileOf('token', S.goodToken)),
        ),
        ...cloud.configAccount('rotated', emulator.url, cloud.credentials({ env: 'CANARY_ROTATED_ID' }, { env: 'CANARY_ROTATED_SECRET' })),
        ...cloud.configAccount(
          'unknown',
          emulator.url,
          cloud.credentials({ env: 'CANARY_UNKNOWN_ID' }, fileOf('unknown', S.unknownSecret)),
        ),
        ...cloud.configAccount('throttled', emulator.url, cloud.credentials({ env: 'CANARY_THROTTLED_ID' }, { inline: S.throttledSecret })),
        ...cloud.configAccount('broken', emulator.url, cloud.credentials({ env: 'CANARY_BROKEN_ID' }, { env: 'CANARY_BROKEN_SECRET' })),
        ...cloud.configAccount('failing', emulator.url, cloud.credentials({ env: 'CANARY_FAILING_ID' }, { env: 'CANARY_FAILING_SECRET' })),
        '',
      ].join('\n');
    }

    /** Bad files, each with a secret near (or in) the error. */
    function badConfigs(): Record<string, string> {
      const account = (credentials: string[], extra: string[] = []) =>
        [`${p}:`, ...cloud.configAccount('bad', emulator.url, credentials), ...extra, ''].join('\n');
      return {
        'unknown-key-next-to-inline-secret': account(cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: S.inlineSecret }), [
          '    bogus: 1',
        ]),
        'secret-inline-and-as-file': account([
          ...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: S.inlineSecret }),
          ...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { file: '/nonexistent/secret' }).slice(1),
        ]),
        'secret-as-a-list': account([...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: `[${S.inlineSecret}, x]` })]),
        'secret-as-a-mapping': account([...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: `{ ${S.inlineSecret}: 1 }` })]),
        'not-yaml-on-the-secret-line': account([...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: `"${S.inlineSecret}` })]),
        'not-yaml-after-the-secret': account([...cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: `${S.inlineSecret}: : [` })]),
        'env-secret-with-a-bad-duration': account(cloud.credentials({ env: 'CANARY_GOOD_ID' }, { env: 'CANARY_ENV_ONLY' }), [
          '    request_timeout: soon',
        ]),
        'env-secret-and-an-unset-variable': account(cloud.credentials({ env: 'CANARY_ENV_ONLY' }, { env: 'CANARY_NOT_SET_ANYWHERE' })),
        'missing-secret-file': account(
          cloud.credentials({ env: 'CANARY_GOOD_ID' }, { file: join(tmpdir(), 'no-such-dir-canary', 'secret') }),
        ),
        'duplicate-account-with-secrets': [
          `${p}:`,
          ...cloud.configAccount('twin', emulator.url, cloud.credentials({ env: 'CANARY_GOOD_ID' }, { inline: S.inlineSecret })),
          ...cloud.configAccount('twin', emulator.url, cloud.credentials({ env: 'CANARY_ENV_ONLY' }, { env: 'CANARY_ENV_ONLY' })),
          '',
        ].join('\n'),
      };
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `cloudscan-secrets-${p}-`));
      emulator = await startEmulator();
      cloud.addAccount(emulator, 'good', S.goodId, S.goodSecret);
      cloud.addAccount(emulator, 'rotated', S.rotatedId, S.rotatedOldSecret);
      cloud.rotate(emulator, 'rotated', S.rotatedNewSecret);
      cloud.addAccount(emulator, 'throttled', S.throttledId, S.throttledSecret);
      cloud.addAccount(emulator, 'broken', S.brokenId, S.brokenSecret);
      cloud.addAccount(emulator, 'failing', S.failingId, S.failingSecret);
      emulator.faults.add({ provider: p, account: 'throttled', fault: { kind: 'error', code: cloud.throttleFault } });
      emulator.faults.add({ provider: p, account: 'broken', fault: { kind: 'http_status', status: 500 } });
      emulator.faults.add({ provider: p, account: 'failing', fault: { kind: 'error', code: 'ServerError' } });
    });
    after(async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const format of ['json', 'logfmt'] as const) {
      test(`a running exporter (--log.format=${format}, debug) shows no secret in its logs or on any endpoint`, async () => {
        const config = join(dir, `running-${format}.yaml`);
        writeFileSync(config, goodConfig());
        const port = await freePort();
        const url = (path: string) => `http://127.0.0.1:${port}${path}`;
        const exporter = start(
          process.execPath,
          [
            distMain,
            `--config.file=${config}`,
            `--web.listen-address=127.0.0.1:${port}`,
            '--web.enable-lifecycle',
            '--log.level=debug',
            `--log.format=${format}`,
          ],
          { env },
        );
        try {
          await waitFor('the exporter to be ready', async () => ((await fetch(url('/-/ready'))).ok ? true : undefined), {
            describe: exporter.output,
          });
          const get = async (path: string, init?: RequestInit) => {
            const response = await fetch(url(path), init);
            const body = await response.text();
            record(`${format} ${init?.method ?? 'GET'} ${path} -> ${response.status}`, `${JSON.stringify([...response.headers])}\n${body}`);
            return { status: response.status, body };
          };

          // Every error path has been taken and counted before the search.
          const metrics = await waitFor(
            'every account to have failed the way it should',
            async () => {
              const { body } = await get('/metrics');
              const errors = (account: string, code: string) =>
                valueOf(
                  body,
                  `cloudscan_api_errors_total{provider="${p}",account="${account}",action="DescribeCloudCenterInstances",code="${code}"}`,
                ) ?? 0;
              return valueOf(body, `cloudscan_up{provider="${p}",account="good"}`) === 1 &&
                errors('rotated', cloud.codes.wrongSecret) > 0 &&
                errors('unknown', cloud.codes.unknownKey) > 0 &&
                errors('throttled', cloud.codes.throttled) > 0 &&
                // HTTP 500 with an HTML body: counted under whichever code the classifier gives it.
                new RegExp(`^cloudscan_api_errors_total\\{provider="${p}",account="broken",.* [1-9][0-9]*$`, 'm').test(body) &&
                errors('failing', 'ServerError') > 0
                ? body
                : undefined;
            },
            { timeoutMs: 30_000, intervalMs: 500, describe: () => `${seen.at(-1)?.text ?? ''}\n${exporter.output()}` },
          );
          for (const account of ['rotated', 'unknown', 'throttled', 'broken', 'failing']) {
            assert.equal(valueOf(metrics, `cloudscan_up{provider="${p}",account="${account}"}`), 0, account);
          }

          assert.equal((await get('/')).status, 200);
          for (const account of ['good', 'rotated', 'unknown', 'throttled', 'broken', 'failing']) {
            assert.equal((await get(`/probe?target=${p}/${account}`)).status, 200);
            // The status page shows each account's detail on its own page.
            assert.equal((await get(`/?account=${p}/${account}`)).status, 200);
          }
          assert.equal((await get(`/probe?target=${p}/no-such-account`)).status, 400);
          assert.equal((await get('/probe')).status, 400);
          assert.equal((await get('/-/healthy')).status, 200);
          assert.equal((await get('/-/ready')).status, 200);
          assert.equal((await get('/no/such/path')).status, 404);
          assert.equal((await get('/-/reload')).status, 405);

          // Reloads of bad files (each with a secret in or near the error), by POST and by SIGHUP.
          for (const [name, text] of Object.entries(badConfigs())) {
            writeFileSync(config, text);
            const answer = await get('/-/reload', { method: 'POST' });
            assert.equal(answer.status, 500, `${name}: ${answer.body}`);
          }
          exporter.child.kill('SIGHUP');
          await waitFor('the SIGHUP reload to fail', async () =>
            (exporter.output().match(/reload failed/g) ?? []).length > Object.keys(badConfigs()).length ? true : undefined,
          );
          writeFileSync(config, goodConfig());
          assert.equal((await get('/-/reload', { method: 'POST' })).status, 200);
          await get('/metrics');
        } finally {
          assert.equal(await exporter.stop('SIGTERM'), 0);
          record(`${format} exporter log`, exporter.output());
        }
        assert.match(exporter.output(), format === 'json' ? /"level":"debug"|"level":"warn"/ : /level=warn/);
        assert.match(exporter.output(), /SignatureDoesNotMatch|InvalidAccessKeyId/);
      });
    }

    test('--config.check and start-up with bad files print no secret', async () => {
      for (const format of ['json', 'logfmt']) {
        const good = join(dir, `check-${format}.yaml`);
        writeFileSync(good, goodConfig());
        const check = await run(
          process.execPath,
          [distMain, `--config.file=${good}`, '--config.check', '--log.level=debug', `--log.format=${format}`],
          { env },
        );
        assert.equal(check.status, 0, check.output);
        record(`--config.check good (${format})`, check.output);
        assert.match(check.output, /inline/i, 'the inline secret of account throttled is warned about');

        for (const [name, text] of Object.entries(badConfigs())) {
          const path = join(dir, `bad-${name}-${format}.yaml`);
          writeFileSync(path, text);
          for (const extra of [['--config.check'], ['--web.listen-address=127.0.0.1:0']]) {
            const result = await run(
              process.execPath,
              [distMain, `--config.file=${path}`, ...extra, '--log.level=debug', `--log.format=${format}`],
              { env },
            );
            assert.equal(result.status, 2, `${name} ${extra.join(' ')}: ${result.output}`);
            record(`${name} ${extra.join(' ')} (${format})`, result.output);
          }
        }
      }
    });

    test('the searched text is real: it holds the error codes and the account names, and not one secret', () => {
      const all = seen.map((s) => s.text).join('\n');
      assert.ok(all.length > 10_000, `only ${all.length} characters searched`);
      for (const expected of [
        cloud.codes.wrongSecret,
        cloud.codes.unknownKey,
        cloud.codes.throttled,
        'ServerError',
        'unknown key',
        'not valid YAML',
      ]) {
        assert.ok(all.includes(expected), `nothing mentions ${expected}`);
      }
      const leaksIn = (entries: Array<{ where: string; text: string }>): string[] => {
        const found: string[] = [];
        for (const { where, text } of entries) {
          for (const secret of secrets) {
            for (const form of new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)])) {
              const at = text.indexOf(form);
              if (at >= 0) found.push(`${where}: ${JSON.stringify(text.slice(Math.max(0, at - 120), at + form.length + 40))}`);
            }
          }
        }
        return found;
      };
      // The search itself finds a secret, plain or base64-encoded.
      assert.equal(leaksIn([{ where: 'control', text: `x=${S.inlineSecret} y=${Buffer.from(S.goodToken).toString('base64')}` }]).length, 2);
      const leaks = leaksIn(seen);
      assert.deepEqual(leaks, [], `secrets found:\n${leaks.join('\n')}`);
    });
  });
}

// Accounts read through assumed roles: the management principal's keys, the external ids, and every
// temporary key, secret and token the emulated STS issued (found afterwards in its table) must
// appear nowhere, on every path an assumption takes: assumed, role missing, trust refusing, STS
// throttled, keys expiring in the middle of each refresh.
describe('no role secret leaks: base keys, external ids, temporary keys and tokens', () => {
  const T = { orgId: 'AKIDCanaryRoleOrg-Tn81', orgKey: 'S3cr3t-canary-role-tencent-org-Qm27xd', external: 'canary-ext-tencent-Vb93' };
  const A = { orgId: 'LTAICanaryRoleOrg-An64', orgKey: 'S3cr3t-canary-role-alibaba-org-Ke48wp', external: 'canary-ext-alibaba-Hs05' };
  const MEMBERS = ['ok', 'missing', 'refused', 'throttled', 'expired'] as const;
  let emulator: Emulator;
  const seen: Array<{ where: string; text: string }> = [];

  const roles = (member: string, external: string) =>
    member === 'missing' ? [] : [{ name: 'reader', trusted: member === 'refused' ? ['nobody'] : ['org'], externalId: external }];

  before(async () => {
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'org', secretId: T.orgId, secretKey: T.orgKey });
    emulator.alibaba.addAccount({ name: 'org', accessKeyId: A.orgId, accessKeySecret: A.orgKey, fleetSize: 1 });
    for (const member of MEMBERS) {
      emulator.tencent.addAccount({
        name: `member-${member}`,
        secretId: `AKIDunused-${member}`,
        secretKey: `unused-${member}`,
        roles: roles(member, T.external),
      });
      emulator.alibaba.addAccount({
        name: `member-${member}`,
        accessKeyId: `LTAIunused-${member}`,
        accessKeySecret: 'unused',
        fleetSize: 2,
        roles: roles(member, A.external),
      });
    }
    for (const [provider, throttled, firstAction] of [
      ['tencent', 'RequestLimitExceeded', 'DescribeBaselineStrategyList'],
      ['alibaba', 'Throttling.User', 'DescribeCloudCenterInstances'],
    ] as const) {
      emulator.faults.add({ provider, account: 'member-throttled', action: 'AssumeRole', fault: { kind: 'error', code: throttled } });
      emulator.faults.add({ provider, account: 'member-expired', action: firstAction, fault: { kind: 'session_expired' } });
    }
  });
  after(() => emulator.close());

  function config(dir: string): string {
    const orgKeyFile = join(dir, 'tencent-org.key');
    writeFileSync(orgKeyFile, `${T.orgKey}\n`, { mode: 0o600 });
    const lines = ['cache: { ttl: 1s, max_stale: 1m }', 'scrape: { timeout: 8s }', 'tencent:'];
    for (const member of MEMBERS) {
      lines.push(
        `  - name: role-${member}`,
        `    endpoint: ${emulator.url}`,
        '    request_timeout: 1s',
        '    credentials:',
        '      secret_id: "${CANARY_T_ORG_ID}"',
        `      secret_key_file: ${orgKeyFile}`,
        `      role_arn: "${emulator.tencent.roleArn(`member-${member}`, 'reader')}"`,
        '      external_id: "${CANARY_T_EXTERNAL}"',
      );
    }
    lines.push('alibaba:');
    for (const member of MEMBERS) {
      lines.push(
        `  - name: role-${member}`,
        '    region: cn-shanghai',
        `    endpoint: ${emulator.url}`,
        '    request_timeout: 1s',
        '    credentials:',
        '      access_key_id: "${CANARY_A_ORG_ID}"',
        '      access_key_secret: "${CANARY_A_ORG_KEY}"',
        `      role_arn: "${emulator.alibaba.roleArn(`member-${member}`, 'reader')}"`,
        '      external_id: "${CANARY_A_EXTERNAL}"',
      );
    }
    return `${lines.join('\n')}\n`;
  }

  for (const format of ['json', 'logfmt'] as const) {
    test(`every assumption path (--log.format=${format}, debug): nothing secret in the logs, /metrics, /, or /probe?debug=true`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cloudscan-role-secrets-'));
      const path = join(dir, 'config.yaml');
      writeFileSync(path, config(dir));
      const port = await freePort();
      const url = (p: string) => `http://127.0.0.1:${port}${p}`;
      const exporter = start(
        process.execPath,
        [distMain, `--config.file=${path}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=debug', `--log.format=${format}`],
        {
          env: {
            ...process.env,
            CANARY_T_ORG_ID: T.orgId,
            CANARY_T_EXTERNAL: T.external,
            CANARY_A_ORG_ID: A.orgId,
            CANARY_A_ORG_KEY: A.orgKey,
            CANARY_A_EXTERNAL: A.external,
          },
        },
      );
      const get = async (p: string) => {
        const response = await fetch(url(p));
        const body = await response.text();
        seen.push({ where: `${format} GET ${p} -> ${response.status}`, text: body });
        return body;
      };
      try {
        await waitFor('the exporter to be ready', async () => ((await fetch(url('/-/ready'))).ok ? true : undefined), {
          describe: exporter.output,
        });
        const expected: Array<[string, string, string, string]> = [
          ['tencent', 'role-missing', 'AssumeRole', 'ResourceNotFound.RoleNotFound'],
          ['tencent', 'role-refused', 'AssumeRole', 'UnauthorizedOperation'],
          ['tencent', 'role-throttled', 'AssumeRole', 'RequestLimitExceeded'],
          ['tencent', 'role-expired', 'DescribeBaselineStrategyList', 'AuthFailure.TokenFailure'],
          ['alibaba', 'role-missing', 'AssumeRole', 'EntityNotExist.Role'],
          ['alibaba', 'role-refused', 'AssumeRole', 'NoPermission'],
          ['alibaba', 'role-throttled', 'AssumeRole', 'Throttling.User'],
          ['alibaba', 'role-expired', 'DescribeCloudCenterInstances', 'InvalidSecurityToken.Expired'],
        ];
        const metrics = await waitFor(
          'every role account to have taken its path',
          async () => {
            const body = await get('/metrics');
            const failedAsExpected = expected.every(
              ([p, account, action, code]) =>
                (valueOf(body, `cloudscan_api_errors_total{provider="${p}",account="${account}",action="${action}",code="${code}"}`) ?? 0) >
                0,
            );
            const ok = ['tencent', 'alibaba'].every((p) => valueOf(body, `cloudscan_up{provider="${p}",account="role-ok"}`) === 1);
            return failedAsExpected && ok ? body : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 500, describe: exporter.output },
        );
        for (const [p, account] of expected)
          assert.equal(valueOf(metrics, `cloudscan_up{provider="${p}",account="${account}"}`), 0, `${p}/${account}`);
        await get('/');
        for (const p of ['tencent', 'alibaba']) {
          for (const member of MEMBERS) {
            await get(`/probe?target=${p}/role-${member}`);
            await get(`/probe?target=${p}/role-${member}&debug=true`);
            await get(`/?account=${p}/role-${member}`);
          }
        }
      } finally {
        assert.equal(await exporter.stop('SIGTERM'), 0);
        seen.push({ where: `${format} exporter log`, text: exporter.output() });
        rmSync(dir, { recursive: true, force: true });
      }
      assert.match(exporter.output(), /AssumeRole/);
    });
  }

  test('the searched text is real, and holds none of the base keys, external ids or issued temporary keys and tokens', () => {
    const all = seen.map((s) => s.text).join('\n');
    for (const expected of [
      'ResourceNotFound.RoleNotFound',
      'EntityNotExist.Role',
      'NoPermission',
      'AuthFailure.TokenFailure',
      'InvalidSecurityToken.Expired',
      'AssumeRole',
    ]) {
      assert.ok(all.includes(expected), `nothing mentions ${expected}`);
    }
    const issued = [...emulator.tencent.issued.list(), ...emulator.alibaba.issued.list()];
    assert.ok(issued.length >= 4, `only ${issued.length} temporary keys were issued`);
    const secrets = [T.orgId, T.orgKey, T.external, A.orgId, A.orgKey, A.external, ...issued.flatMap((k) => [k.keyId, k.secret, k.token])];
    const found: string[] = [];
    for (const { where, text } of seen) {
      for (const secret of secrets) {
        for (const form of new Set([secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)])) {
          const at = text.indexOf(form);
          if (at >= 0) found.push(`${where}: ${JSON.stringify(text.slice(Math.max(0, at - 120), at + form.length + 40))}`);
        }
      }
    }
    assert.deepEqual(found, [], `secrets found:\n${found.join('\n')}`);
  });
});
