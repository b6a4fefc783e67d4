// An exporter of one cloud never loads the other cloud's SDK (each costs about 8 MiB of resident
// memory): each source's module is loaded on its account's first refresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { run } from '../support/processes.js';

/** Starts a fresh process that scrapes one emulated account and lists the SDK packages it loaded. */
async function sdksLoadedFor(provider: 'tencent' | 'alibaba'): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    import { startEmulator } from './dist/src/emulator/server.js';
    import { Exporter } from './dist/src/exporter/exporter.js';
    import { ExporterMetrics } from './dist/src/metrics/exporter-metrics.js';
    import { alibabaAccount } from './dist/test/support/alibaba.js';
    import { endpointOf, exporterConfig } from './dist/test/support/harness.js';
    import { tencentAccount } from './dist/test/support/tencent.js';
    import { memoryLogger } from './dist/test/support/logger.js';
    const emulator = await startEmulator();
    const tencent = { secretId: 'AKIDlazySdkTest00000000000000000001', secretKey: 'lazySdkTestSecretKey0000000000001' };
    const alibaba = { accessKeyId: 'LTAI5tLazySdkTest0001', accessKeySecret: 'lazy-sdk-test-secret-000000000000001' };
    const config = ${JSON.stringify(provider)} === 'tencent'
      ? (emulator.tencent.addAccount({ name: 'prod', ...tencent }), exporterConfig({ tencent: [tencentAccount('prod', tencent, endpointOf(emulator))] }))
      : (emulator.alibaba.addAccount({ name: 'prod', ...alibaba, fleetSize: 2 }), exporterConfig({ alibaba: [alibabaAccount('prod', alibaba, endpointOf(emulator))] }));
    const metrics = new ExporterMetrics({ build: { version: 't', revision: 't' }, defaultMetrics: false });
    const exporter = new Exporter(config, { metrics, logger: memoryLogger().logger });
    const text = (await exporter.scrape(Date.now() + 20000)).map((piece) => piece.text.toString()).join('');
    if (!/cloudscan_up\\{provider="${provider}",account="prod"\\} 1/.test(text)) throw new Error('the account is not up: ' + text.slice(0, 2000));
    const loaded = Object.keys(createRequire(import.meta.url).cache)
      .flatMap((file) => /node_modules\\/((?:@alicloud|@darabonba)\\/[^/]+|tencentcloud-sdk-nodejs-common)\\//.exec(file)?.[1] ?? []);
    console.log(JSON.stringify([...new Set(loaded)].sort()));
    exporter.close();
    await emulator.close();
  `;
  const { status, output } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot });
  assert.equal(status, 0, output);
  return JSON.parse(output.trim().split('\n').at(-1)!) as string[];
}

test('an exporter of Alibaba accounts only never loads the Tencent SDK', async () => {
  const loaded = await sdksLoadedFor('alibaba');
  assert.ok(loaded.includes('@alicloud/openapi-core'), `the Alibaba SDK is what refreshed the account: ${loaded.join(', ')}`);
  assert.ok(!loaded.includes('tencentcloud-sdk-nodejs-common'), `loaded: ${loaded.join(', ')}`);
});

test('an exporter of Tencent accounts only never loads the Alibaba SDK', async () => {
  const loaded = await sdksLoadedFor('tencent');
  assert.ok(loaded.includes('tencentcloud-sdk-nodejs-common'), `the Tencent SDK is what refreshed the account: ${loaded.join(', ')}`);
  assert.deepEqual(
    loaded.filter((name) => name.startsWith('@alicloud/') || name.startsWith('@darabonba/')),
    [],
  );
});
