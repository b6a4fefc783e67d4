// Kubernetes manifests checked without a cluster: each object against its schema (the validating
// models of kubernetes-models and @kubernetes-models/prometheus-operator), and a kustomization
// rendered the way kustomize renders the few features ours use (resources, namespace,
// configMapGenerator, JSON 6902 patches), so an overlay's result can be validated too.
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PodMonitor, Probe, PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { ScrapeConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import { parse, parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** The schema of every kind this project ships or documents, by apiVersion and kind. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/Probe': Probe,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1alpha1/ScrapeConfig': ScrapeConfig,
};

/**
 * Validates one object against the schema of its apiVersion and kind; throws naming the object and
 * every violation, or when no schema is known for the kind (an unknown kind is not "valid").
 */
export function validateObject(object: KubeObject, where: string): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`${where}: no schema known for ${key}`);
  const { apiVersion: _apiVersion, kind: _kind, ...data } = object;
  try {
    new Model(data as never).validate();
  } catch (error) {
    throw new Error(`${where}: ${key} ${object.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every YAML document of a file (a file may hold several, separated by ---). */
export function objectsIn(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS() as KubeObject);
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  configMapGenerator?: { name: string; files?: string[]; options?: { labels?: Record<string, string> } }[];
  patches?: { target: { group?: string; version?: string; kind: string; name: string }; patch: string }[];
}

type PatchOperation = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

/** Applies a JSON 6902 patch (add, replace, remove; "-" appends to a list) to a copy of `target`. */
export function applyJsonPatch<T>(target: T, operations: PatchOperation[]): T {
  const copy = structuredClone(target) as unknown;
  for (const operation of operations) {
    const keys = operation.path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    let parent = copy as Record<string, unknown> | unknown[];
    for (const key of keys) {
      const next = Array.isArray(parent) ? parent[Number(key)] : parent[key];
      if (next === null || typeof next !== 'object') throw new Error(`patch ${operation.op} ${operation.path}: no ${key}`);
      parent = next as Record<string, unknown> | unknown[];
    }
    if (last === undefined) throw new Error(`patch ${operation.op}: empty path`);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (operation.op === 'add') parent.splice(index, 0, operation.value);
      else if (operation.op === 'replace') parent[index] = operation.value;
      else parent.splice(index, 1);
    } else {
      if (operation.op !== 'add' && !(last in parent)) throw new Error(`patch ${operation.op} ${operation.path}: nothing there`);
      if (operation.op === 'remove') delete parent[last];
      else parent[last] = operation.value;
    }
  }
  return copy as T;
}

/**
 * The objects `kustomize build dir` makes of our kustomizations: resources (files, or directories
 * holding a kustomization), the namespace, generated ConfigMaps (named without kustomize's hash
 * suffix) and JSON 6902 patches. Other kustomize features are refused, not ignored.
 */
export function renderKustomization(dir: string): KubeObject[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization & Record<string, unknown>;
  const known = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'configMapGenerator', 'patches']);
  const unknown = Object.keys(kustomization).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: ${unknown.join(', ')} not rendered by this test helper`);

  let objects: KubeObject[] = (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path) : objectsIn(path);
  });
  for (const generator of kustomization.configMapGenerator ?? []) {
    const data = Object.fromEntries((generator.files ?? []).map((file) => [basename(file), readFileSync(join(dir, file), 'utf8')]));
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: generator.name, ...(generator.options?.labels ? { labels: generator.options.labels } : {}) },
      data,
    });
  }
  for (const { target, patch } of kustomization.patches ?? []) {
    const apiVersion = target.group ? `${target.group}/${target.version}` : target.version;
    let matched = 0;
    objects = objects.map((object) => {
      if (object.kind !== target.kind || object.metadata.name !== target.name || (apiVersion && object.apiVersion !== apiVersion))
        return object;
      matched++;
      return applyJsonPatch(object, parse(patch) as PatchOperation[]);
    });
    if (matched !== 1) throw new Error(`${dir}/kustomization.yaml: the patch of ${target.kind} ${target.name} matched ${matched} objects`);
  }
  if (kustomization.namespace !== undefined) {
    // kustomize's namespace transformer names a Namespace object after the namespace, and puts every other object in it.
    const transformed = (object: KubeObject): KubeObject['metadata'] =>
      object.apiVersion === 'v1' && object.kind === 'Namespace'
        ? { ...object.metadata, name: kustomization.namespace! }
        : { ...object.metadata, namespace: kustomization.namespace! };
    objects = objects.map((object) => ({ ...object, metadata: transformed(object) }));
  }
  return objects;
}
