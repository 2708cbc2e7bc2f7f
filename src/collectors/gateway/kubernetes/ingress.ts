/**
 * Ingress (networking.k8s.io/v1, and the removed v1beta1 / extensions/v1beta1 shapes) with the meaning its
 * controller gives it: ingress-nginx annotations (mTLS, basic/external auth, rate limits, source ranges, ciphers,
 * redirects, access log) and its ConfigMap (ssl-protocols, ssl-ciphers, log-format-upstream, server-tokens); Kong
 * Ingress Controller annotations (`konghq.com/plugins`, `konghq.com/protocols`); APISIX Ingress annotations.
 */
import type { ListenerEvidence, RouteEvidence, SourceLocation } from '../../../model/evidence.js';
import { hostCovers, newRoute } from '../common.js';
import { logFieldsOf } from '../nginx/collect.js';
import { type KubernetesContext, objectLevel } from './collect.js';
import { annotationLoc, at, type K8sObject, locOf, str } from './objects.js';

const NGINX = 'nginx.ingress.kubernetes.io/';

/** ingress-nginx defaults (docs/user-guide/nginx-configuration/configmap.md). */
export const INGRESS_NGINX_DEFAULTS = {
  protocols: ['TLSv1.2', 'TLSv1.3'],
  ciphers:
    'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384',
  logFormat:
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id',
};

/** Keys that only the ingress-nginx controller ConfigMap has. */
const NGINX_CONFIGMAP_KEYS = /^(ssl-protocols|ssl-ciphers|log-format-upstream|log-format-escape-json|use-forwarded-headers|enable-access-log|server-tokens|hsts|ssl-redirect|proxy-body-size|use-http2|allow-snippet-annotations|enable-ocsp|hide-headers)$/;

export interface NginxControllerConfig {
  protocols?: { value: string[]; location: SourceLocation };
  ciphers?: { value: string; location: SourceLocation };
  logFormat?: { value: string; location: SourceLocation };
  object: K8sObject;
}

/** The ingress-nginx controller ConfigMap, if one is among the manifests (recognised by its keys). */
export function nginxControllerConfig(c: KubernetesContext): NginxControllerConfig | undefined {
  for (const o of c.idx.ofKind('ConfigMap')) {
    const data = at(o, 'data');
    const keys = o.y.entries(data).map(([k]) => k);
    if (!keys.some((k) => NGINX_CONFIGMAP_KEYS.test(k))) continue;
    const val = (k: string) => o.y.str(o.y.get(data, k));
    const loc = (k: string) => locOf(o, o.y.get(data, k));
    const cfg: NginxControllerConfig = { object: o };
    if (val('ssl-protocols')) cfg.protocols = { value: val('ssl-protocols')!.split(/\s+/).filter(Boolean), location: loc('ssl-protocols') };
    if (val('ssl-ciphers')) cfg.ciphers = { value: val('ssl-ciphers')!, location: loc('ssl-ciphers') };
    if (val('log-format-upstream')) cfg.logFormat = { value: val('log-format-upstream')!, location: loc('log-format-upstream') };
    if (val('server-tokens') === 'true') c.ev.disclosures.push({ setting: 'ConfigMap server-tokens', value: 'true', location: loc('server-tokens') });
    return cfg;
  }
  return undefined;
}

/** A TLS listener with the controller's protocols and ciphers (ConfigMap, else its documented defaults). */
export function nginxTlsListener(address: string, location: SourceLocation, cfg: NginxControllerConfig | undefined, cipherAnnotation?: { value: string; location: SourceLocation }): ListenerEvidence {
  const l: ListenerEvidence = { address, port: 443, tls: { enabled: true, location }, location };
  const defaults: string[] = [];
  l.tls.protocols = cfg?.protocols?.value ?? (defaults.push('ssl_protocols'), INGRESS_NGINX_DEFAULTS.protocols);
  if (cfg?.protocols) l.tls.location = cfg.protocols.location;
  const ciphers = cipherAnnotation ?? cfg?.ciphers;
  l.tls.ciphers = ciphers?.value ?? (defaults.push('ssl_ciphers'), INGRESS_NGINX_DEFAULTS.ciphers);
  if (ciphers) l.tls.ciphersLocation = ciphers.location;
  if (defaults.length) l.tls.defaults = defaults;
  return l;
}

export type Controller = 'ingress-nginx' | 'kong' | 'apisix' | 'unknown';

function controllerOf(o: K8sObject): Controller {
  const cls = (str(o, 'spec', 'ingressClassName') ?? o.annotations['kubernetes.io/ingress.class'] ?? '').toLowerCase();
  if (cls.includes('kong')) return 'kong';
  if (cls.includes('apisix')) return 'apisix';
  if (cls.includes('nginx')) return 'ingress-nginx';
  const keys = Object.keys(o.annotations);
  if (keys.some((k) => k.startsWith(NGINX))) return 'ingress-nginx';
  if (keys.some((k) => k.startsWith('konghq.com/'))) return 'kong';
  if (keys.some((k) => k.startsWith('k8s.apisix.apache.org/'))) return 'apisix';
  return 'unknown';
}

