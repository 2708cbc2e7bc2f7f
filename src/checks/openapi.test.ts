import { describe, expect, it } from 'vitest';
import { testCheck, runCheck } from './testing.js';
import { defaultRegistry } from './index.js';
import { doc, obj, op, scheme, spec, str, FILE } from './openapi/build.test-helpers.js';

const GET_ACCOUNT = '/paths/~1accounts~1{id}/get';
const POST_TRANSFER = '/paths/~1transfers/post';

// Security schemes as banks and the corpus declare them.
const MTLS = scheme('mtls', 'mutualTLS');
const CERT_OAUTH = scheme('certBoundToken', 'oauth2', { authentication: 'certificate' });
const SM2_SIGNED = scheme('sm2AppKey', 'apiKey', { in: 'header', paramName: 'X-App-Id', authentication: 'keypair' });
const API_KEY = scheme('ApiKeyAuth', 'apiKey', { in: 'header', paramName: 'X-API-Key' });
const BASIC = scheme('BasicAuth', 'http', { httpScheme: 'basic' });
const BEARER = scheme('bearerAuth', 'http', { httpScheme: 'bearer' });
const APP_SECRET = scheme('appSecret', 'apiKey', { in: 'header', paramName: 'X-App-Secret', authentication: 'secret' });
const PAYONE_HMAC = scheme('PAYONE', 'http', { httpScheme: 'payone-hmac-sha256' });
const SCHEMES = [MTLS, CERT_OAUTH, SM2_SIGNED, API_KEY, BASIC, BEARER, APP_SECRET, PAYONE_HMAC];

testCheck('openapi.serversHttps', {
  valid: [
    { name: 'https server', bundle: spec({ servers: ['https://openapi.bank.cn/v1'] }), expect: ['pass'] },
    { name: 'https and wss servers', bundle: spec({ servers: ['https://api.bank.cn', 'wss://stream.bank.cn'] }), expect: ['pass', 'pass'] },
    { name: 'Swagger 2.0 with schemes [https]', bundle: spec({ version: '2.0', schemes: ['https'], servers: ['https://api.bank.cn/v1'] }), expect: ['pass'] },
    { name: 'no servers at all: nothing to judge', bundle: spec({}), expect: [] },
  ],
  invalid: [
    {
      name: 'plain http server (Alipay sandbox style)',
      bundle: spec({ servers: ['https://openapi.alipay.com', 'http://openapi.stable.dl.alipaydev.com'] }),
      expect: [{ status: 'fail', messageId: 'plainHttp', pointer: '/servers/1/url', subject: 'http://openapi.stable.dl.alipaydev.com' }],
    },
    {
      name: 'loopback development server over http is a warning',
      bundle: spec({ servers: ['http://localhost:8080/api', 'http://127.0.0.1:3000', 'http://[::1]:8080'] }),
      expect: [
        { status: 'warn', messageId: 'loopbackHttp', pointer: '/servers/0/url' },
        { status: 'warn', messageId: 'loopbackHttp', pointer: '/servers/1/url' },
        { status: 'warn', messageId: 'loopbackHttp', pointer: '/servers/2/url' },
      ],
    },
    {
      name: 'an intranet http address is not loopback',
      bundle: spec({ servers: ['http://192.168.10.5:8080'] }),
      expect: [{ status: 'fail', messageId: 'plainHttp', message: 'plaintext HTTP' }],
    },
    {
      name: 'Swagger 2.0 without host declaring schemes [http, https]',
      bundle: spec({ version: '2.0', schemes: ['http', 'https'] }),
      expect: [{ status: 'fail', messageId: 'plainHttpScheme', pointer: '/schemes/0' }],
    },
    {
      name: 'relative server is reported as not judgeable next to an http one',
      bundle: spec({ servers: ['/v1', 'http://api.bank.cn'] }),
      expect: [
        { status: 'n/a', messageId: 'relativeServer' },
        { status: 'fail', messageId: 'plainHttp' },
      ],
    },
  ],
});

