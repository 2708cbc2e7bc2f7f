/**
 * nginx configuration → gateway evidence. Routes are `location` blocks under `server` (named and
 * `internal` locations are not reachable by clients and are left out); listeners are `listen` directives.
 *
 * Inheritance follows nginx: a directive set at `http` applies to every server and location below unless a
 * lower level sets it; array directives (`access_log`, `limit_req`, `add_header`, allow/deny rules) are
 * inherited only when the lower level defines none of them — "the innermost level that defines any wins"
 * covers both. Defaults assumed when a directive is absent: ssl_protocols `TLSv1 TLSv1.1 TLSv1.2` (nginx
 * before 1.23.4, e.g. Debian 12's 1.22; 1.23.4+ defaults to TLSv1.2 TLSv1.3), ssl_ciphers `HIGH:!aNULL:!MD5`,
 * access_log `logs/access.log combined`, server_tokens `on`, `listen *:80`.
 */
import type {
  AccessLogEvidence,
  GatewayConfigEvidence,
  GatewayPluginEvidence,
  ListenerEvidence,
  RouteEvidence,
  SourceLocation,
} from '../../../model/evidence.js';
import { credential, credentialKind, newRoute, sha256 } from '../common.js';
import { emptyEvidence } from '../kong.js';
import { type NginxDirective, parseNginx, type NginxParseOptions } from './parser.js';

export const NGINX_DEFAULT_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
export const NGINX_DEFAULT_CIPHERS = 'HIGH:!aNULL:!MD5';
const COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

type Level = NginxDirective[];

function at(d: NginxDirective): SourceLocation {
  return { file: d.file, line: d.line };
}

const levelIndex = new WeakMap<Level, Map<string, NginxDirective[]>>();

function indexed(level: Level): Map<string, NginxDirective[]> {
  let m = levelIndex.get(level);
  if (!m) {
    m = new Map();
    for (const d of level) {
      const list = m.get(d.name);
      if (list) list.push(d);
      else m.set(d.name, [d]);
    }
    levelIndex.set(level, m);
  }
  return m;
}

/** The directives named `names` at the innermost level of `chain` that defines any of them (in file order). */
function effective(chain: Level[], ...names: string[]): NginxDirective[] {
  for (let i = chain.length - 1; i >= 0; i--) {
    const m = indexed(chain[i]!);
    if (names.length === 1) {
      const ds = m.get(names[0]!);
      if (ds) return ds;
    } else if (names.some((n) => m.has(n))) {
      return chain[i]!.filter((d) => names.includes(d.name));
    }
  }
  return [];
}

function normaliseProtocol(p: string): string {
  return p === 'TLSv1.0' ? 'TLSv1' : p;
}

/** Variables and JSON keys a log_format records. */
export function logFieldsOf(format: string): string[] {
  const vars = [...format.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!);
  const keys = [...format.matchAll(/"([A-Za-z_@][\w.@-]*)"\s*:/g)].map((m) => m[1]!);
  return [...new Set([...keys, ...vars])];
}

const PLUGIN_DIRECTIVES = ['auth_basic', 'auth_request', 'auth_jwt', 'limit_req', 'limit_conn', 'allow', 'deny', 'access_log', 'ssl_verify_client', 'satisfy'];
const PASS = ['proxy_pass', 'grpc_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass'];

function isHttpsRedirect(d: NginxDirective): boolean {
  if (d.name === 'return') return /^30[1278]$/.test(d.args[0] ?? '') && /^https:\/\//.test(d.args[1] ?? '');
  if (d.name === 'rewrite') return /^https:\/\//.test(d.args[1] ?? '') && /^(permanent|redirect)$/.test(d.args[2] ?? '');
  return false;
}

/** Server-level `return 301 https://…` (or inside `if ($scheme = http)`). */
function serverRedirects(server: Level): boolean {
  for (const d of server) {
    if (isHttpsRedirect(d)) return true;
    if (d.name === 'if' && /\$scheme|\$https/.test(d.args.join(' ')) && (d.block ?? []).some(isHttpsRedirect)) return true;
  }
  return false;
}

