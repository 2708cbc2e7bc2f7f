/**
 * Kubernetes manifests → gateway evidence: the routes and listeners that Ingress controllers and Gateway API
 * implementations build from them, with file:line per object. Read: Ingress (ingress-nginx, Kong, APISIX
 * annotations) and the ingress-nginx ConfigMap; Kong Ingress Controller KongPlugin, KongClusterPlugin, KongConsumer
 * and `konghq.com/plugins` on Ingress, HTTPRoute, GRPCRoute and Service; APISIX Ingress ApisixRoute, ApisixTls
 * (`client` mTLS), ApisixPluginConfig, ApisixConsumer, ApisixGlobalRule; Gateway API Gateway, HTTPRoute, GRPCRoute;
 * Envoy Gateway ClientTrafficPolicy, SecurityPolicy, BackendTrafficPolicy. Secrets referenced by name are not read;
 * a Secret written into the manifests with `data`/`stringData` is an inline credential (masked).
 */
import type { GatewayConfigEvidence, GatewayPluginEvidence, RouteEvidence, SourceLocation } from '../../../model/evidence.js';
import { applyPlugin, authKindOf, credential, credentialKind, levelFromTags, newRoute } from '../common.js';
import { emptyEvidence } from '../kong.js';
import type { YamlSource } from '../yaml-view.js';
import { collectApisixCrds } from './apisix.js';
import { collectGatewayApi } from './gateway-api.js';
import { collectIngresses, type NginxControllerConfig, nginxControllerConfig, nginxTlsListener } from './ingress.js';
import { annotationLoc, at, type K8sObject, K8sIndex, locOf, str } from './objects.js';

export interface KubernetesContext {
  idx: K8sIndex;
  ev: GatewayConfigEvidence;
  nginxConfig?: NginxControllerConfig;
  /** Kong plugins that apply to a route built from `o` (its annotation, its backend Service's, global ones). */
  kongPlugins(r: RouteEvidence, o: K8sObject, service: string | undefined): void;
  /** APISIX `k8s.apisix.apache.org/plugin-config-name` on an Ingress. */
  apisixPluginConfig(r: RouteEvidence, o: K8sObject): void;
  /** `konghq.com/protocol` of a Service (the hop to the upstream). */
  serviceProtocol(namespace: string, service: string): string | undefined;
  /** A reference to an object that is not among the manifests read. */
  missing(from: string, what: string, location: SourceLocation, hidesEvidence: boolean): void;
}

/** Kinds read here, and kinds that carry nothing about API traffic (Deployments, RBAC…): neither is reported. */
const READ = new Set([
  'Ingress', 'ConfigMap', 'Secret', 'Service', 'KongPlugin', 'KongClusterPlugin', 'KongConsumer', 'ApisixRoute', 'ApisixTls',
  'ApisixPluginConfig', 'ApisixConsumer', 'ApisixGlobalRule', 'ApisixUpstream', 'Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute',
  'ClientTrafficPolicy', 'SecurityPolicy', 'BackendTrafficPolicy', 'ReferenceGrant', 'BackendTLSPolicy', 'IngressClass',
]);
/** Gateway kinds that are read no further: they do not change routes' authentication, limits or client TLS. */
const NOTED = new Set(['TCPRoute', 'UDPRoute', 'TLSRoute', 'TCPIngress', 'UDPIngress', 'KongConsumerGroup', 'KongUpstreamPolicy', 'EnvoyProxy', 'KongIngress', 'ApisixClusterConfig', 'EnvoyExtensionPolicy', 'EnvoyPatchPolicy', 'BackendLBPolicy']);
/** API groups of gateways and ingress controllers: an object of one of them that is not read hides evidence. */
const GATEWAY_GROUPS = /(^|\.)(konghq\.com|apisix\.apache\.org|gateway\.networking\.k8s\.io|gateway\.envoyproxy\.io|traefik\.(io|containo\.us)|getambassador\.io|projectcontour\.io|networking\.istio\.io|security\.istio\.io|k8s\.nginx\.org|haproxy\.org|gloo\.solo\.io)$/;

/** Secret keys whose values are identifiers or public material, not credentials. */
const NOT_SECRET = /^(kongCredType|username|user|group|groups|key_id|algorithm|rsa_public_key|id|ca\.crt|tls\.crt|cert|certificate|ca|.*\.crt|.*\.pem\.pub)$/i;

