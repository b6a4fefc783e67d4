// A real browser for the tests that look at a page as a person does: Debian's chromium, driven headless
// by playwright-core (which downloads no browser of its own). .ci/run installs chromium; on a developer's
// machine without it those tests are skipped with a message, but under CI=true they always run.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why a browser test cannot run here, or undefined when it can (always under CI=true: a missing browser then fails). */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env['CI'] === 'true') return undefined;
  return `no browser at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; CI runs this test`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // As root (CI, containers) chromium refuses to start with its sandbox; the page is our own.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
