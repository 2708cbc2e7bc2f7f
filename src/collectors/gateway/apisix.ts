/**
 * Apache APISIX: standalone `apisix.yaml` (routes, services, upstreams, plugin_configs, global_rules,
 * consumers, ssls), ADC declarative files (`services:` with `routes:` under them), Admin-API JSON exports
 * (`{"node": …}`, `{"list": …}`, arrays of route objects), APISIX Dashboard OpenAPI exports
 * (`x-apisix-*` per operation), and the node's `config.yaml` (listeners, TLS, admin keys).
 *
 * A route's effective plugins = its own, over its plugin_config's, over its service's, plus global_rules,
 * as APISIX merges them. APISIX serves every route on its plain-http `node_listen` (9080) as well as on
 * TLS unless the route redirects (`redirect.http_to_https`) or matches `scheme == https` in `vars`, so a
 * route's protocols are http+https by default.
 */
import type { Node } from 'yaml';
import type { GatewayConfigEvidence, GatewayPluginEvidence, ListenerEvidence, RouteEvidence } from '../../model/evidence.js';
import { applyPlugin, hostCovers, levelFromTags, newRoute } from './common.js';
import { emptyEvidence } from './kong.js';
import { type YamlSource, YamlView } from './yaml-view.js';

function pluginMap(y: YamlView, node: Node | undefined, pointer: string): GatewayPluginEvidence[] {
  const out: GatewayPluginEvidence[] = [];
  for (const [name, value, key] of y.entries(node)) {
    const config = y.obj(value);
    if (config._meta && typeof config._meta === 'object' && (config._meta as Record<string, unknown>).disable === true) continue;
    if (config.disable === true) continue;
    out.push({ name, config, location: y.loc(key, `${pointer}/${name}`) });
  }
  return out;
}

function idOf(y: YamlView, n: Node | undefined): string | undefined {
  return y.str(y.get(n, 'id')) ?? y.str(y.get(n, 'name'));
}

function upstreamText(y: YamlView, up: Node | undefined): string | undefined {
  if (!up) return undefined;
  const scheme = y.str(y.get(up, 'scheme')) ?? 'http';
  const nodes = y.get(up, 'nodes');
  const hosts: string[] = y.isSeq(nodes)
    ? y.items(nodes).map((n) => `${y.str(y.get(n, 'host'))}:${y.str(y.get(n, 'port')) ?? '80'}`)
    : y.entries(nodes).map(([k]) => k);
  const sd = y.str(y.get(up, 'service_name'));
  return hosts.length ? `${scheme}://${hosts.join(',')}` : sd ? `${scheme}://${sd}` : undefined;
}

interface Ctx {
  y: YamlView;
  ev: GatewayConfigEvidence;
  services: Map<string, { node: Node; pointer: string }>;
  pluginConfigs: Map<string, { node: Node; pointer: string }>;
  upstreams: Map<string, Node>;
  globals: GatewayPluginEvidence[];
  consumerPlugins: GatewayPluginEvidence[];
}

