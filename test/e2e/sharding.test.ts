// Sharding, proven: three exporter replicas with the same configuration, one real Prometheus with
// docs/sharding.md's hashmod configuration over /probe, the emulator counting every cloud call. Each
// account is scraped on exactly one replica, the one its hash names; every series is in Prometheus
// once; and the cloud calls of a refresh, summed over the replicas, are those of one exporter
// reading every account: no account is refreshed by two replicas.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { instantQuery, startPrometheus, type RunningService } from '../support/monitoring-stack.js';
import { repoRoot } from '../support/paths.js';
import { freePort, waitFor } from '../support/processes.js';
import { exposedSeries, prometheusSeries, startReplica, writeConfig, type Replica } from '../support/replicas.js';

const REPLICAS = 3;
/** Strategies of each Tencent account, servers of each Alibaba account: different, so mixed-up counts show. */
const TENCENT = { prod: 2, staging: 1, dev: 0, finance: 3 } as const;
const ALIBABA = { 'shop-prod': 5, analytics: 3 } as const;
const TARGETS = [...Object.keys(TENCENT).map((a) => `tencent/${a}`), ...Object.keys(ALIBABA).map((a) => `alibaba/${a}`)];

/**
 * The calls of the first refresh. Tencent: a strategy page, DescribeScanState for Malware, Vul and
 * each strategy, one DescribeScanTaskDetails page for each of those scans' tasks (the emulator's
 * scans always have a task, of its default 10 hosts), and coverage's three DescribeMachines (CVM
 * and LH in ap-guangzhou, Other in ap-others: one page each). Alibaba: a discovery page and one per
 * server (its coverage is in the discovery page).
 */
function minimumCalls(target: string): number {
  const [provider, account] = target.split('/') as [string, string];
  const scans = 2 + (TENCENT[account as keyof typeof TENCENT] ?? 0);
  // Alibaba: a discovery page, a page of the list of vulnerability checks (DescribeOnceTask), one call per server.
  return provider === 'tencent' ? 1 + scans + scans + 3 : 1 + 1 + ALIBABA[account as keyof typeof ALIBABA];
}

/** Prometheus' hashmod: the last 8 bytes of the MD5 of the value, big-endian, modulo the modulus. */
function hashmod(value: string, modulus: number): number {
  return Number(createHash('md5').update(value).digest().readBigUInt64BE(8) % BigInt(modulus));
}

interface ScrapeJob {
  job_name: string;
  scrape_interval: string;
  scrape_timeout: string;
  metrics_path: string;
  static_configs: { targets: string[] }[];
  relabel_configs: { source_labels?: string[]; target_label: string; action?: string; modulus?: number; replacement?: string }[];
}

/** The scrape job docs/sharding.md documents first. */
function documentedShardingJob(): ScrapeJob {
  const section = readFileSync(join(repoRoot, 'docs', 'sharding.md'), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'docs/sharding.md has a yaml block');
  const jobs = (parse(block) as { scrape_configs: ScrapeJob[] }).scrape_configs;
  assert.equal(jobs.length, 1);
  return jobs[0]!;
}

function accountsConfig(emulatorUrl: string): { text: string; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {};
  const tencent = Object.keys(TENCENT).map((account, i) => {
    env[`T${i}_ID`] = `AKIDshard${account}000000000000000000000`.slice(0, 36);
    env[`T${i}_KEY`] = `shardTestKey-${account}-000000000000000000`.slice(0, 32);
    return `  - { name: ${account}, endpoint: "${emulatorUrl}", credentials: { secret_id: "\${T${i}_ID}", secret_key: "\${T${i}_KEY}" } }`;
  });
  const alibaba = Object.keys(ALIBABA).map((account, i) => {
    env[`A${i}_ID`] = `LTAI5tShard${i}${account}`.slice(0, 24);
    env[`A${i}_SECRET`] = `shard-test-secret-${account}-0000000000`;
    return `  - { name: ${account}, region: cn-shanghai, endpoint: "${emulatorUrl}", credentials: { access_key_id: "\${A${i}_ID}", access_key_secret: "\${A${i}_SECRET}" } }`;
  });
  // A TTL longer than the test: each account is refreshed once, by whoever is asked for it first.
  return { text: ['cache: { ttl: 1h }', 'tencent:', ...tencent, 'alibaba:', ...alibaba, ''].join('\n'), env };
}

