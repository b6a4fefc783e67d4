// What the status page shows of each cloud's scans, made by its provider from a snapshot: CWP modules'
// states, Security Center subtasks by state, each cloud's servers by coverage, the servers without a
// working agent (uncovered longest first) and those failing, the first ten named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeAlibaba } from '../../../src/sources/alibaba/status.js';
import { summarizeTencent } from '../../../src/sources/tencent/status.js';
import type { CwpHostStatus, CwpScanStatus, CwpTaskHosts, TencentSnapshot } from '../../../src/sources/tencent/types.js';
import type { AlibabaSnapshot, SasAgent, SasServerStatus } from '../../../src/sources/alibaba/types.js';

const base = { takenAt: 0, errors: [], warnings: [] };

function server(n: number, codes: string[]): SasServerStatus {
  return {
    uuid: `uuid-${n}`,
    instanceName: n === 0 ? '' : `host-${n}`,
    subtaskTotal: codes.length,
    fetchedAt: 0,
    subtasks: codes.map((code, i) => ({
      taskId: 't',
      type: ['cve', 'sys', 'cms', 'sca'][i % 4]!,
      state: code === '' ? 'matching' : 'complete',
      code,
    })),
  };
}

test('Security Center: subtasks counted by state, failed ones apart, and the failing servers named, the first ten of them', () => {
  const servers = Array.from({ length: 10_000 }, (_, n) => server(n, n % 100 === 0 ? ['push_command_failed', '', 'timeout'] : ['', '']));
  const snapshot: AlibabaSnapshot = { ...base, provider: 'alibaba', account: 'shop', servers };
  const { tables, failing } = summarizeAlibaba(snapshot);
  assert.equal(tables[0]?.title, 'Vulnerability-check subtasks by state: 20100 on 10000 servers');
  assert.deepEqual(
    tables[0]?.rows.map((row) => [row.label, row.value, row.tone]),
    [
      ['unhandled', '0', 'idle'],
      ['collecting', '0', 'idle'],
      ['collected', '0', 'idle'],
      ['matching', '19900', 'busy'],
      ['complete', '200', 'good'],
      ['failed (with a code)', '200', 'bad'],
    ],
  );
  assert.equal(failing?.total, 100);
  assert.equal(failing?.first.length, 10);
  assert.deepEqual(failing?.first.slice(0, 2), [
    { name: 'uuid-0', detail: 'cve: push_command_failed, cms: timeout' },
    { name: 'host-100 (uuid-100)', detail: 'cve: push_command_failed, cms: timeout' },
  ]);
});

const alibabaSnapshot = (servers: SasServerStatus[]): AlibabaSnapshot => ({ ...base, provider: 'alibaba', account: 'shop', servers });

test('Security Center without failures says so with an empty list, and an unknown state is shown only when present', () => {
  const { tables, failing } = summarizeAlibaba(alibabaSnapshot([server(1, [''])]));
  assert.deepEqual(failing, { title: 'Servers with failed subtasks', total: 0, first: [] });
  assert.equal(
    tables[0]?.rows.some((row) => row.label === 'unknown'),
    false,
  );
  const odd = server(2, ['']);
  odd.subtasks[0]!.state = 'unknown';
  const withUnknown = summarizeAlibaba(alibabaSnapshot([odd]));
  assert.deepEqual(
    withUnknown.tables[0]?.rows.find((row) => row.label === 'unknown'),
    { label: 'unknown', value: '1', tone: 'bad' },
  );
});

function agent(n: number, coverage: SasAgent['coverage'], uncoveredSince: number | null = null): SasAgent {
  const state = coverage === 'protected' ? 'online' : coverage === 'agent_paused' ? 'paused' : 'offline';
  return {
    uuid: `uuid-${n}`,
    instanceName: n === 0 ? '' : `host-${n}`,
    instanceId: `i-${n}`,
    region: 'cn-hangzhou',
    ip: `10.0.${n >> 8}.${n & 255}`,
    os: 'linux',
    agentVersion: '',
    state,
    coverage,
    uncoveredSince,
  };
}

test('Security Center coverage: servers counted by coverage, and those without a working agent listed first, uncovered longest first, the first ten named', () => {
  const hour = 3600_000;
  const agents = Array.from({ length: 10_000 }, (_, n) =>
    n % 500 === 0
      ? agent(n, 'agent_offline', Date.UTC(2026, 10, 23, 12) - n * hour)
      : n % 1000 === 1
        ? agent(n, 'agent_paused', Date.UTC(2026, 10, 23, 12))
        : n % 1000 === 2
          ? agent(n, 'server_stopped')
          : agent(n, 'protected'),
  );
  const snapshot: AlibabaSnapshot = { ...base, provider: 'alibaba', account: 'shop', servers: [], agents };
  const { tables, attention } = summarizeAlibaba(snapshot);
  assert.equal(tables[1]?.title, 'Server coverage: 10000 servers');
  assert.deepEqual(
    tables[1]?.rows.map((row) => [row.label, row.value, row.tone]),
    [
      ['protected', '9960', 'good'],
      ['agent offline', '20', 'bad'],
      ['agent paused', '10', 'idle'],
      ['agent missing', '0', 'idle'],
      ['server stopped', '10', 'idle'],
    ],
  );
  assert.equal(attention?.length, 1);
  assert.equal(attention?.[0]?.title, 'Servers without a working agent');
  assert.equal(attention?.[0]?.total, 30, 'offline and paused; stopped servers are not uncovered');
  assert.deepEqual(attention?.[0]?.first.slice(0, 2), [
    { name: 'host-9500 (uuid-9500)', detail: 'agent offline since 2025-10-23 16:00 UTC, i-9500, 10.0.37.28, cn-hangzhou' },
    { name: 'host-9000 (uuid-9000)', detail: 'agent offline since 2025-11-13 12:00 UTC, i-9000, 10.0.35.40, cn-hangzhou' },
  ]);
  assert.equal(attention?.[0]?.first.length, 10);
});