export function collectKubernetes(file: string, sets: YamlSource[][]): GatewayConfigEvidence {
  const idx = new K8sIndex(sets);
  const ev = emptyEvidence(file, 'kubernetes');
  const missingSeen = new Set<string>();
  const globals: GatewayPluginEvidence[] = [];
  for (const p of idx.ofKind('KongClusterPlugin', 'KongPlugin')) {
    if (p.labels.global === 'true') {
      const g = kongPlugin(p);
      if (g) globals.push(g);
    }
  }
  const consumerPlugins: GatewayPluginEvidence[] = [];
  const c: KubernetesContext = {
    idx,
    ev,
    kongPlugins(r, o, service) {
      const refs: { names: string; from: K8sObject }[] = [];
      if (o.annotations['konghq.com/plugins']) refs.push({ names: o.annotations['konghq.com/plugins'], from: o });
      const svc = service ? idx.find('Service', o.namespace, service) : undefined;
      if (svc?.annotations['konghq.com/plugins']) refs.push({ names: svc.annotations['konghq.com/plugins'], from: svc });
      const seen = new Set(r.plugins.map((p) => p.name));
      for (const { names, from } of refs) {
        for (const ref of names.split(',').map((s) => s.trim()).filter(Boolean)) {
          const [ns, name] = ref.includes(':') ? ref.split(':', 2) : [from.namespace, ref];
          const obj = idx.find('KongPlugin', ns!, name!) ?? idx.ofKind('KongClusterPlugin').find((p) => p.name === name);
          if (!obj) {
            c.missing(`${from.kind} ${from.namespace}/${from.name} (konghq.com/plugins)`, `KongPlugin ${ns}/${name}`, annotationLoc(from, 'konghq.com/plugins'), true);
            continue;
          }
          const p = kongPlugin(obj);
          if (p && !seen.has(p.name)) {
            seen.add(p.name);
            applyPlugin(r, p);
          }
        }
      }
      for (const g of globals) if (!seen.has(g.name)) applyPlugin(r, g);
      // consumer rate limits count for routes that identify consumers (as in Kong's declarative config)
      if (r.auth.length && !r.rateLimits.length) {
        for (const p of consumerPlugins) {
          const scratch = newRoute(p.location);
          applyPlugin(scratch, p);
          r.rateLimits.push(...scratch.rateLimits);
        }
      }
    },
    apisixPluginConfig(r, o) {
      const name = o.annotations['k8s.apisix.apache.org/plugin-config-name'];
      if (!name) return;
      const pc = idx.find('ApisixPluginConfig', o.namespace, name);
      if (!pc) return c.missing(`Ingress ${o.namespace}/${o.name}`, `ApisixPluginConfig ${name}`, annotationLoc(o, 'k8s.apisix.apache.org/plugin-config-name'), true);
      for (const p of apisixPlugins(pc, at(pc, 'spec', 'plugins'))) applyPlugin(r, p);
    },
    serviceProtocol(namespace, service) {
      return idx.find('Service', namespace, service)?.annotations['konghq.com/protocol'];
    },
    missing(from, what, location, hidesEvidence) {
      const key = `${from} ${what}`;
      if (missingSeen.has(key)) return;
      missingSeen.add(key);
      ev.problems.push({ message: `${from} refers to ${what}, which is not among the manifests read: its effect is not assessed`, location, ...(hidesEvidence ? { hidesEvidence: true } : {}) });
    },
  };
  for (const kc of idx.ofKind('KongConsumer')) {
    for (const ref of (kc.annotations['konghq.com/plugins'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const obj = idx.find('KongPlugin', kc.namespace, ref) ?? idx.ofKind('KongClusterPlugin').find((p) => p.name === ref);
      const p = obj && kongPlugin(obj);
      if (p) consumerPlugins.push(p);
    }
  }
  c.nginxConfig = nginxControllerConfig(c);
  collectIngresses(c, c.nginxConfig);
  collectApisixCrds(c);
  collectGatewayApi(c);
  // the ingress-nginx ConfigMap on its own: it sets the controller's TLS for every Ingress it serves
  if (c.nginxConfig && !ev.listeners.some((l) => l.tls.enabled && l.address.startsWith('Ingress '))) {
    const o = c.nginxConfig.object;
    ev.listeners.push(nginxTlsListener(`ingress-nginx controller (ConfigMap ${o.namespace}/${o.name}) :443`, o.location, c.nginxConfig));
  }
  secrets(idx, ev);
  inlineConsumerCredentials(idx, ev);
  for (const o of idx.objects) {
    if (READ.has(o.kind)) continue;
    if (NOTED.has(o.kind)) ev.problems.push({ message: `${o.kind} ${o.namespace}/${o.name} is not read (it does not change routes' authentication, limits or client TLS)`, location: o.location });
    else if (GATEWAY_GROUPS.test(o.group)) {
      ev.problems.push({ message: `${o.kind} ${o.namespace}/${o.name} (${o.apiVersion}) is a gateway object this reader does not understand: what it configures is not assessed`, location: o.location, hidesEvidence: true });
    }
  }
  return ev;
}

/** The level a Kubernetes object declares for its routes: a `security-level` label, else annotation. */
export function objectLevel(o: K8sObject): RouteEvidence['declaredLevel'] {
  return levelFromTags([], o.labels) ?? levelFromTags([], o.annotations);
}

/** A KongPlugin / KongClusterPlugin as a plugin (`disabled: true` ones are not). */
export function kongPlugin(o: K8sObject): GatewayPluginEvidence | undefined {
  const name = str(o, 'plugin');
  if (!name || str(o, 'disabled') === 'true') return undefined;
  const config = o.y.obj(at(o, 'config'));
  if (at(o, 'configFrom')) config._configFromSecret = true; // the configuration lives in a Secret, which is not read
  return { name, config, location: o.location };
}

/** ApisixRoute / ApisixPluginConfig `plugins: [{name, enable, config}]`. */
export function apisixPlugins(o: K8sObject, list: ReturnType<typeof at>): GatewayPluginEvidence[] {
  const y = o.y;
  return y
    .items(list)
    .filter((p) => y.str(y.get(p, 'enable')) !== 'false')
    .map((p) => ({ name: y.str(y.get(p, 'name')) ?? '', config: y.obj(y.get(p, 'config')), location: locOf(o, p) }))
    .filter((p) => p.name);
}

function decode(value: string): string {
  try {
    const text = Buffer.from(value, 'base64').toString('utf8');
    return /^[\x09\x0a\x0d\x20-\x7e]*$/.test(text) ? text : value;
  } catch {
    return value;
  }
}

/** Secrets written into the manifests: every credential-like entry of `data` (base64) and `stringData`. */
function secrets(idx: K8sIndex, ev: GatewayConfigEvidence): void {
  for (const s of idx.ofKind('Secret')) {
    const y = s.y;
    const ctx = `${s.labels['konghq.com/credential'] ?? ''} ${str(s, 'type') ?? ''}`;
    for (const field of ['data', 'stringData'] as const) {
      for (const [k, v] of y.entries(at(s, field))) {
        const raw = y.str(v);
        if (!raw || NOT_SECRET.test(k)) continue;
        const value = field === 'data' ? decode(raw) : raw;
        if (/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(value) && !/PRIVATE KEY/.test(value)) continue;
        const kind = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value) ? 'private-key' : credentialKind(k, value, ctx) ?? (/^(tls\.key|key|secret|password|token|credentials?)$/i.test(k) ? (k === 'tls.key' ? 'private-key' : 'app-secret') : undefined);
        if (kind) ev.credentials.push(credential(kind, `Secret ${s.namespace}/${s.name} ${field}.${k}`, value, locOf(s, v)));
      }
    }
  }
}

/** ApisixConsumer `authParameter.<kind>.value` written inline (not a secretRef). */
function inlineConsumerCredentials(idx: K8sIndex, ev: GatewayConfigEvidence): void {
  for (const o of idx.ofKind('ApisixConsumer')) {
    const y = o.y;
    for (const [kind, n] of y.entries(at(o, 'spec', 'authParameter'))) {
      const value = y.get(n, 'value');
      const plugin = kind.replace(/([A-Z])/g, '-$1').toLowerCase(); // keyAuth → key-auth
      for (const [k, v] of y.entries(value)) {
        const s = y.str(v);
        if (!s) continue;
        const what = credentialKind(k, s, plugin) ?? (authKindOf(plugin) && /^(key|secret|password|secret_key|private_key)$/.test(k) ? 'app-secret' : undefined);
        if (what) ev.credentials.push(credential(what, `ApisixConsumer ${o.namespace}/${o.name} ${kind}.value.${k}`, s, locOf(o, v)));
      }
    }
  }
}
