import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import { rm } from 'node:fs/promises';
import { generatePki, type TestPki } from '../../simulator/certs.js';
import { parseProbeConfig, plannedRequestCount, probeUrls, runProbes } from './index.js';
import { findLeaks } from './http.js';
import { scanResponse } from './masking.js';
import { contentDigest, rfc9421SignatureBase, rfc9421SignatureParams, signRequest, verifyRequest, verifyResponse, signResponse, wrongKeyFor } from './signature.js';
import type { SignatureScheme } from './config.js';
import { RequestBudget, BudgetExceeded } from './budget.js';

let pki: TestPki;
let bankUrl: string;
let plainUrl: string;
const servers: (https.Server | http.Server | net.Server)[] = [];

beforeAll(async () => {
  pki = await generatePki();
  const api = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, minVersion: 'TLSv1.2' }, (req, res) => {
    if (req.url?.startsWith('/login')) {
      res.writeHead(302, { location: 'https://sso.elsewhere.example/login' });
      return res.end();
    }
    if (req.url?.startsWith('/api/v1/customers/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'strict-transport-security': 'max-age=600' });
      return res.end(JSON.stringify({ data: { customerName: '王小明', idNo: '11010519491231002X', mobile: '13912345678', cardNo: '622202******0123' } }));
    }
    res.writeHead(401, { 'content-type': 'application/json', 'strict-transport-security': 'max-age=600' });
    res.end('{"code":"UNAUTHENTICATED"}');
  });
  const plain = http.createServer((_req, res) => {
    res.writeHead(301, { location: 'https://www.elsewhere.example/' });
    res.end();
  });
  for (const s of [api, plain]) {
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    servers.push(s);
  }
  bankUrl = `https://127.0.0.1:${(api.address() as net.AddressInfo).port}/`;
  plainUrl = `http://127.0.0.1:${(plain.address() as net.AddressInfo).port}/`;
}, 30000);

afterAll(async () => {
  for (const s of servers) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await rm(pki.dir, { recursive: true, force: true });
});