function addRoute(c: Ctx, r: Node, pointer: string, svc?: { node: Node; pointer: string }): void {
  const { y } = c;
  const route: RouteEvidence = newRoute(y.loc(r, pointer), y.str(y.get(r, 'name')) ?? y.str(y.get(r, 'id')));
  route.paths = [...y.strs(y.get(r, 'uri')), ...y.strs(y.get(r, 'uris'))];
  route.hosts = [...y.strs(y.get(r, 'host')), ...y.strs(y.get(r, 'hosts'))];
  route.methods = y.strs(y.get(r, 'methods')).map((m) => m.toUpperCase());
  const labels = y.obj(y.get(r, 'labels'));
  route.tags = Object.entries(labels).map(([k, v]) => `${k}:${String(v)}`);
  const serviceRef = y.str(y.get(r, 'service_id'));
  const service = svc ?? (serviceRef ? c.services.get(serviceRef) : undefined);
  const svcLabels = service ? y.obj(y.get(service.node, 'labels')) : {};
  route.declaredLevel = levelFromTags(route.tags, labels) ?? levelFromTags([], svcLabels);
  const upRef = y.str(y.get(r, 'upstream_id')) ?? (service ? y.str(y.get(service.node, 'upstream_id')) : undefined);
  route.upstream =
    upstreamText(y, y.get(r, 'upstream')) ??
    (service ? upstreamText(y, y.get(service.node, 'upstream')) : undefined) ??
    (upRef ? upstreamText(y, c.upstreams.get(upRef)) ?? `upstream ${upRef}` : undefined);

  const own = pluginMap(y, y.get(r, 'plugins'), `${pointer}/plugins`);
  const pcRef = y.str(y.get(r, 'plugin_config_id'));
  const pc = pcRef ? c.pluginConfigs.get(pcRef) : undefined;
  const fromPc = pc ? pluginMap(y, y.get(pc.node, 'plugins'), `${pc.pointer}/plugins`) : [];
  const fromSvc = service ? pluginMap(y, y.get(service.node, 'plugins'), `${service.pointer}/plugins`) : [];
  const seen = new Set<string>();
  for (const p of [...own, ...fromPc, ...fromSvc]) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    applyPlugin(route, p);
  }
  for (const g of c.globals) applyPlugin(route, g);
  if (route.auth.length && !route.rateLimits.length) {
    for (const p of c.consumerPlugins) {
      const scratch = newRoute(p.location);
      applyPlugin(scratch, p);
      route.rateLimits.push(...scratch.rateLimits);
    }
  }
  const redirect = route.plugins.find((p) => p.name === 'redirect' && p.config.http_to_https === true);
  const vars = JSON.stringify(y.js(y.get(r, 'vars')) ?? []);
  route.protocols = redirect || /"scheme","==","https"/.test(vars) ? ['https'] : ['http', 'https'];
  c.ev.routes.push(route);
}

