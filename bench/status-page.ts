// Bench part 16: what the status page at `/` costs at organization scale (issue 24): its bytes, the
// exporter's time to answer it, and how long headless Chromium (Debian's, driven by playwright-core
// as the browser test does) takes from asking for it to the whole page styled and laid out. The accounts are the fleet
// scenario's (test/support/fleet-scenario.ts: two written out, the rest members of a Tencent
// organization and an Alibaba resource directory, some down, some stale), in-process against the
// embedded emulator. The same file measures any tree: it reads nothing of the page but its length
// and its `page=N` links.
import { launchBrowser } from '../test/support/browser.js';
import { startFleetScenario } from '../test/support/fleet-scenario.js';
import { percentile } from './cli.js';

/** Loads of the page measured per size; the median is given. */
const LOADS = 5;

export interface StatusPageFigures {
  accounts: number;
  /** The highest page=N the first page links to (1 when it links to none). */
  pages: number;
  bytes: number;
  /** The exporter's answer, asked by Node's fetch: median ms. */
  serverMs: number;
  /** In Chromium, from navigation start (medians, ms): first byte, load event end, and style and layout of the whole page done. */
  firstByteMs: number;
  loadMs: number;
  laidOutMs: number;
}

interface NavigationTimes {
  firstByte: number;
  load: number;
  laidOut: number;
}

/**
 * Added to the page before it loads (by the browser's debugging protocol, which the page's CSP does not
 * govern): at the load event, forces the style and layout of the whole page and notes when they are done.
 * Reading the time later from the test costs a round trip that would be counted otherwise.
 */
const AT_LOAD = (): void => {
  const page = globalThis as unknown as {
    addEventListener(type: string, listener: () => void): void;
    document: { body: { offsetHeight: number } };
    performance: { now(): number };
    laidOutAt?: number;
  };
  page.addEventListener('load', () => {
    void page.document.body.offsetHeight;
    page.laidOutAt = page.performance.now();
  });
};

/** Runs in the page once loaded: Navigation Timing and the time AT_LOAD noted. */
const TIMES = (): NavigationTimes => {
  const page = globalThis as unknown as {
    laidOutAt?: number;
    performance: { getEntriesByType(type: string): Array<{ responseStart?: number; loadEventEnd?: number }> };
  };
  const navigation = page.performance.getEntriesByType('navigation')[0]!;
  return { firstByte: navigation.responseStart ?? NaN, load: navigation.loadEventEnd ?? NaN, laidOut: page.laidOutAt ?? NaN };
};

export async function statusPageCost(accounts: number): Promise<StatusPageFigures> {
  const scenario = await startFleetScenario(accounts);
  const browser = await launchBrowser();
  try {
    const url = `${scenario.running.url}/`;
    const server: number[] = [];
    let body = '';
    for (let i = 0; i < LOADS; i++) {
      const started = performance.now();
      body = (await scenario.running.get('/')).body;
      server.push(performance.now() - started);
    }
    const times: NavigationTimes[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.addInitScript(AT_LOAD);
      await page.goto(url, { waitUntil: 'load' });
      times.push(await page.evaluate(TIMES));
      await page.close();
    }
    const median = (pick: (t: NavigationTimes) => number) => percentile(times.map(pick), 0.5);
    const pages = Math.max(1, ...[...body.matchAll(/[?&;]page=(\d+)/g)].map((match) => Number(match[1])));
    return {
      accounts,
      pages,
      bytes: Buffer.byteLength(body),
      serverMs: percentile(server, 0.5),
      firstByteMs: median((t) => t.firstByte),
      loadMs: median((t) => t.load),
      laidOutMs: median((t) => t.laidOut),
    };
  } finally {
    await browser.close();
    await scenario.close();
  }
}
