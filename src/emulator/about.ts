// What the emulator's root (GET /) answers: what this server is, that it is not a real cloud, and
// the actions of each cloud it answers, so that someone who opens the demo's emulator URL in a
// browser learns what they reached instead of a 404.
import type { EmulatedCloud } from './kit/handler.js';

/** The text/plain page, from the clouds of the registry. */
export function aboutPage(clouds: readonly EmulatedCloud[]): string {
  const lines = [
    'cloudscan-exporter cloud emulator',
    '',
    'A local fake of the cloud APIs the exporter calls, for its demo and tests. It is NOT a real cloud:',
    'its accounts, keys, servers and scans are made up, and it calls nothing outside this machine.',
    "It answers the real SDK clients (signed requests, the clouds' errors and limits) at this address.",
    '',
  ];
  for (const cloud of clouds) {
    lines.push(`${cloud.title}:`);
    const products = [...new Set(cloud.actions.map((a) => `${a.product} ${a.version}`))];
    for (const product of products) {
      const actions = cloud.actions.filter((a) => `${a.product} ${a.version}` === product).map((a) => a.action);
      lines.push(`  ${product}: ${actions.join(', ')}`);
    }
  }
  lines.push(
    '',
    'Faults to inject and calls counted: the control API under /_emulator/. Its paths, and the demo',
    "accounts and keys: docs/demo.md in the exporter's repository.",
    '',
  );
  return lines.join('\n');
}
