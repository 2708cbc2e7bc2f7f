/**
 * Spring Cloud Gateway `application.yml` (also Nacos-held configs): routes under `spring.cloud.gateway`
 * (or `…gateway.server.webflux` / `…gateway.mvc` in 4.x), written with nested or dotted keys, their
 * predicates (Path, Host, Method) and filters (RequestRateLimiter, TokenRelay, auth filters), default-filters,
 * `server.ssl.*` and `server.port`; inline passwords and secrets; error-detail and actuator exposure.
 * Alibaba Sentinel gw-flow rule files are read as flow control per route id (resource = route id).
 */
import type { Node } from 'yaml';
import type { GatewayConfigEvidence, GatewayPluginEvidence, ListenerEvidence, RouteEvidence } from '../../model/evidence.js';
import { applyPlugin, levelFromTags, newRoute } from './common.js';
import { emptyEvidence } from './kong.js';
import { type YamlSource, YamlView } from './yaml-view.js';

/** Finds `a.b.c` under a map whose keys may themselves be dotted (`gateway.server.webflux:`). */
export function findPath(y: YamlView, node: Node | undefined | null, path: string[]): Node | undefined {
  if (path.length === 0) return node ?? undefined;
  for (const [k, v] of y.entries(node)) {
    const parts = k.split('.');
    if (parts.length <= path.length && parts.every((p, i) => p.toLowerCase() === path[i]!.toLowerCase())) {
      const found = findPath(y, v, path.slice(parts.length));
      if (found !== undefined) return found;
    }
  }
  return undefined;
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

export function collectSpring(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'spring');
  const root = src.root;

  // server.ssl / server.port → the gateway's listener
  const server = findPath(y, root, ['server']);
  const ssl = findPath(y, root, ['server', 'ssl']);
  let tls = false;
  if (server) {
    const portNode = findPath(y, root, ['server', 'port']);
    const port = y.str(portNode) ?? '8080';
    const enabled = y.str(findPath(y, ssl, ['enabled']));
    tls = !!ssl && enabled !== 'false';
    const location = y.loc(ssl ?? portNode ?? server, ssl ? '/server/ssl' : '/server');
    const listener: ListenerEvidence = { address: port, port: Number(port) || undefined, tls: { enabled: tls, location }, location };
    if (tls) {
      const enabledProtocols = y.strs(findPath(y, ssl, ['enabled-protocols']) ?? findPath(y, ssl, ['enabledProtocols']));
      const protocols = enabledProtocols.flatMap((p) => p.split(',').map((s) => s.trim()));
      const defaults: string[] = [];
      if (protocols.length) listener.tls.protocols = protocols;
      else {
        listener.tls.protocols = ['TLSv1.2', 'TLSv1.3']; // JDK 11+ defaults (TLSv1/1.1 disabled in java.security since 8u291)
        defaults.push('enabled-protocols');
      }
      const ciphers = y.strs(findPath(y, ssl, ['ciphers']));
      if (ciphers.length) listener.tls.ciphers = ciphers.join(':');
      const ca = (y.str(findPath(y, ssl, ['client-auth']) ?? findPath(y, ssl, ['clientAuth'])) ?? 'none').toLowerCase();
      listener.tls.clientCertificate = ca === 'need' ? 'required' : ca === 'want' ? 'optional' : 'off';
      listener.tls.certificate = y.str(findPath(y, ssl, ['key-store']) ?? findPath(y, ssl, ['certificate']));
      if (defaults.length) listener.tls.defaults = defaults;
    }
    ev.listeners.push(listener);
  }

  let gw: Node | undefined;
  let gwPath: string[] = [];
  for (const p of GATEWAY_ROOTS) {
    const n = findPath(y, root, p);
    if (n && (findPath(y, n, ['routes']) || findPath(y, n, ['default-filters']))) {
      gw = n;
      gwPath = p;
      break;
    }
  }
  const base = `/${gwPath.join('/')}`;
  const defaults: GatewayPluginEvidence[] = [];
  y.items(findPath(y, gw, ['default-filters']) ?? findPath(y, gw, ['defaultFilters'])).forEach((f, i) => {
    const p = filterPlugin(y, f, `${base}/default-filters/${i}`);
    if (p) defaults.push(p);
  });
  ev.globalPlugins = defaults;
  const requestLog = findPath(y, findPath(y, root, ['spring', 'cloud', 'gateway']), ['requestLog']);
  const clientAuth = ev.listeners.find((l) => l.tls.clientCertificate === 'required');

  y.items(findPath(y, gw, ['routes'])).forEach((r, i) => {
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
    if (clientAuth) route.auth.push({ kind: 'mtls', plugin: 'server.ssl.client-auth', location: clientAuth.tls.location });
    if (requestLog && y.str(requestLog) === 'true') route.logging.push({ enabled: true, plugin: 'spring.cloud.gateway.requestLog', location: y.loc(requestLog) });
    route.protocols = tls ? ['https'] : ['http'];
    ev.routes.push(route);
  });

  if (!server && ev.routes.length) {
    ev.problems.push({
      message: 'no server.port / server.ssl in this file: routes are taken to be served over plain http (the Spring Boot default); assess the file that holds server.ssl alongside',
      location: { file: src.file, line: 1 },
    });
  }
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
