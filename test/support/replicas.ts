// Several exporter processes (the real CLI) as replicas on their own loopback addresses, one
// configuration file for all, and the series they and Prometheus hold, as comparable label sets.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distMain, mainNodeFlags } from './paths.js';
import { start, waitFor, type Started } from './processes.js';

export interface Replica {
  /** host:port */
  address: string;
  process: Started;
}

/** Starts the exporter listening on `address` with the configuration in `configFile`; resolves once it is ready. */
export async function startReplica(
  address: string,
  configFile: string,
  env: NodeJS.ProcessEnv,
  extraArgs: string[] = [],
): Promise<Replica> {
  const process_ = start(
    process.execPath,
    [...mainNodeFlags, distMain, `--config.file=${configFile}`, `--web.listen-address=${address}`, ...extraArgs],
    {
      env: { ...process.env, ...env },
    },
  );
  await waitFor(`the exporter on ${address}`, async () => ((await fetch(`http://${address}/-/ready`)).ok ? true : undefined), {
    timeoutMs: 20_000,
    describe: process_.output,
  });
  return { address, process: process_ };
}

export function writeConfig(dir: string, text: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

/** Canonical text of a series: name{a="x",b="y"} with the labels sorted. */
export function seriesKey(name: string, labels: Record<string, string>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${name}{${body}}`;
}

/** Every series of a text exposition (without values), as seriesKey gives them; an empty label is no label, as in Prometheus. */
export function exposedSeries(exposition: string): string[] {
  const keys: string[] = [];
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+(?: \d+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      const value = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      if (value !== '') labels[pair[1]!] = value;
    }
    keys.push(seriesKey(match[1]!, labels));
  }
  return keys;
}

/** Every series Prometheus holds for a selector, as seriesKey gives them (the name apart from the labels). */
export async function prometheusSeries(prometheus: string, selector: string): Promise<string[]> {
  const response = await fetch(
    `${prometheus}/api/v1/series?${new URLSearchParams({ 'match[]': selector, start: String(Date.now() / 1000 - 300) })}`,
  );
  const body = (await response.json()) as { status: string; error?: string; data?: Record<string, string>[] };
  if (body.status !== 'success') throw new Error(`series ${selector}: ${body.error ?? response.status}`);
  return (body.data ?? []).map(({ __name__: name, ...labels }) => seriesKey(name!, labels));
}
