/**
 * Signing templates: a bank's request-signature scheme written as data (YAML), not code, so that the signature
 * probe can speak the schemes real platforms publish (WeChat Pay APIv3, Alipay RSA2, UnionPay, RFC 9421 …) and the
 * simulator can verify any of them. README "Live probes › Signing templates" documents the format; the presets in
 * `presets/signing/` are templates in this same format.
 *
 *   algorithm   HMAC-SHA256 | HMAC-SM3 | RSA-SHA256 | RSA-PSS | ECDSA-P256 | SM2-SM3
 *   encoding    base64 (default) | base64url | hex — of the signature bytes
 *   timestamp   { format: seconds | milliseconds | a pattern of yyyy MM dd HH mm ss, zone: "+08:00" (default UTC) }
 *   nonce       { length: N (default 32), alphabet: alnum | hex | digits }
 *   bodyFormat  json (default) | form — how the operation's body is sent
 *   define      named strings built from placeholders, usable as placeholders later (in order)
 *   canonical   the string to sign
 *   placement   { headers: [{name, value}], query: [{name, value}], body: [{name, value}] } — where the signature
 *               and its parameters travel; exactly one value holds {signature}
 *
 * Placeholders: {method} {path} {query} (raw, no "?") {sortedQuery} {pathWithQuery} {timestamp} {nonce} {appId}
 * {keyId} {body} {bodyDigest:sha256|sm3:hex|base64} {sortedFields} {sortedFieldsDigest:sha256|sm3:hex|base64}
 * {signature} (placement only) and the names of `define` entries. {sortedFields} is `k=v&…` over the query, the
 * body's top-level fields and the template's own query/body fields, sorted by key, empty values and the field
 * holding the signature left out. {query}/{body} are the operation's own, before the template adds its fields.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { InputError } from '../../errors.js';
import { readYamlSource, parseYamlSource, type YamlSource } from '../../yaml-source.js';
import { ajvErrorPath, createAjv } from '../../ajv.js';
import { sm2Sign, sm2Verify } from './sm2.js';

export const TEMPLATE_ALGORITHMS = ['HMAC-SHA256', 'HMAC-SM3', 'RSA-SHA256', 'RSA-PSS', 'ECDSA-P256', 'SM2-SM3'] as const;
export type TemplateAlgorithm = (typeof TEMPLATE_ALGORITHMS)[number];

export interface PlacedValue {
  name: string;
  value: string;
}

export interface SigningTemplate {
  /** The file it came from (presets: their path in the package). */
  file: string;
  name: string;
  description?: string;
  algorithm: TemplateAlgorithm;
  encoding: 'base64' | 'base64url' | 'hex';
  ecdsaEncoding: 'der' | 'p1363';
  timestamp: { format: string; zone: string };
  nonce: { length: number; alphabet: 'alnum' | 'hex' | 'digits' };
  bodyFormat: 'json' | 'form';
  define: { name: string; value: string }[];
  canonical: string;
  placement: { headers: PlacedValue[]; query: PlacedValue[]; body: PlacedValue[] };
}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'algorithm', 'canonical', 'placement'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    description: { type: 'string' },
    algorithm: { enum: TEMPLATE_ALGORITHMS },
    encoding: { enum: ['base64', 'base64url', 'hex'] },
    ecdsaEncoding: { enum: ['der', 'p1363'] },
    timestamp: {
      type: 'object',
      additionalProperties: false,
      properties: { format: { type: 'string', minLength: 1 }, zone: { type: 'string', pattern: '^[+-]\\d\\d:\\d\\d$' } },
    },
    nonce: {
      type: 'object',
      additionalProperties: false,
      properties: { length: { type: 'integer', minimum: 8, maximum: 64 }, alphabet: { enum: ['alnum', 'hex', 'digits'] } },
    },
    bodyFormat: { enum: ['json', 'form'] },
    define: { type: 'array', items: { $ref: '#/definitions/placed' } },
    canonical: { type: 'string', minLength: 1 },
    placement: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { headers: { type: 'array', items: { $ref: '#/definitions/placed' } }, query: { type: 'array', items: { $ref: '#/definitions/placed' } }, body: { type: 'array', items: { $ref: '#/definitions/placed' } } },
    },
  },
  definitions: {
    placed: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'value'],
      properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' }, value: { type: 'string' } },
    },
  },
};

