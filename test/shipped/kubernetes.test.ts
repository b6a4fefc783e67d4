// The Kubernetes manifests in deploy/: as generated, valid against the Kubernetes and Prometheus
// Operator schemas, hardened, wired to each other (labels, ports, names, the Secret's keys and the
// config's references), and carrying the project's own rules and dashboard unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import {
  BASE_RESOURCES,
  CONFIG_DIR,
  CREDENTIALS_SECRET,
  HA_REPLICAS,
  HA_SHARE_FLAG,
  RESOURCES,
  SECRETS_DIR,
  deployDir,
  generated,
  kubernetesDir,
} from '../../deploy/kubernetes/manifests.js';
import { parseConfig } from '../../src/config/load.js';
import { parseFlags } from '../../src/cmd/flags.js';
import { effectiveUser, parseDockerfile, startCommand } from '../support/dockerfile.js';
import { objectsIn, renderKustomization, validateObject, type KubeObject } from '../support/kubernetes.js';
import { repoRoot } from '../support/paths.js';
import { promtool } from '../support/promtool.js';

const haDir = join(deployDir, 'kubernetes-ha');

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: typeof RESOURCES;
  securityContext: Record<string, unknown> & { capabilities: { drop: string[]; add?: string[] } };
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  securityContext: Record<string, unknown>;
  automountServiceAccountToken: boolean;
  serviceAccountName: string;
  containers: Container[];
  volumes: { name: string; configMap?: { name: string }; secret?: { secretName: string } }[];
}
interface DeploymentObject extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
const base = () => renderKustomization(kubernetesDir);
const find = <T extends KubeObject>(objects: KubeObject[], kind: string): T => {
  const found = objects.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as T;
};
/** The objects that live in a namespace: all but the Namespace itself. */
const namespaced = (objects: KubeObject[]) => objects.filter((o) => o.kind !== 'Namespace');
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