describe('runProbes safety controls', () => {
  it('--dry-run lists every request and opens no connection', async () => {
    let connections = 0;
    const trap = net.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', () => r()));
    servers.push(trap);
    const port = (trap.address() as net.AddressInfo).port;
    const config = parseProbeConfig(
      `targets:
  - { name: sandbox, url: "https://127.0.0.1:${port}/", plainHttpUrl: "http://127.0.0.1:${port}/" }
credentials:
  appId: { env: JRT_DRY_APP_ID }
probes:
  http:
    unauthenticated: [{ method: GET, path: /api/v1/accounts }]
    malformed: [{ method: POST, path: /api/v1/transfers }]
    burst: { path: /api/v1/accounts, count: 5 }
  signature:
    - { operation: { method: POST, path: /api/v1/transfers, body: { amount: 1 } }, scheme: rsa-sha256, key: { fileEnv: JRT_DRY_KEY_FILE } }
  masking:
    - operations: [{ method: GET, path: /api/v1/accounts/1 }]
`,
      'dry.yaml',
    );
    delete process.env.JRT_DRY_APP_ID;
    const { evidence, plannedRequests } = await runProbes(config, { dryRun: true });
    expect(evidence).toEqual([]);
    expect(connections).toBe(0);
    // 2 TLS-probe requests + 1 unauthenticated + 2 malformed + 5 burst + 6 signature + 1 masking
    expect(plannedRequestCount(config)).toBe(17);
    expect(plannedRequests.filter((l) => /^(GET|POST) /.test(l))).toHaveLength(17);
    expect(plannedRequests.filter((l) => l.startsWith('TLS '))).toHaveLength(9); // 8 + the DHE-only hello
    expect(plannedRequests).toContain(`POST https://127.0.0.1:${port}/api/v1/transfers (signature rsa-sha256: replayed)`);
  });

  it('refuses to start when the plan exceeds the request budget', async () => {
    const config = parseProbeConfig(
      `targets: [{ name: a, url: "${bankUrl}" }]
limits: { maxRequests: 10 }
probes:
  http:
    burst: { path: /, count: 50 }
`,
      'budget.yaml',
    );
    await expect(runProbes(config)).rejects.toThrow('budget.yaml: the probes plan 51 HTTP requests but limits.maxRequests is 10');
  });

  it('the budget and rate cap hold: 5 requests at 20/s take at least 200 ms, the 6th is refused', async () => {
    const b = new RequestBudget(5, 20);
    const t = Date.now();
    for (let i = 0; i < 5; i++) await b.take();
    expect(Date.now() - t).toBeGreaterThanOrEqual(195);
    await expect(b.take()).rejects.toBeInstanceOf(BudgetExceeded);
  });

  it('redirects to other hosts are reported, not followed; masking finds the unmasked values with their paths', async () => {
    const config = parseProbeConfig(
      `targets: [{ name: bank, url: "${bankUrl}", plainHttpUrl: "${plainUrl}" }]
limits: { ratePerSecond: 50 }
probes:
  http:
    unauthenticated: [{ method: GET, path: /login }, { method: GET, path: /api/v1/accounts }]
  masking:
    - operations: [{ method: GET, path: /api/v1/customers/42 }]
`,
      'redirect.yaml',
    );
    const { evidence } = await runProbes(config);
    const tls = evidence.find((e) => e.probe === 'tls')!;
    expect(tls.facts.plainHttp).toEqual({ url: plainUrl, outcome: 'redirect-other-host', status: 301, location: 'https://www.elsewhere.example/' });
    const httpEv = evidence.find((e) => e.probe === 'http')!;
    expect(httpEv.facts.offHostRedirects).toEqual(['GET /login → https://sso.elsewhere.example']);
    expect(httpEv.facts.unauthenticated).toEqual([
      { operation: 'GET /login', status: 302, rejected: false },
      { operation: 'GET /api/v1/accounts', status: 401, rejected: true },
    ]);
    const masking = evidence.find((e) => e.probe === 'masking')!;
    const unmasked = masking.facts.unmasked as { detector: string; path: string; excerpt: string }[];
    expect(unmasked.map((u) => [u.detector, u.path])).toEqual([
      ['person-name', '$.data.customerName'],
      ['id-card', '$.data.idNo'],
      ['mobile', '$.data.mobile'],
    ]);
    expect(JSON.stringify(evidence)).not.toMatch(/王小明|11010519491231002X|13912345678/);
    expect(masking.facts.maskedValues).toBe(1);
  });
});

describe('probeUrls (jrt0185 probe URL...)', () => {
  it('TLS plus the config-free HTTP checks, 3 requests per URL', async () => {
    const t = Date.now();
    const evidence = await probeUrls([bankUrl], { ca: [pki.caCertPem] });
    expect(Date.now() - t).toBeLessThan(1500);
    expect(evidence.map((e) => e.probe)).toEqual(['tls', 'http']);
    expect(evidence[0]!.facts).toMatchObject({ clientCertificate: 'none', hsts: 'max-age=600', protocols: { 'TLSv1.2': true, 'TLSv1.3': true, TLSv1: false } });
    expect(evidence[1]!.facts.unauthenticated).toEqual([{ operation: 'GET /', status: 401, rejected: true }]);
    expect(evidence.reduce((n, e) => n + e.requests, 0)).toBe(3);
  });

  it('refuses plain-http URLs as an input error', async () => {
    await expect(probeUrls(['http://bank.example/'])).rejects.toThrow(/probe URLs must be https/);
  });
});

