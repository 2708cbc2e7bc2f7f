/**
 * HTTP behaviour probe (undici): unauthenticated calls refused (9.2.1), error responses free of stack traces,
 * versions, SQL and internal addresses (7.1), and an opt-in bounded burst for flow control (10.1.2).
 * ProbeHttpClient is the one door every probe request goes through: host allow-list, budget, rate cap,
 * timeouts, no redirect following, and --dry-run planning.
 */
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { clip } from '../../mask.js';
import { maskExcerpt } from '../../detectors/index.js';
import { BudgetExceeded, type HostAllowList, type RequestBudget } from './budget.js';
import type { ProbeOperation } from './config.js';

export interface HttpExchange {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set when the server redirected to a host the config does not name (not followed). */
  offHostRedirect?: string;
}

export interface ProbeHttpClientOptions {
  budget: RequestBudget;
  allow: HostAllowList;
  timeoutMs: number;
  ca?: string[];
  clientCertificate?: { cert: string; key: string };
  dryRun?: boolean;
  planned: string[];
  log?: (line: string) => void;
  /** Connections per origin (default 1). */
  connections?: number;
}

/** Response bodies are read up to this many bytes; the rest is discarded and the connection closed. */
export const MAX_BODY = 1024 * 1024;

/** A request that got no HTTP answer: the reason, in words a report can show. */
export interface HttpFailure {
  error: string;
  /** 'closed' = the server closed or reset the connection without answering (nginx 444, an mTLS refusal). */
  kind: 'timeout' | 'closed' | 'tls' | 'other';
}

export function isFailure(x: HttpExchange | HttpFailure | undefined): x is HttpFailure {
  return x !== undefined && 'error' in x;
}

/** Names a transport failure (undici, node:tls, the deadline) for the report; never throws. */
export function describeFailure(e: unknown, timeoutMs: number): HttpFailure {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? '';
  const message = String(err?.cause?.message ?? err?.message ?? e);
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || /TIMEOUT/i.test(code)) return { kind: 'timeout', error: `no complete answer within ${timeoutMs} ms` };
  if (/ERR_SSL|ALERT|CERT|TLS/i.test(code) || /alert|ssl/i.test(message)) return { kind: 'tls', error: `TLS failure: ${code || message}` };
  if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|ECONNREFUSED|UND_ERR_CLOSED/.test(code) || /other side closed|socket hang up/i.test(message)) {
    return { kind: 'closed', error: `connection closed without an answer (${code || message})` };
  }
  if (/HEADERS_OVERFLOW|Headers Overflow/i.test(code + message)) return { kind: 'other', error: 'response headers larger than the client accepts (Headers Overflow)' };
  // Masked: an unknown error's message may quote what the server sent.
  return { kind: 'other', error: maskExcerpt(code ? `${code}: ${message}` : message) };
}

export class ProbeHttpClient {
  /** undici loads on the first request: `probe --tls-only` and dry runs never pay for it. */
  private clients?: Promise<{ dispatcher: UndiciAgent; plainDispatcher: UndiciAgent; request: typeof import('undici').request }>;
  /** Redirects to hosts outside the config, reported by whichever probe met them. */
  readonly offHostRedirects: string[] = [];

  constructor(private readonly opts: ProbeHttpClientOptions) {}