describe('deploy/kubernetes', () => {
  test('every generated file is exactly what deploy/kubernetes/manifests.ts writes (npm run manifests)', () => {
    const files = generated();
    assert.ok(files.length >= 10);
    for (const { path, text } of files) {
      assert.equal(readFileSync(path, 'utf8'), text, `${relative(repoRoot, path)} is out of date: run npm run manifests and commit it`);
    }
  });

  test('every manifest, the example Secret and the overlay included, is valid against its Kubernetes or Prometheus Operator schema', () => {
    const files = [...yamlFiles(kubernetesDir), ...yamlFiles(haDir)].filter(
      (f) => !f.endsWith('kustomization.yaml') && !f.endsWith('config.yaml'),
    );
    let validated = 0;
    for (const file of files) {
      for (const object of objectsIn(file)) {
        validateObject(object, relative(repoRoot, file));
        validated++;
      }
    }
    for (const object of [...base(), ...renderKustomization(haDir)]) validateObject(object, 'kustomize build');
    assert.ok(validated >= 9, `${validated} objects validated`);
  });

  test('the validation catches what the schemas forbid: a wrong type, a bad duration, a missing field, an unknown kind', () => {
    const deployment = find<DeploymentObject>(base(), 'Deployment');
    const broken = structuredClone(deployment);
    (broken.spec as Record<string, unknown>)['replicas'] = 'two';
    assert.throws(() => validateObject(broken, 'test'), /spec\/replicas must be integer/);
    const monitor = find(base(), 'ServiceMonitor');
    const badInterval = parse(stringify(monitor).replace('interval: 60s', 'interval: a minute')) as KubeObject;
    assert.throws(() => validateObject(badInterval, 'test'), /interval must match pattern/);
    const noContainers = structuredClone(deployment);
    delete (noContainers.spec.template.spec as Partial<PodSpec>).containers;
    assert.throws(() => validateObject(noContainers, 'test'), /must have required property containers/);
    assert.throws(
      () => validateObject({ ...deployment, apiVersion: 'apps/v1beta1' }, 'test'),
      /no schema known for apps\/v1beta1\/Deployment/,
    );
  });

  test('kustomization.yaml lists every manifest in the folder, and generates the ConfigMap the Deployment mounts', () => {
    const kustomization = parse(readFileSync(join(kubernetesDir, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
      configMapGenerator: { name: string; files: string[] }[];
    };
    const manifests = yamlFiles(kubernetesDir)
      .map((f) => relative(kubernetesDir, f))
      .filter((f) => !['kustomization.yaml', 'config.yaml', 'secret.example.yaml'].includes(f));
    assert.deepEqual([...kustomization.resources].sort(), [...manifests].sort());
    assert.deepEqual(kustomization.resources, [...BASE_RESOURCES]);
    const deployment = find<DeploymentObject>(base(), 'Deployment');
    const volume = deployment.spec.template.spec.volumes.find((v) => v.configMap);
    assert.equal(volume?.configMap?.name, kustomization.configMapGenerator[0]?.name);
    assert.deepEqual(kustomization.configMapGenerator[0]?.files, ['config.yaml']);
    assert.ok(namespaced(base()).every((o) => o.metadata.namespace === 'monitoring'));
  });

  test('creates the namespace its objects live in, without the labels that select the exporter', () => {
    const namespace = find(base(), 'Namespace');
    assert.equal(namespace.metadata.name, 'monitoring');
    assert.ok(namespaced(base()).every((o) => o.metadata.namespace === namespace.metadata.name));
    // Removing the exporter by its label (docs/kubernetes.md) must leave a shared namespace alone.
    assert.equal(namespace.metadata.labels?.['app.kubernetes.io/name'], undefined);
    assert.match(readFileSync(join(repoRoot, 'docs', 'kubernetes.md'), 'utf8'), /kubectl apply -f deploy\/kubernetes\/namespace\.yaml/);
  });

  describe('the Deployment', () => {
    const deployment = () => find<DeploymentObject>(base(), 'Deployment');
    const container = () => deployment().spec.template.spec.containers[0]!;

    test('runs as non-root with a read-only root filesystem, no capabilities, RuntimeDefault seccomp and no API token', () => {
      const pod = deployment().spec.template.spec;
      assert.equal(pod.securityContext['runAsNonRoot'], true);
      assert.notEqual(pod.securityContext['runAsUser'], 0);
      assert.deepEqual(pod.securityContext['seccompProfile'], { type: 'RuntimeDefault' });
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.containers.length, 1);
      const security = container().securityContext;
      assert.equal(security['readOnlyRootFilesystem'], true);
      assert.equal(security['allowPrivilegeEscalation'], false);
      assert.equal(security['privileged'], false);
      assert.deepEqual(security.capabilities, { drop: ['ALL'] });
    });

    test("runs the image's command as the image's user, with the image's config path and the exporter's port", () => {
      const dockerfile = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
      assert.equal(effectiveUser(dockerfile.final), 'node');
      // uid 1000 is the node user of the official node images.
      assert.equal(deployment().spec.template.spec.securityContext['runAsUser'], 1000);
      const configFlag = startCommand(dockerfile.final).find((a) => a.startsWith('--config.file='));
      assert.deepEqual(container().args, [configFlag]);
      assert.equal(configFlag, `--config.file=${CONFIG_DIR}/config.yaml`);
      const defaultPort = Number(parseFlags([]).listenAddress.split(':').pop());
      assert.deepEqual(container().ports, [{ name: 'http', containerPort: defaultPort, protocol: 'TCP' }]);
      assert.match(
        container().image,
        new RegExp(
          `^cloudscan-exporter:${(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version.replace(/\./g, '\\.')}$`,
        ),
      );
    });

    test('is probed for liveness on /-/healthy and for readiness on /-/ready, on its port', () => {
      assert.deepEqual(container().livenessProbe.httpGet, { path: '/-/healthy', port: 'http' });
      assert.deepEqual(container().readinessProbe.httpGet, { path: '/-/ready', port: 'http' });
    });

    test('asks for the resources docs/capacity.md derives from the bench', () => {
      assert.deepEqual(container().resources, RESOURCES);
      const capacity = readFileSync(join(repoRoot, 'docs', 'capacity.md'), 'utf8');
      for (const [kind, values] of Object.entries(RESOURCES)) {
        for (const [resource, value] of Object.entries(values)) {
          assert.match(
            capacity,
            new RegExp(`\\| ${resource} ${kind.replace(/s$/, '')} \\| \`${value}\` \\|`),
            `docs/capacity.md: ${resource} ${kind} ${value}`,
          );
        }
      }
    });

    test('gets its credentials from the Secret, as environment variables and as files', () => {
      const pod = deployment().spec.template.spec;
      const fromSecret = container().env.filter((e) => e.valueFrom?.secretKeyRef?.name === CREDENTIALS_SECRET);
      assert.ok(fromSecret.length >= 2);
      const secretVolume = pod.volumes.find((v) => v.secret?.secretName === CREDENTIALS_SECRET);
      assert.ok(secretVolume, 'the Secret is mounted');
      assert.deepEqual(
        container().volumeMounts.find((m) => m.name === secretVolume.name),
        { name: secretVolume.name, mountPath: SECRETS_DIR, readOnly: true },
      );
    });
  });

  test("config.yaml loads with the example Secret's keys, and references only what the Deployment provides", () => {
    const secret = objectsIn(join(kubernetesDir, 'secret.example.yaml'))[0] as KubeObject & { stringData: Record<string, string> };
    const deployment = find<DeploymentObject>(base(), 'Deployment');
    const env: NodeJS.ProcessEnv = {};
    for (const variable of deployment.spec.template.spec.containers[0]!.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) env[variable.name] = secret.stringData[ref.key];
    }
    const filesRead: string[] = [];
    const readSecretFile = (path: string) => {
      filesRead.push(path);
      assert.ok(path.startsWith(`${SECRETS_DIR}/`), `${path} is not in the mounted Secret`);
      const key = path.slice(SECRETS_DIR.length + 1);
      assert.ok(key in secret.stringData, `the Secret has no key ${key}`);
      return secret.stringData[key]!;
    };
    const text = readFileSync(join(kubernetesDir, 'config.yaml'), 'utf8');
    const { config, warnings } = parseConfig(text, join(CONFIG_DIR, 'config.yaml'), env, { readSecretFile });
    assert.deepEqual(warnings, []);
    assert.ok(config.tencent.length >= 1 && config.alibaba.length >= 1, 'an example of each cloud');
    assert.ok(filesRead.length >= 2, 'an example of credentials from files');
    const uncommented = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    const referenced = [...uncommented.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
    assert.ok(referenced.length >= 2, 'an example of credentials from the environment');
    for (const name of referenced) assert.ok(name in env, `config.yaml references \${${name}}, which the Deployment does not set`);
    assert.throws(
      () => parseConfig(text, 'config.yaml', {}, { readSecretFile }),
      /environment variables are not set: TENCENTCLOUD_SECRET_ID \(/,
    );
  });

  test('the Service selects the pods and the ServiceMonitor the Service, on the named port, as job "cloudscan"', () => {
    const objects = base();
    const deployment = find<DeploymentObject>(objects, 'Deployment');
    const service = find<KubeObject & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }>(
      objects,
      'Service',
    );
    assert.ok(matches(service.spec.selector, deployment.spec.template.metadata.labels));
    assert.ok(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
    assert.deepEqual(
      service.spec.ports.map((p) => p.targetPort),
      ['http'],
    );
    const monitor = find<
      KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Record<string, unknown>[] } }
    >(objects, 'ServiceMonitor');
    assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels));
    const example = parse(readFileSync(join(repoRoot, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      global: { scrape_interval: string };
      scrape_configs: { scrape_timeout: string }[];
    };
    assert.deepEqual(monitor.spec.endpoints, [
      {
        port: 'http',
        path: '/metrics',
        interval: example.global.scrape_interval,
        scrapeTimeout: example.scrape_configs[0]!.scrape_timeout,
        relabelings: [{ targetLabel: 'job', replacement: 'cloudscan' }],
      },
    ]);
    const thresholds = parse(readFileSync(join(repoRoot, 'prometheus', 'thresholds.yml'), 'utf8')) as { job: string };
    assert.equal(thresholds.job, 'cloudscan', 'the alerts select the job the ServiceMonitor sets');
  });

  test('the PrometheusRule holds exactly the rules of prometheus/alerts.yml, and promtool accepts them', () => {
    const rule = find<KubeObject & { spec: { groups: unknown[] } }>(base(), 'PrometheusRule');
    const alerts = parse(readFileSync(join(repoRoot, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: unknown[] };
    assert.deepEqual(rule.spec.groups, alerts.groups);
    assert.ok(rule.spec.groups.length >= 4);
    const dir = mkdtempSync(join(tmpdir(), 'cloudscan-rules-'));
    try {
      const file = join(dir, 'rules.yml');
      writeFileSync(file, stringify({ groups: rule.spec.groups }));
      const { status, output } = promtool(['check', 'rules', file]);
      assert.equal(status, 0, output);
      assert.match(output, /SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the dashboard ConfigMap carries grafana/dashboards/cloudscan.json byte for byte, labelled for Grafana's sidecar", () => {
    const configMap = base().find((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana_dashboard'] === '1') as
      (KubeObject & { data: Record<string, string> }) | undefined;
    assert.ok(configMap, 'a ConfigMap labelled grafana_dashboard: "1"');
    assert.deepEqual(Object.keys(configMap.data), ['cloudscan.json']);
    assert.equal(configMap.data['cloudscan.json'], readFileSync(join(repoRoot, 'grafana', 'dashboards', 'cloudscan.json'), 'utf8'));
    // kubectl apply keeps the whole object in an annotation, which may not exceed 256 KiB.
    assert.ok(JSON.stringify(configMap).length < 262_144);
  });

  test('the NetworkPolicy lets in scrapes on the one port and lets out DNS and HTTPS only', () => {
    const policy = find<KubeObject & { spec: Record<string, unknown> }>(base(), 'NetworkPolicy');
    const spec = policy.spec as {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress: { from?: unknown; ports: { port: string | number; protocol: string }[] }[];
      egress: { to?: unknown; ports: { port: number; protocol: string }[] }[];
    };
    assert.ok(matches(spec.podSelector.matchLabels, find<DeploymentObject>(base(), 'Deployment').spec.template.metadata.labels));
    assert.deepEqual([...spec.policyTypes].sort(), ['Egress', 'Ingress']);
    assert.deepEqual(
      spec.ingress.flatMap((r) => r.ports),
      [{ port: 'http', protocol: 'TCP' }],
    );
    const egress = spec.egress.flatMap((r) => r.ports.map((p) => `${p.port}/${p.protocol}`)).sort();
    assert.deepEqual(egress, ['443/TCP', '53/TCP', '53/UDP']);
    assert.ok(
      spec.egress.every((r) => r.ports.length > 0),
      'no rule without ports, which would allow every port',
    );
  });

  test('the example Secret is an example: not applied by kustomization.yaml, and holds no real-looking key', () => {
    assert.ok(!base().some((o) => o.kind === 'Secret'));
    const secret = objectsIn(join(kubernetesDir, 'secret.example.yaml'))[0] as KubeObject & { stringData: Record<string, string> };
    assert.equal(secret.metadata.name, CREDENTIALS_SECRET);
    for (const value of Object.values(secret.stringData)) assert.match(value, /replace-me$/);
  });
});

describe('deploy/kubernetes-ha', () => {
  test('runs replicas of the same accounts that share every rate_limit between them, and keeps one up', () => {
    const objects = renderKustomization(haDir);
    const deployment = find<DeploymentObject>(objects, 'Deployment');
    assert.equal(deployment.spec.replicas, HA_REPLICAS);
    const args = deployment.spec.template.spec.containers[0]!.args;
    const share = args.find((a) => a.startsWith('--cloud.rate-limit-share='));
    assert.equal(share, HA_SHARE_FLAG);
    const parsed = parseFlags(args);
    assert.ok(parsed.rateLimitShare * deployment.spec.replicas <= 1, 'together, the replicas call at most at each rate_limit');
    const budget = find<KubeObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>(
      objects,
      'PodDisruptionBudget',
    );
    assert.equal(budget.spec.minAvailable, 1);
    assert.ok(matches(budget.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
    assert.ok(namespaced(objects).every((o) => o.metadata.namespace === 'monitoring'));
    assert.equal(find(objects, 'Namespace').metadata.name, 'monitoring');
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
test(
  'kubectl kustomize renders both kustomizations to the objects this test validated',
  { skip: kubectl.status === 0 ? false : 'kubectl is not installed (the test above renders them without it)' },
  () => {
    for (const dir of [kubernetesDir, haDir]) {
      const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      assert.equal(rendered.status, 0, rendered.stderr);
      const objects = parseAllDocuments(rendered.stdout).map((d) => d.toJS() as KubeObject);
      // kustomize appends a hash of the generated ConfigMap's content to its name, and to the references.
      const unhashed = JSON.parse(JSON.stringify(objects).replace(/(cloudscan-exporter-config)-[a-z0-9]{10}/g, '$1')) as KubeObject[];
      const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
      const ours = renderKustomization(dir);
      assert.deepEqual(unhashed.map(key).sort(), ours.map(key).sort());
      for (const object of unhashed)
        assert.deepEqual(
          object,
          ours.find((o) => key(o) === key(object)),
          key(object),
        );
    }
  },
);

test("docs/kubernetes.md's manifests are valid against their schemas, and its ScrapeConfig shards as docs/sharding.md's scrape config does", () => {
  const text = readFileSync(join(repoRoot, 'docs', 'kubernetes.md'), 'utf8');
  const blocks = [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => parse(m[1]!) as KubeObject);
  const manifests = blocks.filter((b) => !b.apiVersion.startsWith('kustomize.config.k8s.io/'));
  assert.ok(manifests.length >= 1);
  for (const manifest of manifests) validateObject(manifest, 'docs/kubernetes.md');

  const scrape = manifests.find((m) => m.kind === 'ScrapeConfig') as KubeObject & { spec: { relabelings: Record<string, unknown>[] } };
  const section = readFileSync(join(repoRoot, 'docs', 'sharding.md'), 'utf8');
  const job = (parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]!) as { scrape_configs: { relabel_configs: Record<string, unknown>[] }[] })
    .scrape_configs[0]!;
  const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const asOperator = job.relabel_configs.map((rule) =>
    Object.fromEntries(Object.entries(rule).map(([k, v]) => [camel(k), k === 'action' && v === 'hashmod' ? 'HashMod' : v])),
  );
  const withoutAddress = (rules: Record<string, unknown>[]) => rules.map(({ replacement: _r, ...rule }) => rule);
  assert.deepEqual(withoutAddress(scrape.spec.relabelings), withoutAddress(asOperator));
  assert.equal(scrape.spec.relabelings.at(-1)!['replacement'], 'cloudscan-exporter-$1.cloudscan-exporter.monitoring.svc:9787');
});