/** ingress-nginx annotation names that do nothing without the prefix (a common misconfiguration). */
const NGINX_ANNOTATION_NAMES = /^(auth-tls-[a-z-]+|auth-type|auth-secret|auth-url|ssl-redirect|force-ssl-redirect|backend-protocol|limit-(rps|rpm|connections)|whitelist-source-range|allowlist-source-range|denylist-source-range|enable-access-log|ssl-ciphers|configuration-snippet|server-snippet)$/;

interface Backend {
  service?: string;
  port?: string;
}

function backendOf(o: K8sObject, n: unknown): Backend {
  const y = o.y;
  const svc = y.get(n, 'service');
  if (svc) return { service: y.str(y.get(svc, 'name')), port: y.str(y.get(y.get(svc, 'port'), 'number')) ?? y.str(y.get(y.get(svc, 'port'), 'name')) };
  return { service: y.str(y.get(n, 'serviceName')), port: y.str(y.get(n, 'servicePort')) };
}

export function collectIngresses(c: KubernetesContext, cfg: NginxControllerConfig | undefined): void {
  for (const o of c.idx.ofKind('Ingress')) {
    const y = o.y;
    const controller = controllerOf(o);
    const ann = (k: string) => o.annotations[k];
    const nginx = (k: string) => (controller === 'ingress-nginx' ? o.annotations[NGINX + k] : undefined);
    const id = `${o.namespace}/${o.name}`;
    if (controller === 'unknown') {
      c.ev.problems.push({ message: `Ingress ${id} names no ingress class or controller annotations: read with the Ingress API's own meaning (TLS for spec.tls hosts); controller-specific settings are unknown`, location: o.location });
    }
    for (const k of Object.keys(o.annotations)) {
      if (!k.includes('/') && NGINX_ANNOTATION_NAMES.test(k)) {
        c.ev.problems.push({ message: `Ingress ${id}: annotation "${k}" lacks the ${NGINX} prefix, so ingress-nginx ignores it`, location: annotationLoc(o, k) });
      }
    }
    for (const k of ['configuration-snippet', 'server-snippet']) {
      if (nginx(k)) c.ev.problems.push({ message: `Ingress ${id}: ${NGINX}${k} injects raw nginx directives, which are not assessed`, location: annotationLoc(o, NGINX + k) });
    }
    const tlsHosts: string[] = [];
    let tlsAll = false;
    for (const t of y.items(at(o, 'spec', 'tls'))) {
      const hosts = y.strs(y.get(t, 'hosts'));
      if (hosts.length) tlsHosts.push(...hosts);
      else tlsAll = true;
    }
    const hasTls = tlsAll || tlsHosts.length > 0;
    const hostTls = (h: string | undefined) => tlsAll || (h !== undefined && tlsHosts.some((p) => hostCovers(p, h)));
    const protocolsFor = (host: string | undefined): string[] => {
      if (controller === 'kong') {
        const p = (ann('konghq.com/protocols') ?? 'http,https').split(',').map((s) => s.trim()).filter(Boolean);
        return p;
      }
      if (controller === 'apisix') return ann('k8s.apisix.apache.org/http-to-https') === 'true' ? ['https'] : hostTls(host) ? ['http', 'https'] : ['http'];
      if (controller === 'ingress-nginx') {
        if (hostTls(host)) return nginx('ssl-redirect') === 'false' ? ['http', 'https'] : ['https'];
        return nginx('force-ssl-redirect') === 'true' ? ['https'] : ['http'];
      }
      return hostTls(host) ? ['https'] : ['http'];
    };

    // the controller's listeners as this Ingress uses them
    const cipherAnn = nginx('ssl-ciphers') ? { value: nginx('ssl-ciphers')!, location: annotationLoc(o, `${NGINX}ssl-ciphers`) } : undefined;
    let tlsListener: ListenerEvidence | undefined;
    if (hasTls) {
      const address = `Ingress ${id} :443 (${tlsAll ? '*' : tlsHosts.join(',')})`;
      const loc = locOf(o, at(o, 'spec', 'tls'));
      tlsListener = controller === 'ingress-nginx' ? nginxTlsListener(address, loc, cfg, cipherAnn) : { address, port: 443, tls: { enabled: true, location: loc }, location: loc };
      const verify = nginx('auth-tls-secret') ? (nginx('auth-tls-verify-client') ?? 'on') : undefined;
      if (verify) {
        tlsListener.tls.clientCertificate = verify === 'on' ? 'required' : /^optional/.test(verify) ? 'optional' : 'off';
        tlsListener.tls.clientCertificateLocation = annotationLoc(o, `${NGINX}auth-tls-${nginx('auth-tls-verify-client') ? 'verify-client' : 'secret'}`);
      }
      c.ev.listeners.push(tlsListener);
    }

    const routes: RouteEvidence[] = [];
    const addRoute = (host: string | undefined, path: string, backend: Backend, loc: SourceLocation) => {
      const r = newRoute(loc, `Ingress ${id} ${host ?? '*'} ${path}`);
      r.hosts = host ? [host] : [];
      r.paths = [path];
      r.protocols = protocolsFor(host);
      r.declaredLevel = objectLevel(o);
      const scheme = (nginx('backend-protocol') ?? (controller === 'kong' && backend.service ? c.serviceProtocol(o.namespace, backend.service) : undefined) ?? 'http').toLowerCase();
      if (backend.service) r.upstream = `${scheme}://${backend.service}.${o.namespace}${backend.port ? `:${backend.port}` : ''}`;
      if (controller === 'ingress-nginx') nginxAnnotations(c, o, r, tlsListener);
      if (controller === 'kong') c.kongPlugins(r, o, backend.service);
      if (controller === 'apisix') c.apisixPluginConfig(r, o);
      routes.push(r);
    };
    const def = at(o, 'spec', 'defaultBackend') ?? at(o, 'spec', 'backend');
    if (def) addRoute(undefined, '/', backendOf(o, def), locOf(o, def));
    for (const rule of y.items(at(o, 'spec', 'rules'))) {
      const host = y.str(y.get(rule, 'host'));
      for (const p of y.items(y.get(y.get(rule, 'http'), 'paths'))) {
        const path = y.str(y.get(p, 'path')) ?? '/';
        const type = y.str(y.get(p, 'pathType')) ?? 'ImplementationSpecific';
        const regex = nginx('use-regex') === 'true' || (controller === 'kong' && path.startsWith('/~'));
        const written = type === 'Exact' ? `= ${path}` : regex ? `~* ${controller === 'kong' ? path.slice(2) : path}` : path;
        addRoute(host, written, backendOf(o, y.get(p, 'backend')), locOf(o, p));
      }
    }
    c.ev.routes.push(...routes);
    // plain :80 of the controller for this Ingress: redirect-only when every route is https-only
    const plainServed = routes.some((r) => r.protocols.includes('http'));
    const loc80 = o.location;
    c.ev.listeners.push({ address: `Ingress ${id} :80`, port: 80, tls: { enabled: false, location: loc80 }, location: loc80, ...(routes.length && !plainServed ? { redirectsToHttps: true } : {}) });
  }
}

