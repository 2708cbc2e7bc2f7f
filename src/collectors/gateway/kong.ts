/**
 * Kong: decK / declarative configuration (`_format_version` 1.1–3.x, or none as in decK's own examples),
 * YAML or JSON, and the node's `kong.conf` (listeners, TLS, headers).
 *
 * Effective plugins per route = route's + its service's + global (top-level plugins bound to no entity),
 * as Kong runs them; consumer and consumer-group rate limits count for routes that identify consumers.
 * Route `protocols` default to http+https (Kong's default), so a route without them accepts plaintext.
 * A service's `protocol: http` is the hop to the upstream, recorded as the route's upstream, not a client listener.
 */
import type { GatewayConfigEvidence, GatewayPluginEvidence, ListenerEvidence, RouteEvidence, SourceLocation } from '../../model/evidence.js';
import { applyPlugin, credential, credentialKind, levelFromTags, newRoute } from './common.js';
import { type YamlSource, YamlView } from './yaml-view.js';
import type { Node } from 'yaml';

export function emptyEvidence(file: string, format: GatewayConfigEvidence['format']): GatewayConfigEvidence {
  return { kind: 'gateway', file, format, listeners: [], routes: [], globalPlugins: [], credentials: [], disclosures: [], problems: [], digests: {} };
}

interface PluginRef {
  plugin: GatewayPluginEvidence;
  service?: string;
  route?: string;
  consumer?: string;
}

function pluginsOf(y: YamlView, node: Node | undefined, pointer: string): PluginRef[] {
  const out: PluginRef[] = [];
  y.items(node).forEach((p, i) => {
    const name = y.str(y.get(p, 'name'));
    if (!name) return;
    if (y.str(y.get(p, 'enabled')) === 'false') return;
    const ref = (k: string) => {
      const v = y.get(p, k);
      return y.str(v) ?? y.str(y.get(v, 'name')) ?? y.str(y.get(v, 'id'));
    };
    out.push({
      plugin: { name, config: y.obj(y.get(p, 'config')), location: y.loc(p, `${pointer}/${i}`) },
      service: ref('service'),
      route: ref('route'),
      consumer: ref('consumer'),
    });
  });
  return out;
}

function upstreamOf(y: YamlView, svc: Node): string | undefined {
  const url = y.str(y.get(svc, 'url'));
  if (url) return url;
  const host = y.str(y.get(svc, 'host'));
  if (!host) return undefined;
  const protocol = y.str(y.get(svc, 'protocol')) ?? 'http';
  const port = y.str(y.get(svc, 'port'));
  return `${protocol}://${host}${port ? `:${port}` : ''}${y.str(y.get(svc, 'path')) ?? ''}`;
}

