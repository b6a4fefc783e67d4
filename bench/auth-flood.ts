// Wrong basic-auth passwords must not starve scrapes (issue 11, finding 4). Three processes: the
// server (the real web server and basic auth, bcrypt cost 10), a flood of 200 clients sending wrong
// passwords as fast as they are answered, and this one, which times a good client's requests
// (credentials already verified once, as a scraper's are). Side by side: bcrypt on the main thread
// without a bound (the old way) and bcrypt in worker threads with the bound (today's way).
//
//   npm run build && node dist/bench/auth-flood.js [--clients=200] [--requests=40]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { BasicAuthenticator } from '../src/http/web/basic-auth.js';
import { createWebServer } from '../src/http/web/web-server.js';

const arg = (name: string, fallback: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const auth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function get(port: number, authorization: string, agent?: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', headers: { authorization }, agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

async function serve(mainThread: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-flood-'));
  const file = join(dir, 'web.yml');
  writeFileSync(file, `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('scrape-secret', 10)}\n`);
  const authenticator = mainThread
    ? new BasicAuthenticator((password, hash) => bcrypt.compare(password, hash), { maxPending: Number.MAX_SAFE_INTEGER })
    : undefined;
  const body = '# a small exposition\ncloudscan_up{provider="tencent",account="prod"} 1\n';
  const web = await createWebServer({
    listenAddress: '127.0.0.1:0',
    webConfigFile: file,
    authenticator,
    maxConnections: 0,
    handler: (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(body),
  });
  process.send?.({ port: web.address.port });
  process.on('disconnect', () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

async function flood(port: number, clients: number): Promise<void> {
  let stop = false;
  let sent = 0;
  const statuses = new Map<number, number>();
  process.on('message', () => {
    stop = true;
  });
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (!stop) {
        const status = await get(port, auth('prometheus', `wrong-${client}-${sent++}`));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  process.send?.({ sent, statuses: Object.fromEntries(statuses) });
  process.disconnect();
}

function child(args: string[]): { process: ChildProcess; message: Promise<Record<string, unknown>> } {
  const proc = fork(process.argv[1]!, args, { stdio: 'inherit' });
  return { process: proc, message: new Promise((resolve) => proc.once('message', (m) => resolve(m as Record<string, unknown>))) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function measure(mainThread: boolean, clients: number, requests: number): Promise<void> {
  const server = child(['--serve', ...(mainThread ? ['--main-thread'] : [])]);
  const { port } = (await server.message) as { port: number };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const good = auth('prometheus', 'scrape-secret');
  const warm = await get(port, good, agent);
  const attackers = child(['--flood', String(port), String(clients)]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const times: number[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    statuses.push(await get(port, good, agent));
    times.push(performance.now() - started);
  }
  attackers.process.send('stop');
  const report = (await attackers.message) as { sent: number; statuses: Record<string, number> };
  agent.destroy();
  server.process.disconnect();
  times.sort((a, b) => a - b);
  const ok = statuses.filter((s) => s === 200).length;
  console.log(
    `${mainThread ? 'bcrypt on the main thread, unbounded (before)' : 'bcrypt in workers, bound 16  (after)       '}: ` +
      `good scrape p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms ` +
      `(${ok}/${requests} answered 200, warm-up ${warm}); flood: ${JSON.stringify(report.statuses)}`,
  );
}

const mode = process.argv[2];
if (mode === '--serve') {
  await serve(process.argv.includes('--main-thread'));
} else if (mode === '--flood') {
  await flood(Number(process.argv[3]), Number(process.argv[4]));
} else {
  const clients = arg('clients', 200);
  const requests = arg('requests', 40);
  console.log(`# a good scrape while ${clients} clients send wrong basic-auth passwords (bcrypt cost 10), ${requests} scrapes timed`);
  await measure(true, clients, Math.min(requests, 3)); // each takes seconds: a few say enough
  await measure(false, clients, requests);
}
