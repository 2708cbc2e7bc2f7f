/**
 * Gateway API (gateway.networking.k8s.io): Gateway listeners (protocol, TLS mode, certificate refs, frontend client
 * validation), HTTPRoute and GRPCRoute rules attached to them, and the policy attachments Envoy Gateway defines for
 * mTLS, TLS versions, authentication and rate limits (ClientTrafficPolicy, SecurityPolicy, BackendTrafficPolicy).
 */
import type { Node } from 'yaml';
import type { GatewayAuthKind, ListenerEvidence, RouteEvidence } from '../../../model/evidence.js';
import { hostCovers, newRoute } from '../common.js';
import { type KubernetesContext, objectLevel } from './collect.js';
import { at, type K8sObject, locOf, str } from './objects.js';

interface GatewayListener {
  gateway: K8sObject;
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  evidence: ListenerEvidence;
  /** Routes served on it that are not redirect-only. */
  serving: number;
  redirecting: number;
}

/** The policies of Envoy Gateway that attach to a Gateway (optionally one listener) or a route by name. */
function targets(o: K8sObject): { kind: string; name: string; sectionName?: string }[] {
  const y = o.y;
  const refs = [...y.items(at(o, 'spec', 'targetRefs')), ...(at(o, 'spec', 'targetRef') ? [at(o, 'spec', 'targetRef')!] : [])];
  return refs.map((r) => ({ kind: y.str(y.get(r, 'kind')) ?? '', name: y.str(y.get(r, 'name')) ?? '', sectionName: y.str(y.get(r, 'sectionName')) }));
}

/** Envoy Gateway's `"1.2"` (or `TLSv1_2`) → `TLSv1.2`; 1.0 is spelled `TLSv1` as everywhere in the model. */
function tlsVersion(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const n = v.replace(/^TLSv?/i, '').replace('_', '.');
  return n === '1.0' || n === '1' ? 'TLSv1' : `TLSv${n}`;
}

