// Accounts read through an assumed role, end to end in one process on a fake clock shared by the
// exporter and the emulator: the real SDK clients call the emulated STS with a management key, then
// CWP / Security Center with the role's temporary keys. Renewal is counted at the emulator: one
// AssumeRole per key lifetime over hours of refreshes, also when the lifetime ends in the middle of
// a long refresh. A role that is missing, a trust policy that refuses, a throttled STS and keys that
// expire early are each counted under their code with only their account down.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Exporter } from '../../src/exporter/exporter.js';
import { ExporterMetrics } from '../../src/metrics/exporter-metrics.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import type { EmulatedRole } from '../../src/emulator/kit/sts.js';
import { Secret } from '../../src/base/secret.js';
import type { AlibabaAccountConfig } from '../../src/sources/alibaba/config.js';
import type { RoleSettings } from '../../src/sources/kit/role-settings.js';
import type { TencentAccountConfig } from '../../src/sources/tencent/config.js';
import { valueOf } from '../support/exposition.js';
import { FakeClock } from '../support/fake-clock.js';
import { endpointOf, exporterConfig } from '../support/harness.js';
import { alibabaAccount } from '../support/alibaba.js';
import { tencentAccount } from '../support/tencent.js';
import { memoryLogger } from '../support/logger.js';

const MINUTE = 60_000;
const TENCENT_ORG = { secretId: 'AKIDrolesTestOrg00000000000000000001', secretKey: 'rolesTestOrgSecretKey000000000001' };
const TENCENT_OWN = { secretId: 'AKIDrolesTestOwn00000000000000000001', secretKey: 'rolesTestOwnSecretKey000000000001' };
const ALIBABA_ORG = { accessKeyId: 'LTAI5tRolesTestOrg000001', accessKeySecret: 'roles-test-org-secret-000000001' };
const ALIBABA_OWN = { accessKeyId: 'LTAI5tRolesTestOwn000001', accessKeySecret: 'roles-test-own-secret-000000001' };
const READER: EmulatedRole = { name: 'cloudscan-reader', trusted: ['org'] };

/** What differs between the clouds in these tests. */
interface Cloud {
  provider: 'tencent' | 'alibaba';
  codes: { missing: string; refused: string; throttled: string; keysRefused: string };
  /** The first call a refresh makes (listing strategies or servers). */
  firstAction: string;
  addAccounts(emulator: Emulator): void;
  /** An exporter account named `name` reading `member` through its role `role`, with the org key. */
  account(
    name: string,
    emulator: Emulator,
    member: string,
    role: string,
    options?: Partial<RoleSettings>,
  ): TencentAccountConfig | AlibabaAccountConfig;
  /** An exporter account reading `own` with its own keys. */
  ownAccount(emulator: Emulator): TencentAccountConfig | AlibabaAccountConfig;
  issued(emulator: Emulator, member: string): Array<{ issuedAt: number; expiresAt: number }>;
}

const TENCENT: Cloud = {
  provider: 'tencent',
  codes: {
    missing: 'ResourceNotFound.RoleNotFound',
    refused: 'UnauthorizedOperation',
    throttled: 'RequestLimitExceeded',
    keysRefused: 'AuthFailure.TokenFailure',
  },
  firstAction: 'DescribeBaselineStrategyList',
  addAccounts(emulator) {
    emulator.tencent.addAccount({ name: 'org', ...TENCENT_ORG });
    emulator.tencent.addAccount({ name: 'own', ...TENCENT_OWN });
    for (const name of ['member', 'member-b', 'member-c']) {
      emulator.tencent.addAccount({ name, secretId: `AKIDnever-used-${name}`, secretKey: `never-used-${name}`, roles: [READER] });
    }
    emulator.tencent.addAccount({ name: 'no-role', secretId: 'AKIDnever-used-no-role', secretKey: 'never-used', roles: [] });
    emulator.tencent.addAccount({
      name: 'untrusting',
      secretId: 'AKIDnever-used-untrusting',
      secretKey: 'never-used',
      roles: [{ name: 'cloudscan-reader', trusted: ['own'] }],
    });
  },
  account: (name, emulator, member, role, options = {}) =>
    tencentAccount(name, TENCENT_ORG, endpointOf(emulator), {
      requestTimeoutSeconds: 5,
      credentials: {
        source: 'static',
        secretId: new Secret(TENCENT_ORG.secretId),
        secretKey: new Secret(TENCENT_ORG.secretKey),
        role: { arn: emulator.tencent.roleArn(member, role), sessionName: 'cloudscan-exporter', durationSeconds: 900, ...options },
      },
    }),
  ownAccount: (emulator) => tencentAccount('own', TENCENT_OWN, endpointOf(emulator), { requestTimeoutSeconds: 5 }),
  issued: (emulator, member) => emulator.tencent.issued.list(member),
};

