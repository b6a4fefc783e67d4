// Hostile clients and answers (issue 21): what one unauthenticated client, or a cloud answer trusted
// too much, costs the real CLI exporter process. Each measurement starts its own exporter against the
// emulator (in this process), does what the issue describes, and reads the exporter from outside:
// resident memory from /proc, its log, its pages, and the emulator's call log.
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../src/emulator/server.js';
import type { TencentEmulatedHost } from '../src/emulator/tencent/index.js';
import { waitFor } from '../test/support/processes.js';
import { rssMiB, scrape, startCli, startCliFleet, untilFirstRefresh, type CliFleet } from './cli.js';
import { get } from './latency.js';

const TENCENT = { secretId: 'AKIDbenchHostile0000000000000000000001', secretKey: 'benchHostileTencentSecretKey00001' };
const ALIBABA = { accessKeyId: 'LTAI5tBenchHostile0001', accessKeySecret: 'bench-hostile-alibaba-secret-000001' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's resident set at its highest so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** One GET on its own connection: status, body bytes and milliseconds; status 0 when the connection failed or `giveUpMs` passed. */
function timedGet(
  url: string,
  giveUpMs: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: number; ms: number; error?: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - started }));
      res.on('error', (error) => resolve({ status: 0, bytes, ms: performance.now() - started, error: error.message }));
    });
    req.setTimeout(giveUpMs, () => req.destroy(new Error(`no answer in ${giveUpMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, bytes: 0, ms: performance.now() - started, error: error.code ?? error.message }),
    );
    req.end();
  });
}

// ---- 1. HTTP pipelining ---------------------------------------------------------------------------

export interface PipeliningResult {
  rssBeforeMiB: number;
  peakRssMiB: number;
  rssAfterCloseMiB: number;
  /** A normal gzip scrape on its own connection: the slowest of a few before, and during the flood. */
  scrapeBeforeMs: number;
  scrapeDuringMs: number;
  scrapesDuringFailed: number;
  /** Bytes the exporter sent to the pipelining connections while they did not read (what the kernel buffered). */
  bytesSent: number;
}

/**
 * `connections` connections each send `requests` pipelined GET /metrics at once and never read an
 * answer; for `holdMs` a normal scrape runs every second beside them; then they close. The exporter
 * serves an Alibaba fleet of `servers` servers (per-server series) from a warm cache.
 */
export async function pipelining(options: {
  connections: number;
  requests: number;
  servers: number;
  holdMs: number;
}): Promise<PipeliningResult> {
  const fleet = await startCliFleet({ servers: options.servers, rateLimit: 5000, ttl: '1h', perServerSeries: true });
  const sockets: Socket[] = [];
  try {
    const metrics = `${fleet.url}/metrics`;
    await untilFirstRefresh(metrics);
    let scrapeBeforeMs = 0;
    for (let i = 0; i < 3; i++) scrapeBeforeMs = Math.max(scrapeBeforeMs, (await scrape(metrics, { timeoutSeconds: 10, gzip: true })).ms);
    const rssBeforeMiB = rssMiB(fleet.pid);
    const port = Number(new URL(fleet.url).port);
    const pipelined = Buffer.from('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(options.requests));
    for (let i = 0; i < options.connections; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.pause();
      socket.write(pipelined);
      sockets.push(socket);
    }
    let peak = rssBeforeMiB;
    let scrapeDuringMs = 0;
    let scrapesDuringFailed = 0;
    const until = performance.now() + options.holdMs;
    while (performance.now() < until) {
      const normal = await timedGet(metrics, 30_000, { 'X-Prometheus-Scrape-Timeout-Seconds': '10', 'Accept-Encoding': 'gzip' });
      if (normal.status !== 200) scrapesDuringFailed++;
      scrapeDuringMs = Math.max(scrapeDuringMs, normal.ms);
      peak = Math.max(peak, rssMiB(fleet.pid));
      await sleep(1000);
      peak = Math.max(peak, rssMiB(fleet.pid));
    }
    const bytesSent = sockets.reduce((total, socket) => total + socket.readableLength, 0);
    for (const socket of sockets) socket.destroy();
    await sleep(5000);
    return {
      rssBeforeMiB,
      peakRssMiB: Math.max(peak, peakRssMiB(fleet.pid)),
      rssAfterCloseMiB: rssMiB(fleet.pid),
      scrapeBeforeMs,
      scrapeDuringMs,
      scrapesDuringFailed,
      bytesSent,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await fleet.close();
  }
}

// ---- 2. Cloud error messages ----------------------------------------------------------------------

export interface CloudMessagesResult {
  members: number;
  rssMiB: number;
  peakRssMiB: number;
  statusPageStatus: number;
  statusPageBytes: number;
  statusPageMs: number;
  /** The slowest /-/healthy answer while the status page was being made: how long the event loop was blocked. */
  loopBlockedMs: number;
  debugProbeBytes: number;
}

const ROLE = 'CloudscanReadOnly';

/** `members` members of a Tencent organization whose STS answers AssumeRole with a `messageBytes` Message. */
export async function cloudMessages(options: { members: number; messageBytes: number }): Promise<CloudMessagesResult> {
  const emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'management', ...TENCENT, strategies: [] });
  const members = [];
  for (let i = 1; i <= options.members; i++) {
    const name = `member-${i}`;
    emulator.tencent.addAccount({
      name,
      secretId: `AKIDbenchHostileMember${String(i).padStart(6, '0')}00000000`,
      secretKey: `benchHostileMemberKey${i}`,
      strategies: [],
    });
    members.push({ uin: String(200000000000 + i), name: `team-${i}`, roles: [ROLE], account: name });
  }
  emulator.tencent.organizations.set('management', members);
  emulator.faults.add({
    provider: 'tencent',
    action: 'AssumeRole',
    fault: {
      kind: 'error',
      code: 'ResourceNotFound.RoleNotFound',
      message: `The role does not exist: ${'x'.repeat(options.messageBytes)}`,
    },
  });
  const config = [
    'cache: { ttl: 1h, max_stale: 2h }',
    'tencent_organizations:',
    '  - name: bench-org',
    '    credentials: { secret_id: "${ORG_ID}", secret_key: "${ORG_KEY}" }',
    `    endpoint: ${emulator.url}`,
    `    member_role: ${ROLE}`,
    `    members: { endpoint: "${emulator.url}", modules: [Vul], rate_limit: 1000, request_timeout: 30s }`,
    '',
  ].join('\n');
  const cli = await startCli(emulator, config, { env: { ORG_ID: TENCENT.secretId, ORG_KEY: TENCENT.secretKey } });
  try {
    await waitFor(
      'every member to finish a refresh',
      async () => {
        const text = (await get(`${cli.url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '60' })).body;
        return text.split('\n').filter((line) => line.startsWith('cloudscan_collect_duration_seconds{provider="tencent"')).length >=
          options.members
          ? true
          : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 1000, describe: cli.output },
    );
    const rss = rssMiB(cli.pid);
    let loopBlockedMs = 0;
    let pageDone = false;
    const page = timedGet(`${cli.url}/`, 300_000).finally(() => (pageDone = true));
    const probes = (async () => {
      while (!pageDone) {
        loopBlockedMs = Math.max(loopBlockedMs, (await timedGet(`${cli.url}/-/healthy`, 300_000)).ms);
        await sleep(20);
      }
    })();
    const status = await page;
    await probes;
    const debug = await timedGet(`${cli.url}/probe?target=${encodeURIComponent(`tencent/${members[0]!.uin}`)}&debug=true`, 300_000);
    return {
      members: options.members,
      rssMiB: rss,
      peakRssMiB: peakRssMiB(cli.pid),
      statusPageStatus: status.status,
      statusPageBytes: status.bytes,
      statusPageMs: status.ms,
      loopBlockedMs,
      debugProbeBytes: debug.bytes,
    };
  } finally {
    await cli.close();
  }
}

