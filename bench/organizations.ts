// Organizations at scale: 100 member accounts of a Tencent organization and 100 of an Alibaba
// resource directory, each with a small fleet, read by the real CLI process against the emulator.
// What a refresh costs in calls next to the minimum (the accounts' own calls, the listing pages, one
// AssumeRole per member per key lifetime), how long from start to the first scrape with every member
// up, and the resident memory; side by side with the same 200 accounts written out in the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/server.js';
import { distMain, mainNodeFlags } from '../test/support/paths.js';
import { freePort, start, waitFor } from '../test/support/processes.js';
import { rssMiB } from './cli.js';
import { get } from './latency.js';

export const ROLE = 'CloudscanReadOnly';
const TENCENT_MANAGEMENT = { secretId: 'AKIDbenchOrgManagement00000000000001', secretKey: 'benchOnlyOrgManagementKey00000001' };
const ALIBABA_MANAGEMENT = { accessKeyId: 'LTAI5tBenchRdMgmt00001', accessKeySecret: 'bench-only-rd-management-secret-01' };
/** Tencent lists members 50 to a page, Alibaba 100. */
const TENCENT_PAGE = 50;
/**
 * cache.ttl and refresh_interval: long enough that a refresh of all accounts (about 2 s here) ends
 * well before the next is due, so one refresh's calls are counted alone, even on a loaded machine.
 */
const TTL_SECONDS = 15;
const ALIBABA_PAGE = 100;

export interface OrganizationBenchOptions {
  members: number;
  /** Servers in each Alibaba member's Security Center. */
  serversPerMember: number;
  /** true: the two organizations in the file; false: the same accounts, each written out. */
  discovered: boolean;
}

export interface RefreshCalls {
  /** Calls the emulator answered, by action. */
  byAction: Record<string, number>;
  total: number;
  /** The accounts' own calls: every call but the listing pages and AssumeRole (what the same accounts make when written out). */
  accountCalls: number;
  /** Listing pages and AssumeRole calls made, and the least there can be. */
  listing: number;
  listingMinimum: number;
  assumeRole: number;
  assumeRoleMinimum: number;
  /** accountCalls + listingMinimum + assumeRoleMinimum. */
  minimum: number;
}

export interface OrganizationBenchResult {
  accounts: number;
  /** From starting the process to the first scrape in which every account is up. */
  startToCompleteMs: number;
  first: RefreshCalls;
  second: RefreshCalls;
  rssMiB: number;
}

const tencentUin = (i: number) => String(300000000000 + i);
const alibabaId = (i: number) => String(1700000000000000 + i);
const tencentKeys = (i: number) => ({
  secretId: `AKIDbenchOrgMember${String(i).padStart(5, '0')}00000000000001`.slice(0, 36),
  secretKey: `benchOnlyOrgMember${String(i).padStart(5, '0')}0000000000`.slice(0, 34),
});
const alibabaKeys = (i: number) => ({
  accessKeyId: `LTAI5tBenchRdMember${String(i).padStart(5, '0')}`,
  accessKeySecret: `bench-only-rd-member-${String(i).padStart(5, '0')}-secret`,
});

/** The emulator with both organizations: every member an emulated account with its small fleet and the member role. */
function emulated(emulator: Emulator, options: OrganizationBenchOptions): void {
  emulator.tencent.addAccount({ name: 'management', ...TENCENT_MANAGEMENT, strategies: [] });
  emulator.alibaba.addAccount({ name: 'rd-management', ...ALIBABA_MANAGEMENT, fleetSize: 1 });
  const tencentMembers = [];
  const alibabaMembers = [];
  for (let i = 1; i <= options.members; i++) {
    emulator.tencent.addAccount({ name: `tencent-${i}`, ...tencentKeys(i), strategies: [] });
    emulator.alibaba.addAccount({
      name: `alibaba-${i}`,
      ...alibabaKeys(i),
      fleetSize: options.serversPerMember,
      tasksPerServer: 1,
      cycleSeconds: 3600,
    });
    tencentMembers.push({ uin: tencentUin(i), name: `team-${i}`, roles: [ROLE], account: `tencent-${i}` });
    alibabaMembers.push({ accountId: alibabaId(i), displayName: `shop-${i}`, roles: [ROLE], account: `alibaba-${i}` });
  }
  emulator.tencent.organizations.set('management', tencentMembers);
  emulator.alibaba.directories.set('rd-management', alibabaMembers);
}