const ALIBABA: Cloud = {
  provider: 'alibaba',
  codes: {
    missing: 'EntityNotExist.Role',
    refused: 'NoPermission',
    throttled: 'Throttling.User',
    keysRefused: 'InvalidSecurityToken.Expired',
  },
  firstAction: 'DescribeCloudCenterInstances',
  addAccounts(emulator) {
    emulator.alibaba.addAccount({ name: 'org', ...ALIBABA_ORG, fleetSize: 1 });
    emulator.alibaba.addAccount({ name: 'own', ...ALIBABA_OWN, fleetSize: 2 });
    for (const name of ['member', 'member-b', 'member-c']) {
      emulator.alibaba.addAccount({
        name,
        accessKeyId: `LTAInever-used-${name}`,
        accessKeySecret: 'never-used',
        fleetSize: 3,
        roles: [READER],
      });
    }
    emulator.alibaba.addAccount({ name: 'no-role', accessKeyId: 'LTAInever-used-no-role', accessKeySecret: 'never-used', roles: [] });
    emulator.alibaba.addAccount({
      name: 'untrusting',
      accessKeyId: 'LTAInever-used-untrusting',
      accessKeySecret: 'never-used',
      roles: [{ name: 'cloudscan-reader', trusted: ['own'] }],
    });
  },
  account: (name, emulator, member, role, options = {}) =>
    alibabaAccount(name, ALIBABA_ORG, endpointOf(emulator), {
      requestTimeoutSeconds: 5,
      credentials: {
        source: 'static',
        accessKeyId: new Secret(ALIBABA_ORG.accessKeyId),
        accessKeySecret: new Secret(ALIBABA_ORG.accessKeySecret),
        role: { arn: emulator.alibaba.roleArn(member, role), sessionName: 'cloudscan-exporter', durationSeconds: 900, ...options },
      },
    }),
  ownAccount: (emulator) => alibabaAccount('own', ALIBABA_OWN, endpointOf(emulator), { requestTimeoutSeconds: 5 }),
  issued: (emulator, member) => emulator.alibaba.issued.list(member),
};

/** Lets `work` run to its end while the fake clock moves `stepMs` at a time (limiter waits, retry backoff, scrape deadlines). */
async function drive<T>(clock: FakeClock, work: Promise<T>, stepMs = 10): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  settled.catch(() => undefined);
  while (!done) await clock.advance(stepMs);
  return settled;
}

/** The exporter over these accounts, on the clock the emulator runs on. */
function exporterOn(clock: FakeClock, accounts: { tencent?: TencentAccountConfig[]; alibaba?: AlibabaAccountConfig[] }) {
  const { logger, text } = memoryLogger();
  const metrics = new ExporterMetrics({ build: { version: 'test', revision: 'test' }, defaultMetrics: false });
  const configOf = (of: typeof accounts) => exporterConfig({ ...of, ttlSeconds: 60, maxStaleSeconds: 3600 });
  const exporter = new Exporter(configOf(accounts), { metrics, logger, clock });
  const scrapeText = async () => (await exporter.scrape(clock.now() + 9000)).map((piece) => piece.text.toString()).join('');
  return {
    exporter,
    logText: text,
    /** One refresh of every account (started by a scrape, run to its end), then the scrape that shows it. */
    async refresh(stepMs?: number): Promise<string> {
      await drive(clock, scrapeText(), stepMs);
      await drive(clock, exporter.collector.settled(), stepMs);
      return drive(clock, scrapeText(), stepMs);
    },
    reload: (of: typeof accounts) => exporter.reload(configOf(of)),
    close: () => exporter.close(),
  };
}

