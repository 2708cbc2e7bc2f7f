import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { collectGateway } from './index.js';

const FX = new URL('./__fixtures__/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-gw-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}

const byName = <T extends { name?: string }>(xs: T[], name: string): T => {
  const x = xs.find((r) => r.name === name);
  if (!x) throw new Error(`no ${name} in ${xs.map((r) => r.name).join(', ')}`);
  return x;
};

describe('nginx', () => {
  it('routes are reachable locations; server/http directives inherit unless the location sets its own', async () => {
    const ev = await collectGateway(`${FX}nginx-tree/nginx.conf`);
    expect(ev.format).toBe('nginx');
    expect(ev.routes.map((r) => [r.name, r.protocols.join('+'), r.location.line])).toEqual([
      ['api.bank.example /v1/accounts', 'https', 11],
      ['api.bank.example = /v1/health', 'https', 15],
      ['api.bank.example ~ ^/v1/transfers/[0-9]+$', 'https', 19],
      ['legacy.bank.example /legacy/', 'http', 5],
    ]);
    const accounts = ev.routes[0]!;
    expect(accounts.upstream).toBe('http://core');
    expect(accounts.auth).toEqual([{ kind: 'mtls', plugin: 'ssl_verify_client', location: { file: `${FX}nginx-tree/conf.d/10-api.conf`, line: 8 } }]);
    // limit_req from the server, with the zone's rate from limit_req_zone in http
    expect(accounts.rateLimits).toEqual([{ plugin: 'limit_req', ratePerSecond: 10, location: { file: `${FX}nginx-tree/conf.d/10-api.conf`, line: 9 } }]);
    // allow/deny from an included snippet keep the snippet's file and line
    expect(accounts.accessLists.find((a) => a.mode === 'deny')).toEqual({ plugin: 'deny', mode: 'deny', entries: ['10.9.9.9'], location: { file: `${FX}nginx-tree/snippets/deny.conf`, line: 1 } });
    expect(accounts.logging[0]!.fields).toEqual(expect.arrayContaining(['request_id', 'http_x_app_id', 'http_x_u_api_id', 'request_time', 'time_iso8601', 'status']));
    // access_log off in the location overrides http's access_log
    expect(ev.routes[1]!.logging).toEqual([{ enabled: false, plugin: 'access_log off', location: { file: `${FX}nginx-tree/conf.d/10-api.conf`, line: 16 } }]);
    // the location's own limit_req replaces the server's (array directives are not merged)
    expect(ev.routes[2]!.rateLimits.map((r) => r.location.line)).toEqual([20]);
    expect(ev.routes[3]!.auth).toEqual([]);
  });

  it('listeners carry the inherited TLS policy; the port-80 redirect server is not plaintext API traffic', async () => {
    const ev = await collectGateway(`${FX}nginx-tree/nginx.conf`);
    expect(ev.listeners.map((l) => [l.address, l.tls.enabled, l.redirectsToHttps ?? false])).toEqual([
      ['443', true, false],
      ['8080', false, false],
      ['80', false, true],
    ]);
    expect(ev.listeners[0]!.tls).toMatchObject({ protocols: ['TLSv1.2', 'TLSv1.3'], clientCertificate: 'required', location: { file: `${FX}nginx-tree/nginx.conf`, line: 12 } });
    expect(ev.listeners[0]!.tls.defaults).toBeUndefined();
    expect(ev.disclosures).toEqual([]);
    expect(ev.credentials).toEqual([
      { kind: 'token', key: 'proxy_set_header Authorization', excerpt: '****(22 chars)', location: { file: `${FX}nginx-tree/conf.d/20-legacy.conf`, line: 9 } },
    ]);
    expect(Object.keys(ev.digests)).toHaveLength(5);
  });

  it('--prefix: relative includes resolve against the prefix, not the main file directory', async () => {
    const ev = await collectGateway(`${FX}nginx-tree/alt/main.conf`, { prefix: `${FX}nginx-tree` });
    expect(ev.routes.map((r) => r.name)).toEqual(['legacy.bank.example /legacy/']);
  });

  it('defaults when nothing is set: TLSv1/1.1 on (nginx < 1.23.4), HIGH:!aNULL:!MD5, server_tokens on, combined log', async () => {
    const f = write('plain.conf', 'http {\n  server {\n    listen 443 ssl;\n    location /api/ { proxy_pass http://b; }\n  }\n}\n');
    const ev = await collectGateway(f);
    expect(ev.listeners[0]!.tls).toMatchObject({ protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], ciphers: 'HIGH:!aNULL:!MD5', defaults: ['ssl_protocols', 'ssl_ciphers'] });
    expect(ev.disclosures).toEqual([{ setting: 'server_tokens', value: 'on (default)', location: { file: f, line: 2 } }]);
    expect(ev.routes[0]!.logging[0]).toMatchObject({ enabled: true, plugin: 'access_log (default: logs/access.log combined)' });
  });

  it('a syntax error is an InputError with file and line', async () => {
    const f = write('broken.conf', 'http {\n  server {\n    listen 80\n  }\n}\n');
    await expect(collectGateway(f)).rejects.toThrowError(new InputError(f, 4, 'unexpected "}" (directive "listen" on line 3 has no ";")'));
  });
});