test('Security Center coverage of servers listed in the configuration is said to be not known, and no list of servers is made up', () => {
  const { tables, attention } = summarizeAlibaba(alibabaSnapshot([server(1, [''])]));
  assert.deepEqual(tables[1], {
    title: 'Server coverage',
    rows: [
      { label: 'not known', value: 'servers are listed in the configuration; only discovery (servers: auto) reports agents', tone: 'idle' },
    ],
  });
  assert.equal(attention, undefined);
  const withAgents: AlibabaSnapshot = { ...alibabaSnapshot([]), agents: [agent(1, 'protected'), agent(2, 'unknown', 0)] };
  const none = summarizeAlibaba(withAgents);
  assert.deepEqual(none.attention?.[0]?.total, 1);
  assert.deepEqual(none.tables[1]?.rows.at(-1), { label: 'unknown', value: '1', tone: 'bad' });
});

test("CWP: one row per module and Baseline strategy with the scan's state, progress, findings and time", () => {
  const snapshot: TencentSnapshot = {
    ...base,
    provider: 'tencent',
    account: 'prod',
    scans: [
      {
        module: 'Vul',
        strategyId: '',
        strategyName: '',
        state: 'scanning',
        progressRatio: 0.42,
        riskEventCount: 1,
        vulnerabilityCount: 1,
        startTime: Date.UTC(2026, 10, 23, 4, 0) / 1000,
        endTime: null,
        taskId: '1',
        trigger: 'scheduled',
        kbCount: null,
      },
      {
        module: 'Baseline',
        strategyId: '1001',
        strategyName: 'Linux security baseline',
        state: 'completed',
        progressRatio: 1,
        riskEventCount: null,
        vulnerabilityCount: 7,
        startTime: null,
        endTime: Date.UTC(2026, 10, 23, 5, 30) / 1000,
        taskId: '2',
        trigger: 'one_click',
        kbCount: 2,
      },
      {
        module: 'Malware',
        strategyId: '',
        strategyName: '',
        state: 'never_scanned',
        progressRatio: 0,
        riskEventCount: null,
        vulnerabilityCount: null,
        startTime: null,
        endTime: null,
        taskId: '',
        trigger: 'unknown',
        kbCount: null,
      },
    ],
  };
  const { tables, failing } = summarizeTencent(snapshot);
  assert.deepEqual(tables[0]?.rows, [
    { label: 'Vul', value: 'scanning · 42% · 1 vulnerability · 1 risk event · started 2026-11-23 04:00 UTC', tone: 'busy' },
    {
      label: 'Baseline: Linux security baseline (1001)',
      value: 'completed · 100% · 7 vulnerabilities · ended 2026-11-23 05:30 UTC',
      tone: 'good',
    },
    { label: 'Malware', value: 'never scanned', tone: 'idle' },
  ]);
  assert.deepEqual(failing, { title: 'Hosts the latest scans failed on', total: 0, first: [] }, 'no task hosts read: none failing');
});

