/**
 * A server's behaviour never ends a probe run (issue 12): tarpits, ports that do not speak TLS, oversized headers,
 * servers that drip one byte at a time, resets after the handshake and endless bodies each become that probe's
 * `error` outcome (or the verdict the failure is), never exit 3 and never a pass. Hostile servers are scripted
 * here on 127.0.0.1 with node:tls / node:net; the mutual-TLS case uses Debian's `openssl s_server -Verify 1`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { generatePki, type TestPki } from '../src/simulator/certs.js';
import { ProbeHttpClient, MAX_BODY } from '../src/collectors/probe/http.js';
import { HostAllowList, RequestBudget } from '../src/collectors/probe/budget.js';
import { freePort, waitForPort, which } from './probe-servers.js';

let pki: TestPki;
const closers: (() => void)[] = [];

beforeAll(async () => {
  pki = await generatePki();
}, 30_000);
afterAll(() => {
  for (const c of closers) c();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => server.close());
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  closers.push(() => {
    for (const s of sockets) s.destroy();
  });
  return (server.address() as net.AddressInfo).port;
}

/** A TLS server that answers every request with `respond(socket)` (TLS 1.2/1.3, the test PKI's certificate). */
function tlsServer(respond: (socket: tls.TLSSocket) => void): Promise<number> {
  const server = tls.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem }, (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => respond(socket));
  });
  return listen(server);
}

