import { describeCapacity, keepsUp, type AccountCapacity } from '../capacity.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The page at `/`: what this is, its endpoints, and the configured accounts (names only, never
 * secrets), each with its shortest refresh next to its TTL.
 */
export function landingPage(version: string, accounts: readonly AccountCapacity[]): string {
  const probes = accounts
    .map(
      (account) =>
        `<li><a href="probe?target=${encodeURIComponent(account.target)}">${escape(account.target)}</a>` +
        `${keepsUp(account) === false ? ' <strong>refresh cannot keep up</strong>' : ''}<br>` +
        `<small>${escape(describeCapacity(account))}</small></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>cloudscan-exporter</title></head>
<body>
<h1>cloudscan-exporter ${escape(version)}</h1>
<p>Prometheus exporter for the scan status of Tencent Cloud CWP and Alibaba Cloud Security Center.</p>
<ul>
<li><a href="metrics">/metrics</a>: every account</li>
<li>/probe?target=&lt;provider&gt;/&lt;account&gt;: one account</li>
<li><a href="-/healthy">/-/healthy</a>, <a href="-/ready">/-/ready</a>, POST /-/reload</li>
</ul>
<h2>Accounts</h2>
<ul>
${probes}
</ul>
</body>
</html>
`;
}
