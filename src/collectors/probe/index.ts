/**
 * Live probes: the behaviour of the endpoints an assessor is authorised to test (clauses 7.1, 7.2.2, 9.2.1,
 * 9.2.2, 10.1.2). Collectors only: every fact is recorded, nothing is judged here (src/checks/probe.ts does).
 *
 * ProbeResultEvidence.facts, per probe family (checks read exactly these):
 *
 * probe: 'tls' — target = the HTTPS URL
 *   name?: string, level?: 'A1'|'A2', configFile: string
 *   protocols: { SSLv3, TLSv1, 'TLSv1.1', 'TLSv1.2', 'TLSv1.3': true | false | null (unknown: timeout) }
 *   weakCiphers: { name (IANA), openssl, protocol, reasons: ('RC4'|'3DES'|'DES'|'EXPORT'|'NULL'|'anonymous')[] }[]
 *   cbcSha1: { name, openssl, protocol }[]                    CBC suites with a SHA-1 MAC, reported separately
 *   certificate?: { subject, issuer, notBefore, notAfter (ISO), keyType ('rsa'|'ec'|'sm2'|'ed25519'…), keyBits,
 *                   signatureAlgorithm (e.g. sha256WithRSAEncryption), signatureAlgorithmOid, hostnameMatches,
 *                   chainTrusted, chainError? }
 *   negotiated?: { protocol, cipher }                          of the default handshake
 *   clientCertificate: 'required' | 'optional' | 'none' | 'unknown', clientCertificateSignal: string,
 *   clientCertificateAtHandshake?: true (the demand is a TLS alert or aborted handshake, not an HTTP answer)
 *   enumeration: 'complete' | 'unknown', enumerationProblem?, dhe?: { cipher, bits }   (see tls.ts)
 *   httpsStatus?: number                                      HTTPS GET without a client certificate
 *   plainHttp?: { url, outcome: 'redirect-https'|'redirect-other-host'|'served'|'refused'|'error', status?, location? }
 *   httpRedirectsToHttps?: boolean, hsts?: string (the Strict-Transport-Security header)
 *   connections: number                                       TLS connections opened (not counted as requests)
 *   observedAt: string (ISO)                                  certificate dates are judged against it
 *
 * probe: 'http' — target = the base URL
 *   configFile, unauthenticated: { operation ('GET /x'), status, rejected (401|403) }[]
 *   errorResponses: { operation, variant ('broken-json'|'sql-metacharacters'), status,
 *                     leaks: { kind ('stack-trace'|'version'|'sql'|'internal-address'), where, excerpt (masked) }[] }[]
 *   burst?: { operation, count (configured), sent, statuses: { '200': n, '429': m }, limited, firstLimitedAt?, rateLimitHeaders }
 *   offHostRedirects: string[]                                redirects to hosts outside the config (not followed)
 *
 * probe: 'signature' — target = the operation's URL
 *   configFile, operation ('POST /x'), scheme, keySource ('$ENV_NAME' or 'file named by $ENV_NAME'),
 *   variants: { variant ('valid'|'replayed'|'unsigned'|'tampered-body'|'wrong-key'|'stale-timestamp'), status, accepted (2xx) }[]
 *   responseSignature?: 'valid' | 'invalid' | 'missing'      only when a bank public key was configured
 *
 * probe: 'authorization' — target = the base URL (9.3.2; see authorization.ts)
 *   configFile, cases: { kind ('own-resource'|'ungranted'|'foreign-resource'), operation, status?, closed?, error? }[]
 *
 * Any family: error?: string (the probe could not run; its checks report `error`), skipped?: string (not sent,
 * and why: a client certificate demanded at the handshake and none configured).
 *
 * probe: 'masking' — target = the operation's URL
 *   configFile, operation, status, unmasked: { detector ('pan'|'id-card'|'mobile'|'person-name'), path ($.data.cardNo), excerpt (masked) }[],
 *   maskedValues: number
 */
