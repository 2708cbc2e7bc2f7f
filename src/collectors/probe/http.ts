/**
 * HTTP behaviour probe (undici): unauthenticated calls refused (9.2.1), error responses free of stack traces,
 * versions, SQL and internal addresses (7.1), and an opt-in bounded burst for flow control (10.1.2).
 * ProbeHttpClient is the one door every probe request goes through: host allow-list, budget, rate cap,
 * timeouts, no redirect following, and --dry-run planning.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { clip, maskPan } from '../../mask.js';
import { maskText } from '../../detectors/index.js';
import type { HostAllowList, RequestBudget } from './budget.js';
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
}

const MAX_BODY = 256 * 1024;

export class ProbeHttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly plainDispatcher: Dispatcher;
  /** Redirects to hosts outside the config, reported by whichever probe met them. */
  readonly offHostRedirects: string[] = [];

  constructor(private readonly opts: ProbeHttpClientOptions) {
    // Certificates are judged by the TLS probe; behaviour probes must still reach a server whose chain is bad.
    const connect = {
      rejectUnauthorized: false,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.clientCertificate ? { cert: opts.clientCertificate.cert, key: opts.clientCertificate.key } : {}),
    };
    this.dispatcher = new Agent({ connect, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: opts.timeoutMs });
    this.plainDispatcher = new Agent({ connect: { rejectUnauthorized: false }, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: opts.timeoutMs });
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
    const res = await request(u, {
      method: init.method as Dispatcher.HttpMethod,
      headers: { 'user-agent': 'jrt0185-probe', ...(init.headers ?? {}) },
      body: init.body,
      dispatcher: init.withClientCertificate === false ? this.plainDispatcher : this.dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      if (size < MAX_BODY) chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const exchange: HttpExchange = { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) };
    if (res.statusCode >= 300 && res.statusCode < 400 && headers.location) {
      const to = new URL(headers.location, u);
      if (!this.opts.allow.allows(to)) {
        exchange.offHostRedirect = to.origin;
        this.offHostRedirects.push(`${init.method} ${u.pathname} → ${to.origin}`);
      }
    }
    return exchange;
  }

  async close(): Promise<void> {
    await Promise.all([this.dispatcher.close(), this.plainDispatcher.close()]);
  }
}

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

function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const raw = text.slice(start, index + length + 40).replace(/\s+/g, ' ');
  return clip(maskText(raw).replace(/\d{12,19}/g, (d) => maskPan(d)), 160);
}

export function findLeaks(ex: Pick<HttpExchange, 'headers' | 'body'>): Leak[] {
  const leaks: Leak[] = [];
  for (const name of ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version']) {
    const v = ex.headers[name];
    if (!v) continue;
    if (name !== 'server' || /\d/.test(v)) leaks.push({ kind: 'version', where: name, excerpt: clip(`${name}: ${v}`, 100) });
  }
  const seen = new Set<LeakKind>();
  for (const { kind, re } of LEAKS) {
    if (seen.has(kind)) continue;
    const m = re.exec(ex.body);
    if (m) {
      seen.add(kind);
      leaks.push({ kind, where: 'body', excerpt: excerptAround(ex.body, m.index, m[0].length) });
    }
  }
  return leaks;
}

// ---------------------------------------------------------------------------------------------------------
// The HTTP probe
// ---------------------------------------------------------------------------------------------------------

export interface HttpProbeFacts {
  unauthenticated: { operation: string; status: number; rejected: boolean }[];
  errorResponses: { operation: string; variant: string; status: number; leaks: Leak[] }[];
  burst?: { operation: string; count: number; sent: number; statuses: Record<string, number>; limited: boolean; firstLimitedAt?: number; rateLimitHeaders: string[] };
  offHostRedirects: string[];
}

export interface HttpProbePlan {
  baseUrl: string;
  unauthenticated: ProbeOperation[];
  malformed: ProbeOperation[];
  burst?: { method?: string; path?: string; count: number; authenticated?: boolean };
  /** Headers that authenticate the application party (App_ID, tokens) for the burst. */
  authHeaders: Record<string, string>;
}

export const MALFORMED_VARIANTS = ['broken-json', 'sql-metacharacters'] as const;

export function httpRequestCount(plan: Omit<HttpProbePlan, 'baseUrl' | 'authHeaders'>): number {
  return plan.unauthenticated.length + plan.malformed.length * MALFORMED_VARIANTS.length + (plan.burst?.count ?? 0);
}

export async function probeHttp(client: ProbeHttpClient, plan: HttpProbePlan): Promise<HttpProbeFacts> {
  const facts: HttpProbeFacts = { unauthenticated: [], errorResponses: [], offHostRedirects: [] };
  for (const op of plan.unauthenticated) {
    const ex = await client.send(operationUrl(plan.baseUrl, op), {
      method: op.method,
      headers: op.body !== undefined ? { 'content-type': 'application/json' } : {},
      body: op.body !== undefined ? JSON.stringify(op.body) : undefined,
      label: 'unauthenticated: no credentials, no client certificate',
      withClientCertificate: false,
    });
    if (ex) facts.unauthenticated.push({ operation: operationName(op), status: ex.status, rejected: ex.status === 401 || ex.status === 403 });
  }
  for (const op of plan.malformed) {
    const variants: [string, string, { headers: Record<string, string>; body?: string }][] = [
      ['broken-json', operationUrl(plan.baseUrl, op), { headers: { 'content-type': 'application/json', ...plan.authHeaders }, body: '{"amount": 1e999999, "payee": ["unterminated' }],
      ['sql-metacharacters', operationUrl(plan.baseUrl, op, { id: `1' OR '1'='1'--`, page: '-1' }), { headers: { ...plan.authHeaders } }],
    ];
    for (const [variant, url, init] of variants) {
      const method = variant === 'broken-json' ? (op.method === 'GET' || op.method === 'HEAD' ? 'POST' : op.method) : op.method;
      const ex = await client.send(url, { method, ...init, label: `malformed request: ${variant}` });
      if (ex) facts.errorResponses.push({ operation: operationName(op), variant, status: ex.status, leaks: findLeaks(ex) });
    }
  }
  if (plan.burst) {
    // No path: the target URL itself (operationUrl appends the operation path to the target's path).
    const op = { method: plan.burst.method ?? 'GET', path: plan.burst.path ?? '' };
    const statuses: Record<string, number> = {};
    const rateHeaders = new Set<string>();
    let firstLimitedAt: number | undefined;
    let sent = 0;
    const url = operationUrl(plan.baseUrl, { method: op.method as ProbeOperation['method'], path: op.path });
    const headers = plan.burst.authenticated === false ? {} : plan.authHeaders;
    for (let i = 0; i < plan.burst.count; i++) {
      const ex = await client.send(url, { method: op.method, headers, label: `rate-limit burst ${i + 1}/${plan.burst.count}`, unpaced: true });
      if (!ex) continue;
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
    };
  }
  facts.offHostRedirects = [...client.offHostRedirects];
  return facts;
}