const ORDER = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export function collectGatewayApi(c: KubernetesContext): void {
  const { idx, ev } = c;
  const envoyClasses = new Set(idx.ofKind('GatewayClass').filter((g) => /envoyproxy\.io/.test(str(g, 'spec', 'controllerName') ?? '')).map((g) => g.name));
  const clientPolicies = idx.ofKind('ClientTrafficPolicy');
  const listeners: GatewayListener[] = [];

  for (const g of idx.ofKind('Gateway').filter((o) => o.group === 'gateway.networking.k8s.io' || o.group === '')) {
    const y = g.y;
    const envoy = envoyClasses.has(str(g, 'spec', 'gatewayClassName') ?? '');
    const frontend = at(g, 'spec', 'tls', 'frontend');
    for (const l of y.items(at(g, 'spec', 'listeners'))) {
      const name = y.str(y.get(l, 'name')) ?? '';
      const port = Number(y.str(y.get(l, 'port')));
      const protocol = (y.str(y.get(l, 'protocol')) ?? 'HTTP').toUpperCase();
      const hostname = y.str(y.get(l, 'hostname'));
      const tlsNode = y.get(l, 'tls');
      const location = locOf(g, l);
      const tls = protocol === 'HTTPS' || protocol === 'TLS';
      const e: ListenerEvidence = { address: `Gateway ${g.namespace}/${g.name} ${name} :${port} ${protocol}`, port: Number.isFinite(port) ? port : undefined, tls: { enabled: tls, location }, location };
      if (tls) {
        const mode = y.str(y.get(tlsNode, 'mode')) ?? 'Terminate';
        const refs = y.items(y.get(tlsNode, 'certificateRefs')).map((r) => y.str(y.get(r, 'name'))).filter(Boolean);
        if (refs.length) e.tls.certificate = refs.join(',');
        if (mode === 'Passthrough') e.address += ' (passthrough: TLS ends at the backend)';
        // client certificate validation: Gateway API 1.3 spec.tls.frontend (default / perPort), 1.1-1.2 listener frontendValidation
        const perPort = y.items(y.get(frontend, 'perPort')).find((p) => y.str(y.get(p, 'port')) === String(port));
        const validation = (perPort ? y.get(y.get(perPort, 'tls'), 'validation') : undefined) ?? y.get(y.get(frontend, 'default'), 'validation') ?? y.get(tlsNode, 'frontendValidation');
        if (validation && y.items(y.get(validation, 'caCertificateRefs')).length) {
          e.tls.clientCertificate = y.str(y.get(validation, 'mode')) === 'AllowInsecureFallback' ? 'optional' : 'required';
          e.tls.clientCertificateLocation = locOf(g, validation);
        }
        if (envoy) {
          e.tls.protocols = ['TLSv1.2', 'TLSv1.3']; // Envoy Gateway's default minimum and maximum
          e.tls.defaults = ['ssl_protocols'];
        }
      }
      listeners.push({ gateway: g, name, port, protocol, hostname, evidence: e, serving: 0, redirecting: 0 });
    }
  }

  // Envoy Gateway ClientTrafficPolicy: client validation and TLS versions/ciphers of a Gateway (or one listener)
  for (const p of clientPolicies) {
    const y = p.y;
    const tls = at(p, 'spec', 'tls');
    if (!tls) continue;
    for (const t of targets(p).filter((t) => t.kind === 'Gateway')) {
      const hit = listeners.filter((l) => l.gateway.name === t.name && l.gateway.namespace === p.namespace && (!t.sectionName || l.name === t.sectionName) && l.evidence.tls.enabled);
      for (const l of hit) {
        const cv = y.get(tls, 'clientValidation');
        if (cv && y.items(y.get(cv, 'caCertificateRefs')).length) {
          l.evidence.tls.clientCertificate = y.str(y.get(cv, 'optional')) === 'true' ? 'optional' : 'required';
          l.evidence.tls.clientCertificateLocation = locOf(p, cv);
        }
        const min = tlsVersion(y.str(y.get(tls, 'minVersion')));
        const max = tlsVersion(y.str(y.get(tls, 'maxVersion'))) ?? 'TLSv1.3';
        if (min) {
          const from = ORDER.indexOf(min);
          l.evidence.tls.protocols = from < 0 ? [min] : ORDER.slice(from, Math.max(from, ORDER.indexOf(max)) + 1);
          l.evidence.tls.location = locOf(p, y.get(tls, 'minVersion'));
          l.evidence.tls.defaults = (l.evidence.tls.defaults ?? []).filter((d) => d !== 'ssl_protocols');
        }
        const ciphers = y.strs(y.get(tls, 'ciphers'));
        if (ciphers.length) {
          l.evidence.tls.ciphers = ciphers.join(':');
          l.evidence.tls.ciphersLocation = locOf(p, y.get(tls, 'ciphers'));
        }
      }
      if (!hit.length) c.missing(`ClientTrafficPolicy ${p.namespace}/${p.name}`, `Gateway ${t.name}`, p.location, false);
    }
  }

  const security = c.idx.ofKind('SecurityPolicy');
  const backendPolicies = c.idx.ofKind('BackendTrafficPolicy');
  const policiesFor = (list: K8sObject[], route: K8sObject, gateways: string[]) =>
    list.filter((p) => p.namespace === route.namespace && targets(p).some((t) => (t.kind === route.kind && t.name === route.name) || (t.kind === 'Gateway' && gateways.includes(t.name))));

  for (const o of c.idx.ofKind('HTTPRoute', 'GRPCRoute')) {
    const y = o.y;
    const hostnames = y.strs(at(o, 'spec', 'hostnames'));
    const parents = y.items(at(o, 'spec', 'parentRefs')).map((p) => ({
      name: y.str(y.get(p, 'name')) ?? '',
      namespace: y.str(y.get(p, 'namespace')) ?? o.namespace,
      sectionName: y.str(y.get(p, 'sectionName')),
      port: y.str(y.get(p, 'port')),
      kind: y.str(y.get(p, 'kind')) ?? 'Gateway',
    }));
    const attached: GatewayListener[] = [];
    for (const p of parents.filter((p) => p.kind === 'Gateway')) {
      const ls = listeners.filter(
        (l) =>
          l.gateway.name === p.name &&
          l.gateway.namespace === p.namespace &&
          (!p.sectionName || l.name === p.sectionName) &&
          (!p.port || String(l.port) === p.port) &&
          /^(HTTP|HTTPS)$/.test(l.protocol) &&
          (!l.hostname || !hostnames.length || hostnames.some((h) => hostCovers(l.hostname!, h) || hostCovers(h, l.hostname!))),
      );
      if (!ls.length) c.missing(`${o.kind} ${o.namespace}/${o.name}`, `Gateway ${p.namespace}/${p.name}${p.sectionName ? ` listener ${p.sectionName}` : ''}`, o.location, true);
      attached.push(...ls);
    }
    const gatewayNames = [...new Set(attached.map((l) => l.gateway.name))];
    const secPolicies = policiesFor(security, o, gatewayNames);
    const ratePolicies = policiesFor(backendPolicies, o, gatewayNames);
    y.items(at(o, 'spec', 'rules')).forEach((rule, i) => {
      const filters = y.items(y.get(rule, 'filters'));
      const redirect = filters.some((f) => y.str(y.get(f, 'type')) === 'RequestRedirect' && y.str(y.get(y.get(f, 'requestRedirect'), 'scheme')) === 'https');
      const backends = y.items(y.get(rule, 'backendRefs'));
      if (redirect && !backends.length) {
        for (const l of attached) l.redirecting++;
        return; // a rule that only redirects to https serves nothing
      }
      for (const l of attached) l.serving++;
      const matches = y.items(y.get(rule, 'matches'));
      const paths = matches.length ? matches.map((m) => matchPath(o, m)) : ['/'];
      const methods = matches.map((m) => y.str(y.get(m, 'method'))).filter((m): m is string => !!m && o.kind === 'HTTPRoute');
      const r = newRoute(locOf(o, rule), `${o.kind} ${o.namespace}/${o.name} rule ${i}`);
      r.hosts = hostnames;
      r.declaredLevel = objectLevel(o);
      r.paths = [...new Set(paths)];
      r.methods = methods.length === matches.length ? [...new Set(methods.map((m) => m.toUpperCase()))] : [];
      const grpc = o.kind === 'GRPCRoute';
      r.protocols = [...new Set(attached.map((l) => (l.evidence.tls.enabled ? (grpc ? 'grpcs' : 'https') : grpc ? 'grpc' : 'http')))];
      const b = backends[0];
      if (b) r.upstream = `${y.str(y.get(b, 'name'))}${y.str(y.get(b, 'port')) ? `:${y.str(y.get(b, 'port'))}` : ''}`;
      // mTLS when every listener the rule is served on validates client certificates
      const mtls = attached.filter((l) => l.evidence.tls.clientCertificate === 'required');
      if (attached.length && mtls.length === attached.length) r.auth.push({ kind: 'mtls', plugin: 'client certificate validation', location: mtls[0]!.evidence.tls.clientCertificateLocation ?? mtls[0]!.evidence.location });
      const optional = attached.find((l) => l.evidence.tls.clientCertificate === 'optional');
      if (optional && !r.auth.some((a) => a.kind === 'mtls')) {
        r.plugins.push({ name: 'client certificate validation', config: { args: ['optional'] }, location: optional.evidence.tls.clientCertificateLocation ?? optional.evidence.location });
      }
      for (const p of secPolicies) securityPolicy(p, r);
      for (const p of ratePolicies) rateLimit(p, r);
      c.kongPlugins(r, o, b ? y.str(y.get(b, 'name')) : undefined);
      c.ev.routes.push(r);
    });
  }

  for (const l of listeners) {
    if (!l.evidence.tls.enabled && l.redirecting > 0 && l.serving === 0) l.evidence.redirectsToHttps = true;
    ev.listeners.push(l.evidence);
  }
}