import type { ProbeResultEvidence } from '../../model/evidence.js';
import { InputError } from '../../errors.js';
import { DEFAULT_LIMITS, HostAllowList, RequestBudget, mapBounded } from './budget.js';
import {
  describeSecretRef,
  loadProbeConfig,
  parseProbeConfig,
  resolveSecret,
  type ProbeConfig,
  type ProbeOperation,
  type ProbeTarget,
  type SignatureProbeConfig,
} from './config.js';
import { ProbeHttpClient, httpRequestCount, operationName, operationUrl, probeHttp, type PrepareCall } from './http.js';
import { probeMasking } from './masking.js';
import { authorizationRequestCount, probeAuthorization } from './authorization.js';
import { DEFAULT_HEADERS, SIGNATURE_VARIANTS, newNonce, probeSignature, probeTemplateSignature, signRequest, templateCall, templateRequest, type SignatureHeaderNames } from './signature.js';
import { signWithTemplate } from './template.js';
import { planTls, probeTls } from './tls.js';
import { asInputError, assertReachable, failedEvidence, guarded, problems } from './guard.js';

export { loadProbeConfig, parseProbeConfig };
export type { ProbeConfig };
export { probeUrls, readPemFiles, type ProbeUrlsOptions } from './urls.js';

export interface RunProbesOptions {
  dryRun?: boolean;
  log?: (line: string) => void;
}

/** HTTP requests the config will send at most (TLS connections are counted separately). */
export function plannedRequestCount(config: ProbeConfig): number {
  let n = 0;
  for (const t of config.targets) if (t.tls !== false) n += 1 + (t.plainHttpUrl ? 1 : 0);
  const http = config.probes?.http;
  if (http) n += httpRequestCount({ unauthenticated: http.unauthenticated ?? [], malformed: http.malformed ?? [], burst: http.burst });
  n += (config.probes?.signature?.length ?? 0) * SIGNATURE_VARIANTS.length;
  for (const m of config.probes?.masking ?? []) n += m.operations.length;
  if (config.probes?.authorization) n += authorizationRequestCount(config.probes.authorization);
  return n;
}