interface Run {
  code: number;
  stderr: string;
  requirements: { ruleId: string; status: string }[];
  evidence: { probe: string; facts: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function probe(port: number, timeout = 800): Promise<Run> {
  const out = mkdtempSync(join(tmpdir(), 'jrt-robust-'));
  const r = await runCli(['probe', `https://127.0.0.1:${port}/`, '--timeout', String(timeout), '--format', 'json', '--out', out]);
  if (r.code === 2 || r.code === 3) return { code: r.code, stderr: r.stderr, requirements: [], evidence: [] };
  const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
  const evidence = JSON.parse(readFileSync(join(out, 'jrt0185-probe-evidence.json'), 'utf8'));
  return { code: r.code, stderr: r.stderr, requirements: result.requirements, evidence };
}

describe('probe robustness: failures stay local', () => {
  it('a tarpit (TCP accepted, TLS never answered) is an error, never a pass', async () => {
    const port = await listen(net.createServer(() => undefined));
    const r = await probe(port, 500);
    expect(r.code).toBe(1);
    expect(r.requirements.filter((q) => q.status === 'pass')).toEqual([]);
    expect(r.requirements.find((q) => q.ruleId === 'approved-cryptography')?.status).toBe('error');
    expect(r.requirements.find((q) => q.ruleId === 'tls-minimum-version')?.status).toBe('error');
    expect(r.evidence[0]!.facts.error).toBe('the server accepted TCP connections but completed no TLS handshake within 500 ms');
    // No HTTP probe is sent to a server that never completed a handshake.
    expect(r.evidence.map((e) => e.probe)).toEqual(['tls']);
  });

  it('a plain-HTTP port is not a TLS port: error, never a pass', async () => {
    const port = await listen(net.createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n')));
    const r = await probe(port);
    expect(r.code).toBe(1);
    expect(r.requirements.filter((q) => q.status === 'pass')).toEqual([]);
    expect(r.evidence[0]!.facts.error).toMatch(/answered no ClientHello in TLS/);
  });

  it('oversized response headers (Headers Overflow) are that request\'s error', async () => {
    const port = await tlsServer((s) => s.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(70_000)}\r\ncontent-length: 2\r\n\r\n{}`));
    const r = await probe(port);
    expect([0, 1]).toContain(r.code);
    const http = r.evidence.find((e) => e.probe === 'http')!.facts;
    expect(http.errorResponses.map((e: { error?: string }) => e.error)).toEqual([expect.stringMatching(/Headers Overflow|HEADERS_OVERFLOW/i), expect.stringMatching(/Headers Overflow|HEADERS_OVERFLOW/i)]);
    expect(r.requirements.find((q) => q.ruleId === 'error-information-disclosure')?.status).toBe('error');
  });

  it('a server dripping one byte every 200 ms is cut off at the deadline (start to end, not idle)', async () => {
    const port = await tlsServer((s) => {
      const text = `HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n${'x'.repeat(100)}`;
      let i = 0;
      const timer = setInterval(() => {
        if (s.destroyed || i >= text.length) return clearInterval(timer);
        s.write(text[i++]!);
      }, 200);
      s.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const r = await probe(port, 1000);
    // TLS steps, then two malformed requests, each bounded by 1 s: nowhere near the 40 s the drip would take.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect([0, 1]).toContain(r.code);
    const http = r.evidence.find((e) => e.probe === 'http')!.facts;
    for (const e of http.errorResponses) expect(e.error).toBe('no complete answer within 1000 ms');
  });

  it('a reset after the handshake is a connection closed unanswered', async () => {
    // TLS over a socket of our own, so that the TCP connection itself can be reset (RST) after the handshake.
    const port = await listen(
      net.createServer((raw) => {
        const t = new tls.TLSSocket(raw, { isServer: true, key: pki.serverKeyPem, cert: pki.serverCertPem });
        t.on('error', () => undefined);
        t.once('data', () => raw.resetAndDestroy());
      }),
    );
    const r = await probe(port);
    expect([0, 1]).toContain(r.code);
    const http = r.evidence.find((e) => e.probe === 'http')!.facts;
    expect(http.errorResponses.every((e: { closed?: boolean }) => e.closed === true)).toBe(true);
  });

  it('response bodies are capped at 1 MiB', async () => {
    const port = await tlsServer((s) => {
      s.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n');
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        while (!s.destroyed && s.write(chunk));
        if (!s.destroyed) s.once('drain', pump);
      };
      pump();
    });
    const url = `https://127.0.0.1:${port}/`;
    const allow = new HostAllowList();
    allow.add(url);
    const client = new ProbeHttpClient({ budget: new RequestBudget(2, 100), allow, timeoutMs: 5000, planned: [] });
    const ex = await client.send(url, { method: 'GET', label: 'endless body' });
    await client.close();
    expect(ex!.body.length).toBe(MAX_BODY);
  });

  describe.skipIf(!which('openssl'))('mutual TLS with the client certificate from the probe config', () => {
    it('s_server -Verify 1: every probe goes through the mutual connection', async () => {
      const port = await freePort();
      const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', pki.serverCertFile, '-key', pki.serverKeyFile, '-CAfile', pki.caCertFile, '-Verify', '1', '-tls1_2', '-www', '-quiet'], { stdio: 'ignore' });
      closers.push(() => child.kill());
      await waitForPort(port);
      const dir = mkdtempSync(join(tmpdir(), 'jrt-robust-cfg-'));
      const config = join(dir, 'probe.yaml');
      writeFileSync(
        config,
        `version: 1
targets:
  - { name: mtls, url: "https://127.0.0.1:${port}/", level: A2, caFile: { fileEnv: R_CA } }
limits: { timeoutMs: 1500 }
credentials:
  clientCertificate: { certFileEnv: R_CERT, keyFileEnv: R_KEY }
probes:
  http:
    malformed:
      - { method: GET, path: /health }
`,
      );
      const out = mkdtempSync(join(tmpdir(), 'jrt-robust-out-'));
      const r = await runCli(['probe', '--config', config, '--format', 'json', '--out', out], { R_CA: pki.caCertFile, R_CERT: pki.clientCertFile, R_KEY: pki.clientKeyFile });
      expect([0, 1]).toContain(r.code);
      const evidence = JSON.parse(readFileSync(join(out, 'jrt0185-probe-evidence.json'), 'utf8'));
      expect(evidence[0].facts).toMatchObject({ clientCertificate: 'required', clientCertificateAtHandshake: true });
      const http = evidence.find((e: { probe: string }) => e.probe === 'http').facts;
      expect(http.skipped).toBeUndefined();
      // s_server -www answers GET over the mutual connection (200); it never answers the POST (deadline).
      expect(http.errorResponses.find((e: { variant: string }) => e.variant === 'sql-metacharacters').status).toBe(200);
    });
  });
});