let validator: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= createAjv().compile(SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9:]*)\}/g;
const SIMPLE = new Set(['method', 'path', 'query', 'sortedQuery', 'pathWithQuery', 'timestamp', 'nonce', 'appId', 'keyId', 'body', 'sortedFields']);
const DIGEST = /^(bodyDigest|sortedFieldsDigest):(sha256|sm3):(hex|base64)$/;
/** Values a verifier must read back from the request (everything else it recomputes from the request itself). */
const CARRIED = ['timestamp', 'nonce', 'appId', 'keyId'] as const;
const TIMESTAMP_PATTERN = /^(?:seconds|milliseconds|(?:yyyy|MM|dd|HH|mm|ss|[^A-Za-z])+)$/;

export const PRESETS_DIR = fileURLToPath(new URL('../../../presets/signing/', import.meta.url));

export async function loadSigningTemplate(file: string): Promise<SigningTemplate> {
  return fromSource(await readYamlSource(file, 'signing template'));
}

export function parseSigningTemplate(text: string, file: string): SigningTemplate {
  return fromSource(parseYamlSource(file, text, 'signing template'));
}

/** A preset shipped in the package, by name (presets/signing/NAME.yaml). */
export function presetTemplate(name: string, where: string, line?: number): SigningTemplate {
  if (!/^[a-z0-9-]+$/.test(name)) throw new InputError(where, line, `unknown signing preset "${name}" (known: ${presetNames().join(', ')})`);
  let text: string;
  const file = `${PRESETS_DIR}${name}.yaml`;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(where, line, `unknown signing preset "${name}" (known: ${presetNames().join(', ')})`);
  }
  return parseSigningTemplate(text, file);
}