for (const cloud of [TENCENT, ALIBABA]) {
  const p = cloud.provider;
  const up = (text: string, account: string) => valueOf(text, `cloudscan_up{provider="${p}",account="${account}"}`);
  const errors = (text: string, account: string, action: string, code: string) =>
    valueOf(text, `cloudscan_api_errors_total{provider="${p}",account="${account}",action="${action}",code="${code}"}`) ?? 0;
  const requests = (text: string, account: string, action: string) =>
    valueOf(text, `cloudscan_api_requests_total{provider="${p}",account="${account}",action="${action}"}`) ?? 0;

  describe(`${p}: accounts read through an assumed role`, () => {
    let emulator: Emulator;
    let clock: FakeClock;
    const assumptions = (member: string) => emulator.calls.count({ provider: p, account: member, action: 'AssumeRole' });
    const otherCalls = (member: string) =>
      emulator.calls.list({ provider: p, account: member }).filter((c) => c.action !== 'AssumeRole').length;

    before(async () => {
      clock = new FakeClock();
      emulator = await startEmulator({ clock: () => clock.now() });
      cloud.addAccounts(emulator);
    });
    after(() => emulator.close());

    test('over 2 hours of refreshes a minute apart, keys living 15 minutes are assumed once per lifetime, and every call succeeds', async (t) => {
      emulator.calls.clear();
      const running = exporterOn(clock, { [p]: [cloud.account('member', emulator, 'member', 'cloudscan-reader')] });
      try {
        let text = '';
        for (let minute = 0; minute < 120; minute++) {
          text = await running.refresh();
          assert.equal(up(text, 'member'), 1, `up at minute ${minute}`);
          await clock.advance(MINUTE);
        }
        // 15-minute keys are renewed 3 minutes early: at 0, 12, 24, ... 108 minutes.
        const measured = assumptions('member');
        t.diagnostic(`${p}: ${measured} AssumeRole calls for 120 refreshes over 2 h (keys of 15 min), ${otherCalls('member')} other calls`);
        assert.equal(measured, 10);
        assert.equal(requests(text, 'member', 'AssumeRole'), 10);
        assert.ok(otherCalls('member') >= 120 * 2, 'the refreshes made their calls with the keys');
        assert.doesNotMatch(
          text,
          new RegExp(`^cloudscan_api_errors_total\\{provider="${p}",account="member".* [1-9]\\d*$`, 'm'),
          'no call failed',
        );
        // Each issuance lived out its lifetime less the renewal margin: 12 minutes (and one refresh's slack).
        const issued = cloud.issued(emulator, 'member');
        for (let i = 1; i < issued.length; i++) {
          const gap = issued[i]!.issuedAt - issued[i - 1]!.issuedAt;
          assert.ok(gap >= 12 * MINUTE && gap < 13 * MINUTE, `keys ${i} came ${gap / MINUTE} min after the ones before`);
          assert.ok(issued[i]!.issuedAt < issued[i - 1]!.expiresAt, 'renewed before the old keys expired');
        }
      } finally {
        running.close();
      }
    });

    test('a missing role and a trust policy that refuses are counted under AssumeRole by their code, once per refresh, with only their account down', async () => {
      emulator.calls.clear();
      const running = exporterOn(clock, {
        [p]: [
          cloud.account('missing', emulator, 'no-role', 'cloudscan-reader'),
          cloud.account('refused', emulator, 'untrusting', 'cloudscan-reader'),
          cloud.account('member', emulator, 'member-b', 'cloudscan-reader'),
          cloud.ownAccount(emulator),
        ],
      });
      try {
        let text = await running.refresh();
        await clock.advance(MINUTE);
        text = await running.refresh();
        assert.equal(up(text, 'missing'), 0);
        assert.equal(up(text, 'refused'), 0);
        assert.equal(up(text, 'member'), 1);
        assert.equal(up(text, 'own'), 1);
        assert.equal(errors(text, 'missing', 'AssumeRole', cloud.codes.missing), 2, 'one failed assumption per refresh');
        assert.equal(errors(text, 'refused', 'AssumeRole', cloud.codes.refused), 2);
        assert.equal(assumptions('no-role'), 2);
        assert.equal(otherCalls('no-role') + otherCalls('untrusting'), 0, 'no cloud call is made without the role');
        assert.match(running.logText(), new RegExp(`"action":"AssumeRole","code":"${cloud.codes.missing.replace('.', '\\.')}"`));
      } finally {
        running.close();
      }
    });

    test('a throttled STS is retried by the invoker policy; throttled throughout, only that account is down until it recovers', async () => {
      emulator.calls.clear();
      const running = exporterOn(clock, {
        [p]: [cloud.account('member', emulator, 'member-c', 'cloudscan-reader'), cloud.ownAccount(emulator)],
      });
      try {
        const once = emulator.faults.add({
          provider: p,
          account: 'member-c',
          action: 'AssumeRole',
          fault: { kind: 'error', code: cloud.codes.throttled },
          times: 1,
        });
        let text = await running.refresh();
        assert.equal(up(text, 'member'), 1, 'the second attempt succeeded');
        assert.equal(errors(text, 'member', 'AssumeRole', cloud.codes.throttled), 1);
        emulator.faults.clear(once);

        // Keys due again, and STS throttling every call: three attempts, then the account is down.
        await clock.advance(13 * MINUTE);
        const always = emulator.faults.add({
          provider: p,
          account: 'member-c',
          action: 'AssumeRole',
          fault: { kind: 'error', code: cloud.codes.throttled },
        });
        text = await running.refresh();
        assert.equal(up(text, 'member'), 0);
        assert.equal(up(text, 'own'), 1);
        assert.equal(errors(text, 'member', 'AssumeRole', cloud.codes.throttled), 1 + 3);
        emulator.faults.clear(always);

        await clock.advance(MINUTE);
        text = await running.refresh();
        assert.equal(up(text, 'member'), 1, 'up again once STS answers');
      } finally {
        running.close();
      }
    });

    test('a reload keeps the keys of an account whose settings did not change; a changed role is assumed anew', async () => {
      emulator.calls.clear();
      const account = cloud.account('member', emulator, 'member-b', 'cloudscan-reader', { durationSeconds: 3600 });
      const running = exporterOn(clock, { [p]: [account] });
      try {
        await running.refresh();
        running.reload({ [p]: [cloud.account('member', emulator, 'member-b', 'cloudscan-reader', { durationSeconds: 3600 })] });
        await clock.advance(MINUTE);
        await running.refresh();
        assert.equal(assumptions('member-b'), 1, 'the same settings: the same keys');
        running.reload({ [p]: [cloud.account('member', emulator, 'member-b', 'cloudscan-reader', { durationSeconds: 1800 })] });
        await clock.advance(MINUTE);
        const text = await running.refresh();
        assert.equal(assumptions('member-b'), 2, 'a new duration: the role assumed again');
        assert.equal(up(text, 'member'), 1);
      } finally {
        running.close();
      }
    });

    test('keys that expire in the middle of a refresh, before their time, are renewed and the refused call made again', async () => {
      emulator.calls.clear();
      const running = exporterOn(clock, {
        [p]: [cloud.account('member', emulator, 'member', 'cloudscan-reader', { durationSeconds: 3600 })],
      });
      try {
        await running.refresh();
        await clock.advance(MINUTE);
        const before = assumptions('member');
        emulator.faults.add({ provider: p, account: 'member', action: cloud.firstAction, fault: { kind: 'session_expired' }, times: 1 });
        const text = await running.refresh();
        assert.equal(up(text, 'member'), 1);
        assert.equal(errors(text, 'member', cloud.firstAction, cloud.codes.keysRefused), 1, 'the refused call is counted');
        assert.equal(assumptions('member') - before, 1, 'one renewal');
      } finally {
        running.close();
      }
    });
  });
}

