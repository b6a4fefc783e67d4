// The real command, as users run it: bad configurations exit 2 naming file, line and key;
// --config.check; reload on SIGHUP and POST /-/reload keeping the old config on a bad file;
// graceful stop on SIGTERM.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { valueOf } from '../support/exposition.js';
import { distMain, fixturesDir } from '../support/paths.js';
import { freePort, run, start, waitFor, type Started } from '../support/processes.js';

const KEYS = { accessKeyId: 'LTAI5tCliTestKey000001', accessKeySecret: 'cli-test-secret-00000000000000000001' };

function alibabaConfig(emulator: Emulator, names: string[]): string {
  return [
    'cache: { ttl: 1s, max_stale: 1m }',
    'alibaba:',
    ...names.flatMap((name) => [
      `  - name: ${name}`,
      '    credentials:',
      '      access_key_id: "${CLI_AK_ID}"',
      '      access_key_secret: "${CLI_AK_SECRET}"',
      '    region: cn-shanghai',
      `    endpoint: ${emulator.url}`,
    ]),
    '',
  ].join('\n');
}

const env = { ...process.env, CLI_AK_ID: KEYS.accessKeyId, CLI_AK_SECRET: KEYS.accessKeySecret };

describe('the cloudscan-exporter command', () => {
  let emulator: Emulator;
  let dir: string;

  before(async () => {
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 2 });
    emulator.alibaba.addAccount({ name: 'shop', ...KEYS, accessKeyId: 'LTAI5tCliTestKey000002', fleetSize: 1 });
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-cli-'));
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every bad configuration file exits 2 with one message naming the file and the key', async () => {
    const bad = readdirSync(join(fixturesDir, 'config')).filter((f) => f.startsWith('bad-'));
    assert.ok(bad.length >= 10);
    for (const file of bad) {
      const path = join(fixturesDir, 'config', file);
      const { status, output } = await run(process.execPath, [distMain, `--config.file=${path}`], { env: {} });
      assert.equal(status, 2, `${file}: ${output}`);
      const lines = output.trim().split('\n');
      assert.equal(lines.length, 1, `${file} printed more than one line:\n${output}`);
      assert.ok(lines[0]!.startsWith(path), `${file}: message does not name the file: ${lines[0]}`);
    }
  });

  test('--config.check exits 0 with a summary for a good file and 2 for a bad one, without starting', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, alibabaConfig(emulator, ['prod']));
    const ok = await run(process.execPath, [distMain, `--config.file=${good}`, '--config.check'], { env });
    assert.equal(ok.status, 0, ok.output);
    assert.match(ok.output, /alibaba\/prod/);
    assert.match(ok.output, /refresh alibaba\/prod: 1 call\(s\) \+ 1.01 per server \(discovered\) at rate_limit 10\/s: a refresh keeps up with cache\.ttl 1s up to 8 servers/);
    assert.doesNotMatch(ok.output, new RegExp(KEYS.accessKeySecret));

    const badFile = join(fixturesDir, 'config', 'bad-unknown-key.yaml');
    const bad = await run(process.execPath, [distMain, `--config.file=${badFile}`, '--config.check'], { env: {} });
    assert.equal(bad.status, 2);
    assert.match(bad.output, /unknown key/);
  });

  test('a bad web config file exits 2 naming its file, line and key', async () => {
    const good = join(dir, 'for-web.yaml');
    writeFileSync(good, alibabaConfig(emulator, ['prod']));
    const web = join(dir, 'web.yml');
    writeFileSync(web, 'basic_auth_users: {}\nbogus: 1\n');
    const args = [distMain, `--config.file=${good}`, `--web.config.file=${web}`, '--web.listen-address=127.0.0.1:0'];
    const { status, output } = await run(process.execPath, args, { env });
    assert.equal(status, 2, output);
    assert.equal(output.trim(), `${web}:2: bogus: unknown key`);
  });

  test('an unknown flag exits 2 with the usage', async () => {
    const { status, output } = await run(process.execPath, [distMain, '--no.such-flag']);
    assert.equal(status, 2);
    assert.match(output, /Usage: cloudscan-exporter/);
  });

  describe('running', () => {
    let exporter: Started;
    let port: number;
    let config: string;
    const url = (path: string) => `http://127.0.0.1:${port}${path}`;

    before(async () => {
      config = join(dir, 'running.yaml');
      writeFileSync(config, alibabaConfig(emulator, ['prod']));
      port = await freePort();
      exporter = start(process.execPath, [distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.format=json'], { env });
      await waitFor('the exporter to be ready', async () => ((await fetch(url('/-/ready'))).ok ? true : undefined), {
        describe: exporter.output,
      });
    });
    after(() => exporter.stop('SIGKILL'));

    test('serves /metrics, the landing page and health endpoints', async () => {
      const metrics = await (await fetch(url('/metrics'))).text();
      assert.equal(valueOf(metrics, 'cloudscan_up{provider="alibaba",account="prod"}'), 1);
      assert.match(metrics, /^cloudscan_build_info\{/m);
      assert.match(metrics, /^process_resident_memory_bytes /m);
      const landing = await (await fetch(url('/'))).text();
      assert.match(landing, /href="metrics"/);
      assert.match(landing, /alibaba\/prod/);
      assert.equal((await fetch(url('/-/healthy'))).status, 200);
    });

    test('POST /-/reload applies a new file and keeps the old one when the new one is bad', async () => {
      writeFileSync(config, alibabaConfig(emulator, ['prod', 'shop']));
      const good = await fetch(url('/-/reload'), { method: 'POST' });
      assert.equal(good.status, 200);
      const after = await (await fetch(url('/metrics'))).text();
      assert.equal(valueOf(after, 'cloudscan_up{provider="alibaba",account="shop"}'), 1);
      assert.equal(valueOf(after, 'cloudscan_config_last_reload_successful'), 1);

      copyFileSync(join(fixturesDir, 'config', 'bad-unknown-key.yaml'), config);
      const bad = await fetch(url('/-/reload'), { method: 'POST' });
      assert.equal(bad.status, 500);
      assert.match(await bad.text(), /unknown key/);
      const kept = await (await fetch(url('/metrics'))).text();
      assert.equal(valueOf(kept, 'cloudscan_config_last_reload_successful'), 0);
      assert.equal(valueOf(kept, 'cloudscan_up{provider="alibaba",account="shop"}'), 1);
    });

    test('SIGHUP reloads the file', async () => {
      writeFileSync(config, alibabaConfig(emulator, ['shop']));
      exporter.child.kill('SIGHUP');
      await waitFor('the reload to drop account prod', async () => {
        const text = await (await fetch(url('/metrics'))).text();
        return valueOf(text, 'cloudscan_up{provider="alibaba",account="prod"}') === undefined &&
          valueOf(text, 'cloudscan_config_last_reload_successful') === 1
          ? true
          : undefined;
      });
    });

    test('SIGTERM stops gracefully with status 0', async () => {
      assert.equal(await exporter.stop('SIGTERM'), 0);
      assert.match(exporter.output(), /"msg":"stopping"/);
      assert.doesNotMatch(exporter.output(), new RegExp(KEYS.accessKeySecret));
      assert.doesNotMatch(readFileSync(config, 'utf8'), new RegExp(KEYS.accessKeySecret));
    });
  });
});
