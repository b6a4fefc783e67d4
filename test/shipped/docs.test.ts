// The docs cannot drift from the code: the metric reference is generated from families.ts and must
// be committed as generated; every configuration key, flag and endpoint is documented; the cloud
// policies allow exactly the actions the sources call.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { DEFAULT_METRIC_EXAMPLES, renderMetricsDoc } from '../../scripts/metrics-doc.js';
import { parseConfig } from '../../src/config/load.js';
import { fileSchema } from '../../src/config/schema.js';
import { DEMO_ENVIRONMENT } from '../../src/emulator/demo.js';
import { ALIBABA_SAS_REGIONS } from '../../src/sources/alibaba/regions.js';
import { TENCENT_REGIONS } from '../../src/sources/tencent/regions.js';
import { USAGE } from '../../src/cmd/flags.js';
import { ALL_FAMILIES } from '../../src/exporter/all-families.js';
import { isAlibabaRoleArn } from '../../src/sources/alibaba/role-arn.js';
import { isTencentRoleArn } from '../../src/sources/tencent/role-arn.js';
import { ALIBABA_PERMISSIONS } from '../../src/sources/alibaba/permissions.js';
import { TENCENT_PERMISSIONS } from '../../src/sources/tencent/permissions.js';
import { parseDockerfile, startCommand } from '../support/dockerfile.js';
import { repoRoot } from '../support/paths.js';

const doc = (name: string) => readFileSync(join(repoRoot, 'docs', name), 'utf8');
const source = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

/** Every key path of the configuration schema: cache.ttl, tencent[].credentials.secret_id, ... */
function schemaKeyPaths(schema: unknown): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, path: string): void => {
    const def = (node as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    switch (def.type) {
      case 'object':
        for (const [key, child] of Object.entries(def['shape'] as Record<string, unknown>)) {
          const next = path === '' ? key : `${path}.${key}`;
          out.add(next);
          walk(child, next);
        }
        break;
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
        walk(def['innerType'], path);
        break;
      case 'array':
        walk(def['element'], `${path}[]`);
        break;
      case 'union':
        for (const option of def['options'] as unknown[]) walk(option, path);
        break;
      case 'pipe':
        walk(def['in'], path);
        walk(def['out'], path);
        break;
      default:
        break;
    }
  };
  walk(schema, '');
  return [...out];
}

/** The fenced code blocks of a Markdown text with their language. */
function codeBlocks(markdown: string): Array<{ lang: string; text: string; before: string }> {
  const blocks: Array<{ lang: string; text: string; before: string }> = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    blocks.push({ lang: m[1] ?? '', text: m[2] ?? '', before: markdown.slice(0, m.index) });
  }
  return blocks;
}

