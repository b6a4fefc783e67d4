// The image's rules, read from the Dockerfile itself (no Docker engine runs here): multi-stage,
// production dependencies only, no tests, a non-root user, a health check, the port, a pinned
// base, no secrets baked in; and the parser those checks (and the production-install test) use.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  dockerignoreIncludes,
  effectiveUser,
  effectiveWorkdir,
  isRoot,
  parseDockerfile,
  startCommand,
  type Stage,
} from '../support/dockerfile.js';
import { mainNodeFlags, repoRoot } from '../support/paths.js';
import { parseConfig } from '../../src/config/load.js';

const dockerfile = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
const { final } = dockerfile;

const SECRET_NAME = /secret|passw|token|credential|access_?key|api_?key|private|auth/i;
/** For Compose environments, where GF_AUTH_* settings are not secrets. */
const SECRET_VARIABLE = /secret|passw|token|credential|access_?key|api_?key|private/i;
/** The Node LTS that CI runs the whole suite on (.ci/run reads the same file); the image must run it too. */
const NODE_LTS = readFileSync(join(repoRoot, '.node-lts'), 'utf8').trim();
const DOCKERFILE_LINES = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').split('\n');
/** The base image's tag and the digest it was taken from, as .node-lts.integrity records the pair. */
const PINNED_IMAGES = new Map(
  readFileSync(join(repoRoot, '.node-lts.integrity'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('node:'))
    .map((line) => line.split(' ') as [string, string]),
);
const BY_DIGEST = /^node@(sha256:[0-9a-f]{64})$/;
const TAG_COMMENT = /^# (node:(\d+\.\d+\.\d+)-bookworm-slim)$/;

/** The stage a COPY --from refers to, or undefined for the build context. */
function sourceStage(from: string | undefined): Stage | undefined {
  if (from === undefined) return undefined;
  const stage = dockerfile.stage(from);
  assert.ok(stage !== undefined, `COPY --from=${from} names no stage of this Dockerfile`);
  return stage;
}

const installsProductionOnly = (stage: Stage): boolean =>
  stage.runs.some((run) => /\bnpm ci\b[^&;|]*--omit=dev/.test(run)) &&
  !stage.runs.some((run) => /\bnpm (ci|install|i)\b(?![^&;|]*--omit=dev)/.test(run));

describe('the Dockerfile', () => {
  test('is multi-stage: the build runs in its own stage, and the final image starts from a clean base', () => {
    assert.ok(dockerfile.stages.length >= 2, `${dockerfile.stages.length} stage(s)`);
    assert.ok(
      dockerfile.stages.slice(0, -1).some((stage) => stage.runs.some((run) => /npm run build\b/.test(run))),
      'a stage before the last runs npm run build',
    );
    assert.equal(final.parent, undefined, 'the final stage starts from the base image, not from a build stage');
    assert.ok(!final.runs.some((run) => /npm run build|tsc\b/.test(run)), 'no compiling in the final stage');
  });

  test('every base image is the Node LTS that CI tests (.node-lts) on bookworm-slim, pinned by digest, its tag on the line above', () => {
    assert.match(NODE_LTS, /^\d+\.\d+\.\d+$/, '.node-lts holds one full version, e.g. 24.21.0');
    for (const stage of dockerfile.stages) {
      if (stage.parent !== undefined) continue;
      const name = `stage ${stage.name ?? stage.index}`;
      const digest = BY_DIGEST.exec(stage.image)?.[1];
      assert.ok(digest, `${name}: ${stage.image} is not node@sha256:<digest>: a tag can be moved, a digest cannot`);
      const from = stage.instructions[0]!;
      const tag = TAG_COMMENT.exec(DOCKERFILE_LINES[from.line - 2] ?? '');
      assert.ok(
        tag,
        `${name}: the line above FROM (line ${from.line}) names the tag the digest was taken from, e.g. # node:${NODE_LTS}-bookworm-slim`,
      );
      assert.equal(tag[2], NODE_LTS, `${name}: the image runs Node ${tag[2]}, CI tests ${NODE_LTS} (.node-lts): change both together`);
      assert.equal(
        digest,
        PINNED_IMAGES.get(tag[1]!),
        `${name}: ${tag[1]} is pinned to ${PINNED_IMAGES.get(tag[1]!) ?? 'no digest'} in .node-lts.integrity, the FROM says ${digest}: change the tag, the digest and the record together`,
      );
    }
    assert.equal(
      new Set(dockerfile.stages.map((stage) => stage.image)).size,
      1,
      'one base image for all stages: the build and the runtime agree on Node',
    );
  });

  test('the final stage holds no package manager: npm, npx, corepack and yarn are removed, and nothing runs them after', () => {
    const removing = final.runs.find((run) => /^rm -rf /.test(run)) ?? '';
    for (const path of [
      '/usr/local/lib/node_modules/npm',
      '/usr/local/lib/node_modules/corepack',
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '/usr/local/bin/corepack',
      '/usr/local/bin/yarn',
    ]) {
      assert.ok(removing.split(/\s+/).includes(path), `the final stage removes ${path}`);
    }
    const after = final.runs.slice(final.runs.indexOf(removing) + 1);
    for (const command of [...after, ...(final.healthcheck?.command ?? []), ...startCommand(final)]) {
      assert.doesNotMatch(command, /\b(npm|npx|corepack|yarn)\b/, command);
    }
  });

  test('the final stage runs as a user other than root', () => {
    const user = effectiveUser(final);
    assert.ok(!isRoot(user), `USER ${user}`);
    const lastUser = final.instructions.map((i) => i.keyword).lastIndexOf('USER');
    const lastCopyOrRun = Math.max(
      ...final.instructions.map((instruction, index) => (/^(COPY|ADD|RUN)$/.test(instruction.keyword) ? index : -1)),
    );
    assert.ok(
      lastUser > lastCopyOrRun,
      'USER comes after the last COPY/RUN, so the app files stay root-owned and read-only to the process',
    );
  });

  test('the final stage holds production dependencies only: node_modules comes from a stage that ran npm ci --omit=dev', () => {
    assert.ok(
      !final.runs.some((run) => /\bnpm (ci|install|i)\b/.test(run) && !/--omit=dev/.test(run)),
      'no full install in the final stage',
    );
    const modules = final.copies.filter((copy) => copy.sources.some((source) => /node_modules/.test(source)));
    assert.ok(
      modules.length > 0 || installsProductionOnly(final),
      'node_modules is copied from a production install (or installed in place with --omit=dev)',
    );
    for (const copy of modules) {
      const stage = sourceStage(copy.from);
      assert.ok(stage !== undefined, `line ${copy.line}: node_modules from the build context`);
      assert.ok(
        installsProductionOnly(stage),
        `line ${copy.line}: node_modules from stage ${stage.name ?? stage.index}, which does not run npm ci --omit=dev (only)`,
      );
    }
  });

  test('the final stage copies the compiled exporter (dist/src) and nothing else from the build stage', () => {
    for (const copy of final.copies) {
      const stage = sourceStage(copy.from);
      for (const source of copy.sources) {
        assert.doesNotMatch(source, /(^|\/)(test|bench)(\/|$)/, `line ${copy.line}: copies ${source}`);
        assert.ok(!['.', './', '/', '*'].includes(source), `line ${copy.line}: copies a whole tree (${source})`);
        if (stage !== undefined && !installsProductionOnly(stage)) {
          assert.match(
            source,
            /\/dist\/src\/?$/,
            `line ${copy.line}: from ${stage.name ?? stage.index} only dist/src may be copied, not ${source}`,
          );
        }
      }
    }
    assert.ok(
      final.copies.some((copy) => copy.sources.some((s) => /dist\/src\/?$/.test(s))),
      'dist/src is copied',
    );
  });

  test('no stage copies the tests or benchmarks, and .dockerignore keeps them (and secrets) out of the context', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of stage.copies) {
        for (const source of copy.sources)
          assert.doesNotMatch(source, /(^|\/)(test|bench)(\/|$)/, `stage ${stage.name ?? stage.index} line ${copy.line}`);
      }
    }
    for (const path of [
      'node_modules',
      'dist',
      '.git',
      'test',
      'test/unit/x.test.ts',
      'bench',
      'docs',
      'config.yaml',
      '.env',
      'npm-debug.log',
      'grafana',
      'prometheus',
    ]) {
      assert.equal(dockerignoreIncludes(dockerignore, path), false, `${path} is ignored`);
    }
    for (const stage of dockerfile.stages) {
      for (const copy of stage.copies.filter((c) => c.from === undefined)) {
        for (const source of copy.sources)
          assert.equal(dockerignoreIncludes(dockerignore, source), true, `${source} (line ${copy.line}) is in the build context`);
      }
    }
  });

  test('HEALTHCHECK asks /-/healthy with node (the slim image has no curl), through a script the build produces', () => {
    const check = final.healthcheck;
    assert.ok(check?.command !== undefined, 'a HEALTHCHECK with a command');
    assert.equal(check.form, 'exec');
    assert.ok(
      check.command.some((arg) => arg.includes('/-/healthy')),
      check.command.join(' '),
    );
    assert.equal(check.command[0], 'node');
    assert.ok(!check.command.some((arg) => /\b(curl|wget)\b/.test(arg)));
    const script = check.command[1] ?? '';
    const source = join(repoRoot, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
    assert.ok(existsSync(source), `${script} is built from ${source}`);
    assert.ok(
      check.command.some((arg) => arg.includes(':9787/')),
      'it asks the exposed port',
    );
  });

  test('EXPOSE 9787, the default --web.listen-address', () => {
    assert.ok(final.expose.includes('9787') || final.expose.includes('9787/tcp'), final.expose.join(' '));
  });

  test('the start command is node dist/src/cmd/main.js with the documented config path, in exec form', () => {
    assert.equal(final.entrypointForm ?? final.cmdForm, 'exec');
    if (final.cmd !== undefined) assert.equal(final.cmdForm, 'exec');
    assert.deepEqual(startCommand(final), [
      'node',
      ...mainNodeFlags,
      'dist/src/cmd/main.js',
      '--config.file=/etc/cloudscan-exporter/config.yaml',
    ]);
    assert.ok(mainNodeFlags.length > 0, 'the command runs with its node flags');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['start'], ['node', ...mainNodeFlags, 'dist/src/cmd/main.js'].join(' '), 'npm start runs it as the image does');
    assert.ok(effectiveWorkdir(final)?.startsWith('/'), 'an absolute WORKDIR for the relative dist/src path');
    assert.ok(existsSync(join(repoRoot, 'src', 'cmd', 'main.ts')));
  });

  test('no ARG or ENV carries a secret', () => {
    const names = [
      Object.keys(dockerfile.globalArgs),
      ...dockerfile.stages.flatMap((stage) => [Object.keys(stage.args), Object.keys(stage.env)]),
    ].flat();
    for (const name of names) assert.doesNotMatch(name, SECRET_NAME, `${name} looks like a secret`);
    for (const stage of dockerfile.stages) {
      for (const run of stage.runs) assert.doesNotMatch(run, /(SECRET|ACCESS_KEY)[A-Z_]*=/, `a RUN sets a secret: ${run}`);
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: unknown;
        profiles?: string[];
        volumes?: string[];
        command?: string[];
        entrypoint?: string[];
        environment?: unknown;
        ports?: string[];
      }
    >;
    configs?: Record<string, { content?: string; file?: string }>;
  };
  const services = compose.services;

  test('runs the exporter from this Dockerfile, the emulator as the demo profile, and Prometheus, Alertmanager and Grafana pinned', () => {
    for (const name of ['exporter', 'emulator', 'prometheus', 'alertmanager', 'grafana']) assert.ok(services[name], `service ${name}`);
    assert.ok(services['exporter']?.build !== undefined);
    assert.deepEqual(services['emulator']?.profiles, ['demo']);
    assert.deepEqual(
      [...(services['emulator']?.entrypoint ?? []), ...(services['emulator']?.command ?? [])],
      ['node', 'dist/src/cmd/emulator.js', '--port', '18080', '--host', '0.0.0.0'],
    );
    for (const name of ['prometheus', 'alertmanager', 'grafana']) {
      assert.match(services[name]?.image ?? '', /:v?\d+\.\d+\.\d+$/, `${name} is pinned to a version`);
    }
  });

  test('mounts our Prometheus, Alertmanager and Grafana files from where the end-to-end test uses them', () => {
    const mounts = Object.values(services).flatMap((service) => service.volumes ?? []);
    for (const path of [
      './prometheus/prometheus.yml',
      './prometheus/alerts.yml',
      './prometheus/alertmanager.yml',
      './grafana/provisioning',
      './grafana/dashboards',
    ]) {
      assert.ok(
        mounts.some((mount) => mount.startsWith(`${path}:`)),
        `${path} is mounted`,
      );
      assert.ok(existsSync(join(repoRoot, path)), `${path} exists in the repository`);
    }
    for (const mount of mounts) {
      const source = mount.split(':')[0] ?? '';
      if (source.startsWith('./') && !source.includes('$'))
        assert.ok(existsSync(join(repoRoot, source)), `${source} is mounted but does not exist`);
    }
    const exporterMounts = services['exporter']?.volumes ?? [];
    assert.ok(
      exporterMounts.some((mount) => /:\/etc\/cloudscan-exporter\/config\.yaml(:ro)?$/.test(mount)),
      'the exporter config at the documented path',
    );
  });

  test('the demo configuration it gives the exporter is valid and points at the emulator, with no inline secret', () => {
    const content = compose.configs?.['demo-config']?.content;
    assert.ok(content !== undefined);
    // Compose turns $$ into $; the exporter then expands ${NAME:-default}.
    const { config, warnings } = parseConfig(content.replaceAll('$$', '$'), 'demo.yaml', {});
    assert.deepEqual(warnings, []);
    assert.ok(config.alibaba.length > 0);
    assert.ok(config.tencent.length > 0);
    assert.equal(JSON.stringify(config).includes('emulator:18080'), true);
  });

  test('passes credentials through by name only: no value for any secret-looking variable', () => {
    for (const [name, service] of Object.entries(services)) {
      const environment = service.environment;
      const entries: Array<[string, unknown]> = Array.isArray(environment)
        ? (environment as string[]).map((entry) => [
            entry.split('=', 1)[0] ?? '',
            entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : undefined,
          ])
        : Object.entries((environment ?? {}) as Record<string, unknown>);
      for (const [key, value] of entries) {
        if (SECRET_VARIABLE.test(key)) assert.equal(value, undefined, `${name}: ${key} has a value in docker-compose.yml`);
      }
    }
  });
});