/** apisix.yaml (standalone), ADC files, Admin-API exports. */
export function collectApisixRoutes(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'apisix');
  let root: Node | null | undefined = src.root;

  // Admin-API exports: unwrap to a list of entities with their kind taken from the key path
  const routes: { node: Node; pointer: string }[] = [];
  const unwrapValue = (n: Node) => y.get(n, 'value') ?? n;
  if (y.isSeq(root)) {
    y.items(root).forEach((n, i) => routes.push({ node: unwrapValue(n), pointer: `/${i}` }));
  } else if (y.get(root, 'list') && !y.get(root, 'routes')) {
    y.items(y.get(root, 'list')).forEach((n, i) => routes.push({ node: unwrapValue(n), pointer: `/list/${i}${y.get(n, 'value') ? '/value' : ''}` }));
  } else if (y.get(root, 'node') && !y.get(root, 'routes')) {
    const node = y.get(root, 'node');
    const nodes = y.get(node, 'nodes');
    if (nodes) y.items(nodes).forEach((n, i) => routes.push({ node: unwrapValue(n), pointer: `/node/nodes/${i}/value` }));
    else if (y.get(node, 'value')) routes.push({ node: y.get(node, 'value')!, pointer: '/node/value' });
  }

  const c: Ctx = { y, ev, services: new Map(), pluginConfigs: new Map(), upstreams: new Map(), globals: [], consumerPlugins: [] };
  y.items(y.get(root, 'upstreams')).forEach((u) => {
    const id = idOf(y, u);
    if (id) c.upstreams.set(id, u);
  });
  y.items(y.get(root, 'plugin_configs')).forEach((p, i) => {
    const id = idOf(y, p);
    if (id) c.pluginConfigs.set(id, { node: p, pointer: `/plugin_configs/${i}` });
  });
  y.items(y.get(root, 'global_rules')).forEach((g, i) => c.globals.push(...pluginMap(y, y.get(g, 'plugins'), `/global_rules/${i}/plugins`)));
  ev.globalPlugins = [...c.globals];
  y.items(y.get(root, 'consumers')).forEach((u, i) => c.consumerPlugins.push(...pluginMap(y, y.get(u, 'plugins'), `/consumers/${i}/plugins`)));
  y.items(y.get(root, 'consumer_groups')).forEach((u, i) => c.consumerPlugins.push(...pluginMap(y, y.get(u, 'plugins'), `/consumer_groups/${i}/plugins`)));
  y.items(y.get(root, 'services')).forEach((s, i) => {
    const id = idOf(y, s);
    const entry = { node: s, pointer: `/services/${i}` };
    if (id) c.services.set(id, entry);
  });

  // ssls: the TLS side APISIX shows in routes files (certificates per SNI, client CA → mTLS)
  y.items(y.get(root, 'ssls')).forEach((s, i) => {
    const client = y.get(s, 'client');
    const listener: ListenerEvidence = {
      address: `sni ${y.strs(y.get(s, 'snis')).concat(y.strs(y.get(s, 'sni'))).join(',') || '*'}`,
      tls: { enabled: true, location: y.loc(s, `/ssls/${i}`) },
      location: y.loc(s, `/ssls/${i}`),
    };
    const protocols = y.strs(y.get(s, 'ssl_protocols'));
    if (protocols.length) listener.tls.protocols = protocols;
    if (client && y.get(client, 'ca')) listener.tls.clientCertificate = 'required';
    ev.listeners.push(listener);
  });

  for (const r of routes) addRoute(c, r.node, r.pointer);
  y.items(y.get(root, 'routes')).forEach((r, i) => addRoute(c, r, `/routes/${i}`));
  // ADC: routes nested under services
  y.items(y.get(root, 'services')).forEach((s, i) => {
    y.items(y.get(s, 'routes')).forEach((r, j) => addRoute(c, r, `/services/${i}/routes/${j}`, { node: s, pointer: `/services/${i}` }));
  });
  // ssls[].client.ca verifies client certificates only on TLS connections whose SNI is one of that SSL object's
  // snis: a route gets mTLS when every host it serves is covered (a route without hosts answers any SNI, so it is
  // not). Whether plain http (node_listen) is open is the node config's business, not this file's.
  const mtlsSsl = ev.listeners.filter((l) => l.tls.clientCertificate === 'required' && l.address.startsWith('sni '));
  for (const r of ev.routes) {
    if (r.auth.some((a) => a.kind === 'mtls') || !r.hosts.length) continue;
    const by = r.hosts.map((h) => mtlsSsl.find((l) => l.address.slice(4).split(',').some((sni) => hostCovers(sni, h))));
    if (by.every((l) => l)) r.auth.push({ kind: 'mtls', plugin: 'ssls.client.ca', location: by[0]!.location });
  }
  // jwt-auth lifetimes live on the consumer credential (`exp`, default 86400 s)
  const jwtExp: number[] = [];
  y.items(y.get(root, 'consumers')).forEach((u) => {
    const direct = y.obj(y.get(y.get(u, 'plugins'), 'jwt-auth'));
    if (Object.keys(direct).length) jwtExp.push(Number(direct.exp ?? 86400));
    for (const cr of y.items(y.get(u, 'credentials'))) {
      if (y.str(y.get(cr, 'type')) === 'jwt-auth') jwtExp.push(Number(y.obj(y.get(cr, 'config')).exp ?? 86400));
    }
  });
  if (jwtExp.length) {
    const max = Math.max(...jwtExp.filter(Number.isFinite));
    for (const r of ev.routes) for (const a of r.auth) if (a.plugin === 'jwt-auth' && Number.isFinite(max)) a.maxLifetimeSeconds = max;
  }
  ev.credentials = y.credentials(root, '', '');
  return ev;
}

/** APISIX Dashboard exports: an OpenAPI 3 document whose operations carry `x-apisix-*` route settings. */
export function collectApisixOpenApiExport(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'apisix');
  for (const [path, item] of y.entries(y.get(src.root, 'paths'))) {
    for (const [method, op] of y.entries(item)) {
      if (!/^(get|put|post|delete|patch|head|options|trace)$/.test(method)) continue;
      const esc = path.replace(/~/g, '~0').replace(/\//g, '~1');
      const pointer = `/paths/${esc}/${method}`;
      const route = newRoute(y.loc(op, pointer), y.str(y.get(op, 'operationId')) ?? `${method.toUpperCase()} ${path}`);
      route.paths = [path.replace(/\{[^}]+\}/g, '*')];
      route.methods = [method.toUpperCase()];
      const labels = y.obj(y.get(op, 'x-apisix-labels'));
      route.tags = Object.entries(labels).map(([k, v]) => `${k}:${String(v)}`);
      route.declaredLevel = levelFromTags(route.tags, labels);
      route.upstream = upstreamText(y, y.get(op, 'x-apisix-upstream'));
      for (const p of pluginMap(y, y.get(op, 'x-apisix-plugins'), `${pointer}/x-apisix-plugins`)) applyPlugin(route, p);
      route.protocols = route.plugins.some((p) => p.name === 'redirect' && p.config.http_to_https === true) ? ['https'] : ['http', 'https'];
      ev.routes.push(route);
    }
  }
  ev.credentials = y.credentials(src.root, '', '');
  return ev;
}

