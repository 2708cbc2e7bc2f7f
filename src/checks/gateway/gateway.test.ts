import { describe, expect, it } from 'vitest';
import { testCheck } from '../testing.js';
import { enabledSuites, weakCipherFamilies } from './index.js';
import type {
  GatewayConfigEvidence,
  ListenerEvidence,
  OpenApiDocumentEvidence,
  OperationEvidence,
  RouteEvidence,
} from '../../model/evidence.js';

const F = 'gw/kong.yaml';

function route(over: Partial<RouteEvidence> & { line: number }): RouteEvidence {
  const { line, ...rest } = over;
  return {
    name: `r${line}`,
    hosts: [],
    paths: ['/accounts'],
    methods: [],
    protocols: ['https'],
    tags: [],
    auth: [],
    rateLimits: [],
    accessLists: [],
    logging: [],
    plugins: [],
    location: { file: F, line },
    ...rest,
  };
}

function listener(over: Partial<ListenerEvidence> & { line: number }, tls: Partial<ListenerEvidence['tls']> = {}): ListenerEvidence {
  const { line, ...rest } = over;
  return {
    address: '443',
    port: 443,
    tls: { enabled: true, protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: 'HIGH:!aNULL:!MD5', location: { file: F, line }, ...tls },
    location: { file: F, line },
    ...rest,
  };
}

function gw(over: Partial<GatewayConfigEvidence> = {}): GatewayConfigEvidence {
  return { kind: 'gateway', file: F, format: 'kong', listeners: [], routes: [], globalPlugins: [], credentials: [], disclosures: [], problems: [], digests: {}, ...over };
}

const at = (line: number) => ({ file: F, line });

function openapi(ops: Partial<OperationEvidence>[], servers = ['https://api.bank.example/v1']): OpenApiDocumentEvidence {
  return {
    kind: 'openapi',
    file: 'openapi.yaml',
    version: '3.0',
    servers: servers.map((url) => ({ url, location: { file: 'openapi.yaml', pointer: '/servers/0' } })),
    securitySchemes: [],
    operations: ops.map((o) => ({
      file: 'openapi.yaml',
      method: 'get',
      path: '/accounts',
      parameters: [],
      responses: [],
      extensions: {},
      location: { file: 'openapi.yaml', pointer: `/paths/${(o.path ?? '/accounts').replace(/\//g, '~1')}/${o.method ?? 'get'}` },
      ...o,
    })),
    problems: [],
    digests: {},
  };
}

describe('OpenSSL cipher strings', () => {
  it('nginx default HIGH:!aNULL:!MD5 enables no weak family (3DES is MEDIUM since OpenSSL 1.1.0)', () => {
    expect(weakCipherFamilies('HIGH:!aNULL:!MD5')).toEqual([]);
    expect(enabledSuites('HIGH:!aNULL:!MD5').length).toBeGreaterThan(10);
  });
  it('exclusions with ! and - disable; later additions after - come back, after ! never', () => {
    expect(weakCipherFamilies('ALL:!RC4:!3DES:!DES:!EXPORT:!aNULL:!MD5')).toEqual([]);
    expect(weakCipherFamilies('ALL:-3DES:3DES')).toContain('3DES');
    expect(weakCipherFamilies('ALL:!3DES:3DES')).not.toContain('3DES');
  });
  it('ALL enables anonymous suites but not eNULL; explicit names are honoured', () => {
    expect(weakCipherFamilies('ALL')).toEqual(['RC4', '3DES', 'DES', 'EXPORT', 'anonymous', 'MD5']);
    expect(weakCipherFamilies('ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA')).toEqual(['3DES']);
    expect(weakCipherFamilies('eNULL')).toEqual(['NULL', 'anonymous', 'MD5']); // NULL-MD5, AECDH-NULL-SHA
    expect(weakCipherFamilies('EECDH+AESGCM:EDH+AESGCM')).toEqual([]);
    expect(weakCipherFamilies('kEDH+aNULL')).toContain('anonymous');
  });
});