export function collectKongDeclarative(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'kong');
  const root = src.root;
  const globals: PluginRef[] = [];
  const byService = new Map<string, PluginRef[]>();
  const byRoute = new Map<string, PluginRef[]>();
  const consumerLimits: GatewayPluginEvidence[] = [];

  const topPlugins = pluginsOf(y, y.get(root, 'plugins'), '/plugins');
  for (const p of topPlugins) {
    if (p.route) byRoute.set(p.route, [...(byRoute.get(p.route) ?? []), p]);
    else if (p.service) byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
    else if (p.consumer) consumerLimits.push(p.plugin);
    else globals.push(p);
  }
  ev.globalPlugins = globals.map((g) => g.plugin);

  y.items(y.get(root, 'consumers')).forEach((c, i) => {
    for (const p of pluginsOf(y, y.get(c, 'plugins'), `/consumers/${i}/plugins`)) consumerLimits.push(p.plugin);
  });
  y.items(y.get(root, 'consumer_groups')).forEach((g, i) => {
    for (const p of pluginsOf(y, y.get(g, 'plugins'), `/consumer_groups/${i}/plugins`)) consumerLimits.push(p.plugin);
  });

  const addRoute = (r: Node, pointer: string, svc: Node | undefined, svcPlugins: PluginRef[]) => {
    const name = y.str(y.get(r, 'name')) ?? y.str(y.get(r, 'id'));
    const route: RouteEvidence = newRoute(y.loc(r, pointer), name);
    route.paths = y.strs(y.get(r, 'paths'));
    route.hosts = y.strs(y.get(r, 'hosts'));
    route.methods = y.strs(y.get(r, 'methods')).map((m) => m.toUpperCase());
    const protocols = y.strs(y.get(r, 'protocols'));
    route.protocols = protocols.length ? protocols : ['http', 'https'];
    route.tags = y.strs(y.get(r, 'tags'));
    const svcTags = svc ? y.strs(y.get(svc, 'tags')) : [];
    route.declaredLevel = levelFromTags(route.tags) ?? levelFromTags(svcTags);
    if (svc) route.upstream = upstreamOf(y, svc);
    const own = pluginsOf(y, y.get(r, 'plugins'), `${pointer}/plugins`);
    const named = [...(name ? byRoute.get(name) ?? [] : [])];
    // route plugins override service plugins of the same name, which override global ones (Kong precedence)
    const seen = new Set<string>();
    for (const p of [...own, ...named, ...svcPlugins, ...globals]) {
      if (p.consumer || seen.has(p.plugin.name)) continue;
      seen.add(p.plugin.name);
      applyPlugin(route, p.plugin);
    }
    if (route.auth.length && route.rateLimits.length === 0) {
      for (const p of consumerLimits) {
        const scratch = newRoute(p.location);
        applyPlugin(scratch, p);
        route.rateLimits.push(...scratch.rateLimits);
      }
    }
    ev.routes.push(route);
  };

  y.items(y.get(root, 'services')).forEach((svc, i) => {
    const sname = y.str(y.get(svc, 'name')) ?? y.str(y.get(svc, 'id'));
    const svcPlugins = [...pluginsOf(y, y.get(svc, 'plugins'), `/services/${i}/plugins`), ...(sname ? byService.get(sname) ?? [] : [])];
    y.items(y.get(svc, 'routes')).forEach((r, j) => addRoute(r, `/services/${i}/routes/${j}`, svc, svcPlugins));
  });
  const services = y.items(y.get(root, 'services'));
  y.items(y.get(root, 'routes')).forEach((r, j) => {
    const sref = y.get(r, 'service');
    const sname = y.str(sref) ?? y.str(y.get(sref, 'name')) ?? y.str(y.get(sref, 'id'));
    const svc = services.find((s) => y.str(y.get(s, 'name')) === sname || y.str(y.get(s, 'id')) === sname);
    const svcIndex = svc ? services.indexOf(svc) : -1;
    const svcPlugins = svc ? [...pluginsOf(y, y.get(svc, 'plugins'), `/services/${svcIndex}/plugins`), ...(sname ? byService.get(sname) ?? [] : [])] : [];
    addRoute(r, `/routes/${j}`, svc, svcPlugins);
  });

  // jwt lifetimes bounded on the consumer side are not a Kong concept; oauth2 credentials carry none either.
  ev.credentials = y.credentials(root, '', '');
  return ev;
}

/** kong.conf defaults (Kong 3.x kong.conf.default) for what a node config does not set. */
const KONG_CONF_DEFAULTS: Record<string, string> = {
  proxy_listen: '0.0.0.0:8000 reuseport backlog=16384, 0.0.0.0:8443 http2 ssl reuseport backlog=16384',
  admin_listen: '127.0.0.1:8001 reuseport backlog=16384, 127.0.0.1:8444 http2 ssl reuseport backlog=16384',
  status_listen: 'off',
  ssl_protocols: 'TLSv1.2 TLSv1.3',
  ssl_cipher_suite: 'intermediate',
  headers: 'server_tokens, latency_tokens, X-Kong-Request-Id',
  proxy_access_log: 'logs/access.log',
};

/** Mozilla "intermediate" (Kong's default ssl_cipher_suite), as an OpenSSL cipher string. */
const MOZILLA_INTERMEDIATE =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384';
const MOZILLA_OLD = `${MOZILLA_INTERMEDIATE}:DHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA`;