describe('Kong', () => {
  it('service, route and global plugins combine per route; default protocols accept http', async () => {
    const ev = await collectGateway(`${FX}kong-bank.yaml`);
    expect(ev.format).toBe('kong');
    expect(ev.routes.map((r) => [r.name, r.declaredLevel, r.protocols.join('+'), r.auth.map((a) => a.kind).join('+'), r.location.line])).toEqual([
      ['accounts-read', 'A1', 'https', 'key', 12],
      ['payments-create', 'A2', 'http+https', 'mtls', 21],
      ['payments-status', 'A2', 'http+https', 'jwt', 32],
    ]);
    const create = byName(ev.routes, 'payments-create');
    // the service's plain-http hop to the upstream is recorded, not treated as a client listener
    expect(create.upstream).toBe('http://payments.internal:8080');
    expect(ev.listeners).toEqual([]);
    expect(create.rateLimits).toEqual([{ plugin: 'rate-limiting', ratePerSecond: 50, location: { file: `${FX}kong-bank.yaml`, line: 40, column: 5, pointer: '/plugins/0' } }]);
    expect(create.accessLists).toMatchObject([{ plugin: 'ip-restriction', mode: 'deny', entries: ['203.0.113.7'] }]);
    expect(byName(ev.routes, 'payments-status').auth[0]!.maxLifetimeSeconds).toBe(3600);
    expect(create.logging.map((l) => l.plugin)).toEqual(['file-log']);
  });

  it('consumer credentials are found and masked: the clear value never leaves the collector', async () => {
    const ev = await collectGateway(`${FX}kong-bank.yaml`);
    expect(ev.credentials).toEqual([
      { kind: 'api-key', key: 'consumers[0].keyauth_credentials[0].key', excerpt: '****(20 chars)', location: { file: `${FX}kong-bank.yaml`, line: 49, column: 14, pointer: '/consumers/0/keyauth_credentials/0/key' } },
    ]);
    expect(JSON.stringify(ev)).not.toContain('k3y-f1ntech-app-0001');
  });

  it('kong.conf: commented defaults read as Kong defaults (plaintext 8000, TLS 8443, server_tokens header)', async () => {
    const ev = await collectGateway('/work/shared/corpus/gateway/kong/kong.conf.default');
    expect(ev.listeners.map((l) => [l.address, l.tls.enabled])).toEqual([
      ['0.0.0.0:8000', false],
      ['0.0.0.0:8443', true],
      // the Admin API on 127.0.0.1:8001/8444 (the default) is a management port, not API traffic
    ]);
    expect(ev.listeners[1]!.tls).toMatchObject({ protocols: ['TLSv1.2', 'TLSv1.3'], defaults: ['ssl_protocols', 'ssl_cipher_suite', 'proxy_listen'] });
    expect(ev.disclosures[0]).toMatchObject({ setting: 'headers', value: 'server_tokens, latency_tokens, X-Kong-Request-Id (default)' });
  });
});

