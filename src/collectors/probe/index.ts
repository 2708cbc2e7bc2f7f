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
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { InputProblem, ProbeResultEvidence } from '../../model/evidence.js';
import { InputError } from '../../errors.js';
import { BudgetExceeded, HostAllowList, RequestBudget, mapBounded } from './budget.js';
import {
  DEFAULT_LIMITS,
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

export { loadProbeConfig, parseProbeConfig };
export type { ProbeConfig };

export interface RunProbesOptions {
  dryRun?: boolean;
  log?: (line: string) => void;
}

/** The first problem is the one that hides evidence, when the probe says one does (see probeTls). */
function problems(messages: string[], file: string, target: string, hidesEvidence = false): InputProblem[] {
  return messages.map((message, i) => ({ message, location: { file: file || target, target }, ...(hidesEvidence && i === 0 ? { hidesEvidence: true } : {}) }));
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

/** Errors of the network, not of the tool: the user's input (host, port, VPN, firewall) is what to check. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function asInputError(e: unknown, where: string, target: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && NETWORK_ERRORS.has(code)) return new InputError(where, undefined, `${target}: the connection failed (${code}); check the URL, the port and the network path`);
  return e;
}

/** An unreachable target is reported before any probe starts, naming it, instead of failing midway. */
async function assertReachable(url: string, timeoutMs: number, where: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new InputError(where, undefined, `cannot reach ${u.host}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new InputError(where, undefined, `cannot reach ${u.host} (${e.code ?? e.message}): check the URL, the port and the network path`));
    });
  });
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

/**
 * Runs one probe family so that whatever goes wrong inside it stays inside it: the family's evidence says it
 * failed (its checks then report `error`), the other probes still run, and the run never ends in an internal
 * error because of a server's behaviour. Input errors (a missing key) and an exhausted budget still stop the run.
 */
async function guarded<T>(what: string, fn: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InputError || e instanceof BudgetExceeded) throw e;
    return { failed: `${what} failed: ${(e as Error)?.message ?? String(e)}` };
  }
}

function failedEvidence(probe: ProbeResultEvidence['probe'], target: string, file: string, message: string): ProbeResultEvidence {
  return { kind: 'probe', probe, target, facts: { configFile: file, error: message }, requests: 0, problems: [{ message, location: { file: file || target, target }, hidesEvidence: true }] };
}

async function dryRunSignature(client: ProbeHttpClient, url: string, op: ProbeOperation, scheme: string): Promise<void> {
  for (const v of SIGNATURE_VARIANTS) await client.send(url, { method: op.method, label: `signature ${scheme}: ${v}` });
}

export interface ProbeUrlsOptions {
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM). */
  ca?: string[];
  /** How many URLs are probed at once (default 8). */
  concurrency?: number;
  ratePerSecond?: number;
  /** TLS only: no HTTP probe beyond the TLS probe's own GET (so no request waits for the rate cap). */
  tlsOnly?: boolean;
  log?: (line: string) => void;
}

/**
 * `jrt0185 probe URL...`: TLS plus the HTTP behaviour checks that need no config (unauthenticated GET of the
 * URL, two malformed requests) on each URL, which must be https; for a URL on the default port 443, also
 * whether http://host/ (port 80) redirects. 3 HTTP requests per URL (4 with the port-80 check).
 */
export async function probeUrls(urls: string[], opts: ProbeUrlsOptions = {}): Promise<ProbeResultEvidence[]> {
  for (const url of urls) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new InputError(url, undefined, 'not a URL: give https://host[:port][/path]');
    }
    if (u.protocol !== 'https:') throw new InputError(url, undefined, 'probe URLs must be https:// (plain HTTP is checked through a probe config: targets[].plainHttpUrl)');
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const perUrl = await mapBounded(urls, opts.concurrency ?? 8, async (url) => {
    const allow = new HostAllowList();
    allow.add(url);
    const budget = new RequestBudget(10, opts.ratePerSecond ?? DEFAULT_LIMITS.ratePerSecond);
    const client = new ProbeHttpClient({ budget, allow, timeoutMs, ca: opts.ca, planned: [], log: opts.log });
    try {
      await assertReachable(url, timeoutMs, url);
      opts.log?.(`probe ${url}`);
      const path = new URL(url).pathname as string;
      const op: ProbeOperation = { method: 'GET', path: '' };
      // One step after the other, never in parallel against one server: a single-threaded server (openssl
      // s_server -www) would otherwise hold one probe's connection while another one waits out its deadline.
      const tlsR = await guarded(`TLS probe of ${url}`, () => probeTls(url, { timeoutMs, ca: opts.ca, budget, allow, plainHttpUrl: plainHttpFor(url) }));
      if ('failed' in tlsR) return [failedEvidence('tls', url, '', tlsR.failed)];
      const out: ProbeResultEvidence[] = [
        { kind: 'probe', probe: 'tls', target: url, facts: { configFile: '', ...tlsR.facts }, requests: tlsR.requests, problems: problems(tlsR.problems, '', url, tlsR.hidesEvidence) },
      ];
      // A server that never completed a TLS handshake has nothing to say in HTTP either.
      if (tlsR.facts.error || opts.tlsOnly) return out;
      const demanded = tlsR.facts.clientCertificateAtHandshake
        ? { skip: `${url} demands a client certificate at the TLS handshake (${tlsR.facts.clientCertificateSignal}); \`probe URL\` sends none: give one through a probe config (credentials.clientCertificate)` }
        : undefined;
      const httpR = await guarded(`HTTP probe of ${url}`, () => probeHttp(client, { baseUrl: url, unauthenticated: [], malformed: [op], authHeaders: {}, clientCertificateDemanded: demanded }));
      if ('failed' in httpR) return [...out, failedEvidence('http', url, '', httpR.failed)];
      // The TLS probe's own HTTPS GET carries no credentials and no client certificate: it is the
      // unauthenticated call, so it is not sent twice.
      const status = tlsR.facts.httpsStatus;
      if (demanded) httpR.unauthenticated.push({ operation: `GET ${path}`, rejected: true, refusal: 'handshake' });
      else if (status !== undefined) httpR.unauthenticated.push({ operation: `GET ${path}`, status, rejected: status === 401 || status === 403 });
      for (const r of httpR.errorResponses) r.operation = operationName({ method: 'GET', path });
      out.push({ kind: 'probe', probe: 'http', target: url, facts: { configFile: '', ...httpR }, requests: httpR.errorResponses.length, problems: [] });
      return out;
    } catch (e) {
      throw asInputError(e, url, new URL(url).host);
    } finally {
      await client.close();
    }
  });
  return perUrl.flat();
}

/** For an HTTPS URL on the default port, the same host on port 80 (where a plain-HTTP listener would be). */
function plainHttpFor(url: string): string | undefined {
  const u = new URL(url);
  return u.port === '' ? `http://${u.host}${u.pathname}` : undefined;
}

/** Reads PEM files for --ca style options. */
export async function readPemFiles(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map((f) =>
      readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new InputError(f, undefined, `cannot read CA file (${e.code ?? e.message})`);
      }),
    ),
  );
}
