/**
 * Which gateway a file configures, decided from its content (never from a guess): Kubernetes manifests (every
 * document an object with `kind`); Kong declarative (`_format_version`, services/routes with `paths`, plugin lists
 * with Kong-only keys, or a decK file of Kong entities only: certificates, consumers, upstreams with `targets`,
 * vaults, partials) or kong.conf (Kong-only keys); APISIX (`#END`, its enabled-plugin `plugins:` list, routes with
 * `uri`/`uris`, ADC services with routes, Admin-API `{"node"}`/`{"list"}` exports, `apisix:`/`deployment:` node
 * config, `x-apisix-*` OpenAPI exports); Spring (`spring.*` or `server.*` properties, dotted or nested, in any `---`
 * section), Sentinel gw-flow rules; nginx by its directive grammar. A refusal says what the file looks like.
 */
import { basename } from 'node:path';
import type { Node } from 'yaml';
import type { GatewayFormat } from '../../model/evidence.js';
import { hasPath } from './spring.js';
import { loadYamlAll, type YamlSource, YamlView } from './yaml-view.js';

export type GatewayVariant =
  | 'kubernetes'
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
  /** Every document of a `---` stream (Kubernetes manifests, Spring profile sections). */
  docs?: YamlSource[];
}

export type Rejection = { reason: string };

