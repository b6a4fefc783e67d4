// Generates the Kubernetes manifests in deploy/kubernetes/ (and the high-availability overlay in
// deploy/kubernetes-ha/, a sibling: kustomize refuses an overlay inside its base) as plain YAML for `kubectl apply -k`. They are written here, with the typed
// models of kubernetes-models and @kubernetes-models/prometheus-operator, so that a misspelt field
// fails to compile; and generated, so that what they share with the rest of the project has one
// source: the PrometheusRule is prometheus/thresholds.yml's rules (as prometheus/alerts.yml), the
// dashboard ConfigMap holds grafana/dashboards/cloudscan.json, the scrape interval and timeout are
// prometheus/prometheus.yml's, the image tag is package.json's version. Users change them in an
// overlay of their own (docs/kubernetes.md), not here; config.yaml is theirs to edit.
//
//   npm run manifests                                          # rewrite the generated files
//   node --import tsx deploy/kubernetes/manifests.ts --check   # exit 1 when one is out of date
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Document, isMap, isScalar, parse, stringify } from 'yaml';
import { alertGroups, loadAlertSettings } from '../../prometheus/alerts.js';

const root = repositoryRoot(dirname(fileURLToPath(import.meta.url)));
export const deployDir = join(root, 'deploy');
export const kubernetesDir = join(deployDir, 'kubernetes');

export const NAME = 'cloudscan-exporter';
export const NAMESPACE = 'monitoring';
/** The selector of every resource; app.kubernetes.io/version is on the objects, never in a selector. */
export const SELECTOR = { 'app.kubernetes.io/name': NAME } as const;
export const PORT = 9787;
export const CONFIG_DIR = '/etc/cloudscan-exporter';
export const SECRETS_DIR = `${CONFIG_DIR}/secrets`;
export const CREDENTIALS_SECRET = `${NAME}-credentials`;
export const CONFIG_MAP = `${NAME}-config`;
export const DASHBOARD_FILE = 'cloudscan.json';
/** The uid and gid of the `node` user the image runs as (USER node in the Dockerfile). */
const NODE_UID = 1000;

/**
 * Requests and limits from `npm run bench -- --part=8` (the real CLI, 10,000 servers without
 * per-server series, a refresh always running, a scrape a second) and part 4 (10,000 servers with
 * per-server series); docs/capacity.md gives the figures and the arithmetic, and a test keeps the
 * two equal.
 */
export const RESOURCES = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '256Mi' },
} as const;

/** The high-availability overlay: two replicas of the same accounts, each at half of every rate_limit. */
export const HA_REPLICAS = 2;

function repositoryRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The cloudscan job's scrape interval and timeout in prometheus/prometheus.yml. */
function scrapeSettings(): { interval: string; timeout: string } {
  const config = parse(readFileSync(join(root, 'prometheus', 'prometheus.yml'), 'utf8')) as {
    global: { scrape_interval: string };
    scrape_configs: { job_name: string; scrape_interval?: string; scrape_timeout: string }[];
  };
  const job = config.scrape_configs.find((j) => j.job_name === loadAlertSettings().job);
  if (!job) throw new Error(`prometheus/prometheus.yml has no job ${loadAlertSettings().job}`);
  return { interval: job.scrape_interval ?? config.global.scrape_interval, timeout: job.scrape_timeout };
}

function labels(): Record<string, string> {
  return { ...SELECTOR, 'app.kubernetes.io/version': packageVersion() };
}

function metadata(name: string, extra: Record<string, string> = {}) {
  return { name, labels: { ...labels(), ...extra } };
}

/**
 * The namespace every object lives in, so that `kubectl apply -k` works on a cluster that has none.
 * Without the exporter's labels: it is often shared (kube-prometheus runs in `monitoring` too), and
 * nothing that selects the exporter's objects by label must select it.
 */
export function namespace(): Namespace {
  return new Namespace({ metadata: { name: NAMESPACE } });
}