function requiresClientCert(levels: Level[]): boolean {
  return levels.some((lv) =>
    lv.some((d) => d.name === 'if' && /\$ssl_client_verify/.test(d.args.join(' ')) && (d.block ?? []).some((b) => b.name === 'return' && /^4\d\d$/.test(b.args[0] ?? ''))),
  );
}

class NginxCollector {
  readonly ev: GatewayConfigEvidence;
  private readonly logFormats = new Map<string, { format: string; d: NginxDirective }>();
  private readonly reqZones = new Map<string, number | undefined>();
  private readonly disclosureSeen = new Set<string>();
  private complete = false;
  private readonly unknownFormats = new Set<string>();

  constructor(file: string) {
    this.ev = emptyEvidence(file, 'nginx');
  }

  run(top: NginxDirective[]): void {
    this.scanGlobals(top);
    // a whole configuration (not a conf.d fragment) defines every log_format its access_log lines name
    this.complete = top.some((d) => d.name === 'http' || d.name === 'events');
    for (const s of top.filter((d) => d.name === 'stream')) this.stream(s.block ?? []);
    const http = top.filter((d) => d.name === 'http');
    if (http.length) for (const h of http) this.http(h.block ?? []);
    else if (top.some((d) => d.name === 'server')) this.http(top); // a conf.d fragment: its top level is http context
    else if (top.some((d) => d.name === 'location')) this.server(top, [[]], undefined); // a server-level fragment
    else this.http(top);
  }

  /** log_format, limit_req_zone, map/set credentials, proxy_pass_header disclosures — wherever they stand. */
  private scanGlobals(ds: NginxDirective[]): void {
    for (const d of ds) {
      if (d.name === 'log_format' && d.args.length >= 2) {
        const rest = d.args.slice(1).filter((a) => !/^escape=/.test(a));
        this.logFormats.set(d.args[0]!, { format: rest.join(''), d });
      } else if (d.name === 'limit_req_zone') {
        const zone = d.args.find((a) => a.startsWith('zone='))?.slice(5).split(':')[0];
        const rate = /^rate=(\d+(?:\.\d+)?)r\/([sm])$/.exec(d.args.find((a) => a.startsWith('rate=')) ?? '');
        if (zone) this.reqZones.set(zone, rate ? Number(rate[1]) / (rate[2] === 'm' ? 60 : 1) : undefined);
      } else if (d.name === 'map' && d.args.length >= 2 && d.block) {
        const variable = d.args[1]!.replace(/^\$/, '');
        for (const e of d.block) {
          const value = e.args[0];
          if (value === undefined) continue;
          const kind = credentialKind(variable, value, variable);
          if (kind) this.ev.credentials.push(credential(kind, `map ${d.args[0]} $${variable} (${e.name})`, value, at(e)));
        }
      } else if (d.name === 'set' && d.args.length === 2) {
        const variable = d.args[0]!.replace(/^\$/, '');
        const kind = credentialKind(variable, d.args[1]!, variable);
        if (kind) this.ev.credentials.push(credential(kind, `set $${variable}`, d.args[1]!, at(d)));
      } else if ((d.name === 'proxy_set_header' || d.name === 'grpc_set_header') && /^authorization$/i.test(d.args[0] ?? '')) {
        const v = d.args[1] ?? '';
        if (/^(basic|bearer)\s+[^$\s]+$/i.test(v)) this.ev.credentials.push(credential('token', `${d.name} ${d.args[0]}`, v, at(d)));
      } else if ((d.name === 'proxy_set_header' || d.name === 'grpc_set_header') && d.args.length === 2 && !d.args[1]!.includes('$')) {
        // A gateway injecting a fixed App_Secret / API key header for the backend writes the secret in its config.
        const header = d.args[0]!.replace(/^x-/i, '').replace(/-/g, '_');
        const kind = credentialKind(header, d.args[1]!, header);
        if (kind) this.ev.credentials.push(credential(kind, `${d.name} ${d.args[0]}`, d.args[1]!, at(d)));
      } else if (d.args.length === 1 && !d.block && !d.args[0]!.includes('$') && credentialKind(d.name, d.args[0]!, d.name)) {
        // a directive that is itself a secret (NGINX Plus `oidc_provider { client_secret … }`, `secure_link_secret`)
        this.ev.credentials.push(credential(credentialKind(d.name, d.args[0]!, d.name)!, d.name, d.args[0]!, at(d)));
      } else if (/^(proxy_|grpc_)?ssl_certificate_key$/.test(d.name) && /PRIVATE KEY/.test(d.args[0] ?? '')) {
        this.ev.credentials.push(credential('private-key', d.name, d.args[0]!, at(d)));
      } else if ((d.name === 'proxy_pass_header' || d.name === 'fastcgi_pass_header') && /^(server|x-powered-by|x-aspnet-version)$/i.test(d.args[0] ?? '')) {
        this.disclose(d.name, d.args.join(' '), at(d));
      } else if (d.name === 'add_header' && /^(server|x-powered-by)$/i.test(d.args[0] ?? '')) {
        this.disclose(d.name, d.args.join(' '), at(d));
      }
      if (d.block && !/_by_lua_block$/.test(d.name)) this.scanGlobals(d.block);
    }
  }

