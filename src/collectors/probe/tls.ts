/**
 * TLS probe: protocols, weak suites, certificate, client-certificate demand, plain-HTTP redirect and HSTS.
 *
 * The hand-written ClientHello of clienthello.ts asks most questions, read only up to the server's first flight (no
 * key exchange is completed, which is what makes it cheap): each protocol from SSLv3 to TLS 1.2, and what node's
 * OpenSSL cannot offer at all (SSLv3, RC4, 3DES, DES, EXPORT, NULL). node:tls does the real handshakes where a raw
 * hello cannot answer: the one HTTPS GET (certificate, chain trust, HSTS, client-certificate demand; its TLS 1.3
 * handshake also answers for TLS 1.3), a handshake pinned to a version whose raw hello got no ServerHello at it (the
 * server may refuse our hand-written hello, yet complete node's), and TLS 1.3 when the GET did not speak it. Security
 * level 0, so OpenSSL 3 is willing to speak TLS 1.0/1.1 at all. A protocol or suite is only ever read from a
 * ServerHello or from a completed handshake, never from a socket whose handshake failed.
 */
import tls from 'node:tls';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import {
  CBC_SHA1_SUITES,
  CIPHER_SUITES,
  DHE_SUITES,
  MODERN_SUITES,
  WEAK_SUITES,
  enumerateSuites,
  protocolName,
  sendClientHello,
  suiteName,
  type ProtocolName,
} from './clienthello.js';
import type { HostAllowList, RequestBudget } from './budget.js';
import { maskExcerpt } from '../../detectors/index.js';

export const NODE_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
type NodeProtocol = (typeof NODE_PROTOCOLS)[number];

export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyType: string;
  keyBits?: number;
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  hostnameMatches: boolean;
  chainTrusted: boolean;
  chainError?: string;
}

export interface TlsFacts {
  /** true = accepted (ServerHello or completed handshake at that version), false = refused, null = unknown. */
  protocols: Record<ProtocolName, boolean | null>;
  weakCiphers: { name: string; openssl: string; protocol: string; reasons: string[] }[];
  cbcSha1: { name: string; openssl: string; protocol: string }[];
  /** 'unknown' when the suite enumeration could not be trusted (timeouts, or the server refused the baseline hello). */
  enumeration: 'complete' | 'unknown';
  enumerationProblem?: string;
  /** The DHE suite the server chose when offered only DHE suites, and its prime's size. */
  dhe?: { cipher: string; bits: number };
  /** Set when the server gave no TLS answer at all (tarpit, not a TLS port): no fact above may vouch for anything. */
  error?: string;
  certificate?: CertificateFacts;
  negotiated?: { protocol: string; cipher: string };
  clientCertificate: 'required' | 'optional' | 'none' | 'unknown';
  /** How the client-certificate verdict was reached, for the report. */
  clientCertificateSignal?: string;
  /** The demand is made at the TLS handshake: no HTTP exchange without a certificate is possible at all. */
  clientCertificateAtHandshake?: boolean;
  /** Status of the HTTPS request made without a client certificate (to `clientCertificatePath`). */
  httpsStatus?: number;
  httpRedirectsToHttps?: boolean;
  /** What the plain-HTTP URL did: redirect-https | redirect-other-host | served | refused | error. */
  plainHttp?: { url: string; outcome: string; status?: number; location?: string };
  hsts?: string;
  connections: number;
  /** When the probe ran (ISO): certificate dates are judged against it, so checks stay pure. */
  observedAt: string;
}

export interface TlsProbeOptions {
  timeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to node's root store. */
  ca?: string[];
  /** Path requested over HTTPS without a client certificate (defaults to the URL's path). */
  clientCertificatePath?: string;
  /** Plain-HTTP URL whose redirect to HTTPS is checked; undefined = not checked. */
  plainHttpUrl?: string;
  budget: RequestBudget;
  allow: HostAllowList;
}

