import type { ExporterConfig } from '../config/types.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page at `/`: what this is, its endpoints, and the configured accounts (names only, never secrets). */
export function landingPage(version: string, config: ExporterConfig): string {
  const accounts = [
    ...config.tencent.map((a) => `tencent/${a.name}`),
    ...config.alibaba.map((a) => `alibaba/${a.name}`),
  ];
  const probes = accounts
    .map((target) => `<li><a href="probe?target=${encodeURIComponent(target)}">${escape(target)}</a></li>`)
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
