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
    { name: 'plain HTTP redirects to HTTPS, HSTS sent', bundle: { probe: [tls()] }, expect: ['pass', { status: 'pass', messageId: 'hstsOk' }] },
    { name: 'plain HTTP port closed', bundle: { probe: [tls({ plainHttp: { url: 'http://openapi.sandbox.bank.example/', outcome: 'refused' } })] }, expect: ['pass', 'pass'] },
    { name: 'no plain-HTTP URL configured', bundle: { probe: [tls({ plainHttp: undefined })] }, expect: ['n/a', 'pass'] },
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
    {
      // RFC 6797 6.1.1: max-age=0 makes the browser forget the host; the header is there and HSTS is off.
      name: 'HSTS max-age=0 switches HSTS off',
      bundle: { probe: [tls({ hsts: 'max-age=0; includeSubDomains' })] },
      expect: [{ status: 'warn', messageId: 'hstsDisabled', message: 'max-age=0' }],
    },
    {
      name: 'tarpit: TCP accepted, no TLS handshake ever completed',
      bundle: { probe: [tls({ error: 'the server accepted TCP connections but completed no TLS handshake within 3000 ms', protocols: { SSLv3: null, TLSv1: null, 'TLSv1.1': null, 'TLSv1.2': null, 'TLSv1.3': null } })] },
      expect: [{ status: 'error', messageId: 'probeFailed', message: 'completed no TLS handshake' }],
    },
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
      expect: [{ status: 'error', messageId: 'protocolUnknown' }],
    },
  ],
});

