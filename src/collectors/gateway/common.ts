/**
 * What Kong, APISIX and Spring have in common: plugin names mapped to the standard's controls
 * (authentication kind, flow control, access lists, logging), route levels from tags/labels, and
 * inline credentials recognised by key name or PEM header and masked before they leave the collector.
 */
import { createHash } from 'node:crypto';
import { clip, maskPrivateKey, maskSecret } from '../../mask.js';
import type {
  AccessListEvidence,
  AccessLogEvidence,
  GatewayAuthEvidence,
  GatewayAuthKind,
  GatewayPluginEvidence,
  InlineCredentialEvidence,
  RateLimitEvidence,
  RouteEvidence,
  SecurityLevel,
  SourceLocation,
} from '../../model/evidence.js';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Authentication plugins of Kong and APISIX (and Spring filters) → the kind of app-party authentication. */
const AUTH_PLUGINS: Record<string, GatewayAuthKind> = {
  'key-auth': 'key',
  'key-auth-enc': 'key',
  'basic-auth': 'basic',
  'ldap-auth': 'basic',
  'ldap-auth-advanced': 'basic',
  jwt: 'jwt',
  'jwt-auth': 'jwt',
  'jwe-decrypt': 'jwt',
  oauth2: 'oauth2',
  'oauth2-introspection': 'oauth2',
  'hmac-auth': 'hmac',
  'mtls-auth': 'mtls',
  'cert-auth': 'mtls',
  'openid-connect': 'oidc',
  'authz-keycloak': 'oidc',
  'authz-casdoor': 'oidc',
  'wolf-rbac': 'custom',
  'forward-auth': 'custom',
  'vault-auth': 'key',
  'multi-auth': 'custom',
  'opa': 'custom',
  'ldap-auth-apisix': 'basic',
  TokenRelay: 'oauth2',
};

const RATE_PLUGINS = new Set([
  'rate-limiting',
  'rate-limiting-advanced',
  'response-ratelimiting',
  'limit-req',
  'limit-count',
  'limit-conn',
  'ai-rate-limiting',
  'RequestRateLimiter',
]);

const LOG_PLUGIN = /(^(file|http|tcp|udp|kafka|loggly|datadog)-log$)|(-logger$)|(^syslog$)|(^statsd$)/;

export function authKindOf(plugin: string): GatewayAuthKind | undefined {
  return AUTH_PLUGINS[plugin];
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : [];
}

/** Token lifetimes that a plugin's own config bounds (consumer-side lifetimes are added by the collector). */
function lifetimeOf(name: string, config: Record<string, unknown>): number | undefined {
  if (name === 'jwt') {
    const m = num(config.maximum_expiration);
    return m && m > 0 ? m : undefined; // Kong: 0 (the default) means no maximum
  }
  if (name === 'oauth2') {
    const t = num(config.token_expiration) ?? 7200; // Kong default token_expiration; 0 = tokens never expire
    return t > 0 ? t : undefined;
  }
  if (name === 'openid-connect') {
    // Kong 3.x: the session's absolute timeout bounds how long a login lasts (default 86400 s; 0 = unbounded);
    // 2.x called it session_lifetime. Access-token lifetimes are the identity provider's, not in this config.
    const t = num(config.session_absolute_timeout) ?? num(config.session_lifetime) ?? 86400;
    return t > 0 ? t : undefined;
  }
  return undefined;
}

/** Requests per second from Kong/APISIX/Spring limit configs, for messages. */
function rateOf(name: string, c: Record<string, unknown>): { ratePerSecond?: number; concurrency?: number } {
  if (name === 'rate-limiting') {
    const per: [string, number][] = [['second', 1], ['minute', 60], ['hour', 3600], ['day', 86400], ['month', 2592000], ['year', 31536000]];
    for (const [k, s] of per) {
      const v = num(c[k]);
      if (v !== undefined) return { ratePerSecond: v / s };
    }
    return {};
  }
  if (name === 'rate-limiting-advanced') {
    const l = Array.isArray(c.limit) ? num(c.limit[0]) : undefined;
    const w = Array.isArray(c.window_size) ? num(c.window_size[0]) : undefined;
    return l !== undefined && w ? { ratePerSecond: l / w } : {};
  }
  if (name === 'limit-req') return { ratePerSecond: num(c.rate) };
  if (name === 'limit-count') {
    const n = num(c.count);
    const w = num(c.time_window);
    return n !== undefined && w ? { ratePerSecond: n / w } : {};
  }
  if (name === 'limit-conn') return { concurrency: num(c.conn) };
  if (name === 'RequestRateLimiter') {
    const redis = (c['redis-rate-limiter'] ?? c.redisRateLimiter ?? {}) as Record<string, unknown>;
    return { ratePerSecond: num(redis['replenish-rate'] ?? redis.replenishRate ?? c['redis-rate-limiter.replenishRate']) };
  }
  return {};
}

/** Adds a plugin's meaning to a route (auth, flow control, access lists, logging) and keeps it in `plugins`. */
export function applyPlugin(route: RouteEvidence, plugin: GatewayPluginEvidence): void {
  const { name, config, location } = plugin;
  route.plugins.push(plugin);
  const kind = authKindOf(name);
  if (kind) {
    const auth: GatewayAuthEvidence = { kind, plugin: name, location };
    const life = lifetimeOf(name, config);
    if (life !== undefined) auth.maxLifetimeSeconds = life;
    route.auth.push(auth);
  }
  if (RATE_PLUGINS.has(name)) route.rateLimits.push({ plugin: name, ...rateOf(name, config), location } satisfies RateLimitEvidence);
  const lists = accessListsOf(name, config, location);
  route.accessLists.push(...lists);
  if (LOG_PLUGIN.test(name)) route.logging.push(logOf(name, config, location));
}