describe('APISIX', () => {
  it('routes inherit plugin_config and service plugins plus global rules; labels give the level; ssls client.ca is mTLS', async () => {
    const ev = await collectGateway(`${FX}apisix-bank.yaml`);
    expect(ev.format).toBe('apisix');
    const transfers = byName(ev.routes, 'transfers');
    expect(transfers.declaredLevel).toBe('A2');
    // ssls[].client.ca is for the SNI api.bank.example only: this route has no host, so any SNI reaches it
    expect(transfers.auth.map((a) => `${a.kind}:${a.plugin}`)).toEqual(['hmac:hmac-auth']);
    expect(transfers.rateLimits).toMatchObject([{ plugin: 'limit-count', location: { line: 13, pointer: '/plugin_configs/0/plugins/limit-count' } }]);
    expect(transfers.accessLists).toMatchObject([{ plugin: 'ip-restriction', mode: 'deny', entries: ['198.51.100.0/24'] }]);
    expect(transfers.logging[0]!.fields).toEqual(['request_id', 'app_id', 'route_id', 'latency', 'time', 'status']);
    // APISIX serves routes on plain-http node_listen too, unless the route redirects to https
    expect(transfers.protocols).toEqual(['http', 'https']);
    expect(byName(ev.routes, 'rates').protocols).toEqual(['https']);
    expect(ev.listeners[0]!.tls.clientCertificate).toBe('required');
    // $env:// references are not credentials; the consumer's jwt-auth secret is
    expect(ev.credentials.map((c) => [c.kind, c.key, c.excerpt])).toEqual([['app-secret', 'consumers[0].plugins.jwt-auth.secret', '****(20 chars)']]);
  });

  it('Admin-API export ({"list": [{"value": route}]})', async () => {
    const ev = await collectGateway(`${FX}apisix-admin-export.json`);
    expect(ev.routes.map((r) => [r.name, r.paths, r.auth.length, r.rateLimits[0]?.ratePerSecond, r.location.pointer])).toEqual([
      ['1', ['/v1/accounts/*'], 1, 5, '/list/0/value'],
      ['2', ['/debug', '/debug/*'], 0, undefined, '/list/1/value'],
    ]);
  });
});

describe('Admin-API and JSON variants', () => {
  it('APISIX v2 export ({"node": {"nodes": [{"value": route}]}}) and a bare array of routes', async () => {
    const v2 = write('routes-v2.json', JSON.stringify({ node: { nodes: [{ key: '/apisix/routes/7', value: { id: '7', uri: '/v1/cards/*', plugins: { 'jwt-auth': {} } } }] } }, null, 1));
    expect((await collectGateway(v2)).routes.map((r) => [r.name, r.auth[0]?.kind, r.location.pointer])).toEqual([['7', 'jwt', '/node/nodes/0/value']]);
    const arr = write('routes.json', JSON.stringify([{ id: 'a', uri: '/a' }, { id: 'b', uris: ['/b'] }]));
    expect((await collectGateway(arr)).routes.map((r) => r.paths[0])).toEqual(['/a', '/b']);
  });

  it('Kong declarative config written as JSON', async () => {
    const f = write('kong.json', JSON.stringify({ _format_version: '2.1', services: [{ name: 's', url: 'https://core:8443', routes: [{ name: 'r', paths: ['/v1'], protocols: ['https'] }] }] }, null, 2));
    const ev = await collectGateway(f);
    expect([ev.format, ev.routes[0]!.name, ev.routes[0]!.upstream, ev.routes[0]!.location.line]).toEqual(['kong', 'r', 'https://core:8443', 8]);
  });
});