/** ingress-nginx per-Ingress annotations → the route's controls. */
function nginxAnnotations(c: KubernetesContext, o: K8sObject, r: RouteEvidence, tls: ListenerEvidence | undefined): void {
  const a = (k: string) => o.annotations[NGINX + k];
  const loc = (k: string) => annotationLoc(o, NGINX + k);
  if (a('auth-tls-secret')) {
    // auth-tls-verify-client defaults to "on" once a CA secret is set
    const verify = a('auth-tls-verify-client') ?? 'on';
    const at = loc(a('auth-tls-verify-client') ? 'auth-tls-verify-client' : 'auth-tls-secret');
    r.plugins.push({ name: 'auth-tls-verify-client', config: { args: [verify] }, location: at });
    // client certificates are checked on TLS only: a route also served over plain http is not mutually authenticated
    if (verify === 'on' && tls && !r.protocols.includes('http')) r.auth.push({ kind: 'mtls', plugin: 'auth-tls-verify-client', location: at });
  }
  const authType = a('auth-type');
  if (authType && a('auth-secret')) r.auth.push({ kind: 'basic', plugin: `auth-type ${authType}`, location: loc('auth-type') });
  if (a('auth-url')) r.auth.push({ kind: 'custom', plugin: 'auth-url', location: loc('auth-url') });
  const num = (k: string) => (a(k) && /^\d+$/.test(a(k)!) ? Number(a(k)) : undefined);
  if (num('limit-rps') !== undefined) r.rateLimits.push({ plugin: 'limit-rps', ratePerSecond: num('limit-rps'), location: loc('limit-rps') });
  if (num('limit-rpm') !== undefined) r.rateLimits.push({ plugin: 'limit-rpm', ratePerSecond: num('limit-rpm')! / 60, location: loc('limit-rpm') });
  if (num('limit-connections') !== undefined) r.rateLimits.push({ plugin: 'limit-connections', concurrency: num('limit-connections'), location: loc('limit-connections') });
  for (const [k, mode] of [['whitelist-source-range', 'allow'], ['allowlist-source-range', 'allow'], ['denylist-source-range', 'deny']] as const) {
    if (a(k)) r.accessLists.push({ plugin: k, mode, entries: a(k)!.split(',').map((s) => s.trim()).filter(Boolean), location: loc(k) });
  }
  if (a('enable-access-log') === 'false') r.logging.push({ enabled: false, plugin: 'enable-access-log false', location: loc('enable-access-log') });
  else {
    const fmt = c.nginxConfig?.logFormat;
    const format = fmt?.value ?? INGRESS_NGINX_DEFAULTS.logFormat;
    r.logging.push({ enabled: true, plugin: fmt ? 'ingress-nginx log-format-upstream' : 'ingress-nginx default access log', format, fields: logFieldsOf(format), location: fmt?.location ?? o.location });
  }
}