function accessListsOf(name: string, c: Record<string, unknown>, location: SourceLocation): AccessListEvidence[] {
  if (name !== 'ip-restriction' && name !== 'acl' && name !== 'consumer-restriction') return [];
  const out: AccessListEvidence[] = [];
  const allow = [...strings(c.allow), ...strings(c.whitelist), ...strings(c.allowlist)];
  const deny = [...strings(c.deny), ...strings(c.blacklist), ...strings(c.denylist)];
  if (allow.length) out.push({ plugin: name, mode: 'allow', entries: allow, location });
  if (deny.length) out.push({ plugin: name, mode: 'deny', entries: deny, location });
  return out;
}

/**
 * Kong's logging plugins always write the basic log serializer's record (kong/pdk/log.lua `serialize`):
 * request.id (Kong ≥ 3.5), consumer, route, latencies, started_at, response.status; `custom_fields_by_lua` adds
 * to it. APISIX's `log_format`, by contrast, replaces the default record.
 */
const KONG_LOG_PLUGINS = new Set(['file-log', 'http-log', 'tcp-log', 'udp-log', 'syslog', 'loggly', 'kafka-log']);
const KONG_SERIALIZER_FIELDS = ['request_id', 'consumer', 'route', 'latencies', 'started_at', 'status'];

function logOf(name: string, c: Record<string, unknown>, location: SourceLocation): AccessLogEvidence {
  const log: AccessLogEvidence = { enabled: true, plugin: name, location };
  const fmt = c.log_format ?? c.custom_fields_by_lua;
  const base = KONG_LOG_PLUGINS.has(name) ? KONG_SERIALIZER_FIELDS : [];
  if (fmt && typeof fmt === 'object' && !Array.isArray(fmt)) {
    log.fields = [...base, ...Object.keys(fmt)];
    log.format = JSON.stringify(fmt);
  } else if (typeof fmt === 'string') log.format = fmt;
  else if (base.length) log.fields = [...base];
  return log;
}

/** Security level from tags/labels: `A2`, `security-level:A2`, `x-security-level=A1`, labels `{security_level: A2}`. */
export function levelFromTags(tags: readonly string[], labels?: Record<string, unknown>): SecurityLevel | undefined {
  for (const t of tags) {
    const m = /^(?:(?:x[-_])?(?:security[-_]?level|level|jrt[-_]?level)\s*[:=]\s*)?(A[12])$/i.exec(t.trim());
    if (m) return m[1]!.toUpperCase() as SecurityLevel;
  }
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (/^(x[-_])?(security[-_]?level|level)$/i.test(k) && typeof v === 'string' && /^A[12]$/i.test(v)) return v.toUpperCase() as SecurityLevel;
  }
  return undefined;
}

/**
 * Whether a certificate/SNI host pattern covers a request host: equal names, or `*.bank.example` covering exactly
 * one more label (`api.bank.example`, not `bank.example` nor `a.b.bank.example`), as TLS wildcards do.
 */
export function hostCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  return p.startsWith('*.') && !h.startsWith('*.') && h.endsWith(p.slice(1)) && !h.slice(0, -(p.length - 1)).includes('.');
}

export function newRoute(location: SourceLocation, name?: string): RouteEvidence {
  return { name, hosts: [], paths: [], methods: [], protocols: [], tags: [], auth: [], rateLimits: [], accessLists: [], logging: [], plugins: [], location };
}

/** Key names whose string values are credentials, with what they are. */
const CREDENTIAL_KEYS: [RegExp, string][] = [
  [/(^|[_.-])(private[_-]?key|internal[_-]?key|signing[_-]?key)$/i, 'private-key'],
  [/(^|[_.-])(client[_-]?secret|app[_-]?secret|appsecret|secret[_-]?key|aws[_-]?secret|secret)$/i, 'app-secret'],
  [/(password|passwd|pwd)$/i, 'password'],
  [/(^|[_.-])(admin[_-]?key|api[_-]?key|apikey|access[_-]?key)$/i, 'api-key'],
  [/(^|[_.-])(token|access[_-]?token|jwt[_-]?secret)$/i, 'token'],
];

/** Values that are placeholders, references or already masked, not credentials. */
function isPlaceholder(v: string): boolean {
  const t = v.trim();
  return (
    t === '' ||
    /^\$\{[^}]*\}$/.test(t) || // ${ENV}
    /^\$[A-Za-z_0-9{]/.test(t) || // nginx/APISIX variables, regex captures ($1)
    /^\{vault:\/\/|^vault:|^env:|^\$ENV|^\$env/i.test(t) ||
    /^\*+$/.test(t) ||
    /^(true|false|null|none|changeme|<[^>]*>|xxx+)$/i.test(t) ||
    /^(classpath|file):/.test(t)
  );
}

/**
 * Whether `key: value` is a credential written inline, and of which kind. `context` is the dotted path
 * (a bare `key` counts only under key-auth credentials, where Kong and APISIX keep the API key).
 */
export function credentialKind(key: string, value: string, context: string): string | undefined {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) return 'private-key';
  if (isPlaceholder(value)) return undefined;
  if (key === 'key' && /keyauth_credentials|key-auth|admin_key/.test(context)) return 'api-key';
  for (const [re, kind] of CREDENTIAL_KEYS) if (re.test(key)) return kind;
  return undefined;
}

export function credential(kind: string, key: string, value: string, location: SourceLocation): InlineCredentialEvidence {
  const excerpt = kind === 'private-key' ? maskPrivateKey(value) : maskSecret(value);
  return { kind, key, excerpt: clip(excerpt), location };
}
