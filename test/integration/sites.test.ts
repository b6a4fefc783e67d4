// Where each call goes on the real clouds: Tencent's two sites (an organization on the international
// site has its members read on that site, their CWP and STS included), the Region STS serves
// whatever the account's region, and a trusted service's delegated administrator listing members.
// The exporter is configured as a user would (YAML), with the clouds' own host names, which resolve
// to the emulator here; the emulator refuses a request at the wrong product's host, a key at the
// other site's hosts, and an AssumeRole in a region STS does not serve.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { startEmulator, type Emulator } from '../../src/emulator/server.js';
import { valueOf } from '../support/exposition.js';
import { cloudHostsOnLoopback } from '../support/cloud-dns.js';
import { startExporter, type Running } from '../support/harness.js';

const ROLE = 'CloudscanReadOnly';
const CN_MANAGEMENT = { secretId: 'AKIDsitesTestChinaManagement00000001', secretKey: 'sitesTestChinaManagementSecret0001' };
const INTL_MANAGEMENT = { secretId: 'AKIDsitesTestIntlManagement000000001', secretKey: 'sitesTestIntlManagementSecret00001' };
const SECURITY = { secretId: 'AKIDsitesTestDelegatedAdmin000000001', secretKey: 'sitesTestDelegatedAdminSecret00001' };
const ALONE = { secretId: 'AKIDsitesTestRegionalAccount00000001', secretKey: 'sitesTestRegionalAccountSecret0001' };

describe("Tencent Cloud's sites, STS regions and delegated administrators", () => {
  let emulator: Emulator;
  let running: Running | undefined;
  let restoreDns: () => void;

  before(async () => {
    restoreDns = cloudHostsOnLoopback();
    emulator = await startEmulator();
    emulator.tencent.addAccount({ name: 'cn-management', ...CN_MANAGEMENT, uin: '100000000100' });
    emulator.tencent.addAccount({ name: 'cn-member', secretId: 'AKIDsitesNeverUsedChina', secretKey: 'never-used', strategies: [] });
    emulator.tencent.addAccount({ name: 'intl-management', ...INTL_MANAGEMENT, uin: '200000000100', site: 'intl' });
    emulator.tencent.addAccount({
      name: 'intl-member',
      secretId: 'AKIDsitesNeverUsedIntl',
      secretKey: 'never-used',
      strategies: [],
      site: 'intl',
    });
    emulator.tencent.addAccount({ name: 'security', ...SECURITY, uin: '100000000102' });
    emulator.tencent.addAccount({
      name: 'alone',
      ...ALONE,
      uin: '100000000103',
      strategies: [],
      roles: [{ name: ROLE, trusted: ['alone'] }],
    });
    emulator.tencent.organizations.set('cn-management', [{ uin: '100000000101', name: 'cn-team', roles: [ROLE], account: 'cn-member' }]);
    emulator.tencent.organizations.set('intl-management', [
      { uin: '200000000101', name: 'intl-team', roles: [ROLE], account: 'intl-member' },
    ]);
    emulator.tencent.organizations.delegate('cn-management', 'security', 'cwp');
  });
  after(async () => {
    await emulator.close();
    restoreDns();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    emulator.calls.clear();
  });

  async function start(yaml: string): Promise<Running> {
    const { config } = parseConfig(yaml, '/test/sites.yaml', { PORT: String(emulator.port) });
    running = await startExporter(config);
    return running;
  }

  const organization = (name: string, host: string, keys: { secretId: string; secretKey: string }, extra = '') => `
  - name: ${name}
    credentials: { secret_id: ${keys.secretId}, secret_key: ${keys.secretKey} }
    endpoint: http://${host}:\${PORT}
    member_role: ${ROLE}
    members: { modules: [Vul] }${extra}`;

  test("an organization on either site has its members read on that site: CWP and STS at the site's hosts", async () => {
    const exporter = await start(
      `tencent_organizations:${organization('cn', 'organization.tencentcloudapi.com', CN_MANAGEMENT)}${organization('intl', 'organization.intl.tencentcloudapi.com', INTL_MANAGEMENT)}\n`,
    );
    const text = await exporter.scrapeAfterRefresh();
    for (const [site, member] of [
      ['cn', '100000000101'],
      ['intl', '200000000101'],
    ] as const) {
      assert.equal(valueOf(text, `cloudscan_organization_members{provider="tencent",organization="${site}"}`), 1, site);
      assert.equal(valueOf(text, `cloudscan_up{provider="tencent",account="${member}"}`), 1, `${site}: ${exporter.logText()}`);
      assert.equal(valueOf(text, `cloudscan_api_requests_total{provider="tencent",account="${member}",action="AssumeRole"}`), 1, site);
    }
  });

  test('--config.check names where members are read: the site of the organization, unless members.endpoint says otherwise', () => {
    const { config } = parseConfig(
      `tencent_organizations:${organization('intl', 'organization.intl.tencentcloudapi.com', INTL_MANAGEMENT)}\n`,
      '/test/sites.yaml',
      { PORT: '8080' },
    );
    const member = (config as unknown as { tencent_organizations: Array<{ member: { endpoint: unknown } }> }).tencent_organizations[0]!
      .member;
    assert.deepEqual(member.endpoint, { protocol: 'http', host: 'cwp.intl.tencentcloudapi.com:8080' });
    const pinned = parseConfig(
      `tencent_organizations:${organization('intl', 'organization.intl.tencentcloudapi.com', INTL_MANAGEMENT).replace('members: { modules: [Vul] }', 'members: { modules: [Vul], endpoint: cwp.ap-singapore.tencentcloudapi.com }')}\n`,
      '/test/sites.yaml',
      { PORT: '8080' },
    ).config as unknown as { tencent_organizations: Array<{ member: { endpoint: unknown } }> };
    assert.deepEqual(pinned.tencent_organizations[0]!.member.endpoint, { protocol: 'https', host: 'cwp.ap-singapore.tencentcloudapi.com' });
  });

  test("a trusted service's delegated administrator lists the members, sending its service as Product", async () => {
    const exporter = await start(
      `tencent_organizations:${organization('delegated', 'organization.tencentcloudapi.com', SECURITY, '\n    trusted_service: cwp')}\n`,
    );
    const text = await exporter.scrapeAfterRefresh();
    assert.equal(valueOf(text, 'cloudscan_organization_up{provider="tencent",organization="delegated"}'), 1, exporter.logText());
    assert.equal(valueOf(text, 'cloudscan_organization_members{provider="tencent",organization="delegated"}'), 1);
  });

  test("AssumeRole goes to a region STS serves, whatever the account's region", async () => {
    const account = (region: string) => `
  - name: alone-${region}
    credentials: { secret_id: ${ALONE.secretId}, secret_key: ${ALONE.secretKey}, role_arn: "qcs::cam::uin/100000000103:roleName/${ROLE}" }
    endpoint: http://cwp.tencentcloudapi.com:\${PORT}
    region: ${region}
    modules: [Vul]`;
    const exporter = await start(`tencent:${account('eu-moscow')}${account('sa-saopaulo')}\n`);
    const text = await exporter.scrapeAfterRefresh();
    for (const region of ['eu-moscow', 'sa-saopaulo']) {
      assert.equal(valueOf(text, `cloudscan_up{provider="tencent",account="alone-${region}"}`), 1, `${region}: ${exporter.logText()}`);
      assert.equal(valueOf(text, `cloudscan_action_up{provider="tencent",account="alone-${region}",action="AssumeRole"}`), 1);
    }
  });
});