/** The action names a source passes to context.invoke('Action', ...). */
function invokedActions(path: string): string[] {
  return [...new Set([...source(path).matchAll(/\binvoke\(\s*'([A-Za-z]+)'/g)].map((m) => m[1]!))].sort();
}

/** The CAM permissions of the CWP actions a Tencent account calls: its scans' and its coverage's. */
function cwpPermissions(): string[] {
  return [...invokedActions('src/sources/tencent/source.ts'), ...invokedActions('src/sources/tencent/coverage-reader.ts')]
    .map((a) => `cwp:${a}`)
    .sort();
}

/** The RAM permissions of the Security Center actions an Alibaba account calls: its servers' and its list of vulnerability checks'. */
function sasPermissions(): string[] {
  // change-signal.ts calls the list through its ACTION constant.
  assert.match(source('src/sources/alibaba/change-signal.ts'), /const ACTION = 'DescribeOnceTask';[^]*context\.invoke\(ACTION,/);
  return [...invokedActions('src/sources/alibaba/source.ts'), 'DescribeOnceTask'].map((a) => `yundun-sas:${a}`).sort();
}

describe('docs/metrics.md', () => {
  test('is exactly what scripts/metrics-doc.ts generates from src/metrics/families.ts', () => {
    assert.equal(
      doc('metrics.md'),
      renderMetricsDoc(),
      'docs/metrics.md is out of date: run `node --import tsx scripts/metrics-doc.ts` and commit it',
    );
  });

  test('names every metric family with its type and labels', () => {
    const text = doc('metrics.md');
    for (const family of ALL_FAMILIES) {
      const row = text.split('\n').find((line) => line.startsWith(`| \`${family.name}\` |`));
      assert.ok(row, `${family.name} has no row`);
      assert.ok(row.includes(`| ${family.type} |`), `${family.name}: type`);
      for (const label of family.labels) assert.ok(row.includes(`\`${label}\``), `${family.name}: label ${label}`);
    }
  });

  test("the prom-client default metrics it names exist in prom-client's default set", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const names = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    for (const name of DEFAULT_METRIC_EXAMPLES) assert.ok(names.has(name), `prom-client has no ${name}`);
    assert.match(doc('metrics.md'), /`process_\*` and `nodejs_\*`/);
  });
});

describe('docs/demo.md', () => {
  const text = doc('demo.md');

  test('names the variables the demo reads, and every demo key with the variable that carries it', () => {
    for (const variable of ['CLOUDSCAN_DEMO_LISTEN', 'CLOUDSCAN_DEMO_EMULATOR_PORT']) {
      assert.match(source('src/cmd/demo.ts'), new RegExp(`'${variable}'`), `src/cmd/demo.ts no longer reads ${variable}`);
      assert.ok(text.includes(`| \`${variable}\` |`), `${variable} is not in the table`);
    }
    for (const [variable, value] of Object.entries(DEMO_ENVIRONMENT)) {
      assert.ok(text.includes(`\`${variable}\``), `${variable} is not documented`);
      assert.ok(text.includes(`\`${value}\``), `the value of ${variable} is not documented`);
    }
  });

  test('describes every control path and every fault kind the emulator has', () => {
    for (const path of [...source('src/emulator/server.ts').matchAll(/path === '(\w+)' && req\.method === '(\w+)'/g)].map(
      (m) => `${m[2]} /_emulator/${m[1]}`,
    )) {
      assert.ok(text.includes(`| \`${path}`), `${path} is not documented`);
    }
    const kinds = [...source('src/emulator/kit/faults.ts').matchAll(/\| \{ kind: '(\w+)'/g)].map((m) => m[1]!);
    assert.ok(kinds.length >= 10, `only ${kinds.length} fault kinds found`);
    for (const kind of kinds) assert.ok(text.includes(`{"kind": "${kind}"`), `fault ${kind} is not documented`);
  });
});

describe('README.md', () => {
  test('"Run it against your clouds" exports every variable config.example.yaml reads', () => {
    const section = source('README.md').split('## Run it against your clouds')[1]!.split('\n## ')[0]!;
    const exported = new Set([...section.matchAll(/\b([A-Z][A-Z0-9_]+)=\.\.\./g)].map((m) => m[1]!));
    const read = [...source('config.example.yaml').matchAll(/^[^#\n]*\$\{([A-Z0-9_]+)\}/gm)].map((m) => m[1]!);
    assert.deepEqual(read.sort(), [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'TENCENTCLOUD_SECRET_ID',
      'TENCENTCLOUD_SECRET_KEY',
    ]);
    for (const variable of read) assert.ok(exported.has(variable), `${variable} is not exported`);
  });
});

describe('docs/configuration.md', () => {
  const text = doc('configuration.md');

  test('lists every region each cloud accepts without an endpoint', () => {
    const section = text.split('## Regions')[1]!.split('\n## ')[0]!;
    const listed = new Set([...section.matchAll(/`([a-z]{2,3}(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!));
    for (const region of [...TENCENT_REGIONS, ...ALIBABA_SAS_REGIONS]) assert.ok(listed.has(region), `${region} is not listed`);
    assert.equal(
      listed.size,
      new Set([...TENCENT_REGIONS, ...ALIBABA_SAS_REGIONS, 'cn-shanghai']).size,
      'a region is listed that no list has',
    );
  });

  test('lists every key of the configuration schema, and no key the schema does not have', () => {
    const keys = schemaKeyPaths(fileSchema);
    assert.ok(keys.length > 40, `only ${keys.length} keys found: is the schema walker still right?`);
    const missing = keys.filter((key) => !text.includes(`| \`${key}\` |`));
    assert.deepEqual(missing, [], `undocumented configuration keys: ${missing.join(', ')}`);

    const documented = [...text.matchAll(/^\| `((?:cache|scrape|tencent|alibaba)[^`]*)` \|/gm)].map((m) => m[1]!);
    const unknown = documented.filter((key) => !keys.includes(key));
    assert.deepEqual(unknown, [], `documented keys the schema does not have: ${unknown.join(', ')}`);
  });

  test('its all-defaults example loads to exactly the configuration the defaults give', () => {
    const block = codeBlocks(text).find((b) => b.lang === 'yaml' && b.before.trimEnd().endsWith('<!-- example: all-defaults -->'));
    assert.ok(block, 'no yaml block after <!-- example: all-defaults -->');
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDdocs',
      TENCENTCLOUD_SECRET_KEY: 'docs-key',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIdocs',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'docs-secret',
    };
    const minimal = [
      'tencent:',
      '  - name: prod',
      '    credentials: { secret_id: "${TENCENTCLOUD_SECRET_ID}", secret_key: "${TENCENTCLOUD_SECRET_KEY}" }',
      'alibaba:',
      '  - name: shop',
      '    region: cn-shanghai',
      '    credentials: { access_key_id: "${ALIBABA_CLOUD_ACCESS_KEY_ID}", access_key_secret: "${ALIBABA_CLOUD_ACCESS_KEY_SECRET}" }',
      '',
    ].join('\n');
    const spelledOut = parseConfig(block.text, '/docs/config.yaml', env);
    const defaults = parseConfig(minimal, '/docs/config.yaml', env);
    assert.deepEqual(spelledOut.warnings, []);
    assert.deepEqual(spelledOut.config, defaults.config);
  });

  test('every other yaml example in it loads', () => {
    const env = new Proxy({}, { get: () => 'from-env' }) as NodeJS.ProcessEnv;
    const readSecretFile = () => 'from-file';
    for (const block of codeBlocks(text).filter((b) => b.lang === 'yaml')) {
      assert.doesNotThrow(() => parseConfig(block.text, '/docs/config.yaml', env, { readSecretFile }), block.text);
    }
  });
});

describe('docs/cli.md', () => {
  const text = doc('cli.md');

  test('lists every flag of the usage text', () => {
    const flags = [...new Set([...USAGE.matchAll(/--[a-z][a-z.-]*/g)].map((m) => m[0]))];
    assert.ok(flags.length >= 8, `only ${flags.length} flags in USAGE`);
    for (const flag of flags) assert.match(text, new RegExp(`\\| \`${flag.replace(/\./g, '\\.')}[=\`]`), `${flag} is not in docs/cli.md`);
  });

  test('lists every endpoint the app serves', () => {
    const routes = [...source('src/http/app.ts').matchAll(/app\.(get|post)\('([^']+)'/g)].map((m) => ({
      method: m[1]!.toUpperCase(),
      path: m[2]!,
    }));
    assert.ok(routes.length >= 6);
    for (const { method, path } of routes) assert.ok(text.includes(`\`${method} ${path}`), `${method} ${path} is not in docs/cli.md`);
  });
});

describe('docs/permissions.md', () => {
  const text = doc('permissions.md');
  const policies = codeBlocks(text)
    .filter((b) => b.lang === 'json')
    .map((b) => JSON.parse(b.text) as Record<string, unknown>);

  test('the CAM policy allows exactly the CWP actions the Tencent source calls', () => {
    const cam = policies.find((p) => p['version'] === '2.0') as
      { statement: Array<{ effect: string; action: string[]; resource: string[] }> } | undefined;
    assert.ok(cam, 'no CAM policy (version 2.0)');
    assert.equal(cam.statement.length, 1);
    const [statement] = cam.statement;
    assert.equal(statement!.effect, 'allow');
    const expected = cwpPermissions();
    assert.deepEqual(expected, [
      'cwp:DescribeBaselineStrategyList',
      'cwp:DescribeMachines',
      'cwp:DescribeScanState',
      'cwp:DescribeScanTaskDetails',
    ]);
    assert.deepEqual([...statement!.action].sort(), expected);
  });

  test('the RAM policy allows exactly the Security Center actions the Alibaba source calls', () => {
    const ram = policies.find((p) => p['Version'] === '1') as
      { Statement: Array<{ Effect: string; Action: string[]; Resource: string }> } | undefined;
    assert.ok(ram, 'no RAM policy (Version 1)');
    assert.equal(ram.Statement.length, 1);
    const [statement] = ram.Statement;
    assert.equal(statement!.Effect, 'Allow');
    const expected = sasPermissions();
    assert.deepEqual(expected, [
      'yundun-sas:DescribeCloudCenterInstances',
      'yundun-sas:DescribeOnceTask',
      'yundun-sas:DescribeVulCheckTaskStatusDetail',
    ]);
    assert.deepEqual([...statement!.Action].sort(), expected);
  });

  test('the action tables name the same actions as the policies', () => {
    const tabled = [...text.matchAll(/^\| `((?:cwp|yundun-sas):\w+)` \|/gm)].map((m) => m[1]!).sort();
    const inPolicies = [
      ...(policies.find((p) => p['version'] === '2.0') as { statement: Array<{ action: string[] }> }).statement[0]!.action,
      ...(policies.find((p) => p['Version'] === '1') as { Statement: Array<{ Action: string[] }> }).Statement[0]!.Action,
    ].sort();
    assert.deepEqual(tabled, inPolicies);
  });
});

describe('docs/permissions.md: what breaks without each action', () => {
  const text = doc('permissions.md');
  const rows = [...text.matchAll(/^\| (?:Tencent |Alibaba )?`([\w/-]+:\w+)`[^|]*\| [^|]+ \| (.+) \|$/gm)].map((m) => ({
    permission: m[1]!,
    without: m[2]!,
  }));

  test('every permission the exporter may ask for has a row saying what breaks without it', () => {
    for (const permission of [...Object.values(TENCENT_PERMISSIONS), ...Object.values(ALIBABA_PERMISSIONS)]) {
      const row = rows.find((r) => r.permission === permission);
      assert.ok(row, `${permission} has no row in docs/permissions.md`);
      assert.match(row.without, /down|optional|no member/, `${permission}: what breaks without it`);
    }
  });

  test('the only actions marked optional are those the sources turn off when refused', () => {
    const optional = rows.filter((r) => r.without.startsWith('**optional**')).map((r) => r.permission);
    assert.deepEqual(optional, ['cwp:DescribeScanTaskDetails', 'cwp:DescribeMachines', 'yundun-sas:DescribeOnceTask']);
    assert.match(
      readFileSync(join(repoRoot, 'src', 'sources', 'alibaba', 'change-signal.ts'), 'utf8'),
      /const ACTION = 'DescribeOnceTask';[^]*new OptionalFeature\(\{\s*action: ACTION,/,
    );
    assert.match(
      readFileSync(join(repoRoot, 'src', 'sources', 'tencent', 'source.ts'), 'utf8'),
      /const HOSTS_ACTION = 'DescribeScanTaskDetails';/,
    );
    assert.match(
      readFileSync(join(repoRoot, 'src', 'sources', 'tencent', 'coverage-reader.ts'), 'utf8'),
      /const ACTION = 'DescribeMachines';[^]*tencentOptionalPart\(ACTION,/,
    );
  });
});

describe('docs/troubleshooting.md', () => {
  const text = doc('troubleshooting.md');

  test("has a section for each of the exporter's own codes and each family of cloud codes", () => {
    for (const code of [
      'timeout',
      'network',
      'invalid_response',
      'http_NNN',
      'AuthFailure.*',
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId.NotFound',
      'NoPermission',
      'UnauthorizedOperation',
      'RequestLimitExceeded*',
      'Throttling*',
      'IllegalParam',
      'InvalidParameter',
      'ServerError',
      'InternalError',
    ]) {
      assert.match(text, new RegExp(`^###.*\`${code.replace(/[.*]/g, '\\$&')}\``, 'm'), `no section heading for ${code}`);
    }
  });
});

describe('docs/install.md', () => {
  const text = doc('install.md');
  const dockerfile = parseDockerfile(source('Dockerfile'));

  test("names the image's config path, port and health check as the Dockerfile has them", () => {
    const command = startCommand(dockerfile.final);
    const configFlag = command.find((arg) => arg.startsWith('--config.file='));
    assert.ok(configFlag);
    assert.ok(text.includes(configFlag.slice('--config.file='.length)), 'config path');
    for (const port of dockerfile.final.expose) assert.ok(text.includes(port.replace(/\/tcp$/, '')), `port ${port}`);
    const check = dockerfile.final.healthcheck?.command?.find((arg) => arg.endsWith('.js'));
    assert.ok(check && text.includes(check), 'health check script');
    assert.ok(text.includes('npm ci --omit=dev'));
  });
});

describe('docs/roles.md', () => {
  const text = doc('roles.md');
  /** The JSON block after `<!-- policy: name -->`. */
  const policy = (name: string): Record<string, unknown> => {
    const block = codeBlocks(text).find((b) => b.lang === 'json' && b.before.trimEnd().endsWith(`<!-- policy: ${name} -->`));
    assert.ok(block, `no json block after <!-- policy: ${name} -->`);
    return JSON.parse(block.text) as Record<string, unknown>;
  };
  type CamStatement = { effect: string; action: string | string[]; resource?: string[]; principal?: { qcs: string[] } };
  type RamStatement = { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: { RAM: string[] } };
  const list = (value: string | string[]) => (Array.isArray(value) ? [...value] : [value]).sort();

  test("the member roles allow exactly the actions the sources call, as permissions.md's policies do", () => {
    const cam = policy('tencent-role')['statement'] as CamStatement[];
    assert.deepEqual(list(cam.flatMap((s) => list(s.action))), cwpPermissions());
    const ram = policy('alibaba-role')['Statement'] as RamStatement[];
    assert.deepEqual(list(ram.flatMap((s) => list(s.Action))), sasPermissions());
  });

  test('the trust policies let a principal assume the role, and the principals may only assume the named roles', () => {
    const tencentTrust = policy('tencent-trust')['statement'] as CamStatement[];
    assert.deepEqual(list(tencentTrust[0]!.action), ['name/sts:AssumeRole']);
    assert.match(tencentTrust[0]!.principal!.qcs[0]!, /^qcs::cam::uin\/\d+:root$/);
    const alibabaTrust = policy('alibaba-trust')['Statement'] as RamStatement[];
    assert.deepEqual(list(alibabaTrust[0]!.Action), ['sts:AssumeRole']);
    assert.match(alibabaTrust[0]!.Principal!.RAM[0]!, /^acs:ram::\d+:root$/);

    const tencentPrincipal = policy('tencent-principal')['statement'] as CamStatement[];
    assert.deepEqual(list(tencentPrincipal.flatMap((s) => list(s.action))), ['name/sts:AssumeRole']);
    for (const arn of tencentPrincipal.flatMap((s) => s.resource ?? [])) assert.ok(isTencentRoleArn(arn), arn);
    const alibabaPrincipal = policy('alibaba-principal')['Statement'] as RamStatement[];
    assert.deepEqual(list(alibabaPrincipal.flatMap((s) => list(s.Action))), ['sts:AssumeRole']);
    for (const arn of alibabaPrincipal.flatMap((s) => list(s.Resource ?? []))) assert.ok(isAlibabaRoleArn(arn), arn);
  });

  test('every yaml example in it loads, and the role ARNs of the worked examples are what the principals may assume', () => {
    const env = new Proxy({}, { get: () => 'from-env' }) as NodeJS.ProcessEnv;
    const blocks = codeBlocks(text).filter((b) => b.lang === 'yaml');
    assert.ok(blocks.length >= 4);
    for (const block of blocks) assert.doesNotThrow(() => parseConfig(block.text, '/docs/config.yaml', env), block.text);
    const allowed = [
      ...(policy('tencent-principal')['statement'] as CamStatement[]).flatMap((s) => s.resource ?? []),
      ...(policy('alibaba-principal')['Statement'] as RamStatement[]).flatMap((s) => list(s.Resource ?? [])),
    ];
    const worked = blocks.filter((b) => /^### Worked example/m.test(b.before.slice(b.before.lastIndexOf('\n## '))));
    assert.equal(worked.length, 2);
    for (const block of worked) {
      for (const match of block.text.matchAll(/role_arn: (\S+)/g))
        assert.ok(allowed.includes(match[1]!), `${match[1]!} is not in a principal policy`);
    }
  });
});

describe('docs/organizations.md', () => {
  const text = doc('organizations.md');
  const policies = codeBlocks(text)
    .filter((b) => b.lang === 'json')
    .map((b) => JSON.parse(b.text) as Record<string, unknown>);
  const actions = (policy: Record<string, unknown>): string[] => {
    const statements = (policy['statement'] ?? policy['Statement']) as Array<Record<string, unknown>>;
    return statements.flatMap((s) => {
      const action = s['action'] ?? s['Action'];
      return Array.isArray(action) ? (action as string[]) : [action as string];
    });
  };

  test('its principal policies allow the listing actions the member sources call', () => {
    const tencent = invokedActions('src/sources/tencent/organization-source.ts').map((a) => `organization:${a}`);
    // ListAccounts is Resource Manager's; DescribeMonitorAccounts (which members Security Center monitors) is Security Center's.
    const alibaba = invokedActions('src/sources/alibaba/organization-source.ts').map((a) =>
      a === 'ListAccounts' ? `resourcemanager:${a}` : `yundun-sas:${a}`,
    );
    assert.deepEqual(tencent, ['organization:DescribeOrganizationMembers']);
    assert.deepEqual(alibaba, ['yundun-sas:DescribeMonitorAccounts', 'resourcemanager:ListAccounts']);
    const allowed = new Set(policies.flatMap(actions));
    for (const action of [...tencent, ...alibaba, 'name/sts:AssumeRole', 'sts:AssumeRole'])
      assert.ok(allowed.has(action), `no policy allows ${action}`);
    // Least privilege: nothing that writes.
    const writes = [...allowed].filter((action) => !/:(Describe|List|AssumeRole)/.test(action) && action !== 'name/sts:AssumeRole');
    assert.deepEqual(writes, []);
  });

  test('its member role policy allows exactly the CWP actions the Tencent source calls', () => {
    const expected = cwpPermissions();
    assert.ok(policies.some((p) => JSON.stringify([...actions(p)].sort()) === JSON.stringify(expected)));
  });

  test('every yaml example in it loads', () => {
    const env = new Proxy({}, { get: () => 'from-env' }) as NodeJS.ProcessEnv;
    const yamlBlocks = codeBlocks(text).filter((b) => b.lang === 'yaml');
    assert.ok(yamlBlocks.length >= 3);
    for (const block of yamlBlocks) assert.doesNotThrow(() => parseConfig(block.text, '/docs/config.yaml', env), block.text);
  });
});
