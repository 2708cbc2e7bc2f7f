/**
 * Request-signing schemes the signature probe speaks, and the canonical strings they sign. The same module
 * is used by the simulator to verify, so the two can never drift apart.
 *
 * Header schemes (hmac-sha256, hmac-sm3, rsa-sha256, sm2-sm3) sign
 *     METHOD \n PATH[?QUERY] \n TIMESTAMP \n NONCE \n APP_ID \n hex(DIGEST(body))
 * (DIGEST is SM3 for the national-cryptography schemes, SHA-256 otherwise) and send X-App-Id, X-Timestamp
 * (Unix seconds), X-Nonce, X-Sign-Algorithm and X-Signature (base64). Header names are configurable.
 *
 * RFC 9421 schemes sign the covered components ("@method" "@path" "@query" "content-digest") with
 * `created`, `nonce`, `keyid` and `alg` parameters, Content-Digest per RFC 9530 (sha-256).
 *
 * SM2: GB/T 32918 / GM/T 0009 signatures with the default distinguishing identifier "1234567812345678", done
 * in sm2.ts (node cannot set the identifier, see there); verified against `openssl dgst -sm3 -sigopt distid:…`.
 */
import crypto, { type KeyObject } from 'node:crypto';
import type { SignatureScheme } from './config.js';
import { sm2Sign, sm2Verify } from './sm2.js';
import { isFailure } from './http.js';
import { serializeBody, signWithTemplate, wrongTemplateKey, type SignedTemplateRequest, type SigningTemplate, type TemplateRequest, type TemplateValues } from './template.js';

export interface SignableRequest {
  method: string;
  /** Path plus query string, exactly as sent. */
  target: string;
  body: string;
}

export interface SignatureHeaderNames {
  signature: string;
  timestamp: string;
  nonce: string;
  algorithm: string;
  appId: string;
}

export const DEFAULT_HEADERS: SignatureHeaderNames = {
  signature: 'X-Signature',
  timestamp: 'X-Timestamp',
  nonce: 'X-Nonce',
  algorithm: 'X-Sign-Algorithm',
  appId: 'X-App-Id',
};

export interface SignParams {
  scheme: SignatureScheme;
  /** HMAC secret, or a private key PEM. */
  key: string;
  keyId?: string;
  appId: string;
  timestamp: number;
  nonce: string;
  headers?: SignatureHeaderNames;
}

export function isHmac(scheme: SignatureScheme): boolean {
  return scheme.includes('hmac');
}

function bodyDigestHex(scheme: SignatureScheme, body: string): string {
  return crypto.createHash(scheme.includes('sm3') ? 'sm3' : 'sha256').update(body).digest('hex');
}

export function canonicalString(scheme: SignatureScheme, req: SignableRequest, timestamp: number, nonce: string, appId: string): string {
  return [req.method.toUpperCase(), req.target, String(timestamp), nonce, appId, bodyDigestHex(scheme, req.body)].join('\n');
}

function splitTarget(target: string): { path: string; query: string } {
  const i = target.indexOf('?');
  return i < 0 ? { path: target, query: '?' } : { path: target.slice(0, i), query: target.slice(i) };
}

export function contentDigest(body: string): string {
  return `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`;
}

const RFC9421_ALG: Record<string, string> = {
  'rfc9421-hmac-sha256': 'hmac-sha256',
  'rfc9421-rsa-v1_5-sha256': 'rsa-v1_5-sha256',
  'rfc9421-ecdsa-p256-sha256': 'ecdsa-p256-sha256',
};

export function rfc9421SignatureParams(created: number, nonce: string, keyId: string, alg: string): string {
  return `("@method" "@path" "@query" "content-digest");created=${created};nonce="${nonce}";keyid="${keyId}";alg="${alg}"`;
}

export function rfc9421SignatureBase(req: SignableRequest, digest: string, params: string): string {
  const { path, query } = splitTarget(req.target);
  return [`"@method": ${req.method.toUpperCase()}`, `"@path": ${path}`, `"@query": ${query}`, `"content-digest": ${digest}`, `"@signature-params": ${params}`].join('\n');
}