export function serviceAccount(): ServiceAccount {
  return new ServiceAccount({
    metadata: metadata(NAME),
    // The exporter never calls the Kubernetes API. Annotate the account for cloud workload identity
    // (Tencent TKE OIDC, Alibaba ACK RRSA) in an overlay; those mount their own projected token.
    automountServiceAccountToken: false,
  });
}

export function deployment(): Deployment {
  return new Deployment({
    metadata: metadata(NAME),
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...SELECTOR } },
      template: {
        metadata: { labels: labels() },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_UID,
            runAsGroup: NODE_UID,
            fsGroup: NODE_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'exporter',
              image: `${NAME}:${packageVersion()}`,
              imagePullPolicy: 'IfNotPresent',
              args: [`--config.file=${CONFIG_DIR}/config.yaml`],
              ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
              env: [
                // Optional, so that a Secret with only one cloud's keys starts the pod; a key the
                // config references but the Secret lacks is then the exporter's own clear error.
                ...['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY'].map((name) => ({
                  name,
                  valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: name, optional: true } },
                })),
              ],
              livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 2 },
              resources: { requests: { ...RESOURCES.requests }, limits: { ...RESOURCES.limits } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'credentials', mountPath: SECRETS_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name: CONFIG_MAP } },
            // Every key of the Secret as a file, for the config's *_file keys; readable by the
            // node user's group only.
            { name: 'credentials', secret: { secretName: CREDENTIALS_SECRET, defaultMode: 0o440, optional: true } },
          ],
        },
      },
    },
  });
}

export function service(): Service {
  return new Service({
    metadata: metadata(NAME),
    spec: {
      type: 'ClusterIP',
      selector: { ...SELECTOR },
      ports: [{ name: 'http', port: PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  });
}

export function serviceMonitor(): ServiceMonitor {
  const { interval, timeout } = scrapeSettings();
  return new ServiceMonitor({
    metadata: metadata(NAME),
    spec: {
      selector: { matchLabels: { ...SELECTOR } },
      endpoints: [
        {
          port: 'http',
          path: '/metrics',
          interval,
          scrapeTimeout: timeout,
          // The alerts select job="cloudscan" (prometheus/thresholds.yml); the operator would name
          // the job after the Service.
          relabelings: [{ targetLabel: 'job', replacement: loadAlertSettings().job }],
        },
      ],
    },
  });
}

export function prometheusRule(): PrometheusRule {
  return new PrometheusRule({
    metadata: metadata(NAME),
    spec: { groups: alertGroups(loadAlertSettings()) },
  });
}

export function dashboardConfigMap(): ConfigMap {
  return new ConfigMap({
    // grafana_dashboard: "1" is the label the Grafana dashboard sidecar (kube-prometheus-stack's
    // default) loads dashboards from.
    metadata: metadata(`${NAME}-dashboard`, { grafana_dashboard: '1' }),
    data: { [DASHBOARD_FILE]: readFileSync(join(root, 'grafana', 'dashboards', DASHBOARD_FILE), 'utf8') },
  });
}

export function networkPolicy(): NetworkPolicy {
  return new NetworkPolicy({
    metadata: metadata(NAME),
    spec: {
      podSelector: { matchLabels: { ...SELECTOR } },
      policyTypes: ['Ingress', 'Egress'],
      // Scrapes, and the kubelet's probes (which network policies do not govern), on the one port.
      ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }],
      egress: [
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        // The clouds' API endpoints (and STS / OIDC token endpoints) are HTTPS on 443.
        { ports: [{ port: 443, protocol: 'TCP' }] },
      ],
    },
  });
}

export function exampleSecret(): Secret {
  return new Secret({
    metadata: metadata(CREDENTIALS_SECRET),
    type: 'Opaque',
    stringData: {
      TENCENTCLOUD_SECRET_ID: 'AKID-replace-me',
      TENCENTCLOUD_SECRET_KEY: 'replace-me',
      'alibaba-access-key-id': 'LTAI-replace-me',
      'alibaba-access-key-secret': 'replace-me',
    },
  });
}

export function podDisruptionBudget(): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: metadata(NAME),
    spec: { minAvailable: 1, selector: { matchLabels: { ...SELECTOR } } },
  });
}