// ---- 3. Baseline strategy discovery ---------------------------------------------------------------

export interface StrategyPagingResult {
  seconds: number;
  strategyPages: number;
  scanStateCalls: number;
  /** A refresh of the account finished (cloudscan_collect_duration_seconds is set). */
  refreshEnded: boolean;
  up: string;
  /** The account's state on the status page (up, down, pending) and its last error's code. */
  statusPage: string;
  lastError: string;
}

/** A cloud answering TotalCount 1e9 with 100 new strategies per page, at rate_limit 20, watched for `seconds`. */
export async function strategyPaging(options: { seconds: number }): Promise<StrategyPagingResult> {
  const emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'prod', ...TENCENT, strategies: [] });
  emulator.tencent.pinStrategyPages('prod', ({ offset, limit }) => ({
    TotalCount: 1e9,
    StrategyList: Array.from({ length: limit }, (_, i) => ({
      StrategyId: 1_000_000 + offset + i,
      StrategyName: `strategy ${offset + i}`,
      Enabled: 1,
    })),
  }));
  const config = [
    'cache: { ttl: 1h, max_stale: 2h }',
    'tencent:',
    '  - name: prod',
    '    credentials: { secret_id: "${T_ID}", secret_key: "${T_KEY}" }',
    `    endpoint: ${emulator.url}`,
    '    modules: [Baseline]',
    '    rate_limit: 20',
    '',
  ].join('\n');
  const cli = await startCli(emulator, config, { env: { T_ID: TENCENT.secretId, T_KEY: TENCENT.secretKey } });
  try {
    const started = performance.now();
    await get(`${cli.url}/metrics`);
    await sleep(options.seconds * 1000);
    const text = (await get(`${cli.url}/metrics`)).body;
    const page = (await get(`${cli.url}/`)).body;
    const up = /^cloudscan_up\{provider="tencent",account="prod"\} (\S+)$/m.exec(text)?.[1] ?? 'absent';
    return {
      seconds: (performance.now() - started) / 1000,
      strategyPages: emulator.calls.count({ action: 'DescribeBaselineStrategyList' }),
      scanStateCalls: emulator.calls.count({ action: 'DescribeScanState' }),
      refreshEnded: /^cloudscan_collect_duration_seconds\{provider="tencent",account="prod"\}/m.test(text),
      up,
      statusPage: /data-state="(\w+)"/.exec(page)?.[1] ?? '?',
      lastError: /<code class="code">([^<]*)<\/code>/.exec(page)?.[1] ?? 'none',
    };
  } finally {
    await cli.close();
  }
}