/** The requests the TLS probe would send, for --dry-run. */
export function planTls(url: string, opts: Pick<TlsProbeOptions, 'clientCertificatePath' | 'plainHttpUrl'>): string[] {
  const u = new URL(url);
  const hp = `${u.hostname}:${u.port || 443}`;
  const lines = [
    `TLS ${hp} ClientHello SSLv3 (raw)`,
    ...(['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const).map((p) => `TLS ${hp} ClientHello pinned to ${p} (raw; a node:tls handshake pinned to it when no ServerHello at ${p} comes back)`),
    `TLS ${hp} handshake pinned to TLSv1.3 (node:tls), unless the HTTPS GET below completed in TLS 1.3`,
    `TLS ${hp} ClientHello offering ${WEAK_SUITES.length} weak suites, repeated without each accepted one (at most 12)`,
    `TLS ${hp} ClientHello offering ${CBC_SHA1_SUITES.length} CBC-SHA1 suites, repeated (at most ${CBC_SHA1_SUITES.length})`,
    `TLS ${hp} ClientHello TLSv1.2 read to ServerHelloDone (CertificateRequest; retried in the server's own protocol and suites if refused)`,
    `TLS ${hp} ClientHello offering ${DHE_SUITES.length} DHE suites, read to ServerKeyExchange (group size)`,
    `GET https://${hp}${opts.clientCertificatePath ?? u.pathname} without client certificate (certificate, HSTS), beside the hellos above`,
  ];
  if (opts.plainHttpUrl) lines.push(`GET ${opts.plainHttpUrl} (plain HTTP, redirect not followed)`);
  return lines;
}

export async function probeTls(url: string, opts: TlsProbeOptions): Promise<{ facts: TlsFacts; requests: number; problems: string[]; hidesEvidence?: boolean }> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  const servername = net.isIP(host) ? undefined : host;
  const problems: string[] = [];
  let connections = 0;
  const count = () => {
    connections += 1;
  };
  // Every anchor on top of the system roots; read (NODE_EXTRA_CA_CERTS is a file) only by the paths that need it.
  let anchors: string[] | undefined | null = null;
  const ca = () => (anchors === null ? (anchors = trustAnchors(opts.ca)) : anchors);
  // Every answer the server gave, to tell a tarpit (TCP accepted, TLS never answered) from a refusing server.
  const answers = { tls: 0, timeouts: 0 };
  const note = (outcome: string) => {
    if (outcome === 'timeout') answers.timeouts += 1;
    else if (outcome === 'server-hello' || outcome === 'alert') answers.tls += 1;
  };

  const protocols = {} as Record<ProtocolName, boolean | null>;
  const sslv3 = (async () => {
    count();
    const r = await sendClientHello(host, port, { version: 'SSLv3', suites: [...MODERN_SUITES, ...CBC_SHA1_SUITES, ...WEAK_SUITES] }, { timeoutMs: opts.timeoutMs });
    note(r.outcome);
    protocols.SSLv3 = r.outcome === 'timeout' ? null : r.outcome === 'server-hello' && r.version === 0x0300;
  })();
  /** node's own handshake pinned to `p`: 'ok' and 'timeout' decide the protocol; 'failed' leaves it to the caller. */
  const nodeHandshake = async (p: NodeProtocol): Promise<'ok' | 'timeout' | 'failed'> => {
    count();
    const r = await pinnedHandshake(host, port, servername, p, opts.timeoutMs);
    if (r.ok) {
      answers.tls += 1;
      protocols[p] = true;
      return 'ok';
    }
    if (r.timeout) {
      answers.timeouts += 1;
      protocols[p] = null;
      problems.push(`${p}: handshake timed out`);
      return 'timeout';
    }
    return 'failed';
  };
  // TLS 1.0–1.2: first a raw ClientHello pinned to the version (no key exchange, no certificate check: a fraction of
  // node's full handshake), whose ServerHello at that version proves it. Only without one does node's handshake run
  // (the server may refuse our hand-written hello yet complete node's); when that fails too, the raw answer decides.
  const legacyProtocols = (['TLSv1', 'TLSv1.1', 'TLSv1.2'] as const).map(async (p) => {
    count();
    const raw = await sendClientHello(host, port, { version: p, suites: [...MODERN_SUITES, ...CBC_SHA1_SUITES, ...WEAK_SUITES], serverName: servername }, { timeoutMs: opts.timeoutMs });
    note(raw.outcome);
    if (raw.outcome === 'server-hello' && protocolName(raw.version ?? 0) === p) {
      protocols[p] = true;
      return;
    }
    if ((await nodeHandshake(p)) === 'failed') protocols[p] = raw.outcome === 'timeout' ? null : false;
  });
  const weak = enumerateSuites(host, port, WEAK_SUITES, { serverName: servername, timeoutMs: opts.timeoutMs, maxRounds: 12, onConnection: count });
  const cbc = enumerateSuites(host, port, CBC_SHA1_SUITES, { serverName: servername, timeoutMs: opts.timeoutMs, maxRounds: CBC_SHA1_SUITES.length, onConnection: count });
  // The baseline: a hello any current client would send. When the server refuses it, our hand-written hellos are
  // unacceptable to it, and "no weak suite accepted" would be a guess: enumeration is then unknown, never none.
  const certRequest = (async () => {
    count();
    const r = await sendClientHello(host, port, { version: 'TLSv1.2', suites: [...MODERN_SUITES, ...CBC_SHA1_SUITES], serverName: servername }, { timeoutMs: opts.timeoutMs, untilHelloDone: true });
    note(r.outcome);
    return r;
  })();
  const dhe = (async () => {
    count();
    return sendClientHello(host, port, { version: 'TLSv1.2', suites: DHE_SUITES, serverName: servername }, { timeoutMs: opts.timeoutMs, untilHelloDone: true });
  })();
  // The one HTTPS GET (certificate, chain trust, HSTS, client-certificate demand) runs beside the raw hellos: a
  // single-threaded server (openssl s_server -www) takes them one after the other, each one a short exchange.
  const https = (async () => {
    count();
    await opts.budget.take();
    const given = opts.ca?.length ? opts.ca : undefined;
    const r = await httpsWithoutClientCertificate(host, port, servername, opts.clientCertificatePath ?? `${u.pathname}${u.search}`, u.host, given && givenAnchorsContext(given), opts.timeoutMs);
    if (given && r.handshake && r.authorized === false) {
      // Not anchored in the given CAs alone: verified again against every anchor (a public chain, or an intermediate
      // given with --ca under a system root). Without an answer, the chain is checked offline below.
      count();
      const v = await verifyChainByHandshake(host, port, servername, anchoredContext(ca()!), opts.timeoutMs);
      r.authorized = v?.authorized;
      r.authorizationError = v?.error;
    }
    // Its completed TLS 1.3 handshake is what node's handshake pinned to TLS 1.3 would show; only without one is that run.
    if (r.protocol === 'TLSv1.3') protocols['TLSv1.3'] = true;
    else if ((await nodeHandshake('TLSv1.3')) === 'failed') protocols['TLSv1.3'] = false;
    return r;
  })();
  const [, , weakR, cbcR, firstHello, dheR, httpsR] = await Promise.all([sslv3, Promise.all(legacyProtocols), weak, cbc, certRequest, dhe, https]);

  // A server that speaks only older protocols or suites refuses the TLS 1.2 baseline: ask again in its terms.
  let hello12 = firstHello;
  if (hello12.outcome !== 'server-hello') {
    const legacy = (['TLSv1.1', 'TLSv1', 'SSLv3'] as const).find((p) => protocols[p] === true);
    const theirs = [...weakR.accepted, ...cbcR.accepted].map((a) => a.code);
    if (legacy || theirs.length) {
      count();
      const retry = await sendClientHello(
        host,
        port,
        { version: protocols['TLSv1.2'] === true ? 'TLSv1.2' : (legacy ?? 'TLSv1.2'), suites: [...theirs, ...MODERN_SUITES, ...CBC_SHA1_SUITES, ...WEAK_SUITES.filter((c) => !theirs.includes(c))], serverName: servername },
        { timeoutMs: opts.timeoutMs, untilHelloDone: true },
      );
      note(retry.outcome);
      if (retry.outcome === 'server-hello') hello12 = retry;
    }
  }

  if (httpsR.handshake) answers.tls += 1;
  else if (httpsR.error === 'timeout') answers.timeouts += 1;
  const plainR = opts.plainHttpUrl ? await checkPlainHttp(opts.plainHttpUrl, opts) : undefined;

  const facts: TlsFacts = {
    protocols: {
      SSLv3: protocols.SSLv3,
      TLSv1: protocols.TLSv1,
      'TLSv1.1': protocols['TLSv1.1'],
      'TLSv1.2': protocols['TLSv1.2'],
      'TLSv1.3': protocols['TLSv1.3'],
    },
    weakCiphers: weakR.accepted.map((a) => {
      const info = CIPHER_SUITES.get(a.code)!;
      return { name: info.name, openssl: info.openssl, protocol: protocolName(a.version) ?? String(a.version), reasons: info.weak ?? [] };
    }),
    cbcSha1: cbcR.accepted.map((a) => {
      const info = CIPHER_SUITES.get(a.code)!;
      return { name: info.name, openssl: info.openssl, protocol: protocolName(a.version) ?? String(a.version) };
    }),
    enumeration: 'complete',
    clientCertificate: 'unknown',
    connections,
    observedAt: new Date().toISOString(),
  };
  if (weakR.problem || cbcR.problem) {
    facts.enumeration = 'unknown';
    facts.enumerationProblem = [weakR.problem && `weak suites: ${weakR.problem}`, cbcR.problem && `CBC-SHA1 suites: ${cbcR.problem}`].filter(Boolean).join('; ');
  } else if (hello12.outcome !== 'server-hello' && !weakR.accepted.length && !cbcR.accepted.length && Object.values(protocols).some((v) => v === true)) {
    facts.enumeration = 'unknown';
    facts.enumerationProblem = `the server completes handshakes yet refused the probe's baseline ClientHello (${describeFlight(hello12)}), so refused suites prove nothing`;
  }
  if (facts.enumerationProblem) problems.push(facts.enumerationProblem);
  if (dheR.outcome === 'server-hello' && dheR.cipher !== undefined && dheR.dhPrimeBits !== undefined) {
    facts.dhe = { cipher: CIPHER_SUITES.get(dheR.cipher)?.name ?? suiteName(dheR.cipher), bits: dheR.dhPrimeBits };
  }

  // Certificate: from the completed handshake, else from the cleartext TLS 1.2 Certificate message.
  const chainDer = httpsR.chain.length ? httpsR.chain : (hello12.certificates ?? []);
  if (chainDer.length) {
    facts.certificate = describeCertificate(chainDer, host, ca, httpsR.handshake ? { authorized: httpsR.authorized, error: httpsR.authorizationError } : undefined);
  } else {
    problems.push(`no certificate obtained (${httpsR.error ?? hello12.outcome})`);
  }
  if (httpsR.handshake) facts.negotiated = { protocol: httpsR.protocol ?? '', cipher: httpsR.cipher ?? '' };
  if (httpsR.status !== undefined) facts.httpsStatus = httpsR.status;
  if (httpsR.hsts !== undefined) facts.hsts = httpsR.hsts;

  const cls = classifyClientCertificate(hello12.certificateRequested, httpsR);
  facts.clientCertificate = cls.verdict;
  facts.clientCertificateSignal = cls.signal;
  if (cls.atHandshake) facts.clientCertificateAtHandshake = true;

  if (plainR) {
    facts.plainHttp = plainR.result;
    facts.httpRedirectsToHttps = plainR.result.outcome === 'redirect-https';
    if (plainR.problem) problems.push(plainR.problem);
  }

  // Nothing answered in TLS at all: every fact above is absence of evidence, and no check may pass on it.
  let hidesEvidence = false;
  if (answers.tls === 0) {
    hidesEvidence = true;
    facts.error =
      answers.timeouts > 0
        ? `the server accepted TCP connections but completed no TLS handshake within ${opts.timeoutMs} ms`
        : `the server answered no ClientHello in TLS (${httpsR.error ?? describeFlight(hello12)}): is this a TLS port?`;
    problems.unshift(facts.error);
  }
  return { facts, requests: 1 + (plainR?.sent ? 1 : 0), problems, hidesEvidence };
}

function describeFlight(r: { outcome: string; alert?: { description: number }; error?: string }): string {
  if (r.outcome === 'alert') return `alert ${ALERT_NAMES[r.alert?.description ?? -1] ?? r.alert?.description}`;
  return r.error ? `${r.outcome} ${r.error}` : r.outcome;
}

const ALERT_NAMES: Record<number, string> = { 10: 'unexpected_message', 40: 'handshake_failure', 42: 'bad_certificate', 47: 'illegal_parameter', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error', 86: 'inappropriate_fallback', 112: 'unrecognized_name', 116: 'certificate_required' };

/**
 * The trust anchors a chain is verified against: the system roots, plus NODE_EXTRA_CA_CERTS (node adds them to its
 * default store, but a `ca` option replaces that store, so they are read here), plus --ca / caFile. Returns only
 * what comes on top of the system roots (undefined: nothing), which are always included.
 */
export function trustAnchors(extra: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const all = [...extraCaFromEnv(env), ...(extra ?? [])];
  return all.length ? all : undefined;
}

/**
 * node:tls contexts, made once per process (tls.connect would make one per connection, and OpenSSL's first costs
 * ~7 ms): one per version a handshake is pinned to, and one per set of anchors a chain is verified with.
 *
 * - No --ca/caFile: none (node's default context). Its store is the system roots plus NODE_EXTRA_CA_CERTS, which node
 *   parsed at start-up: nothing is parsed again.
 * - --ca/caFile given: first a context holding only those anchors (a few certificates), which is how a private CA is
 *   meant to be used; only when that does not verify the chain is the union of all three (see anchoredContext) tried.
 *   The union costs what the old single path cost every time: node's addCACert copies the bundled roots (not the
 *   NODE_EXTRA_CA_CERTS ones), so those have to be parsed from PEM once more (~40 ms for this sandbox's 144).
 */
// Every protocol node can speak; security level 0, since OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 in the handshake) above it.
const CONTEXT_OPTIONS = { minVersion: 'TLSv1' as tls.SecureVersion, maxVersion: 'TLSv1.3' as tls.SecureVersion, ciphers: 'ALL:@SECLEVEL=0' };
const contexts = new Map<string, tls.SecureContext>();
function cachedContext(key: string, make: () => tls.SecureContext): tls.SecureContext {
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = make();
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, ctx);
  }
  return ctx;
}

