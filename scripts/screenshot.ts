// docs/status-page.png: the status page of the browser test's accounts (test/support/status-scenario.ts:
// one up, one with a rotated key, one with failed subtasks, one throttled), in headless chromium.
// Run: npm run screenshot
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/support/browser.js';
import { startStatusScenario } from '../test/support/status-scenario.js';

const output = fileURLToPath(new URL('../docs/status-page.png', import.meta.url));

const scenario = await startStatusScenario();
const browser = await launchBrowser();
try {
  await scenario.running.scrapeAfterRefresh();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${scenario.running.url}/`);
  await page.screenshot({ path: output, fullPage: true });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await scenario.close();
}
