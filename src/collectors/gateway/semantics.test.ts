/**
 * Gateway readers on the shapes real configurations take (issue #14): format recognition, silent input loss made
 * visible, and the semantics that were wrong. Configurations are small inline files written for these cases; the
 * Kong, APISIX and Spring key names follow those projects' documentation (Kong 3.x kong.conf.default and decK file
 * format, APISIX config.yaml / apisix.yaml, Spring Cloud Gateway 4.1 property names).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import type { GatewayConfigEvidence } from '../../model/evidence.js';
import { collectGateway, type CollectGatewayOptions } from './index.js';
import { matchSegment } from './nginx/glob.js';
import { parseNginx } from './nginx/parser.js';

const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-gw-sem-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function file(name: string, text: string): string {
  const dir = join(tmp, String(n++));
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function read(name: string, text: string, opts?: CollectGatewayOptions): Promise<GatewayConfigEvidence> {
  return collectGateway(file(name, text), opts);
}

async function refusal(name: string, text: string, opts?: CollectGatewayOptions): Promise<InputError> {
  try {
    await read(name, text, opts);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('nginx grammar: a lost ";" or "{" never swallows a server', () => {
  it('"include x\\n server {": the directive takes no block, an error at the "{" line (as nginx -t says)', async () => {
    const e = await refusal('nginx.conf', 'events {}\nhttp {\n  include mime.types\n  server {\n    listen 443 ssl;\n  }\n}\n');
    expect(e.line).toBe(4);
    expect(e.hint).toBe('directive "include" is not terminated by ";" (it starts on line 3)');
  });

  it('a block directive ended by ";" has no opening "{"; location outside a server is not allowed', async () => {
    expect((await refusal('a.conf', 'events {}\nhttp {\n  server;\n}\n')).hint).toBe('directive "server" has no opening "{"');
    expect((await refusal('b.conf', 'events {}\nhttp {\n  location / { }\n}\n')).hint).toBe('"location" directive is not allowed here');
  });

  it('a lost ";" that merges two directives is refused by argument count, or warned about when nginx might accept it', async () => {
    expect((await refusal('c.conf', 'server {\n  listen 80;\n  root /srv\n  index index.html;\n  location / { }\n}\n')).hint).toBe('invalid number of arguments in "root" directive');
    const ev = await read('d.conf', 'server {\n  listen 80;\n  server_name api.bank.example\n  error_page 404 /404.html;\n  location / { }\n}\n');
    expect(ev.problems).toMatchObject([{ location: { line: 3 }, hidesEvidence: true, message: expect.stringContaining('a ";" seems to be missing') }]);
  });

  it('a conf.d fragment on its own is not a main file because a map value says "http"', async () => {
    const ev = await read('fragment.conf', 'map $scheme $is_tls {\n  http 0;\n  https 1;\n}\nserver {\n  listen 443 ssl;\n  location / { }\n}\n');
    expect(ev.routes).toHaveLength(1);
  });

  it('a third-party block directive is read with a warning that hides evidence', async () => {
    const ev = await read('e.conf', 'server {\n  listen 443 ssl;\n  vendor_block {\n    location /x { }\n  }\n  location / { }\n}\n');
    expect(ev.problems).toMatchObject([{ location: { line: 3 }, hidesEvidence: true }]);
  });

  it('an access_log naming an undefined log_format in a whole configuration is a problem (nginx -t refuses it)', async () => {
    const ev = await read('f.conf', 'events {}\nhttp {\n  access_log logs/a.log apiformat;\n  server { listen 443 ssl; location / { } }\n}\n');
    expect(ev.problems).toMatchObject([{ location: { line: 3 }, hidesEvidence: true, message: expect.stringContaining('"apiformat"') }]);
  });
});

describe('nginx includes: de-duplicated, capped, never lost silently', () => {
  it('a file included twice is read once (as nginx -T lists it) and parsed at both places', () => {
    const dir = join(tmp, 'inc');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tls.conf'), 'ssl_protocols TLSv1.2;\n');
    writeFileSync(join(dir, 'nginx.conf'), 'server { listen 443 ssl; include tls.conf; location / {} }\nserver { listen 8443 ssl; include tls.conf; location / {} }\n');
    const r = parseNginx(join(dir, 'nginx.conf'));
    expect(r.files.map((f) => f.slice(dir.length + 1))).toEqual(['nginx.conf', 'tls.conf']);
    expect(r.directives.flatMap((d) => d.block ?? []).filter((d) => d.name === 'ssl_protocols')).toHaveLength(2);
  });

  it('an include tree past the caps on files, bytes or expansions is an input error naming the include', () => {
    const dir = join(tmp, 'caps');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'leaf.conf'), '# ' + 'x'.repeat(1000) + '\n');
    writeFileSync(join(dir, 'mid.conf'), 'include leaf.conf;\n'.repeat(20));
    writeFileSync(join(dir, 'nginx.conf'), 'include mid.conf;\n'.repeat(20));
    expect(() => parseNginx(join(dir, 'nginx.conf'), { limits: { files: 100, bytes: 1e9, includes: 100 } })).toThrowError(/mid\.conf:\d+: more than 100 includes are expanded/);
    expect(() => parseNginx(join(dir, 'nginx.conf'), { limits: { files: 100, bytes: 50_000, includes: 1e6 } })).toThrowError(/exceed 50000 bytes in total/);
    expect(() => parseNginx(join(dir, 'nginx.conf'), { limits: { files: 2, bytes: 1e9, includes: 1e6 } })).toThrowError(/mid\.conf:1: include .*leaf\.conf: more than 2 files are included/);
  });

  it('a missing include hides evidence; an include of a directory or FIFO is an input error', async () => {
    const ev = await read('g.conf', 'server {\n  listen 443 ssl;\n  include missing.conf;\n  location / { }\n}\n');
    expect(ev.problems).toMatchObject([{ location: { line: 3 }, hidesEvidence: true, message: expect.stringContaining('file not found') }]);
    const e = await refusal('h.conf', 'server {\n  include /;\n}\n');
    expect(e.line).toBe(2);
    expect(e.hint).toMatch(/include \/: .*directory/);
    const z = await refusal('z.conf', 'server {\n  listen 80;\n  include /dev/zero;\n}\n');
    expect([z.line, z.hint]).toEqual([3, expect.stringMatching(/include \/dev\/zero: .*device/)]);
  });

  it('glob segments match without a backtracking regex (a pathological pattern on a long name returns at once)', () => {
    expect(matchSegment('*.conf', 'api.conf')).toBe(true);
    expect(matchSegment('*.conf', '.conf')).toBe(true);
    expect(matchSegment('[0-9][0-9]-*.conf', '10-api.conf')).toBe(true);
    expect(matchSegment('[!0-9]*.conf', '10-api.conf')).toBe(false);
    expect(matchSegment('a?c', 'abc')).toBe(true);
    expect(matchSegment('a*b*c', 'axxbyyc')).toBe(true);
    expect(matchSegment('a*b*c', 'axxbyy')).toBe(false);
    expect(matchSegment('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
  });
});

describe('zero routes and zero listeners are never a silent read', () => {
  it('a TLS policy fragment on its own hides evidence', async () => {
    const ev = await read('policy.conf', 'ssl_protocols TLSv1.2 TLSv1.3;\nssl_ciphers HIGH;\n');
    expect(ev.problems).toMatchObject([{ hidesEvidence: true, message: expect.stringContaining('no route and no listener') }]);
  });
});

describe('nginx semantics', () => {
  const conf = (verify: string, listens: string) =>
    `events {}\nhttp {\n  server {\n${listens}    ssl_protocols TLSv1.2;\n    ssl_ciphers HIGH:!aNULL;\n    ssl_verify_client ${verify};\n    location /v1/ { }\n  }\n}\n`;

  it('ssl_verify_client counts only when every listener of the server is TLS', async () => {
    const both = await read('n1.conf', conf('on', '    listen 80;\n    listen 443 ssl;\n'));
    expect(both.routes[0]!.protocols).toEqual(['https', 'http']);
    expect(both.routes[0]!.auth).toEqual([]);
    const tlsOnly = await read('n2.conf', conf('on', '    listen 443 ssl;\n'));
    expect(tlsOnly.routes[0]!.auth).toMatchObject([{ kind: 'mtls', plugin: 'ssl_verify_client', location: { line: 7 } }]);
  });

  it('optional / optional_no_ca: the listener says optional and the directive stays on the route for its own finding', async () => {
    const ev = await read('n3.conf', conf('optional_no_ca', '    listen 443 ssl;\n'));
    expect(ev.listeners[0]!.tls).toMatchObject({ clientCertificate: 'optional', clientCertificateLocation: { line: 7 } });
    expect(ev.routes[0]!.auth).toEqual([]);
    expect(ev.routes[0]!.plugins).toMatchObject([{ name: 'ssl_verify_client', config: { args: ['optional_no_ca'] }, location: { line: 7 } }]);
  });

  it('optional plus `if ($ssl_client_verify != SUCCESS) { return 403; }` in a location: mTLS there, not on /health', async () => {
    const ev = await read(
      'n6.conf',
      'server {\n  listen 443 ssl;\n  ssl_client_certificate ca.pem;\n  ssl_verify_client optional;\n  location /api/webhook {\n    if ($ssl_client_verify != SUCCESS) {\n      return 403;\n    }\n    proxy_pass http://app;\n  }\n  location /health {\n    return 200;\n  }\n}\n',
    );
    expect(ev.routes.map((r) => [r.paths[0], r.auth.map((a) => a.kind)])).toEqual([['/api/webhook', ['mtls']], ['/health', []]]);
  });

  it('the cipher list has its own location (the ssl_ciphers line)', async () => {
    const ev = await read('n4.conf', conf('off', '    listen 443 ssl;\n'));
    expect(ev.listeners[0]!.tls).toMatchObject({ location: { line: 5 }, ciphersLocation: { line: 6 } });
  });

  it('stream {} servers are listeners: TLS facts and plaintext exposure', async () => {
    const ev = await read('n5.conf', 'events {}\nstream {\n  ssl_protocols TLSv1 TLSv1.2;\n  server {\n    listen 5432;\n    proxy_pass db:5432;\n  }\n  server {\n    listen 6443 ssl;\n    proxy_pass api:6443;\n  }\n}\n');
    expect(ev.listeners.map((l) => [l.address, l.tls.enabled, l.tls.protocols, l.location.line])).toEqual([
      ['5432 (stream)', false, undefined, 5],
      ['6443 (stream)', true, ['TLSv1', 'TLSv1.2'], 9],
    ]);
  });
});

describe('Kong recognition and kong.conf', () => {
  it('a decK file of certificates, consumers, upstreams or vaults only is Kong, without _format_version', async () => {
    const certs = await read('certs.yaml', 'certificates:\n- cert: |\n    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n  key: "{vault://env/tls-key}"\n  snis:\n  - name: api.bank.example\n');
    expect(certs.format).toBe('kong');
    expect((await read('consumers.yaml', 'consumers:\n- username: fintech-app\n  custom_id: app-0001\n')).format).toBe('kong');
    expect((await read('up.yaml', 'upstreams:\n- name: core\n  targets:\n  - target: 10.0.0.1:8443\n')).format).toBe('kong');
    expect((await read('vaults.yaml', 'vaults:\n- name: env\n  prefix: my-env\n')).format).toBe('kong');
  });

  it('kong.conf: an unescaped "#" starts a comment anywhere, "\\#" is a literal "#"', async () => {
    const ev = await read('kong.conf', 'proxy_listen = 0.0.0.0:8443 ssl # TLS only\npg_password = s3cret#old one\nadmin_gui_auth_conf = a\\#b\n');
    expect(ev.credentials.map((c) => [c.key, c.excerpt])).toEqual([['pg_password', '****(6 chars)']]);
    expect(ev.listeners.map((l) => l.address)).toEqual(['0.0.0.0:8443']);
  });

  it('kong.conf: a line that is not "key = value" is a problem that hides evidence, not silently skipped', async () => {
    const ev = await read('kong.conf', 'proxy_listen = 0.0.0.0:8443 ssl\nssl_protocols TLSv1.2\n');
    expect(ev.problems.filter((p) => p.hidesEvidence)).toMatchObject([{ location: { line: 2 }, message: expect.stringContaining('not "key = value"') }]);
  });

  it('kong.conf without *_listen keys is read with --gateway-format kong (Kong defaults filled and marked)', async () => {
    const ev = await read('node.properties', 'ssl_cipher_suite = old\nheaders = off\n', { format: 'kong' });
    expect(ev.listeners.map((l) => [l.address, l.tls.enabled])).toEqual([['0.0.0.0:8000', false], ['0.0.0.0:8443', true]]);
    expect(ev.listeners[1]!.tls.defaults).toEqual(['ssl_protocols', 'proxy_listen']);
  });

  it('the Admin API on loopback is a management port; beyond loopback it is an exposed listener', async () => {
    const local = await read('kong.conf', 'proxy_listen = 0.0.0.0:8443 ssl\nadmin_listen = 127.0.0.1:8001\nstatus_listen = 127.0.0.1:8100\n');
    expect(local.listeners.map((l) => l.address)).toEqual(['0.0.0.0:8443']);
    const exposed = await read('kong.conf', 'proxy_listen = 0.0.0.0:8443 ssl\nadmin_listen = 0.0.0.0:8001\n');
    expect(exposed.listeners.map((l) => [l.address, l.tls.enabled])).toEqual([['0.0.0.0:8443', true], ['0.0.0.0:8001 (admin)', false]]);
  });

  it('openid-connect lifetimes follow Kong 3.x: session_absolute_timeout (default 86400 s; 0 = unbounded)', async () => {
    const deck = (cfg: string) => `_format_version: "3.0"\nservices:\n- name: s\n  url: https://core:8443\n  routes:\n  - name: r\n    paths: [/v1]\n    plugins:\n    - name: openid-connect\n      config: {${cfg}}\n`;
    expect((await read('o1.yaml', deck('issuer: https://idp/')).then((e) => e.routes[0]!.auth[0]!.maxLifetimeSeconds))).toBe(86400);
    expect((await read('o2.yaml', deck('session_absolute_timeout: 3600')).then((e) => e.routes[0]!.auth[0]!.maxLifetimeSeconds))).toBe(3600);
    expect((await read('o3.yaml', deck('session_absolute_timeout: 0')).then((e) => e.routes[0]!.auth[0]!.maxLifetimeSeconds))).toBeUndefined();
  });
});

describe('APISIX recognition and SNIs', () => {
  it("a top-level plugins: list is APISIX's enabled-plugin list, not Kong global authentication", async () => {
    const ev = await read('apisix.yaml', 'routes:\n  - uri: /v1/*\n    upstream:\n      nodes:\n        "core:8080": 1\nplugins:\n  - name: key-auth\n  - name: limit-count\n    stream: false\n#END\n');
    expect(ev.format).toBe('apisix');
    expect(ev.routes[0]!.auth).toEqual([]);
    expect(ev.globalPlugins).toEqual([]);
    const node = await read('config.yaml', 'plugins:\n  - key-auth\n  - limit-req\n');
    expect(node.format).toBe('apisix');
  });

  it('ssls[].client.ca counts only for routes whose every host is one of its SNIs', async () => {
    const ev = await read(
      'apisix.yaml',
      'ssls:\n  - snis: ["*.bank.example"]\n    cert: "$env://C"\n    key: "$env://K"\n    client:\n      ca: "$env://CA"\nroutes:\n  - id: a\n    uri: /a\n    host: api.bank.example\n  - id: b\n    uri: /b\n    hosts: [api.bank.example, other.example]\n  - id: c\n    uri: /c\n#END\n',
    );
    expect(ev.routes.map((r) => [r.name, r.auth.map((a) => a.kind)])).toEqual([['a', ['mtls']], ['b', []], ['c', []]]);
  });
});

describe('Spring Cloud Gateway 4.1+ and profiles', () => {
  it('server.webmvc / server.webflux routes with nested or dotted keys at any depth', async () => {
    const dotted = await read('a.yml', 'spring.cloud.gateway.server.webmvc.routes:\n  - id: accounts\n    uri: https://core\n    predicates: [Path=/v1/accounts/**]\n');
    expect(dotted.routes.map((r) => r.name)).toEqual(['accounts']);
    const mixed = await read('b.yml', 'spring:\n  cloud.gateway:\n    server.webflux:\n      routes:\n        - id: pay\n          uri: https://core\n          predicates: [Path=/v1/pay]\n      default-filters: [TokenRelay]\n');
    expect(mixed.routes.map((r) => [r.name, r.auth.map((a) => a.plugin)])).toEqual([['pay', ['TokenRelay']]]);
    const deep = await read('c.yml', 'spring:\n  cloud:\n    gateway.server:\n      webflux.routes:\n        - id: x\n          uri: https://core\n');
    expect(deep.routes.map((r) => r.name)).toEqual(['x']);
    const dottedSsl = await read('d.yml', 'server.port: 8443\nserver.ssl.client-auth: need\nserver.ssl.key-store: classpath:ks.p12\nspring.cloud.gateway.server.webflux.routes:\n  - id: y\n    uri: https://core\n');
    expect(dottedSsl.listeners[0]!.tls).toMatchObject({ enabled: true, clientCertificate: 'required' });
    expect(dottedSsl.routes[0]!.auth.map((a) => a.kind)).toEqual(['mtls']);
    // client-auth: want requests a certificate without enforcing it: no mTLS, and the setting is kept for its finding
    const want = await read('e.yml', 'server.port: 8443\nserver.ssl.client-auth: want\nserver.ssl.key-store: ks.p12\nspring.cloud.gateway.routes:\n  - id: z\n    uri: https://core\n');
    expect(want.routes[0]!.auth).toEqual([]);
    expect(want.routes[0]!.plugins).toMatchObject([{ name: 'server.ssl.client-auth', config: { args: ['want'] }, location: { line: 2 } }]);
  });

  it('--- profile sections are separate documents: each route keeps its profile and inherits the default server', async () => {
    const ev = await read(
      'application.yml',
      'server:\n  port: 8443\n  ssl:\n    key-store: classpath:ks.p12\nspring.cloud.gateway.routes:\n  - id: base\n    uri: https://core\n---\nspring:\n  config.activate.on-profile: prod\n  cloud.gateway.routes:\n    - id: prod-only\n      uri: https://core-prod\n',
    );
    expect(ev.routes.map((r) => [r.name, r.protocols, r.tags, r.location.line])).toEqual([
      ['base', ['https'], [], 6],
      ['prod-only', ['https'], ['profile:prod'], 12],
    ]);
  });
});

describe('refusals say what the file looks like, never a library hint', () => {
  it('a lint ruleset, a mixed multi-document stream, a Compose file', async () => {
    expect((await refusal('.spectral.yaml', 'extends: ["spectral:oas"]\nrules:\n  no-http: error\n')).hint).toMatch(/a lint ruleset/);
    const mixed = await refusal('mixed.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\nfoo: bar\n');
    expect(mixed.hint).toMatch(/1 of 2 documents are Kubernetes objects/);
    expect(mixed.hint).not.toMatch(/parseAllDocuments|please use/);
    expect((await refusal('compose.yaml', 'version: "3"\nservices:\n  api:\n    image: x\n')).hint).toMatch(/Docker Compose/);
    expect((await refusal('docs.yaml', 'a: 1\n---\nb: 2\n')).hint).toMatch(/multi-document YAML stream \(2 documents\)/);
    expect((await refusal('values.yaml', 'replicaCount: 2\nimage:\n  repository: kong\ningress:\n  enabled: true\n')).hint).toMatch(/Helm chart values.*helm template/);
    expect((await refusal('kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [ingress.yaml]\n')).hint).toMatch(/kustomize build/);
  });
});