function isLoopback(address: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost|unix:)/.test(address);
}

/** kong.conf: `key = value` lines; `#` starts a comment. Defaults fill what is not set (and say so). */
export function collectKongConf(file: string, text: string): GatewayConfigEvidence {
  const ev = emptyEvidence(file, 'kong');
  const set = new Map<string, { value: string; line: number }>();
  const malformed: number[] = [];
  text.split('\n').forEach((raw, i) => {
    // Kong's conf_loader: an unescaped `#` starts a comment anywhere on the line, `\#` is a literal `#`
    const line = raw.replace(/(^|[^\\])#.*$/, '$1').replace(/\\#/g, '#').trim();
    const m = /^([a-z_][a-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (m) set.set(m[1]!, { value: m[2]!.trim(), line: i + 1 });
    else if (line) malformed.push(i + 1);
  });
  // a line that is not `key = value` was not read: what it meant to set is unknown
  if (malformed.length) {
    ev.problems.push({
      message: `${malformed.length} line(s) are not "key = value" and were not read (first: line ${malformed[0]})`,
      location: { file, line: malformed[0]! },
      hidesEvidence: true,
    });
  }
  const value = (k: string) => set.get(k)?.value ?? KONG_CONF_DEFAULTS[k];
  const loc = (k: string): SourceLocation => ({ file, line: set.get(k)?.line ?? 1 });
  const defaulted = (k: string) => !set.has(k);
  const suite = value('ssl_cipher_suite');
  const ciphers = set.get('ssl_ciphers')?.value || (suite === 'old' ? MOZILLA_OLD : suite === 'modern' ? undefined : MOZILLA_INTERMEDIATE);
  const protocols = (value('ssl_protocols') ?? '').split(/\s+/).filter(Boolean);
  for (const key of ['proxy_listen', 'admin_listen', 'status_listen']) {
    const v = value(key);
    if (!v || v === 'off') continue;
    for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [address, ...flags] = part.split(/\s+/);
      // the Admin API and the status endpoint on loopback are management ports reachable from the node only, not
      // API traffic: they are not listeners of the gateway's API (exposed beyond loopback, they are)
      if (key !== 'proxy_listen' && isLoopback(address!)) continue;
      const ssl = flags.includes('ssl');
      const port = Number(/:(\d+)$/.exec(address!)?.[1]);
      const listener: ListenerEvidence = {
        address: key === 'admin_listen' ? `${address} (admin)` : key === 'status_listen' ? `${address} (status)` : address!,
        port: Number.isFinite(port) ? port : undefined,
        tls: { enabled: ssl, location: loc(key) },
        location: loc(key),
      };
      if (ssl) {
        listener.tls.protocols = protocols;
        if (set.has('ssl_protocols')) listener.tls.location = loc('ssl_protocols');
        if (ciphers) listener.tls.ciphers = ciphers;
        const cipherKey = set.has('ssl_ciphers') ? 'ssl_ciphers' : set.has('ssl_cipher_suite') ? 'ssl_cipher_suite' : undefined;
        if (cipherKey) listener.tls.ciphersLocation = loc(cipherKey);
        const d = ['ssl_protocols', 'ssl_cipher_suite'].filter(defaulted);
        if (defaulted(key)) d.push(key);
        if (d.length) listener.tls.defaults = d;
      }
      ev.listeners.push(listener);
    }
  }
  const headers = value('headers') ?? '';
  if (/\bserver_tokens\b/.test(headers)) {
    ev.disclosures.push({ setting: 'headers', value: `${headers}${defaulted('headers') ? ' (default)' : ''}`, location: loc('headers') });
  }
  for (const [k, { value: v, line }] of set) {
    const kind = credentialKind(k, v, k);
    if (kind) ev.credentials.push(credential(kind, k, v, { file, line }));
  }
  ev.problems.push({
    message: 'Kong node configuration (kong.conf): listeners, TLS and headers are read (Kong defaults where unset); routes live in the declarative config',
    location: { file, line: 1 },
  });
  return ev;
}
