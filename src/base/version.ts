import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's folder and its package.json (found from dist/src/ and from src/ alike). */
function findPackage(): { dir: string; version: string | undefined } | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cloudscan-exporter') return { dir, version: pkg.version };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The package's version, read from its package.json. */
export function packageVersion(): string {
  return findPackage()?.version ?? 'unknown';
}

/** A file shipped at the package's root (package.json "files"), when this install has it. */
export function packageFile(name: string): string | undefined {
  const found = findPackage();
  if (found === undefined) return undefined;
  const file = join(found.dir, name);
  return existsSync(file) ? file : undefined;
}

/** The source revision, when the build or the container sets CLOUDSCAN_REVISION. */
export function revision(): string {
  return process.env['CLOUDSCAN_REVISION'] ?? 'unknown';
}