/** Only the given anchors: cheap, and a chain it verifies is verified by any larger store too. */
function givenAnchorsContext(given: string[]): tls.SecureContext {
  return cachedContext(`given:${given.join('')}`, () => tls.createSecureContext({ ...CONTEXT_OPTIONS, ca: given }));
}

/**
 * System roots + NODE_EXTRA_CA_CERTS + the given anchors, on top of node's cached root store: a `ca` list with the
 * ~140 system roots would be parsed again for every context. node's SecureContext.addCACert (used by
 * tls.createSecureContext itself for each `ca` entry) copies the shared root store before adding, so the
 * process-wide store is never changed.
 */
function anchoredContext(extras: string[]): tls.SecureContext {
  return cachedContext(`all:${extras.join('')}`, () => {
    const base = tls.createSecureContext(CONTEXT_OPTIONS) as tls.SecureContext & { context?: { addCACert?: (pem: string) => void } };
    if (typeof base.context?.addCACert === 'function') {
      for (const pem of extras) base.context.addCACert(pem);
      return base;
    }
    return tls.createSecureContext({ ...CONTEXT_OPTIONS, ca: [...tls.rootCertificates, ...extras] });
  });
}

function extraCaFromEnv(env: NodeJS.ProcessEnv): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    const text = readFileSync(file, 'utf8');
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  } catch {
    // node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so does the probe (the chain stays untrusted).
    return [];
  }
}

