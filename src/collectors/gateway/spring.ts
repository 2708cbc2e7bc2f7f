/**
 * Spring Cloud Gateway `application.yml` (also Nacos-held configs): routes under `spring.cloud.gateway`
 * (or `…gateway.server.webflux` / `…gateway.server.webmvc` in 4.1+, `…gateway.mvc` in 4.0), written with nested
 * or dotted keys split at any depth (relaxed binding), each `---` profile section read on its own; their
 * predicates (Path, Host, Method) and filters (RequestRateLimiter, TokenRelay, auth filters), default-filters,
 * `server.ssl.*` and `server.port`; inline passwords and secrets; error-detail and actuator exposure.
 * Alibaba Sentinel gw-flow rule files are read as flow control per route id (resource = route id).
 */
import type { Node } from 'yaml';
import type { GatewayConfigEvidence, GatewayPluginEvidence, ListenerEvidence, RouteEvidence } from '../../model/evidence.js';
import { applyPlugin, levelFromTags, newRoute } from './common.js';
import { emptyEvidence } from './kong.js';
import { type YamlSource, YamlView } from './yaml-view.js';

/** Spring's relaxed binding: `default-filters`, `defaultFilters`, `default_filters` are one property. */
export function relaxed(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/**
 * Finds `a.b.c` under a map whose keys may themselves be dotted at any depth (`spring.cloud.gateway:` then
 * `server.webflux.routes:`), with relaxed binding on every segment.
 */
export function findPath(y: YamlView, node: Node | undefined | null, path: string[]): Node | undefined {
  if (path.length === 0) return node ?? undefined;
  const want = path.map(relaxed);
  for (const [k, v] of y.entries(node)) {
    const parts = k.split('.').map(relaxed);
    if (parts.length <= want.length && parts.every((p, i) => p === want[i])) {
      const found = findPath(y, v, path.slice(parts.length));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether any key path under `node` starts with `path` (keys may be dotted: `spring.cloud.gateway.routes:`). */
export function hasPath(y: YamlView, node: Node | undefined | null, path: string[]): boolean {
  if (path.length === 0) return true;
  for (const [k, v] of y.entries(node)) {
    const parts = k.split('.').map(relaxed);
    const want = path.map(relaxed);
    const n = Math.min(parts.length, want.length);
    if (parts.slice(0, n).every((p, i) => p === want[i])) {
      if (parts.length >= want.length) return true;
      if (hasPath(y, v, path.slice(parts.length))) return true;
    }
  }
  return false;
}


const GATEWAY_ROOTS = [
  ['spring', 'cloud', 'gateway', 'server', 'webflux'],
  ['spring', 'cloud', 'gateway', 'server', 'webmvc'],
  ['spring', 'cloud', 'gateway', 'mvc'],
  ['spring', 'cloud', 'gateway'],
];

const AUTH_FILTER: [RegExp, RouteEvidence['auth'][number]['kind']][] = [
  [/^TokenRelay$/, 'oauth2'],
  [/jwt/i, 'jwt'],
  [/signature|sign(ed)?(Request)?$/i, 'signature'],
  [/hmac/i, 'hmac'],
  [/oauth|token/i, 'oauth2'],
  [/auth/i, 'custom'],
];

interface Shortcut {
  name: string;
  args: string[];
  config: Record<string, unknown>;
}

/** `Name=a,b` or `{name, args}` → name plus argument values. */
function shortcut(y: YamlView, n: Node): Shortcut | undefined {
  const s = y.str(n);
  if (s !== undefined) {
    const eq = s.indexOf('=');
    const name = (eq < 0 ? s : s.slice(0, eq)).trim();
    const args = eq < 0 ? [] : s.slice(eq + 1).split(',').map((a) => a.trim()).filter(Boolean);
    return { name, args, config: { args } };
  }
  const name = y.str(y.get(n, 'name'));
  if (!name) return undefined;
  const argsNode = y.get(n, 'args');
  const config = y.obj(argsNode);
  const args: string[] = [];
  for (const v of Object.values(config)) {
    if (Array.isArray(v)) args.push(...v.map(String));
    else if (typeof v === 'string' || typeof v === 'number') args.push(...String(v).split(',').map((a) => a.trim()));
  }
  return { name, args, config };
}

function filterPlugin(y: YamlView, n: Node, pointer: string): GatewayPluginEvidence | undefined {
  const f = shortcut(y, n);
  return f ? { name: f.name, config: f.config, location: y.loc(n, pointer) } : undefined;
}

function applyFilter(route: RouteEvidence, p: GatewayPluginEvidence): void {
  applyPlugin(route, p); // RequestRateLimiter, TokenRelay are known plugin names
  if (p.name !== 'TokenRelay' && !/RateLimiter|StripPrefix|PrefixPath|Rewrite|Header|Parameter|Retry|CircuitBreaker/i.test(p.name)) {
    const hit = AUTH_FILTER.find(([re]) => re.test(p.name));
    if (hit) route.auth.push({ kind: hit[1], plugin: p.name, location: p.location });
  }
}

/** What a profile section inherits from the default section of the same file (Spring merges them). */
interface Inherited {
  listener?: ListenerEvidence;
}

/** The key node of the first top-level key whose first segment is `name` (for a location when values are scalars). */
function firstKey(y: YamlView, root: Node | null, name: string): Node | undefined {
  return y.entries(root).find(([k]) => relaxed(k.split('.')[0]!) === name)?.[2];
}

/** The profile a `---` section activates on (`spring.config.activate.on-profile`, or Boot 2.3's `spring.profiles`). */
function profileOf(y: YamlView, root: Node | null): string | undefined {
  const n = findPath(y, root, ['spring', 'config', 'activate', 'on-profile']) ?? findPath(y, root, ['spring', 'profiles']);
  const v = y.strs(n).join(',');
  return v || undefined;
}

/**
 * An application.yml of one or more `---` sections: each section is read on its own, routes keep their profile
 * (tag `profile:NAME`), and a profile section without `server.*` is served by the default section's listener.
 */
export function collectSpringDocs(docs: YamlSource[]): GatewayConfigEvidence {
  const y = new YamlView(docs[0]!);
  const ev = emptyEvidence(docs[0]!.file, 'spring');
  const sections = docs.map((d) => ({ d, profile: profileOf(y, d.root) }));
  const inherited: Inherited = {};
  // default sections first: their server settings are what profile sections inherit
  for (const { d, profile } of [...sections.filter((s) => !s.profile), ...sections.filter((s) => s.profile)]) {
    const part = collectSpring(d, profile, inherited);
    if (!profile && !inherited.listener) inherited.listener = part.listeners[0];
    ev.listeners.push(...part.listeners);
    ev.routes.push(...part.routes);
    ev.globalPlugins.push(...part.globalPlugins);
    ev.credentials.push(...part.credentials);
    ev.disclosures.push(...part.disclosures);
    ev.problems.push(...part.problems);
  }
  if (!ev.listeners.length && ev.routes.length) {
    ev.problems.push({
      message: 'no server.port / server.ssl in this file: routes are taken to be served over plain http (the Spring Boot default); assess the file that holds server.ssl alongside',
      location: { file: ev.file, line: 1 },
    });
  }
  return ev;
}

export function collectSpring(src: YamlSource, profile?: string, inherited: Inherited = {}): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'spring');
  const root = src.root;

  // server.ssl / server.port → the gateway's listener (each property by its full path: `server.ssl.client-auth: need`
  // may be one dotted key at the root or nested at any split)
  const prop = (...path: string[]) => findPath(y, root, ['server', ...path]);
  const hasServer = hasPath(y, root, ['server']);
  const hasSsl = hasPath(y, root, ['server', 'ssl']);
  let tls = false;
  if (hasServer) {
    const portNode = prop('port');
    const port = y.str(portNode) ?? '8080';
    const enabled = y.str(prop('ssl', 'enabled'));
    tls = hasSsl && enabled !== 'false';
    const sslNode = prop('ssl') ?? prop('ssl', 'enabled') ?? prop('ssl', 'key-store') ?? prop('ssl', 'client-auth') ?? prop('ssl', 'certificate');
    const anchor = sslNode ?? portNode ?? prop() ?? firstKey(y, root, 'server');
    const location = y.loc(anchor, hasSsl ? '/server/ssl' : '/server');
    const listener: ListenerEvidence = { address: port, port: Number(port) || undefined, tls: { enabled: tls, location }, location };
    if (tls) {
      const enabledProtocols = y.strs(prop('ssl', 'enabled-protocols'));
      const protocols = enabledProtocols.flatMap((p) => p.split(',').map((s) => s.trim()));
      const defaults: string[] = [];
      if (protocols.length) listener.tls.protocols = protocols;
      else {
        listener.tls.protocols = ['TLSv1.2', 'TLSv1.3']; // JDK 11+ defaults (TLSv1/1.1 disabled in java.security since 8u291)
        defaults.push('enabled-protocols');
      }
      const cipherNode = prop('ssl', 'ciphers');
      const ciphers = y.strs(cipherNode);
      if (ciphers.length) {
        listener.tls.ciphers = ciphers.join(':');
        listener.tls.ciphersLocation = y.loc(cipherNode, '/server/ssl/ciphers');
      }
      const caNode = prop('ssl', 'client-auth');
      const ca = (y.str(caNode) ?? 'none').toLowerCase();
      listener.tls.clientCertificate = ca === 'need' ? 'required' : ca === 'want' ? 'optional' : 'off';
      if (caNode) listener.tls.clientCertificateLocation = y.loc(caNode, '/server/ssl/client-auth');
      listener.tls.certificate = y.str(prop('ssl', 'key-store') ?? prop('ssl', 'certificate'));
      if (defaults.length) listener.tls.defaults = defaults;
    }
    ev.listeners.push(listener);
  }

  // routes and default-filters by their full property path: keys may be dotted at any depth, in any split
  let gwPath: string[] = [];
  let routesNode: Node | undefined;
  let filtersNode: Node | undefined;
  for (const p of GATEWAY_ROOTS) {
    routesNode = findPath(y, root, [...p, 'routes']);
    filtersNode = findPath(y, root, [...p, 'default-filters']);
    if (routesNode || filtersNode) {
      gwPath = p;
      break;
    }
  }
  const base = `/${gwPath.join('/')}`;
  const defaults: GatewayPluginEvidence[] = [];
  y.items(filtersNode).forEach((f, i) => {
    const p = filterPlugin(y, f, `${base}/default-filters/${i}`);
    if (p) defaults.push(p);
  });
  ev.globalPlugins = defaults;
  const requestLog = findPath(y, root, ['spring', 'cloud', 'gateway', 'requestLog']);
  const served = ev.listeners[0] ?? inherited.listener;
  if (served?.tls.enabled) tls = true;
  const clientAuth = served?.tls.clientCertificate === 'required' ? served : undefined;

  y.items(routesNode).forEach((r, i) => {
    const pointer = `${base}/routes/${i}`;
    const shortForm = y.str(r);
    const route = newRoute(y.loc(r, pointer));
    if (shortForm !== undefined) {
      // `id=uri, Predicate=args, …` (shortcut route definition)
      const [head, ...preds] = shortForm.split(/,\s*(?=[A-Z][A-Za-z]*=)/);
      const [id, uri] = head!.split('=');
      route.name = id?.trim();
      route.upstream = uri?.trim();
      for (const p of preds) {
        const [name, args] = [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)];
        if (name === 'Path') route.paths.push(...args.split(',').map((s) => s.trim()));
        if (name === 'Host') route.hosts.push(...args.split(',').map((s) => s.trim()));
        if (name === 'Method') route.methods.push(...args.split(',').map((s) => s.trim().toUpperCase()));
      }
    } else {
      route.name = y.str(y.get(r, 'id'));
      route.upstream = y.str(y.get(r, 'uri'));
      y.items(y.get(r, 'predicates')).forEach((pn) => {
        const p = shortcut(y, pn);
        if (!p) return;
        if (p.name === 'Path') route.paths.push(...p.args.filter((a) => a.startsWith('/')));
        if (p.name === 'Host') route.hosts.push(...p.args);
        if (p.name === 'Method') route.methods.push(...p.args.map((m) => m.toUpperCase()));
      });
      y.items(y.get(r, 'filters')).forEach((f, j) => {
        const p = filterPlugin(y, f, `${pointer}/filters/${j}`);
        if (p) applyFilter(route, p);
      });
      const metadata = y.obj(y.get(r, 'metadata'));
      route.tags = Object.entries(metadata)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(([k, v]) => `${k}:${String(v)}`);
      route.declaredLevel = levelFromTags(route.tags, metadata);
    }
    for (const d of defaults) applyFilter(route, d);
    if (clientAuth) route.auth.push({ kind: 'mtls', plugin: 'server.ssl.client-auth', location: clientAuth.tls.clientCertificateLocation ?? clientAuth.tls.location });
    else if (served?.tls.clientCertificate === 'optional') {
      // `client-auth: want` asks for a certificate but accepts requests without one: its own finding, at its line
      route.plugins.push({ name: 'server.ssl.client-auth', config: { args: ['want'] }, location: served.tls.clientCertificateLocation ?? served.tls.location });
    }
    if (requestLog && y.str(requestLog) === 'true') route.logging.push({ enabled: true, plugin: 'spring.cloud.gateway.requestLog', location: y.loc(requestLog) });
    route.protocols = tls ? ['https'] : ['http'];
    if (profile) route.tags.push(`profile:${profile}`);
    ev.routes.push(route);
  });

  // error details and actuator exposure disclose internals
  const errorKeys: [string[], RegExp][] = [
    [['server', 'error', 'include-stacktrace'], /^(always|on[-_]?param|on[-_]?trace[-_]?param)$/i],
    [['server', 'error', 'include-message'], /^always$/i],
    [['server', 'error', 'include-exception'], /^true$/i],
    [['spring', 'web', 'error', 'include-stacktrace'], /^(always|on[-_]?param)$/i],
    [['spring', 'web', 'error', 'include-message'], /^always$/i],
    [['spring', 'web', 'error', 'include-exception'], /^true$/i],
    [['management', 'endpoints', 'web', 'exposure', 'include'], /\*|env|heapdump|configprops|gateway/],
    [['server', 'server-header'], /./],
  ];
  for (const [path, bad] of errorKeys) {
    const n = findPath(y, root, path);
    const v = y.strs(n).join(',');
    if (n && bad.test(v)) ev.disclosures.push({ setting: path.join('.'), value: v, location: y.loc(n, `/${path.join('/')}`) });
  }
  ev.credentials = y.credentials(root, '', '');
  return ev;
}

/** Alibaba Sentinel gw-flow rules (`[{resource, count, grade, …}]`): flow control keyed by Spring route id. */
export function collectSentinelGwFlow(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'spring');
  y.items(src.root).forEach((rule, i) => {
    const config = y.obj(rule);
    ev.globalPlugins.push({ name: 'sentinel-gw-flow', config, location: y.loc(rule, `/${i}`) });
  });
  ev.problems.push({
    message: 'Alibaba Sentinel gw-flow rules: flow control per Spring Cloud Gateway route id (resource); they count for the routes of the same id in the gateway config assessed alongside',
    location: { file: src.file, line: 1 },
  });
  return ev;
}
