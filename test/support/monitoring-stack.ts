// The real Prometheus and Alertmanager (Debian's `prometheus` and `prometheus-alertmanager`),
// started from the example configurations in prometheus/ with only addresses and intervals
// shortened for a test, and a webhook receiver that records what Alertmanager sends.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from './paths.js';
import { freePort, start, waitFor, type Started } from './processes.js';

const PROMETHEUS_EXAMPLE = join(repoRoot, 'prometheus', 'prometheus.yml');
const ALERTMANAGER_EXAMPLE = join(repoRoot, 'prometheus', 'alertmanager.yml');

export interface RunningService {
  url: string;
  process: Started;
  stop(): Promise<void>;
}

interface PrometheusExample {
  global: Record<string, unknown>;
  rule_files: string[];
  alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs: { job_name: string; scrape_timeout?: string; static_configs: { targets: string[] }[] }[];
}

/**
 * prometheus/prometheus.yml with the exporter and Alertmanager at the given addresses, every
 * interval at 1 s, and its rule file replaced by `rules` (the generated alerts, short thresholds).
 */
export function prometheusConfig(options: { exporter: string; alertmanager: string; rulesFile: string }): string {
  const config = parse(readFileSync(PROMETHEUS_EXAMPLE, 'utf8')) as PrometheusExample;
  config.global['scrape_interval'] = '1s';
  config.global['evaluation_interval'] = '1s';
  config.rule_files = [options.rulesFile];
  for (const alertmanager of config.alerting.alertmanagers) alertmanager.static_configs = [{ targets: [options.alertmanager] }];
  for (const job of config.scrape_configs) {
    job.scrape_timeout = '1s';
    job.static_configs = [{ targets: [options.exporter] }];
  }
  return stringify(config);
}

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}

interface AlertmanagerExample {
  route: Route;
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
}

/** prometheus/alertmanager.yml with every webhook pointed at `webhookUrl` and its waits at 1 s. */
export function alertmanagerConfig(webhookUrl: string): string {
  const config = parse(readFileSync(ALERTMANAGER_EXAMPLE, 'utf8')) as AlertmanagerExample;
  const shorten = (route: Route): void => {
    if (route.group_wait !== undefined) route.group_wait = '1s';
    if (route.group_interval !== undefined) route.group_interval = '1s';
    if (route.repeat_interval !== undefined) route.repeat_interval = '1h';
    route.routes?.forEach(shorten);
  };
  shorten(config.route);
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) webhook.url = webhookUrl;
  }
  return stringify(config);
}

async function serve(name: string, process: Started, url: string): Promise<RunningService> {
  await waitFor(`${name} to be ready`, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 200,
    describe: process.output,
  });
  return {
    url,
    process,
    async stop() {
      await process.stop('SIGTERM');
    },
  };
}

export async function startPrometheus(dir: string, config: string): Promise<RunningService> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const process = start('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
  ]);
  return serve('Prometheus', process, `http://127.0.0.1:${port}`);
}

export async function startAlertmanager(dir: string, config: string): Promise<RunningService> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const process = start('prometheus-alertmanager', [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ]);
  return serve('Alertmanager', process, `http://127.0.0.1:${port}`);
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query against Prometheus' HTTP API; throws with Prometheus' error text. */
export async function instantQuery(prometheus: string, expr: string, time?: number): Promise<PromSample[]> {
  const response = await fetch(`${prometheus}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr, ...(time === undefined ? {} : { time: String(time) }) }),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? response.status}`);
  const result = body.data?.result;
  if (body.data?.resultType === 'scalar') return [{ metric: {}, value: result as [number, string] }];
  return result as PromSample[];
}

/** The times (Unix seconds) of the samples Prometheus holds of the first series matching `selector` within `window`. */
export async function sampleTimes(prometheus: string, selector: string, window: string): Promise<number[]> {
  const [series] = (await instantQuery(prometheus, `${selector}[${window}]`)) as unknown as Array<{ values: Array<[number, string]> }>;
  return series?.values.map(([time]) => time) ?? [];
}

/** Label values of the series matching `selector`, as Grafana's label_values(selector, label). */
export async function labelValues(prometheus: string, selector: string, label: string): Promise<string[]> {
  const response = await fetch(
    `${prometheus}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': selector })}`,
  );
  const body = (await response.json()) as { status: string; error?: string; data?: string[] };
  if (body.status !== 'success') throw new Error(`label_values(${selector}, ${label}): ${body.error ?? response.status}`);
  return body.data ?? [];
}

/** When Prometheus last evaluated the rule group of this name (Unix ms; 0 before the first time). */
export async function ruleGroupLastEvaluation(prometheus: string, group: string): Promise<number> {
  const response = await fetch(`${prometheus}/api/v1/rules?type=alert`);
  const body = (await response.json()) as { data?: { groups?: { name: string; lastEvaluation?: string }[] } };
  const found = body.data?.groups?.find((g) => g.name === group)?.lastEvaluation;
  return found === undefined ? 0 : Math.max(0, Date.parse(found));
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339; a firing alert's lies ahead (Prometheus renews it), a resolved one's has passed. */
  endsAt: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

export async function alertmanagerAlerts(alertmanager: string): Promise<AlertmanagerAlert[]> {
  const response = await fetch(`${alertmanager}/api/v2/alerts`);
  if (!response.ok) throw new Error(`Alertmanager /api/v2/alerts answered ${response.status}`);
  return (await response.json()) as AlertmanagerAlert[];
}

export interface Notification {
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: { status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface WebhookReceiver {
  url: string;
  notifications: Notification[];
  close(): Promise<void>;
}

/** Records every notification Alertmanager's webhook_configs send. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Notification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    notifications,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
