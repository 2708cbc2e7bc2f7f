/**
 * What protects a request's integrity, as a description declares it (7.2.2, 9.2.2): a digital signature (RSA, SM2,
 * ECDSA, JWS) or a MAC (HMAC-*). The integrity rule accepts either; the A2 signature rules need a signature, because
 * only a private key held by the application party gives non-repudiation.
 *
 * Recognised: signature headers and parameters (RFC 9421 `Signature`, OBUK `x-jws-signature`, `sign`), `x-signature`
 * on the operation, security schemes named for a signature or MAC, a JWS request body (`application/jwt`,
 * `application/jose`), and the Chinese open-platform convention of a required `sign` / `signature` body or form field
 * beside a `sign_type` that names the algorithm.
 */
import type { OperationEvidence, SchemaNode, SecuritySchemeEvidence } from '../../model/evidence.js';
import { classifyProtectionName, nameTokens, type RequestProtection } from './vocabulary.js';

export interface ProtectionFound {
  kind: RequestProtection;
  /** Where it was found, for the message: `header Signature`, `x-signature`, `scheme hmacAuth`, `body application/jose`. */
  via: string;
  required: boolean;
}

/** Digital-signature algorithms (asymmetric) and MAC algorithms, as `sign_type` enums and descriptions name them. */
const SIGNATURE_ALGORITHMS = /\b(?:RSA2?|SHA\d*WITHRSA|SM2|SM2WITHSM3|ECDSA|ES(?:256|384|512)|PS(?:256|384|512)|RS(?:256|384|512)|ED25519|EdDSA|DSA|JWS|X509|certificate)\b|非对称|私钥/i;
const MAC_ALGORITHMS = /\bHMAC(?:[-_ ]?SHA\d*|[-_ ]?SM3|[-_ ]?MD5)?\b|\bHS(?:256|384|512)\b|\bMD5\b|\bCMAC\b|\bMAC\b/i;
/** Media types of a signed body: a JWS in compact or JSON serialisation. */
const SIGNED_BODY_MEDIA = /^application\/(?:jwt|jose|jose\+json|jws|jws\+json)\s*(?:;|$)/i;

/** MAC or signature, from the words describing it; `fallback` when they name no algorithm. */
function kindFromText(text: string, fallback: RequestProtection): RequestProtection {
  const signature = SIGNATURE_ALGORITHMS.test(text);
  const mac = MAC_ALGORITHMS.test(text);
  if (mac && !signature) return 'mac';
  if (signature) return 'signature';
  return fallback;
}

function schemaWords(schema: Record<string, unknown> | undefined, description?: string): string {
  if (!schema) return description ?? '';
  const parts: unknown[] = [description, schema.description, schema.title, schema.default, schema.example, schema.const];
  if (Array.isArray(schema.enum)) parts.push(...schema.enum);
  return parts.filter((x) => typeof x === 'string' || typeof x === 'number').join(' ');
}

function schemeProtection(scheme: SecuritySchemeEvidence | undefined): RequestProtection | undefined {
  if (!scheme) return undefined;
  for (const name of [scheme.httpScheme, scheme.paramName, scheme.name]) {
    const kind = name ? classifyProtectionName(name) : undefined;
    if (kind) return kind === 'signature' ? kindFromText(scheme.description ?? '', 'signature') : kind;
  }
  return undefined;
}

const isSignType = (name: string): boolean => {
  const t = nameTokens(name);
  return t.length >= 2 && (t[t.length - 2] === 'sign' || t[t.length - 2] === 'signature') && (t[t.length - 1] === 'type' || t[t.length - 1] === 'method' || t[t.length - 1] === 'alg' || t[t.length - 1] === 'algorithm');
};

/** Top-level fields of a request body: a `sign` beside a `sign_type` (Alipay, ICBC, CMB open platforms). */
interface BodyTop {
  required: Set<string>;
  top: (SchemaNode & { propertyName: string })[];
}
/** Shared request schemas (Stripe) reach many operations: read each node list's top level once. */
const topLevelOf = new WeakMap<readonly SchemaNode[], BodyTop>();