describe('the Dockerfile parser', () => {
  const parsed = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=node:20.1.0-bookworm-slim',
      'FROM ${BASE} AS Build',
      'RUN npm ci && \\',
      '    # a comment inside a continuation',
      '    npm run build',
      'FROM build AS test',
      'ENV A=1 B="two words"',
      'ENV LEGACY value with spaces',
      'FROM node:20.1.0-bookworm-slim',
      'COPY --from=build --chown=node:node /src/dist/src ./dist/src',
      'COPY ["a b.json", "c.json", "./"]',
      'USER 1000:1000',
      'HEALTHCHECK --interval=5s CMD node -e "1"',
      'ENTRYPOINT ["node"]',
      'CMD ["main.js", "--flag"]',
      '',
    ].join('\n'),
  );

  test('reads stages, names, parents, continuations and both ENV forms', () => {
    assert.equal(parsed.stages.length, 3);
    assert.deepEqual(parsed.globalArgs, { BASE: 'node:20.1.0-bookworm-slim' });
    assert.equal(parsed.stages[0]?.name, 'build');
    assert.deepEqual(parsed.stages[0]?.runs, ['npm ci && npm run build']);
    assert.equal(parsed.stages[1]?.parent, parsed.stages[0]);
    assert.deepEqual(parsed.stages[1]?.env, { A: '1', B: 'two words', LEGACY: 'value with spaces' });
    assert.equal(parsed.stage('BUILD'), parsed.stages[0]);
    assert.equal(parsed.stage('2'), parsed.final);
  });

  test('reads COPY flags and sources in both forms, USER, HEALTHCHECK and the start command', () => {
    assert.deepEqual(
      parsed.final.copies.map(({ from, flags, sources, dest }) => ({ from, flags, sources, dest })),
      [
        { from: 'build', flags: { chown: 'node:node' }, sources: ['/src/dist/src'], dest: './dist/src' },
        { from: undefined, flags: {}, sources: ['a b.json', 'c.json'], dest: './' },
      ],
    );
    assert.equal(effectiveUser(parsed.final), '1000:1000');
    assert.equal(effectiveUser(parsed.stages[1] as Stage), 'root');
    assert.deepEqual(parsed.final.healthcheck, {
      options: { interval: '5s' },
      command: ['/bin/sh', '-c', 'node -e "1"'],
      form: 'shell',
      line: 14,
    });
    assert.deepEqual(startCommand(parsed.final), ['node', 'main.js', '--flag']);
  });

  test('ENTRYPOINT after CMD clears it, as Docker does', () => {
    const file = parseDockerfile('FROM x:1.2.3\nCMD ["a"]\nENTRYPOINT ["b"]\n');
    assert.deepEqual(startCommand(file.final), ['b']);
  });

  test('.dockerignore: last match wins, ! re-includes, directories cover their contents', () => {
    const rules = '*\n!src/\nsrc/**/*.env\n';
    assert.equal(dockerignoreIncludes(rules, 'src/http/app.ts'), true);
    assert.equal(dockerignoreIncludes(rules, 'src/a/b/.secret.env'), false);
    assert.equal(dockerignoreIncludes(rules, 'test/x.ts'), false);
    assert.equal(dockerignoreIncludes('node_modules\n', 'node_modules/a/index.js'), false);
    assert.equal(dockerignoreIncludes('node_modules\n', 'src/index.ts'), true);
    // Docker cleans a pattern as a path and knows character classes.
    assert.equal(dockerignoreIncludes('./src\n', 'src/index.ts'), false);
    assert.equal(dockerignoreIncludes('[a-c].txt\n', 'b.txt'), false);
    assert.equal(dockerignoreIncludes('[a-c].txt\n', 'd.txt'), true);
  });
});
