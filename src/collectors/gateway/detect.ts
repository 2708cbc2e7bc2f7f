/**
 * Which gateway a file configures, decided from its content (never from a guess): Kong declarative
 * (`_format_version`, services/routes with `paths`, plugin lists) or kong.conf; APISIX (`#END`, routes with
 * `uri`/`uris`, ADC services with routes, Admin-API `{"node"}`/`{"list"}` exports, `apisix:`/`deployment:`
 * node config, `x-apisix-*` OpenAPI exports); Spring (`spring.cloud.gateway`, `server.ssl`, or a Spring Boot
 * config with top-level `spring:`/`server:`), Sentinel gw-flow rules; nginx by its directive grammar.
 */
import { basename } from 'node:path';
import type { Node } from 'yaml';
import type { GatewayFormat } from '../../model/evidence.js';
import { findPath } from './spring.js';
import { loadYaml, type YamlSource, YamlView } from './yaml-view.js';

export type GatewayVariant =
  | 'kong-declarative'
  | 'kong-conf'
  | 'apisix-routes'
  | 'apisix-node-config'
  | 'apisix-openapi-export'
  | 'spring'
  | 'sentinel-gw-flow'
  | 'nginx';

export interface Detection {
  format: GatewayFormat;
  variant: GatewayVariant;
  yaml?: YamlSource;
}

export type Rejection = { reason: string };