describe('Spring Cloud Gateway', () => {
  it('routes, predicates, filters, default-filters, server.ssl with client-auth need; Chinese comments', async () => {
    const ev = await collectGateway(`${FX}spring-bank.yml`);
    expect(ev.format).toBe('spring');
    expect(ev.routes.map((r) => [r.name, r.paths, r.methods, r.declaredLevel, r.protocols, r.upstream])).toEqual([
      ['accounts', ['/v1/accounts/**'], ['GET'], 'A2', ['https'], 'lb://accounts'],
      ['rates', ['/v1/rates/**'], [], undefined, ['https'], 'lb://rates'],
    ]);
    expect(ev.routes[0]!.auth.map((a) => a.kind)).toEqual(['oauth2', 'mtls']);
    expect(ev.routes[1]!.rateLimits).toMatchObject([{ plugin: 'RequestRateLimiter', ratePerSecond: 20, location: { line: 17 } }]);
    expect(ev.listeners[0]!.tls).toMatchObject({ enabled: true, protocols: ['TLSv1.2', 'TLSv1.3'], clientCertificate: 'required' });
    // ${REDIS_PASSWORD} is a reference, the key-store password is written inline
    expect(ev.credentials.map((c) => [c.key, c.excerpt, c.location.line])).toEqual([['server.ssl.key-store-password', '****(13 chars)', 7]]);
  });
});

describe('detection', () => {
  it('a file that is no gateway configuration is rejected, naming the file', async () => {
    const f = write('notes.txt', 'Just some notes about the API gateway.\n');
    await expect(collectGateway(f)).rejects.toThrowError(`${f}: not a recognised gateway configuration (kong, apisix, nginx, spring, kubernetes): no nginx directive, YAML or JSON structure recognised`);
    const o = write('spec.yaml', 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths: {}\n');
    await expect(collectGateway(o)).rejects.toThrowError(/an OpenAPI\/Swagger description \(pass it with --openapi\)/);
  });

  it('--gateway-format overrides detection', async () => {
    const f = write('routes.yaml', 'routes:\n  - uri: /v1/x\n    plugins: {}\n');
    expect((await collectGateway(f)).format).toBe('apisix');
    const spring = write('app.yml', 'app:\n  secret: s3cr3t-value\n');
    await expect(collectGateway(spring)).rejects.toThrowError(InputError);
    expect((await collectGateway(spring, { format: 'spring' })).credentials).toHaveLength(1);
  });

  it('invalid YAML given as a format is an InputError with the line', async () => {
    const f = write('bad.yaml', 'routes:\n  - uri: /x\n    methods: [GET\n');
    await expect(collectGateway(f, { format: 'apisix' })).rejects.toThrowError(new RegExp(`^${f}:\\d+: not valid YAML/JSON`));
    await expect(collectGateway(f)).rejects.toThrowError(new RegExp(`^${f}:\\d+: not valid YAML/JSON`));
  });
});

describe('nginx inline credentials in proxied headers', () => {
  it('a fixed App_Secret or API key header is a credential, a variable is not', async () => {
    const f = write(
      'headers.conf',
      [
        'http {',
        '  server {',
        '    listen 443 ssl;',
        '    location /api/ {',
        '      proxy_set_header X-App-Secret "hv8Kq2ZtB7xLw3NfR9pD4sY6";',
        '      proxy_set_header X-Api-Key $http_x_api_key;',
        '      proxy_set_header X-Request-Id $request_id;',
        '      proxy_pass http://backend;',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    const ev = await collectGateway(f, { format: 'nginx' });
    expect(ev.credentials).toEqual([{ kind: 'app-secret', key: 'proxy_set_header X-App-Secret', excerpt: '****(24 chars)', location: { file: f, line: 5 } }]);
    expect(JSON.stringify(ev)).not.toContain('hv8Kq2ZtB7xLw3NfR9pD4sY6');
  });
});

describe('Kong logging plugins', () => {
  it('record the basic serializer fields, plus custom_fields_by_lua', async () => {
    const f = write(
      'kong-log.yaml',
      ['_format_version: "3.0"', 'services:', '  - name: s', '    url: http://s.internal', '    routes:', '      - name: r', '        paths: [/v1/a]', 'plugins:', '  - name: file-log', '    config:', '      path: /var/log/kong.log', '      custom_fields_by_lua:', '        app_id: "return 1"'].join('\n'),
    );
    const ev = await collectGateway(f);
    expect(ev.routes[0]!.logging.map((l) => l.fields)).toEqual([['request_id', 'consumer', 'route', 'latencies', 'started_at', 'status', 'app_id']]);
  });
});