/** APISIX node `config.yaml`: listeners (node_listen, ssl), TLS protocols/ciphers, admin keys written inline. */
export function collectApisixNodeConfig(src: YamlSource): GatewayConfigEvidence {
  const y = new YamlView(src);
  const ev = emptyEvidence(src.file, 'apisix');
  const apisix = y.get(src.root, 'apisix');
  const deployment = y.get(src.root, 'deployment');
  const at = (n: Node | undefined, ptr: string) => (n ? y.loc(n, ptr) : y.loc(apisix ?? src.root, ptr));
  const nodeListen = y.get(apisix, 'node_listen');
  const ports: { port: string; node?: Node }[] = [];
  if (!nodeListen) ports.push({ port: '9080' });
  else if (y.isSeq(nodeListen)) {
    for (const n of y.items(nodeListen)) ports.push({ port: y.str(y.get(n, 'port')) ?? y.str(n) ?? '9080', node: n });
  } else ports.push({ port: y.str(nodeListen) ?? '9080', node: nodeListen });
  for (const p of ports) {
    const location = at(p.node ?? nodeListen, '/apisix/node_listen');
    ev.listeners.push({ address: `0.0.0.0:${p.port}`, port: Number(p.port), tls: { enabled: false, location }, location });
  }
  const ssl = y.get(apisix, 'ssl');
  if (y.str(y.get(ssl, 'enable')) !== 'false') {
    const location = at(ssl, '/apisix/ssl');
    const listen = y.get(ssl, 'listen');
    const sslPorts = listen ? y.items(listen).map((n) => y.str(y.get(n, 'port')) ?? y.str(n) ?? '9443') : ['9443'];
    const protocols = y.str(y.get(ssl, 'ssl_protocols'));
    const ciphers = y.str(y.get(ssl, 'ssl_ciphers'));
    for (const port of sslPorts) {
      const l: ListenerEvidence = { address: `0.0.0.0:${port}`, port: Number(port), tls: { enabled: true, location }, location };
      l.tls.protocols = (protocols ?? 'TLSv1.2 TLSv1.3').split(/\s+/).filter(Boolean);
      const ciphersNode = y.get(ssl, 'ssl_ciphers');
      if (ciphersNode) l.tls.ciphersLocation = y.loc(ciphersNode, '/apisix/ssl/ssl_ciphers');
      const protocolsNode = y.get(ssl, 'ssl_protocols');
      if (protocolsNode) l.tls.location = y.loc(protocolsNode, '/apisix/ssl/ssl_protocols');
      l.tls.ciphers = ciphers ?? 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384';
      const d = [...(protocols ? [] : ['ssl_protocols']), ...(ciphers ? [] : ['ssl_ciphers'])];
      if (d.length) l.tls.defaults = d;
      ev.listeners.push(l);
    }
  }
  const tokens = y.get(apisix, 'enable_server_tokens');
  if (y.str(tokens) !== 'false') {
    ev.disclosures.push({ setting: 'apisix.enable_server_tokens', value: tokens ? y.str(tokens)! : 'true (default)', location: at(tokens, '/apisix/enable_server_tokens') });
  }
  const admin = y.get(deployment, 'admin');
  const allow = y.get(admin, 'allow_admin');
  if (allow) {
    // the Admin API is not an API route; its allow list is kept as a global plugin
    ev.globalPlugins.push({ name: 'allow_admin', config: { allow: y.strs(allow) }, location: y.loc(allow, '/deployment/admin/allow_admin') });
  }
  ev.credentials = y.credentials(src.root, '', '');
  ev.problems.push({
    message: 'APISIX node configuration (config.yaml): listeners, TLS and admin keys are read (APISIX defaults where unset); routes live in apisix.yaml or the Admin API',
    location: { file: src.file, line: 1 },
  });
  return ev;
}