const NGINX_DIRECTIVES =
  /^\s*(user|worker_processes|worker_rlimit_nofile|pid|error_log|events|http|stream|server|location|upstream|include|load_module|listen|server_name|ssl_[a-z_]+|proxy_[a-z_]+|map|geo|access_log|log_format|add_header|server_tokens|root|return|rewrite|limit_req_zone|limit_req|auth_request|auth_basic|auth_jwt|js_import|keyval_zone|default_type|sendfile|gzip|charset|types|resolver|set|if|keepalive_timeout|client_max_body_size)(\s|\{|;|$)/m;

function tryYaml(file: string, text: string): YamlSource | undefined {
  try {
    const src = loadYaml(file, text);
    const root = src.root as { items?: unknown } | null;
    return root && Array.isArray(root.items) ? src : undefined;
  } catch (e) {
    // a .yaml/.json file that does not parse is a syntax error with its line, not "unrecognised"
    if (/\.(ya?ml|json)$/i.test(file)) throw e;
    return undefined;
  }
}

function looksKong(y: YamlView, root: Node | null): boolean {
  if (['_format_version', '_info', '_workspace', '_transform', '_plugin_configs'].some((k) => y.get(root, k))) return true;
  const svc = y.items(y.get(root, 'services'));
  if (svc.some((s) => y.get(s, 'protocol') || y.get(s, 'host') || y.get(s, 'url') || y.items(y.get(s, 'routes')).some((r) => y.get(r, 'paths')))) return true;
  if (y.items(y.get(root, 'routes')).some((r) => y.get(r, 'paths') || y.get(r, 'protocols'))) return true;
  if (y.isSeq(y.get(root, 'plugins')) && y.items(y.get(root, 'plugins')).every((p) => y.get(p, 'name'))) return true;
  return y.items(y.get(root, 'consumers')).some((c) => y.entries(c).some(([k]) => /_credentials$|^jwt_secrets$|^acls$/.test(k)));
}

function isApisixRoute(y: YamlView, n: Node): boolean {
  const v = y.get(n, 'value') ?? n;
  return !!(y.get(v, 'uri') || y.get(v, 'uris') || y.get(v, 'upstream_id'));
}

function looksApisix(y: YamlView, root: Node | null, text: string): boolean {
  if (/^#END\s*$/m.test(text)) return true;
  if (['ssls', 'global_rules', 'plugin_configs', 'stream_routes', 'upstreams', 'consumer_groups', 'plugin_metadata'].some((k) => y.get(root, k))) return true;
  if (y.items(y.get(root, 'routes')).some((r) => isApisixRoute(y, r))) return true;
  if (y.items(y.get(root, 'services')).some((s) => y.items(y.get(s, 'routes')).some((r) => y.get(r, 'uris') || y.get(r, 'uri')))) return true;
  if (y.items(y.get(root, 'consumers')).some((c) => y.get(c, 'credentials') || y.isMap(y.get(c, 'plugins')))) return true;
  const node = y.get(root, 'node');
  if (node && (y.get(node, 'value') || y.get(node, 'nodes'))) return true;
  if (y.items(y.get(root, 'list')).some((r) => isApisixRoute(y, r))) return true;
  return y.isSeq(root) && y.items(root).length > 0 && y.items(root).every((r) => isApisixRoute(y, r));
}

function isOpenApi(y: YamlView, root: Node | null): boolean {
  return !!(y.get(root, 'openapi') || y.get(root, 'swagger'));
}

function hasApisixExtensions(text: string): boolean {
  return /["']?x-apisix-(plugins|upstream|labels|service_id|upstream_id)["']?\s*:/.test(text);
}

/** Detects the gateway format; `forced` (from --gateway-format) picks the family and only the variant is read. */
export function detectGateway(file: string, text: string, forced?: GatewayFormat): Detection | Rejection {
  const yaml = tryYaml(file, text);
  const y = yaml ? new YamlView(yaml) : undefined;
  const root = yaml?.root ?? null;
  const kongConf = /kong\.conf/.test(basename(file)) || /^#?\s*(proxy_listen|admin_listen|ssl_cipher_suite)\s*=/m.test(text);

  const springLike = (): boolean =>
    !!y && (!!findPath(y, root, ['spring', 'cloud', 'gateway']) || !!findPath(y, root, ['server', 'ssl']) || !!y.get(root, 'spring') || !!y.get(root, 'server'));
  const sentinel = (): boolean =>
    !!y && y.isSeq(root) && y.items(root).length > 0 && y.items(root).every((r) => y.get(r, 'resource') && y.get(r, 'count'));
  const apisixNode = (): boolean => !!y && !!(y.get(root, 'apisix') || y.get(root, 'deployment'));

  if (forced === 'nginx') return { format: 'nginx', variant: 'nginx' };
  if (forced === 'kong') {
    if (kongConf && !y?.isMap(root)) return { format: 'kong', variant: 'kong-conf' };
    return yaml ? { format: 'kong', variant: 'kong-declarative', yaml } : { reason: 'not YAML or JSON, so not a Kong declarative configuration' };
  }
  if (forced === 'apisix') {
    if (!yaml) return { reason: 'not YAML or JSON, so not an APISIX configuration' };
    if (apisixNode()) return { format: 'apisix', variant: 'apisix-node-config', yaml };
    if (isOpenApi(y!, root)) return { format: 'apisix', variant: 'apisix-openapi-export', yaml };
    return { format: 'apisix', variant: 'apisix-routes', yaml };
  }
  if (forced === 'spring') {
    if (!yaml) return { reason: 'not YAML or JSON, so not a Spring configuration' };
    return sentinel() ? { format: 'spring', variant: 'sentinel-gw-flow', yaml } : { format: 'spring', variant: 'spring', yaml };
  }

  if (yaml && y) {
    if (isOpenApi(y, root)) {
      if (hasApisixExtensions(text)) return { format: 'apisix', variant: 'apisix-openapi-export', yaml };
      return { reason: 'an OpenAPI/Swagger description (pass it with --openapi)' };
    }
    if (y.get(root, 'api_id') || y.get(root, 'listen_port') || (y.get(root, 'definition') && y.get(root, 'proxy'))) {
      return { reason: 'a Tyk API definition or gateway config (Tyk is not supported)' };
    }
    if (looksKong(y, root)) return { format: 'kong', variant: 'kong-declarative', yaml };
    if (apisixNode()) return { format: 'apisix', variant: 'apisix-node-config', yaml };
    if (looksApisix(y, root, text)) return { format: 'apisix', variant: 'apisix-routes', yaml };
    if (sentinel()) return { format: 'spring', variant: 'sentinel-gw-flow', yaml };
    if (springLike()) return { format: 'spring', variant: 'spring', yaml };
    const keys = y.isMap(root) ? y.entries(root).map(([k]) => k).slice(0, 6) : [];
    if (y.isMap(root) && Object.values(y.obj(root)).every((v) => v && typeof v === 'object' && 'rate' in (v as object) && 'per' in (v as object))) {
      return { reason: 'Tyk policies (Tyk is not supported)' };
    }
    return { reason: y.isMap(root) ? `YAML/JSON with top-level keys ${keys.join(', ')}` : 'a YAML/JSON list of unrecognised items' };
  }
  if (kongConf) return { format: 'kong', variant: 'kong-conf' };
  if (NGINX_DIRECTIVES.test(text.replace(/^\s*#.*$/gm, ''))) return { format: 'nginx', variant: 'nginx' };
  return { reason: 'no nginx directive, YAML or JSON structure recognised' };
}