testCheck('openapi.operationAuthentication', {
  valid: [
    {
      name: 'every operation has a scheme',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /accounts/{id}', { security: [['mtls']] }), op('post /transfers', { security: [['bearerAuth'], ['mtls']] })] }),
      expect: ['pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'no security declared anywhere (GitHub, Stripe spec2 style)',
      bundle: spec({ operations: [op('get /accounts/{id}')] }),
      expect: [{ status: 'fail', messageId: 'noSecurity', pointer: GET_ACCOUNT, subject: 'openapi.yaml noSecurity' }],
    },
    {
      name: 'security: [] switches it off',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /accounts/{id}', { security: [] })] }),
      expect: [{ status: 'fail', messageId: 'emptySecurity', pointer: GET_ACCOUNT }],
    },
    {
      name: 'an empty alternative {} makes it optional',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('post /transfers', { security: [['bearerAuth'], []] })] }),
      expect: [{ status: 'fail', messageId: 'optionalAlternative', pointer: `${POST_TRANSFER}/security/1`, message: 'optional' }],
    },
  ],
});

testCheck('openapi.mutualAuthentication', {
  valid: [
    {
      name: 'A2 operations with mutualTLS, certificate-bound OAuth or a key-pair scheme in every alternative',
      bundle: spec({
        securitySchemes: SCHEMES,
        operations: [
          op('post /transfers', { level: 'A2', security: [['mtls']] }),
          op('get /accounts/{id}', { level: 'A2', security: [['certBoundToken'], ['sm2AppKey', 'appSecret']] }),
        ],
      }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'A1 operations are not judged (no A2 operation: no outcome)',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /branches', { level: 'A1', security: [['ApiKeyAuth']] })] }),
      level: 'A2',
      expect: [],
    },
    {
      name: 'profile A1 and no declared level: not judged',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /branches', { security: [['ApiKeyAuth']] })] }),
      level: 'A1',
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'Adyen style ApiKeyAuth | BasicAuth on an A2 operation',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('post /transfers', { level: 'A2', security: [['ApiKeyAuth'], ['BasicAuth']] })] }),
      expect: [{ status: 'fail', messageId: 'secretOnly', pointer: `${POST_TRANSFER}/security/0`, message: 'declares no client-certificate or signature scheme for 1 A2 operation(s) (first: POST /transfers), only ApiKeyAuth' }],
    },
    {
      name: 'one weak alternative is enough to fail: mutualTLS | bearer',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('post /transfers', { level: 'A2', security: [['mtls'], ['bearerAuth']] })] }),
      expect: [{ status: 'fail', messageId: 'secretOnly', pointer: `${POST_TRANSFER}/security/1` }],
    },
    {
      name: 'x-authentication: secret (App_Secret only)',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('post /transfers', { level: 'A2', security: [['appSecret']] })] }),
      expect: [{ status: 'fail', messageId: 'secretOnly' }],
    },
    {
      name: 'the profile level A2 applies to operations without their own level',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /accounts/{id}', { security: [['bearerAuth']] }), op('get /branches', { level: 'A1', security: [['bearerAuth']] })] }),
      level: 'A2',
      expect: [{ status: 'fail', messageId: 'secretOnly', subject: 'openapi.yaml secretOnly bearerAuth' }],
    },
    {
      name: 'A2 operation without any security',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2' })] }),
      expect: [{ status: 'fail', messageId: 'noAuthentication', pointer: POST_TRANSFER }],
    },
    {
      name: 'a scheme name that resolves to nothing is not a certificate',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('post /transfers', { level: 'A2', security: [['undefinedScheme']] })] }),
      expect: [{ status: 'fail', messageId: 'secretOnly' }],
    },
  ],
});

const SIGNATURE = { name: 'Signature', in: 'header', required: true, schema: str({ maxLength: 2048 }) };
const SIGNATURE_INPUT = { name: 'Signature-Input', in: 'header', required: true, schema: str({ maxLength: 1024 }) };
const JWS = { name: 'x-jws-signature', in: 'header', required: true, schema: str({ maxLength: 4096 }) };
const TPP_CERT = { name: 'TPP-Signature-Certificate', in: 'header', required: true, schema: str() };
const DIGEST = { name: 'Digest', in: 'header', required: true, schema: str() };
const HMAC = { name: 'X-HMAC', in: 'header', required: true, schema: str({ maxLength: 64 }) };