testCheck('gateway.tlsOnly', {
  valid: [
    { name: 'TLS listener and https-only route', bundle: { gateway: [gw({ listeners: [listener({ line: 3 })], routes: [route({ line: 9 })] })] }, expect: ['pass', 'pass'] },
    {
      name: 'plaintext listener that only redirects to https',
      bundle: { gateway: [gw({ format: 'nginx', listeners: [listener({ line: 2, address: '80', redirectsToHttps: true }, { enabled: false })] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'Kong route with default protocols (http+https)',
      bundle: { gateway: [gw({ routes: [route({ line: 12, protocols: ['http', 'https'] })] })] },
      expect: [{ status: 'fail', messageId: 'plaintextRoute', line: 12, subject: 'kong route r12', message: 'accepts plaintext protocols http' }],
    },
    {
      name: 'nginx plain listen 80 serving the API',
      bundle: { gateway: [gw({ format: 'nginx', listeners: [listener({ line: 4, address: '80' }, { enabled: false })] })] },
      expect: [{ status: 'fail', messageId: 'plaintextListener', line: 4, subject: 'nginx listener 80' }],
    },
  ],
});

testCheck('gateway.tlsMinVersion', {
  valid: [
    { name: 'TLSv1.2 and TLSv1.3 only', bundle: { gateway: [gw({ listeners: [listener({ line: 3 })] })] }, expect: ['pass'] },
    { name: 'no TLS listener in a route-only file', bundle: { gateway: [gw()] }, expect: ['n/a'] },
  ],
  invalid: [
    {
      name: 'ubuntu default enables TLSv1 and TLSv1.1',
      bundle: { gateway: [gw({ listeners: [listener({ line: 7 }, { protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], location: at(20) })] })] },
      expect: [{ status: 'fail', messageId: 'belowMin', line: 20, message: 'below TLSv1.2: TLSv1 TLSv1.1' }],
    },
    {
      name: 'nginx ssl_protocols not set: the pre-1.23.4 default is judged, and said to be a default',
      bundle: { gateway: [gw({ format: 'nginx', listeners: [listener({ line: 5 }, { protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], defaults: ['ssl_protocols'] })] })] },
      expect: [{ status: 'fail', messageId: 'belowMin', line: 5, message: '(not set: the gateway default)' }],
    },
    {
      name: 'min TLSv1.3 rejects TLSv1.2',
      params: { min: 'TLSv1.3' },
      bundle: { gateway: [gw({ listeners: [listener({ line: 3 })] })] },
      expect: [{ status: 'fail', messageId: 'belowMin', message: 'below TLSv1.3: TLSv1.2' }],
    },
  ],
});

testCheck('gateway.weakCiphers', {
  valid: [
    { name: 'HIGH:!aNULL:!MD5', bundle: { gateway: [gw({ listeners: [listener({ line: 3 })] })] }, expect: ['pass'] },
    { name: 'Mozilla intermediate list', bundle: { gateway: [gw({ listeners: [listener({ line: 3 }, { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305' })] })] }, expect: ['pass'] },
  ],
  invalid: [
    {
      name: 'RC4 and 3DES left in',
      bundle: { gateway: [gw({ listeners: [listener({ line: 3 }, { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA:DES-CBC3-SHA', location: at(8) })] })] },
      expect: [{ status: 'fail', messageId: 'weak', line: 8, message: 'enables weak suites: RC4, 3DES' }],
    },
    {
      name: 'ALL without exclusions enables anonymous suites',
      bundle: { gateway: [gw({ listeners: [listener({ line: 3 }, { ciphers: 'ALL:!EXPORT:!RC4:!DES:!3DES:!MD5' })] })] },
      expect: [{ status: 'fail', messageId: 'weak', message: 'anonymous' }],
    },
  ],
});

const keyAuth = { kind: 'key' as const, plugin: 'key-auth', location: at(20) };
const mtls = { kind: 'mtls' as const, plugin: 'mtls-auth', location: at(21) };

testCheck('gateway.routeAuthentication', {
  valid: [{ name: 'key-auth on the route', bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [keyAuth] })] })] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'one route open, one authenticated',
      bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [keyAuth] }), route({ line: 14, name: 'open-accounts' })] })] },
      expect: [{ status: 'fail', messageId: 'noAuthentication', line: 14, subject: 'kong route open-accounts' }],
    },
  ],
});

testCheck('gateway.mutualAuthentication', {
  valid: [
    { name: 'A2 route with mtls-auth', bundle: { gateway: [gw({ routes: [route({ line: 9, declaredLevel: 'A2', auth: [keyAuth, mtls] })] })] }, expect: ['pass'] },
    { name: 'A1 profile: key-auth alone is not judged here', level: 'A1', bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [keyAuth] })] })] }, expect: ['n/a'] },
    {
      name: 'route level from the matching operation (x-security-level A1) overrides the A2 profile',
      level: 'A2',
      bundle: { gateway: [gw({ routes: [route({ line: 9, paths: ['/v1/accounts'], auth: [keyAuth] })] })], openapi: [openapi([{ declaredLevel: 'A1' }])] },
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'A2 tag with key-auth only',
      level: 'A1',
      bundle: { gateway: [gw({ routes: [route({ line: 9, declaredLevel: 'A2', auth: [keyAuth] })] })] },
      expect: [{ status: 'fail', messageId: 'sharedSecretOnly', line: 9, message: 'level from route tags' }],
    },
    {
      name: 'A2 from the profile (--level) and HMAC with a shared key',
      bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [{ kind: 'hmac', plugin: 'hmac-auth', location: at(30) }] })] })] },
      expect: [{ status: 'fail', messageId: 'sharedSecretOnly', message: 'level from --level' }],
    },
  ],
});