function matchPath(o: K8sObject, m: Node): string {
  const y = o.y;
  const grpc = y.get(m, 'method');
  if (o.kind === 'GRPCRoute') {
    const svc = y.str(y.get(grpc, 'service'));
    const method = y.str(y.get(grpc, 'method'));
    return svc ? `/${svc}/${method ?? ''}` : '/';
  }
  const path = y.get(m, 'path');
  const type = y.str(y.get(path, 'type')) ?? 'PathPrefix';
  const value = y.str(y.get(path, 'value')) ?? '/';
  return type === 'Exact' ? `= ${value}` : type === 'RegularExpression' ? `~ ${value}` : value;
}

const SECURITY_KINDS: [string, GatewayAuthKind][] = [
  ['jwt', 'jwt'],
  ['oidc', 'oidc'],
  ['basicAuth', 'basic'],
  ['apiKeyAuth', 'key'],
  ['extAuth', 'custom'],
];

/** Envoy Gateway SecurityPolicy → authentication and client-CIDR lists of the route. */
function securityPolicy(p: K8sObject, r: RouteEvidence): void {
  const y = p.y;
  for (const [key, kind] of SECURITY_KINDS) {
    const n = at(p, 'spec', key);
    if (n) r.auth.push({ kind, plugin: `SecurityPolicy ${p.name} ${key}`, location: locOf(p, n) });
  }
  const authz = at(p, 'spec', 'authorization');
  for (const rule of y.items(y.get(authz, 'rules'))) {
    const cidrs = y.strs(y.get(y.get(rule, 'principal'), 'clientCIDRs'));
    const action = (y.str(y.get(rule, 'action')) ?? 'Allow').toLowerCase() === 'deny' ? 'deny' : 'allow';
    if (cidrs.length) r.accessLists.push({ plugin: `SecurityPolicy ${p.name} authorization`, mode: action, entries: cidrs, location: locOf(p, rule) });
  }
}

const UNIT_SECONDS: Record<string, number> = { Second: 1, Minute: 60, Hour: 3600, Day: 86400 };

/** Envoy Gateway BackendTrafficPolicy rate limits (local or global) → the route's flow control. */
function rateLimit(p: K8sObject, r: RouteEvidence): void {
  const y = p.y;
  const rl = at(p, 'spec', 'rateLimit');
  if (!rl) return;
  const rules = [...y.items(y.get(y.get(rl, 'local'), 'rules')), ...y.items(y.get(y.get(rl, 'global'), 'rules'))];
  const first = rules[0];
  const limit = y.get(first, 'limit');
  const requests = Number(y.str(y.get(limit, 'requests')));
  const unit = UNIT_SECONDS[y.str(y.get(limit, 'unit')) ?? ''];
  r.rateLimits.push({ plugin: `BackendTrafficPolicy ${p.name} rateLimit`, ratePerSecond: Number.isFinite(requests) && unit ? requests / unit : undefined, location: locOf(p, rl) });
}