const NGINX_DIRECTIVES =
  /^\s*(user|worker_processes|worker_rlimit_nofile|pid|error_log|events|http|stream|server|location|upstream|include|load_module|listen|server_name|ssl_[a-z_]+|proxy_[a-z_]+|map|geo|access_log|log_format|add_header|server_tokens|root|return|rewrite|limit_req_zone|limit_req|auth_request|auth_basic|auth_jwt|js_import|keyval_zone|default_type|sendfile|gzip|charset|types|resolver|set|if|keepalive_timeout|client_max_body_size)(\s|\{|;|$)/m;

function tryYaml(file: string, text: string): YamlSource[] | undefined {
  try {
    const docs = loadYamlAll(file, text);
    // a structure (map or list) in some document; a file of bare words (nginx, kong.conf) parses as one scalar
    return docs.length && docs.some((d) => Array.isArray((d.root as { items?: unknown } | null)?.items)) ? docs : undefined;
  } catch (e) {
    // a .yaml/.json file that does not parse is a syntax error with its line, not "unrecognised"
    if (/\.(ya?ml|json)$/i.test(file)) throw e;
    return undefined;
  }
}

/** Keys of a Kong plugin entry that APISIX's enabled-plugin list (`- name: x`, `stream: true`) never has. */
const KONG_PLUGIN_KEYS = ['config', 'enabled', 'protocols', 'service', 'route', 'consumer', 'consumer_group', 'tags', 'instance_name', 'ordering', 'id'];

/** decK entity lists, each with a shape only Kong gives it (APISIX upstreams have `nodes`, Kong's `targets`). */
const KONG_ENTITIES: Record<string, (y: YamlView, item: Node) => boolean> = {
  certificates: (y, i) => !!(y.get(i, 'cert') && y.get(i, 'key')),
  ca_certificates: (y, i) => !!y.get(i, 'cert'),
  // APISIX consumers carry `plugins` as a map or (ADC) `credentials` with a `type`
  consumers: (y, i) => !!(y.get(i, 'username') || y.get(i, 'custom_id')) && !y.isMap(y.get(i, 'plugins')) && !y.get(i, 'credentials'),
  consumer_groups: (y, i) => !!y.get(i, 'name') && !y.isMap(y.get(i, 'plugins')),
  upstreams: (y, i) => !!y.get(i, 'name') && !y.get(i, 'nodes') && !y.get(i, 'type'),
  vaults: (y, i) => !!(y.get(i, 'prefix') && y.get(i, 'name')),
  partials: (y, i) => !!(y.get(i, 'type') && y.get(i, 'config')),
  key_sets: (y, i) => !!y.get(i, 'name'),
  keys: (y, i) => !!(y.get(i, 'kid') || y.get(i, 'jwk') || y.get(i, 'pem')),
  snis: (y, i) => !!y.get(i, 'name'),
};
const KONG_TOP = new Set([...Object.keys(KONG_ENTITIES), 'services', 'routes', 'plugins', 'filter_chains', 'custom_entities', 'workspaces', 'rbac_roles', 'licenses']);

function looksKong(y: YamlView, root: Node | null): boolean {
  if (['_format_version', '_info', '_workspace', '_transform', '_plugin_configs', '_konnect'].some((k) => y.get(root, k))) return true;
  const svc = y.items(y.get(root, 'services'));
  if (svc.some((s) => y.get(s, 'protocol') || y.get(s, 'host') || y.get(s, 'url') || y.items(y.get(s, 'routes')).some((r) => y.get(r, 'paths')))) return true;
  if (y.items(y.get(root, 'routes')).some((r) => y.get(r, 'paths') || y.get(r, 'protocols'))) return true;
  const plugins = y.items(y.get(root, 'plugins'));
  if (plugins.length && plugins.every((p) => y.get(p, 'name')) && plugins.some((p) => KONG_PLUGIN_KEYS.some((k) => y.get(p, k)))) return true;
  if (y.items(y.get(root, 'consumers')).some((c) => y.entries(c).some(([k]) => /_credentials$|^jwt_secrets$|^acls$/.test(k)))) return true;
  // a decK file of entities only (certificates, consumers, upstreams, vaults, partials…): every top-level key is a
  // Kong entity list and at least one holds an item of Kong's shape
  const keys = y.entries(root).map(([k]) => k);
  return (
    y.isMap(root) &&
    keys.length > 0 &&
    !looksApisix(y, root, '') &&
    keys.every((k) => KONG_TOP.has(k)) &&
    keys.some((k) => KONG_ENTITIES[k] && y.items(y.get(root, k)).some((i) => KONG_ENTITIES[k]!(y, i)))
  );
}

/** APISIX's enabled-plugin list: `plugins:` of names (config.yaml) or of `{name, stream}` (standalone apisix.yaml). */
function apisixPluginList(y: YamlView, root: Node | null): boolean {
  const plugins = y.items(y.get(root, 'plugins'));
  if (!plugins.length) return false;
  return plugins.every((p) => y.str(p) !== undefined) || plugins.every((p) => y.get(p, 'name') && y.entries(p).every(([k]) => k === 'name' || k === 'stream'));
}

/** A Kubernetes object: `kind` plus `apiVersion` (one upstream example lacks apiVersion; kind and metadata suffice). */
function isK8sObject(y: YamlView, n: Node | null): boolean {
  return !!y.str(y.get(n, 'kind')) && (!!y.str(y.get(n, 'apiVersion')) || y.isMap(y.get(n, 'metadata')));
}

/** A Kubernetes List (`kind: List` with `items`) counts as its items. */
function isK8sStream(y: YamlView, docs: YamlSource[]): boolean {
  const objects = docs.filter((d) => y.isMap(d.root));
  return objects.length > 0 && objects.every((d) => isK8sObject(y, d.root)) && docs.every((d) => y.isMap(d.root) || d.root === null);
}

/** What a refused YAML/JSON file looks like, so the message says what it is rather than what it is not. */
function describeYaml(y: YamlView, root: Node | null): string {
  const keys = y.isMap(root) ? y.entries(root).map(([k]) => k) : [];
  const has = (k: string) => keys.includes(k);
  if ((has('rules') || has('extends')) && (has('extends') || has('functions') || has('formats') || has('aliases'))) return 'a lint ruleset (Spectral/Redocly style rules), not a gateway configuration';
  if (has('on') && has('jobs')) return 'a CI workflow (GitHub Actions), not a gateway configuration';
  if (has('services') && (has('version') || has('volumes') || has('networks'))) return 'a Docker Compose file, not a gateway configuration';
  if (has('apiVersion') && has('name') && (has('version') || has('dependencies'))) return 'a Helm chart description, not a gateway configuration';
  if (has('replicaCount') || (has('image') && (has('service') || has('ingress') || has('resources')))) {
    return 'Helm chart values (values.yaml): pass the manifests `helm template` renders, not the values';
  }
  if (has('static_resources') || has('admin') && has('node')) return 'an Envoy bootstrap configuration (Envoy is read through Kubernetes Gateway API manifests, not its bootstrap)';
  if (has('name') && has('version') && (has('dependencies') || has('scripts'))) return 'a package manifest, not a gateway configuration';
  if (y.isMap(root)) return `YAML/JSON with top-level keys ${keys.slice(0, 6).join(', ')}`;
  return 'a YAML/JSON list of unrecognised items';
}

function isApisixRoute(y: YamlView, n: Node): boolean {
  const v = y.get(n, 'value') ?? n;
  return !!(y.get(v, 'uri') || y.get(v, 'uris') || y.get(v, 'upstream_id'));
}

function looksApisix(y: YamlView, root: Node | null, text: string): boolean {
  if (/^#END\s*$/m.test(text)) return true;
  if (['ssls', 'global_rules', 'plugin_configs', 'stream_routes', 'plugin_metadata'].some((k) => y.get(root, k))) return true;
  // `upstreams` and `consumer_groups` are Kong entity lists too: APISIX's upstreams have `nodes` or service discovery
  if (y.items(y.get(root, 'upstreams')).some((u) => y.get(u, 'nodes') || y.get(u, 'service_name') || y.get(u, 'discovery_type'))) return true;
  if (y.items(y.get(root, 'consumer_groups')).some((g) => y.isMap(y.get(g, 'plugins')))) return true;
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

/** kong.conf keys no other `key = value` format uses. */
const KONG_CONF_STRONG =
  /^[ \t]*#?[ \t]*(proxy_listen|admin_listen|status_listen|admin_gui_listen|cluster_listen|ssl_cipher_suite|pg_host|pg_password|declarative_config|cluster_control_plane|cluster_cert|nginx_(?:http|proxy|admin|main)_[a-z_]+|anonymous_reports|untrusted_lua)[ \t]*=/m;
/** kong.conf keys that other INI-like files may use too: two distinct ones are needed. */
const KONG_CONF_WEAK = /^[ \t]*(database|role|log_level|dns_resolver|mem_cache_size|trusted_ips|real_ip_header|proxy_access_log|admin_access_log|ssl_protocols|ssl_ciphers|lua_ssl_trusted_certificate|pg_user|pg_database|headers|plugins|prefix)[ \t]*=/gm;

function looksKongConf(file: string, text: string): boolean {
  if (/kong\.conf/.test(basename(file)) || KONG_CONF_STRONG.test(text)) return true;
  return new Set([...text.matchAll(KONG_CONF_WEAK)].map((m) => m[1])).size >= 2;
}

/** Detects the gateway format; `forced` (from --gateway-format) picks the family and only the variant is read. */
export function detectGateway(file: string, text: string, forced?: GatewayFormat): Detection | Rejection {
  const docs = tryYaml(file, text);
  const yaml = docs?.[0];
  const y = yaml ? new YamlView(yaml) : undefined;
  const root = yaml?.root ?? null;
  const nginxish = /;[ \t]*(#.*)?$/m.test(text) && /\{[ \t]*(#.*)?$/m.test(text);
  const kongConf = !nginxish && looksKongConf(file, text);
  const keyValueFile = !nginxish && /^[ \t]*[a-z_][a-z0-9_]*[ \t]*=/m.test(text);

  const springLike = (n: Node | null): boolean =>
    !!y && (hasPath(y, n, ['spring']) || hasPath(y, n, ['server', 'ssl']) || hasPath(y, n, ['server', 'port']) || hasPath(y, n, ['management']));
  const sentinel = (): boolean =>
    !!y && y.isSeq(root) && y.items(root).length > 0 && y.items(root).every((r) => y.get(r, 'resource') && y.get(r, 'count'));
  const apisixNode = (): boolean => !!y && !!(y.get(root, 'apisix') || y.get(root, 'deployment') || (y.isMap(root) && y.entries(root).every(([k]) => k === 'plugins' || k === 'stream_plugins' || k === 'plugin_attr') && apisixPluginList(y, root)));

  if (forced === 'nginx') return { format: 'nginx', variant: 'nginx' };
  if (forced === 'kubernetes') {
    if (!docs || !y || !docs.some((d) => isK8sObject(y, d.root))) return { reason: 'no Kubernetes object (apiVersion and kind) in this file' };
    return { format: 'kubernetes', variant: 'kubernetes', docs };
  }
  if (forced === 'kong') {
    if ((kongConf || keyValueFile) && !y?.isMap(root)) return { format: 'kong', variant: 'kong-conf' };
    return yaml ? { format: 'kong', variant: 'kong-declarative', yaml } : { reason: 'neither a Kong declarative configuration (YAML/JSON) nor a kong.conf (key = value lines)' };
  }
  if (forced === 'apisix') {
    if (!yaml) return { reason: 'not YAML or JSON, so not an APISIX configuration' };
    if (apisixNode()) return { format: 'apisix', variant: 'apisix-node-config', yaml };
    if (isOpenApi(y!, root)) return { format: 'apisix', variant: 'apisix-openapi-export', yaml };
    return { format: 'apisix', variant: 'apisix-routes', yaml };
  }
  if (forced === 'spring') {
    if (!yaml) return { reason: 'not YAML or JSON, so not a Spring configuration' };
    return sentinel() ? { format: 'spring', variant: 'sentinel-gw-flow', yaml } : { format: 'spring', variant: 'spring', yaml, docs };
  }

  if (docs && yaml && y) {
    if (docs.every((d) => y.str(y.get(d.root, 'kind')) === 'Kustomization')) {
      return { reason: 'a kustomization (kustomization.yaml): pass the manifests `kustomize build` renders, not the kustomization' };
    }
    if (isK8sStream(y, docs)) return { format: 'kubernetes', variant: 'kubernetes', docs };
    if (docs.length > 1) {
      // Spring profile sections (`---` with spring.config.activate.on-profile) are one application.yml
      if (docs.some((d) => springLike(d.root))) return { format: 'spring', variant: 'spring', yaml, docs };
      const k8s = docs.filter((d) => isK8sObject(y, d.root)).length;
      if (k8s) return { reason: `a multi-document YAML stream where ${k8s} of ${docs.length} documents are Kubernetes objects and the rest are not (pass --gateway-format kubernetes to read the objects)` };
      return { reason: `a multi-document YAML stream (${docs.length} documents) whose first document is ${describeYaml(y, root)}` };
    }
    if (isOpenApi(y, root)) {
      if (hasApisixExtensions(text)) return { format: 'apisix', variant: 'apisix-openapi-export', yaml };
      return { reason: 'an OpenAPI/Swagger description (pass it with --openapi)' };
    }
    if (y.get(root, 'api_id') || y.get(root, 'listen_port') || (y.get(root, 'definition') && y.get(root, 'proxy'))) {
      return { reason: 'a Tyk API definition or gateway config (Tyk is not supported)' };
    }
    if (/^#END\s*$/m.test(text) || (apisixPluginList(y, root) && !looksKongStrict(y, root))) {
      if (apisixNode()) return { format: 'apisix', variant: 'apisix-node-config', yaml };
      return { format: 'apisix', variant: 'apisix-routes', yaml };
    }
    if (looksKong(y, root)) return { format: 'kong', variant: 'kong-declarative', yaml };
    if (apisixNode()) return { format: 'apisix', variant: 'apisix-node-config', yaml };
    if (looksApisix(y, root, text)) return { format: 'apisix', variant: 'apisix-routes', yaml };
    if (sentinel()) return { format: 'spring', variant: 'sentinel-gw-flow', yaml };
    if (springLike(root)) return { format: 'spring', variant: 'spring', yaml, docs };
    if (y.isMap(root) && Object.values(y.obj(root)).every((v) => v && typeof v === 'object' && 'rate' in (v as object) && 'per' in (v as object))) {
      return { reason: 'Tyk policies (Tyk is not supported)' };
    }
    return { reason: describeYaml(y, root) };
  }
  if (kongConf) return { format: 'kong', variant: 'kong-conf' };
  if (NGINX_DIRECTIVES.test(text.replace(/^\s*#.*$/gm, ''))) return { format: 'nginx', variant: 'nginx' };
  return { reason: 'no nginx directive, YAML or JSON structure recognised' };
}

/** Kong markers that an APISIX file never has (so an APISIX-looking plugin list does not outvote them). */
function looksKongStrict(y: YamlView, root: Node | null): boolean {
  return ['_format_version', '_info', '_workspace', '_transform'].some((k) => y.get(root, k));
}