describe('alibaba: a rolling refresh longer than the keys live', () => {
  test('keys are renewed in the middle of the refresh, before they expire: no call fails', async (t) => {
    const clock = new FakeClock();
    const emulator = await startEmulator({ clock: () => clock.now() });
    try {
      ALIBABA.addAccounts(emulator);
      emulator.alibaba.setFleetSize('member', 120);
      // 121 calls at 0.1/s: about 20 minutes of refresh, with keys renewed after 12.
      const account = {
        ...(ALIBABA.account('fleet', emulator, 'member', 'cloudscan-reader') as AlibabaAccountConfig),
        rateLimit: 0.1,
        requestTimeoutSeconds: 30,
      };
      const running = exporterOn(clock, { alibaba: [account] });
      try {
        const started = clock.now();
        const text = await running.refresh(500);
        const tookMinutes = (clock.now() - started) / MINUTE;
        assert.ok(tookMinutes > 15, `the refresh took ${tookMinutes} min`);
        assert.equal(valueOf(text, 'cloudscan_up{provider="alibaba",account="fleet"}'), 1);
        assert.doesNotMatch(text, /^cloudscan_api_errors_total\{provider="alibaba",account="fleet".* [1-9]\d*$/m, 'no call failed');
        const measured = emulator.calls.count({ provider: 'alibaba', account: 'member', action: 'AssumeRole' });
        t.diagnostic(`alibaba: ${measured} AssumeRole calls in one ${tookMinutes.toFixed(1)}-minute refresh of 121 calls (keys of 15 min)`);
        assert.equal(measured, 2);
      } finally {
        running.close();
      }
    } finally {
      await emulator.close();
    }
  });
});

describe("alibaba: a root account's AccessKey", () => {
  test("STS refuses it AssumeRole whatever the role's trust policy says, and the error names what to use instead", async () => {
    const ROOT = { accessKeyId: 'LTAI5tRolesTestRootKey01', accessKeySecret: 'roles-test-root-secret-0000001' };
    const emulator = await startEmulator();
    const { logger, text } = memoryLogger();
    const exporter = new Exporter(
      exporterConfig({
        alibaba: [
          alibabaAccount('via-root', ROOT, endpointOf(emulator), {
            requestTimeoutSeconds: 5,
            credentials: {
              source: 'static',
              accessKeyId: new Secret(ROOT.accessKeyId),
              accessKeySecret: new Secret(ROOT.accessKeySecret),
              role: { arn: 'acs:ram::1000000000000301:role/cloudscan-reader', sessionName: 'cloudscan-exporter', durationSeconds: 900 },
            },
          }),
        ],
      }),
      { metrics: new ExporterMetrics({ build: { version: 'test', revision: 'test' }, defaultMetrics: false }), logger },
    );
    try {
      emulator.alibaba.addAccount({ name: 'root', ...ROOT, fleetSize: 1, rootKey: true });
      emulator.alibaba.addAccount({
        name: 'member',
        accessKeyId: 'LTAInever-used-root-member',
        accessKeySecret: 'never-used',
        accountId: '1000000000000301',
        roles: [{ name: 'cloudscan-reader', trusted: ['root'] }],
      });
      const scrape = async () => (await exporter.scrape(Date.now() + 9000)).map((piece) => piece.text.toString()).join('');
      await scrape();
      await exporter.collector.settled();
      const metrics = await scrape();
      assert.equal(valueOf(metrics, 'cloudscan_up{provider="alibaba",account="via-root"}'), 0);
      assert.equal(
        valueOf(metrics, 'cloudscan_api_errors_total{provider="alibaba",account="via-root",action="AssumeRole",code="NoPermission"}'),
        1,
        'not retried',
      );
      assert.match(text(), /Roles may not be assumed by root accounts.*the credentials are a root account's AccessKey.*RAM user/);
    } finally {
      exporter.close();
      await emulator.close();
    }
  });
});
