// Baseline strategy discovery is capped as the other listings are (issue 21, finding 3): a cloud
// whose strategy list never ends costs ten pages, and the account is down with an error that says
// why, instead of a refresh that pages on at rate_limit for ever with the account pending.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { MAX_STRATEGY_PAGES } from '../../src/sources/tencent/source.js';
import { endpointOf, exporterConfig, startExporter } from '../support/harness.js';
import { tencentAccount } from '../support/tencent.js';
import { waitFor } from '../support/processes.js';

const KEYS = { secretId: 'AKIDstrategyPages0000000000000000001', secretKey: 'strategyPagesSecretKey00000000001' };

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator.close());

test('a strategy list answering TotalCount 1e9 with 100 new strategies a page: 10 pages, then the account is down with an error naming the cap', async () => {
  emulator.tencent.addAccount({ name: 'endless', ...KEYS, strategies: [] });
  emulator.tencent.pinStrategyPages('endless', ({ offset, limit }) => ({
    TotalCount: 1e9,
    StrategyList: Array.from({ length: limit }, (_, i) => ({ StrategyId: 10_000 + offset + i, StrategyName: `s${offset + i}` })),
  }));
  const running = await startExporter(
    exporterConfig({ tencent: [tencentAccount('endless', KEYS, endpointOf(emulator), { modules: ['Baseline'], rateLimit: 5000 })] }),
  );
  try {
    await running.scrape();
    const { collector } = running.exporter.collector.accounts[0]!;
    // Bounded either way: a refresh that pages on is caught by the page count, not by a test timeout.
    await waitFor('the refresh to end, or to page past the cap', async () =>
      collector.state().refresh === undefined ||
      emulator.calls.count({ account: 'endless', action: 'DescribeBaselineStrategyList' }) > MAX_STRATEGY_PAGES
        ? true
        : undefined,
    );
    assert.equal(emulator.calls.count({ account: 'endless', action: 'DescribeBaselineStrategyList' }), MAX_STRATEGY_PAGES);
    const state = collector.state();
    assert.equal(state.refresh, undefined, 'the refresh ended');
    assert.equal(state.up, false);
    assert.equal(state.lastError?.code, 'invalid_response');
    assert.match(
      state.lastError?.message ?? '',
      /more than 1000 enabled baseline strategies \(TotalCount 1000000000, 1000 distinct in the first 10 pages\).*baseline_strategies/,
    );
    assert.equal(emulator.calls.count({ account: 'endless', action: 'DescribeScanState' }), 0);
    const page = (await running.get('/')).body;
    assert.match(page, /data-target="tencent\/endless" data-state="down"/);
    assert.match(page, /<code class="code">invalid_response<\/code> in DescribeBaselineStrategyList/);
  } finally {
    await running.close();
  }
});

test('exactly 1,000 enabled strategies (10 full pages) are all read, and their scans asked for', async () => {
  const keys = { secretId: 'AKIDstrategyPagesFull00000000000001', secretKey: 'strategyPagesFullKey0000000000001' };
  emulator.tencent.addAccount({
    name: 'full',
    ...keys,
    strategies: Array.from({ length: 1000 }, (_, i) => ({ id: 20_000 + i, name: `s${i}` })),
  });
  const running = await startExporter(
    exporterConfig({ tencent: [tencentAccount('full', keys, endpointOf(emulator), { modules: ['Baseline'], rateLimit: 5000 })] }),
  );
  try {
    const scrape = running.get('/metrics').catch(() => undefined);
    // Discovery is over once the first strategy's scan is asked for; the other 999 are not waited for.
    await waitFor('the first DescribeScanState', async () =>
      emulator.calls.count({ account: 'full', action: 'DescribeScanState' }) > 0 ? true : undefined,
    );
    assert.equal(emulator.calls.count({ account: 'full', action: 'DescribeBaselineStrategyList' }), 10);
    assert.equal(running.exporter.collector.accounts[0]!.collector.state().lastError, undefined);
    await running.close();
    await scrape;
  } finally {
    await running.close();
  }
});
