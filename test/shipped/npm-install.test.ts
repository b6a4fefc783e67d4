// `npm ci` from a clone prints no warning on any Node that CI runs (issue 24): a newcomer who sees
// `npm warn EBADENGINE` or a list of unreviewed install scripts thinks something is broken. Offline,
// from package-lock.json: what npm would warn about is written there (each package's `engines`, and
// `hasInstallScript`). .ci/run also fails when a real `npm ci` prints a warning.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import semver from 'semver';
import { repoRoot } from '../support/paths.js';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const installed = Object.entries(lock.packages)
  .filter(([path]) => path.startsWith('node_modules/'))
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), ...entry }));

/** The Nodes `npm ci` runs on: the oldest that `engines` admits, this one, and the LTS of .node-lts (.ci/run's). */
const NODES = [
  semver.minVersion(manifest.engines.node)!.version,
  process.versions.node,
  readFileSync(join(repoRoot, '.node-lts'), 'utf8').trim(),
];

describe('npm ci prints no warning', () => {
  test('package.json engines admits every Node CI runs', () => {
    for (const node of NODES)
      assert.ok(semver.satisfies(node, manifest.engines.node), `engines ${manifest.engines.node} refuses Node ${node}`);
  });

  test('no EBADENGINE: every locked package supports every Node that engines admits and CI runs', () => {
    const refusing = installed.flatMap(({ name, version, engines }) => {
      const range = engines !== undefined && !Array.isArray(engines) ? engines.node : undefined;
      if (range === undefined) return [];
      return NODES.filter((node) => !semver.satisfies(node, range)).map((node) => `${name}@${version!} needs Node ${range}, not ${node}`);
    });
    assert.ok(installed.length > 200, `only ${installed.length} locked packages found`);
    assert.deepEqual(refusing, []);
  });

  test('no unreviewed install script: each package that has one is approved or denied in allowScripts, and nothing else is', () => {
    const entries = Object.keys(manifest.allowScripts ?? {});
    const covers = (entry: string, name: string, version: string) => entry === name || entry === `${name}@${version}`;
    const withScripts = installed.filter((p) => p.hasInstallScript === true);
    assert.ok(withScripts.length >= 1, 'no package with an install script: is the lockfile still read right?');
    const unreviewed = withScripts
      .filter((p) => !entries.some((entry) => covers(entry, p.name, p.version!)))
      .map((p) => `${p.name}@${p.version!}`);
    assert.deepEqual(unreviewed, [], 'review the script, then `npm install-scripts approve` or `deny` it');
    const stale = entries.filter((entry) => !withScripts.some((p) => covers(entry, p.name, p.version!)));
    assert.deepEqual(stale, [], 'allowScripts names a package that has no install script any more: `npm install-scripts prune`');
  });
});
