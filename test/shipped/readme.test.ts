// The README's first five minutes stay true (issue 24): it is short, its two commands are the demo
// and exactly what CI runs, and the exporter is started one way everywhere the project says how:
// `npx cloudscan-exporter` from a clone (package.json's bin, with the node flags of main.ts's first
// line), or node with those same flags where the image and a service manager start it.
// test/integration/start-command.test.ts runs the README's commands.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { mainNodeFlags, repoRoot } from '../support/paths.js';

const source = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const readme = source('README.md');

/** The text of a `## ` section of the README. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `the README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The command lines of the first sh block of a text: comments and blank lines left out. */
function commands(text: string): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(block, 'no sh block');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('README.md', () => {
  test('is under 150 lines: the rest lives in docs/ and CONTRIBUTING.md', () => {
    const lines = readme.split('\n').length;
    assert.ok(lines < 150, `${lines} lines`);
  });

  test('its two commands: the demo, and the tests as CI runs them', () => {
    const [demo, tests, ...more] = commands(section('Try it in two commands'));
    assert.deepEqual(more, []);
    assert.equal(demo, 'npm ci && npm run demo');
    const pkg = JSON.parse(source('package.json')) as { scripts: Record<string, string> };
    // test/integration/demo.test.ts runs dist/src/cmd/demo.js, after the build npm test makes.
    assert.equal(pkg.scripts['demo'], 'npm run build && node dist/src/cmd/demo.js');
    assert.match(tests!, /&& npm ci && npm test$/);
  });

  test('.ci/run runs each part of its test command, as written there', () => {
    const [, tests] = commands(section('Try it in two commands'));
    const ci = source('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => !line.startsWith('#'));
    for (const part of tests!.split(' && ')) {
      // `npm ci` may be followed by a pipe that keeps its output for the warning check, nothing else.
      const ran = ci.some((line) => line === part || line.startsWith(`${part} 2>&1 | tee `));
      assert.ok(ran, `.ci/run does not run \`${part}\``);
    }
    assert.equal(ci.filter((line) => /^(PATH="\$lts_bin:\$PATH" )?npm test$/.test(line)).length, 2, 'npm test on both Nodes');
  });

  test('"Run it against your clouds" starts it with npx cloudscan-exporter, as config.example.yaml says to check a file', () => {
    const run = commands(section('Run it against your clouds'));
    const started = run.filter((line) => line.includes('cloudscan-exporter'));
    assert.deepEqual(
      started.map((line) => line.split(' ').slice(0, 2).join(' ')),
      ['npx cloudscan-exporter', 'npx cloudscan-exporter'],
    );
    const check = /^# Check a file with: (.+)$/m.exec(source('config.example.yaml'))?.[1];
    assert.equal(check, 'npx cloudscan-exporter --config.file=config.yaml --config.check');
    assert.ok(run.includes(check), 'the README checks the file with the same command');
    const pkg = JSON.parse(source('package.json')) as { bin: Record<string, string> };
    assert.deepEqual(pkg.bin, { 'cloudscan-exporter': 'dist/src/cmd/main.js' });
  });
});

describe('one way to start it', () => {
  const documents = [
    'README.md',
    'CONTRIBUTING.md',
    'config.example.yaml',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];

  test("where a document runs dist/src/cmd/main.js, it runs it with the command's node flags", () => {
    const bare = documents.flatMap((path) =>
      source(path)
        .split('\n')
        .filter((line) => /\bnode\b[^`|]*dist\/src\/cmd\/main\.js/.test(line))
        .filter((line) => !line.includes(['node', ...mainNodeFlags, 'dist/src/cmd/main.js'].join(' ')))
        .map((line) => `${path}: ${line.trim()}`),
    );
    assert.deepEqual(bare, []);
  });

  test('where a document runs the command from a clone, it runs it with npx', () => {
    const bare = documents.flatMap((path) =>
      source(path)
        .split('\n')
        .filter((line) =>
          /^(#\s*)?(\w+=\S+ )*cloudscan-exporter --|&& cloudscan-exporter --|Check a file with: cloudscan-exporter/.test(line.trim()),
        )
        .map((line) => `${path}: ${line.trim()}`),
    );
    assert.deepEqual(bare, []);
  });
});