testCheck('gateway.credentialLifetime', {
  valid: [
    { name: 'jwt with maximum_expiration 3600', params: { maxSeconds: 7200 }, bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [{ kind: 'jwt', plugin: 'jwt', maxLifetimeSeconds: 3600, location: at(40) }] })] })] }, expect: ['pass'] },
    { name: 'key-auth carries no token lifetime', bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [keyAuth] })] })] }, expect: [] },
  ],
  invalid: [
    {
      name: 'jwt without maximum_expiration',
      bundle: { gateway: [gw({ routes: [route({ line: 9, auth: [{ kind: 'jwt', plugin: 'jwt', location: at(41) }] })] })] },
      expect: [{ status: 'fail', messageId: 'unbounded', line: 41 }],
    },
    {
      name: 'APISIX jwt-auth default exp 86400 above 7200',
      params: { maxSeconds: 7200 },
      bundle: { gateway: [gw({ format: 'apisix', routes: [route({ line: 9, auth: [{ kind: 'jwt', plugin: 'jwt-auth', maxLifetimeSeconds: 86400, location: at(42) }] })] })] },
      expect: [{ status: 'fail', messageId: 'tooLong', line: 42, message: '86400 s exceeds 7200 s' }],
    },
  ],
});

testCheck('gateway.rateLimit', {
  valid: [
    { name: 'rate-limiting plugin', bundle: { gateway: [gw({ routes: [route({ line: 9, rateLimits: [{ plugin: 'rate-limiting', ratePerSecond: 5, location: at(50) }] })] })] }, expect: ['pass'] },
    {
      name: 'Spring route limited by a Sentinel gw-flow rule file assessed alongside',
      bundle: {
        gateway: [
          gw({ format: 'spring', file: 'ruoyi-gateway.yml', routes: [route({ line: 40, name: 'ruoyi-auth' })] }),
          gw({ format: 'spring', file: 'sentinel.json', globalPlugins: [{ name: 'sentinel-gw-flow', config: { resource: 'ruoyi-auth', count: 500 }, location: { file: 'sentinel.json', line: 2 } }] }),
        ],
      },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'route without flow control',
      bundle: { gateway: [gw({ routes: [route({ line: 9, name: 'transfers' })] })] },
      expect: [{ status: 'fail', messageId: 'noRateLimit', line: 9, subject: 'kong route transfers' }],
    },
  ],
});