/** One generated file: its path under deploy/, the object, the comments it carries. */
export interface Manifest {
  file: string;
  object: unknown;
  header: string;
  /** Comments before keys, by path: 'spec.template.spec.containers.0.resources'. */
  comments?: Record<string, string>;
}

export const BASE_RESOURCES = [
  'namespace.yaml',
  'serviceaccount.yaml',
  'deployment.yaml',
  'service.yaml',
  'networkpolicy.yaml',
  'servicemonitor.yaml',
  'prometheusrule.yaml',
  'dashboard-configmap.yaml',
] as const;

function kustomization(): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: NAMESPACE,
    resources: [...BASE_RESOURCES],
    // The exporter's configuration: edit config.yaml (or replace it in an overlay). The generated
    // name carries a hash of it, so a change rolls the pods.
    configMapGenerator: [{ name: CONFIG_MAP, files: ['config.yaml'], options: { labels: { ...SELECTOR } } }],
  };
}

export const HA_SHARE_FLAG = `--cloud.rate-limit-share=${1 / HA_REPLICAS}`;

function haKustomization(): Record<string, unknown> {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: NAMESPACE,
    resources: ['../kubernetes', 'poddisruptionbudget.yaml'],
    patches: [
      {
        target: { group: 'apps', version: 'v1', kind: 'Deployment', name: NAME },
        // kustomize takes a patch as text: a JSON 6902 patch, written in YAML.
        patch: stringify([
          { op: 'replace', path: '/spec/replicas', value: HA_REPLICAS },
          { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: HA_SHARE_FLAG },
          {
            op: 'add',
            path: '/spec/template/spec/topologySpreadConstraints',
            value: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...SELECTOR } },
              },
            ],
          },
        ]),
      },
    ],
  };
}

const GENERATED = (what: string) =>
  ` ${what}\n Generated by deploy/kubernetes/manifests.ts (npm run manifests): change it there, or patch it in an overlay.`;