export function presetNames(): string[] {
  try {
    return readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

function fromSource(src: YamlSource): SigningTemplate {
  const { file, value } = src;
  const line = (path: (string | number)[]) => src.position(path).line;
  const errors = validate(value);
  if (errors.length) {
    const e = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
    const path = ajvErrorPath(e);
    let hint = `${path.join('.') || '(top level)'}: ${e.message ?? 'invalid'}`;
    if (e.keyword === 'additionalProperties') hint = `${path.join('.') || '(top level)'}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'enum') hint += ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
    throw new InputError(file, line(path), hint);
  }
  const v = value as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const t: SigningTemplate = {
    file,
    name: v.name,
    description: v.description,
    algorithm: v.algorithm,
    encoding: v.encoding ?? 'base64',
    ecdsaEncoding: v.ecdsaEncoding ?? 'der',
    timestamp: { format: v.timestamp?.format ?? 'seconds', zone: v.timestamp?.zone ?? '+00:00' },
    nonce: { length: v.nonce?.length ?? 32, alphabet: v.nonce?.alphabet ?? 'alnum' },
    bodyFormat: v.bodyFormat ?? 'json',
    define: v.define ?? [],
    canonical: v.canonical,
    placement: { headers: v.placement.headers ?? [], query: v.placement.query ?? [], body: v.placement.body ?? [] },
  };
  if (!TIMESTAMP_PATTERN.test(t.timestamp.format)) {
    throw new InputError(file, line(['timestamp', 'format']), `timestamp.format: "${t.timestamp.format}" is not seconds, milliseconds or a pattern of yyyy MM dd HH mm ss`);
  }
  // Every placeholder must be known where it stands: a typo would otherwise sign a literal "{nonse}".
  const defined = new Set<string>();
  const check = (text: string, path: (string | number)[], allowSignature: boolean) => {
    for (const m of text.matchAll(PLACEHOLDER)) {
      const p = m[1]!;
      if (SIMPLE.has(p) || DIGEST.test(p) || defined.has(p)) continue;
      if (p === 'signature' && allowSignature) continue;
      const why = p === 'signature' ? '{signature} may only stand in a placement value' : `unknown placeholder {${p}}`;
      throw new InputError(file, line(path), `${path.join('.')}: ${why} (known: ${[...SIMPLE].map((s) => `{${s}}`).join(' ')} {bodyDigest:sha256|sm3:hex|base64} {sortedFieldsDigest:…}${defined.size ? ` and the defines ${[...defined].map((d) => `{${d}}`).join(' ')}` : ''})`);
    }
  };
  t.define.forEach((d, i) => {
    if (SIMPLE.has(d.name) || d.name === 'signature') throw new InputError(file, line(['define', i, 'name']), `define.${i}.name: "${d.name}" is a built-in placeholder`);
    check(d.value, ['define', i, 'value'], false);
    defined.add(d.name);
  });
  check(t.canonical, ['canonical'], false);
  let signatures = 0;
  for (const where of ['headers', 'query', 'body'] as const) {
    t.placement[where].forEach((p, i) => {
      check(p.value, ['placement', where, i, 'value'], true);
      signatures += (p.value.match(/\{signature\}/g) ?? []).length;
    });
  }
  if (signatures !== 1) throw new InputError(file, line(['placement']), `placement: exactly one value must hold {signature} (found ${signatures})`);
  if (t.placement.body.length && !['json', 'form'].includes(t.bodyFormat)) throw new InputError(file, line(['bodyFormat']), 'bodyFormat must be json or form');
  return t;
}

// ---------------------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------------------

export interface TemplateRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The operation's own query parameters, in order. */
  query: [string, string][];
  /** The operation's body (an object for json/form), or undefined. */
  body: unknown;
}

export interface TemplateValues {
  timestamp: string;
  nonce: string;
  appId: string;
  keyId: string;
}

export interface SignedTemplateRequest {
  headers: Record<string, string>;
  /** Full query (operation's + the template's), in order. */
  query: [string, string][];
  /** Body text as sent, and its content type ('' when there is none). */
  body: string;
  contentType: string;
  /** The values the signature was made with (a replay reuses them; a stale variant changes the timestamp). */
  values: TemplateValues;
  canonical: string;
}

function fieldValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The operation's body, serialized as the template sends it (before the template adds its own fields). */
export function serializeBody(format: 'json' | 'form', body: unknown, extra: [string, string][] = []): string {
  if (body === undefined && extra.length === 0) return '';
  if (format === 'form') {
    const params = new URLSearchParams();
    if (body && typeof body === 'object' && !Array.isArray(body)) for (const [k, v] of Object.entries(body)) params.append(k, fieldValue(v));
    for (const [k, v] of extra) params.append(k, v);
    return params.toString();
  }
  if (extra.length === 0) return JSON.stringify(body);
  return JSON.stringify({ ...((body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as object), ...Object.fromEntries(extra) });
}

function topLevelFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  return Object.entries(body).map(([k, v]) => [k, fieldValue(v)]);
}

function digest(alg: string, enc: string, text: string): string {
  return crypto.createHash(alg).update(text).digest(enc as 'hex' | 'base64');
}

function sortedPairs(pairs: [string, string][]): string {
  return pairs
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

interface Context {
  method: string;
  path: string;
  query: [string, string][];
  bodyText: string;
  /** Every field that {sortedFields} covers (query, body, template fields without the signature). */
  fields: [string, string][];
  values: TemplateValues;
  defines: Map<string, string>;
}

function expand(text: string, c: Context): string {
  return text.replace(PLACEHOLDER, (whole, p: string) => {
    const rawQuery = new URLSearchParams(c.query).toString();
    switch (p) {
      case 'method':
        return c.method.toUpperCase();
      case 'path':
        return c.path;
      case 'query':
        return rawQuery;
      case 'sortedQuery':
        return sortedPairs(c.query);
      case 'pathWithQuery':
        return rawQuery ? `${c.path}?${rawQuery}` : c.path;
      case 'body':
        return c.bodyText;
      case 'sortedFields':
        return sortedPairs(c.fields);
      case 'timestamp':
      case 'nonce':
      case 'appId':
      case 'keyId':
        return c.values[p];
    }
    const d = DIGEST.exec(p);
    if (d) return digest(d[2]!, d[3]!, d[1] === 'bodyDigest' ? c.bodyText : sortedPairs(c.fields));
    return c.defines.get(p) ?? whole;
  });
}

function withDefines(t: SigningTemplate, c: Omit<Context, 'defines'>): Context {
  const ctx: Context = { ...c, defines: new Map() };
  for (const d of t.define) ctx.defines.set(d.name, expand(d.value, ctx));
  return ctx;
}

export function formatTimestamp(t: SigningTemplate, epochMs: number): string {
  const f = t.timestamp.format;
  if (f === 'seconds') return String(Math.floor(epochMs / 1000));
  if (f === 'milliseconds') return String(Math.floor(epochMs));
  const sign = t.timestamp.zone.startsWith('-') ? -1 : 1;
  const [hh, mm] = t.timestamp.zone.slice(1).split(':').map(Number) as [number, number];
  const d = new Date(epochMs + sign * (hh * 60 + mm) * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return f.replace(/yyyy|MM|dd|HH|mm|ss/g, (k) =>
    k === 'yyyy' ? pad(d.getUTCFullYear(), 4) : k === 'MM' ? pad(d.getUTCMonth() + 1) : k === 'dd' ? pad(d.getUTCDate()) : k === 'HH' ? pad(d.getUTCHours()) : k === 'mm' ? pad(d.getUTCMinutes()) : pad(d.getUTCSeconds()),
  );
}

/** The epoch milliseconds a formatted timestamp stands for, or NaN. */
export function parseTimestamp(t: SigningTemplate, text: string): number {
  const f = t.timestamp.format;
  if (f === 'seconds') return /^\d+$/.test(text) ? Number(text) * 1000 : NaN;
  if (f === 'milliseconds') return /^\d+$/.test(text) ? Number(text) : NaN;
  const parts: Record<string, number> = {};
  let re = '';
  for (const tok of f.match(/yyyy|MM|dd|HH|mm|ss|[^A-Za-z]/g) ?? []) {
    if (/^[yMdHms]/.test(tok)) re += `(?<${tok === 'mm' ? 'mi' : tok}>\\d{${tok.length}})`;
    else re += tok.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m?.groups) return NaN;
  for (const [k, v] of Object.entries(m.groups)) parts[k] = Number(v);
  const sign = t.timestamp.zone.startsWith('-') ? -1 : 1;
  const [hh, mm] = t.timestamp.zone.slice(1).split(':').map(Number) as [number, number];
  return Date.UTC(parts.yyyy ?? 1970, (parts.MM ?? 1) - 1, parts.dd ?? 1, parts.HH ?? 0, parts.mi ?? 0, parts.ss ?? 0) - sign * (hh * 60 + mm) * 60_000;
}

export function newTemplateNonce(t: SigningTemplate): string {
  const alphabet = t.nonce.alphabet === 'hex' ? '0123456789abcdef' : t.nonce.alphabet === 'digits' ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.randomBytes(t.nonce.length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function signatureHolder(t: SigningTemplate): { where: 'headers' | 'query' | 'body'; index: number } {
  for (const where of ['headers', 'query', 'body'] as const) {
    const index = t.placement[where].findIndex((p) => p.value.includes('{signature}'));
    if (index >= 0) return { where, index };
  }
  throw new Error('template without {signature}');
}

function rawSign(t: SigningTemplate, key: string | KeyObject, data: string): Buffer {
  switch (t.algorithm) {
    case 'HMAC-SHA256':
      return crypto.createHmac('sha256', key as string).update(data).digest();
    case 'HMAC-SM3':
      return crypto.createHmac('sm3', key as string).update(data).digest();
    case 'RSA-SHA256':
      return crypto.sign('sha256', Buffer.from(data), key);
    case 'RSA-PSS':
      return crypto.sign('sha256', Buffer.from(data), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as crypto.SignPrivateKeyInput);
    case 'ECDSA-P256':
      return crypto.sign('sha256', Buffer.from(data), { key, dsaEncoding: t.ecdsaEncoding === 'p1363' ? 'ieee-p1363' : 'der' } as crypto.SignPrivateKeyInput);
    case 'SM2-SM3':
      return sm2Sign(data, key);
  }
}

function rawVerify(t: SigningTemplate, key: string | KeyObject, data: string, sig: Buffer): boolean {
  try {
    switch (t.algorithm) {
      case 'HMAC-SHA256':
      case 'HMAC-SM3': {
        const expected = rawSign(t, key, data);
        return expected.length === sig.length && crypto.timingSafeEqual(expected, sig);
      }
      case 'RSA-SHA256':
        return crypto.verify('sha256', Buffer.from(data), key, sig);
      case 'RSA-PSS':
        return crypto.verify('sha256', Buffer.from(data), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as crypto.VerifyPublicKeyInput, sig);
      case 'ECDSA-P256':
        return crypto.verify('sha256', Buffer.from(data), { key, dsaEncoding: t.ecdsaEncoding === 'p1363' ? 'ieee-p1363' : 'der' } as crypto.VerifyPublicKeyInput, sig);
      case 'SM2-SM3':
        return sm2Verify(data, key, sig);
    }
  } catch {
    return false;
  }
}

function encode(t: SigningTemplate, sig: Buffer): string {
  return sig.toString(t.encoding);
}

function decode(t: SigningTemplate, text: string): Buffer {
  return Buffer.from(text, t.encoding);
}

/** A key of the template's kind that the server does not know (the wrong-key variant). */
export function wrongTemplateKey(t: SigningTemplate): string {
  if (t.algorithm.startsWith('HMAC')) return crypto.randomBytes(32).toString('base64');
  const pair =
    t.algorithm === 'SM2-SM3'
      ? crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' })
      : t.algorithm === 'ECDSA-P256'
        ? crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/**
 * Signs `req` the template's way. `values` fixes the timestamp/nonce (replays and stale variants); `bodyOverride`
 * sends another body under the same signature (the tampered variant).
 */
export function signWithTemplate(
  t: SigningTemplate,
  req: TemplateRequest,
  p: { key: string | KeyObject; appId: string; keyId?: string; now?: number; values?: Partial<TemplateValues>; bodyOverride?: unknown },
): SignedTemplateRequest {
  const values: TemplateValues = {
    timestamp: p.values?.timestamp ?? formatTimestamp(t, p.now ?? Date.now()),
    nonce: p.values?.nonce ?? newTemplateNonce(t),
    appId: p.values?.appId ?? p.appId,
    keyId: p.values?.keyId ?? p.keyId ?? p.appId,
  };
  const bodyText = serializeBody(t.bodyFormat, req.body);
  const holder = signatureHolder(t);
  const base = { method: req.method, path: req.path, query: req.query, bodyText, values, fields: [] as [string, string][] };
  // Template fields without the signature first: {sortedFields} covers them (Alipay's sign_type, UnionPay's certId).
  const pre = withDefines(t, { ...base, fields: [...req.query, ...topLevelFields(req.body)] });
  const ownQuery = t.placement.query.filter((_, i) => !(holder.where === 'query' && holder.index === i)).map((q): [string, string] => [q.name, expand(q.value, pre)]);
  const ownBody = t.placement.body.filter((_, i) => !(holder.where === 'body' && holder.index === i)).map((q): [string, string] => [q.name, expand(q.value, pre)]);
  const ctx = withDefines(t, { ...base, fields: [...req.query, ...ownQuery, ...topLevelFields(req.body), ...ownBody] });
  const canonical = expand(t.canonical, ctx);
  const signature = encode(t, rawSign(t, p.key, canonical));
  const fill = (text: string) => expand(text, ctx).replace('{signature}', signature);
  const headers: Record<string, string> = {};
  for (const h of t.placement.headers) headers[h.name] = fill(h.value);
  const query: [string, string][] = [...req.query, ...t.placement.query.map((q): [string, string] => [q.name, fill(q.value)])];
  const bodyFields = t.placement.body.map((b): [string, string] => [b.name, fill(b.value)]);
  const sentBody = p.bodyOverride !== undefined ? p.bodyOverride : req.body;
  const body = serializeBody(t.bodyFormat, sentBody, bodyFields);
  const contentType = body === '' ? '' : t.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return { headers, query, body, contentType, values, canonical };
}

// ---------------------------------------------------------------------------------------------------------
// Verifying (the simulator's side)
// ---------------------------------------------------------------------------------------------------------

export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  target: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface TemplateVerification {
  ok: boolean;
  reason?: 'missing' | 'malformed' | 'bad-signature';
  values?: TemplateValues;
  /** Epoch ms of the timestamp (NaN when unreadable). */
  timestampMs?: number;
  signature?: string;
}

/** Reads the placeholders of `template` back out of `text` (e.g. WeChat's Authorization header). */
function capture(template: string, text: string): Record<string, string> | undefined {
  const names: string[] = [];
  let re = '';
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    re += template.slice(at, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re += '([\\s\\S]*?)';
    names.push(m[1]!);
    at = m.index! + m[0].length;
  }
  re += template.slice(at).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  names.forEach((n, i) => {
    out[n] = m[i + 1]!;
  });
  return out;
}

export function verifyWithTemplate(t: SigningTemplate, req: ReceivedRequest, key: string | KeyObject): TemplateVerification {
  const qi = req.target.indexOf('?');
  const path = qi < 0 ? req.target : req.target.slice(0, qi);
  const received = [...new URLSearchParams(qi < 0 ? '' : req.target.slice(qi + 1))] as [string, string][];
  const ownQueryNames = new Set(t.placement.query.map((q) => q.name));
  const ownBodyNames = new Set(t.placement.body.map((q) => q.name));
  let bodyFields: [string, string][] = [];
  let bodyObject: unknown;
  let unparsable = false;
  if (req.body) {
    if (t.bodyFormat === 'form') bodyFields = [...new URLSearchParams(req.body)] as [string, string][];
    else {
      try {
        bodyObject = JSON.parse(req.body);
        bodyFields = topLevelFields(bodyObject);
      } catch {
        // Decided below: another scheme's request (a form body) is "missing" for this template, not malformed.
        unparsable = true;
      }
    }
  }
  // Read back what the placement carries.
  const captured: Record<string, string> = {};
  const read = (placed: PlacedValue[], lookup: (name: string) => string | undefined): boolean => {
    for (const p of placed) {
      const v = lookup(p.name);
      if (v === undefined) return false;
      const c = capture(p.value, v);
      if (!c) return false;
      Object.assign(captured, c);
    }
    return true;
  };
  const present =
    read(t.placement.headers, (n) => req.headers[n.toLowerCase()]) &&
    read(t.placement.query, (n) => received.find(([k]) => k === n)?.[1]) &&
    read(t.placement.body, (n) => bodyFields.find(([k]) => k === n)?.[1]);
  if (!present || !captured.signature) return { ok: false, reason: 'missing' };
  if (unparsable && (t.placement.body.length > 0 || /\{sortedFields/.test(t.canonical + t.define.map((d) => d.value).join('')))) return { ok: false, reason: 'malformed' };
  // Defines carried in the request (RFC 9421's Signature-Input) hold the values inside them.
  for (const d of t.define) {
    if (captured[d.name] === undefined) continue;
    const inner = capture(d.value, captured[d.name]!);
    // Another scheme's layout with the same header names (RFC 9421 with another alg): not this template's request.
    if (!inner) return { ok: false, reason: 'missing' };
    for (const [k, v] of Object.entries(inner)) captured[k] ??= v;
  }
  const values: TemplateValues = { timestamp: captured.timestamp ?? '', nonce: captured.nonce ?? '', appId: captured.appId ?? '', keyId: captured.keyId ?? '' };
  for (const k of CARRIED) {
    if (usesPlaceholder(t, k) && !captured[k]) return { ok: false, reason: 'missing' };
  }
  // The operation's own query and body: what the template added taken out again.
  const opQuery = received.filter(([k]) => !ownQueryNames.has(k));
  let bodyText = '';
  if (req.body) {
    if (t.bodyFormat === 'form') bodyText = serializeBody('form', Object.fromEntries(bodyFields.filter(([k]) => !ownBodyNames.has(k))));
    else if (ownBodyNames.size && bodyObject && typeof bodyObject === 'object') {
      const copy = { ...(bodyObject as Record<string, unknown>) };
      for (const n of ownBodyNames) delete copy[n];
      bodyText = JSON.stringify(copy);
    } else bodyText = ownBodyNames.size ? JSON.stringify(bodyObject) : req.body;
  }
  const holder = signatureHolder(t);
  const holderName = t.placement[holder.where][holder.index]!.name;
  const fields: [string, string][] = [
    ...received.filter(([k]) => !(holder.where === 'query' && k === holderName)),
    ...bodyFields.filter(([k]) => !(holder.where === 'body' && k === holderName)),
  ];
  const ctx = withDefines(t, { method: req.method, path, query: opQuery, bodyText, values, fields });
  const canonical = expand(t.canonical, ctx);
  const ok = rawVerify(t, key, canonical, decode(t, captured.signature));
  return { ok, reason: ok ? undefined : 'bad-signature', values, timestampMs: parseTimestamp(t, values.timestamp), signature: captured.signature };
}

function usesPlaceholder(t: SigningTemplate, name: string): boolean {
  const re = new RegExp(`\\{${name}\\}`);
  return re.test(t.canonical) || t.define.some((d) => re.test(d.value));
}