// ---- 4. Secret files with a byte-order mark -------------------------------------------------------

export interface BomSecretsResult {
  /** Where the secret's text was found, for the account whose token_file has a BOM and the one whose secret_id_file has one. */
  token: { log: number; statusPage: number; debugProbe: number };
  secretId: { log: number; statusPage: number; debugProbe: number; signatures: number };
  /** The code the failed calls were counted under, and the attempts made for one refresh. */
  tokenCode: string;
  secretIdCode: string;
  secretIdAttempts: number;
  loaded: boolean;
  loadError: string;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Two accounts whose secret files were saved with a byte-order mark: one's token_file, the other's secret_id_file. */
export async function bomSecrets(): Promise<BomSecretsResult> {
  const emulator = await startEmulator();
  const token = 'benchBomSessionToken0123456789abcdefghijklmnopqrstuv';
  const withId = { secretId: 'AKIDbenchBomSecretId00000000000000000001', secretKey: 'benchBomSecretKey0000000000000002' };
  emulator.tencent.addAccount({ name: 'token', ...TENCENT, strategies: [] });
  emulator.tencent.addAccount({ name: 'id', ...withId, strategies: [] });
  const config = [
    'cache: { ttl: 1h, max_stale: 2h }',
    'tencent:',
    '  - name: token',
    '    credentials: { secret_id: "${T_ID}", secret_key: "${T_KEY}", token_file: token.txt }',
    `    endpoint: ${emulator.url}`,
    '    modules: [Vul]',
    '  - name: id',
    '    credentials: { secret_id_file: id.txt, secret_key: "${I_KEY}" }',
    `    endpoint: ${emulator.url}`,
    '    modules: [Vul]',
    '',
  ].join('\n');
  const bom = '\ufeff';
  let cli: CliFleet;
  try {
    cli = await startCli(emulator, config, {
      env: { T_ID: TENCENT.secretId, T_KEY: TENCENT.secretKey, I_KEY: withId.secretKey },
      flags: ['--log.level=info'],
      files: { 'token.txt': `${bom}${token}\n`, 'id.txt': `${bom}${withId.secretId}\n` },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const none = { log: 0, statusPage: 0, debugProbe: 0 };
    return {
      token: none,
      secretId: { ...none, signatures: 0 },
      tokenCode: '',
      secretIdCode: '',
      secretIdAttempts: 0,
      loaded: false,
      loadError: message.split('\n').find((line) => /BOM|byte-order|_file/.test(line)) ?? message.slice(0, 200),
    };
  }
  try {
    await get(`${cli.url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '30' });
    const text = await waitFor(
      'both refreshes to end',
      async () => {
        const body = (await get(`${cli.url}/metrics`)).body;
        return body.split('\n').filter((line) => line.startsWith('cloudscan_collect_duration_seconds{provider="tencent"')).length === 2
          ? body
          : undefined;
      },
      { timeoutMs: 60_000, describe: cli.output },
    );
    const page = (await get(`${cli.url}/`)).body;
    const debugToken = (await get(`${cli.url}/probe?target=tencent/token&debug=true`)).body;
    const debugId = (await get(`${cli.url}/probe?target=tencent/id&debug=true`)).body;
    const log = cli.output();
    const codeOf = (account: string) =>
      [
        ...text.matchAll(
          new RegExp(
            `^cloudscan_api_errors_total\\{provider="tencent",account="${account}",action="DescribeScanState",code="([^"]+)"\\} ([1-9]\\d*)$`,
            'gm',
          ),
        ),
      ]
        .map((m) => m[1])
        .join(',') || 'none';
    const attempts = Number(
      /^cloudscan_api_requests_total\{provider="tencent",account="id",action="DescribeScanState"\} (\S+)$/m.exec(text)?.[1] ?? NaN,
    );
    return {
      token: { log: count(log, token), statusPage: count(page, token), debugProbe: count(debugToken, token) },
      secretId: {
        log: count(log, withId.secretId),
        statusPage: count(page, withId.secretId),
        debugProbe: count(debugId, withId.secretId),
        signatures: count(log + page + debugId, 'Signature='),
      },
      tokenCode: codeOf('token'),
      secretIdCode: codeOf('id'),
      secretIdAttempts: attempts,
      loaded: true,
      loadError: '',
    };
  } finally {
    await cli.close();
  }
}

