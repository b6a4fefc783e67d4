// Paths that work both from test/ (tsx) and from dist/test/ (compiled).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const distMain = join(repoRoot, 'dist', 'src', 'cmd', 'main.js');
/** The node flags the command runs with, from its `#!/usr/bin/env -S node ...` line (the image passes the same). */
export const mainNodeFlags: string[] = (() => {
  const shebang = readFileSync(join(repoRoot, 'src', 'cmd', 'main.ts'), 'utf8').split('\n', 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+=\S+)*)$/.exec(shebang);
  if (!match) throw new Error(`src/cmd/main.ts starts with ${shebang}, not #!/usr/bin/env -S node --flag=value ...`);
  return match[1]!.trim().split(' ').filter(Boolean);
})();
