// When a scrape must answer: Prometheus' X-Prometheus-Scrape-Timeout-Seconds header, believed only
// up to what waiting can bring, less the configured offset (blackbox_exporter's rule).
import type { ExporterConfig } from '../config/types.js';

/** The most X-Prometheus-Scrape-Timeout-Seconds is believed: Prometheus' scrape_timeout is rarely past a minute. */
const MAX_SCRAPE_TIMEOUT_SECONDS = 600;

/**
 * Scrape deadline (Unix ms) for a request, from Prometheus' timeout header or the configured timeout.
 * The header is believed up to what waiting can bring (issue 21, finding 6): only an account without
 * data waits, for its running refresh, whose retries end when the next refresh is due (cache.ttl);
 * so at most the longer of cache.ttl and scrape.timeout.
 */
export function scrapeDeadline(
  scrapeTimeoutHeader: string | undefined,
  config: Pick<ExporterConfig, 'scrape' | 'cache'>,
  now: number,
): number {
  const { timeoutSeconds, timeoutOffsetSeconds } = config.scrape;
  const fromHeader = scrapeTimeoutHeader === undefined ? NaN : Number(scrapeTimeoutHeader);
  // The header is the client's word: 1e308 would overflow every timer (TimeoutOverflowWarning).
  const longest = Math.min(MAX_SCRAPE_TIMEOUT_SECONDS, Math.max(timeoutSeconds, config.cache.ttlSeconds));
  const timeout = Number.isFinite(fromHeader) && fromHeader > 0 ? Math.min(fromHeader, longest) : timeoutSeconds;
  return now + Math.max(0, timeout - timeoutOffsetSeconds) * 1000;
}