testCheck('openapi.requestSignature', {
  valid: [
    {
      name: 'RFC 9421 Signature + Signature-Input on an A2 operation',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2', params: [SIGNATURE_INPUT, SIGNATURE] })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: ['pass'],
    },
    {
      name: 'OBUK x-jws-signature',
      bundle: spec({ operations: [op('post /domestic-payments', { level: 'A2', params: [JWS] })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: ['pass'],
    },
    {
      name: 'x-signature operation extension (object)',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2', extensions: { 'x-signature': { algorithm: 'SM2', covers: ['body'] } } })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: ['pass'],
    },
    {
      name: 'A1 operation with a MAC header when MAC is accepted',
      bundle: spec({ operations: [op('get /branches', { level: 'A1', params: [HMAC] })] }),
      params: { level: 'A1', accept: ['mac', 'signature'] },
      expect: ['pass'],
    },
    {
      name: 'PAYONE http scheme payone-hmac-sha256 is a MAC',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /branches', { level: 'A1', security: [['PAYONE']] })] }),
      params: { level: 'A1', accept: ['mac', 'signature'] },
      expect: ['pass'],
    },
    {
      name: 'only operations of the requested level are judged',
      bundle: spec({ operations: [op('get /branches', { level: 'A1' })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'Berlin Group Digest + TPP-Signature-Certificate without Signature',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2', params: [DIGEST, TPP_CERT] })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: [{ status: 'fail', messageId: 'unsigned', pointer: POST_TRANSFER, message: 'the description declares no required request signature for 1 A2 operation(s)' }],
    },
    {
      name: 'optional Signature header still admits unsigned requests',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2', params: [{ ...SIGNATURE, required: false }] })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: [{ status: 'fail', messageId: 'optionalSignature', message: 'header Signature' }],
    },
    {
      name: 'a MAC is not enough for A2',
      bundle: spec({ operations: [op('post /transfers', { level: 'A2', params: [HMAC] })] }),
      params: { level: 'A2', accept: ['signature'] },
      expect: [{ status: 'fail', messageId: 'macOnly', message: 'header X-HMAC' }],
    },
    {
      name: 'A1 operation with bearer only',
      bundle: spec({ securitySchemes: SCHEMES, operations: [op('get /branches', { level: 'A1', security: [['bearerAuth']] })] }),
      params: { level: 'A1', accept: ['mac', 'signature'] },
      expect: [{ status: 'fail', messageId: 'unsigned', message: 'MAC or signature' }],
    },
    {
      name: 'x-mac-address is a device address, not a MAC',
      bundle: spec({ operations: [op('get /branches', { level: 'A1', params: [{ name: 'x-mac-address', in: 'header', required: true, schema: str() }] })] }),
      params: { level: 'A1', accept: ['mac', 'signature'] },
      expect: [{ status: 'fail', messageId: 'unsigned' }],
    },
    {
      name: 'without params, the defaults follow each operation level (profile A2)',
      bundle: spec({ operations: [op('post /transfers', { params: [HMAC] }), op('get /branches', { level: 'A1', params: [HMAC] })] }),
      level: 'A2',
      expect: [{ status: 'fail', messageId: 'macOnly', subject: 'openapi.yaml macOnly A2 header X-HMAC' }],
    },
  ],
});

const ACCOUNT = '/components/schemas/Account';

testCheck('openapi.responseMasking', {
  valid: [
    {
      name: 'masked by x-masking, pattern, format and description',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            responses: {
              '200': {
                schema: obj({
                  acctNo: str({ 'x-masking': true }),
                  cardNo: str({ pattern: '^\\d{6}\\*{6,9}\\d{4}$' }),
                  mobile: str({ format: 'masked' }),
                  holderName: str({ description: '户名，脱敏显示' }),
                  idCardNo: str({ pattern: '^[0-9*X]{18}$' }),
                  bankName: str(),
                  branch: obj({ name: str(), phone: str() }),
                }),
              },
            },
          }),
        ],
      }),
      expect: ['pass', 'pass', 'pass', 'pass', 'pass'],
    },
    {
      name: 'masked by design: GOV.UK Pay last_digits_card_number / first_digits_card_number, Adyen maskedPan',
      bundle: spec({
        operations: [
          op('get /v1/payments/{paymentId}', {
            responses: { '200': { schema: obj({ card_details: obj({ last_digits_card_number: str(), first_digits_card_number: str(), cardholder_name: str({ description: 'Masked name of the card holder' }) }), maskedPan: str() }) } },
          }),
        ],
      }),
      expect: ['pass', 'pass', 'pass', 'pass'],
    },
    {
      name: 'a description beside allOf [$ref] masks the referenced value (one outcome, at the property)',
      bundle: spec({
        operations: [
          op('get /cards/{id}', { responses: { '200': { schema: obj({ cardNo: { allOf: [str({ maxLength: 19 })], description: '卡号（掩码显示，如 622202******1234）' } }) } } }),
        ],
      }),
      expect: ['pass'],
    },
    {
      name: 'requests are not feedback: a card number in a request body only',
      bundle: spec({ operations: [op('post /payments', { responses: { '201': { schema: obj({ paymentId: str(), status: str() }) } } })] }),
      expect: [],
    },
    {
      name: 'organisation and reference fields are not personal data',
      bundle: spec({
        operations: [
          op('get /merchants/{id}', {
            responses: {
              '200': {
                schema: obj({
                  merchantName: str(), bank_name: str(), fileName: str(), displayName: str(), orderNo: str(), transactionId: str(),
                  referenceNumber: str(), support_phone: str(), business_profile: obj({ phone: str(), name: str() }),
                  PanSequenceNumber: str(), company: obj({ name: str(), phone: str() }), card_id: str(),
                }),
              },
            },
          }),
        ],
      }),
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'clear card number, account number, name, ID number and mobile',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            responses: { '200': { schema: obj({ cardNo: str({ maxLength: 19 }), accountNumber: str(), customerName: str(), idNumber: str(), mobileNo: str(), currency: str() }) } },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', pointer: `${GET_ACCOUNT}/responses/200/content/application~1json/schema/properties/cardNo`, subject: 'GET /accounts/{id} → cardNo', message: 'returns card number cardNo' },
        { status: 'fail', messageId: 'unmasked', message: 'account number accountNumber' },
        { status: 'fail', messageId: 'unmasked', message: 'name customerName' },
        { status: 'fail', messageId: 'unmasked', message: 'ID number idNumber' },
        { status: 'fail', messageId: 'unmasked', message: 'mobile number mobileNo' },
      ],
    },
    {
      name: 'PayPal card.number and payer.name.given_name; a pattern without * does not mask',
      bundle: spec({
        operations: [
          op('get /v2/checkout/orders/{id}', {
            responses: { '200': { schema: obj({ payment_source: obj({ card: obj({ number: str({ pattern: '^[0-9]{13,19}$' }) }) }), payer: obj({ name: obj({ given_name: str(), surname: str() }) }) }) } },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', subject: 'GET /v2/checkout/orders/{id} → payment_source.card.number' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /v2/checkout/orders/{id} → payer.name.given_name' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /v2/checkout/orders/{id} → payer.name.surname' },
      ],
    },
    {
      name: 'one outcome per shared schema location, however many operations return it',
      bundle: spec({
        operations: [
          op('get /accounts', { responses: { '200': { schema: obj({ iban: str() }), schemaPointer: ACCOUNT } } }),
          op('get /accounts/{id}', { responses: { '200': { schema: obj({ iban: str() }), schemaPointer: ACCOUNT } } }),
        ],
      }),
      expect: [{ status: 'fail', messageId: 'unmasked', pointer: `${ACCOUNT}/properties/iban`, subject: 'GET /accounts → iban' }],
    },
    {
      name: 'an array of mobile numbers is judged on its items',
      bundle: spec({ operations: [op('get /customers/{id}', { responses: { '200': { schema: obj({ mobile: { type: 'array', items: str({ maxLength: 11 }) } }) } } })] }),
      expect: [{ status: 'fail', messageId: 'unmasked', pointer: '/paths/~1customers~1{id}/get/responses/200/content/application~1json/schema/properties/mobile/items', subject: 'GET /customers/{id} → mobile[]' }],
    },
    {
      name: 'OBUK DebtorAccount.Identification and an array of Chinese-named fields',
      bundle: spec({
        operations: [
          op('get /statements', {
            responses: { '200': { schema: obj({ DebtorAccount: obj({ SchemeName: str(), Identification: str({ maxLength: 256 }), Name: str() }), list: { type: 'array', items: obj({ 姓名: str(), 手机号: str({ description: '手机号码（明文）' }) }) } }) } },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unmasked', subject: 'GET /statements → DebtorAccount.Identification' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /statements → list[].姓名' },
        { status: 'fail', messageId: 'unmasked', subject: 'GET /statements → list[].手机号' },
      ],
    },
  ],
});

testCheck('openapi.noPaymentSensitiveInResponse', {
  valid: [
    {
      name: 'Stripe-style card with verification results only',
      bundle: spec({ operations: [op('get /v1/payment_methods/{id}', { responses: { '200': { schema: obj({ card: obj({ last4: str(), cvc_check: str(), exp_month: { type: 'integer' } }), cvcResult: str() }) } } })] }),
      expect: ['pass'],
    },
    {
      name: 'operations without response schemas are not judged',
      bundle: spec({ operations: [op('delete /cards/{id}', { responses: { '204': {} } })] }),
      expect: [],
    },
  ],
  invalid: [
    {
      name: 'CVV, PIN, password and track data returned',
      bundle: spec({
        operations: [
          op('get /cards/{id}', { responses: { '200': { schema: obj({ cardNo: str(), cvv2: str(), pin: str(), loginPassword: str(), track2: str(), password_required: { type: 'boolean' } }) } } }),
          op('get /cards', { responses: { '200': { schema: obj({ id: str() }) } } }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'sensitiveInResponse', pointer: '/paths/~1cards~1{id}/get/responses/200/content/application~1json/schema/properties/cvv2', message: 'card verification code' },
        { status: 'fail', messageId: 'sensitiveInResponse', message: 'returns PIN in pin' },
        { status: 'fail', messageId: 'sensitiveInResponse', message: 'password' },
        { status: 'fail', messageId: 'sensitiveInResponse', message: 'track data' },
      ],
    },
    {
      name: 'a card security code under a card object, in an error response too',
      bundle: spec({ operations: [op('post /payments', { responses: { '400': { schema: obj({ card: obj({ securityCode: str() }) }) } } })] }),
      expect: [{ status: 'fail', messageId: 'sensitiveInResponse', subject: 'POST /payments → card.securityCode' }],
    },
  ],
});

const ERROR_SCHEMA = obj({ code: str(), message: str(), traceId: str(), debug_id: str() });

testCheck('openapi.errorDisclosure', {
  valid: [
    {
      name: 'PayPal-style error with correlation ids and clean examples',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            responses: {
              '200': { schema: obj({ stack: str() }) },
              '404': { schema: ERROR_SCHEMA, examples: [{ code: 'NOT_FOUND', message: 'Account not found', traceId: 'a1b2c3' }] },
              default: { schema: ERROR_SCHEMA },
            },
          }),
        ],
      }),
      expect: ['pass', 'pass'],
    },
    { name: 'no error responses: nothing to judge', bundle: spec({ operations: [op('get /ping')] }), expect: [] },
  ],
  invalid: [
    {
      name: 'stackTrace and exception properties in a 500 body',
      bundle: spec({ operations: [op('get /accounts/{id}', { responses: { '500': { schema: obj({ message: str(), stackTrace: str(), exceptionClass: str() }) } } })] }),
      expect: [
        { status: 'fail', messageId: 'disclosingProperty', pointer: `${GET_ACCOUNT}/responses/500/content/application~1json/schema/properties/stackTrace`, message: 'exposes a stack trace' },
        { status: 'fail', messageId: 'disclosingProperty', message: 'exposes an exception name' },
      ],
    },
    {
      name: 'Java stack trace, ORA error and nginx banner in examples',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            responses: {
              '500': {
                schema: ERROR_SCHEMA,
                examples: [
                  { message: 'internal error', detail: 'at com.bank.api.AccountController.get(AccountController.java:42)' },
                  'ORA-00942: table or view does not exist',
                  '<hr><center>nginx/1.18.0</center>',
                ],
              },
            },
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'disclosingExample', pointer: `${GET_ACCOUNT}/responses/500/content/application~1json/examples/e0/value`, message: 'stack trace' },
        { status: 'fail', messageId: 'disclosingExample', message: 'ORA-00942' },
        { status: 'fail', messageId: 'disclosingExample', message: 'nginx/1.18.0' },
      ],
    },
    {
      name: 'internal address in a schema example is reported masked',
      bundle: spec({ operations: [op('post /transfers', { responses: { '502': { schema: obj({ message: str({ example: 'upstream 10.12.3.4:8080 timed out' }) }) } } })] }),
      expect: [{ status: 'fail', messageId: 'disclosingExample', message: 'upstream 10.12.*.*:8080' }],
    },
    {
      name: 'X-Powered-By header on a 4XX response',
      bundle: spec({ operations: [op('post /transfers', { responses: { '4XX': { headers: ['X-Powered-By'] } } })] }),
      expect: [{ status: 'fail', messageId: 'disclosingHeader', pointer: `${POST_TRANSFER}/responses/4XX/headers/X-Powered-By` }],
    },
  ],
});

testCheck('openapi.rateLimitDeclared', {
  valid: [
    { name: '429 response', bundle: spec({ operations: [op('get /a'), op('post /transfers', { responses: { '201': {}, '429': {} } })] }), expect: ['pass'] },
    { name: 'GitHub-style X-RateLimit-Remaining header', bundle: spec({ operations: [op('get /a', { responses: { '200': { headers: ['X-RateLimit-Remaining'] } } })] }), expect: ['pass'] },
    { name: 'Retry-After header', bundle: spec({ operations: [op('get /a', { responses: { '503': { headers: ['Retry-After'] } } })] }), expect: ['pass'] },
    { name: 'a document without operations (webhooks only) is not judged', bundle: spec({}), expect: [] },
  ],
  invalid: [
    {
      name: 'no 429 and no rate-limit header anywhere',
      bundle: spec({ operations: [op('get /a', { responses: { '200': { headers: ['X-Request-Id'] }, '500': {} } }), op('get /b')] }),
      expect: [{ status: 'fail', messageId: 'noRateLimit', pointer: '', file: FILE, message: 'none of the 2 operations' }],
    },
  ],
});

testCheck('openapi.versionIdentifiable', {
  valid: [
    { name: 'info.version and /v1 in the server URL', bundle: spec({ servers: ['https://openapi.bank.cn/api/v1'], operations: [op('get /accounts')] }), expect: ['pass', 'pass'] },
    {
      name: 'Swagger 2.0 basePath /open/v2 (carried by the built server URL)',
      bundle: spec({ version: '2.0', servers: ['https://api.bank.cn/open/v2'], operations: [op('get /accounts')] }),
      expect: ['pass', 'pass'],
    },
    {
      name: 'version in each path or a version header',
      bundle: spec({ servers: ['https://api.bank.cn'], operations: [op('get /v3/accounts'), op('get /rates', { params: ['X-Api-Version'] })] }),
      expect: ['pass', 'pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'no info.version',
      bundle: spec({ apiVersion: '', servers: ['https://api.bank.cn/v1'] }),
      expect: [{ status: 'fail', messageId: 'noInfoVersion', pointer: '/info' }],
    },
    {
      name: 'operation without any version in server, path or parameters',
      bundle: spec({ servers: ['https://api.bank.cn'], operations: [op('get /v1/accounts'), op('get /accounts/{id}')] }),
      expect: [{ status: 'fail', messageId: 'noInterfaceVersion', pointer: GET_ACCOUNT }],
    },
  ],
});

testCheck('openapi.parameterConstraints', {
  valid: [
    {
      name: 'strings bounded by maxLength, pattern, enum or format; numbers typed',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            params: [
              { name: 'id', in: 'path', schema: str({ pattern: '^[0-9]{6,32}$' }) },
              { name: 'currency', in: 'query', schema: str({ enum: ['CNY', 'USD'] }) },
              { name: 'from', in: 'query', schema: str({ format: 'date' }) },
              { name: 'X-Request-Id', in: 'header', schema: str({ maxLength: 64 }) },
              { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
              { name: 'ids', in: 'query', schema: { type: 'array', items: str({ maxLength: 32 }) } },
              { name: 'active', in: 'query', schema: { type: 'boolean' } },
            ],
          }),
        ],
      }),
      expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'free strings and untyped parameters',
      bundle: spec({
        operations: [
          op('get /accounts/{id}', {
            params: [
              { name: 'id', in: 'path', schema: str() },
              { name: 'q', in: 'query' },
              { name: 'tags', in: 'query', schema: { type: 'array', items: str() } },
              { name: 'nullable', in: 'query', schema: { type: ['string', 'null'], maxLength: 8 } },
            ],
          }),
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'unconstrainedString', pointer: `${GET_ACCOUNT}/parameters/0`, subject: 'openapi.yaml unconstrainedString path id' },
        { status: 'fail', messageId: 'noType', pointer: `${GET_ACCOUNT}/parameters/1` },
        { status: 'fail', messageId: 'unconstrainedString', pointer: `${GET_ACCOUNT}/parameters/2` },
      ],
    },
    {
      name: 'a shared parameter is judged once',
      bundle: spec({
        operations: [
          op('get /a', { params: [{ name: 'X-Trace', in: 'header', schema: str(), pointer: '/components/parameters/Trace' }] }),
          op('get /b', { params: [{ name: 'X-Trace', in: 'header', schema: str(), pointer: '/components/parameters/Trace' }] }),
        ],
      }),
      expect: [{ status: 'fail', messageId: 'unconstrainedString', pointer: '/components/parameters/Trace' }],
    },
  ],
});

