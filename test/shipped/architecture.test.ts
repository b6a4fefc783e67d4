// The map stays true: every file and folder ARCHITECTURE.md names exists (a module moved or split fails
// here until the map follows), and no relative link of the project's markdown points at nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const SKIPPED = new Set(['node_modules', 'dist', '.git']);

/** Every file and folder of the repository (folders end with /), from its root. */
function paths(directory = ''): string[] {
  return readdirSync(join(repoRoot, directory), { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = posix.join(directory, entry.name);
    return entry.isDirectory() ? [`${path}/`, ...paths(path)] : [path];
  });
}

const all = paths();
const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether a path as the map writes it names something: from the root, or below a folder (`app.ts`, `collect/invoker.ts`); `<x>` and `*` stand for any name. */
function names(written: string): boolean {
  const pattern = new RegExp(
    `(^|/)${escape(written)
      .replace(/<[a-z]+>/g, '[^/]+')
      .replace(/\*/g, '[^/]*')}$`,
  );
  return all.some((path) => pattern.test(path));
}

test('every file and folder ARCHITECTURE.md names exists', () => {
  const text = readFileSync(join(repoRoot, 'ARCHITECTURE.md'), 'utf8');
  const written = [...text.matchAll(/`([^`]+)`/g)]
    .flatMap((match) => match[1]!.split(/\s+/))
    .filter((word) => /^[\w.<>*-]+(\/[\w.<>*-]*)*$/.test(word) && (word.includes('/') || /\.(ts|md|ya?ml|json)$/.test(word)));
  assert.ok(written.length > 40, `only ${written.length} paths found`);
  assert.deepEqual(
    [...new Set(written)].filter((path) => !names(path)),
    [],
  );
});

test("every relative link of the project's markdown files points at a file or folder that exists", () => {
  const broken = all
    .filter((path) => path.endsWith('.md') && !path.startsWith('test/fixtures/'))
    .flatMap((file) =>
      [...readFileSync(join(repoRoot, file), 'utf8').matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter(
          (target) =>
            !all.includes(posix.normalize(posix.join(posix.dirname(file), target))) &&
            !all.includes(`${posix.normalize(posix.join(posix.dirname(file), target))}/`),
        )
        .map((target) => `${file}: ${target}`),
    );
  assert.deepEqual(broken, []);
});