function rawSign(scheme: SignatureScheme, key: string, data: string): Buffer {
  switch (scheme) {
    case 'hmac-sha256':
    case 'rfc9421-hmac-sha256':
      return crypto.createHmac('sha256', key).update(data).digest();
    case 'hmac-sm3':
      return crypto.createHmac('sm3', key).update(data).digest();
    case 'rsa-sha256':
    case 'rfc9421-rsa-v1_5-sha256':
      return crypto.sign('sha256', Buffer.from(data), key);
    case 'sm2-sm3':
      return sm2Sign(data, key);
    case 'rfc9421-ecdsa-p256-sha256':
      return crypto.sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' });
  }
}

function rawVerify(scheme: SignatureScheme, key: string | KeyObject, data: string, sig: Buffer): boolean {
  try {
    switch (scheme) {
      case 'hmac-sha256':
      case 'rfc9421-hmac-sha256':
      case 'hmac-sm3': {
        const expected = rawSign(scheme, String(key), data);
        return expected.length === sig.length && crypto.timingSafeEqual(expected, sig);
      }
      case 'rsa-sha256':
      case 'rfc9421-rsa-v1_5-sha256':
        return crypto.verify('sha256', Buffer.from(data), key, sig);
      case 'sm2-sm3':
        return sm2Verify(data, key as KeyObject | string, sig);
      case 'rfc9421-ecdsa-p256-sha256':
        return crypto.verify('sha256', Buffer.from(data), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, sig);
    }
  } catch {
    return false;
  }
}