export function manifests(): Manifest[] {
  return [
    {
      file: 'kubernetes/kustomization.yaml',
      object: kustomization(),
      header: GENERATED('cloudscan-exporter for `kubectl apply -k` (docs/kubernetes.md).'),
    },
    {
      file: 'kubernetes/namespace.yaml',
      object: namespace().toJSON(),
      header: GENERATED(
        `The namespace ${NAMESPACE}, created if missing (kubectl apply -f this file before creating the credentials Secret).\n` +
          ' kubectl delete -k deletes it, with everything in it: where other things run there, remove the\n' +
          ' exporter by its label instead (docs/kubernetes.md).',
      ),
    },
    {
      file: 'kubernetes/serviceaccount.yaml',
      object: serviceAccount().toJSON(),
      header: GENERATED("The pod's identity; it gets no Kubernetes API token."),
    },
    {
      file: 'kubernetes/deployment.yaml',
      object: deployment().toJSON(),
      header: GENERATED('The exporter: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp.'),
      comments: {
        'spec.replicas':
          ' One replica reads every account. For more, shard accounts over replicas with /probe, or run\n' +
          ' two replicas of the same accounts with deploy/kubernetes-ha (docs/capacity.md).',
        'spec.template.spec.containers.0.image':
          ' Build and push the image (Dockerfile), then set yours: kustomize edit set image cloudscan-exporter=REGISTRY/cloudscan-exporter:TAG',
        'spec.template.spec.containers.0.env':
          ' Credentials come from the Secret cloudscan-exporter-credentials (secret.example.yaml): as\n' +
          ` environment variables, referenced in config.yaml as \${NAME}, and as files in ${SECRETS_DIR},\n` +
          ' referenced by the *_file keys.',
        'spec.template.spec.volumes.1.secret.defaultMode': ' 0440 in octal: readable by the owner and the fsGroup (the node user) only.',
        'spec.template.spec.containers.0.resources':
          ' From `npm run bench -- --part=8` and part 4 (docs/capacity.md): about 68 MiB idle, 108-126 MiB at\n' +
          " 10,000 servers refreshed at a cloud's rate (0.07 cores on average, 0.15 in the busiest second),\n" +
          ' 208-234 MiB in the heaviest regimes measured (up to 0.29 cores on average, 0.46 at the busiest).',
      },
    },
    { file: 'kubernetes/service.yaml', object: service().toJSON(), header: GENERATED('What the ServiceMonitor scrapes.') },
    {
      file: 'kubernetes/networkpolicy.yaml',
      object: networkPolicy().toJSON(),
      header: GENERATED("In: the scrape port only. Out: DNS and HTTPS only (the clouds' APIs)."),
    },
    {
      file: 'kubernetes/servicemonitor.yaml',
      object: serviceMonitor().toJSON(),
      header: GENERATED('Prometheus Operator: scrape /metrics as prometheus/prometheus.yml does (same interval and timeout).'),
    },
    {
      file: 'kubernetes/prometheusrule.yaml',
      object: prometheusRule().toJSON(),
      header: GENERATED('Prometheus Operator: the alert rules of prometheus/alerts.yml, from prometheus/thresholds.yml.'),
    },
    {
      file: 'kubernetes/dashboard-configmap.yaml',
      object: dashboardConfigMap().toJSON(),
      header: GENERATED(
        'Grafana\'s dashboard sidecar loads ConfigMaps labelled grafana_dashboard: "1": grafana/dashboards/cloudscan.json.',
      ),
    },
    {
      file: 'kubernetes/secret.example.yaml',
      object: exampleSecret().toJSON(),
      header: GENERATED(
        'An example of the credentials Secret; not applied by kustomization.yaml. Create yours with\n' +
          ' kubectl -n monitoring create secret generic cloudscan-exporter-credentials --from-literal=...\n' +
          ' (docs/kubernetes.md), or from a copy of this file kept out of version control.',
      ),
    },
    {
      file: 'kubernetes-ha/kustomization.yaml',
      object: haKustomization(),
      header: GENERATED(
        `High availability: ${HA_REPLICAS} replicas of the same accounts, each calling the clouds at 1/${HA_REPLICAS} of every\n` +
          ' rate_limit, so together they stay within the per-account limit the cloud enforces\n' +
          ' (docs/capacity.md). kubectl apply -k deploy/kubernetes-ha',
      ),
    },
    {
      file: 'kubernetes-ha/poddisruptionbudget.yaml',
      object: podDisruptionBudget().toJSON(),
      header: GENERATED('Keep one replica up through voluntary disruptions.'),
    },
  ];
}

/** The YAML text of a manifest, with its header and comments. */
export function render(manifest: Manifest): string {
  const doc = new Document(manifest.object);
  doc.commentBefore = manifest.header;
  for (const [path, comment] of Object.entries(manifest.comments ?? {})) {
    const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const last = keys.pop()!;
    const parent = doc.getIn(keys, true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === last) : undefined;
    if (!pair || !isScalar(pair.key)) throw new Error(`${manifest.file}: no key at ${path} to comment`);
    pair.key.commentBefore = comment;
  }
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}

/** Every generated file's path and text. */
export function generated(): { path: string; text: string }[] {
  return manifests().map((m) => ({ path: join(deployDir, m.file), text: render(m) }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, text } of generated()) {
    if (check) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
        process.stderr.write(`${path} is out of date; run: npm run manifests\n`);
        stale++;
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  if (stale > 0) process.exit(1);
}