/**
 * A handshake and nothing else, on `secureContext`, the socket closed as soon as it answers: what was negotiated and
 * whether the chain verified, or why there was no handshake. Hostname checks are left out here (chain trust and host
 * are reported apart).
 */
function handshakeOnly(
  host: string,
  port: number,
  servername: string | undefined,
  secureContext: tls.SecureContext,
  timeoutMs: number,
): Promise<{ protocol: string | null; authorized: boolean; authorizationError?: string } | { timeout: true } | { error: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({ host, port, servername, secureContext, rejectUnauthorized: false, checkServerIdentity: () => undefined });
    const done = (r: Awaited<ReturnType<typeof handshakeOnly>>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ timeout: true }), timeoutMs);
    socket.once('secureConnect', () =>
      done({ protocol: socket.getProtocol(), authorized: socket.authorized, authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined }),
    );
    socket.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    socket.once('close', () => done({ error: 'closed' }));
  });
}

/** node's handshake pinned to one version: ok only when that version was negotiated. */
async function pinnedHandshake(
  host: string,
  port: number,
  servername: string | undefined,
  version: NodeProtocol,
  timeoutMs: number,
): Promise<{ ok: boolean; timeout?: boolean; error?: string }> {
  // One context per version and process (tls.connect would make a new one for every connection).
  const secureContext = cachedContext(`pinned:${version}`, () => tls.createSecureContext({ ...CONTEXT_OPTIONS, minVersion: version, maxVersion: version }));
  const r = await handshakeOnly(host, port, servername, secureContext, timeoutMs);
  if ('timeout' in r) return { ok: false, timeout: true };
  if ('error' in r) return { ok: false, error: r.error };
  return { ok: r.protocol === version };
}

