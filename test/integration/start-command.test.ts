// The README's way to start the exporter from a clone works as written (issue 24): its
// `npx cloudscan-exporter` lines, run from the repository with the copied configuration, check the
// file and then serve /metrics, through package.json's bin with the node flags of main.ts's first
// line (the same the image's ENTRYPOINT passes). The configuration points at the emulator: no cloud.
// (npm exec links this clone into its cache, ~/.npm/_npx, and runs the bin from there.)
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { valueOf } from '../support/exposition.js';
import { mainNodeFlags, repoRoot } from '../support/paths.js';
import { freePort, run, start, waitFor } from '../support/processes.js';

const KEYS = { accessKeyId: 'LTAI5tStartCommand0000001', accessKeySecret: 'start-command-secret-0000000000001' };

/** The README's command lines that start the exporter, as arguments after `npx`. */
function readmeStartCommands(): { check: string[]; serve: string[] } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Run it against your clouds'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('npx cloudscan-exporter'));
  const words = (line: string) => line.split(/\s+/).slice(1);
  const check = lines.find((line) => line.includes('--config.check'));
  const serve = lines.find((line) => !line.includes('--config.check'));
  assert.ok(check && serve, 'the README checks the file and then starts the exporter with npx');
  return { check: words(check), serve: words(serve) };
}

/** Process ids below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe("the README's npx cloudscan-exporter, from the clone", () => {
  let emulator: Emulator;
  let dir: string;
  let config: string;
  const env = { ...process.env, SC_AK_ID: KEYS.accessKeyId, SC_AK_SECRET: KEYS.accessKeySecret };
  const { check, serve } = readmeStartCommands();
  /** The README's words with config.yaml being the copy this test made. */
  const withConfig = (args: string[], file: string) =>
    args.map((arg) => (arg === '--config.file=config.yaml' ? `--config.file=${file}` : arg));

  before(async () => {
    assert.ok(existsSync(join(repoRoot, 'dist', 'src', 'cmd', 'main.js')), 'dist/src is not built: run tsc first');
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'shop', ...KEYS, fleetSize: 2 });
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-start-'));
    config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'alibaba:',
        '  - name: shop',
        '    credentials: { access_key_id: "${SC_AK_ID}", access_key_secret: "${SC_AK_SECRET}" }',
        '    region: cn-shanghai',
        `    endpoint: ${emulator.url}`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('checks config.example.yaml, copied as the README copies it, with the variables it exports', async () => {
    const copy = join(dir, 'example.yaml');
    copyFileSync(join(repoRoot, 'config.example.yaml'), copy);
    const result = await run('npx', withConfig(check, copy), {
      cwd: repoRoot,
      env: {
        ...process.env,
        TENCENTCLOUD_SECRET_ID: 'AKIDstartCommand00000000000000000001',
        TENCENTCLOUD_SECRET_KEY: 'start-command-key-000000000000001',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tStartCommandExample01',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'start-command-example-secret-00001',
      },
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /tencent\/prod/);
  });

  test('serves /metrics, started through the bin with the node flags the image passes', async (t) => {
    const listen = `127.0.0.1:${await freePort()}`;
    const npx = start('npx', [...withConfig(serve, config), `--web.listen-address=${listen}`], { cwd: repoRoot, env });
    // npx runs the command under npm and a shell, which pass no signal on: stop the exporter itself.
    const exporter: { pid?: number } = {};
    t.after(async () => {
      if (exporter.pid !== undefined) {
        try {
          process.kill(exporter.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await npx.stop('SIGKILL');
    });
    const text = await waitFor(
      'the exporter serving the account',
      async () => {
        const body = await fetch(`http://${listen}/metrics`).then(
          (r) => r.text(),
          () => '',
        );
        return valueOf(body, 'cloudscan_up{provider="alibaba",account="shop"}') === 1 ? body : undefined;
      },
      { timeoutMs: 60_000, describe: npx.output },
    );
    assert.match(text, /^cloudscan_/m);
    if (platform() !== 'linux') return t.skip('the process tree is read from /proc');
    // The node process under npx runs this clone's dist/src/cmd/main.js (through the bin's link) with the shebang's flags.
    const main = realpathSync(join(repoRoot, 'dist', 'src', 'cmd', 'main.js'));
    const exporters = descendants(npx.child.pid!)
      .map((pid) => ({ pid, argv: commandLine(pid) }))
      .filter(
        ({ argv }) =>
          /(^|\/)node$/.test(argv[0] ?? '') && argv.some((arg) => arg.startsWith('/') && existsSync(arg) && realpathSync(arg) === main),
      );
    assert.equal(
      exporters.length,
      1,
      `one exporter of this clone under npx: ${descendants(npx.child.pid!)
        .map((pid) => commandLine(pid).join(' '))
        .join('; ')}`,
    );
    const { pid, argv } = exporters[0]!;
    exporter.pid = pid;
    const script = argv.findIndex((arg) => arg.startsWith('/') && existsSync(arg) && realpathSync(arg) === main);
    assert.deepEqual(argv.slice(1, script), mainNodeFlags, argv.join(' '));
    process.kill(pid, 'SIGTERM');
    assert.equal(await npx.exited, 0, npx.output());
  });
});
