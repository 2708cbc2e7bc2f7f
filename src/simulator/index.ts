/**
 * A bank's open API on 127.0.0.1, for the demo and the probe tests: compliant by default, or with chosen
 * faults that each break one requirement.
 *
 *   GET  /api/v1/health                    no authentication (liveness)
 *   GET  /api/v1/a1/products               A1: App_ID + request signature
 *   GET  /api/v1/a2/accounts/{accountNo}   A2: client certificate + App_ID + request signature; masked account data
 *   POST /api/v1/a2/transfers              A2: client certificate + App_ID + request signature
 *   GET  /api/v1/a2/loans                  A2: an interface the demo App_ID is not granted (403)
 *
 * The demo App_ID owns accounts 1001 and 1002; any other account number belongs to another party (403), unless
 * the `bola` fault (broken object-level authorization) serves whatever account is asked for.
 *
 * Compliant behaviour: TLS 1.2+ with AEAD suites only; client certificate demanded for A2 paths (the TLS layer
 * asks for one and the A2 routes answer 403 without it); HMAC-SHA256 / HMAC-SM3 / RSA-SHA256 / SM2-SM3 /
 * RFC 9421 signatures verified with a ±300 s timestamp window and nonce replay protection; responses signed
 * with the bank's RSA key; masked personal data; 429 after `rateLimitPerSecond` requests per second per App_ID
 * and route; terse JSON errors; plain HTTP redirected to HTTPS; HSTS.
 */
import http from 'node:http';
import https from 'node:https';
import crypto, { type KeyObject } from 'node:crypto';
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { generatePki } from './certs.js';
import { DEFAULT_HEADERS, signResponse, verifyRequest } from '../collectors/probe/signature.js';
import { PRESETS_DIR, verifyWithTemplate, type SigningTemplate, type TemplateVerification } from '../collectors/probe/template.js';
import type { SignatureScheme } from '../collectors/probe/config.js';

export const FAULTS = ['tls10', 'no-client-cert', 'accept-unsigned', 'accept-replay', 'stack-trace', 'unmasked-pan', 'no-rate-limit', 'http-plain', 'bola'] as const;
export type Fault = (typeof FAULTS)[number];

export interface SimulatorOptions {
  faults?: Fault[];
  /** HTTPS port (0 = any free port). */
  port?: number;
  /** Plain-HTTP port (0 = any free port). */
  httpPort?: number;
  rateLimitPerSecond?: number;
  /** Signing templates (presets or a bank's own) the simulator verifies, beside its built-in schemes. */
  templates?: SigningTemplate[];
  log?: (line: string) => void;
}

export interface Simulator {
  url: string;
  httpUrl: string;
  caCertPem: string;
  /** Environment variables a probe config refers to (file names and demo credentials of this run). */
  env: Record<string, string>;
  /** A ready probe config (YAML) for this simulator, in the simulator's temp dir. */
  probeConfigFile: string;
  /** The same environment as `export NAME='value'` lines (mode 0600), for `source` in a shell. */
  envFile: string;
  faults: Fault[];
  close(): Promise<void>;
}

const APP_ID = 'APP20240001';
/** Accounts of users who authorised the demo App_ID. */
const OWN_ACCOUNTS = new Set(['1001', '1002']);
const TIMESTAMP_WINDOW_S = 300;