  private disclose(setting: string, value: string, location: SourceLocation): void {
    const key = `${location.file}:${location.line}:${setting}`;
    if (this.disclosureSeen.has(key)) return;
    this.disclosureSeen.add(key);
    this.ev.disclosures.push({ setting, value, location });
  }

  /** `stream {}` servers: TCP/TLS listeners (no HTTP routes), with the TLS settings of their level. */
  private stream(stream: Level): void {
    for (const s of stream.filter((d) => d.name === 'server')) {
      const chain = [stream, s.block ?? []];
      for (const l of (s.block ?? []).filter((d) => d.name === 'listen')) {
        const ssl = l.args.includes('ssl');
        const listener = this.listener(`${l.args[0] ?? '?'} (stream)`, ssl, at(l), chain);
        this.ev.listeners.push(listener);
      }
    }
  }

  /** A listener with the TLS settings in force for it (`chain`: the levels from http/stream down to its server). */
  private listener(address: string, ssl: boolean, location: SourceLocation, chain: Level[]): ListenerEvidence {
    const port = Number(/(?:^|:)(\d+)(?: \(stream\))?$/.exec(address)?.[1] ?? NaN);
    const l: ListenerEvidence = { address, port: Number.isFinite(port) ? port : undefined, tls: { enabled: ssl, location }, location };
    if (!ssl) return l;
    const protocolsD = effective(chain, 'ssl_protocols')[0];
    const ciphersD = effective(chain, 'ssl_ciphers')[0];
    const verifyD = effective(chain, 'ssl_verify_client')[0];
    const cert = effective(chain, 'ssl_certificate')[0]?.args[0];
    const defaults: string[] = [];
    l.tls.protocols = protocolsD ? protocolsD.args.map(normaliseProtocol) : (defaults.push('ssl_protocols'), NGINX_DEFAULT_PROTOCOLS);
    l.tls.ciphers = ciphersD ? ciphersD.args.join(' ') : (defaults.push('ssl_ciphers'), NGINX_DEFAULT_CIPHERS);
    if (protocolsD) l.tls.location = at(protocolsD);
    if (ciphersD) l.tls.ciphersLocation = at(ciphersD);
    if (cert) l.tls.certificate = cert;
    const verify = verifyD?.args[0];
    l.tls.clientCertificate = verify === 'on' ? 'required' : verify === 'optional' || verify === 'optional_no_ca' ? 'optional' : 'off';
    if (verifyD) l.tls.clientCertificateLocation = at(verifyD);
    if (defaults.length) l.tls.defaults = defaults;
    return l;
  }

