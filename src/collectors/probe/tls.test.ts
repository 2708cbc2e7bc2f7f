/**
 * The TLS probe against real servers on 127.0.0.1 started here: node https, `openssl s_server` with chosen
 * protocols and suites, Debian's nginx with a generated config, and a scripted raw-socket server for what
 * OpenSSL 3 can no longer serve (SSLv3, 3DES, RC4). Where `sslscan` is installed, its verdict on the same
 * server is read in the same test and must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import net from 'node:net';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generatePki, type TestPki } from '../../simulator/certs.js';
import { classifyClientCertificate, probeTls, type TlsFacts } from './tls.js';
import { HostAllowList, RequestBudget } from './budget.js';
import { CBC_SHA1_SUITES, CIPHER_SUITES, WEAK_SUITES, buildClientHello, parseServerFlight } from './clienthello.js';
import { freePort, waitForPort, which } from './testing.js';

const run = promisify(execFile);
const HAVE_SSLSCAN = which('sslscan');
const HAVE_NGINX = which('nginx');

let pki: TestPki;
let sha1Pki: TestPki;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  [pki, sha1Pki] = await Promise.all([generatePki(), generatePki({ serverDigest: 'sha1' })]);
}, 30000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await Promise.all([rm(pki.dir, { recursive: true, force: true }), rm(sha1Pki.dir, { recursive: true, force: true })]);
});

function options(url: string, extra: { ca?: string[]; plainHttpUrl?: string; clientCertificatePath?: string } = {}) {
  const allow = new HostAllowList();
  allow.add(url);
  return { timeoutMs: 3000, budget: new RequestBudget(20, 50), allow, ...extra };
}

async function startNodeServer(opts: https.ServerOptions): Promise<string> {
  const server = https.createServer(opts, (_req, res) => {
    res.setHeader('strict-transport-security', 'max-age=63072000');
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
  return `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
}

async function startOpensslServer(args: string[], certs: TestPki = pki): Promise<string> {
  const port = await freePort();
  const child: ChildProcess = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', certs.serverCertFile, '-key', certs.serverKeyFile, '-www', '-quiet', ...args], { stdio: 'ignore' });
  cleanups.push(() => {
    child.kill();
  });
  await waitForPort(port);
  return `https://127.0.0.1:${port}/`;
}

interface SslscanVerdict {
  protocols: Record<string, boolean>;
  ciphers: Set<string>;
}

async function sslscan(url: string): Promise<SslscanVerdict> {
  const u = new URL(url);
  const { stdout } = await run('sslscan', ['--no-colour', '--no-heartbleed', '--no-compression', '--no-fallback', '--no-renegotiation', '--no-groups', '--no-check-certificate', `${u.hostname}:${u.port}`], { timeout: 60000 });
  const protocols: Record<string, boolean> = {};
  const ciphers = new Set<string>();
  for (const line of stdout.split('\n')) {
    const p = /^(SSLv3|TLSv1\.[0-3])\s+(enabled|disabled)/.exec(line);
    if (p) protocols[p[1] === 'TLSv1.0' ? 'TLSv1' : p[1]!] = p[2] === 'enabled';
    const c = /^(?:Preferred|Accepted)\s+\S+\s+\d+ bits\s+(\S+)/.exec(line);
    if (c) ciphers.add(c[1]!);
  }
  return { protocols, ciphers };
}

/** Our facts and sslscan's must name the same protocols and the same weak / CBC-SHA1 suites. */
async function expectSslscanAgrees(url: string, facts: TlsFacts, compareCiphers = true): Promise<void> {
  if (!HAVE_SSLSCAN) return; // stated in the skip notes below; .ci/run installs sslscan
  const s = await sslscan(url);
  for (const p of ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']) expect(facts.protocols[p as keyof TlsFacts['protocols']], `${p} vs sslscan`).toBe(s.protocols[p]);
  if (!compareCiphers) return;
  const known = new Set([...WEAK_SUITES, ...CBC_SHA1_SUITES].map((c) => CIPHER_SUITES.get(c)!.openssl));
  const theirs = [...s.ciphers].filter((c) => known.has(c)).sort();
  const ours = [...facts.weakCiphers.map((c) => c.openssl), ...facts.cbcSha1.map((c) => c.openssl)].sort();
  expect(ours).toEqual(theirs);
}

describe('TLS probe against node https', () => {
  it('TLS 1.2+ server demanding a client certificate, certificate signed with SHA-1', async () => {
    const url = await startNodeServer({ key: sha1Pki.serverKeyPem, cert: sha1Pki.serverCertPem, ca: sha1Pki.caCertPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', ciphers: 'ECDHE+AESGCM:@SECLEVEL=0' });
    const { facts, problems } = await probeTls(url, options(url, { ca: [sha1Pki.caCertPem] }));
    expect(problems).toEqual([]);
    expect(facts.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(facts.weakCiphers).toEqual([]);
    expect(facts.cbcSha1).toEqual([]);
    expect(facts.clientCertificate).toBe('required');
    expect(facts.clientCertificateSignal).toMatch(/certificate_required/);
    expect(facts.certificate).toMatchObject({ keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'sha1WithRSAEncryption', hostnameMatches: true, chainTrusted: true });
    await expectSslscanAgrees(url, facts);
  }, 60000);

  it('TLS 1.2-only server aborting the handshake without a client certificate: certificate read from the raw flight', async () => {
    const url = await startNodeServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const { facts } = await probeTls(url, options(url));
    // The pinned TLS 1.2 handshake fails over the certificate; the raw ClientHello proves 1.2 is accepted.
    expect(facts.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false });
    expect(facts.clientCertificate).toBe('required');
    expect(facts.clientCertificateSignal).toMatch(/CertificateRequest, handshake aborted/);
    // No CA given: the test CA is not a trusted root.
    expect(facts.certificate).toMatchObject({ signatureAlgorithm: 'sha256WithRSAEncryption', chainTrusted: false, hostnameMatches: true });
    expect(facts.cbcSha1.map((c) => c.openssl)).toContain('ECDHE-RSA-AES128-SHA');
    // sslscan completes each handshake, and this server aborts every one without a client certificate, so
    // sslscan lists no suites at all; the ServerHello-based enumeration still sees them. Protocols must agree.
    await expectSslscanAgrees(url, facts, false);
  }, 60000);

  it('optional client certificate and no client certificate', async () => {
    const optional = await startNodeServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const none = await startNodeServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, minVersion: 'TLSv1.3' });
    const [a, b] = await Promise.all([probeTls(optional, options(optional, { ca: [pki.caCertPem] })), probeTls(none, options(none, { ca: [pki.caCertPem] }))]);
    expect(a.facts.clientCertificate).toBe('optional');
    expect(b.facts.clientCertificate).toBe('none');
    expect(b.facts.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': true });
    expect(b.facts.hsts).toBe('max-age=63072000');
    expect(b.facts.certificate?.chainTrusted).toBe(true);
  }, 60000);

  it('chain trust: the given CA alone first; when it does not anchor the chain, every anchor (NODE_EXTRA_CA_CERTS too)', async () => {
    // The server's CA is not the one given with --ca, but it is in NODE_EXTRA_CA_CERTS: trusted, as before the given
    // CAs were tried alone (one more handshake, with every anchor). Neither: untrusted, with OpenSSL's reason.
    const url = await startNodeServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, minVersion: 'TLSv1.2' });
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = pki.caCertFile;
    try {
      const other = await probeTls(url, options(url, { ca: [sha1Pki.caCertPem] }));
      expect(other.facts.certificate).toMatchObject({ chainTrusted: true, hostnameMatches: true });
      const given = await probeTls(url, options(url, { ca: [pki.caCertPem] }));
      expect(given.facts.certificate?.chainTrusted).toBe(true);
      // The fallback is one more connection, only when the given CA did not anchor the chain.
      expect(other.facts.connections).toBe(given.facts.connections + 1);
      delete process.env.NODE_EXTRA_CA_CERTS;
      const neither = await probeTls(url, options(url, { ca: [sha1Pki.caCertPem] }));
      expect(neither.facts.certificate).toMatchObject({ chainTrusted: false, chainError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  }, 60000);
});

describe('TLS probe against openssl s_server', () => {
  it('TLS 1.0 only at security level 0', async () => {
    const url = await startOpensslServer(['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    const { facts } = await probeTls(url, options(url));
    expect(facts.protocols).toEqual({ SSLv3: false, TLSv1: true, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false });
    expect(facts.weakCiphers).toEqual([]);
    expect(facts.cbcSha1.every((c) => c.protocol === 'TLSv1')).toBe(true);
    expect(facts.cbcSha1.map((c) => c.openssl).sort()).toEqual(['AES128-SHA', 'AES256-SHA', 'DHE-RSA-AES128-SHA', 'DHE-RSA-AES256-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA']);
    await expectSslscanAgrees(url, facts);
  }, 60000);

  it('anonymous ECDH suite accepted next to an AEAD suite, TLS 1.3 off', async () => {
    const url = await startOpensslServer(['-no_tls1_3', '-cipher', 'AECDH-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
    const { facts } = await probeTls(url, options(url));
    expect(facts.protocols).toEqual({ SSLv3: false, TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': false });
    expect(facts.weakCiphers).toEqual([{ name: 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA', openssl: 'AECDH-AES128-SHA', protocol: 'TLSv1.2', reasons: ['anonymous'] }]);
    await expectSslscanAgrees(url, facts);
  }, 60000);
});

describe.skipIf(!HAVE_NGINX)('TLS probe against nginx (skipped when Debian nginx is absent; .ci/run installs it)', () => {
  let url: string;
  let plainUrl: string;
  beforeAll(async () => {
    const prefix = await mkdtemp(path.join(tmpdir(), 'jrt0185-nginx-'));
    const [tlsPort, plainPort] = [await freePort(), await freePort()];
    const conf = `daemon off;
master_process off;
error_log ${prefix}/error.log;
pid ${prefix}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  server_tokens off;
  server {
    listen 127.0.0.1:${plainPort};
    return 301 https://$host:${tlsPort}$request_uri;
  }
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${pki.serverCertFile};
    ssl_certificate_key ${pki.serverKeyFile};
    ssl_client_certificate ${pki.caCertFile};
    ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE+AESGCM;
    add_header Strict-Transport-Security "max-age=31536000" always;
    location / { return 200 '{"status":"ok"}'; }
  }
}
`;
    await writeFile(path.join(prefix, 'nginx.conf'), conf);
    const child = spawn('nginx', ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { stdio: 'ignore' });
    cleanups.push(async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => setTimeout(r, 100));
      await rm(prefix, { recursive: true, force: true });
    });
    await waitForPort(tlsPort);
    await waitForPort(plainPort);
    url = `https://127.0.0.1:${tlsPort}/api/v1/accounts`;
    plainUrl = `http://127.0.0.1:${plainPort}/api/v1/accounts`;
  }, 20000);

  it('ssl_verify_client on answers 400 "No required SSL certificate was sent"; port 80 redirects; HSTS', async () => {
    const { facts, requests } = await probeTls(url, options(url, { ca: [pki.caCertPem], plainHttpUrl: plainUrl }));
    expect(facts.protocols).toEqual({ SSLv3: false, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(facts.clientCertificate).toBe('required');
    expect(facts.clientCertificateSignal).toBe('HTTP 400 naming the missing certificate');
    expect(facts.httpsStatus).toBe(400);
    expect(facts.hsts).toBe('max-age=31536000');
    expect(facts.plainHttp).toEqual({ url: plainUrl, outcome: 'redirect-https', status: 301, location: url });
    expect(facts.httpRedirectsToHttps).toBe(true);
    expect(facts.certificate).toMatchObject({ chainTrusted: true, hostnameMatches: true });
    expect(requests).toBe(2);
    await expectSslscanAgrees(url, facts);
  }, 60000);
});

describe('hand-written ClientHello against a scripted server (what OpenSSL 3 cannot serve)', () => {
  /** Answers SSLv3 hellos with RC4-MD5, TLS 1.2 hellos offering 3DES with 3DES, anything else with an alert. */
  async function scriptedServer(): Promise<string> {
    const server = net.createServer((socket) => {
      let buf = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
        const hs = buf.subarray(5);
        const version = hs.readUInt16BE(4);
        let p = 4 + 2 + 32;
        p += 1 + hs[p]!;
        const n = hs.readUInt16BE(p) / 2;
        const offered = Array.from({ length: n }, (_, i) => hs.readUInt16BE(p + 2 + 2 * i));
        if (version !== 0x0300 && version !== 0x0303) {
          socket.end(Buffer.from([21, 3, 3, 0, 2, 2, 70])); // protocol_version
          return;
        }
        const pick = version === 0x0300 ? (offered.includes(0x0004) ? 0x0004 : undefined) : offered.includes(0x000a) ? 0x000a : undefined;
        if (pick === undefined) {
          socket.end(Buffer.from([21, 3, 3, 0, 2, 2, 40])); // handshake_failure
          return;
        }
        const body = Buffer.concat([Buffer.from([version >> 8, version & 0xff]), Buffer.alloc(32, 7), Buffer.from([0, pick >> 8, pick & 0xff, 0])]);
        const msg = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
        socket.end(Buffer.concat([Buffer.from([22, version >> 8, version & 0xff, 0, msg.length]), msg]));
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return `https://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
  }

  it('SSLv3 with RC4 and 3DES over TLS 1.2 are found; nothing is read from the failed node handshakes', async () => {
    const url = await scriptedServer();
    const { facts } = await probeTls(url, options(url));
    expect(facts.protocols).toEqual({ SSLv3: true, TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': false });
    expect(facts.weakCiphers).toEqual([{ name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DES-CBC3-SHA', protocol: 'TLSv1.2', reasons: ['3DES'] }]);
    expect(facts.certificate).toBeUndefined();
    expect(facts.negotiated).toBeUndefined();
  }, 30000);

  it('parses a ServerHello with supported_versions as TLS 1.3 and an alert as refusal', () => {
    const hello = buildClientHello({ version: 'TLSv1.3', suites: [0x1301], serverName: 'bank.example' });
    expect(hello[0]).toBe(22);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    const sh = Buffer.concat([Buffer.from([0x03, 0x03]), Buffer.alloc(32), Buffer.from([0, 0x13, 0x01, 0]), Buffer.from([0, 6, 0x00, 0x2b, 0, 2, 0x03, 0x04])]);
    const rec = Buffer.concat([Buffer.from([22, 3, 3, 0, sh.length + 4, 2, 0, 0, sh.length]), sh]);
    expect(parseServerFlight(rec, true)).toMatchObject({ outcome: 'server-hello', version: 0x0304, cipher: 0x1301 });
    expect(parseServerFlight(Buffer.from([21, 3, 3, 0, 2, 2, 70]), false)).toEqual({ outcome: 'alert', alert: { level: 2, description: 70 } });
    expect(parseServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), false)).toEqual({ outcome: 'not-tls' });
  });
});

if (!HAVE_SSLSCAN) {
  it.skip('sslscan comparison skipped: sslscan is not installed here (.ci/run installs it)', () => undefined);
}

describe('client-certificate demand, from the signals real servers give', () => {
  it.each([
    // [certificateRequested, what the GET without a certificate met, verdict, atHandshake]
    [undefined, { handshake: true, postHandshakeError: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' }, 'required', true], // TLS 1.3 (s_server -Verify 1)
    [true, { handshake: false, error: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' }, 'required', true], // TLS 1.2 OpenSSL
    [true, { handshake: false, error: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' }, 'required', true], // TLS 1.2, other stacks
    [true, { handshake: true, status: 400, body: '<center>No required SSL certificate was sent</center>' }, 'required', undefined], // nginx ssl_verify_client on
    [true, { handshake: true, status: 200, body: '{}' }, 'optional', undefined], // ssl_verify_client optional
    [false, { handshake: true, status: 200, body: '{}' }, 'none', undefined],
    [false, { handshake: false, error: 'timeout' }, 'unknown', undefined],
  ] as const)('%s / %j → %s', (requested, r, verdict, atHandshake) => {
    const c = classifyClientCertificate(requested, r);
    expect(c.verdict).toBe(verdict);
    expect(c.atHandshake).toBe(atHandshake);
  });
});
