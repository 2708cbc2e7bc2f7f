/**
 * Excerpts of what a server sent are masked (issue 12): a loopback HTTPS server started here answers every probe
 * with headers and bodies full of credentials and personal data — `token=`, `access_token=`, `key=`, `api_key=`,
 * `Authorization: Bearer`, `Set-Cookie: session=`, AWS access key ids and `aws_secret_access_key`, JWTs, card
 * numbers, Chinese resident ID and mobile numbers, in JSON, form and query-string shapes — placed next to what the
 * probes quote (version headers, HSTS, stack traces, SQL errors, internal addresses, a plain-HTTP redirect's
 * Location, the masking probe's read operation). `jrt0185 probe` then writes every report format, and no clear value
 * may appear in any written file or on standard output. PDF is left out: it is printed from the HTML report, which
 * is checked, and its compressed streams cannot be grepped.
 *
 * Values: the AWS key id and secret are AWS's documented examples (docs.aws.amazon.com, "Managing access keys"); the
 * JWT is jwt.io's example; 11010519491231002X is the resident-ID example of GB 11643-1999's checksum; 4111111111111111
 * is the Visa test card number; the UnionPay-range number is made Luhn-valid here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { generatePki, type TestPki } from '../src/simulator/certs.js';
import { luhnValid, maskExcerpt } from '../src/detectors/index.js';
import { findLeaks } from '../src/collectors/probe/http.js';
import { maskHsts } from '../src/collectors/probe/tls.js';

/** A 19-digit number in the UnionPay 622202 range with a valid Luhn check digit. */
function luhnComplete(prefix: string): string {
  for (let d = 0; d < 10; d++) if (luhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
}
const UNIONPAY = luhnComplete('622202123456789012');
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** Each case: the text the server embeds, and the clear values that must never be printed. */
const CASES: Record<string, { text: string; clear: string[] }> = {
  query: {
    text: '/callback?token=Qtok3nValue9a8b&access_token=Qacc3ssValue7c6d&key=Qk3yValue5e4f&api_key=Qap1KeyValue3g2h',
    clear: ['Qtok3nValue9a8b', 'Qacc3ssValue7c6d', 'Qk3yValue5e4f', 'Qap1KeyValue3g2h'],
  },
  form: {
    text: 'grant=1&token=Ftok3nValue9a8b&access_token=Facc3ssValue7c6d&key=Fk3yValue5e4f&api_key=Fap1KeyValue3g2h&x=1',
    clear: ['Ftok3nValue9a8b', 'Facc3ssValue7c6d', 'Fk3yValue5e4f', 'Fap1KeyValue3g2h'],
  },
  json: {
    text: '{"token":"Jtok3nValue9a8b","access_token":"Jacc3ssValue7c6d","key":"Jk3yValue5e4f","api_key":"Jap1KeyValue3g2h","aws_access_key_id":"AKIAJSONEXAMPLE00001","aws_secret_access_key":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYJSONSECRET"}',
    clear: ['Jtok3nValue9a8b', 'Jacc3ssValue7c6d', 'Jk3yValue5e4f', 'Jap1KeyValue3g2h', 'AKIAJSONEXAMPLE00001', 'bPxRfiCYJSONSECRET'],
  },
  headers: {
    text: 'Authorization: Bearer Hb3arerValue1x2y3z Set-Cookie: session=Hs3ssionValue4u5v; Path=/; HttpOnly',
    clear: ['Hb3arerValue1x2y3z', 'Hs3ssionValue4u5v'],
  },
  aws: {
    text: 'credentials AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY region=cn-north-1',
    clear: ['AKIAIOSFODNN7EXAMPLE', 'bPxRfiCYEXAMPLEKEY'],
  },
  jwt: { text: `session ${JWT} issued`, clear: ['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6'] },
  'personal-json': {
    text: `{"cardNo":"${UNIONPAY}","idNo":"11010519491231002X","mobile":"13812345678","card":"4111 1111 1111 1111"}`,
    clear: [UNIONPAY, '19491231', '13812345678', '4111 1111 1111 1111'],
  },
  'personal-form': {
    text: `card=4111111111111111&id=11010519491231002X&mobile=13912345678&acct=${UNIONPAY}`,
    clear: ['4111111111111111', '19491231', '13912345678', UNIONPAY],
  },
  'personal-query': {
    text: `/pay?cardNo=${UNIONPAY}&idCard=11010519491231002X&phone=%2B86%20137%201234%205678&tel=13712345678`,
    clear: [UNIONPAY, '19491231', '13712345678', '137 1234 5678'],
  },
};
const ALL_CLEAR = Object.values(CASES).flatMap((c) => c.clear);

/** The body: each secret right next to a stack trace, an SQL error, a version and an internal address. */
function body(text: string): string {
  return [
    `TypeError: cannot read properties of undefined ${text}`,
    '    at Object.<anonymous> (/srv/app/index.js:10:5)',
    text,
    `SQLSTATE[42000]: syntax error ${text}`,
    `upstream 10.1.2.3 ${text}`,
    `served by Apache/2.4.41 ${text}`,
  ].join('\n');
}

let pki: TestPki;
let server: https.Server;
let plain: http.Server;
let base = '';
let plainUrl = '';
const dirs: string[] = [];

beforeAll(async () => {
  pki = await generatePki();
  server = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'https://x').pathname.split('/')[2] ?? '');
    const c = CASES[name] ?? CASES.json!;
    req.resume();
    if (new URL(req.url ?? '/', 'https://x').pathname.startsWith('/read/')) {
      // The masking probe's read operation: personal data as JSON.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(c.text.startsWith('{') ? c.text : JSON.stringify({ note: c.text }));
      return;
    }
    res.writeHead(500, {
      'content-type': 'text/plain',
      server: `nginx/1.18.0 ${c.text}`,
      'x-powered-by': `Express/4.17.1 ${c.text}`,
      'x-aspnet-version': `4.0.30319 ${c.text}`,
      'strict-transport-security': `max-age=31536000; ${c.text}`,
      'set-cookie': `session=Hs3ssionValue4u5v; Path=/; HttpOnly`,
    });
    res.end(body(c.text));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Plain HTTP: redirects to HTTPS with every query-string secret in the Location.
  plain = http.createServer((req, res) => {
    req.resume();
    res.writeHead(301, { location: `${base}${CASES.query!.text}&${CASES['personal-query']!.text.split('?')[1]}` });
    res.end();
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`;
}, 30_000);
afterAll(async () => {
  server?.closeAllConnections();
  plain?.closeAllConnections();
  await Promise.all([new Promise((r) => server?.close(r)), new Promise((r) => plain?.close(r))]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (pki) rmSync(pki.dir, { recursive: true, force: true });
});

const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** Every file written to dir, and stdout: no clear value anywhere. */
function expectNoClearValue(dir: string, stdout: string): string {
  const files = readdirSync(dir);
  let all = stdout;
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    all += text;
    for (const v of ALL_CLEAR) expect(text.includes(v), `${f} shows ${v}`).toBe(false);
  }
  for (const v of ALL_CLEAR) expect(stdout.includes(v), `stdout shows ${v}`).toBe(false);
  return all;
}

const FILE_FORMATS = 'terminal,json,markdown,html,sarif,junit,csv';

describe('probe excerpts: no clear credential or personal value reaches any report', () => {
  it('the server really sends every value in clear (the test is not vacuous)', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      https.get(`${base}/case/json`, { ca: pki.caCertPem }, (res) => {
        let s = JSON.stringify(res.headers);
        res.on('data', (d) => (s += d));
        res.on('end', () => resolve(s));
      }).on('error', reject);
    });
    for (const v of CASES.json!.clear) expect(raw).toContain(v);
  });

  it('probe URL…: every format, every case', async () => {
    const urls = Object.keys(CASES).map((n) => `${base}/case/${encodeURIComponent(n)}`);
    const dir = tmp('jrt-excerpt-urls-');
    const r = await runCli(['probe', ...urls, '--ca', pki.caCertFile, '--format', FILE_FORMATS, '--out', dir, '--lang', 'en']);
    expect([0, 1], r.stderr).toContain(r.code);
    const text = await runCli(['probe', ...urls.slice(0, 3), '--ca', pki.caCertFile, '--lang', 'en']);
    expectNoClearValue(dir, r.stdout + text.stdout);
    // What was quoted is there, masked: every leak kind next to each case, the version headers and HSTS.
    const evidence = JSON.parse(readFileSync(join(dir, 'jrt0185-probe-evidence.json'), 'utf8')) as { probe: string; target: string; facts: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const url of urls) {
      const httpFacts = evidence.find((e) => e.probe === 'http' && e.target === url)!.facts;
      const leaks = httpFacts.errorResponses.flatMap((x: { leaks: { kind: string; where: string; excerpt: string }[] }) => x.leaks);
      expect(new Set(leaks.map((l: { kind: string }) => l.kind)), url).toEqual(new Set(['stack-trace', 'sql', 'version', 'internal-address']));
      expect(leaks.map((l: { where: string }) => l.where)).toEqual(expect.arrayContaining(['server', 'x-powered-by', 'x-aspnet-version', 'body']));
      for (const l of leaks) expect(l.excerpt, `${url} ${l.kind} ${l.where}`).toMatch(/\*/);
      const tlsFacts = evidence.find((e) => e.probe === 'tls' && e.target === url)!.facts;
      expect(tlsFacts.hsts).toMatch(/^max-age=31536000; .*\*\*\*\*/);
    }
    // The HSTS directives the check judges are kept as sent: max-age=31536000 does not read as HSTS switched off.
    const report = JSON.parse(readFileSync(join(dir, 'jrt0185-report.json'), 'utf8'));
    expect(report.findings.map((f: { messageId?: string }) => f.messageId)).not.toContain('hstsDisabled');
    expect(report.findings.map((f: { messageId?: string }) => f.messageId)).toContain('leak');
  }, 60_000);

  it('probe --config: the masking probe, a plain-HTTP redirect carrying secrets, every format', async () => {
    const cfgDir = tmp('jrt-excerpt-config-');
    const cfg = join(cfgDir, 'probe.yaml');
    writeFileSync(
      cfg,
      `version: 1
targets:
  - name: leaky
    url: ${base}/case/json
    plainHttpUrl: ${plainUrl}
    caFile: { fileEnv: JRT_EXCERPT_CA }
limits: { maxRequests: 50, ratePerSecond: 50, timeoutMs: 3000 }
probes:
  http:
    unauthenticated:
      - { method: GET, path: /x }
    malformed:
      - { method: POST, path: /x }
  masking:
    - operations:
        - { method: GET, path: /../../read/personal-json }
        - { method: GET, path: /../../read/json }
`,
    );
    const dir = tmp('jrt-excerpt-config-out-');
    const env = { JRT_EXCERPT_CA: pki.caCertFile };
    const r = await runCli(['probe', '--config', cfg, '--format', `text,${FILE_FORMATS}`, '--out', dir, '--lang', 'en'], env);
    expect([0, 1], r.stderr).toContain(r.code);
    expectNoClearValue(dir, r.stdout);
    const evidence = JSON.parse(readFileSync(join(dir, 'jrt0185-probe-evidence.json'), 'utf8')) as { probe: string; facts: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const tlsFacts = evidence.find((e) => e.probe === 'tls')!.facts;
    expect(tlsFacts.plainHttp).toMatchObject({ outcome: 'redirect-https', status: 301 });
    expect(tlsFacts.plainHttp.location).toContain('token=****');
    const masking = evidence.filter((e) => e.probe === 'masking').map((e) => e.facts);
    expect(masking.flatMap((m) => m.unmasked.map((u: { detector: string }) => u.detector)).sort()).toEqual(['id-card', 'mobile', 'pan', 'pan']);
  }, 60_000);
});

describe('maskExcerpt and the excerpt window', () => {
  it('masks every case in every shape, and leaves what is no credential readable', () => {
    for (const [name, c] of Object.entries(CASES)) {
      const masked = maskExcerpt(c.text);
      for (const v of c.clear) expect(masked.includes(v), `${name}: ${masked}`).toBe(false);
    }
    expect(maskExcerpt('Server: nginx/1.18.0 key=abc123xyz')).toBe('Server: nginx/1.18.0 key=****(9 chars)');
    expect(maskExcerpt('{"code":"UNAUTHENTICATED","message":"bad key"}')).toBe('{"code":"UNAUTHENTICATED","message":"bad key"}');
    // Escaped JSON inside a string, a quoted value with a blank, a Digest header with a response field.
    expect(maskExcerpt('"{\\"token\\":\\"Esc4pedValue1\\"}"')).not.toContain('Esc4pedValue1');
    expect(maskExcerpt("token='abc def'")).toBe("token='****(7 chars)'");
    expect(maskExcerpt('Authorization: Digest username="x", response="6629fae49393a05397450978507c4ef1"')).toBe('Authorization: ****(64 chars)');
  });

  it('a secret that crosses the 40-character window is masked whole, not cut to a clear tail', () => {
    const tail = 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';
    const leaks = findLeaks({ headers: {}, body: `ok token=${tail}\n    at Object.<anonymous> (/srv/app/index.js:10:5)` });
    expect(leaks).toHaveLength(1);
    expect(leaks[0]!.excerpt).toContain('at Object.<anonymous>');
    // The window starts inside the value: before the fix it showed its last characters without `token=`.
    expect(leaks[0]!.excerpt).not.toMatch(/[0-9]{6}/);
    expect(leaks[0]!.excerpt).toContain('chars)');
  });

  it('HSTS keeps its directives as sent and masks anything else', () => {
    expect(maskHsts('max-age=31536000; includeSubDomains; preload')).toBe('max-age=31536000; includeSubDomains; preload');
    expect(maskHsts('max-age=0; token=Qtok3nValue9a8b')).toBe('max-age=0; token=****(15 chars)');
  });
});