  private undici() {
    this.clients ??= import('undici').then(({ Agent, request }) => {
      const opts = this.opts;
      // Certificates are judged by the TLS probe; behaviour probes must still reach a server whose chain is bad.
      const connect = {
        rejectUnauthorized: false,
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.clientCertificate ? { cert: opts.clientCertificate.cert, key: opts.clientCertificate.key } : {}),
      };
      // One connection per origin: a server that handles one connection at a time (openssl s_server -www, small
      // embedded gateways) is never asked for a second while the first is open. The deadline of each request is
      // an AbortSignal over the whole exchange; undici's idle timeouts only back it up.
      const common = { headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: opts.timeoutMs, connections: opts.connections ?? 1, pipelining: 1 };
      return {
        dispatcher: new Agent({ connect, ...common }),
        plainDispatcher: new Agent({ connect: { rejectUnauthorized: false, ...(opts.ca ? { ca: opts.ca } : {}) }, ...common }),
        request,
      };
    });
    return this.clients;
  }

  get requestsSent(): number {
    return this.opts.budget.sent;
  }

  /**
   * Sends one request, or in dry-run records it and returns undefined. `withClientCertificate: false` uses a
   * connection without the application party's certificate (unauthenticated probes).
   */
  async send(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string; label: string; withClientCertificate?: boolean; unpaced?: boolean },
  ): Promise<HttpExchange | undefined> {
    const u = new URL(url);
    if (!this.opts.allow.allows(u)) throw new Error(`refusing to contact ${u.host}: not a host named in the probe config`);
    const line = `${init.method} ${url} (${init.label})`;
    if (this.opts.dryRun) {
      this.opts.planned.push(line);
      return undefined;
    }
    await this.opts.budget.take({ unpaced: init.unpaced });
    this.opts.log?.(line);
    const { request, dispatcher, plainDispatcher } = await this.undici();
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    const res = await request(u, {
      method: init.method as Dispatcher.HttpMethod,
      headers: { 'user-agent': 'jrt0185-probe', ...(init.headers ?? {}) },
      body: init.body,
      signal,
      dispatcher: init.withClientCertificate === false ? plainDispatcher : dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      chunks.push(size + b.length > MAX_BODY ? b.subarray(0, MAX_BODY - size) : b);
      size += b.length;
      if (size >= MAX_BODY) {
        // Enough to judge: the rest is neither read nor kept (a hostile server cannot fill memory).
        res.body.destroy();
        break;
      }
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const exchange: HttpExchange = { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
    if (res.statusCode >= 300 && res.statusCode < 400 && headers.location) {
      const to = new URL(headers.location, u);
      if (!this.opts.allow.allows(to)) {
        exchange.offHostRedirect = to.origin;
        this.offHostRedirects.push(`${init.method} ${u.pathname} → ${to.origin}`);
      }
    }
    return exchange;
  }

  /**
   * `send`, with the server's behaviour (timeouts, resets, TLS alerts, oversized headers) returned as a failure
   * for that one probe instead of thrown: a server's behaviour never ends the run.
   */
  async trySend(url: string, init: Parameters<ProbeHttpClient['send']>[1]): Promise<HttpExchange | HttpFailure | undefined> {
    try {
      return await this.send(url, init);
    } catch (e) {
      if (e instanceof BudgetExceeded || /refusing to contact/.test((e as Error).message)) throw e;
      const failure = describeFailure(e, this.opts.timeoutMs);
      this.opts.log?.(`  → ${failure.error}`);
      return failure;
    }
  }

  async close(): Promise<void> {
    // destroy, not close: a request still waiting on a server that never answers must not hold the run open.
    if (!this.clients) return;
    const { dispatcher, plainDispatcher } = await this.clients;
    await Promise.all([dispatcher.destroy(), plainDispatcher.destroy()]);
  }
}

/** One call as the application party makes it: where, with which headers (credentials, signature), which body. */
export interface PreparedCall {
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Builds the application party's call for an operation (plain, or signed by the configured scheme). */
export type PrepareCall = (op: ProbeOperation, url: string) => PreparedCall;

export function operationUrl(base: string, op: ProbeOperation, extraQuery?: Record<string, string>): string {
  const u = new URL(base);
  const basePath = u.pathname.replace(/\/$/, '');
  const url = new URL(`${u.origin}${basePath}${op.path}`);
  for (const [k, v] of Object.entries({ ...(op.query ?? {}), ...(extraQuery ?? {}) })) url.searchParams.set(k, v);
  return url.href;
}

export function operationName(op: { method: string; path: string }): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

// ---------------------------------------------------------------------------------------------------------
// Disclosure in error responses (7.1)
// ---------------------------------------------------------------------------------------------------------

export type LeakKind = 'stack-trace' | 'version' | 'sql' | 'internal-address';

const LEAKS: { kind: LeakKind; re: RegExp }[] = [
  { kind: 'stack-trace', re: /\bat [\w$.<>]+ \((?:file:\/\/|node:|\/)[^)]*:\d+:\d+\)/ },
  { kind: 'stack-trace', re: /\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)/ },
  { kind: 'stack-trace', re: /Traceback \(most recent call last\)/ },
  { kind: 'stack-trace', re: /\b(?:java|javax|org\.springframework|System)\.[\w.]*(?:Exception|Error)\b/ },
  { kind: 'stack-trace', re: /\bin \/[\w/.-]+\.php(?: on line |:)\d+/ },
  { kind: 'stack-trace', re: /\b\w+(?:Error|Exception): [^\n"]{0,80}\n\s+at / },
  { kind: 'sql', re: /SQLSTATE\[|\bORA-\d{5}\b|SQL syntax|syntax error at or near|PSQLException|SQLException|SQLITE_ERROR|unterminated quoted string|mysql_fetch|ER_PARSE_ERROR/i },
  { kind: 'sql', re: /\bSELECT\s+[\w*,\s."]+\s+FROM\s+["\w.]+/i },
  { kind: 'version', re: /\b(?:Apache|nginx|Tomcat|Jetty|Express|PHP|Microsoft-IIS|openresty|Kestrel|Werkzeug|gunicorn|Spring Boot|Undertow|WebLogic|JBoss|Node\.js)\/?\s?v?\d+(?:\.\d+)+/i },
  { kind: 'internal-address', re: /\b(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3})\b/ },
  { kind: 'internal-address', re: /\b[\w-]+(?:\.[\w-]+)*\.(?:internal|intranet|corp|lan|local)\b/i },
  { kind: 'internal-address', re: /(?:\/home\/\w+|\/var\/www|\/usr\/src\/app|\/opt\/[\w-]+\/|[A-Z]:\\\\[\w\\]+)/ },
];

export interface Leak {
  kind: LeakKind;
  /** Where: `body` or the header name. */
  where: string;
  excerpt: string;
}

/**
 * 40 characters either side of what matched, masked BEFORE it is cut: a cut made first could keep the tail of a
 * secret and drop the name (`token=`) that marks it. What is masked is 2000 characters either side, widened to whole
 * lines (up to 2000 more); the match is then found again in the masked text (masking may have moved it), or, when
 * masking changed the match itself, the excerpt starts where it would have.
 */
function excerptAround(text: string, re: RegExp, index: number, length: number): string {
  const lineStart = text.lastIndexOf('\n', Math.max(0, index - 2000));
  const lineEnd = text.indexOf('\n', Math.min(text.length, index + length + 2000));
  const from = index <= 2000 ? 0 : lineStart >= 0 && index - lineStart <= 4000 ? lineStart + 1 : index - 2000;
  const to = lineEnd >= 0 && lineEnd - index - length <= 4000 ? lineEnd : Math.min(text.length, index + length + 2000);
  const masked = maskExcerpt(text.slice(from, to));
  const skipped = from === 0 ? 0 : Math.min(index - from, masked.length);
  re.lastIndex = 0;
  const m = re.exec(masked.slice(skipped > 200 ? skipped - 200 : 0));
  const offset = skipped > 200 ? skipped - 200 : 0;
  const at = m ? offset + m.index : skipped;
  const end = m ? at + m[0].length : at + length;
  return clip(masked.slice(Math.max(0, at - 40), end + 40).replace(/\s+/g, ' '), 160);
}

export function findLeaks(ex: Pick<HttpExchange, 'headers' | 'body'>): Leak[] {
  const leaks: Leak[] = [];
  for (const name of ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version']) {
    const v = ex.headers[name];
    if (!v) continue;
    if (name !== 'server' || /\d/.test(v)) leaks.push({ kind: 'version', where: name, excerpt: clip(maskExcerpt(`${name}: ${v}`), 100) });
  }
  const seen = new Set<LeakKind>();
  for (const { kind, re } of LEAKS) {
    if (seen.has(kind)) continue;
    const m = re.exec(ex.body);
    if (m) {
      seen.add(kind);
      leaks.push({ kind, where: 'body', excerpt: excerptAround(ex.body, re, m.index, m[0].length) });
    }
  }
  return leaks;
}

// ---------------------------------------------------------------------------------------------------------
// The HTTP probe
// ---------------------------------------------------------------------------------------------------------

export interface HttpProbeFacts {
  /**
   * status: the HTTP status; refusal: how a call got no HTTP answer and still was refused ('handshake' = the TLS
   * handshake demanded a client certificate, 'closed' = the server closed the connection unanswered); error: the
   * call got no answer that decides anything (timeout, TLS failure).
   */
  unauthenticated: { operation: string; status?: number; rejected: boolean; refusal?: 'handshake' | 'closed'; error?: string }[];
  /** status absent: no HTTP answer (closed: the server dropped the connection; error: why nothing decides). */
  errorResponses: { operation: string; variant: string; status?: number; closed?: boolean; error?: string; leaks: Leak[] }[];
  burst?: { operation: string; count: number; sent: number; statuses: Record<string, number>; limited: boolean; firstLimitedAt?: number; rateLimitHeaders: string[]; error?: string };
  offHostRedirects: string[];
  /** Why the probes that need an HTTP exchange were not sent (e.g. a client certificate demanded, none configured). */
  skipped?: string;
}

export interface HttpProbePlan {
  baseUrl: string;
  unauthenticated: ProbeOperation[];
  malformed: ProbeOperation[];
  burst?: { method?: string; path?: string; count: number; authenticated?: boolean };
  /** Headers that authenticate the application party (App_ID, tokens) for the burst. */
  authHeaders: Record<string, string>;
  /**
   * The TLS probe saw the handshake demand a client certificate: unauthenticated calls are refused there without
   * being sent, and when no client certificate is configured (`skip`), the other probes are not sent either.
   */
  clientCertificateDemanded?: { skip?: string };
}

export const MALFORMED_VARIANTS = ['broken-json', 'sql-metacharacters'] as const;

export function httpRequestCount(plan: Omit<HttpProbePlan, 'baseUrl' | 'authHeaders'>): number {
  return plan.unauthenticated.length + plan.malformed.length * MALFORMED_VARIANTS.length + (plan.burst?.count ?? 0);
}

export async function probeHttp(client: ProbeHttpClient, plan: HttpProbePlan): Promise<HttpProbeFacts> {
  const facts: HttpProbeFacts = { unauthenticated: [], errorResponses: [], offHostRedirects: [] };
  for (const op of plan.unauthenticated) {
    if (plan.clientCertificateDemanded) {
      facts.unauthenticated.push({ operation: operationName(op), rejected: true, refusal: 'handshake' });
      continue;
    }
    const ex = await client.trySend(operationUrl(plan.baseUrl, op), {
      method: op.method,
      headers: op.body !== undefined ? { 'content-type': 'application/json' } : {},
      body: op.body !== undefined ? JSON.stringify(op.body) : undefined,
      label: 'unauthenticated: no credentials, no client certificate',
      withClientCertificate: false,
    });
    if (!ex) continue;
    if (isFailure(ex)) {
      if (ex.kind === 'closed') facts.unauthenticated.push({ operation: operationName(op), rejected: true, refusal: 'closed', error: ex.error });
      else facts.unauthenticated.push({ operation: operationName(op), rejected: false, error: ex.error });
    } else facts.unauthenticated.push({ operation: operationName(op), status: ex.status, rejected: ex.status === 401 || ex.status === 403 });
  }
  if (plan.clientCertificateDemanded?.skip) {
    if (plan.malformed.length || plan.burst) facts.skipped = plan.clientCertificateDemanded.skip;
    facts.offHostRedirects = [...client.offHostRedirects];
    return facts;
  }
  for (const op of plan.malformed) {
    const variants: [string, string, { headers: Record<string, string>; body?: string }][] = [
      ['broken-json', operationUrl(plan.baseUrl, op), { headers: { 'content-type': 'application/json', ...plan.authHeaders }, body: '{"amount": 1e999999, "payee": ["unterminated' }],
      ['sql-metacharacters', operationUrl(plan.baseUrl, op, { id: `1' OR '1'='1'--`, page: '-1' }), { headers: { ...plan.authHeaders } }],
    ];
    for (const [variant, url, init] of variants) {
      const method = variant === 'broken-json' ? (op.method === 'GET' || op.method === 'HEAD' ? 'POST' : op.method) : op.method;
      const ex = await client.trySend(url, { method, ...init, label: `malformed request: ${variant}` });
      if (!ex) continue;
      if (isFailure(ex)) facts.errorResponses.push({ operation: operationName(op), variant, ...(ex.kind === 'closed' ? { closed: true } : {}), error: ex.error, leaks: [] });
      else facts.errorResponses.push({ operation: operationName(op), variant, status: ex.status, leaks: findLeaks(ex) });
    }
  }
  if (plan.burst) {
    // No path: the target URL itself (operationUrl appends the operation path to the target's path).
    const op = { method: plan.burst.method ?? 'GET', path: plan.burst.path ?? '' };
    const statuses: Record<string, number> = {};
    const rateHeaders = new Set<string>();
    let firstLimitedAt: number | undefined;
    let sent = 0;
    let error: string | undefined;
    const url = operationUrl(plan.baseUrl, { method: op.method as ProbeOperation['method'], path: op.path });
    const headers = plan.burst.authenticated === false ? {} : plan.authHeaders;
    for (let i = 0; i < plan.burst.count; i++) {
      const ex = await client.trySend(url, { method: op.method, headers, label: `rate-limit burst ${i + 1}/${plan.burst.count}`, unpaced: true });
      if (!ex) continue;
      if (isFailure(ex)) {
        // A server that stops answering mid-burst did not show flow control in HTTP terms: stop, and say why.
        error = `request ${i + 1}: ${ex.error}`;
        break;
      }
      sent += 1;
      statuses[String(ex.status)] = (statuses[String(ex.status)] ?? 0) + 1;
      for (const h of Object.keys(ex.headers)) if (/^(x-)?ratelimit|^retry-after$/i.test(h)) rateHeaders.add(h);
      if ((ex.status === 429 || ex.status === 503) && firstLimitedAt === undefined) {
        firstLimitedAt = i + 1;
        // Flow control shown: no need to keep loading the server.
        break;
      }
    }
    facts.burst = {
      operation: operationName({ method: op.method, path: op.path || new URL(plan.baseUrl).pathname }),
      count: plan.burst.count,
      sent,
      statuses,
      limited: firstLimitedAt !== undefined,
      ...(firstLimitedAt !== undefined ? { firstLimitedAt } : {}),
      rateLimitHeaders: [...rateHeaders].sort(),
      ...(error ? { error } : {}),
    };
  }
  facts.offHostRedirects = [...client.offHostRedirects];
  return facts;
}
