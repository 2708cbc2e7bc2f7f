import { testCheck } from './testing.js';
import { doc, obj, op, scheme, str } from './openapi/build.test-helpers.js';
import type { GatewayConfigEvidence, GatewayPluginEvidence, OperationEvidence, RouteEvidence } from '../model/evidence.js';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** `op` with scopes per scheme: `[['oauth', ['accounts:read']], ['appKey', []]]` is one alternative of two schemes. */
function scopedOp(route: string, alternatives: [string, string[]][][]): OperationEvidence {
  const base = op(route, { security: alternatives.map((alt) => alt.map(([name]) => name)) });
  return {
    ...base,
    security: base.security!.map((alt, i) => ({ ...alt, schemes: alt.schemes.map((s, j) => ({ ...s, scopes: alternatives[i]![j]![1] })) })),
  };
}

const oauth = scheme('oauth', 'oauth2');
const appKey = scheme('appKey', 'apiKey', { in: 'header', paramName: 'X-App-Key' });
const mtls = scheme('mtls', 'mutualTLS');

const G = 'gateway/kong.yaml';
const plugin = (name: string, config: Record<string, unknown>, line: number): GatewayPluginEvidence => ({ name, config, location: { file: G, line } });
function route(name: string, line: number, plugins: GatewayPluginEvidence[], authenticated = true): RouteEvidence {
  return {
    name,
    hosts: [],
    paths: [`/${name}`],
    methods: [],
    protocols: ['https'],
    tags: [],
    auth: authenticated ? [{ kind: 'key', plugin: 'key-auth', location: { file: G, line } }] : [],
    rateLimits: [],
    accessLists: [],
    logging: [],
    plugins,
    location: { file: G, line },
  };
}
function gateway(routes: RouteEvidence[], over: Partial<GatewayConfigEvidence> = {}): { gateway: GatewayConfigEvidence[] } {
  return { gateway: [{ kind: 'gateway', file: G, format: 'kong', listeners: [], routes, globalPlugins: [], credentials: [], disclosures: [], problems: [], digests: {}, ...over }] };
}

// ---------------------------------------------------------------------------------------------
// 9.3.2 unauthorized-resource-denial
// ---------------------------------------------------------------------------------------------