function topLevel(nodes: readonly SchemaNode[]): BodyTop {
  let cached = topLevelOf.get(nodes);
  if (cached) return cached;
  cached = { required: new Set(), top: [] };
  for (const n of nodes) {
    if (n.path === '' && n.propertyName === undefined) {
      if (Array.isArray(n.schema.required)) for (const r of n.schema.required) if (typeof r === 'string') cached.required.add(r);
    } else if (n.propertyName !== undefined && n.path === n.propertyName) cached.top.push(n as SchemaNode & { propertyName: string });
  }
  topLevelOf.set(nodes, cached);
  return cached;
}

function bodyFieldProtections(op: OperationEvidence): ProtectionFound[] {
  const found: ProtectionFound[] = [];
  for (const media of op.requestBody?.content ?? []) {
    const { required, top } = topLevel(media.nodes);
    if (!top.some((n) => classifyProtectionName(n.propertyName) === 'signature')) continue;
    const signType = top.find((n) => isSignType(n.propertyName));
    for (const n of top) {
      if (classifyProtectionName(n.propertyName) !== 'signature' || isSignType(n.propertyName)) continue;
      const words = `${schemaWords(n.schema)} ${signType ? schemaWords(signType.schema) : ''}`;
      found.push({
        kind: kindFromText(words, 'signature'),
        via: `body field ${n.propertyName}${signType ? ` (${signType.propertyName})` : ''}`,
        // A `sign` is the request's signature only when the body must carry it.
        required: (op.requestBody?.required ?? false) && required.has(n.propertyName),
      });
    }
  }
  return found;
}

/** Everything on an operation that signs or MACs the request; the strongest required one first. */
export function requestProtections(op: OperationEvidence): ProtectionFound[] {
  const found: ProtectionFound[] = [];
  const signTypeParam = op.parameters.find((p) => isSignType(p.name));
  for (const p of op.parameters) {
    if (p.in === 'path' || p.in === 'body') continue;
    const named = classifyProtectionName(p.name);
    if (!named) continue;
    // A header called Signature that the description says carries an HMAC is a MAC.
    const kind = named === 'signature' ? kindFromText(`${schemaWords(p.schema, p.description)} ${signTypeParam ? schemaWords(signTypeParam.schema, signTypeParam.description) : ''}`, 'signature') : named;
    found.push({ kind, via: `${p.in} ${p.name}`, required: p.required });
  }
  for (const media of op.requestBody?.content ?? []) {
    if (SIGNED_BODY_MEDIA.test(media.mediaType)) {
      // The body is itself a JWS: a client cannot send it unsigned. (HS256 JWS would be a MAC; the media type does not say.)
      found.push({ kind: 'signature', via: `body ${media.mediaType}`, required: op.requestBody?.required ?? true });
    }
  }
  found.push(...bodyFieldProtections(op));
  const ext = op.extensions['x-signature'];
  if (ext !== undefined && ext !== null && ext !== false) {
    const declared = typeof ext === 'object' ? JSON.stringify(ext) : String(ext);
    const kind: RequestProtection = /\b(?:hmac|mac)\b|hmac/i.test(declared) && !/rsa|ecdsa|sm2|ed25519|jws|signature/i.test(declared) ? 'mac' : 'signature';
    if (!/^(false|no|none|off)$/i.test(declared)) found.push({ kind, via: 'x-signature', required: true });
  }
  // A scheme counts only when every alternative carries one (else the client may pick the unsigned one).
  const alternatives = op.security ?? [];
  if (alternatives.length > 0) {
    const perAlternative = alternatives.map((alt) =>
      alt.schemes.map((s) => ({ kind: schemeProtection(s.scheme), name: s.name })).filter((x) => x.kind !== undefined),
    );
    if (perAlternative.every((x) => x.length > 0)) {
      const kinds = perAlternative.map((x) => (x.some((y) => y.kind === 'signature') ? 'signature' : 'mac'));
      const first = perAlternative[0]!.find((y) => y.kind === kinds[0])!;
      found.push({ kind: kinds.every((k) => k === 'signature') ? 'signature' : 'mac', via: `scheme ${first.name}`, required: true });
    }
  }
  return found.sort((a, b) => Number(b.required) - Number(a.required) || (a.kind === b.kind ? 0 : a.kind === 'signature' ? -1 : 1));
}
