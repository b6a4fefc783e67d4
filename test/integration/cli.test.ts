// The real command, as users run it: bad configurations exit 2 naming file, line and key;
// --config.check; reload on SIGHUP and POST /-/reload keeping the old config on a bad file;
// graceful stop on SIGTERM.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { checkConfigFile } from '../../src/config/load.js';
import { DROPPED_DEFAULT_METRICS } from '../../src/metrics/exporter-metrics.js';
import { valueOf } from '../support/exposition.js';
import { distMain, fixturesDir } from '../support/paths.js';
import { ALIAS_BOMB } from '../support/hostile.js';
import { freePort, run, start, waitFor, type Started } from '../support/processes.js';
import { checkMetrics } from '../support/promtool.js';

/** Runs the command; a run that has not ended after `ms` is killed and reported as frozen. */
async function runWithin(ms: number, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  const started = start(process.execPath, args, { env });
  let timer: NodeJS.Timeout | undefined;
  const frozen = new Promise<'frozen'>((resolve) => {
    timer = setTimeout(() => resolve('frozen'), ms);
  });
  const status = await Promise.race([started.exited, frozen]);
  clearTimeout(timer);
  if (status === 'frozen') {
    await started.stop('SIGKILL');
    assert.fail(`cloudscan-exporter ${args.slice(1).join(' ')} was still running after ${ms} ms:\n${started.output()}`);
  }
  return { status, output: started.output() };
}

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
    assert.match(
      ok.output,
      /refresh alibaba\/prod: 2 call\(s\) \+ 1.01 per server \(discovered\) at rate_limit 10\/s: a refresh keeps up with cache\.ttl 1s up to 7 servers; beyond that it outlasts the TTL; every server is read only while a vulnerability check runs/,
    );
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

  test('a hostile configuration is refused with status 2 and a message naming the file, never obeyed', async () => {
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const withSecretFile = (path: string) =>
      `tencent:\n  - name: prod\n    credentials:\n      secret_id: AKIDhostile\n      secret_key_file: ${path}\n`;
    const files: Array<[name: string, text: string, expected: RegExp]> = [
      ['bomb.yaml', `${alibabaConfig(emulator, ['prod'])}${ALIAS_BOMB}`, /:\d+: aliases expand to more than 100000 values/],
      [
        'fifo-secret.yaml',
        withSecretFile(fifo),
        /:5: tencent\[0\]\.credentials\.secret_key_file: cannot read ".*key\.fifo": a named pipe, not a regular file$/,
      ],
      [
        'urandom-secret.yaml',
        withSecretFile('/dev/urandom'),
        /:5: tencent\[0\]\.credentials\.secret_key_file: cannot read "\/dev\/urandom": a character device, not a regular file$/,
      ],
    ];
    for (const [name, text, expected] of files) {
      const path = join(dir, name);
      writeFileSync(path, text);
      for (const extra of [['--config.check'], ['--web.listen-address=127.0.0.1:0']]) {
        const { status, output } = await runWithin(20_000, [distMain, `--config.file=${path}`, ...extra], env);
        assert.equal(status, 2, `${name} ${extra.join(' ')}: ${output}`);
        assert.ok(output.trim().startsWith(path), output);
        assert.match(output.trim(), expected);
      }
    }
    for (const path of [fifo, '/dev/urandom']) {
      const { status, output } = await runWithin(20_000, [distMain, `--config.file=${path}`, '--config.check'], env);
      assert.equal(status, 2, output);
      assert.match(output.trim(), /^.+: cannot read: a (named pipe|character device), not a regular file$/);
    }

    const good = join(dir, 'for-bomb-web.yaml');
    writeFileSync(good, alibabaConfig(emulator, ['prod']));
    const web = join(dir, 'bomb-web.yml');
    writeFileSync(web, `basic_auth_users: {}\n${ALIAS_BOMB}`);
    for (const webFile of [web, fifo]) {
      const { status, output } = await runWithin(
        20_000,
        [distMain, `--config.file=${good}`, `--web.config.file=${webFile}`, '--web.listen-address=127.0.0.1:0'],
        env,
      );
      assert.equal(status, 2, output);
      assert.ok(output.trim().startsWith(webFile), output);
    }
  });

  // Linear, not quadratic, is read from the CPU the check takes, not from the clock: a loaded machine
  // stretches the wall time of a 1 s check past any bound, not its CPU time. A quadratic check takes
  // 20 s of CPU to minutes; the command itself is bounded by the test's timeout.
  test(
    'a 1 MiB file of 90,000 keys or 140,000 list items is checked in linear time, not frozen for minutes',
    { timeout: 300_000 },
    async () => {
      const account = 'alibaba:\n  - name: a\n    region: cn-shanghai\n    credentials: { source: default }\n';
      const keys = `${account}extra: {${Array.from({ length: 90_000 }, (_, i) => `k${i}: 1`).join(', ')}, k7: 2}\n`;
      const items = `${account}    servers: [${Array.from({ length: 140_000 }, (_, i) => i).join(',')},0]\n`;
      for (const [name, text, expected] of [
        ['keys.yaml', keys, /:5: not valid YAML: Map keys must be unique$/],
        ['items.yaml', items, /:5: alibaba\[0\]\.servers\[140000\]: "0" is listed twice$/],
      ] as const) {
        const path = join(dir, name);
        writeFileSync(path, text);
        assert.ok(text.length <= 1024 * 1024, `${name} is ${text.length} bytes`);
        const { status, output } = await run(process.execPath, [distMain, `--config.file=${path}`, '--config.check'], { env });
        assert.equal(status, 2, output);
        assert.match(output.trim(), expected);
        const before = process.cpuUsage();
        const checked = await checkConfigFile(path, env);
        const cpu = process.cpuUsage(before);
        assert.ok(!checked.ok && expected.test(checked.message), `${name}: ${JSON.stringify(checked)}`);
        const cpuSeconds = (cpu.user + cpu.system) / 1e6;
        assert.ok(cpuSeconds < 8, `${name}: ${cpuSeconds.toFixed(1)} s of CPU`);
      }
    },
  );

  test('--web.max-connections takes a whole number', async () => {
    const { status, output } = await run(process.execPath, [distMain, '--web.max-connections=lots']);
    assert.equal(status, 2);
    assert.match(output, /--web\.max-connections: "lots" is not a whole number/);
  });

  test('a listen address in use exits 1 with one line naming it, not a stack trace', async () => {
    const holder = start(process.execPath, [
      '-e',
      "require('net').createServer().listen(+process.argv[1], '127.0.0.1', () => console.log('held'))",
      String(await freePort()),
    ]);
    try {
      await waitFor('the port to be held', async () => (holder.output().includes('held') ? true : undefined), { describe: holder.output });
      const port = holder.child.spawnargs.at(-1)!;
      const config = join(dir, 'listen.yaml');
      writeFileSync(config, alibabaConfig(emulator, ['prod']));
      const { status, output } = await run(
        process.execPath,
        [distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`],
        { env },
      );
      assert.equal(status, 1, output);
      assert.equal(
        output,
        `cloudscan-exporter: cannot listen on 127.0.0.1:${port}: the address is already in use (another exporter, or another program?); stop it or pick another --web.listen-address\n`,
      );
    } finally {
      await holder.stop('SIGKILL');
    }
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
      exporter = start(
        process.execPath,
        [distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-lifecycle', '--log.format=json'],
        { env },
      );
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

    test("promtool check metrics finds nothing in a real scrape, prom-client's process and Node.js metrics included", async () => {
      const metrics = await (await fetch(url('/metrics'))).text();
      for (const family of [
        'process_cpu_seconds_total',
        'nodejs_active_handles',
        'nodejs_gc_duration_seconds',
        'cloudscan_cache_hits_total',
        'cloudscan_api_errors_total',
      ]) {
        assert.match(metrics, new RegExp(`^# TYPE ${family} `, 'm'), `${family} is served`);
      }
      for (const name of DROPPED_DEFAULT_METRICS) assert.doesNotMatch(metrics, new RegExp(`^${name}\\b`, 'm'), `${name} is left out`);
      assert.equal(checkMetrics(metrics), '');
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

    test('a hostile file on reload is refused at once, keeps the old configuration, and /-/healthy keeps answering', async () => {
      const before = await (await fetch(url('/metrics'))).text();
      const fifo = join(dir, 'reload.fifo');
      execFileSync('mkfifo', [fifo]);
      const hostile = [
        `${alibabaConfig(emulator, ['prod'])}${ALIAS_BOMB}`,
        `tencent:\n  - name: prod\n    credentials:\n      secret_id: AKIDhostile\n      secret_key_file: ${fifo}\n`,
        `tencent:\n  - name: prod\n    credentials:\n      secret_id: AKIDhostile\n      secret_key_file: /dev/urandom\n`,
      ];
      for (const text of hostile) {
        writeFileSync(config, text);
        const answer = await fetch(url('/-/reload'), { method: 'POST', signal: AbortSignal.timeout(20_000) });
        assert.equal(answer.status, 500);
        assert.match(await answer.text(), /^Reload failed, keeping the old configuration: .*(aliases expand|not a regular file)/);
        assert.equal((await fetch(url('/-/healthy'), { signal: AbortSignal.timeout(5_000) })).status, 200);
      }
      const kept = await (await fetch(url('/metrics'))).text();
      assert.equal(valueOf(kept, 'cloudscan_config_last_reload_successful'), 0);
      for (const account of ['prod', 'shop']) {
        const series = `cloudscan_up{provider="alibaba",account="${account}"}`;
        assert.equal(valueOf(kept, series), valueOf(before, series), account);
      }
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
