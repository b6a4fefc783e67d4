// The emulator checks what the clouds check before an action runs, with their codes: the product of
// the host a request is sent to, the API version, Tencent STS's Region, Alibaba's signing time and
// nonce, required parameters and their limits, the caller's site, policy and principal. Requests go
// through the real SDK clients to the clouds' own host names (resolved to 127.0.0.1 here), so the
// Host header and Tencent's signing scope are what they would be against the cloud.
import assert from 'node:assert/strict';
import { request as httpRequest, createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import tencentcloud from 'tencentcloud-sdk-nodejs-common';
import { ALIBABA_DEMO_ACCOUNTS } from '../../../src/emulator/alibaba/demo.js';
import { demoEmulatorOptions } from '../../../src/emulator/demo.js';
import { TENCENT_DEMO_ACCOUNTS } from '../../../src/emulator/tencent/demo.js';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';
import { tc3Signature } from '../../../src/emulator/tencent/signature.js';
import { RpcClient } from '../../../src/sources/alibaba/rpc-client.js';
import { cloudHostsOnLoopback } from '../../support/cloud-dns.js';

const TENCENT = { secretId: 'AKIDstrictEmulatorTest00000000000001', secretKey: 'strictEmulatorTestSecretKey0000001' };
const INTL = { secretId: 'AKIDstrictEmulatorIntl00000000000001', secretKey: 'strictEmulatorIntlSecretKey0000001' };
const DELEGATE = { secretId: 'AKIDstrictEmulatorDelegate0000000001', secretKey: 'strictEmulatorDelegateSecretKey001' };
const ALIBABA = { accessKeyId: 'LTAI5tStrictEmulator0001', accessKeySecret: 'strict-emulator-secret-000000000001' };
const ROOT = { accessKeyId: 'LTAI5tStrictEmulatorRoot', accessKeySecret: 'strict-emulator-root-secret-0000001' };

let emulator: Emulator;
let skewMs = 0;
let restoreDns: () => void;

before(async () => {
  restoreDns = cloudHostsOnLoopback();
  emulator = await startEmulator({ signingClock: () => Date.now() + skewMs });
  emulator.tencent.addAccount({ name: 'prod', ...TENCENT, uin: '100000000010', roles: [{ name: 'reader', trusted: ['prod'] }] });
  emulator.tencent.addAccount({ name: 'intl', ...INTL, site: 'intl' });
  emulator.tencent.addAccount({ name: 'security', ...DELEGATE });
  emulator.tencent.organizations.set('prod', [{ uin: '100000000011', name: 'member', roles: [] }]);
  emulator.tencent.organizations.delegate('prod', 'security', 'cwp');
  emulator.alibaba.addAccount({
    name: 'shop',
    ...ALIBABA,
    fleetSize: 1,
    accountId: '1000000000000020',
    roles: [{ name: 'reader', trusted: ['shop', 'root'] }],
  });
  emulator.alibaba.addAccount({ name: 'root', ...ROOT, fleetSize: 1, rootKey: true });
});
after(async () => {
  await emulator.close();
  restoreDns();
});

/** The real CommonClient, addressed as the cloud is: http://<host>:<emulator port>. */
function tencent(host: string, version: string, keys = TENCENT, region?: string) {
  return new tencentcloud.CommonClient(`${host}:${emulator.port}`, version, {
    credential: keys,
    ...(region === undefined ? {} : { region }),
    profile: { httpProfile: { endpoint: `${host}:${emulator.port}`, protocol: 'http://', reqTimeout: 5 } },
  });
}

function alibaba(host: string, keys = ALIBABA, port = emulator.port): RpcClient {
  return new RpcClient({
    endpoint: { protocol: 'http', host: `${host}:${port}` },
    signer: keys,
    requestTimeoutSeconds: 5,
    secrets: () => [keys.accessKeySecret],
  });
}

const signal = () => new AbortController().signal;

describe('Tencent Cloud', () => {
  test("an action sent to another product's host is InvalidAction; to its own at a wrong version NoSuchVersion", async () => {
    const members = { Offset: 0, Limit: 50 };
    await assert.rejects(tencent('cwp.tencentcloudapi.com', '2018-02-28').request('DescribeOrganizationMembers', members), {
      code: 'InvalidAction',
    });
    await assert.rejects(tencent('cwp.tencentcloudapi.com', '2021-03-31').request('DescribeOrganizationMembers', members), {
      code: 'InvalidAction',
    });
    await assert.rejects(tencent('organization.tencentcloudapi.com', '2018-02-28').request('DescribeOrganizationMembers', members), {
      code: 'NoSuchVersion',
    });
    const listed = (await tencent('organization.tencentcloudapi.com', '2021-03-31').request('DescribeOrganizationMembers', members)) as {
      Total: number;
    };
    assert.equal(listed.Total, 1);
    await assert.rejects(tencent('sts.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', { ModuleType: 'Vul' }), {
      code: 'InvalidAction',
    });
    await assert.rejects(tencent('cvm.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', { ModuleType: 'Vul' }), {
      code: 'NoSuchProduct',
    });
  });

  test("the international site's keys are unknown to the China site's hosts, and the other way round", async () => {
    const vul = { ModuleType: 'Vul' };
    await assert.rejects(tencent('cwp.tencentcloudapi.com', '2018-02-28', INTL).request('DescribeScanState', vul), {
      code: 'AuthFailure.SecretIdNotFound',
    });
    assert.equal(
      typeof (
        (await tencent('cwp.intl.tencentcloudapi.com', '2018-02-28', INTL).request('DescribeScanState', vul)) as { ScanState: unknown }
      ).ScanState,
      'number',
    );
    await assert.rejects(tencent('cwp.intl.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', vul), {
      code: 'AuthFailure.SecretIdNotFound',
    });
    assert.equal(
      typeof (
        (await tencent('cwp.ap-singapore.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', vul)) as { ScanState: unknown }
      ).ScanState,
      'number',
    );
  });

  test('STS needs a Region it serves: none is MissingParameter, one it does not serve UnsupportedRegion', async () => {
    const assume = { RoleArn: 'qcs::cam::uin/100000000010:roleName/reader', RoleSessionName: 'strict-test', DurationSeconds: 900 };
    await assert.rejects(tencent('sts.tencentcloudapi.com', '2018-08-13').request('AssumeRole', assume), { code: 'MissingParameter' });
    await assert.rejects(tencent('sts.tencentcloudapi.com', '2018-08-13', TENCENT, 'eu-moscow').request('AssumeRole', assume), {
      code: 'UnsupportedRegion',
    });
    const answer = (await tencent('sts.tencentcloudapi.com', '2018-08-13', TENCENT, 'ap-guangzhou').request('AssumeRole', assume)) as {
      Credentials: unknown;
    };
    assert.ok(answer.Credentials);
  });

  test("parameters outside their documented limits get the API's codes", async () => {
    const cwp = tencent('cwp.tencentcloudapi.com', '2018-02-28');
    await assert.rejects(cwp.request('DescribeScanTaskDetails', { ModuleType: 'Vul', TaskId: 1, Limit: 101, Offset: 0 }), {
      code: 'InvalidParameterValue',
    });
    await assert.rejects(cwp.request('DescribeBaselineStrategyList', { Limit: 10, Offset: 0 }), { code: 'MissingParameter' });
    const organization = tencent('organization.tencentcloudapi.com', '2021-03-31');
    await assert.rejects(organization.request('DescribeOrganizationMembers', { Offset: 10, Limit: 50 }), { code: 'InvalidParameterValue' });
    await assert.rejects(organization.request('DescribeOrganizationMembers', { Offset: 0, Limit: 51 }), { code: 'InvalidParameterValue' });
  });

  test('DescribeMachines needs MachineType (CVM, BM, ECM, LH or Other) and a MachineRegion; Limit is at most 100', async () => {
    const cwp = tencent('cwp.tencentcloudapi.com', '2018-02-28');
    await assert.rejects(cwp.request('DescribeMachines', { MachineRegion: 'ap-guangzhou', Limit: 100, Offset: 0 }), {
      code: 'MissingParameter',
      message: /MachineType/,
    });
    await assert.rejects(cwp.request('DescribeMachines', { MachineType: 'CVM', Limit: 100, Offset: 0 }), {
      code: 'MissingParameter',
      message: /MachineRegion/,
    });
    await assert.rejects(cwp.request('DescribeMachines', { MachineType: 'VM', MachineRegion: 'ap-guangzhou' }), {
      code: 'InvalidParameterValue',
      message: /MachineType/,
    });
    await assert.rejects(cwp.request('DescribeMachines', { MachineType: 'CVM', MachineRegion: 'Guangzhou' }), {
      code: 'InvalidParameterValue',
      message: /MachineRegion/,
    });
    await assert.rejects(cwp.request('DescribeMachines', { MachineType: 'CVM', MachineRegion: 'ap-guangzhou', Limit: 101 }), {
      code: 'InvalidParameterValue',
      message: /Limit/,
    });
    await assert.rejects(cwp.request('DescribeMachines', { MachineType: 'CVM', MachineRegion: 'ap-guangzhou', Offset: -1 }), {
      code: 'InvalidParameterValue',
      message: /Offset/,
    });
    // Without Limit the document's default, 10; TotalCount counts every machine of the type and region.
    const page = (await cwp.request('DescribeMachines', { MachineType: 'CVM', MachineRegion: 'ap-guangzhou' })) as {
      Machines: unknown[];
      TotalCount: number;
    };
    const cvm = emulator.tencent.machines('prod').filter((m) => m.machineType === 'CVM' && m.region === 'ap-guangzhou');
    assert.equal(page.Machines.length, 10);
    assert.equal(page.TotalCount, cvm.length);
    const other = (await cwp.request('DescribeMachines', { MachineType: 'Other', MachineRegion: 'ap-guangzhou', Limit: 100 })) as {
      TotalCount: number;
    };
    assert.equal(other.TotalCount, 0, 'machines outside Tencent Cloud are in ap-others');
    await assert.rejects(
      tencent('sts.tencentcloudapi.com', '2018-02-28').request('DescribeMachines', { MachineType: 'CVM', MachineRegion: 'ap-guangzhou' }),
      {
        code: 'InvalidAction',
      },
    );
  });

  test('an action the policy does not allow is AuthFailure.UnauthorizedOperation, naming it', async () => {
    emulator.tencent.setDeniedActions('prod', ['DescribeScanTaskDetails']);
    try {
      const cwp = tencent('cwp.tencentcloudapi.com', '2018-02-28');
      await assert.rejects(cwp.request('DescribeScanTaskDetails', { ModuleType: 'Vul', TaskId: 1, Limit: 10, Offset: 0 }), {
        code: 'AuthFailure.UnauthorizedOperation',
        message: /cwp:DescribeScanTaskDetails/,
      });
      await cwp.request('DescribeScanState', { ModuleType: 'Vul' });
    } finally {
      emulator.tencent.setDeniedActions('prod', []);
    }
  });

  test("a trusted service's delegated administrator lists the members only naming the service as Product", async () => {
    const organization = tencent('organization.tencentcloudapi.com', '2021-03-31', DELEGATE);
    await assert.rejects(organization.request('DescribeOrganizationMembers', { Offset: 0, Limit: 50 }), {
      code: 'ResourceNotFound.OrganizationNotExist',
    });
    await assert.rejects(organization.request('DescribeOrganizationMembers', { Offset: 0, Limit: 50, Product: 'cvm' }), {
      code: 'ResourceNotFound.OrganizationNotExist',
    });
    const listed = (await organization.request('DescribeOrganizationMembers', { Offset: 0, Limit: 50, Product: 'cwp' })) as {
      Total: number;
    };
    assert.equal(listed.Total, 1);
  });

  test("a request signed for another product's service than its host's is AuthFailure.SignatureFailure", async () => {
    const body = Buffer.from('{"ModuleType":"Vul"}');
    const send = (service: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
      const signature = tc3Signature({
        ...TENCENT,
        date,
        service,
        timestamp,
        contentType: 'application/json',
        host: 'cwp.tencentcloudapi.com',
        body,
      });
      return replay({
        method: 'POST',
        url: '/',
        body,
        headers: {
          host: `cwp.tencentcloudapi.com:${emulator.port}`,
          'content-type': 'application/json',
          'x-tc-action': 'DescribeScanState',
          'x-tc-version': '2018-02-28',
          'x-tc-timestamp': timestamp,
          authorization: `TC3-HMAC-SHA256 Credential=${TENCENT.secretId}/${date}/${service}/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`,
        },
      });
    };
    const code = async (service: string) =>
      (JSON.parse((await send(service)).body) as { Response: { Error?: { Code: string } } }).Response.Error?.Code;
    assert.equal(await code('organization'), 'AuthFailure.SignatureFailure');
    assert.equal(await code('cwp'), undefined);
  });

  test('a request signed more than 5 minutes from the cloud clock is AuthFailure.SignatureExpire', async () => {
    skewMs = 6 * 60_000;
    try {
      await assert.rejects(tencent('cwp.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', { ModuleType: 'Vul' }), {
        code: 'AuthFailure.SignatureExpire',
      });
      skewMs = 4 * 60_000;
      await tencent('cwp.tencentcloudapi.com', '2018-02-28').request('DescribeScanState', { ModuleType: 'Vul' });
    } finally {
      skewMs = 0;
    }
  });
});

describe('the default data has the states real accounts have', () => {
  test("the demo's agents are in every ClientSubStatus, which is not a copy of ClientStatus", async () => {
    const demo = await startEmulator(demoEmulatorOptions());
    try {
      const [shop] = ALIBABA_DEMO_ACCOUNTS;
      const client = new RpcClient({
        endpoint: { protocol: 'http', host: `tds.cn-shanghai.aliyuncs.com:${demo.port}` },
        signer: { accessKeyId: shop!.accessKeyId, accessKeySecret: shop!.accessKeySecret },
        requestTimeoutSeconds: 5,
        secrets: () => [],
      });
      const page = (await client.call(
        'DescribeCloudCenterInstances',
        '2018-12-03',
        { UseNextToken: true, PageSize: 100, MachineTypes: 'ecs' },
        signal(),
      )) as {
        Instances: Array<{ ClientStatus: string; ClientSubStatus: string }>;
      };
      const pairs = new Set(page.Instances.map((i) => `${i.ClientStatus}/${i.ClientSubStatus}`));
      assert.deepEqual([...pairs].sort(), ['offline/offline', 'offline/stopped', 'offline/uninstalled', 'online/online', 'pause/pause']);
      const stopped = page.Instances.filter((i) => (i as { Status?: string }).Status === 'notRunning').map((i) => i.ClientSubStatus);
      assert.deepEqual(stopped, ['stopped'], 'the server shut down is not running');
    } finally {
      await demo.close();
    }
  });

  test("the demo's CWP machines are in every AgentStatus, MachineStatus and InstanceStatus the Machine model documents, with and without a Uuid", async () => {
    const demo = await startEmulator(demoEmulatorOptions());
    try {
      const [prod] = TENCENT_DEMO_ACCOUNTS;
      const cwp = new tencentcloud.CommonClient(`127.0.0.1:${demo.port}`, '2018-02-28', {
        credential: { secretId: prod!.secretId, secretKey: prod!.secretKey },
        profile: { httpProfile: { endpoint: `127.0.0.1:${demo.port}`, protocol: 'http://', reqTimeout: 5 } },
      });
      const listed: Array<Record<string, string>> = [];
      for (const [type, region] of [
        ['CVM', 'ap-guangzhou'],
        ['LH', 'ap-guangzhou'],
        ['Other', 'ap-others'],
      ]) {
        const page = (await cwp.request('DescribeMachines', { MachineType: type, MachineRegion: region, Limit: 100, Offset: 0 })) as {
          Machines: Array<Record<string, string>>;
        };
        listed.push(...page.Machines);
      }
      const values = (field: string) => [...new Set(listed.map((m) => m[field]))].sort();
      assert.deepEqual(values('AgentStatus'), ['OFFLINE', 'ONLINE', 'UNINSTALLED']);
      assert.deepEqual(values('MachineStatus'), ['OFFLINE', 'ONLINE', 'SHUTDOWN', 'UNINSTALLED']);
      assert.deepEqual(values('InstanceStatus'), ['EXPIRED', 'RUNNING', 'STOPED']);
      assert.deepEqual(values('MachineType'), ['CVM', 'LH', 'Other']);
      assert.ok(
        listed.some((m) => m['Uuid'] === '' && m['AgentStatus'] === 'OFFLINE'),
        'an agent offline so long that its Uuid is gone',
      );
      assert.ok(
        listed.every((m) => m['Quuid'] !== ''),
        'every machine has its Quuid',
      );
    } finally {
      await demo.close();
    }
  });
});

describe('Alibaba Cloud', () => {
  const instances = { UseNextToken: true, PageSize: 10, MachineTypes: 'ecs' };

  test("an action sent to another product's endpoint is InvalidAction.NotFound; at a wrong version InvalidVersion", async () => {
    await assert.rejects(alibaba('tds.cn-shanghai.aliyuncs.com').call('ListAccounts', '2020-03-31', { PageNumber: 1 }, signal()), {
      code: 'InvalidAction.NotFound',
    });
    await assert.rejects(alibaba('resourcemanager.aliyuncs.com').call('DescribeCloudCenterInstances', '2018-12-03', instances, signal()), {
      code: 'InvalidAction.NotFound',
    });
    await assert.rejects(alibaba('tds.cn-shanghai.aliyuncs.com').call('DescribeCloudCenterInstances', '2020-03-31', instances, signal()), {
      code: 'InvalidVersion',
    });
    const page = (await alibaba('tds.ap-southeast-1.aliyuncs.com').call(
      'DescribeCloudCenterInstances',
      '2018-12-03',
      instances,
      signal(),
    )) as { Instances: unknown[] };
    assert.equal(page.Instances.length, 1);
  });

  test('a request signed more than 15 minutes from the cloud clock is InvalidTimeStamp.Expired', async () => {
    skewMs = 16 * 60_000;
    try {
      await assert.rejects(
        alibaba('tds.cn-shanghai.aliyuncs.com').call('DescribeCloudCenterInstances', '2018-12-03', instances, signal()),
        { code: 'InvalidTimeStamp.Expired' },
      );
      skewMs = 14 * 60_000;
      await alibaba('tds.cn-shanghai.aliyuncs.com').call('DescribeCloudCenterInstances', '2018-12-03', instances, signal());
    } finally {
      skewMs = 0;
    }
  });

  test('a request sent twice is refused the second time: SignatureNonceUsed', async () => {
    const sent = await captured((port) =>
      alibaba('127.0.0.1', ALIBABA, port).call('DescribeCloudCenterInstances', '2018-12-03', instances, signal()),
    );
    assert.equal((await replay(sent)).status, 200);
    const again = await replay(sent);
    assert.equal(again.status, 400);
    assert.equal((JSON.parse(again.body) as { Code: string }).Code, 'SignatureNonceUsed');
  });

  test("parameters outside their documented limits get the product's codes", async () => {
    const sas = alibaba('tds.cn-shanghai.aliyuncs.com');
    await assert.rejects(sas.call('DescribeCloudCenterInstances', '2018-12-03', { ...instances, PageSize: 101 }, signal()), {
      code: 'IllegalParam',
    });
    await assert.rejects(sas.call('DescribeVulCheckTaskStatusDetail', '2018-12-03', { Types: ['cve'] }, signal()), {
      code: 'IllegalParam',
    });
    await assert.rejects(sas.call('DescribeVulCheckTaskStatusDetail', '2018-12-03', { Uuid: 'u', Types: ['xss'] }, signal()), {
      code: 'IllegalParam',
    });
    await assert.rejects(
      alibaba('resourcemanager.aliyuncs.com').call('ListAccounts', '2020-03-31', { PageNumber: 1, PageSize: 101 }, signal()),
      { code: 'InvalidParameter' },
    );
    const sts = alibaba('sts.aliyuncs.com');
    const arn = 'acs:ram::1000000000000020:role/reader';
    await assert.rejects(sts.call('AssumeRole', '2015-04-01', { RoleArn: arn, RoleSessionName: 'x' }, signal()), {
      code: 'InvalidParameter.RoleSessionName',
    });
    await assert.rejects(
      sts.call('AssumeRole', '2015-04-01', { RoleArn: arn, RoleSessionName: 'strict', DurationSeconds: 899 }, signal()),
      { code: 'InvalidParameter.DurationSeconds' },
    );
    // The ExternalId pattern [\w+=,.@:/-] takes a plus.
    const assumed = (await sts.call(
      'AssumeRole',
      '2015-04-01',
      { RoleArn: arn, RoleSessionName: 'strict', ExternalId: 'a+b=c' },
      signal(),
    )) as { Credentials: unknown };
    assert.ok(assumed.Credentials);
  });

  test("STS refuses a root account's AccessKey: NoPermission, roles may not be assumed by root accounts", async () => {
    const arn = 'acs:ram::1000000000000020:role/reader';
    await assert.rejects(
      alibaba('sts.aliyuncs.com', ROOT).call('AssumeRole', '2015-04-01', { RoleArn: arn, RoleSessionName: 'strict' }, signal()),
      {
        code: 'NoPermission',
        message: /Roles may not be assumed by root accounts/,
      },
    );
  });

  test('an action the policy does not allow is NoPermission, naming it', async () => {
    emulator.alibaba.setDeniedActions('shop', ['DescribeCloudCenterInstances']);
    try {
      await assert.rejects(
        alibaba('tds.cn-shanghai.aliyuncs.com').call('DescribeCloudCenterInstances', '2018-12-03', instances, signal()),
        {
          code: 'NoPermission',
          message: /yundun-sas:DescribeCloudCenterInstances/,
        },
      );
    } finally {
      emulator.alibaba.setDeniedActions('shop', []);
    }
  });
});

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The HTTP request `send` makes, caught by a stand-in server on 127.0.0.1 (which answers 500). */
async function captured(send: (port: number) => Promise<unknown>): Promise<Captured> {
  let caught: Captured | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      caught = { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"Code":"ServerError"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send((server.address() as AddressInfo).port).catch(() => undefined);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  assert.ok(caught, 'the client sent nothing');
  return caught;
}

/** Sends a caught request, as it was, to the emulator (its Host header, signed, kept). */
function replay(sent: Captured): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: emulator.port, method: sent.method, path: sent.url, headers: sent.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(sent.body);
  });
}