  private http(http: Level): void {
    const interesting = new Set([...PLUGIN_DIRECTIVES, 'server_tokens', 'ssl_protocols', 'ssl_ciphers', 'add_header']);
    this.ev.globalPlugins.push(...http.filter((d) => interesting.has(d.name)).map((d) => this.plugin(d)));
    for (const s of http.filter((d) => d.name === 'server')) this.server(s.block ?? [], [http], s);
  }

  private plugin(d: NginxDirective): GatewayPluginEvidence {
    return { name: d.name, config: { args: d.args }, location: at(d) };
  }

  private server(server: Level, parents: Level[], decl: NginxDirective | undefined): void {
    const chain = [...parents, server];
    const serverLoc = decl ? at(decl) : { file: this.ev.file, line: 1 };
    const sslOn = effective(chain, 'ssl')[0]?.args[0] === 'on';
    const redirects = serverRedirects(server);
    const listens = server.filter((d) => d.name === 'listen');
    const verify = effective(chain, 'ssl_verify_client')[0]?.args[0];
    let plain = false;
    let tls = false;
    const mk = (address: string, ssl: boolean, location: SourceLocation): ListenerEvidence => {
      const l = this.listener(address, ssl, location, chain);
      if (ssl) tls = true;
      else {
        plain = true;
        if (redirects) l.redirectsToHttps = true;
      }
      return l;
    };
    if (decl) {
      if (listens.length === 0) this.ev.listeners.push(mk('*:80', sslOn, serverLoc));
      for (const l of listens) {
        const ssl = sslOn || l.args.includes('ssl') || l.args.includes('quic');
        this.ev.listeners.push(mk(l.args[0] ?? '*:80', ssl, at(l)));
      }
    } else {
      tls = true; // a location fragment: its server is not in this file
    }
    const protocols = [...(tls ? ['https'] : []), ...(plain && !redirects ? ['http'] : [])];
    if (protocols.length === 0) return; // only redirects: nothing is served in plaintext or otherwise

    // server_tokens (default on) discloses the version in the Server header and error pages
    const tokens = effective(chain, 'server_tokens')[0];
    if (!tokens) {
      if (decl) this.disclose('server_tokens', 'on (default)', serverLoc);
    } else if (tokens.args[0] !== 'off') this.disclose('server_tokens', tokens.args.join(' '), at(tokens));

    const hosts = server.filter((d) => d.name === 'server_name').flatMap((d) => d.args).filter((h) => h !== '_' && h !== '""' && h !== '');
    // ssl_verify_client acts on the TLS listeners only: a route also served on a plain `listen 80` is not mutually
    // authenticated there. An `if ($ssl_client_verify != SUCCESS) { return 403; }` refuses plaintext requests too.
    const plainServed = plain && !redirects;
    const mtls = (verify === 'on' && tls && !plainServed) || (requiresClientCert([server]) && tls);
    const walk = (level: Level, parentChain: Level[]) => {
      for (const loc of level.filter((d) => d.name === 'location')) {
        const body = loc.block ?? [];
        const c = [...parentChain, body];
        const named = (loc.args[0] ?? '').startsWith('@');
        const internal = body.some((d) => d.name === 'internal');
        if (!named && !internal) this.route(loc, c, hosts, protocols, mtls || requiresClientCert([body]));
        walk(body, c);
      }
    };
    walk(server, chain);
  }

