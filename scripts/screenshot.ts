// docs/status-page.png and docs/status-page-account.png: the status page of the browser test's 12
// accounts (test/support/fleet-scenario.ts: two written out, the rest members of an organization and a
// resource directory; some down, one stale), and the page of a member down with its last good data
// kept, in headless chromium. Run: npm run screenshot
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/support/browser.js';
import { fleetAccountId, startFleetScenario } from '../test/support/fleet-scenario.js';

const output = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));

const scenario = await startFleetScenario(12);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  for (const [name, path] of [
    ['status-page.png', '/'],
    ['status-page-account.png', `/?account=${encodeURIComponent(`alibaba/${fleetAccountId(2)}`)}`],
  ] as const) {
    await page.goto(`${scenario.running.url}${path}`);
    await page.screenshot({ path: output(name), fullPage: true });
    console.log(`wrote ${output(name)}`);
  }
} finally {
  await browser.close();
  await scenario.close();
}