/** The headers that sign `req`; the caller sends them with the unchanged body and target. */
export function signRequest(req: SignableRequest, p: SignParams): Record<string, string> {
  const h = p.headers ?? DEFAULT_HEADERS;
  if (p.scheme.startsWith('rfc9421-')) {
    const digest = contentDigest(req.body);
    const params = rfc9421SignatureParams(p.timestamp, p.nonce, p.keyId ?? p.appId, RFC9421_ALG[p.scheme]!);
    const sig = rawSign(p.scheme, p.key, rfc9421SignatureBase(req, digest, params));
    return { [h.appId]: p.appId, 'Content-Digest': digest, 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${sig.toString('base64')}:` };
  }
  const sig = rawSign(p.scheme, p.key, canonicalString(p.scheme, req, p.timestamp, p.nonce, p.appId));
  return {
    [h.appId]: p.appId,
    [h.timestamp]: String(p.timestamp),
    [h.nonce]: p.nonce,
    [h.algorithm]: p.scheme.toUpperCase(),
    [h.signature]: sig.toString('base64'),
  };
}

export interface VerifiedSignature {
  ok: boolean;
  reason?: 'missing' | 'bad-signature' | 'bad-digest' | 'malformed';
  appId?: string;
  timestamp?: number;
  nonce?: string;
}

/** Verifies a signed request (the simulator's side). `headers` have lower-case names. */
export function verifyRequest(
  req: SignableRequest,
  headers: Record<string, string | undefined>,
  scheme: SignatureScheme,
  key: string | KeyObject,
  names: SignatureHeaderNames = DEFAULT_HEADERS,
): VerifiedSignature {
  const appId = headers[names.appId.toLowerCase()];
  if (scheme.startsWith('rfc9421-')) {
    const input = headers['signature-input'];
    const signature = headers['signature'];
    const digest = headers['content-digest'];
    if (!input || !signature || !digest) return { ok: false, reason: 'missing' };
    if (digest !== contentDigest(req.body)) return { ok: false, reason: 'bad-digest' };
    const mi = /^sig1=(\(.*\);created=(\d+);nonce="([^"]+)";keyid="([^"]*)";alg="([^"]+)")$/.exec(input);
    const ms = /^sig1=:([A-Za-z0-9+/=]+):$/.exec(signature);
    if (!mi || !ms) return { ok: false, reason: 'malformed' };
    const ok = rawVerify(scheme, key, rfc9421SignatureBase(req, digest, mi[1]!), Buffer.from(ms[1]!, 'base64'));
    return { ok, reason: ok ? undefined : 'bad-signature', appId: appId ?? mi[4], timestamp: Number(mi[2]), nonce: mi[3] };
  }
  const sig = headers[names.signature.toLowerCase()];
  const ts = headers[names.timestamp.toLowerCase()];
  const nonce = headers[names.nonce.toLowerCase()];
  if (!sig || !ts || !nonce || !appId) return { ok: false, reason: 'missing' };
  const ok = rawVerify(scheme, key, canonicalString(scheme, req, Number(ts), nonce, appId), Buffer.from(sig, 'base64'));
  return { ok, reason: ok ? undefined : 'bad-signature', appId, timestamp: Number(ts), nonce };
}

/** The bank's response signature: sign(TIMESTAMP \n NONCE \n hex(DIGEST(body))) with the bank's key. */
export function responseCanonical(scheme: 'rsa' | 'sm2', timestamp: string, nonce: string, body: string): string {
  return [timestamp, nonce, crypto.createHash(scheme === 'sm2' ? 'sm3' : 'sha256').update(body).digest('hex')].join('\n');
}

/** RSA or SM2 (a PEM-loaded SM2 key has no asymmetricKeyType in node 20: OpenSSL's SM2 type is unnamed). */
export function bankKeyScheme(key: KeyObject): 'rsa' | 'sm2' {
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' ? 'rsa' : 'sm2';
}

export function signResponse(privateKey: KeyObject, timestamp: string, nonce: string, body: string): string {
  const s = bankKeyScheme(privateKey);
  const data = responseCanonical(s, timestamp, nonce, body);
  return (s === 'sm2' ? sm2Sign(data, privateKey) : crypto.sign('sha256', Buffer.from(data), privateKey)).toString('base64');
}

export function verifyResponse(publicKeyPem: string, timestamp: string, nonce: string, body: string, signature: string): boolean {
  try {
    const key = crypto.createPublicKey(publicKeyPem);
    const s = bankKeyScheme(key);
    const data = responseCanonical(s, timestamp, nonce, body);
    const sig = Buffer.from(signature, 'base64');
    return s === 'sm2' ? sm2Verify(data, key, sig) : crypto.verify('sha256', Buffer.from(data), key, sig);
  } catch {
    return false;
  }
}

/** A key of the same kind as the real one, unknown to the server: the wrong-key variant signs with it. */
export function wrongKeyFor(scheme: SignatureScheme): string {
  if (isHmac(scheme)) return crypto.randomBytes(32).toString('base64');
  const pair =
    scheme === 'sm2-sm3'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' })
      : scheme === 'rfc9421-ecdsa-p256-sha256'
        ? crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

export function newNonce(): string {
  return crypto.randomBytes(16).toString('hex');
}

// ---------------------------------------------------------------------------------------------------------
// The signature enforcement probe: six requests per configured operation.
// ---------------------------------------------------------------------------------------------------------

export const SIGNATURE_VARIANTS = ['valid', 'replayed', 'unsigned', 'tampered-body', 'wrong-key', 'stale-timestamp'] as const;
export type SignatureVariant = (typeof SIGNATURE_VARIANTS)[number];

export interface SignatureProbeFacts {
  operation: string;
  /** A built-in scheme name, or `preset:NAME` / `template:NAME` for a signing template. */
  scheme: string;
  /** Where the key came from (the variable's name, never the key). */
  keySource: string;
  variants: { variant: SignatureVariant; status?: number; accepted: boolean; closed?: boolean; error?: string }[];
  /** The bank's signature on the valid response: valid | invalid | missing; absent when no bank key was given. */
  responseSignature?: 'valid' | 'invalid' | 'missing';
}

export interface SignatureProbeInput {
  client: import('./http.js').ProbeHttpClient;
  url: string;
  operation: import('./config.js').ProbeOperation;
  scheme: SignatureScheme;
  key: string;
  keyId?: string;
  keySource: string;
  appId: string;
  authHeaders: Record<string, string>;
  bankPublicKey?: string;
  staleSeconds: number;
  headerNames: SignatureHeaderNames;
}

export async function probeSignature(p: SignatureProbeInput): Promise<SignatureProbeFacts | undefined> {
  const target = new URL(p.url);
  const pathAndQuery = `${target.pathname}${target.search}`;
  const body = p.operation.body === undefined ? '' : JSON.stringify(p.operation.body);
  const tampered = p.operation.body === undefined ? '' : JSON.stringify(tamper(p.operation.body));
  const base: SignableRequest = { method: p.operation.method, target: pathAndQuery, body };
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (req: SignableRequest, overrides: Partial<SignParams> = {}) =>
    signRequest(req, { scheme: p.scheme, key: p.key, keyId: p.keyId, appId: p.appId, timestamp: now(), nonce: newNonce(), headers: p.headerNames, ...overrides });
  const contentType: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
  const facts: SignatureProbeFacts = { operation: `${p.operation.method} ${p.operation.path}`, scheme: p.scheme, keySource: p.keySource, variants: [] };

  const validHeaders = sign(base);
  // Tampering a GET (no body) changes the query instead: the signature covers both.
  const tamperedTarget = body ? p.url : `${p.url}${target.search ? '&' : '?'}amount=999999`;
  const call = (url: string, headers: Record<string, string>, sentBody: string): VariantCall => ({
    url,
    headers: { ...p.authHeaders, ...contentType, ...headers },
    body: sentBody || undefined,
  });
  const plans: [SignatureVariant, VariantCall][] = [
    ['valid', call(p.url, validHeaders, body)],
    ['replayed', call(p.url, validHeaders, body)],
    ['unsigned', call(p.url, { [p.headerNames.appId]: p.appId }, body)],
    ['tampered-body', call(tamperedTarget, validHeaders, body ? tampered : body)],
    ['wrong-key', call(p.url, sign(base, { key: wrongKeyFor(p.scheme) }), body)],
    ['stale-timestamp', call(p.url, sign(base, { timestamp: now() - p.staleSeconds }), body)],
  ];
  await sendVariants(p.client, p.operation.method, facts, plans, (ex) => {
    if (!p.bankPublicKey) return;
    const sig = ex.headers[p.headerNames.signature.toLowerCase()];
    const ts = ex.headers[p.headerNames.timestamp.toLowerCase()];
    const nonce = ex.headers[p.headerNames.nonce.toLowerCase()];
    facts.responseSignature = !sig || !ts || !nonce ? 'missing' : verifyResponse(p.bankPublicKey, ts, nonce, ex.body, sig) ? 'valid' : 'invalid';
  });
  return facts.variants.length ? facts : undefined;
}

/** One variant's request as sent. */
interface VariantCall {
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Sends the variants in order and records each answer in `facts.variants`, the same way for a built-in scheme and a
 * signing template. A gateway that drops the connection on a bad signature refused it; a timeout decides nothing.
 * `onValid` sees the answer to the valid request (the built-in schemes check the bank's response signature there).
 */
async function sendVariants(
  client: import('./http.js').ProbeHttpClient,
  method: string,
  facts: SignatureProbeFacts,
  plans: [SignatureVariant, VariantCall][],
  onValid?: (ex: import('./http.js').HttpExchange) => void,
): Promise<void> {
  for (const [variant, call] of plans) {
    const ex = await client.trySend(call.url, { method, headers: call.headers, body: call.body, label: `signature ${facts.scheme}: ${variant}` });
    if (!ex) continue;
    if (isFailure(ex)) {
      facts.variants.push({ variant, accepted: false, error: ex.error, ...(ex.kind === 'closed' ? { closed: true } : {}) });
      continue;
    }
    facts.variants.push({ variant, status: ex.status, accepted: ex.status >= 200 && ex.status < 300 });
    if (variant === 'valid') onValid?.(ex);
  }
}

/** A body that differs from the signed one in one business-relevant value. */
function tamper(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    const numeric = Object.keys(copy).find((k) => typeof copy[k] === 'number');
    if (numeric) copy[numeric] = (copy[numeric] as number) * 100 + 1;
    else copy.tampered = true;
    return copy;
  }
  return { original: body, tampered: true };
}

// ---------------------------------------------------------------------------------------------------------
// The same six variants for a signing template (a bank's own scheme, see template.ts).
// ---------------------------------------------------------------------------------------------------------

export interface TemplateSignatureProbeInput {
  client: import('./http.js').ProbeHttpClient;
  /** The operation's URL (base + path, without query). */
  url: string;
  operation: import('./config.js').ProbeOperation;
  template: SigningTemplate;
  /** How the report names it: preset:NAME or template:NAME. */
  schemeName: string;
  key: string;
  keyId?: string;
  keySource: string;
  appId: string;
  authHeaders: Record<string, string>;
  staleSeconds: number;
}

/** A signed call as the client sends it. */
export function templateCall(base: string, op: import('./config.js').ProbeOperation, signed: SignedTemplateRequest, authHeaders: Record<string, string>) {
  const u = new URL(base);
  const qs = new URLSearchParams(signed.query).toString();
  return {
    url: `${u.origin}${u.pathname}${qs ? `?${qs}` : ''}`,
    headers: { ...authHeaders, ...(signed.contentType ? { 'content-type': signed.contentType } : {}), ...signed.headers },
    body: signed.body || undefined,
  };
}

export function templateRequest(url: string, op: import('./config.js').ProbeOperation): TemplateRequest {
  const u = new URL(url);
  return { method: op.method, path: u.pathname, query: [...u.searchParams] as [string, string][], body: op.body };
}

export async function probeTemplateSignature(p: TemplateSignatureProbeInput): Promise<SignatureProbeFacts | undefined> {
  const req = templateRequest(p.url, p.operation);
  const base = `${new URL(p.url).origin}${new URL(p.url).pathname}`;
  const sign = (extra: { key?: string; now?: number; values?: Partial<TemplateValues>; bodyOverride?: unknown }) =>
    signWithTemplate(p.template, req, { key: p.key, appId: p.appId, keyId: p.keyId, ...extra });
  const valid = sign({});
  const validCall = templateCall(base, p.operation, valid, p.authHeaders);
  // Unsigned: the operation as it is, none of the template's headers, query parameters or body fields.
  const plainBody = serializeBody(p.template.bodyFormat, p.operation.body);
  const unsigned = {
    url: p.url,
    headers: { ...p.authHeaders, ...(plainBody ? { 'content-type': p.template.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' } : {}) },
    body: plainBody || undefined,
  };
  // Tampered: the signed request with one business value changed (the body's, or an added query parameter).
  const tampered =
    p.operation.body !== undefined
      ? templateCall(base, p.operation, sign({ values: valid.values, bodyOverride: tamper(p.operation.body) }), p.authHeaders)
      : { ...validCall, url: `${validCall.url}${validCall.url.includes('?') ? '&' : '?'}amount=999999` };
  const plans: [SignatureVariant, VariantCall][] = [
    ['valid', validCall],
    ['replayed', validCall],
    ['unsigned', unsigned],
    ['tampered-body', tampered],
    ['wrong-key', templateCall(base, p.operation, sign({ key: wrongTemplateKey(p.template) }), p.authHeaders)],
    ['stale-timestamp', templateCall(base, p.operation, sign({ now: Date.now() - p.staleSeconds * 1000 }), p.authHeaders)],
  ];
  const facts: SignatureProbeFacts = { operation: `${p.operation.method} ${p.operation.path}`, scheme: p.schemeName, keySource: p.keySource, variants: [] };
  await sendVariants(p.client, p.operation.method, facts, plans);
  return facts.variants.length ? facts : undefined;
}
