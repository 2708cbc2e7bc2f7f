/**
 * `jrt0185 probe URL…`: the TLS probe and the HTTP checks that need no config. Its own module, apart from the config
 * probes (index.ts), so that this path never loads the config schema, YAML reader or signing code (start-up time).
 */
import { readFile } from 'node:fs/promises';
import type { ProbeResultEvidence } from '../../model/evidence.js';
import { InputError } from '../../errors.js';
import { DEFAULT_LIMITS, HostAllowList, RequestBudget, mapBounded } from './budget.js';
import type { ProbeOperation } from './config.js';
import { ProbeHttpClient, operationName, probeHttp } from './http.js';
import { probeTls } from './tls.js';
import { asInputError, assertReachable, failedEvidence, guarded, problems } from './guard.js';

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