describe('signature schemes', () => {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sm2 = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = (k: crypto.KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }) as string;
  const keys: Record<SignatureScheme, [string, string]> = {
    'hmac-sha256': ['s3cr3t-hmac', 's3cr3t-hmac'],
    'hmac-sm3': ['s3cr3t-hmac', 's3cr3t-hmac'],
    'rfc9421-hmac-sha256': ['s3cr3t-hmac', 's3cr3t-hmac'],
    'rsa-sha256': [pem(rsa.privateKey, 'pkcs8'), pem(rsa.publicKey, 'spki')],
    'rfc9421-rsa-v1_5-sha256': [pem(rsa.privateKey, 'pkcs8'), pem(rsa.publicKey, 'spki')],
    'sm2-sm3': [pem(sm2.privateKey, 'pkcs8'), pem(sm2.publicKey, 'spki')],
    'rfc9421-ecdsa-p256-sha256': [pem(p256.privateKey, 'pkcs8'), pem(p256.publicKey, 'spki')],
  };
  const req = { method: 'POST', target: '/api/v1/a2/transfers?channel=app', body: '{"amount":100}' };
  for (const [scheme, [priv, pub]] of Object.entries(keys) as [SignatureScheme, [string, string]][]) {
    it(`${scheme}: verifies; tampered body, wrong key fail`, () => {
      const headers = signRequest(req, { scheme, key: priv, appId: 'APP1', timestamp: 1700000000, nonce: 'n-1' });
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(verifyRequest(req, lower, scheme, pub)).toMatchObject({ ok: true, timestamp: 1700000000, nonce: 'n-1' });
      expect(verifyRequest({ ...req, body: '{"amount":10001}' }, lower, scheme, pub).ok).toBe(false);
      const wrong = signRequest(req, { scheme, key: wrongKeyFor(scheme), appId: 'APP1', timestamp: 1700000000, nonce: 'n-1' });
      expect(verifyRequest(req, Object.fromEntries(Object.entries(wrong).map(([k, v]) => [k.toLowerCase(), v])), scheme, pub).ok).toBe(false);
    });
  }

  it('RFC 9421 signature base and RFC 9530 Content-Digest', () => {
    expect(contentDigest('{"hello": "world"}\n')).toBe('sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:');
    const params = rfc9421SignatureParams(1618884473, 'b3k2pp5k7z', 'app-key', 'hmac-sha256');
    expect(rfc9421SignatureBase({ method: 'post', target: '/foo?param=Value&Pet=dog', body: '' }, 'sha-256=:x:', params)).toBe(
      ['"@method": POST', '"@path": /foo', '"@query": ?param=Value&Pet=dog', '"content-digest": sha-256=:x:', `"@signature-params": ("@method" "@path" "@query" "content-digest");created=1618884473;nonce="b3k2pp5k7z";keyid="app-key";alg="hmac-sha256"`].join('\n'),
    );
  });

  it('bank response signatures (RSA and SM2) verify, and fail on a changed body', () => {
    for (const pair of [rsa, sm2]) {
      const privateKey = crypto.createPrivateKey(pem(pair.privateKey, 'pkcs8'));
      const sig = signResponse(privateKey, '1700000000', 'n-1', '{"ok":true}');
      expect(verifyResponse(pem(pair.publicKey, 'spki'), '1700000000', 'n-1', '{"ok":true}', sig)).toBe(true);
      expect(verifyResponse(pem(pair.publicKey, 'spki'), '1700000000', 'n-1', '{"ok":false}', sig)).toBe(false);
    }
  });
});

describe('disclosure and masking scanners', () => {
  it('finds stack traces, versions, SQL and internal addresses; excerpts are masked', () => {
    const leaks = findLeaks({
      headers: { server: 'Apache/2.4.41 (Ubuntu)', 'x-powered-by': 'PHP/7.4.3' },
      body: `PDOException: SQLSTATE[42000]: Syntax error in /var/www/html/api/accounts.php on line 42 while connecting to db01.corp (10.12.0.7) for card 6222020200112340123`,
    });
    expect(leaks.map((l) => `${l.kind}@${l.where}`)).toEqual(['version@server', 'version@x-powered-by', 'stack-trace@body', 'sql@body', 'internal-address@body']);
    expect(JSON.stringify(leaks)).not.toContain('6222020200112340123');
  });

  it('a terse JSON error and a bare Server header leak nothing', () => {
    expect(findLeaks({ headers: { server: 'nginx', 'content-type': 'application/json' }, body: '{"code":"BAD_REQUEST","message":"request body is not valid JSON"}' })).toEqual([]);
  });

  it('masked values are counted, not reported', () => {
    expect(scanResponse('{"data":{"cardNo":"622202******0123","mobile":"138****5678"}}', 'application/json')).toEqual({ unmasked: [], maskedValues: 2 });
  });
});