export async function runProbes(config: ProbeConfig, opts: RunProbesOptions = {}): Promise<{ evidence: ProbeResultEvidence[]; plannedRequests: string[] }> {
  const limits = { ...DEFAULT_LIMITS, ...(config.limits ?? {}) };
  const file = config.file;
  const planned = plannedRequestCount(config);
  if (planned > limits.maxRequests) {
    throw new InputError(file || 'probe config', undefined, `the probes plan ${planned} HTTP requests but limits.maxRequests is ${limits.maxRequests}: raise the budget or probe less`);
  }
  const allow = new HostAllowList();
  for (const t of config.targets) {
    allow.add(t.url);
    if (t.plainHttpUrl) allow.add(t.plainHttpUrl);
  }
  const byName = new Map(config.targets.map((t) => [t.name, t]));
  const targetOf = (name?: string): ProbeTarget => (name ? byName.get(name)! : config.targets[0]!);
  const budget = new RequestBudget(limits.maxRequests, limits.ratePerSecond);
  const plannedRequests: string[] = [];
  const dry = opts.dryRun ?? false;
  const secret = async (ref: Parameters<typeof resolveSecret>[0], what: string) => (dry ? `<${describeSecretRef(ref)}>` : resolveSecret(ref, what, file));

  const ca: string[] = [];
  for (const t of config.targets) if (t.caFile && !dry) ca.push(await resolveSecret(t.caFile, `targets.${t.name}.caFile`, file));
  const creds = config.credentials ?? {};
  let clientCertificate: { cert: string; key: string } | undefined;
  if (creds.clientCertificate && !dry) {
    clientCertificate = {
      cert: await resolveSecret({ fileEnv: creds.clientCertificate.certFileEnv }, 'credentials.clientCertificate.certFileEnv', file),
      key: await resolveSecret({ fileEnv: creds.clientCertificate.keyFileEnv }, 'credentials.clientCertificate.keyFileEnv', file),
    };
  }
  const appId = creds.appId ? await secret(creds.appId, 'credentials.appId') : undefined;
  const authHeaders: Record<string, string> = {};
  if (appId) authHeaders[creds.appIdHeader ?? DEFAULT_HEADERS.appId] = appId;
  for (const h of creds.headers ?? []) authHeaders[h.name] = await secret(h.value, `credentials.headers.${h.name}`);

  if (!dry) for (const t of config.targets) await assertReachable(t.url, limits.timeoutMs, `${file || 'probe config'}: targets.${t.name}`);
  const client = new ProbeHttpClient({ budget, allow, timeoutMs: limits.timeoutMs, ca: ca.length ? ca : undefined, clientCertificate, dryRun: dry, planned: plannedRequests, log: opts.log });
  const evidence: ProbeResultEvidence[] = [];
  /** Targets whose TLS handshake demanded a client certificate (from the TLS probe). */
  const demandsCertificate = new Set<string>();
  const certificateSkip = (t: ProbeTarget): { skip?: string } | undefined =>
    demandsCertificate.has(t.name) ? (clientCertificate ? {} : { skip: `${t.url} demands a client certificate at the TLS handshake and the probe config names none (credentials.clientCertificate)` }) : undefined;
  try {
    // TLS: targets in parallel (each opens its own bounded set of connections, and closes every one).
    const tlsTargets = config.targets.filter((t) => t.tls !== false);
    if (dry) {
      for (const t of tlsTargets) plannedRequests.push(...planTls(t.url, t));
    } else {
      const results = await mapBounded(tlsTargets, 4, async (t) => {
        opts.log?.(`TLS probe ${t.url}`);
        const r = await guarded(`TLS probe of ${t.url}`, () => probeTls(t.url, { timeoutMs: limits.timeoutMs, ca: ca.length ? [...ca] : undefined, clientCertificatePath: t.clientCertificatePath, plainHttpUrl: t.plainHttpUrl, budget, allow }));
        return { t, r };
      });
      for (const { t, r } of results) {
        if ('failed' in r) {
          evidence.push(failedEvidence('tls', t.url, file, r.failed));
          continue;
        }
        if (r.facts.clientCertificateAtHandshake) demandsCertificate.add(t.name);
        evidence.push({ kind: 'probe', probe: 'tls', target: t.url, facts: { name: t.name, ...(t.level ? { level: t.level } : {}), configFile: file, ...r.facts }, requests: r.requests, problems: problems(r.problems, file, t.url, r.hidesEvidence) });
      }
    }

    const http = config.probes?.http;
    if (http) {
      const t = targetOf(http.target);
      const r = await guarded('HTTP probe', () =>
        probeHttp(client, { baseUrl: t.url, unauthenticated: http.unauthenticated ?? [], malformed: http.malformed ?? [], burst: http.burst, authHeaders, clientCertificateDemanded: certificateSkip(t) }),
      );
      if ('failed' in r) evidence.push(failedEvidence('http', t.url, file, r.failed));
      else if (!dry) evidence.push({ kind: 'probe', probe: 'http', target: t.url, facts: { configFile: file, ...r }, requests: r.unauthenticated.filter((u) => u.refusal !== 'handshake').length + r.errorResponses.length + (r.burst?.sent ?? 0), problems: [] });
    }

    const signatureConfigs = config.probes?.signature ?? [];
    const resolvedSigning: { key: string; appId: string; headerNames: SignatureHeaderNames }[] = [];
    const schemeName = (s: SignatureProbeConfig): string =>
      typeof s.scheme === 'string' ? s.scheme : 'preset' in s.scheme ? `preset:${s.scheme.preset}` : `template:${s.template?.name ?? s.scheme.template}`;
    for (const [i, s] of signatureConfigs.entries()) {
      const t = targetOf(s.target);
      const key = await secret(s.key, `probes.signature[${i}].key`);
      const bankPublicKey = s.bankPublicKey ? await secret(s.bankPublicKey, `probes.signature[${i}].bankPublicKey`) : undefined;
      const headerNames: SignatureHeaderNames = { ...DEFAULT_HEADERS, ...(s.headers ?? {}), appId: creds.appIdHeader ?? DEFAULT_HEADERS.appId };
      const signingAppId = appId ?? s.keyId ?? 'app';
      resolvedSigning.push({ key, appId: signingAppId, headerNames });
      const url = operationUrl(t.url, s.operation);
      if (dry) {
        await dryRunSignature(client, url, s.operation, schemeName(s));
        continue;
      }
      const skip = certificateSkip(t)?.skip;
      if (skip) {
        evidence.push({ kind: 'probe', probe: 'signature', target: url, facts: { configFile: file, operation: operationName(s.operation), scheme: schemeName(s), keySource: describeSecretRef(s.key), variants: [], skipped: skip }, requests: 0, problems: [] });
        continue;
      }
      const scheme = s.scheme;
      const r = await guarded(`signature probe of ${operationName(s.operation)}`, () =>
        typeof scheme === 'string'
          ? probeSignature({ client, url, operation: s.operation, scheme, key, keyId: s.keyId, keySource: describeSecretRef(s.key), appId: signingAppId, authHeaders, bankPublicKey, staleSeconds: s.staleSeconds ?? 3600, headerNames })
          : probeTemplateSignature({ client, url, operation: s.operation, template: s.template!, schemeName: schemeName(s), key, keyId: s.keyId, keySource: describeSecretRef(s.key), appId: signingAppId, authHeaders, staleSeconds: s.staleSeconds ?? 3600 }),
      );
      if (r && 'failed' in r) evidence.push(failedEvidence('signature', url, file, r.failed));
      else if (r) evidence.push({ kind: 'probe', probe: 'signature', target: url, facts: { configFile: file, ...r }, requests: r.variants.length, problems: [] });
    }

    /** The application party's call: App_ID and headers, plus a fresh signature by the scheme `signWith` names. */
    const credentialCall = (signWith: number | undefined): PrepareCall => {
      const signing = signWith !== undefined ? { cfg: signatureConfigs[signWith]!, ...resolvedSigning[signWith]! } : undefined;
      return (op, url) => {
        const body = op.body === undefined ? undefined : JSON.stringify(op.body);
        const plain = { url, headers: { ...authHeaders, ...(body ? { 'content-type': 'application/json' } : {}) }, body };
        if (!signing || dry) return plain;
        const scheme = signing.cfg.scheme;
        if (typeof scheme !== 'string') {
          const signed = signWithTemplate(signing.cfg.template!, templateRequest(url, op), { key: signing.key, appId: signing.appId, keyId: signing.cfg.keyId });
          const u = new URL(url);
          return templateCall(`${u.origin}${u.pathname}`, op, signed, authHeaders);
        }
        const u = new URL(url);
        const signed = signRequest(
          { method: op.method, target: `${u.pathname}${u.search}`, body: body ?? '' },
          { scheme, key: signing.key, keyId: signing.cfg.keyId, appId: signing.appId, timestamp: Math.floor(Date.now() / 1000), nonce: newNonce(), headers: signing.headerNames },
        );
        return { ...plain, headers: { ...plain.headers, ...signed } };
      };
    };

    for (const m of config.probes?.masking ?? []) {
      const t = targetOf(m.target);
      const prepare = credentialCall(m.signWith);
      for (const op of m.operations) {
        const target = operationUrl(t.url, op);
        const skip = dry ? undefined : certificateSkip(t)?.skip;
        if (skip) {
          evidence.push({ kind: 'probe', probe: 'masking', target, facts: { configFile: file, operation: operationName(op), unmasked: [], maskedValues: 0, skipped: skip }, requests: 0, problems: [] });
          continue;
        }
        const r = await guarded(`masking probe of ${operationName(op)}`, () => probeMasking(client, t.url, op, prepare));
        if (r && 'failed' in r) evidence.push(failedEvidence('masking', target, file, r.failed));
        else if (r) evidence.push({ kind: 'probe', probe: 'masking', target, facts: { configFile: file, ...r }, requests: 1, problems: [] });
      }
    }
    const authz = config.probes?.authorization;
    if (authz) {
      const t = targetOf(authz.target);
      const skip = dry ? undefined : certificateSkip(t)?.skip;
      if (skip) evidence.push({ kind: 'probe', probe: 'authorization', target: t.url, facts: { configFile: file, cases: [], skipped: skip }, requests: 0, problems: [] });
      else {
        const r = await guarded('authorization probe', () =>
          probeAuthorization(client, { baseUrl: t.url, ownResource: authz.ownResource, ungranted: authz.ungranted ?? [], foreignResources: authz.foreignResources ?? [], prepare: credentialCall(authz.signWith) }),
        );
        if (r && 'failed' in r) evidence.push(failedEvidence('authorization', t.url, file, r.failed));
        else if (r) evidence.push({ kind: 'probe', probe: 'authorization', target: t.url, facts: { configFile: file, ...r }, requests: r.cases.length, problems: [] });
      }
    }

    if (client.offHostRedirects.length && !dry) {
      const httpEvidence = evidence.find((e) => e.probe === 'http');
      if (httpEvidence) httpEvidence.facts.offHostRedirects = [...client.offHostRedirects];
    }
  } catch (e) {
    throw asInputError(e, file || 'probe config', 'a target');
  } finally {
    await client.close();
  }
  return { evidence, plannedRequests };
}

async function dryRunSignature(client: ProbeHttpClient, url: string, op: ProbeOperation, scheme: string): Promise<void> {
  for (const v of SIGNATURE_VARIANTS) await client.send(url, { method: op.method, label: `signature ${scheme}: ${v}` });
}