function luhnComplete(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const faults = new Set<Fault>(opts.faults ?? []);
  for (const f of faults) if (!FAULTS.includes(f)) throw new Error(`unknown simulator fault ${f} (known: ${FAULTS.join(', ')})`);
  const pki = await generatePki();
  const dir = pki.dir;
  const hmacKey = crypto.randomBytes(32).toString('base64');
  const appRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const appSm2 = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const appEc = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const bank = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const files = {
    appRsaKey: path.join(dir, 'app-rsa.key'),
    appSm2Key: path.join(dir, 'app-sm2.key'),
    appEcKey: path.join(dir, 'app-ec.key'),
    bankPub: path.join(dir, 'bank-rsa.pub'),
  };
  await writeFile(files.appRsaKey, appRsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  await writeFile(files.appSm2Key, appSm2.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  await writeFile(files.appEcKey, appEc.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  await writeFile(files.bankPub, bank.publicKey.export({ type: 'spki', format: 'pem' }) as string);

  const keyFor = (scheme: SignatureScheme): string | KeyObject =>
    scheme.includes('hmac') ? hmacKey : scheme === 'sm2-sm3' ? appSm2.publicKey : appRsa.publicKey;
  const templates = opts.templates ?? [];
  /** The application party's key the simulator verifies a template's signatures with. */
  const templateKey = (t: SigningTemplate): string | KeyObject =>
    t.algorithm.startsWith('HMAC') ? hmacKey : t.algorithm === 'SM2-SM3' ? appSm2.publicKey : t.algorithm === 'ECDSA-P256' ? appEc.publicKey : appRsa.publicKey;
  const nonces = new Map<string, number>();
  const hits = new Map<string, number[]>();
  const limit = opts.rateLimitPerSecond ?? 15;
  const cardNo = luhnComplete('622202020011234012');

  const handler = (req: http.IncomingMessage, res: http.ServerResponse, overTls: boolean) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        route(req, res, Buffer.concat(chunks).toString('utf8'), overTls);
      } catch (e) {
        send(res, 500, { code: 'INTERNAL_ERROR', message: 'internal error' });
        opts.log?.(`simulator: ${(e as Error).message}`);
      }
    });
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}, signNonce?: string) => {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'strict-transport-security': 'max-age=31536000; includeSubDomains', ...extra };
    if (signNonce !== undefined) {
      const ts = String(Math.floor(Date.now() / 1000));
      headers[DEFAULT_HEADERS.timestamp] = ts;
      headers[DEFAULT_HEADERS.nonce] = signNonce;
      headers[DEFAULT_HEADERS.signature] = signResponse(bank.privateKey, ts, signNonce, text);
    }
    res.writeHead(status, headers);
    res.end(text);
  };

  const route = (req: http.IncomingMessage, res: http.ServerResponse, body: string, overTls: boolean) => {
    const url = new URL(req.url ?? '/', 'https://simulator.invalid');
    if (!overTls) {
      if (faults.has('http-plain')) return send(res, 200, { status: 'ok' });
      res.writeHead(301, { location: `https://${(req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '')}:${httpsPort}${req.url ?? '/'}` });
      return res.end();
    }
    if (url.pathname === '/api/v1/health') return send(res, 200, { status: 'ok' });
    const a2 = url.pathname.startsWith('/api/v1/a2/');
    const a1 = url.pathname.startsWith('/api/v1/a1/');
    if (!a1 && !a2) return send(res, 404, { code: 'NOT_FOUND', message: 'no such interface' });

    // The body is parsed before authentication, as body-parser middleware does in most stacks: a malformed
    // body reaches the parser's error path whoever sends it.
    let parsed: unknown;
    if (body && /x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) parsed = Object.fromEntries(new URLSearchParams(body));
    if (body && /json/i.test(req.headers['content-type'] ?? '')) {
      try {
        parsed = JSON.parse(body);
      } catch (e) {
        if (faults.has('stack-trace')) {
          res.writeHead(500, { 'content-type': 'text/plain', 'x-powered-by': 'Express 4.17.1' });
          return res.end(`${(e as Error).name}: ${(e as Error).message}\n    at JSON.parse (<anonymous>)\n    at TransferController.create (/usr/src/app/dist/controllers/transfer.js:42:17)\n    at Layer.handle [as handle_request] (/usr/src/app/node_modules/express/lib/router/layer.js:95:5)\n`);
        }
        return send(res, 400, { code: 'BAD_REQUEST', message: 'request body is not valid JSON' });
      }
    }

    if (a2 && !faults.has('no-client-cert') && !(req.socket as TLSSocket).authorized) {
      return send(res, 403, { code: 'CLIENT_CERTIFICATE_REQUIRED', message: 'a valid client certificate is required for this interface' });
    }
    const h = (name: string) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
    // A signing template the simulator runs (a bank's own scheme): the first whose placement the request carries.
    let byTemplate: TemplateVerification | undefined;
    for (const t of templates) {
      const v = verifyWithTemplate(t, { method: req.method ?? 'GET', target: req.url ?? '/', headers, body }, templateKey(t));
      if (v.reason !== 'missing') {
        byTemplate = v;
        break;
      }
    }
    const appId = h(DEFAULT_HEADERS.appId) ?? byTemplate?.values?.appId;
    if (appId !== APP_ID) return send(res, 401, { code: 'UNAUTHENTICATED', message: 'unknown or missing App_ID' });

    if (!faults.has('no-rate-limit')) {
      const key = `${appId} ${url.pathname.replace(/\/\d+$/, '/{id}')}`;
      const now = Date.now();
      const recent = (hits.get(key) ?? []).filter((t) => now - t < 1000);
      recent.push(now);
      hits.set(key, recent);
      if (recent.length > limit) return send(res, 429, { code: 'RATE_LIMITED', message: 'too many requests' }, { 'retry-after': '1', 'x-ratelimit-limit': String(limit) });
    }

    /** Replay protection: a nonce, or for schemes without one (Alipay, UnionPay) the signature itself, used once. */
    const firstUse = (replayKey: string): boolean => {
      const now = Date.now();
      for (const [n, exp] of nonces) if (exp < now) nonces.delete(n);
      if (nonces.has(replayKey) && !faults.has('accept-replay')) return false;
      nonces.set(replayKey, now + 2 * TIMESTAMP_WINDOW_S * 1000);
      return true;
    };
    let nonce: string | undefined;
    if (byTemplate) {
      if (!byTemplate.ok) return send(res, 401, { code: 'SIGNATURE_INVALID', message: 'signature verification failed' });
      if (!(Math.abs(Date.now() - (byTemplate.timestampMs ?? NaN)) <= TIMESTAMP_WINDOW_S * 1000)) return send(res, 401, { code: 'TIMESTAMP_EXPIRED', message: 'timestamp outside the accepted window' });
      nonce = byTemplate.values?.nonce || byTemplate.signature!;
      if (!firstUse(nonce)) return send(res, 401, { code: 'REPLAY_DETECTED', message: 'request already used' });
      nonce = nonce.slice(0, 64);
    } else {
      // Built-in schemes: the scheme comes from X-Sign-Algorithm or the RFC 9421 alg parameter.
      const rfcAlg = /;alg="([^"]+)"/.exec(headers['signature-input'] ?? '')?.[1];
      const scheme = (rfcAlg ? `rfc9421-${rfcAlg}` : (headers[DEFAULT_HEADERS.algorithm.toLowerCase()] ?? '').toLowerCase()) as SignatureScheme;
      const signed = { method: req.method ?? 'GET', target: req.url ?? '/', body };
      const known = ['hmac-sha256', 'hmac-sm3', 'rsa-sha256', 'sm2-sm3', 'rfc9421-hmac-sha256', 'rfc9421-rsa-v1_5-sha256'];
      const hasSignature = Boolean(headers[DEFAULT_HEADERS.signature.toLowerCase()] || headers['signature']);
      if (!hasSignature) {
        if (!faults.has('accept-unsigned')) return send(res, 401, { code: 'SIGNATURE_REQUIRED', message: 'request signature required' });
      } else {
        if (!known.includes(scheme)) return send(res, 401, { code: 'SIGNATURE_ALGORITHM_UNSUPPORTED', message: 'unsupported signature algorithm' });
        const v = verifyRequest(signed, headers, scheme, keyFor(scheme));
        if (!v.ok) return send(res, 401, { code: 'SIGNATURE_INVALID', message: 'signature verification failed' });
        if (Math.abs(Date.now() / 1000 - (v.timestamp ?? 0)) > TIMESTAMP_WINDOW_S) return send(res, 401, { code: 'TIMESTAMP_EXPIRED', message: 'timestamp outside the accepted window' });
        nonce = v.nonce!;
        if (!firstUse(nonce)) return send(res, 401, { code: 'REPLAY_DETECTED', message: 'nonce already used' });
      }
    }
    const respNonce = nonce ?? crypto.randomBytes(8).toString('hex');

    if (req.method === 'GET' && url.pathname === '/api/v1/a1/products') {
      return send(res, 200, { data: [{ productCode: 'DEP-3M', name: '三个月定期存款', rate: '1.45' }] }, {}, respNonce);
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/a2/loans') {
      return send(res, 403, { code: 'INTERFACE_NOT_GRANTED', message: 'this App_ID is not granted this interface' });
    }
    const account = /^\/api\/v1\/a2\/accounts\/(\w+)$/.exec(url.pathname);
    if (req.method === 'GET' && account && !OWN_ACCOUNTS.has(account[1]!) && !faults.has('bola')) {
      return send(res, 403, { code: 'FORBIDDEN', message: 'the account does not belong to a user who authorised this App_ID' });
    }
    if (req.method === 'GET' && account) {
      const unmasked = faults.has('unmasked-pan');
      return send(
        res,
        200,
        {
          data: {
            accountId: account[1],
            cardNo: unmasked ? cardNo : `${cardNo.slice(0, 6)}${'*'.repeat(cardNo.length - 10)}${cardNo.slice(-4)}`,
            holderName: '张*',
            idNo: '110105********231X',
            mobile: '138****5678',
            balance: '1024.50',
            currency: 'CNY',
          },
        },
        {},
        respNonce,
      );
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/a2/transfers') {
      const raw = (parsed as { amount?: unknown } | undefined)?.amount;
      // Form bodies (Alipay, UnionPay) carry every value as a string.
      const amount = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      if (typeof amount !== 'number' || !(amount > 0)) return send(res, 400, { code: 'BAD_REQUEST', message: 'amount must be a positive number' });
      return send(res, 200, { data: { transferId: `T${Date.now()}`, status: 'ACCEPTED' } }, {}, respNonce);
    }
    return send(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'method not allowed' });
  };

  const tls10 = faults.has('tls10');
  const httpsServer = https.createServer(
    {
      key: pki.serverKeyPem,
      cert: pki.serverCertPem,
      ca: pki.caCertPem,
      requestCert: !faults.has('no-client-cert'),
      rejectUnauthorized: false,
      minVersion: tls10 ? 'TLSv1' : 'TLSv1.2',
      ciphers: tls10 ? 'DEFAULT@SECLEVEL=0' : 'ECDHE+AESGCM:ECDHE+CHACHA20',
    },
    (req, res) => handler(req, res, true),
  );
  const plainServer = http.createServer((req, res) => handler(req, res, false));
  await new Promise<void>((r) => httpsServer.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => plainServer.listen(opts.httpPort ?? 0, '127.0.0.1', () => r()));
  const httpsPort = (httpsServer.address() as { port: number }).port;
  const httpPort = (plainServer.address() as { port: number }).port;
  const url = `https://127.0.0.1:${httpsPort}`;
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  const env: Record<string, string> = {
    JRT_SIM_APP_ID: APP_ID,
    JRT_SIM_HMAC_KEY: hmacKey,
    JRT_SIM_RSA_KEY_FILE: files.appRsaKey,
    JRT_SIM_SM2_KEY_FILE: files.appSm2Key,
    JRT_SIM_EC_KEY_FILE: files.appEcKey,
    JRT_SIM_BANK_PUB_FILE: files.bankPub,
    JRT_SIM_CA_FILE: pki.caCertFile,
    JRT_SIM_CLIENT_CERT_FILE: pki.clientCertFile,
    JRT_SIM_CLIENT_KEY_FILE: pki.clientKeyFile,
  };
  const probeConfigFile = path.join(dir, 'probe-config.yaml');
  await writeFile(probeConfigFile, simulatorProbeConfig(url, httpUrl, templates));
  const envFile = path.join(dir, 'simulator.env');
  await writeFile(envFile, Object.entries(env).map(([k, v]) => `export ${k}='${v}'\n`).join(''), { mode: 0o600 });

  return {
    url,
    httpUrl,
    caCertPem: pki.caCertPem,
    env,
    probeConfigFile,
    envFile,
    faults: [...faults],
    async close() {
      httpsServer.closeAllConnections();
      plainServer.closeAllConnections();
      await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => plainServer.close(r))]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The probe config that exercises every probe against a simulator (also the README example). */