interface HttpsResult {
  handshake: boolean;
  protocol?: string;
  cipher?: string;
  authorized?: boolean;
  authorizationError?: string;
  chain: Buffer[];
  status?: number;
  body?: string;
  hsts?: string;
  /** Error raised after the handshake completed (TLS 1.3 certificate_required alert arrives on first read). */
  postHandshakeError?: string;
  error?: string;
}

/** One HTTPS GET without a client certificate, on a raw node:tls socket so that TLS-level alerts stay visible. */
function httpsWithoutClientCertificate(
  host: string,
  port: number,
  servername: string | undefined,
  path: string,
  hostHeader: string,
  secureContext: tls.SecureContext | undefined,
  timeoutMs: number,
): Promise<HttpsResult> {
  return new Promise((resolve) => {
    const result: HttpsResult = { handshake: false, chain: [] };
    let data = Buffer.alloc(0);
    let settled = false;
    const socket = tls.connect({
      host,
      port,
      servername,
      ...CONTEXT_OPTIONS,
      ...(secureContext ? { secureContext } : {}),
      rejectUnauthorized: false,
      // Chain trust only: node would fold a hostname mismatch into `authorized`, and the two are reported apart.
      checkServerIdentity: () => undefined,
    });
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = data.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (m) {
        result.status = Number(m[1]);
        const head = text.split('\r\n\r\n')[0] ?? '';
        const hsts = /^strict-transport-security:\s*(.*)$/im.exec(head);
        if (hsts) result.hsts = maskHsts(hsts[1]!.trim());
        result.body = text.slice(head.length + 4, head.length + 4 + 2048);
      }
      resolve(result);
    };
    const timer = setTimeout(() => {
      if (!result.handshake) result.error = 'timeout';
      done();
    }, timeoutMs);
    socket.once('secureConnect', () => {
      result.handshake = true;
      result.protocol = socket.getProtocol() ?? undefined;
      result.cipher = socket.getCipher()?.standardName;
      result.authorized = socket.authorized;
      result.authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
      const seen = new Set<string>();
      while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        result.chain.push(cert.raw);
        cert = cert.issuerCertificate;
      }
      socket.write(`GET ${path || '/'} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: jrt0185-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length > 16384) done();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (result.handshake) result.postHandshakeError = e.code ?? e.message;
      else result.error = e.code ?? e.message;
      done();
    });
    socket.once('end', done);
    socket.once('close', done);
  });
}

/** Whether `secureContext`'s anchors verify the server's chain; undefined without a handshake. */
async function verifyChainByHandshake(
  host: string,
  port: number,
  servername: string | undefined,
  secureContext: tls.SecureContext,
  timeoutMs: number,
): Promise<{ authorized: boolean; error?: string } | undefined> {
  const r = await handshakeOnly(host, port, servername, secureContext, timeoutMs);
  return 'authorized' in r ? { authorized: r.authorized, error: r.authorizationError } : undefined;
}

/**
 * The Strict-Transport-Security value as shown in the evidence: its directives (max-age, includeSubDomains,
 * preload) as sent, since the check judges them; anything else a server put there masked as any excerpt is.
 */
export function maskHsts(value: string): string {
  return value
    .split(';')
    .map((d) => (/^\s*(?:max-age\s*=\s*"?\d+"?|includesubdomains|preload)?\s*$/i.test(d) ? d : maskExcerpt(d)))
    .join(';');
}

/** How servers signal a missing client certificate, strongest signal first. */
export function classifyClientCertificate(
  certificateRequested: boolean | undefined,
  r: Pick<HttpsResult, 'handshake' | 'error' | 'postHandshakeError' | 'status' | 'body'>,
): { verdict: TlsFacts['clientCertificate']; signal: string; atHandshake?: boolean } {
  const alert = r.error ?? r.postHandshakeError ?? '';
  if (/CERTIFICATE_REQUIRED/i.test(alert)) return { verdict: 'required', signal: `TLS alert certificate_required (${alert})`, atHandshake: true };
  if (certificateRequested && !r.handshake && /ALERT|HANDSHAKE_FAILURE|BAD_CERTIFICATE|ECONNRESET|closed/i.test(alert)) {
    return { verdict: 'required', signal: `CertificateRequest, handshake aborted without a certificate (${alert})`, atHandshake: true };
  }
  if (r.handshake && r.status === undefined && /ECONNRESET|ALERT/i.test(r.postHandshakeError ?? '')) {
    return { verdict: 'required', signal: `connection reset on first read (${r.postHandshakeError})`, atHandshake: true };
  }
  if (r.status !== undefined && [400, 403, 495, 496].includes(r.status) && /certificate/i.test(r.body ?? '')) {
    return { verdict: 'required', signal: `HTTP ${r.status} naming the missing certificate` };
  }
  if (r.status !== undefined) {
    return certificateRequested
      ? { verdict: 'optional', signal: `CertificateRequest, yet HTTP ${r.status} answered without a certificate` }
      : { verdict: 'none', signal: `no CertificateRequest, HTTP ${r.status} answered without a certificate` };
  }
  return { verdict: 'unknown', signal: alert || 'no HTTP response' };
}

async function checkPlainHttp(
  url: string,
  opts: TlsProbeOptions,
): Promise<{ result: NonNullable<TlsFacts['plainHttp']>; sent: boolean; problem?: string }> {
  if (!opts.allow.allows(url)) return { result: { url, outcome: 'error' }, sent: false, problem: `${url} is not a configured host; not contacted` };
  await opts.budget.take();
  try {
    const res = await plainGet(url, opts.timeoutMs);
    const location = headerValue(res.headers.location);
    if (res.statusCode >= 300 && res.statusCode < 400 && location) {
      const target = new URL(location, url);
      // The Location a server sent is shown masked (a redirect may carry `?token=…`); the outcome is judged first.
      if (!opts.allow.allows(target)) return { result: { url, outcome: 'redirect-other-host', status: res.statusCode, location: maskExcerpt(target.href) }, sent: true };
      return { result: { url, outcome: target.protocol === 'https:' ? 'redirect-https' : 'served', status: res.statusCode, location: maskExcerpt(target.href) }, sent: true };
    }
    return { result: { url, outcome: 'served', status: res.statusCode }, sent: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    if (code === 'ECONNREFUSED') return { result: { url, outcome: 'refused' }, sent: true };
    return { result: { url, outcome: 'error' }, sent: true, problem: `plain HTTP ${url}: ${code}` };
  }
}

/**
 * One plain-HTTP GET with node:http (the TLS probe does not load an HTTP client library for one request): status and
 * headers, the body discarded, a deadline over the whole exchange so that a dripping server is cut off too.
 */
async function plainGet(url: string, timeoutMs: number): Promise<{ statusCode: number; headers: IncomingHttpHeaders }> {
  // Loaded here: only a URL on port 443 (or a config's plainHttpUrl) has a plain-HTTP check, and node:http costs ~6 ms.
  const { default: http } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'user-agent': 'jrt0185-probe', connection: 'close' }, agent: false }, (res) => {
      const statusCode = res.statusCode ?? 0;
      const headers = res.headers;
      res.resume();
      res.once('end', () => resolve({ statusCode, headers }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', reject);
    req.once('close', () => clearTimeout(timer));
  });
}

export function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

// ---------------------------------------------------------------------------------------------------------
// Certificate facts. node's X509Certificate does not expose the signature algorithm, so it is read from the
// certificate's DER: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, … }.
// ---------------------------------------------------------------------------------------------------------

const SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassa-pss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
}

function readTlv(der: Buffer, off: number): Tlv {
  const tag = der[off]!;
  let len = der[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p + i]!;
    p += n;
  }
  if (p + len > der.length) throw new Error('truncated DER');
  return { tag, start: p, end: p + len };
}

function decodeOid(b: Buffer): string {
  const parts = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The certificate's outer signatureAlgorithm OID (the one the issuer signed with). */
export function signatureAlgorithmOid(der: Buffer): string {
  const cert = readTlv(der, 0);
  const tbs = readTlv(der, cert.start);
  const alg = readTlv(der, tbs.end);
  const oid = readTlv(der, alg.start);
  if (oid.tag !== 0x06) throw new Error('signatureAlgorithm has no OID');
  return decodeOid(der.subarray(oid.start, oid.end));
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, SM2: 256, secp256k1: 256, prime192v1: 192, secp224r1: 224 };

let roots: X509Certificate[] | undefined;

function describeCertificate(
  chainDer: Buffer[],
  host: string,
  ca: () => string[] | undefined,
  handshake: { authorized?: boolean; error?: string } | undefined,
): CertificateFacts {
  const leaf = new X509Certificate(chainDer[0]!);
  const oid = signatureAlgorithmOid(chainDer[0]!);
  const key = leaf.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const keyBits = details.modulusLength ?? (details.namedCurve ? CURVE_BITS[details.namedCurve] : keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 456 : undefined);
  const hostnameMatches = net.isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  let chainTrusted: boolean;
  let chainError: string | undefined;
  if (handshake && handshake.authorized !== undefined) {
    // node verified the chain but also folds the hostname into nothing: authorized is about the chain only.
    chainTrusted = handshake.authorized;
    chainError = handshake.error;
  } else {
    const v = verifyChain(chainDer.map((d) => new X509Certificate(d)), ca());
    chainTrusted = v.trusted;
    chainError = v.error;
  }
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    notBefore: new Date(leaf.validFrom).toISOString(),
    notAfter: new Date(leaf.validTo).toISOString(),
    keyType: keyType === 'ec' && details.namedCurve === 'SM2' ? 'sm2' : keyType,
    keyBits,
    signatureAlgorithm: SIGNATURE_OIDS[oid] ?? oid,
    signatureAlgorithmOid: oid,
    hostnameMatches,
    chainTrusted,
    ...(chainError && !chainTrusted ? { chainError } : {}),
  };
}

/** Chain check for certificates read from a raw handshake (node never completed one). */
function verifyChain(chain: X509Certificate[], ca: string[] | undefined): { trusted: boolean; error?: string } {
  roots ??= tls.rootCertificates.map((p) => new X509Certificate(p));
  // `ca` holds only the anchors on top of the system roots (parsed once per process).
  const anchors = [...roots, ...(ca ?? []).map((p) => new X509Certificate(p))];
  let current = chain[0]!;
  for (let depth = 0; depth < 10; depth++) {
    const now = Date.now();
    if (Date.parse(current.validTo) < now || Date.parse(current.validFrom) > now) return { trusted: false, error: 'CERT_HAS_EXPIRED_OR_NOT_YET_VALID' };
    const anchor = anchors.find((a) => current.checkIssued(a) && current.verify(a.publicKey));
    if (anchor) return { trusted: true };
    const next = chain.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return { trusted: false, error: current.checkIssued(current) ? 'DEPTH_ZERO_SELF_SIGNED_CERT' : 'UNABLE_TO_GET_ISSUER_CERT' };
    current = next;
  }
  return { trusted: false, error: 'CHAIN_TOO_LONG' };
}