test('CWP: the hosts the scans failed on, each once with every module and reason, the first ten listed; each scan row counts its hosts', () => {
  const host = (n: number, result: CwpHostStatus['result'], reason: CwpHostStatus['reason'] = ''): CwpHostStatus => ({
    uuid: `uuid-${n}`,
    host: n === 0 ? '' : `cvm-${n}`,
    ip: n % 2 === 0 ? `10.0.0.${n}` : '',
    wanIp: '',
    os: 'linux',
    result,
    reason,
    risks: 0,
  });
  const hosts = (list: CwpHostStatus[]): CwpTaskHosts => ({
    taskId: '1',
    final: true,
    fetchedAt: 0,
    hosts: list,
    byResult: {
      ok: list.filter((h) => h.result === 'ok').length,
      failed: list.filter((h) => h.result === 'failed').length,
      scanning: 0,
      unknown: 0,
    },
    byReason: { offline: 0, timeout: 0, failed: 0, agent_outdated: 0, unknown: 0 },
  });
  const scan = (module: CwpScanStatus['module'], list: CwpHostStatus[]): CwpScanStatus => ({
    module,
    strategyId: '',
    strategyName: '',
    state: 'completed',
    progressRatio: 1,
    riskEventCount: null,
    vulnerabilityCount: null,
    startTime: null,
    endTime: null,
    taskId: '1',
    trigger: 'scheduled',
    kbCount: null,
    hosts: hosts(list),
  });
  const vulHosts = [
    host(0, 'failed', 'offline'),
    host(1, 'ok'),
    ...Array.from({ length: 11 }, (_, i) => host(i + 2, 'failed', 'agent_outdated')),
  ];
  const snapshot: TencentSnapshot = {
    ...base,
    provider: 'tencent',
    account: 'prod',
    scans: [scan('Vul', vulHosts), scan('Malware', [host(0, 'failed', 'timeout'), host(1, 'failed', 'failed')])],
  };
  const { tables, failing } = summarizeTencent(snapshot);
  assert.equal(tables[0]?.rows[0]?.value, 'completed · 100% · 13 hosts, 12 failed');
  assert.equal(failing?.total, 13);
  assert.equal(failing?.first.length, 10);
  assert.deepEqual(failing?.first.slice(0, 3), [
    { name: 'uuid-0, 10.0.0.0', detail: 'Vul: offline, Malware: timeout' },
    { name: 'cvm-2 (uuid-2), 10.0.0.2', detail: 'Vul: agent outdated' },
    { name: 'cvm-3 (uuid-3)', detail: 'Vul: agent outdated' },
  ]);
  assert.equal(
    failing?.first.some((f) => f.name.startsWith('cvm-1 ')),
    false,
    'host 1 failed only in Malware, after the first ten',
  );
});

test('CWP coverage: the machines by coverage and those without a working agent; while coverage is not read, it says so and lists none', () => {
  const scans: CwpScanStatus[] = [];
  const machine = (n: number, coverage: SasAgent['coverage'], uncoveredSince: number | null = null) => ({
    uuid: `agent-${n}`,
    instanceName: `cvm-${n}`,
    instanceId: `ins-${n}`,
    region: 'ap-guangzhou',
    ip: `10.0.0.${n}`,
    os: 'TencentOS',
    agentVersion: '4.9',
    coverage,
    uncoveredSince,
  });
  const without: TencentSnapshot = { ...base, provider: 'tencent', account: 'prod', scans };
  const off = summarizeTencent(without);
  assert.deepEqual(off.tables[1], {
    title: 'Server coverage',
    rows: [{ label: 'not known', value: 'coverage is off, refused, or not read yet (DescribeMachines)', tone: 'idle' }],
  });
  assert.equal(off.attention, undefined);
  const servers = [machine(1, 'protected'), machine(2, 'agent_missing', Date.UTC(2026, 10, 23, 4)), machine(3, 'server_stopped')];
  const covered: TencentSnapshot = { ...without, coverage: { fetchedAt: 0, servers } };
  const { tables, attention } = summarizeTencent(covered);
  assert.equal(tables[1]?.title, 'Server coverage: 3 servers');
  assert.deepEqual(attention, [
    {
      title: 'Servers without a working agent',
      total: 1,
      first: [{ name: 'cvm-2 (agent-2)', detail: 'agent missing since 2026-11-23 04:00 UTC, ins-2, 10.0.0.2, ap-guangzhou' }],
    },
  ]);
});

test('Security Center read only what changed: the last refresh read so many servers and why, the checks running, the calls saved; without the list it says every server was read', () => {
  const reads = {
    last: { new: 1, no_signal: 0, unfinished: 2, task_list: 0, interval: 0, kept: 7 },
    savedTotal: 70,
    fallbacksTotal: { failed: 0, refused: 0 },
  };
  const running = { taskId: 'c1', status: '1', progress: '40%', startedAt: 1, endedAt: null };
  const ended = { taskId: 'c0', status: '2', progress: '100%', startedAt: 0, endedAt: 1 };
  const quiet: AlibabaSnapshot = { ...alibabaSnapshot([]), reads, taskList: { listedAt: 2, changedAt: 2, tasks: [ended, running] } };
  const table = summarizeAlibaba(quiet).tables.find((t) => t.title.startsWith('Last refresh'));
  assert.equal(table?.title, 'Last refresh: 3 of 10 servers read, 7 served from their last answer (70 calls saved in all)');
  assert.deepEqual(
    table?.rows.map((row) => [row.label, row.value, row.tone]),
    [
      ['vulnerability checks running', '40%', 'busy'],
      ['read: new', '1', 'idle'],
      ['read: a subtask not complete', '2', 'idle'],
      ['served from the last answer', '7', 'good'],
    ],
  );
  const fallback: AlibabaSnapshot = {
    ...alibabaSnapshot([]),
    reads: { ...reads, last: { new: 0, no_signal: 10, unfinished: 0, task_list: 0, interval: 0, kept: 0 } },
  };
  const rows = summarizeAlibaba(fallback).tables.find((t) => t.title.startsWith('Last refresh'))?.rows;
  assert.deepEqual(rows?.[0], { label: 'vulnerability checks (DescribeOnceTask)', value: 'not read: every server read', tone: 'bad' });
  assert.equal(
    summarizeAlibaba(alibabaSnapshot([])).tables.find((t) => t.title.startsWith('Last refresh')),
    undefined,
    'no reads yet: no table',
  );
});
