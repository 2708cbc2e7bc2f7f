/**
 * APISIX Ingress Controller CRDs: ApisixRoute `http[]` rules (match, plugins, authentication, plugin_config_name),
 * ApisixTls (certificates per host, `client.caSecret` mTLS for the routes whose hosts it covers), ApisixPluginConfig
 * and ApisixGlobalRule. ApisixConsumer inline keys are read as credentials by the caller.
 */
import type { GatewayPluginEvidence, ListenerEvidence } from '../../../model/evidence.js';
import { applyPlugin, hostCovers, newRoute } from '../common.js';
import { apisixPlugins, type KubernetesContext, objectLevel } from './collect.js';
import { at, locOf } from './objects.js';

/** ApisixRoute `authentication.type` → the APISIX plugin that enforces it. */
const AUTH_TYPES: Record<string, string> = {
  keyAuth: 'key-auth',
  basicAuth: 'basic-auth',
  jwtAuth: 'jwt-auth',
  hmacAuth: 'hmac-auth',
  wolfRbac: 'wolf-rbac',
  ldapAuth: 'ldap-auth',
};

export function collectApisixCrds(c: KubernetesContext): void {
  const { idx, ev } = c;
  const tlsByHost: { hosts: string[]; mtls: boolean; listener: ListenerEvidence }[] = [];
  for (const t of idx.ofKind('ApisixTls')) {
    const y = t.y;
    const hosts = y.strs(at(t, 'spec', 'hosts'));
    const client = at(t, 'spec', 'client');
    const l: ListenerEvidence = { address: `ApisixTls ${t.namespace}/${t.name} (${hosts.join(',') || '*'})`, port: 443, tls: { enabled: true, location: t.location }, location: t.location };
    const mtls = !!y.get(client, 'caSecret');
    if (mtls) {
      l.tls.clientCertificate = 'required';
      l.tls.clientCertificateLocation = locOf(t, client);
    }
    ev.listeners.push(l);
    tlsByHost.push({ hosts, mtls, listener: l });
  }
  const globals: GatewayPluginEvidence[] = idx.ofKind('ApisixGlobalRule').flatMap((g) => apisixPlugins(g, at(g, 'spec', 'plugins')));
  for (const o of idx.ofKind('ApisixRoute')) {
    const y = o.y;
    y.items(at(o, 'spec', 'http')).forEach((h, i) => {
      const name = y.str(y.get(h, 'name')) ?? String(i);
      const match = y.get(h, 'match');
      const r = newRoute(locOf(o, h), `ApisixRoute ${o.namespace}/${o.name} ${name}`);
      r.hosts = y.strs(y.get(match, 'hosts'));
      r.declaredLevel = objectLevel(o);
      // APISIX paths: `/ip` exact, `/api/*` prefix
      r.paths = y.strs(y.get(match, 'paths')).map((p) => (p.endsWith('*') ? p.slice(0, -1) : `= ${p}`));
      r.methods = y.strs(y.get(match, 'methods')).map((m) => m.toUpperCase());
      const up = y.items(y.get(h, 'backends'))[0] ?? y.items(y.get(h, 'upstreams'))[0];
      if (up) r.upstream = y.str(y.get(up, 'serviceName')) ?? y.str(y.get(up, 'name'));
      const plugins = apisixPlugins(o, y.get(h, 'plugins'));
      const pcName = y.str(y.get(h, 'plugin_config_name'));
      if (pcName) {
        const pc = idx.find('ApisixPluginConfig', o.namespace, pcName);
        if (pc) plugins.push(...apisixPlugins(pc, at(pc, 'spec', 'plugins')));
        else c.missing(`ApisixRoute ${o.namespace}/${o.name}`, `ApisixPluginConfig ${pcName}`, locOf(o, y.get(h, 'plugin_config_name')), true);
      }
      const seen = new Set<string>();
      for (const p of [...plugins, ...globals]) {
        if (seen.has(p.name)) continue;
        seen.add(p.name);
        applyPlugin(r, p);
      }
      const auth = y.get(h, 'authentication');
      if (y.str(y.get(auth, 'enable')) === 'true') {
        const type = y.str(y.get(auth, 'type')) ?? '';
        const plugin = AUTH_TYPES[type];
        if (plugin) applyPlugin(r, { name: plugin, config: y.obj(y.get(auth, type)), location: locOf(o, auth) });
        else r.auth.push({ kind: 'custom', plugin: `authentication ${type}`, location: locOf(o, auth) });
      }
      const redirect = r.plugins.some((p) => p.name === 'redirect' && p.config.http_to_https === true);
      r.protocols = redirect ? ['https'] : ['http', 'https'];
      // ApisixTls client CA: only for routes whose every host it covers (a route without hosts answers any SNI)
      if (r.hosts.length) {
        const by = r.hosts.map((h) => tlsByHost.find((t) => t.mtls && t.hosts.some((p) => hostCovers(p, h))));
        if (by.every((t) => t)) r.auth.push({ kind: 'mtls', plugin: 'ApisixTls client', location: by[0]!.listener.tls.clientCertificateLocation ?? by[0]!.listener.location });
      }
      ev.routes.push(r);
    });
  }
}