// ---- 5. Hostile values in the log ----------------------------------------------------------------

export interface LogFloodResult {
  refreshes: number;
  /** The Tencent refreshes that failed, and the first error they failed with. */
  tencentFailed: number;
  tencentError: string;
  /** Per refresh: warning lines and their bytes, each account's. */
  tencentLines: number;
  alibabaLines: number;
  bytes: number;
  /** Per refresh: what cloudscan_api_errors_total{code="invalid_response"} rose by, and the calls made. */
  invalidResponse: number;
  calls: number;
}

/** A hostile host entry: six odd fields (Uuid, HostName, HostIp, OsName, Status, RiskNum), seven with `wanIp`. */
function hostileHost(i: number, wanIp: boolean): Record<string, unknown> {
  return {
    Uuid: `host ${i}`,
    HostName: `web\n"${i}"`,
    HostIp: `10.0.${i % 256}.1"} 1`,
    MachineWanIp: wanIp ? `bad ip ${i}` : '1.2.3.4',
    OsName: `Linux\u0000${i}`,
    Status: 'Exploded',
    FailType: 42,
    RiskNum: 1e30,
  };
}

/** One DescribeVulCheckTaskStatusDetail answer of about `bytes` bytes, every subtask with an undocumented Status. */
function hostileTaskStatus(bytes: number): string {
  const subtasks: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const subtask = `{"Type":"cve","Status":"x${i}","Code":""}`;
    subtasks.push(subtask);
    size += subtask.length + 1;
  }
  return `{"RequestId":"bench","TotalCount":${subtasks.length},"TaskStatuses":[{"TaskId":"a1b2c3","TaskStatusList":[${subtasks.join(',')}]}]}`;
}

