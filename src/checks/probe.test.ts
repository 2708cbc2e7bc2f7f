import { testCheck } from './testing.js';
import type { ProbeResultEvidence } from '../model/evidence.js';

const CONFIG = 'probe/sandbox.yaml';
const URL_ = 'https://openapi.sandbox.bank.example:8443/';

function tls(facts: Record<string, unknown> = {}): ProbeResultEvidence {
  return {
    kind: 'probe',
    probe: 'tls',
    target: URL_,
    requests: 2,
    problems: [],
    facts: {
      name: 'sandbox',
      level: 'A2',
      configFile: CONFIG,
      protocols: { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
      weakCiphers: [],
      cbcSha1: [],
      certificate: {
        subject: 'CN=openapi.sandbox.bank.example, O=Example Bank',
        issuer: 'CN=Example Bank Issuing CA',
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
        keyType: 'rsa',
        keyBits: 2048,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        signatureAlgorithmOid: '1.2.840.113549.1.1.11',
        hostnameMatches: true,
        chainTrusted: true,
      },
      clientCertificate: 'required',
      clientCertificateSignal: 'TLS alert certificate_required (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)',
      httpsStatus: 403,
      hsts: 'max-age=31536000',
      plainHttp: { url: 'http://openapi.sandbox.bank.example/', outcome: 'redirect-https', status: 301, location: 'https://openapi.sandbox.bank.example/' },
      httpRedirectsToHttps: true,
      connections: 11,
      observedAt: '2026-06-01T00:00:00.000Z',
      ...facts,
    },
  };
}

function withCert(cert: Record<string, unknown>): ProbeResultEvidence {
  const base = tls();
  return tls({ certificate: { ...(base.facts.certificate as object), ...cert } });
}

function http(facts: Record<string, unknown>): ProbeResultEvidence {
  return { kind: 'probe', probe: 'http', target: URL_, requests: 3, problems: [], facts: { configFile: CONFIG, unauthenticated: [], errorResponses: [], offHostRedirects: [], ...facts } };
}

function signature(variants: [string, number][], extra: Record<string, unknown> = {}): ProbeResultEvidence {
  return {
    kind: 'probe',
    probe: 'signature',
    target: `${URL_}api/v1/a2/transfers`,
    requests: variants.length,
    problems: [],
    facts: {
      configFile: CONFIG,
      operation: 'POST /api/v1/a2/transfers',
      scheme: 'sm2-sm3',
      keySource: 'file named by $APP_SM2_KEY_FILE',
      variants: variants.map(([variant, status]) => ({ variant, status, accepted: status >= 200 && status < 300 })),
      ...extra,
    },
  };
}

const ALL_REJECTED: [string, number][] = [
  ['valid', 200],
  ['replayed', 401],
  ['unsigned', 401],
  ['tampered-body', 401],
  ['wrong-key', 401],
  ['stale-timestamp', 401],
];

function masking(status: number, unmasked: { detector: string; path: string; excerpt: string }[], maskedValues = 0): ProbeResultEvidence {
  return {
    kind: 'probe',
    probe: 'masking',
    target: `${URL_}api/v1/a2/accounts/1001`,
    requests: 1,
    problems: [],
    facts: { configFile: CONFIG, operation: 'GET /api/v1/a2/accounts/1001', status, unmasked, maskedValues },
  };
}

testCheck('probe.tlsRequired', {
  valid: [
    { name: 'plain HTTP redirects to HTTPS, HSTS sent', bundle: { probe: [tls()] }, expect: ['pass'] },
    { name: 'plain HTTP port closed', bundle: { probe: [tls({ plainHttp: { url: 'http://openapi.sandbox.bank.example/', outcome: 'refused' } })] }, expect: ['pass'] },
    { name: 'no plain-HTTP URL configured', bundle: { probe: [tls({ plainHttp: undefined })] }, expect: ['n/a'] },
  ],
  invalid: [
    {
      name: 'plain HTTP serves the API',
      bundle: { probe: [tls({ plainHttp: { url: 'http://openapi.sandbox.bank.example/', outcome: 'served', status: 200 } })] },
      expect: [{ status: 'fail', messageId: 'plainServed', file: CONFIG, subject: 'TLS openapi.sandbox.bank.example:8443 plain HTTP', message: 'answers 200 itself' }],
    },
    {
      name: 'redirect to another host is reported, not followed',
      bundle: { probe: [tls({ plainHttp: { url: 'http://openapi.sandbox.bank.example/', outcome: 'redirect-other-host', status: 302, location: 'https://login.elsewhere.example/' } })] },
      expect: [{ status: 'warn', messageId: 'redirectOtherHost', message: 'https://login.elsewhere.example/' }],
    },
    { name: 'no HSTS header', bundle: { probe: [tls({ hsts: undefined })] }, expect: [{ status: 'warn', messageId: 'noHsts' }] },
  ],
});

testCheck('probe.tlsVersions', {
  valid: [
    { name: 'TLS 1.2 and 1.3 only', bundle: { probe: [tls()] }, expect: [{ status: 'pass', message: 'TLSv1.2, TLSv1.3' }] },
    {
      name: 'TLS 1.2 accepted when min is TLS 1.2 explicitly',
      bundle: { probe: [tls({ protocols: { SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false } })] },
      params: { min: 'TLSv1.2' },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'TLS 1.0 and 1.1 still on',
      bundle: { probe: [tls({ protocols: { SSLv3: false, TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': false } })] },
      expect: [
        { status: 'fail', messageId: 'oldProtocolAccepted', subject: 'TLS openapi.sandbox.bank.example:8443 TLSv1', file: CONFIG },
        { status: 'fail', messageId: 'oldProtocolAccepted', subject: 'TLS openapi.sandbox.bank.example:8443 TLSv1.1' },
      ],
    },
    {
      name: 'SSLv3 accepted',
      bundle: { probe: [tls({ protocols: { SSLv3: true, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true } })] },
      expect: [{ status: 'fail', messageId: 'oldProtocolAccepted', message: 'accepts SSLv3' }],
    },
    {
      name: 'TLS 1.2 below a TLS 1.3 minimum',
      bundle: { probe: [tls()] },
      params: { min: 'TLSv1.3' },
      expect: [{ status: 'fail', messageId: 'oldProtocolAccepted', message: 'TLSv1.2 (below TLSv1.3)' }],
    },
    {
      name: 'TLS 1.1 timed out',
      bundle: { probe: [tls({ protocols: { SSLv3: false, TLSv1: false, 'TLSv1.1': null, 'TLSv1.2': true, 'TLSv1.3': true } })] },
      expect: [{ status: 'warn', messageId: 'protocolUnknown' }],
    },
  ],
});

testCheck('probe.weakCiphers', {
  valid: [{ name: 'AEAD suites only', bundle: { probe: [tls()] }, expect: ['pass'] }],
  invalid: [
    {
      name: '3DES and RC4 accepted',
      bundle: {
        probe: [
          tls({
            weakCiphers: [
              { name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DES-CBC3-SHA', protocol: 'TLSv1.2', reasons: ['3DES'] },
              { name: 'TLS_RSA_WITH_RC4_128_SHA', openssl: 'RC4-SHA', protocol: 'TLSv1.2', reasons: ['RC4'] },
            ],
          }),
        ],
      },
      expect: [
        { status: 'fail', messageId: 'weakCipher', subject: 'TLS openapi.sandbox.bank.example:8443 TLS_RSA_WITH_3DES_EDE_CBC_SHA', message: '3DES, TLSv1.2' },
        { status: 'fail', messageId: 'weakCipher', message: 'TLS_RSA_WITH_RC4_128_SHA' },
      ],
    },
    {
      name: 'anonymous Diffie-Hellman accepted',
      bundle: { probe: [tls({ weakCiphers: [{ name: 'TLS_DH_anon_WITH_AES_128_GCM_SHA256', openssl: 'ADH-AES128-GCM-SHA256', protocol: 'TLSv1.2', reasons: ['anonymous'] }] })] },
      expect: [{ status: 'fail', messageId: 'weakCipher', message: 'anonymous' }],
    },
    {
      name: 'CBC with SHA-1 is a warning, not a failure',
      bundle: { probe: [tls({ cbcSha1: [{ name: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', openssl: 'ECDHE-RSA-AES128-SHA', protocol: 'TLSv1.2' }] })] },
      expect: [{ status: 'warn', messageId: 'cbcSha1', message: '1 CBC suites' }],
    },
  ],
});

testCheck('probe.certificate', {
  valid: [
    { name: 'RSA 2048, SHA-256, trusted, matching', bundle: { probe: [tls()] }, expect: [{ status: 'pass', message: 'rsa 2048 bits' }] },
    { name: 'SM2 256 certificate', bundle: { probe: [withCert({ keyType: 'sm2', keyBits: 256, signatureAlgorithm: 'SM2-with-SM3' })] }, expect: ['pass'] },
  ],
  invalid: [
    { name: 'expired at probe time', bundle: { probe: [withCert({ notAfter: '2026-05-01T00:00:00.000Z' })] }, expect: [{ status: 'fail', messageId: 'expired', message: '2026-05-01' }] },
    { name: 'SHA-1 signature', bundle: { probe: [withCert({ signatureAlgorithm: 'sha1WithRSAEncryption' })] }, expect: [{ status: 'fail', messageId: 'weakSignature' }] },
    { name: 'MD5 signature', bundle: { probe: [withCert({ signatureAlgorithm: 'md5WithRSAEncryption' })] }, expect: [{ status: 'fail', messageId: 'weakSignature' }] },
    { name: 'RSA 1024', bundle: { probe: [withCert({ keyBits: 1024 })] }, expect: [{ status: 'fail', messageId: 'weakKey', message: 'rsa 1024 bits' }] },
    {
      name: 'self-signed for another name',
      bundle: { probe: [withCert({ hostnameMatches: false, chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })] },
      expect: [
        { status: 'fail', messageId: 'hostnameMismatch', message: 'openapi.sandbox.bank.example' },
        { status: 'fail', messageId: 'untrustedChain', message: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      ],
    },
    { name: 'no certificate obtained', bundle: { probe: [tls({ certificate: undefined })] }, expect: [{ status: 'warn', messageId: 'noCertificate' }] },
  ],
});

testCheck('probe.clientCertificateRequired', {
  valid: [
    { name: 'A2 target, TLS 1.3 certificate_required alert', bundle: { probe: [tls()] }, expect: ['pass'] },
    { name: 'A1 target needs none', bundle: { probe: [tls({ level: 'A1', clientCertificate: 'none' })] }, expect: ['n/a'] },
    { name: 'undeclared level follows the profile (A1)', bundle: { probe: [tls({ level: undefined, clientCertificate: 'none' })] }, level: 'A1', expect: ['n/a'] },
  ],
  invalid: [
    {
      name: 'certificate requested but optional',
      bundle: { probe: [tls({ clientCertificate: 'optional', clientCertificateSignal: 'CertificateRequest, yet HTTP 200 answered without a certificate' })] },
      expect: [{ status: 'fail', messageId: 'notRequired', subject: 'TLS openapi.sandbox.bank.example:8443 client certificate', message: 'optional' }],
    },
    { name: 'never requested', bundle: { probe: [tls({ clientCertificate: 'none' })] }, expect: [{ status: 'fail', messageId: 'notRequired' }] },
    { name: 'undeclared level follows the profile (A2)', bundle: { probe: [tls({ level: undefined, clientCertificate: 'none' })] }, level: 'A2', expect: [{ status: 'fail', messageId: 'notRequired' }] },
    { name: 'no answer', bundle: { probe: [tls({ clientCertificate: 'unknown', clientCertificateSignal: 'timeout' })] }, expect: [{ status: 'warn', messageId: 'unknown' }] },
  ],
});

testCheck('probe.unauthenticatedRejected', {
  valid: [
    {
      name: '401 and 403',
      bundle: { probe: [http({ unauthenticated: [{ operation: 'GET /api/v1/a1/products', status: 401, rejected: true }, { operation: 'POST /api/v1/a2/transfers', status: 403, rejected: true }] })] },
      expect: ['pass', 'pass'],
    },
  ],
  invalid: [
    {
      name: 'served without credentials',
      bundle: { probe: [http({ unauthenticated: [{ operation: 'GET /api/v1/a1/products', status: 200, rejected: false }] })] },
      expect: [{ status: 'fail', messageId: 'accepted', subject: 'GET /api/v1/a1/products unauthenticated', file: CONFIG }],
    },
    {
      name: '500 instead of 401',
      bundle: { probe: [http({ unauthenticated: [{ operation: 'GET /api/v1/a1/products', status: 500, rejected: false }] })] },
      expect: [{ status: 'warn', messageId: 'unclear', message: '500, not 401/403' }],
    },
  ],
});

testCheck('probe.errorDisclosure', {
  valid: [
    {
      name: 'terse JSON errors',
      bundle: { probe: [http({ errorResponses: [{ operation: 'POST /api/v1/a2/transfers', variant: 'broken-json', status: 400, leaks: [] }] })] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'stack trace and framework version',
      bundle: {
        probe: [
          http({
            errorResponses: [
              {
                operation: 'POST /api/v1/a2/transfers',
                variant: 'broken-json',
                status: 500,
                leaks: [
                  { kind: 'version', where: 'x-powered-by', excerpt: 'x-powered-by: Express 4.17.1' },
                  { kind: 'stack-trace', where: 'body', excerpt: 'at TransferController.create (/usr/src/app/dist/controllers/transfer.js:42:17)' },
                ],
              },
            ],
          }),
        ],
      },
      expect: [
        { status: 'fail', messageId: 'leak', subject: 'POST /api/v1/a2/transfers broken-json version', message: 'discloses version (x-powered-by)' },
        { status: 'fail', messageId: 'leak', subject: 'POST /api/v1/a2/transfers broken-json stack-trace' },
      ],
    },
    {
      name: 'SQL error',
      bundle: { probe: [http({ errorResponses: [{ operation: 'GET /api/v1/a1/products', variant: 'sql-metacharacters', status: 500, leaks: [{ kind: 'sql', where: 'body', excerpt: "ORA-00933: SQL command not properly ended" }] }] })] },
      expect: [{ status: 'fail', messageId: 'leak', message: 'discloses sql' }],
    },
  ],
});

testCheck('probe.rateLimited', {
  valid: [
    {
      name: '429 within the burst',
      bundle: { probe: [http({ burst: { operation: 'GET /api/v1/a1/products', count: 20, sent: 16, statuses: { '200': 15, '429': 1 }, limited: true, firstLimitedAt: 16, rateLimitHeaders: ['retry-after'] } })] },
      expect: [{ status: 'pass', message: 'at request 16 of a 20-request burst' }],
    },
    { name: 'no burst configured', bundle: { probe: [http({})] }, expect: ['n/a'] },
  ],
  invalid: [
    {
      name: 'twenty requests, no flow control',
      bundle: { probe: [http({ burst: { operation: 'GET /api/v1/a1/products', count: 20, sent: 20, statuses: { '200': 20 }, limited: false, rateLimitHeaders: [] } })] },
      expect: [{ status: 'fail', messageId: 'notLimited', subject: 'GET /api/v1/a1/products burst', message: '20 back-to-back requests (statuses 200×20)' }],
    },
  ],
});

testCheck('probe.signatureEnforced', {
  valid: [
    { name: 'every variant refused, valid accepted', bundle: { probe: [signature(ALL_REJECTED)] }, expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'pass'] },
    { name: 'bank response signature verifies', bundle: { probe: [signature(ALL_REJECTED, { responseSignature: 'valid' })] }, expect: ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass'] },
  ],
  invalid: [
    {
      name: 'unsigned request accepted',
      bundle: { probe: [signature(ALL_REJECTED.map(([v, s]) => [v, v === 'unsigned' ? 200 : s]))] },
      expect: [{ status: 'fail', messageId: 'variantAccepted', subject: 'POST /api/v1/a2/transfers sm2-sm3 unsigned', file: CONFIG }],
    },
    {
      name: 'replay accepted',
      bundle: { probe: [signature(ALL_REJECTED.map(([v, s]) => [v, v === 'replayed' ? 200 : s]))] },
      expect: [{ status: 'fail', messageId: 'variantAccepted', message: 'the replayed request is accepted' }],
    },
    {
      name: 'valid request refused',
      bundle: { probe: [signature(ALL_REJECTED.map(([v, s]) => [v, v === 'valid' ? 401 : s]))] },
      expect: [{ status: 'fail', messageId: 'validRejected' }],
    },
    {
      name: 'rate-limited variant proves nothing',
      bundle: { probe: [signature(ALL_REJECTED.map(([v, s]) => [v, v === 'wrong-key' ? 429 : s]))] },
      expect: [{ status: 'warn', messageId: 'variantUnclear' }],
    },
    {
      name: 'response signature does not verify',
      bundle: { probe: [signature(ALL_REJECTED, { responseSignature: 'invalid' })] },
      expect: [{ status: 'fail', messageId: 'responseSignatureInvalid', subject: 'POST /api/v1/a2/transfers response signature' }],
    },
  ],
});

testCheck('probe.responseMasked', {
  valid: [{ name: 'masked account data', bundle: { probe: [masking(200, [], 4)] }, expect: [{ status: 'pass', message: '4 masked values' }] }],
  invalid: [
    {
      name: 'unmasked card number',
      bundle: { probe: [masking(200, [{ detector: 'pan', path: '$.data.cardNo', excerpt: 'cardNo: 622202******0123' }])] },
      expect: [{ status: 'fail', messageId: 'unmasked', subject: 'GET /api/v1/a2/accounts/1001 $.data.cardNo', message: 'unmasked pan at $.data.cardNo', file: CONFIG }],
    },
    {
      name: 'unmasked ID number and mobile',
      bundle: {
        probe: [
          masking(200, [
            { detector: 'id-card', path: '$.data.holder.idNo', excerpt: 'idNo: 110105********231X' },
            { detector: 'mobile', path: '$.data.holder.mobile', excerpt: 'mobile: 138****5678' },
          ]),
        ],
      },
      expect: [
        { status: 'fail', messageId: 'unmasked', message: 'id-card' },
        { status: 'fail', messageId: 'unmasked', message: 'mobile' },
      ],
    },
    { name: 'read refused', bundle: { probe: [masking(403, [])] }, expect: [{ status: 'warn', messageId: 'readFailed', message: 'answered 403' }] },
  ],
});