function addAccounts(emulator: Emulator, env: NodeJS.ProcessEnv): void {
  Object.entries(TENCENT).forEach(([name, strategies], i) =>
    emulator.tencent.addAccount({
      name,
      secretId: env[`T${i}_ID`]!,
      secretKey: env[`T${i}_KEY`]!,
      strategies: Array.from({ length: strategies }, (_, s) => ({ id: 100 + s, name: `strategy ${s}` })),
    }),
  );
  Object.entries(ALIBABA).forEach(([name, fleetSize], i) =>
    emulator.alibaba.addAccount({
      name,
      accessKeyId: env[`A${i}_ID`]!,
      accessKeySecret: env[`A${i}_SECRET`]!,
      fleetSize,
      tasksPerServer: 1,
    }),
  );
}

describe('three replicas sharded by hashmod over /probe, one Prometheus', { timeout: 180_000 }, () => {
  let dir: string;
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let configFile: string;
  let replicas: Replica[] = [];
  let prometheus: RunningService;
  let port: number;
  /** Replica address of each target, as docs/sharding.md's relabelling sends it. */
  const replicaOf = (target: string) => `127.0.0.1${hashmod(target, REPLICAS)}:${port}`;
  const describeAll = () =>
    [
      ...replicas.map((r) => `${r.address}:\n${r.process.output().slice(-2000)}`),
      `prometheus:\n${prometheus?.process.output().slice(-3000)}`,
    ].join('\n');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-shards-'));
    emulator = await startEmulator();
    const config = accountsConfig(emulator.url);
    env = config.env;
    addAccounts(emulator, env);
    configFile = writeConfig(dir, config.text);
    // One port on three loopback addresses: 127.0.0.10, .11 and .12 are replicas 0, 1 and 2.
    port = await freePort();
    replicas = await Promise.all(Array.from({ length: REPLICAS }, (_, n) => startReplica(`127.0.0.1${n}:${port}`, configFile, env)));

    const job = documentedShardingJob();
    const hashmodRule = job.relabel_configs.find((r) => r.action === 'hashmod');
    assert.equal(hashmodRule?.modulus, REPLICAS, 'docs/sharding.md shows three replicas');
    const route = job.relabel_configs.find((r) => r.target_label === '__address__');
    assert.equal(route?.replacement, 'cloudscan-exporter-$1:9787');
    route.replacement = `127.0.0.1$1:${port}`;
    job.static_configs = [{ targets: TARGETS }];
    job.scrape_interval = '1s';
    job.scrape_timeout = '1s';
    prometheus = await startPrometheus(
      join(dir, 'prometheus'),
      stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: [job] }),
    );

    // Every account up, and every target scraped three times since: a second replica that had
    // been sent an account would have shown it by now.
    await waitFor(
      'every account up and scraped three times',
      async () => {
        const up = await instantQuery(prometheus.url, 'cloudscan_up == 1');
        const scraped = await instantQuery(prometheus.url, 'count_over_time(up{job="cloudscan"}[1m]) >= 3');
        return up.length >= TARGETS.length && scraped.length === TARGETS.length ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: describeAll },
    );
  });

  after(() => stopAll(prometheus, replicas, emulator, dir));

  test('the accounts spread over all three replicas (the test would prove little otherwise)', () => {
    const shards = new Set(TARGETS.map((t) => hashmod(t, REPLICAS)));
    assert.equal(shards.size, REPLICAS);
  });

  test('every configured account is scraped on exactly one replica: the one its hash names', async () => {
    const up = await instantQuery(prometheus.url, 'cloudscan_up');
    const seen = new Map<string, string[]>();
    for (const sample of up) {
      const target = `${sample.metric['provider']}/${sample.metric['account']}`;
      seen.set(target, [...(seen.get(target) ?? []), sample.metric['instance']!]);
    }
    assert.deepEqual([...seen.keys()].sort(), [...TARGETS].sort());
    for (const target of TARGETS) assert.deepEqual(seen.get(target), [replicaOf(target)], target);
    const targets = await instantQuery(prometheus.url, 'up{job="cloudscan"}');
    assert.deepEqual(
      targets.map((s) => `${s.metric['target']} ${s.metric['instance']}`).sort(),
      TARGETS.map((t) => `${t} ${replicaOf(t)}`).sort(),
    );
    assert.ok(targets.every((s) => s.value[1] === '1'));
  });

  test("every series is in Prometheus once, and each account's are exactly those its replica serves", async () => {
    // Aggregation drops the name, so it is copied into a label first.
    const named = 'label_replace({job="cloudscan"}, "metric_name", "$1", "__name__", "(.+)")';
    const duplicated = await instantQuery(prometheus.url, `count without (instance) (${named}) > 1`);
    assert.deepEqual(duplicated, []);
    const all = await instantQuery(prometheus.url, `count(${named})`);
    assert.ok(Number(all[0]?.value[1]) > 200, 'the query sees the series');
    let total = 0;
    for (const target of TARGETS) {
      // The cache is fresh for an hour: this answer costs no cloud call.
      const probe = await fetch(`http://${replicaOf(target)}/probe?target=${encodeURIComponent(target)}`);
      assert.equal(probe.status, 200);
      // Prometheus adds job, instance and target, and renames the exporter's own `instance` label.
      const expected = exposedSeries(await probe.text())
        .map((key) => key.replace(/(^|[{,])instance=/, '$1exported_instance='))
        .map((key) =>
          key.replace(
            /\{(.*)\}$/,
            (_, labels: string) =>
              `{${[labels, `instance="${replicaOf(target)}"`, 'job="cloudscan"', `target="${target}"`].filter(Boolean).join(',')}}`,
          ),
        )
        .map(resort)
        .sort();
      const stored = (await prometheusSeries(prometheus.url, `{job="cloudscan", target="${target}", __name__!~"up|scrape_.+"}`)).sort();
      assert.deepEqual(stored, expected, target);
      total += stored.length;
    }
    assert.ok(total > 200, `${total} series`);
  });

  test("cloud calls of the refresh, summed over the replicas, are the single-exporter minimum; each replica made its shard's", async () => {
    const perAccount = Object.fromEntries(
      TARGETS.map((t) => [t, emulator.calls.count({ provider: t.split('/')[0] as 'tencent', account: t.split('/')[1]! })]),
    );
    assert.deepEqual(perAccount, Object.fromEntries(TARGETS.map((t) => [t, minimumCalls(t)])));

    const byReplica = await instantQuery(prometheus.url, 'sum by (instance) (cloudscan_api_requests_total)');
    const counted = Object.fromEntries(byReplica.map((s) => [s.metric['instance']!, Number(s.value[1])]));
    const expected: Record<string, number> = {};
    for (const target of TARGETS) expected[replicaOf(target)] = (expected[replicaOf(target)] ?? 0) + minimumCalls(target);
    assert.deepEqual(counted, expected);
    const sharded = emulator.calls.count();
    assert.equal(
      sharded,
      TARGETS.reduce((sum, t) => sum + minimumCalls(t), 0),
    );
    process.stdout.write(
      `# sharding: cloud calls per replica ${Object.entries(counted)
        .sort()
        .map(([replica, calls]) => `${replica}=${calls}`)
        .join(', ')}; sum ${sharded}\n`,
    );

    // One exporter reading every account, for comparison: the same calls, from one process.
    emulator.calls.clear();
    const single = await startReplica(`127.0.0.1:${await freePort()}`, configFile, env);
    try {
      await waitFor(
        'the single exporter to have every account',
        async () => {
          const text = await (
            await fetch(`http://${single.address}/metrics`, { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' } })
          ).text();
          return (text.match(/^cloudscan_up\{.*\} 1$/gm) ?? []).length === TARGETS.length ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, describe: single.process.output },
      );
      assert.equal(emulator.calls.count(), sharded);
      process.stdout.write(`# sharding: one exporter for every account made ${emulator.calls.count()} calls\n`);
    } finally {
      await single.process.stop();
    }
  });
});

/** The second scrape job of docs/sharding.md: members found through /targets. */
function documentedServiceDiscoveryJob(): ScrapeJob & { http_sd_configs: Array<{ url: string; refresh_interval: string }> } {
  const section = readFileSync(join(repoRoot, 'docs', 'sharding.md'), 'utf8');
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(blocks.length, 2, 'the sharding section has the static job and the service discovery job');
  const jobs = (
    parse(blocks[1]!) as { scrape_configs: Array<ScrapeJob & { http_sd_configs: Array<{ url: string; refresh_interval: string }> }> }
  ).scrape_configs;
  assert.equal(jobs.length, 1);
  return jobs[0]!;
}

const ORG_MANAGEMENT = { secretId: 'AKIDshardOrgManagement00000000000001', secretKey: 'shardOrgManagementSecretKey000001' };
const ORG_ROLE = 'CloudscanReadOnly';
const memberUin = (i: number) => String(500000000000 + i);

describe('an organization sharded over three replicas, its members found through /targets (http_sd)', { timeout: 180_000 }, () => {
  let dir: string;
  let emulator: Emulator;
  let replicas: Replica[] = [];
  let prometheus: RunningService;
  let port: number;
  const replicaOf = (target: string) => `127.0.0.1${hashmod(target, REPLICAS)}:${port}`;
  const member = (i: number) => ({ uin: memberUin(i), name: `team-${i}`, roles: [ORG_ROLE], account: `org-member-${i}` });
  const describeAll = () =>
    [
      ...replicas.map((r) => `${r.address}:\n${r.process.output().slice(-2000)}`),
      `prometheus:\n${prometheus?.process.output().slice(-3000)}`,
    ].join('\n');
  const upMembers = async () => (await instantQuery(prometheus.url, 'cloudscan_up == 1')).map((s) => s.metric['account']!).sort();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-shards-sd-'));
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'org-management', ...ORG_MANAGEMENT, strategies: [] });
    for (let i = 1; i <= 7; i++) {
      emulator.tencent.addAccount({
        name: `org-member-${i}`,
        secretId: `AKIDshardOrgMember${i}000000000000000001`.slice(0, 36),
        secretKey: `shardOrgMember${i}SecretKey00000001`,
        strategies: [],
        fleetSize: 1,
      });
    }
    emulator.tencent.organizations.set('org-management', [1, 2, 3, 4, 5, 6].map(member));
    const env = { ORG_ID: ORG_MANAGEMENT.secretId, ORG_KEY: ORG_MANAGEMENT.secretKey };
    const organization = {
      name: 'acme',
      credentials: { secret_id: '${ORG_ID}', secret_key: '${ORG_KEY}' },
      endpoint: emulator.url,
      member_role: ORG_ROLE,
      refresh_interval: '1s',
      members: { endpoint: emulator.url, modules: ['Vul'] },
    };
    const configFile = writeConfig(dir, stringify({ cache: { ttl: '1h' }, tencent_organizations: [organization] }));
    port = await freePort();
    replicas = await Promise.all(Array.from({ length: REPLICAS }, (_, n) => startReplica(`127.0.0.1${n}:${port}`, configFile, env)));

    const job = documentedServiceDiscoveryJob();
    assert.equal(job.http_sd_configs[0]!.url, 'http://cloudscan-exporter-0:9787/targets');
    job.http_sd_configs = [{ url: `http://127.0.0.10:${port}/targets`, refresh_interval: '1s' }];
    const route = job.relabel_configs.find((r) => r.target_label === '__address__')!;
    assert.equal(route.replacement, 'cloudscan-exporter-$1:9787');
    route.replacement = `127.0.0.1$1:${port}`;
    job.scrape_interval = '1s';
    job.scrape_timeout = '1s';
    prometheus = await startPrometheus(
      join(dir, 'prometheus'),
      stringify({ global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: [job] }),
    );
    await waitFor('every member up in Prometheus', async () => ((await upMembers()).length === 6 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
      describe: describeAll,
    });
  });

  after(() => stopAll(prometheus, replicas, emulator, dir));

  test("each member is scraped on exactly the replica its hash names, with its organization's listing series", async () => {
    assert.ok(
      new Set([1, 2, 3, 4, 5, 6].map((i) => hashmod(`tencent/${memberUin(i)}`, REPLICAS))).size > 1,
      'the members spread over replicas',
    );
    const up = await instantQuery(prometheus.url, 'cloudscan_up');
    assert.deepEqual(
      up.map((s) => `${s.metric['account']} ${s.metric['instance']}`).sort(),
      [1, 2, 3, 4, 5, 6].map((i) => `${memberUin(i)} ${replicaOf(`tencent/${memberUin(i)}`)}`).sort(),
    );
    const listing = await instantQuery(prometheus.url, 'max by (instance, provider, organization) (cloudscan_organization_up)');
    assert.ok(listing.length >= 1 && listing.every((s) => s.value[1] === '1'), JSON.stringify(listing));
  });

  test('a member that joins after Prometheus was set up is found through /targets and probed; one that leaves stops being probed', async () => {
    emulator.tencent.organizations.add('org-management', member(7));
    emulator.tencent.organizations.remove('org-management', memberUin(1));
    await waitFor(
      'the member that joined up, and the one that left no longer a target',
      async () => {
        const up = await upMembers();
        const targets = (await instantQuery(prometheus.url, 'up{job="cloudscan"}')).map((s) => s.metric['target']);
        return up.includes(memberUin(7)) && !targets.includes(`tencent/${memberUin(1)}`) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, describe: describeAll },
    );
    const joined = await instantQuery(prometheus.url, `cloudscan_up{account="${memberUin(7)}"}`);
    assert.deepEqual(
      joined.map((s) => s.metric['instance']),
      [replicaOf(`tencent/${memberUin(7)}`)],
    );
  });
});

/** Stops Prometheus, the replicas and the emulator, and removes the test's files. */
async function stopAll(
  prometheus: RunningService | undefined,
  replicas: readonly Replica[],
  emulator: Emulator | undefined,
  dir: string,
): Promise<void> {
  await prometheus?.stop();
  await Promise.all(replicas.map((r) => r.process.stop()));
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
}

function resort(key: string): string {
  const match = /^([^{]+)\{(.*)\}$/.exec(key)!;
  const labels = Object.fromEntries(
    [...match[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)=("(?:[^"\\]|\\.)*")/g)].map((m) => [m[1]!, JSON.parse(m[2]!) as string]),
  );
  return `${match[1]}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
}