/**
 * A Tencent account whose running Vul scan lists `hosts` hostile hosts (read again on every refresh
 * while it runs) and an Alibaba account of one server whose status answer is `sasBytes` of odd
 * subtasks, refreshed `refreshes` times (cache.ttl 5s), logging at the default level (info).
 */
export async function logFlood(options: {
  hosts: number;
  oddFieldsPerHost: 6 | 7;
  sasBytes: number;
  refreshes: number;
}): Promise<LogFloodResult> {
  const emulator = await startEmulator();
  emulator.tencent.addAccount({ name: 'hosts', ...TENCENT, strategies: [], hosts: [] as TencentEmulatedHost[] });
  emulator.tencent.pinScanState('hosts', 'Vul', undefined, {
    ScanState: 1,
    Schedule: 50,
    TaskId: 77,
    VulId: [],
    Type: 1,
    ScanBeginTime: '2026-11-23 10:00:00',
    RiskEventCount: 0,
    ScanEndTime: null,
  });
  emulator.tencent.pinTaskHosts(
    'hosts',
    77,
    Array.from({ length: options.hosts }, (_, i) => hostileHost(i, options.oddFieldsPerHost === 7)),
  );
  emulator.alibaba.addAccount({ name: 'sas', ...ALIBABA, fleetSize: 1 });
  emulator.alibaba.pinTaskStatus('sas', emulator.alibaba.servers('sas')[0]!.uuid, hostileTaskStatus(options.sasBytes));
  const config = [
    'cache: { ttl: 5s, max_stale: 2h }',
    'tencent:',
    '  - name: hosts',
    '    credentials: { secret_id: "${T_ID}", secret_key: "${T_KEY}" }',
    `    endpoint: ${emulator.url}`,
    '    modules: [Vul]',
    '    rate_limit: 1000',
    '    request_timeout: 30s',
    'alibaba:',
    '  - name: sas',
    '    credentials: { access_key_id: "${A_ID}", access_key_secret: "${A_KEY}" }',
    '    region: cn-shanghai',
    `    endpoint: ${emulator.url}`,
    '',
  ].join('\n');
  const cli = await startCli(emulator, config, {
    env: { T_ID: TENCENT.secretId, T_KEY: TENCENT.secretKey, A_ID: ALIBABA.accessKeyId, A_KEY: ALIBABA.accessKeySecret },
    flags: ['--log.level=info'],
  });
  try {
    const refreshesDone = () =>
      Math.min(
        emulator.calls.count({ account: 'hosts', action: 'DescribeScanState' }),
        emulator.calls.count({ account: 'sas', action: 'DescribeVulCheckTaskStatusDetail' }),
      );
    const invalid = (text: string) =>
      [...text.matchAll(/^cloudscan_api_errors_total\{[^}]*code="invalid_response"\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const calls = (text: string) =>
      [...text.matchAll(/^cloudscan_api_requests_total\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    // The first refresh is left out: it is counted from its end to the end of the last.
    const endOf = async (refresh: number) =>
      waitFor(
        `refresh ${refresh} to end`,
        async () => {
          const text = (await get(`${cli.url}/metrics`, { 'X-Prometheus-Scrape-Timeout-Seconds': '60' })).body;
          if (refreshesDone() < refresh) return undefined;
          // Ended: the counters of this refresh's calls are in (the snapshot's warnings are counted when it ends).
          return /cloudscan_collect_duration_seconds\{provider="alibaba"/.test(text) &&
            /cloudscan_collect_duration_seconds\{provider="tencent"/.test(text)
            ? text
            : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 500, describe: () => cli.output().slice(-2000) },
      );
    await endOf(1);
    await sleep(2000);
    const first = (await get(`${cli.url}/metrics`)).body;
    const logAfterFirst = cli.output().length;
    const lines = (text: string, provider: string) =>
      text.split('\n').filter((line) => line.includes('level=warn') && line.includes(`provider=${provider}`)).length;
    await endOf(1 + options.refreshes);
    await sleep(2000);
    const last = (await get(`${cli.url}/metrics`)).body;
    const log = cli.output().slice(logAfterFirst);
    const refreshes = refreshesDone() - 1;
    const failures = log.split('\n').filter((line) => line.includes('msg="refresh failed') && line.includes('provider=tencent'));
    return {
      refreshes,
      tencentFailed: failures.length,
      tencentError: /errCause="([^"]*)"/.exec(failures[0] ?? '')?.[1] ?? '',
      tencentLines: lines(log, 'tencent') / refreshes,
      alibabaLines: lines(log, 'alibaba') / refreshes,
      bytes: Buffer.byteLength(log) / refreshes,
      invalidResponse: (invalid(last) - invalid(first)) / refreshes,
      calls: (calls(last) - calls(first)) / refreshes,
    };
  } finally {
    await cli.close();
  }
}

// ---- 6. The scrape-timeout header and the connection cap -------------------------------------------

export interface ScrapeSlotsResult {
  /** /-/healthy at these seconds after the scrapes started: HTTP status, or the connection's error. */
  healthy: Array<{ atSeconds: number; answer: string }>;
  /** The scrapes answered within `giveUpSeconds`, and the longest of them. */
  scrapesAnswered: number;
  longestScrapeSeconds: number;
  /** The scrapes whose connection ended without an answer (or that were given up), and when the last of them ended. */
  scrapesUnanswered: number;
  lastUnansweredSeconds: number;
}

/**
 * An account without data yet (a first refresh of 1,000 Baseline strategies at rate_limit 2: minutes
 * long), --web.max-connections=`maxConnections`, and that many scrapes sending
 * X-Prometheus-Scrape-Timeout-Seconds: 600 at once; /-/healthy asked beside them.
 */
export async function scrapeSlots(options: { maxConnections: number; giveUpSeconds: number }): Promise<ScrapeSlotsResult> {
  const emulator = await startEmulator();
  emulator.tencent.addAccount({
    name: 'slow',
    ...TENCENT,
    strategies: Array.from({ length: 1000 }, (_, i) => ({ id: 5000 + i, name: `strategy ${i}` })),
  });
  const config = [
    'cache: { ttl: 60s, max_stale: 2h }',
    'tencent:',
    '  - name: slow',
    '    credentials: { secret_id: "${T_ID}", secret_key: "${T_KEY}" }',
    `    endpoint: ${emulator.url}`,
    '    modules: [Baseline]',
    '    rate_limit: 2',
    '',
  ].join('\n');
  const cli = await startCli(emulator, config, {
    env: { T_ID: TENCENT.secretId, T_KEY: TENCENT.secretKey },
    flags: [`--web.max-connections=${options.maxConnections}`],
  });
  try {
    // The readiness check's kept-alive connection closes after the server's 5 s keep-alive timeout: then the scrapes take every slot.
    await sleep(6000);
    const started = performance.now();
    const scrapes = Array.from({ length: options.maxConnections }, () =>
      timedGet(`${cli.url}/metrics`, options.giveUpSeconds * 1000, { 'X-Prometheus-Scrape-Timeout-Seconds': '600' }),
    );
    const healthyAt = async (seconds: number) => {
      await sleep(Math.max(0, seconds * 1000 - (performance.now() - started)));
      const answer = await timedGet(`${cli.url}/-/healthy`, 5000);
      return answer.status === 0 ? `refused (${answer.error ?? 'no answer'})` : `${answer.status} in ${Math.round(answer.ms)} ms`;
    };
    const healthy = [];
    for (const atSeconds of [2, 15, 40]) healthy.push({ atSeconds, answer: await healthyAt(atSeconds) });
    const results = await Promise.all(scrapes);
    const answered = results.filter((s) => s.status !== 0);
    const unanswered = results.filter((s) => s.status === 0);
    return {
      healthy,
      scrapesAnswered: answered.length,
      longestScrapeSeconds: Math.max(0, ...answered.map((s) => s.ms / 1000)),
      scrapesUnanswered: unanswered.length,
      lastUnansweredSeconds: Math.max(0, ...unanswered.map((s) => s.ms / 1000)),
    };
  } finally {
    await cli.close();
  }
}