testCheck('probe.weakCiphers', {
  valid: [
    { name: 'AEAD suites only', bundle: { probe: [tls()] }, expect: ['pass'] },
    { name: 'DHE with a 2048-bit prime', bundle: { probe: [tls({ dhe: { cipher: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', bits: 2048 } })] }, expect: [{ status: 'pass', messageId: 'dheOk' }, 'pass'] },
  ],
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
      // An Ed25519 server that refuses the probe's baseline hello: "no weak suite" would be a guess.
      name: 'enumeration unknown is an error, never a pass',
      bundle: { probe: [tls({ enumeration: 'unknown', enumerationProblem: 'the server completes handshakes yet refused the baseline ClientHello (alert handshake_failure)' })] },
      expect: [{ status: 'error', messageId: 'enumerationUnknown', message: 'refused the baseline ClientHello' }],
    },
    {
      name: 'DHE with a 1024-bit prime',
      bundle: { probe: [tls({ dhe: { cipher: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', bits: 1024 } })] },
      expect: [{ status: 'fail', messageId: 'weakDhe', message: '1024-bit prime' }],
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
    {
      name: 'refused at the TLS handshake (client certificate demanded), or the connection closed unanswered (nginx 444)',
      bundle: {
        probe: [
          http({
            unauthenticated: [
              { operation: 'GET /api/v1/a2/accounts/1001', rejected: true, refusal: 'handshake' },
              { operation: 'GET /api/v1/a1/products', rejected: true, refusal: 'closed', error: 'connection closed without an answer (UND_ERR_SOCKET)' },
            ],
          }),
        ],
      },
      expect: [{ status: 'pass', messageId: 'refusedAtHandshake' }, { status: 'pass', messageId: 'refusedClosed' }],
    },
  ],
  invalid: [
    {
      name: 'no answer within the deadline decides nothing',
      bundle: { probe: [http({ unauthenticated: [{ operation: 'GET /api/v1/a1/products', rejected: false, error: 'no complete answer within 3000 ms' }] })] },
      expect: [{ status: 'error', messageId: 'noAnswer', message: 'within 3000 ms' }],
    },
    {
      name: 'the HTTP probe failed as a whole',
      bundle: { probe: [http({ error: 'HTTP probe failed: boom' })] },
      expect: [{ status: 'error', messageId: 'probeFailed' }],
    },
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

testCheck('probe.errorDisclosure', {
  valid: [
    {
      name: 'the server closes the connection on malformed input (nginx 444): nothing disclosed',
      bundle: { probe: [http({ errorResponses: [{ operation: 'GET /', variant: 'broken-json', closed: true, error: 'connection closed without an answer (UND_ERR_SOCKET)', leaks: [] }] })] },
      expect: [{ status: 'pass', messageId: 'closed' }],
    },
  ],
  invalid: [
    {
      // openssl s_server -www never answers a POST: the probe records it, it never ends the run.
      name: 'no answer within the deadline',
      bundle: { probe: [http({ errorResponses: [{ operation: 'GET /', variant: 'broken-json', error: 'no complete answer within 3000 ms', leaks: [] }] })] },
      expect: [{ status: 'error', messageId: 'noAnswer', message: 'within 3000 ms' }],
    },
    {
      name: 'skipped: client certificate demanded and none configured',
      bundle: { probe: [http({ skipped: 'https://x/ demands a client certificate at the TLS handshake' })] },
      expect: [{ status: 'warn', messageId: 'probeSkipped', message: 'demands a client certificate' }],
    },
  ],
});

function authorization(cases: Record<string, unknown>[], extra: Record<string, unknown> = {}): ProbeResultEvidence {
  return { kind: 'probe', probe: 'authorization', target: URL_, requests: cases.length, problems: [], facts: { configFile: CONFIG, cases, ...extra } };
}

testCheck('probe.unauthorizedResourceDenied', {
  valid: [
    {
      name: 'own resource served; ungranted interface and another party’s account refused with 403',
      bundle: {
        probe: [
          authorization([
            { kind: 'own-resource', operation: 'GET /api/v1/a2/accounts/1002', status: 200 },
            { kind: 'ungranted', operation: 'GET /api/v1/a2/loans', status: 403 },
            { kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 403 },
          ]),
        ],
      },
      expect: [{ status: 'pass', messageId: 'controlServed' }, { status: 'pass', messageId: 'denied', subject: 'GET /api/v1/a2/loans ungranted' }, { status: 'pass', messageId: 'denied' }],
    },
    {
      name: 'no control configured: 403 is trusted as a denial',
      bundle: { probe: [authorization([{ kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 403 }])] },
      expect: ['pass'],
    },
  ],
  invalid: [
    {
      name: 'BOLA: another party’s account is served',
      bundle: {
        probe: [
          authorization([
            { kind: 'own-resource', operation: 'GET /api/v1/a2/accounts/1002', status: 200 },
            { kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 200 },
          ]),
        ],
      },
      expect: [{ status: 'fail', messageId: 'served', subject: 'GET /api/v1/a2/accounts/2002 foreign-resource', message: 'an unauthorized resource can be reached', file: CONFIG }],
    },
    {
      name: 'control refused: the 403s prove nothing',
      bundle: {
        probe: [
          authorization([
            { kind: 'own-resource', operation: 'GET /api/v1/a2/accounts/1002', status: 401 },
            { kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 403 },
          ]),
        ],
      },
      expect: [{ status: 'error', messageId: 'controlRefused' }, { status: 'error', messageId: 'credentialRefused' }],
    },
    {
      name: '401: the credential itself was not accepted',
      bundle: { probe: [authorization([{ kind: 'ungranted', operation: 'GET /api/v1/a2/loans', status: 401 }])] },
      expect: [{ status: 'error', messageId: 'credentialRefused', message: 'answers 401' }],
    },
    {
      name: '404 for another party’s id cannot be told from a missing id',
      bundle: { probe: [authorization([{ kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', status: 404 }])] },
      expect: [{ status: 'warn', messageId: 'hidden' }],
    },
    {
      name: 'timeout',
      bundle: { probe: [authorization([{ kind: 'foreign-resource', operation: 'GET /api/v1/a2/accounts/2002', error: 'no complete answer within 5000 ms' }])] },
      expect: [{ status: 'error', messageId: 'noAnswer' }],
    },
    {
      name: 'skipped: client certificate demanded, none configured',
      bundle: { probe: [authorization([], { skipped: 'https://x/ demands a client certificate at the TLS handshake' })] },
      expect: [{ status: 'warn', messageId: 'probeSkipped' }],
    },
  ],
});
