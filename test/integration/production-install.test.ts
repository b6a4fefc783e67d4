// The production install, reproduced the way the Dockerfile builds the image (no Docker engine runs
// here): in a clean directory, the deps stage (its package.json and package-lock.json from the build
// context, then its own `npm ci --omit=dev`), and what the runtime stage copies (package.json, that
// node_modules, the compiled dist/src); the lock file, which the image does not keep, is removed.
// Then the image's start command, parsed from ENTRYPOINT + CMD, serves /metrics against the
// emulator. Reports the installed size and the time from start to the first successful scrape.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { valueOf } from '../support/exposition.js';
import { effectiveWorkdir, parseDockerfile, startCommand, type Copy, type Stage } from '../support/dockerfile.js';
import { repoRoot } from '../support/paths.js';
import { freePort, run, start, waitFor, type Started } from '../support/processes.js';

const dockerfile = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.final;
const KEYS = { accessKeyId: 'LTAI5tProdInstall0000001', accessKeySecret: 'prod-install-secret-000000000000001' };
/** Errors that mean the npm registry cannot be reached from here: report and skip, do not fail. */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network request.*failed/i;

interface LockEntry {
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function absolute(path: string, workdir: string | undefined): string {
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join(workdir ?? '/', path);
}

/** The build-context file a stage copied to `path`, if a COPY put it there (not a RUN). */
function contextSourceOf(stage: Stage, path: string): string | undefined {
  const workdir = effectiveWorkdir(stage);
  for (const copy of stage.copies) {
    if (copy.from !== undefined) continue;
    const dest = absolute(copy.dest, workdir);
    for (const source of copy.sources) {
      const target = copy.dest.endsWith('/') || copy.sources.length > 1 ? posix.join(dest, posix.basename(source)) : dest;
      if (target === path) return source;
    }
  }
  return undefined;
}

/** The arguments after `npm ci` of the one npm ci among a stage's RUNs (what follows `&&` left out). */
function npmCiOf(stage: Stage): string[] {
  const commands = stage.runs.flatMap((r) => r.split('&&').map((c) => c.trim())).filter((c) => /^npm ci\b/.test(c));
  assert.equal(commands.length, 1, `stage ${stage.name}: expected one npm ci, found ${commands.length}`);
  return commands[0]!.split(/\s+/).slice(2);
}

describe('the production install, as the Dockerfile builds it', () => {
  let emulator: Emulator;
  let app: string;
  let exporter: Started | undefined;
  let installed = false;
  let offline: string | undefined;
  /** The lock file the deps stage installed from (the runtime image does not keep it). */
  let lock = '';

  before(async () => {
    emulator = await startEmulator();
    emulator.alibaba.addAccount({ name: 'prod', ...KEYS, fleetSize: 3 });
    app = mkdtempSync(join(tmpdir(), 'cloudscan-prod-'));
  });
  after(async () => {
    await exporter?.stop('SIGKILL');
    await emulator.close();
    rmSync(app, { recursive: true, force: true });
  });

  test('copies only what the runtime stage copies and installs production dependencies with npm ci', async (t) => {
    const workdir = effectiveWorkdir(runtime) ?? '/';
    const copied: string[] = [];
    let installFrom: Stage | undefined;
    for (const copy of runtime.copies) {
      const from = copy.from === undefined ? undefined : dockerfile.stage(copy.from);
      assert.ok(copy.from === undefined || from, `line ${copy.line}: unknown stage ${copy.from}`);
      for (const source of copy.sources) {
        const dest = relativeDest(copy, source, workdir);
        copied.push(dest);
        if (from === undefined) {
          cpSync(join(repoRoot, source), join(app, dest), { recursive: true });
        } else if (posix.basename(source) === 'node_modules') {
          installFrom = from; // produced by that stage's npm ci: reproduced below
        } else {
          const contextFile = contextSourceOf(from, absolute(source, effectiveWorkdir(from)));
          if (contextFile !== undefined) {
            cpSync(join(repoRoot, contextFile), join(app, dest), { recursive: true });
          } else {
            // Built by the stage's RUN (npm run build): the compiled output of this tree, from tsc.
            assert.equal(posix.normalize(source).replace(/^\/src\//, ''), 'dist/src', `line ${copy.line}: cannot reproduce ${source}`);
            assert.ok(existsSync(join(repoRoot, 'dist', 'src', 'cmd', 'main.js')), 'dist/src is not built: run tsc first');
            cpSync(join(repoRoot, 'dist', 'src'), join(app, dest), { recursive: true });
          }
        }
      }
    }
    assert.deepEqual(copied.sort(), ['dist/src', 'node_modules', 'package.json']);
    assert.ok(installFrom, 'the runtime stage copies no node_modules');

    // The deps stage: its build-context files (package.json, package-lock.json), then its npm ci.
    const depsWorkdir = effectiveWorkdir(installFrom) ?? '/';
    const depsFiles: string[] = [];
    for (const copy of installFrom.copies.filter((c) => c.from === undefined)) {
      for (const source of copy.sources) {
        const dest = relativeDest(copy, source, depsWorkdir);
        cpSync(join(repoRoot, source), join(app, dest), { recursive: true });
        depsFiles.push(dest);
      }
    }
    assert.deepEqual(depsFiles.sort(), ['package-lock.json', 'package.json']);
    const args = npmCiOf(installFrom);
    assert.ok(args.includes('--omit=dev'), `npm ci ${args.join(' ')}`);
    const started = Date.now();
    const npm = await run('npm', ['ci', ...args, '--prefer-offline'], { cwd: app, env: { ...process.env, NODE_ENV: 'production' } });
    if (npm.status !== 0 && OFFLINE.test(npm.output)) {
      offline = npm.output.split('\n').find((line) => OFFLINE.test(line)) ?? 'registry unreachable';
      t.skip(`the npm registry cannot be reached: ${offline}`);
      return;
    }
    assert.equal(npm.status, 0, npm.output);
    assert.doesNotMatch(npm.output, /^npm warn/im, 'a production install prints no warning');
    installed = true;
    // The runtime image has only what it copied: the lock file stays in the deps stage.
    lock = readFileSync(join(app, 'package-lock.json'), 'utf8');
    for (const file of depsFiles) if (!copied.includes(file)) rmSync(join(app, file));
    const size = execFileSync('du', ['-sh', app], { encoding: 'utf8' }).split('\t')[0];
    const modules = execFileSync('du', ['-sh', join(app, 'node_modules')], { encoding: 'utf8' }).split('\t')[0];
    t.diagnostic(`npm ci ${args.join(' ')} --prefer-offline took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    t.diagnostic(`installed size: ${size} in all (node_modules ${modules})`);
  });

  test('holds no development dependency', (t) => {
    if (!installed) return t.skip(offline ? `not installed: ${offline}` : 'not installed');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    const dev = Object.keys(pkg.devDependencies ?? {});
    assert.ok(dev.length > 0);
    const packages = (JSON.parse(lock) as { packages: Record<string, LockEntry> }).packages;
    // A devDependency may be installed only when a production package needs it too (then the
    // lock file does not mark it dev): @types/node, which httpx (under the Alibaba SDK) lists in
    // its dependencies, is one.
    for (const name of dev.filter((n) => existsSync(join(app, 'node_modules', n)))) {
      assert.notEqual(packages[`node_modules/${name}`]?.dev, true, `devDependency ${name} is installed`);
      const needers = Object.entries(packages)
        .filter(([path, p]) => path !== '' && p.dev !== true && (p.dependencies?.[name] ?? p.optionalDependencies?.[name]) !== undefined)
        .map(([path]) => path.replace(/^.*node_modules\//, ''));
      assert.ok(needers.length > 0, `devDependency ${name} is installed, and no production package needs it`);
      t.diagnostic(`${name} is installed because production dependencies need it: ${needers.join(', ')}`);
    }
    const devOnly = Object.entries(packages).filter(([path, p]) => path !== '' && p.dev === true);
    const present = devOnly.filter(([path]) => existsSync(join(app, path))).map(([path]) => path);
    assert.deepEqual(present, [], 'dev-only packages installed');
    t.diagnostic(`${devOnly.length} dev-only packages in the lock file, none installed`);
  });

  test("the image's start command serves /metrics against the emulator", async (t) => {
    if (!installed) return t.skip(offline ? `not installed: ${offline}` : 'not installed');
    const config = join(app, 'config.yaml');
    writeFileSync(
      config,
      [
        'alibaba:',
        '  - name: prod',
        '    region: cn-shanghai',
        `    endpoint: ${emulator.url}`,
        '    credentials:',
        '      access_key_id: "${ALIBABA_CLOUD_ACCESS_KEY_ID}"',
        '      access_key_secret: "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}"',
        '',
      ].join('\n'),
    );
    const command = startCommand(runtime);
    assert.equal(command[0], 'node', `the image starts ${command.join(' ')}`);
    const configFlag = command.findIndex((arg) => arg.startsWith('--config.file='));
    assert.ok(configFlag > 0, `no --config.file in ${command.join(' ')}`);
    const port = await freePort();
    const args = command.slice(1).map((arg, i) => (i + 1 === configFlag ? `--config.file=${config}` : arg));
    args.push(`--web.listen-address=127.0.0.1:${port}`);
    // The container's environment: the image's ENV (ARG defaults substituted), PATH, and the secrets.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: app,
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.accessKeySecret,
    };
    for (const [name, value] of Object.entries(runtime.env)) {
      env[name] = value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => runtime.args[(a ?? b)!] ?? '');
    }

    const started = performance.now();
    exporter = start(process.execPath, args, { cwd: app, env });
    const metrics = await waitFor(
      'the first successful scrape',
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/metrics`);
        const body = await response.text();
        return response.ok && valueOf(body, 'cloudscan_up{provider="alibaba",account="prod"}') === 1 ? body : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 25, describe: () => exporter?.output() ?? '' },
    );
    const elapsed = performance.now() - started;
    t.diagnostic(`start to first successful scrape: ${Math.round(elapsed)} ms`);
    assert.match(metrics, /^cloudscan_sas_vul_check_subtasks\{account="prod",type="cve",state="complete"\} \d+$/m);
    assert.match(metrics, /^cloudscan_build_info\{.*\} 1$/m);
    assert.match(metrics, /^process_resident_memory_bytes /m);
    const rss = valueOf(metrics, 'process_resident_memory_bytes');
    if (rss !== undefined) t.diagnostic(`resident memory after the first scrape: ${(rss / 2 ** 20).toFixed(0)} MiB`);
    assert.equal(await exporter.stop('SIGTERM'), 0, exporter.output());
    exporter = undefined;
  });
});

/** Where a COPY puts one source, relative to the stage's WORKDIR (which is the temp dir here). */
function relativeDest(copy: Copy, source: string, workdir: string): string {
  const dest = absolute(copy.dest, workdir);
  const target = copy.dest.endsWith('/') || copy.sources.length > 1 ? posix.join(dest, posix.basename(source)) : dest;
  const relative = posix.relative(workdir, target);
  assert.ok(!relative.startsWith('..'), `COPY to ${target} lands outside WORKDIR ${workdir}`);
  return relative;
}