testCheck('openapi.specValid', {
  valid: [{ name: 'no problems', bundle: spec({}), expect: ['pass'] }],
  invalid: [
    {
      name: 'each problem is a finding at its location',
      bundle: spec({
        problems: [
          { message: "can't resolve reference #/components/schemas/Missing", location: { file: FILE, pointer: '/paths/~1a/get/responses/200' } },
          { message: 'must have required property info', location: { file: FILE, pointer: '' } },
        ],
      }),
      expect: [
        { status: 'fail', messageId: 'specProblem', pointer: '/paths/~1a/get/responses/200', message: 'Missing' },
        { status: 'fail', messageId: 'specProblem', pointer: '' },
      ],
    },
  ],
});

describe('openapi family', () => {
  it('registers every catalogue check', () => {
    const names = defaultRegistry.names().filter((n) => n.startsWith('openapi.'));
    expect(names).toEqual([
      'openapi.errorDisclosure', 'openapi.mutualAuthentication', 'openapi.noPaymentSensitiveInResponse', 'openapi.operationAuthentication',
      'openapi.parameterConstraints', 'openapi.rateLimitDeclared', 'openapi.requestSignature', 'openapi.responseMasking',
      'openapi.serversHttps', 'openapi.specValid', 'openapi.versionIdentifiable',
    ]);
  });

  it('judges several documents independently (one rate-limit outcome each)', () => {
    const check = defaultRegistry.get('openapi.rateLimitDeclared')!;
    const outcomes = runCheck(check, { bundle: { openapi: [doc({ file: 'a.yaml', operations: [op('get /a', { file: 'a.yaml' })] }), doc({ file: 'b.yaml', operations: [op('get /b', { file: 'b.yaml', responses: { '429': {} } })] })] } });
    expect(outcomes.map((o) => [o.status, o.location?.file])).toEqual([['fail', 'a.yaml'], ['pass', 'b.yaml']]);
  });
});