/** The key variable of the simulator's env a template's algorithm signs with. */
function templateKeyRef(t: SigningTemplate): string {
  return t.algorithm.startsWith('HMAC') ? '{ env: JRT_SIM_HMAC_KEY }' : t.algorithm === 'SM2-SM3' ? '{ fileEnv: JRT_SIM_SM2_KEY_FILE }' : t.algorithm === 'ECDSA-P256' ? '{ fileEnv: JRT_SIM_EC_KEY_FILE }' : '{ fileEnv: JRT_SIM_RSA_KEY_FILE }';
}

function templateSchemeRef(t: SigningTemplate): string {
  return path.dirname(t.file) === path.resolve(PRESETS_DIR) ? `{ preset: ${t.name} }` : `{ template: ${JSON.stringify(t.file)} }`;
}

export function simulatorProbeConfig(url: string, httpUrl: string, templates: SigningTemplate[] = []): string {
  const templateProbes = templates
    .map(
      (t) => `    - operation: { method: POST, path: /api/v1/a2/transfers, body: { amount: 300, currency: CNY, subject: "demo" } }
      scheme: ${templateSchemeRef(t)}
      key: ${templateKeyRef(t)}
      keyId: "4F2A000000000001"
`,
    )
    .join('');
  return `# jrt0185 probe config for the bank simulator. Keys and credentials are environment variable names only.
version: 1
targets:
  - name: sandbox
    url: ${url}/
    level: A2
    plainHttpUrl: ${httpUrl}/
    clientCertificatePath: /api/v1/a2/accounts/1001
    caFile: { fileEnv: JRT_SIM_CA_FILE }
limits:
  maxRequests: 100
  ratePerSecond: 10
  timeoutMs: 5000
credentials:
  appId: { env: JRT_SIM_APP_ID }
  clientCertificate: { certFileEnv: JRT_SIM_CLIENT_CERT_FILE, keyFileEnv: JRT_SIM_CLIENT_KEY_FILE }
probes:
  http:
    unauthenticated:
      - { method: GET, path: /api/v1/a1/products }
      - { method: POST, path: /api/v1/a2/transfers, body: { amount: 100, payeeAccount: "6222020200998877" } }
    malformed:
      - { method: POST, path: /api/v1/a2/transfers }
    burst: { method: GET, path: /api/v1/a1/products, count: 20 }
  signature:
    - operation: { method: POST, path: /api/v1/a2/transfers, body: { amount: 100, currency: CNY, payeeName: "李*" } }
      scheme: hmac-sha256
      key: { env: JRT_SIM_HMAC_KEY }
      bankPublicKey: { fileEnv: JRT_SIM_BANK_PUB_FILE }
    - operation: { method: POST, path: /api/v1/a2/transfers, body: { amount: 200, currency: CNY } }
      scheme: sm2-sm3
      key: { fileEnv: JRT_SIM_SM2_KEY_FILE }
${templateProbes}  masking:
    - signWith: 0
      operations:
        - { method: GET, path: /api/v1/a2/accounts/1001 }
  authorization:
    signWith: 0
    ownResource: { method: GET, path: /api/v1/a2/accounts/1002 }
    ungranted:
      - { method: GET, path: /api/v1/a2/loans }
    foreignResources:
      - { method: GET, path: /api/v1/a2/accounts/2002 }
`;
}