testCheck('gateway.blacklist', {
  valid: [
    { name: 'ip-restriction deny list', bundle: { gateway: [gw({ routes: [route({ line: 9, accessLists: [{ plugin: 'ip-restriction', mode: 'deny', entries: ['10.0.0.9'], location: at(60) }] })] })] }, expect: ['pass'] },
    { name: 'APISIX consumer-restriction allow list (app parties can be removed)', bundle: { gateway: [gw({ format: 'apisix', routes: [route({ line: 9, accessLists: [{ plugin: 'consumer-restriction', mode: 'allow', entries: ['app1'], location: at(61) }] })] })] }, expect: ['pass'] },
  ],
  invalid: [
    {
      name: 'IP allow list only',
      bundle: { gateway: [gw({ routes: [route({ line: 9, accessLists: [{ plugin: 'ip-restriction', mode: 'allow', entries: ['10.0.0.0/8'], location: at(62) }] })] })] },
      expect: [{ status: 'fail', messageId: 'noBlacklist', line: 9 }],
    },
  ],
});

testCheck('gateway.accessLog', {
  valid: [{ name: 'file-log', bundle: { gateway: [gw({ routes: [route({ line: 9, logging: [{ enabled: true, plugin: 'file-log', location: at(70) }] })] })] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'nginx access_log off',
      bundle: { gateway: [gw({ format: 'nginx', routes: [route({ line: 9, logging: [{ enabled: false, plugin: 'access_log off', location: at(71) }] })] })] },
      expect: [{ status: 'fail', messageId: 'accessLogOff', line: 71 }],
    },
    {
      name: 'a route whose config format would show an access log, and shows none',
      bundle: { gateway: [gw({ format: 'nginx', routes: [route({ line: 9 })] })] },
      expect: [{ status: 'fail', messageId: 'noAccessLog', line: 9 }],
    },
    {
      name: 'Spring route: the access log is a JVM property outside application.yml, so a warning, not a fail',
      bundle: { gateway: [gw({ format: 'spring', routes: [route({ line: 9 })] })] },
      expect: [{ status: 'warn', messageId: 'jvmAccessLog', line: 9 }],
    },
    {
      name: 'Kong route without a log plugin: only the node default log',
      bundle: { gateway: [gw({ routes: [route({ line: 9 })] })] },
      expect: [{ status: 'warn', messageId: 'nodeLogOnly', line: 9 }],
    },
  ],
});

const fullFormat = ['request_id', 'http_x_app_id', 'http_x_u_api_id', 'request_time', 'time_iso8601', 'status'];

testCheck('gateway.logFields', {
  valid: [
    { name: 'log_format with all six fields', bundle: { gateway: [gw({ format: 'nginx', routes: [route({ line: 9, logging: [{ enabled: true, plugin: 'access_log api', fields: fullFormat, location: at(80) }] })] })] }, expect: ['pass'] },
    { name: 'format not visible', bundle: { gateway: [gw({ routes: [route({ line: 9, logging: [{ enabled: true, plugin: 'http-log', location: at(81) }] })] })] }, expect: ['n/a'] },
    {
      name: 'only the fields asked for',
      params: { fields: ['timestamp', 'result'] },
      bundle: { gateway: [gw({ format: 'nginx', routes: [route({ line: 9, logging: [{ enabled: true, plugin: 'access_log combined', fields: ['remote_addr', 'time_local', 'request', 'status'], location: at(82) }] })] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'combined format: no serial number, App_ID, U_API_ID or duration',
      bundle: { gateway: [gw({ format: 'nginx', routes: [route({ line: 9, logging: [{ enabled: true, plugin: 'access_log combined', fields: ['remote_addr', 'remote_user', 'time_local', 'request', 'status', 'body_bytes_sent'], location: at(83) }] })] })] },
      expect: [{ status: 'fail', messageId: 'missingFields', line: 83, message: 'serial-number, u-api-id, duration' }],
    },
  ],
});

testCheck('gateway.noInlineSecrets', {
  valid: [{ name: 'no credentials', bundle: { gateway: [gw()] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'consumer key-auth key in clear (masked in the outcome)',
      bundle: { gateway: [gw({ credentials: [{ kind: 'api-key', key: 'consumers[0].keyauth_credentials[0].key', excerpt: '****(10 chars)', location: at(90) }] })] },
      expect: [{ status: 'fail', messageId: 'inlineSecret', line: 90, message: '= ****(10 chars)' }],
    },
  ],
});

testCheck('gateway.noVersionDisclosure', {
  valid: [
    { name: 'nginx with server_tokens off', bundle: { gateway: [gw({ format: 'nginx' })] }, expect: ['pass'] },
    { name: 'Kong route file: node headers not visible', bundle: { gateway: [gw()] }, expect: ['n/a'] },
  ],
  invalid: [
    {
      name: 'server_tokens on by default',
      bundle: { gateway: [gw({ format: 'nginx', disclosures: [{ setting: 'server_tokens', value: 'on (default)', location: at(3) }] })] },
      expect: [{ status: 'fail', messageId: 'disclosure', line: 3, message: 'server_tokens = on (default)' }],
    },
  ],
});

testCheck('gateway.routeInventory', {
  valid: [
    {
      name: 'nginx prefix location serves the described operation under the server base path',
      bundle: {
        gateway: [gw({ format: 'nginx', routes: [route({ line: 9, name: 'api /v1/', paths: ['/v1/'] })] })],
        openapi: [openapi([{ path: '/accounts/{id}' }])],
      },
      expect: ['pass', 'pass'],
    },
    {
      name: 'no description given',
      bundle: { gateway: [gw({ routes: [route({ line: 9 })] })] },
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'shadow route and an operation no route exposes',
      bundle: {
        gateway: [gw({ format: 'apisix', routes: [route({ line: 9, name: 'debug', paths: ['/internal/*'] }), route({ line: 15, name: 'accounts', paths: ['/v1/accounts'], methods: ['GET'] })] })],
        openapi: [openapi([{ path: '/accounts' }, { path: '/transfers', method: 'post' }])],
      },
      expect: [
        { status: 'fail', messageId: 'undocumentedRoute', line: 9, subject: 'apisix route debug' },
        { status: 'fail', messageId: 'unexposedOperation', pointer: '/paths/~1transfers/post', message: 'operation POST /transfers is exposed by no gateway route' },
      ],
    },
    {
      name: 'Spring Ant pattern and Kong regex paths',
      bundle: {
        gateway: [
          gw({ format: 'spring', routes: [route({ line: 4, name: 'auth', paths: ['/auth/**'] })] }),
          gw({ format: 'kong', routes: [route({ line: 7, name: 'acct', paths: ['~/v1/accounts/[^/]+$'] })] }),
        ],
        openapi: [openapi([{ path: '/accounts/{id}' }])],
      },
      expect: [{ status: 'fail', messageId: 'undocumentedRoute', line: 4, subject: 'spring route auth' }],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// Semantics fixed for real configurations (issue #14) and PCRE regexes (issue #11)
// ---------------------------------------------------------------------------------------------

const nginxGw = (over: Partial<GatewayConfigEvidence> = {}) => gw({ format: 'nginx', file: 'nginx.conf', ...over });

testCheck('gateway.mutualAuthentication', {
  valid: [
    {
      name: 'a PCRE (?i) location is translated and matched to the A1 operation behind it',
      level: 'A1',
      bundle: {
        gateway: [nginxGw({ routes: [route({ line: 9, paths: ['~ (?i)^/v1/ACCOUNTS'], auth: [keyAuth] })] })],
        openapi: [openapi([{ declaredLevel: 'A1' }])],
      },
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'ssl_verify_client optional: its own finding at its line (the certificate is requested, not enforced)',
      level: 'A1',
      bundle: {
        gateway: [nginxGw({ routes: [route({ line: 9, auth: [keyAuth], plugins: [{ name: 'ssl_verify_client', config: { args: ['optional'] }, location: { file: 'nginx.conf', line: 14 } }] })] })],
      },
      expect: [{ status: 'fail', messageId: 'clientCertOptional', line: 14, message: 'ssl_verify_client optional requests a client certificate but does not enforce it' }, 'n/a'],
    },
    {
      name: 'a PCRE feature JavaScript lacks (recursion): the level cannot be told, so the route is an error, never n/a',
      level: 'A1',
      bundle: {
        gateway: [nginxGw({ routes: [route({ line: 9, paths: ['~ ^/v1/(a(?R)?b)'], auth: [keyAuth] })] })],
        openapi: [openapi([{ declaredLevel: 'A2' }])],
      },
      expect: [{ status: 'error', messageId: 'levelUnjudged', line: 9, message: 'a recursive pattern' }],
    },
  ],
});

testCheck('gateway.routeInventory', {
  valid: [
    {
      name: 'a (?i) nginx regex exposes the operation; the operations it serves are listed as locations',
      bundle: { gateway: [nginxGw({ routes: [route({ line: 9, paths: ['~ (?i)^/v1/accounts$'] })] })], openapi: [openapi([{}])] },
      expect: ['pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'an untranslatable regex is an error for the route and for the operation, not a shadow-API fail',
      bundle: { gateway: [nginxGw({ routes: [route({ line: 9, paths: ['~ ^/v1/(?(1)a|b)'] })] })], openapi: [openapi([{}])] },
      expect: [
        { status: 'error', messageId: 'routeUnjudged', line: 9 },
        { status: 'error', messageId: 'operationUnjudged' },
      ],
    },
  ],
});

testCheck('gateway.weakCiphers', {
  valid: [{ name: 'strong list', bundle: { gateway: [gw({ listeners: [listener({ line: 3 })] })] }, expect: ['pass'] }],
  invalid: [
    {
      name: 'the weak-cipher finding points at the ssl_ciphers line, not the ssl_protocols line',
      bundle: { gateway: [nginxGw({ listeners: [listener({ line: 3 }, { ciphers: 'HIGH:3DES', location: { file: 'nginx.conf', line: 5 }, ciphersLocation: { file: 'nginx.conf', line: 6 } })] })] },
      expect: [{ status: 'fail', messageId: 'weak', line: 6 }],
    },
  ],
});

describe('PCRE → JavaScript', () => {
  it('translates inline flags, named groups, atomic groups, possessive quantifiers, \\A \\z, POSIX classes', async () => {
    const { pcreToRegExp } = await import('./route-match.js');
    const ok = (p: string, path: string) => {
      const re = pcreToRegExp(p);
      expect(re).toBeInstanceOf(RegExp);
      return (re as RegExp).test(path);
    };
    expect(ok('(?i)^/API/v1', '/api/v1/x')).toBe(true);
    expect(ok('(?i)(?s)^/a.b', '/A\nb')).toBe(true);
    expect(ok('^/(?P<id>[0-9]+)$', '/42')).toBe(true);
    expect(ok('^/(?>ab|a)c', '/abc')).toBe(true);
    expect(ok('^/a++b', '/aab')).toBe(true);
    expect(ok('\\A/x\\z', '/x')).toBe(true);
    expect(ok('^/[[:digit:]]+$', '/123')).toBe(true);
    expect(ok('(?x) ^/a  b # comment', '/ab')).toBe(true);
    expect(ok('^/\\Qa.b\\E$', '/a.b')).toBe(true);
    expect(ok('^/\\Qa.b\\E$', '/axb')).toBe(false);
    for (const p of ['^/a(?i)b', '(?i:a)b', '^(a(?R)?b)$', '(?(1)a|b)', '\\Ga', 'a\\Kb', '(*SKIP)a']) expect(pcreToRegExp(p)).toHaveProperty('unsupported');
  });
});

testCheck('gateway.tlsOnly', {
  valid: [
    {
      name: 'a route whose listeners are not in the configuration is a warning, never a pass',
      bundle: { gateway: [gw({ format: 'kubernetes', routes: [route({ line: 4, protocols: [] })] })] },
      expect: [{ status: 'warn', messageId: 'protocolsUnknown', line: 4 }],
    },
  ],
  invalid: [{ name: 'plain http route', bundle: { gateway: [gw({ routes: [route({ line: 4, protocols: ['http'] })] })] }, expect: [{ status: 'fail', messageId: 'plaintextRoute' }] }],
});
