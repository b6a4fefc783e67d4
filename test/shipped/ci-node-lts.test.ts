// CI's Node LTS is pinned the lockfile way (issue 21, finding 10): .node-lts.integrity holds the npm
// registry's sha512 integrity of the binary package of the version in .node-lts, and .ci/node-lts
// uses a cached binary only when it is the one inside a tarball with that integrity. A binary left in
// the cache that merely prints the right version is refused. Run offline, against a scratch cache.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { repoRoot } from '../support/paths.js';

const VERSION = readFileSync(join(repoRoot, '.node-lts'), 'utf8').trim();
const PINNED = readFileSync(join(repoRoot, '.node-lts.integrity'), 'utf8');
const CPU = arch() === 'arm64' ? 'arm64' : 'x64';

describe('the Node LTS that CI runs on', () => {
  test('.node-lts.integrity pins a sha512 integrity for each binary package of the version in .node-lts', () => {
    const lines = PINNED.split('\n').filter((line) => line.startsWith('node-linux-'));
    assert.deepEqual(
      lines.map((line) => line.split(' ')[0]),
      ['x64', 'arm64'].map((cpu) => `node-linux-${cpu}@${VERSION}`),
      'one line per package .ci/node-lts may fetch, at the version of .node-lts: change both together',
    );
    for (const line of lines) assert.match(line.split(' ')[1] ?? '', /^sha512-[A-Za-z0-9+/]{86}==$/, line);
  });

  test('.ci/run gets the LTS binary from .ci/node-lts only', () => {
    const run = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8');
    assert.match(run, /lts_bin="\$\(\.ci\/node-lts\)"/);
    assert.doesNotMatch(run, /npm pack|tar -x/, 'no other way to the binary');
  });

  describe(
    'a cache holding a binary that is not the pinned one',
    { skip: platform() !== 'linux' && 'the packages are Linux binaries' },
    () => {
      const scratch = mkdtempSync(join(tmpdir(), 'cloudscan-node-lts-'));
      after(() => rmSync(scratch, { recursive: true, force: true }));
      let n = 0;

      /** A cache with a fake node that answers like the pinned one; optionally a tarball holding it. */
      function poisonedCache(withTarball: boolean): string {
        const cache = join(scratch, `cache-${++n}`);
        const dir = join(cache, `node-linux-${CPU}-${VERSION}`);
        mkdirSync(join(dir, 'bin'), { recursive: true });
        const fake = join(dir, 'bin', 'node');
        writeFileSync(fake, `#!/bin/sh\nif [ "$1" = --version ]; then echo v${VERSION}; else echo Krypton; fi\n`);
        chmodSync(fake, 0o755);
        if (withTarball) {
          const packaged = join(scratch, `package-${n}`, 'package');
          mkdirSync(join(packaged, 'bin'), { recursive: true });
          writeFileSync(join(packaged, 'bin', 'node'), readFileSync(fake));
          assert.equal(spawnSync('tar', ['-czf', `${dir}.tgz`, '-C', join(scratch, `package-${n}`), 'package']).status, 0);
        }
        return cache;
      }

      /** .ci/node-lts with that cache, offline with an empty npm cache: nothing can be fetched. */
      function nodeLts(cache: string) {
        const npmCache = join(scratch, `npm-${n}`);
        return spawnSync('bash', [join(repoRoot, '.ci', 'node-lts')], {
          env: {
            ...process.env,
            NODE_LTS_CACHE: cache,
            npm_config_offline: 'true',
            npm_config_cache: npmCache,
            npm_config_fetch_retries: '0',
          },
          encoding: 'utf8',
          timeout: 60_000,
        });
      }

      for (const withTarball of [false, true]) {
        test(`is refused and thrown away${withTarball ? ', also beside a tarball holding it' : ''}: the package is fetched again (here it cannot be)`, () => {
          const cache = poisonedCache(withTarball);
          const result = nodeLts(cache);
          assert.equal(result.stdout, '', 'no binary directory given');
          assert.equal(result.status, 1, result.stderr);
          assert.match(result.stderr, /the cached node-linux-\w+@[\d.]+ is not the pinned one/);
          assert.match(result.stderr, /cannot fetch node-linux-\w+@[\d.]+ from the npm registry/);
        });
      }
    },
  );
});
