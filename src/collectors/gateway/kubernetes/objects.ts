/**
 * Kubernetes objects of one or more manifest files, indexed by kind and namespace/name, each with its file and line
 * (a `kind: List` counts as its items). References between objects are by name in a namespace, as the API server
 * resolves them; Secrets referenced by name are never read, only Secrets written into the manifests.
 */
import type { Node } from 'yaml';
import type { SourceLocation } from '../../../model/evidence.js';
import { type YamlSource, YamlView } from '../yaml-view.js';

export interface K8sObject {
  kind: string;
  apiVersion: string;
  /** API group (`gateway.networking.k8s.io`), '' for the core group. */
  group: string;
  name: string;
  namespace: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  node: Node;
  y: YamlView;
  location: SourceLocation;
}

export class K8sIndex {
  readonly objects: K8sObject[] = [];

  constructor(sets: YamlSource[][]) {
    for (const docs of sets) {
      for (const src of docs) {
        const y = new YamlView(src);
        const add = (node: Node) => {
          const kind = (y.str(y.get(node, 'kind')) ?? '').trim();
          if (!kind) return;
          if (kind === 'List' || kind.endsWith('List')) {
            for (const item of y.items(y.get(node, 'items'))) add(item);
            return;
          }
          const apiVersion = (y.str(y.get(node, 'apiVersion')) ?? '').trim();
          const meta = y.get(node, 'metadata');
          const strMap = (n: Node | undefined) => Object.fromEntries(y.entries(n).map(([k, v]) => [k, y.str(v) ?? '']));
          this.objects.push({
            kind,
            apiVersion,
            group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '',
            name: y.str(y.get(meta, 'name')) ?? '',
            namespace: y.str(y.get(meta, 'namespace')) ?? 'default',
            annotations: strMap(y.get(meta, 'annotations')),
            labels: strMap(y.get(meta, 'labels')),
            node,
            y,
            location: y.loc(node),
          });
        };
        if (src.root) add(src.root);
      }
    }
  }

  ofKind(...kinds: string[]): K8sObject[] {
    return this.objects.filter((o) => kinds.includes(o.kind));
  }

  find(kind: string, namespace: string, name: string): K8sObject | undefined {
    return this.objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace);
  }
}

/** `spec.x.y` of an object. */
export function at(o: K8sObject, ...path: string[]): Node | undefined {
  let n: Node | undefined = o.node;
  for (const k of path) n = o.y.get(n, k);
  return n;
}

export function str(o: K8sObject, ...path: string[]): string | undefined {
  return o.y.str(at(o, ...path));
}

/** Location of a node of the object (its line), falling back to the object's. */
export function locOf(o: K8sObject, node: Node | undefined): SourceLocation {
  return node ? o.y.loc(node) : o.location;
}

/** Location of an annotation's line (`metadata.annotations.<key>`). */
export function annotationLoc(o: K8sObject, key: string): SourceLocation {
  const ann = o.y.get(o.y.get(o.node, 'metadata'), 'annotations');
  return locOf(o, o.y.keyNode(ann, key) ?? ann);
}