testCheck('access.operationScopes', {
  valid: [
    {
      name: 'every operation requires a scope',
      bundle: { openapi: [doc({ securitySchemes: [oauth, mtls], operations: [scopedOp('get /accounts', [[['oauth', ['accounts:read']], ['mtls', []]]]), scopedOp('post /payments', [[['oauth', ['payments:write']]]])] })] },
      expect: ['pass', 'pass'],
    },
    {
      // The bank may authorise by App_ID at the gateway or the service: no verdict, never a failure on every operation.
      name: 'a description that authorises by no scope at all is not judged',
      bundle: { openapi: [doc({ securitySchemes: [mtls, appKey], operations: [scopedOp('get /accounts', [[['mtls', []], ['appKey', []]]])] })] },
      expect: ['n/a'],
    },
    {
      name: 'an unauthenticated operation is app-authentication\'s finding, not this one\'s',
      bundle: { openapi: [doc({ securitySchemes: [oauth], operations: [op('get /health', { security: [] }), scopedOp('get /accounts', [[['oauth', ['accounts:read']]]])] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'an OAuth2 requirement with no scope, where other operations require scopes',
      bundle: { openapi: [doc({ securitySchemes: [oauth], operations: [scopedOp('get /accounts', [[['oauth', ['accounts:read']]]]), scopedOp('get /accounts/{id}/transactions', [[['oauth', []]]])] })] },
      expect: [{ status: 'fail', messageId: 'emptyScopes', subject: 'GET /accounts/{id}/transactions', pointer: '/paths/~1accounts~1{id}~1transactions/get/security/0', message: 'oauth[] with no scope' }],
    },
    {
      name: 'an API-key alternative that bypasses the scopes the description otherwise requires',
      bundle: { openapi: [doc({ securitySchemes: [oauth, appKey], operations: [scopedOp('get /accounts', [[['oauth', ['accounts:read']]], [['appKey', []]]])] })] },
      expect: [{ status: 'fail', messageId: 'unscopedAlternative', pointer: '/paths/~1accounts/get/security/1', message: 'appKey[] alone' }],
    },
  ],
});

testCheck('access.routeAuthorization', {
  valid: [
    {
      name: 'Kong acl allow groups and an APISIX-style consumer whitelist on every authenticated route',
      bundle: gateway([route('accounts', 10, [plugin('acl', { allow: ['accounts-readers'] }, 12)]), route('payments', 20, [plugin('consumer-restriction', { whitelist: ['app-1001'] }, 22)])]),
      expect: ['pass', 'pass'],
    },
    {
      name: 'Kong oauth2 with mandatory scopes; an unauthenticated route is left to app-authentication',
      bundle: gateway([route('accounts', 10, [plugin('oauth2', { scopes: ['accounts'], mandatory_scope: true }, 11)]), route('health', 30, [], false)]),
      expect: ['pass'],
    },
    {
      // A deny-only acl is a blacklist (10.1.2): no route restricts, so authorisation happens elsewhere, if anywhere.
      name: 'no route restricts consumers (a deny-only acl is a blacklist): not judged from this file',
      bundle: gateway([route('accounts', 10, [plugin('acl', { deny: ['blocked'] }, 12)]), route('payments', 20, [])]),
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'one authenticated route left open where the gateway restricts the others',
      bundle: gateway([route('accounts', 10, [plugin('acl', { allow: ['accounts-readers'] }, 12)]), route('transfers', 40, [plugin('acl', { deny: ['blocked'] }, 42)])]),
      expect: [{ status: 'fail', messageId: 'unrestricted', line: 40, file: G, subject: 'kong route transfers' }],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// 7.2.1 app-authentication-factors
// ---------------------------------------------------------------------------------------------

const session = scheme('session', 'apiKey', { in: 'cookie', paramName: 'JSESSIONID' });
const bearer = scheme('bearer', 'http', { httpScheme: 'bearer' });
const signedBearer = scheme('signed', 'http', { httpScheme: 'bearer', authentication: 'keypair' });

testCheck('access.appIdFactors', {
  valid: [
    {
      name: 'mutual TLS, an API key, an OAuth2 client and a bearer token marked x-authentication: keypair',
      bundle: {
        openapi: [
          doc({
            securitySchemes: [mtls, appKey, oauth, signedBearer],
            operations: [op('get /accounts', { security: [['mtls', 'appKey']] }), op('get /rates', { security: [['oauth'], ['signed']] })],
          }),
        ],
      },
      expect: ['pass', 'pass'],
    },
    {
      name: 'a bare bearer token may be an application\'s or a user\'s: not judged',
      bundle: { openapi: [doc({ securitySchemes: [bearer], operations: [op('get /accounts', { security: [['bearer']] })] })] },
      expect: ['n/a'],
    },
  ],
  invalid: [
    {
      name: 'an alternative made of a session cookie alone',
      bundle: { openapi: [doc({ securitySchemes: [appKey, session], operations: [op('get /accounts', { security: [['appKey'], ['session']] })] })] },
      expect: [{ status: 'fail', messageId: 'userOnly', pointer: '/paths/~1accounts/get/security/1', message: 'session alone' }],
    },
  ],
});

// ---------------------------------------------------------------------------------------------
// 7.2.1 b2, 9.3.1 user authentication at the bank
// ---------------------------------------------------------------------------------------------

const codeFlow = scheme('bankAuth', 'oauth2', { flows: [{ type: 'authorizationCode', authorizationUrl: 'https://auth.demobank.com.cn/oauth/authorize', tokenUrl: 'https://auth.demobank.com.cn/oauth/token', location: { file: 'openapi.yaml', pointer: '/components/securitySchemes/bankAuth/flows/authorizationCode' } }] });
const passwordFlow = scheme('legacyAuth', 'oauth2', {
  flows: [
    { type: 'password', tokenUrl: 'https://api.demobank.com.cn/oauth/token', location: { file: 'openapi.yaml', pointer: '/components/securitySchemes/legacyAuth/flows/password' } },
    { type: 'clientCredentials', tokenUrl: 'https://api.demobank.com.cn/oauth/token', location: { file: 'openapi.yaml', pointer: '/components/securitySchemes/legacyAuth/flows/clientCredentials' } },
  ],
});

testCheck('access.noPasswordGrant', {
  valid: [
    { name: 'an authorization-code flow', bundle: { openapi: [doc({ securitySchemes: [codeFlow] })] }, expect: ['pass'] },
    { name: 'no OAuth2 scheme: nothing to judge', bundle: { openapi: [doc({ securitySchemes: [mtls] })] }, expect: [] },
  ],
  invalid: [
    {
      name: 'a password flow beside client credentials',
      bundle: { openapi: [doc({ securitySchemes: [codeFlow, passwordFlow] })] },
      expect: [{ status: 'fail', messageId: 'passwordFlow', pointer: '/components/securitySchemes/legacyAuth/flows/password', message: 'password flow' }],
    },
  ],
});

/** An operation with a JSON request body. */
function withBody(route: string, schema: Record<string, unknown>, params: OperationEvidence['parameters'] = []): OperationEvidence {
  const base = op(route, { security: [['mtls']] });
  const ptr = `${base.location.pointer}/requestBody/content/application~1json`;
  const nodes: OperationEvidence['responses'][number]['content'][number]['nodes'] = [];
  const visit = (s: Record<string, unknown>, pointer: string, name: string | undefined, path: string) => {
    nodes.push({ ...(name ? { propertyName: name } : {}), path, schema: s, location: { file: 'openapi.yaml', pointer } });
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) visit(v, `${pointer}/properties/${k}`, k, path ? `${path}.${k}` : k);
  };
  visit(schema, `${ptr}/schema`, undefined, '');
  return { ...base, parameters: params, requestBody: { required: true, content: [{ mediaType: 'application/json', nodes, location: { file: 'openapi.yaml', pointer: ptr } }], location: { file: 'openapi.yaml', pointer: `${base.location.pointer}/requestBody` } } };
}

testCheck('access.noUserCredentialFields', {
  valid: [
    {
      name: 'a payment whose password travels in the bank SDK\'s encrypted envelope, and an authCode (OAuth2, not an SMS code)',
      bundle: {
        openapi: [
          doc({
            operations: [
              withBody('post /payments', obj({ amount: str(), encryptedPayload: obj({ payPassword: str() }), pin: str({ description: '由银行 SDK 密码键盘加密后的 PIN 密文' }) })),
              withBody('post /oauth/token', obj({ authCode: str(), grantType: str() })),
            ],
          }),
        ],
      },
      expect: ['pass'],
    },
    {
      name: 'facts about a secret and card data are not user authentication factors',
      bundle: { openapi: [doc({ operations: [withBody('post /cards/bind', obj({ hasPassword: { type: 'boolean' }, passwordRequired: { type: 'boolean' }, cardNo: str() }))] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'a login that takes the user\'s password and an SMS code in clear',
      bundle: { openapi: [doc({ operations: [withBody('post /users/login', obj({ loginName: str(), loginPassword: str(), smsCode: str() }))] })] },
      expect: [
        { status: 'fail', messageId: 'userSecretField', pointer: '/paths/~1users~1login/post/requestBody/content/application~1json/schema/properties/loginPassword', message: 'request field loginPassword of POST /users/login is a user password' },
        { status: 'fail', messageId: 'userSecretField', message: 'smsCode of POST /users/login is a one-time code (SMS or dynamic)' },
      ],
    },
    {
      name: 'a password whose description says it travels in clear, not encrypted',
      bundle: { openapi: [doc({ operations: [withBody('post /accounts/open', obj({ loginPwd: str({ description: 'login password in plain text (not encrypted by the SDK)' }) }))] })] },
      expect: [{ status: 'fail', messageId: 'userSecretField', message: 'loginPwd' }],
    },
    {
      name: 'a transaction PIN as a query parameter',
      bundle: {
        openapi: [doc({ operations: [withBody('post /transfers', obj({ amount: str() }), [{ name: 'tradePin', in: 'query', required: true, schema: str(), location: { file: 'openapi.yaml', pointer: '/paths/~1transfers/post/parameters/0' } }])] })],
      },
      expect: [{ status: 'fail', messageId: 'userSecretField', pointer: '/paths/~1transfers/post/parameters/0', message: 'query tradePin' }],
    },
  ],
});

testCheck('access.bankHostedAuthorization', {
  valid: [
    {
      name: 'the authorization URL is on the site of the API servers (auth. and api. of demobank.com.cn)',
      bundle: { openapi: [doc({ servers: ['https://api.demobank.com.cn/open/v1'], securitySchemes: [codeFlow] })] },
      expect: ['pass'],
    },
    {
      name: 'a relative authorization URL resolves against the servers',
      bundle: {
        openapi: [doc({ servers: ['https://api.demobank.com.cn/v1'], securitySchemes: [scheme('rel', 'oauth2', { flows: [{ type: 'implicit', authorizationUrl: '/oauth/authorize', location: { file: 'openapi.yaml', pointer: '/components/securitySchemes/rel/flows/implicit' } }] })] })],
      },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      // Another site may still be the bank's: a warning to confirm, never a failure.
      name: 'an OpenID Connect provider on another site',
      bundle: { openapi: [doc({ servers: ['https://api.demobank.com.cn/v1'], securitySchemes: [scheme('oidc', 'openIdConnect', { openIdConnectUrl: 'https://login.huimin-app.com/.well-known/openid-configuration' })] })] },
      expect: [{ status: 'warn', messageId: 'otherSite', pointer: '/components/securitySchemes/oidc', message: 'not on the site of the API servers (demobank.com.cn)' }],
    },
  ],
});

testCheck('access.noGatewayPasswordGrant', {
  valid: [
    {
      name: 'Kong oauth2 with the password grant off, and left at its default',
      bundle: gateway([route('accounts', 10, [plugin('oauth2', { enable_authorization_code: true, enable_password_grant: false }, 11)]), route('payments', 20, [plugin('oauth2', { enable_client_credentials: true }, 21)])]),
      expect: ['pass', 'pass'],
    },
    { name: 'not Kong: nothing to judge', bundle: gateway([route('accounts', 10, [plugin('oauth2', { enable_password_grant: true }, 11)])], { format: 'apisix' }), expect: [] },
  ],
  invalid: [
    {
      name: 'a global oauth2 plugin with enable_password_grant: true',
      bundle: gateway([route('accounts', 10, [])], { globalPlugins: [plugin('oauth2', { enable_password_grant: true, scopes: ['accounts'] }, 3)] }),
      expect: [{ status: 'fail', messageId: 'passwordGrantOn', line: 3, file: G }],
    },
  ],
});