function configText(emulator: Emulator, options: OrganizationBenchOptions): string {
  const common = [`cache: { ttl: ${TTL_SECONDS}s, max_stale: 1h }`, 'scrape: { timeout: 60s }'];
  if (options.discovered) {
    return [
      ...common,
      'tencent_organizations:',
      '  - name: bench-org',
      '    credentials: { secret_id: "${ORG_ID}", secret_key: "${ORG_KEY}" }',
      `    endpoint: ${emulator.url}`,
      `    member_role: ${ROLE}`,
      `    refresh_interval: ${TTL_SECONDS}s`,
      `    members: { endpoint: "${emulator.url}", modules: [Malware, Vul], rate_limit: 1000, request_timeout: 30s }`,
      'alibaba_resource_directories:',
      '  - name: bench-rd',
      '    credentials: { access_key_id: "${RD_ID}", access_key_secret: "${RD_KEY}" }',
      `    endpoint: ${emulator.url}`,
      `    refresh_interval: ${TTL_SECONDS}s`,
      `    members: { region: cn-shanghai, endpoint: "${emulator.url}", rate_limit: 1000, request_timeout: 30s }`,
      '',
    ].join('\n');
  }
  const lines = [...common, 'tencent:'];
  for (let i = 1; i <= options.members; i++) {
    const keys = tencentKeys(i);
    lines.push(
      `  - name: "${tencentUin(i)}"`,
      `    credentials: { secret_id: ${keys.secretId}, secret_key: "\${TENCENT_KEY_${i}}" }`,
      `    endpoint: ${emulator.url}`,
      '    modules: [Malware, Vul]',
      '    rate_limit: 1000',
      '    request_timeout: 30s',
    );
  }
  lines.push('alibaba:');
  for (let i = 1; i <= options.members; i++) {
    const keys = alibabaKeys(i);
    lines.push(
      `  - name: "${alibabaId(i)}"`,
      `    credentials: { access_key_id: ${keys.accessKeyId}, access_key_secret: "\${ALIBABA_KEY_${i}}" }`,
      '    region: cn-shanghai',
      `    endpoint: ${emulator.url}`,
      '    rate_limit: 1000',
      '    request_timeout: 30s',
    );
  }
  return `${lines.join('\n')}\n`;
}

function environment(options: OrganizationBenchOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORG_ID: TENCENT_MANAGEMENT.secretId,
    ORG_KEY: TENCENT_MANAGEMENT.secretKey,
    RD_ID: ALIBABA_MANAGEMENT.accessKeyId,
    RD_KEY: ALIBABA_MANAGEMENT.accessKeySecret,
  };
  for (let i = 1; i <= options.members; i++) {
    env[`TENCENT_KEY_${i}`] = tencentKeys(i).secretKey;
    env[`ALIBABA_KEY_${i}`] = alibabaKeys(i).accessKeySecret;
  }
  return env;
}

/** The calls the emulator answered since the last clear, by action, next to the minimum. */
function refreshCalls(emulator: Emulator, options: OrganizationBenchOptions, assumeRoleMinimum: number): RefreshCalls {
  const byAction: Record<string, number> = {};
  for (const record of emulator.calls.list()) byAction[record.action] = (byAction[record.action] ?? 0) + 1;
  const { members, discovered } = options;
  const total = Object.values(byAction).reduce((a, b) => a + b, 0);
  const listing =
    (byAction['DescribeOrganizationMembers'] ?? 0) + (byAction['ListAccounts'] ?? 0) + (byAction['DescribeMonitorAccounts'] ?? 0);
  const assumeRole = byAction['AssumeRole'] ?? 0;
  const accountCalls = total - listing - assumeRole;
  // Pages until a short one (a whole number of pages asks for one more, empty), and which members
  // Security Center monitors (the directory is read through ResourceDirectoryAccountId).
  const listingMinimum = discovered ? Math.floor(members / TENCENT_PAGE) + 1 + Math.floor(members / ALIBABA_PAGE) + 1 + 1 : 0;
  return {
    byAction,
    total,
    accountCalls,
    listing,
    listingMinimum,
    assumeRole,
    assumeRoleMinimum,
    minimum: accountCalls + listingMinimum + assumeRoleMinimum,
  };
}

/** Every account's cloudscan_last_success_timestamp_seconds, once all `accounts` have one after `after` (Unix s). */
async function allRefreshedAfter(url: string, accounts: number, after: number): Promise<boolean> {
  const text = (await get(`${url}/metrics`)).body;
  const stamps = [...text.matchAll(/^cloudscan_last_success_timestamp_seconds\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
  return stamps.length === accounts && stamps.every((stamp) => stamp > after);
}

export async function organizationBench(options: OrganizationBenchOptions): Promise<OrganizationBenchResult> {
  const emulator = await startEmulator();
  emulated(emulator, options);
  const dir = mkdtempSync(join(tmpdir(), 'cloudscan-bench-orgs-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, configText(emulator, options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const accounts = options.members * 2;
  const started = Date.now();
  const exporter = start(
    process.execPath,
    [...mainNodeFlags, distMain, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    {
      env: environment(options),
    },
  );
  try {
    await waitFor(
      'every account up',
      async () =>
        (await get(`${url}/metrics`).catch(() => ({ body: '' }))).body
          .split('\n')
          .filter((l) => l.startsWith('cloudscan_up{') && l.endsWith(' 1')).length === accounts
          ? true
          : undefined,
      {
        timeoutMs: 120_000,
        intervalMs: 20,
        describe: exporter.output,
      },
    );
    const startToCompleteMs = Date.now() - started;
    // Each Tencent member assumes its role once per key lifetime (2 h by default): in the first refresh.
    const assumptions = options.discovered ? options.members : 0;
    const first = refreshCalls(emulator, options, assumptions);
    emulator.calls.clear();
    const mark = Date.now() / 1000;
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 100));
    await waitFor('a second refresh of every account', async () => ((await allRefreshedAfter(url, accounts, mark)) ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 50,
      describe: exporter.output,
    });
    const second = refreshCalls(emulator, options, 0);
    return { accounts, startToCompleteMs, first, second, rssMiB: rssMiB(exporter.child.pid!) };
  } finally {
    await exporter.stop();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