  private route(loc: NginxDirective, chain: Level[], hosts: string[], protocols: string[], mtls: boolean): void {
    const [a, b] = loc.args;
    const path = b !== undefined ? `${a} ${b}` : a ?? '/';
    const route: RouteEvidence = newRoute(at(loc), `${hosts[0] ?? '_'} ${path}`);
    route.paths = [path];
    route.hosts = hosts;
    route.protocols = protocols;
    const body = chain[chain.length - 1]!;
    const limitExcept = body.find((d) => d.name === 'limit_except');
    if (limitExcept) route.methods = limitExcept.args.map((m) => m.toUpperCase());
    route.upstream = body.find((d) => PASS.includes(d.name))?.args[0];
    for (const name of PLUGIN_DIRECTIVES) {
      if (name === 'allow' || name === 'deny') continue;
      for (const d of effective(chain, name)) route.plugins.push(this.plugin(d));
    }
    const access = effective(chain, 'allow', 'deny');
    route.plugins.push(...access.map((d) => this.plugin(d)));

    const basic = effective(chain, 'auth_basic')[0];
    if (basic && basic.args[0] !== 'off') route.auth.push({ kind: 'basic', plugin: 'auth_basic', location: at(basic) });
    const req = effective(chain, 'auth_request')[0];
    if (req && req.args[0] !== 'off') route.auth.push({ kind: 'custom', plugin: `auth_request ${req.args[0]}`, location: at(req) });
    const jwt = effective(chain, 'auth_jwt')[0];
    if (jwt && jwt.args[0] !== 'off') route.auth.push({ kind: 'jwt', plugin: 'auth_jwt', location: at(jwt) });
    if (mtls) {
      const v = effective(chain.slice(0, 2), 'ssl_verify_client')[0];
      route.auth.push({ kind: 'mtls', plugin: 'ssl_verify_client', location: v ? at(v) : at(loc) });
    }

    for (const d of effective(chain, 'limit_req')) {
      const zone = d.args.find((x) => x.startsWith('zone='))?.slice(5);
      route.rateLimits.push({ plugin: 'limit_req', ratePerSecond: zone ? this.reqZones.get(zone) : undefined, location: at(d) });
    }
    for (const d of effective(chain, 'limit_conn')) {
      const n = Number(d.args[1]);
      route.rateLimits.push({ plugin: 'limit_conn', concurrency: Number.isFinite(n) ? n : undefined, location: at(d) });
    }
    const allow = access.filter((d) => d.name === 'allow').map((d) => d.args[0]!);
    const deny = access.filter((d) => d.name === 'deny' && d.args[0] !== 'all').map((d) => d.args[0]!);
    if (allow.length) route.accessLists.push({ plugin: 'allow', mode: 'allow', entries: allow, location: at(access.find((d) => d.name === 'allow')!) });
    if (deny.length) route.accessLists.push({ plugin: 'deny', mode: 'deny', entries: deny, location: at(access.find((d) => d.name === 'deny' && d.args[0] !== 'all')!) });

    const logs = effective(chain, 'access_log');
    if (logs.length === 0) {
      route.logging.push({ enabled: true, plugin: 'access_log (default: logs/access.log combined)', format: COMBINED, fields: logFieldsOf(COMBINED), location: at(loc) });
    } else if (logs.some((d) => d.args[0] === 'off')) {
      route.logging.push({ enabled: false, plugin: 'access_log off', location: at(logs.find((d) => d.args[0] === 'off')!) });
    } else {
      for (const d of logs) {
        const name = d.args[1] && !d.args[1].includes('=') ? d.args[1] : 'combined';
        const known = name === 'combined' ? { format: COMBINED } : this.logFormats.get(name);
        const log: AccessLogEvidence = { enabled: true, plugin: `access_log ${d.args[0]} ${name}`, path: d.args[0], location: at(d) };
        if (known) {
          log.format = known.format;
          log.fields = logFieldsOf(known.format);
        } else if (this.complete && !this.unknownFormats.has(`${d.file}:${d.line}`)) {
          // nginx -t refuses an access_log naming a log_format no one defines ("unknown log format")
          this.unknownFormats.add(`${d.file}:${d.line}`);
          this.ev.problems.push({ message: `access_log names the log format "${name}", which no log_format defines (nginx -t would refuse this configuration)`, location: at(d), hidesEvidence: true });
        }
        route.logging.push(log);
      }
    }
    this.ev.routes.push(route);
  }
}

export function collectNginx(file: string, opts: NginxParseOptions = {}): GatewayConfigEvidence {
  const parsed = parseNginx(file, opts);
  const c = new NginxCollector(parsed.files[0] ?? file);
  c.run(parsed.directives);
  c.ev.problems.push(...parsed.problems);
  for (const [f, text] of parsed.texts) c.ev.digests[f] = sha256(text);
  return c.ev;
}
