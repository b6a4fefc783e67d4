// docs/roles.md's emulator example, as a reader would run it: the emulator's demo accounts and its
// management principals, the file from the docs, and every member account read through its role.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { demoEmulatorOptions } from '../../src/emulator/demo.js';
import { startEmulator } from '../../src/emulator/server.js';
import { valueOf } from '../support/exposition.js';
import { startExporter } from '../support/harness.js';
import { repoRoot } from '../support/paths.js';

test("docs/roles.md's emulator example reads the four demo members through their roles, one AssumeRole each", async () => {
  const markdown = readFileSync(join(repoRoot, 'docs', 'roles.md'), 'utf8');
  const example = /<!-- example: emulator-roles -->\n```yaml\n([\s\S]*?)^```$/m.exec(markdown)?.[1];
  assert.ok(example, 'no yaml block after <!-- example: emulator-roles -->');
  const emulator = await startEmulator(demoEmulatorOptions());
  try {
    const { config, warnings } = parseConfig(example.replaceAll('127.0.0.1:18080', `127.0.0.1:${emulator.port}`), '/docs/roles.yaml', {});
    assert.ok(warnings.length > 0, 'the demo keys are written inline: the loader says so');
    const running = await startExporter(config);
    try {
      const text = await running.scrapeAfterRefresh();
      for (const [provider, account, member] of [
        ['tencent', 'demo-prod', 'demo-prod'],
        ['tencent', 'demo-staging', 'demo-staging'],
        ['alibaba', 'shop-prod', 'shop-prod'],
        ['alibaba', 'shop-staging', 'shop-staging'],
      ] as const) {
        assert.equal(valueOf(text, `cloudscan_up{provider="${provider}",account="${account}"}`), 1, `${provider}/${account}`);
        assert.equal(emulator.calls.count({ provider, account: member, action: 'AssumeRole' }), 1, `${provider}/${member}`);
      }
      assert.equal(
        emulator.calls.count({ account: 'demo-org' }) + emulator.calls.count({ account: 'org-mgmt' }),
        0,
        "no call is the management principal's own",
      );
    } finally {
      await running.close();
    }
  } finally {
    await emulator.close();
  }
});
