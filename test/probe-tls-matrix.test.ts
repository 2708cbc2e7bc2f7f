/**
 * The TLS matrix (issue 12): `jrt0185 probe` against real servers nobody in this project wrote — Debian's
 * `openssl s_server` and `nginx`, started here on 127.0.0.1 with certificates made here by `openssl` — each set-up
 * checked against `openssl s_client` (ground truth, run in the same test) and against `sslscan` where sslscan is
 * right. Every set-up must give a report (exit 0 or 1), never exit 2 or 3, with verdicts that agree with s_client.
 *
 * What OpenSSL 3.0 on this machine cannot serve without help: TLS 1.0/1.1, RSA-1024, SHA-1 signatures, NULL and
 * anonymous suites all need `-cipher …@SECLEVEL=0` on the server; SSLv3, RC4, DES/3DES and EXPORT are not built in
 * at all (those are covered by the scripted raw-socket server in src/collectors/probe/tls.test.ts).
 *
 * Where sslscan is wrong: it completes each handshake to list a suite, so against a server that demands a client
 * certificate at the handshake (s_server -Verify 1) it lists no suites at all; only its protocol list is compared
 * there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { Lab, sClient, sslscan, which, type SslscanResult } from './probe-servers.js';
import { CBC_SHA1_SUITES, CIPHER_SUITES, WEAK_SUITES } from '../src/collectors/probe/clienthello.js';

const HAVE = which('openssl') && which('nginx') && which('sslscan');
const lab = new Lab();

interface Report {
  code: number;
  stdout: string;
  evidence: { probe: string; facts: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  requirements: { ruleId: string; status: string }[];
  findings: { ruleId: string; check?: string; status: string; messageId?: string; message: { en: string } }[];
}

/** `jrt0185 probe URL --ca … --format text,json --out DIR`, in-process, as a user would run it. */
async function probe(url: string, extra: string[] = []): Promise<Report> {
  const out = mkdtempSync(join(tmpdir(), 'jrt-matrix-out-'));
  // A 2 s deadline: s_server -www never answers a POST, and the test need not wait the default 5 s for it.
  const r = await runCli(['probe', url, '--ca', lab.file('ca.pem'), '--timeout', '2000', '--format', 'text,json', '--out', out, '--lang', 'en', ...extra]);
  expect([0, 1], `exit code for ${url}: ${r.stderr}`).toContain(r.code);
  const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
  const evidence = JSON.parse(readFileSync(join(out, 'jrt0185-probe-evidence.json'), 'utf8'));
  return { code: r.code, stdout: r.stdout, evidence, requirements: result.requirements, findings: result.findings };
}

const tlsOf = (r: Report) => r.evidence.find((e) => e.probe === 'tls')!.facts;
const statusOf = (r: Report, ruleId: string) => r.requirements.find((q) => q.ruleId === ruleId)?.status;
const finding = (r: Report, messageId: string) => r.findings.find((f) => f.messageId === messageId);

/** Our protocols, and (when `ciphers`) our weak + CBC-SHA1 suites, equal sslscan's. */
function expectSslscanAgrees(facts: Record<string, any>, s: SslscanResult, ciphers = true): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const p of ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']) expect(facts.protocols[p], `${p} vs sslscan`).toBe(s.protocols[p]);
  if (!ciphers) return;
  const known = new Set([...WEAK_SUITES, ...CBC_SHA1_SUITES].map((c) => CIPHER_SUITES.get(c)!.openssl));
  const theirs = [...s.ciphers].filter((c) => known.has(c)).sort();
  const ours = [...facts.weakCiphers.map((c: { openssl: string }) => c.openssl), ...facts.cbcSha1.map((c: { openssl: string }) => c.openssl)].sort();
  expect(ours).toEqual(theirs);
}

beforeAll(async () => {
  if (!HAVE) return;
  await lab.init();
  await lab.ca();
}, 60_000);
afterAll(async () => {
  await lab.close();
});

describe.skipIf(!HAVE)('TLS matrix: openssl s_server and nginx, checked against s_client and sslscan', () => {
  it('1 legacy protocols: TLS 1.0 and 1.1 only (SECLEVEL=0)', async () => {
    const cert = await lab.issue('legacy');
    const { url, port } = await lab.sServer(cert, ['-no_tls1_2', '-no_tls1_3', '-cipher', 'DEFAULT@SECLEVEL=0']);
    // One s_client at a time: s_server serves one connection at a time.
    const t10 = await sClient(port, ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    const t12 = await sClient(port, ['-tls1_2']);
    expect(t10.handshake).toBe(true);
    expect(t12.handshake).toBe(false);
    const r = await probe(url);
    expect(tlsOf(r).protocols).toEqual({ SSLv3: false, TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': false, 'TLSv1.3': false });
    // The TLS 1.2 certificate-request hello is refused by this server; its retry in TLS 1.1 reads the answer.
    expect(tlsOf(r)).toMatchObject({ clientCertificate: 'none', enumeration: 'complete' });
    expect((await sClient(port, ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'])).certificateRequested).toBe(false);
    expect(statusOf(r, 'tls-minimum-version')).toBe('fail');
    expect(r.code).toBe(1);
    expectSslscanAgrees(tlsOf(r), await sslscan(port));
  });

  it('2 CBC-SHA1 suite next to an AEAD suite (TLS 1.2)', async () => {
    const cert = await lab.issue('cbc');
    const { url, port } = await lab.sServer(cert, ['-no_tls1_3', '-no_tls1', '-no_tls1_1', '-cipher', 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256']);
    expect((await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA'])).cipher).toBe('ECDHE-RSA-AES128-SHA');
    const r = await probe(url);
    expect(tlsOf(r).cbcSha1.map((c: { openssl: string }) => c.openssl)).toEqual(['ECDHE-RSA-AES128-SHA']);
    expect(tlsOf(r).weakCiphers).toEqual([]);
    expect(finding(r, 'cbcSha1')?.status).toBe('warn');
    expectSslscanAgrees(tlsOf(r), await sslscan(port));
  });

  it('3 NULL and anonymous suites (SECLEVEL=0)', async () => {
    const cert = await lab.issue('null');
    const { url, port } = await lab.sServer(cert, ['-no_tls1_3', '-cipher', 'NULL-SHA:AECDH-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
    const nul = await sClient(port, ['-tls1_2', '-cipher', 'NULL-SHA@SECLEVEL=0']);
    const anon = await sClient(port, ['-tls1_2', '-cipher', 'AECDH-AES128-SHA@SECLEVEL=0']);
    expect(nul.cipher).toBe('NULL-SHA');
    expect(anon.cipher).toBe('AECDH-AES128-SHA');
    const r = await probe(url);
    expect(tlsOf(r).weakCiphers.map((c: { openssl: string }) => c.openssl).sort()).toEqual(['AECDH-AES128-SHA', 'NULL-SHA']);
    expect(statusOf(r, 'approved-cryptography')).toBe('fail');
    expectSslscanAgrees(tlsOf(r), await sslscan(port));
  });

  it('4 RSA-1024 server key', async () => {
    const cert = await lab.issue('rsa1024', { key: 'rsa:1024' });
    const { url, port } = await lab.sServer(cert, ['-cipher', 'DEFAULT@SECLEVEL=0']);
    expect((await sClient(port, ['-cipher', 'DEFAULT@SECLEVEL=0'])).publicKeyBits).toBe(1024);
    const r = await probe(url);
    expect(tlsOf(r).certificate).toMatchObject({ keyType: 'rsa', keyBits: 1024 });
    expect(finding(r, 'weakKey')?.message.en).toContain('rsa 1024 bits');
    expectSslscanAgrees(tlsOf(r), await sslscan(port));
  });

  it('5 certificate signed with SHA-1', async () => {
    const cert = await lab.issue('sha1', { md: 'sha1' });
    const { url, port } = await lab.sServer(cert, ['-cipher', 'DEFAULT@SECLEVEL=0']);
    const s = await sClient(port, ['-cipher', 'DEFAULT@SECLEVEL=0', '-CAfile', lab.file('ca.pem'), '-auth_level', '0']);
    expect(s.handshake).toBe(true);
    expect(await lab.openssl(['x509', '-in', cert.cert, '-noout', '-text'])).toContain('Signature Algorithm: sha1WithRSAEncryption');
    const r = await probe(url);
    expect(tlsOf(r).certificate.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    expect(finding(r, 'weakSignature')?.status).toBe('fail');
  });

  it('6 expired certificate', async () => {
    const cert = await lab.issue('expired', { start: '20200101000000Z', end: '20210101000000Z' });
    const { url, port } = await lab.sServer(cert, []);
    expect((await sClient(port, ['-CAfile', lab.file('ca.pem')])).verifyCode).toBe(10); // certificate has expired
    const r = await probe(url);
    expect(finding(r, 'expired')?.message.en).toContain('expired on 2021-01-01');
    expect(finding(r, 'notYetValid')).toBeUndefined();
    expect(statusOf(r, 'secure-channel-transport')).toBe('fail');
  });

  it('7 certificate not yet valid', async () => {
    const cert = await lab.issue('future', { start: '20400101000000Z', end: '20410101000000Z' });
    const { url, port } = await lab.sServer(cert, []);
    expect((await sClient(port, ['-CAfile', lab.file('ca.pem')])).verifyCode).toBe(9); // certificate is not yet valid
    const r = await probe(url);
    expect(finding(r, 'notYetValid')?.message.en).toContain('not valid before 2040-01-01');
    expect(finding(r, 'expired')).toBeUndefined();
  });

  it('8 host name mismatch is reported apart from chain trust', async () => {
    const cert = await lab.issue('mismatch', { san: 'DNS:other.example', cn: 'other.example' });
    const { url, port } = await lab.sServer(cert, []);
    expect((await sClient(port, ['-CAfile', lab.file('ca.pem')])).verifyCode).toBe(0); // the chain is fine
    expect((await sClient(port, ['-CAfile', lab.file('ca.pem'), '-verify_ip', '127.0.0.1'])).verifyCode).toBe(64); // IP address mismatch
    const r = await probe(url);
    expect(tlsOf(r).certificate).toMatchObject({ hostnameMatches: false, chainTrusted: true });
    expect(finding(r, 'hostnameMismatch')?.status).toBe('fail');
    expect(finding(r, 'untrustedChain')).toBeUndefined();
  });

  it('9 self-signed certificate: untrusted chain, matching host', async () => {
    const cert = await lab.selfSigned('self');
    const { url, port } = await lab.sServer(cert, []);
    expect((await sClient(port, ['-CAfile', lab.file('ca.pem')])).verifyCode).toBe(18); // self-signed certificate
    const r = await probe(url);
    expect(tlsOf(r).certificate).toMatchObject({ hostnameMatches: true, chainTrusted: false, chainError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(finding(r, 'untrustedChain')?.status).toBe('fail');
    expect(finding(r, 'hostnameMismatch')).toBeUndefined();
  });

  it('10 Ed25519 certificate: its CBC-SHA1 suite is seen, enumeration is complete', async () => {
    const cert = await lab.issue('ed', { key: 'ed25519' });
    const { url, port } = await lab.sServer(cert, ['-cipher', 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256']);
    const s = await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA']);
    expect(s.cipher).toBe('ECDHE-ECDSA-AES128-SHA');
    const r = await probe(url);
    const f = tlsOf(r);
    expect(f.certificate).toMatchObject({ keyType: 'ed25519', keyBits: 256, signatureAlgorithm: 'sha256WithRSAEncryption' }); // issued by the RSA lab CA
    expect(f.enumeration).toBe('complete');
    expect(f.cbcSha1.map((c: { openssl: string }) => c.openssl)).toEqual(['ECDHE-ECDSA-AES128-SHA']);
    expectSslscanAgrees(f, await sslscan(port));
  });

  it('11 mTLS required at the TLS 1.2 handshake (s_server -Verify 1): demanded, HTTP probes skipped with the reason', async () => {
    const cert = await lab.issue('mtls12');
    const { url, port } = await lab.sServer(cert, ['-Verify', '1', '-CAfile', lab.file('ca.pem'), '-tls1_2']);
    const s = await sClient(port, [], 'GET / HTTP/1.0\r\n\r\n');
    expect(s.certificateRequested).toBe(true);
    expect(s.text).toMatch(/alert handshake failure/);
    const r = await probe(url);
    expect(tlsOf(r)).toMatchObject({ clientCertificate: 'required', clientCertificateAtHandshake: true });
    expect(statusOf(r, 'a2-mutual-authentication')).toBe('pass');
    const http = r.evidence.find((e) => e.probe === 'http')!.facts;
    expect(http.skipped).toMatch(/demands a client certificate at the TLS handshake/);
    expect(http.unauthenticated).toEqual([{ operation: 'GET /', rejected: true, refusal: 'handshake' }]);
    expect(r.stdout).toContain('skipped:');
    // sslscan is wrong here: it lists no suites for a server that demands a certificate. Protocols agree.
    const scan = await sslscan(port);
    expect(scan.ciphers.size).toBe(0);
    expectSslscanAgrees(tlsOf(r), scan, false);
  });

  it('12 mTLS required at the TLS 1.3 handshake: certificate_required alert', async () => {
    const cert = await lab.issue('mtls13');
    const { url, port } = await lab.sServer(cert, ['-Verify', '1', '-CAfile', lab.file('ca.pem'), '-tls1_3']);
    const s = await sClient(port, [], 'GET / HTTP/1.0\r\n\r\n');
    expect(s.text).toMatch(/alert certificate required/);
    const r = await probe(url);
    expect(tlsOf(r)).toMatchObject({ clientCertificate: 'required', clientCertificateAtHandshake: true, protocols: { 'TLSv1.3': true, 'TLSv1.2': false } });
    expect(tlsOf(r).clientCertificateSignal).toMatch(/certificate_required/i);
    expect(statusOf(r, 'a2-mutual-authentication')).toBe('pass');
    expectSslscanAgrees(tlsOf(r), await sslscan(port), false);
  });

  describe('nginx', () => {
    let ports: number[];
    beforeAll(async () => {
      const cert = await lab.issue('nginx');
      ports = await lab.nginx(
        'main',
        ([optional, plain, hsts, zero]) => `
  server {
    listen 127.0.0.1:${optional} ssl;
    ssl_certificate ${cert.cert}; ssl_certificate_key ${cert.key};
    ssl_client_certificate ${lab.file('ca.pem')};
    ssl_verify_client optional;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 '{"status":"ok"}'; }
  }
  server {
    listen 127.0.0.1:${plain};
    return 301 https://$host:${hsts}$request_uri;
  }
  server {
    listen 127.0.0.1:${hsts} ssl;
    ssl_certificate ${cert.cert}; ssl_certificate_key ${cert.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    location / { return 401 '{"code":"UNAUTHENTICATED"}'; }
  }
  server {
    listen 127.0.0.1:${zero} ssl;
    ssl_certificate ${cert.cert}; ssl_certificate_key ${cert.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    add_header Strict-Transport-Security "max-age=0" always;
    # The probe's malformed requests (a broken-JSON POST, a query of SQL metacharacters) are dropped unanswered.
    location / {
      if ($request_method = POST) { return 444; }
      if ($args) { return 444; }
      return 200 '{"status":"ok"}';
    }
  }
`,
        4,
      );
    }, 60_000);

    it('13 mTLS optional (ssl_verify_client optional): requested, not demanded', async () => {
      const port = ports[0]!;
      const s = await sClient(port, [], 'GET / HTTP/1.0\r\n\r\n');
      expect(s.certificateRequested).toBe(true);
      expect(s.response).toMatch(/^HTTP\/1\.1 200/);
      const r = await probe(`https://127.0.0.1:${port}/`);
      expect(tlsOf(r).clientCertificate).toBe('optional');
      expect(statusOf(r, 'a2-mutual-authentication')).toBe('fail');
      expectSslscanAgrees(tlsOf(r), await sslscan(port));
    });

    it('14 plain HTTP redirects to HTTPS, HSTS on the HTTPS answers', async () => {
      const [, plain, hsts] = ports as [number, number, number, number];
      const s = await sClient(hsts, [], 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
      expect(s.response).toMatch(/Strict-Transport-Security: max-age=31536000; includeSubDomains/);
      // A plain-HTTP port other than 80 is named in a probe config.
      const dir = mkdtempSync(join(tmpdir(), 'jrt-matrix-cfg-'));
      const config = join(dir, 'probe.yaml');
      writeFileSync(config, `version: 1\ntargets:\n  - name: nginx\n    url: https://127.0.0.1:${hsts}/\n    plainHttpUrl: http://127.0.0.1:${plain}/\n    caFile: { fileEnv: MATRIX_CA }\n`);
      const out = mkdtempSync(join(tmpdir(), 'jrt-matrix-out-'));
      const run = await runCli(['probe', '--config', config, '--format', 'json', '--out', out], { MATRIX_CA: lab.file('ca.pem') });
      expect([0, 1]).toContain(run.code);
      const evidence = JSON.parse(readFileSync(join(out, 'jrt0185-probe-evidence.json'), 'utf8'));
      const tls = evidence.find((e: { probe: string }) => e.probe === 'tls').facts;
      expect(tls.plainHttp).toEqual({ url: `http://127.0.0.1:${plain}/`, outcome: 'redirect-https', status: 301, location: `https://127.0.0.1:${hsts}/` });
      expect(tls.hsts).toBe('max-age=31536000; includeSubDomains');
      const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
      expect(result.requirements.find((q: { ruleId: string }) => q.ruleId === 'secure-channel-transport').status).toBe('pass');
    });

    it('15 HSTS max-age=0 warns; a 444 (connection closed unanswered) is a refusal, not a crash', async () => {
      const port = ports[3]!;
      const s = await sClient(port, [], 'GET / HTTP/1.0\r\n\r\n');
      expect(s.handshake).toBe(true);
      expect(s.response).toMatch(/Strict-Transport-Security: max-age=0/);
      const dropped = await sClient(port, [], 'GET /?id=1 HTTP/1.0\r\n\r\n');
      expect(dropped.handshake).toBe(true);
      expect(dropped.response).toBe(''); // 444: nginx closes without a word
      const r = await probe(`https://127.0.0.1:${port}/`);
      expect(finding(r, 'hstsDisabled')?.status).toBe('warn');
      const http = r.evidence.find((e) => e.probe === 'http')!.facts;
      expect(http.errorResponses.map((e: { closed?: boolean }) => e.closed)).toEqual([true, true]);
    });
  });

  it('16 DHE with a 1024-bit group fails; s_client sees the same group', async () => {
    const cert = await lab.issue('dhe');
    await lab.openssl(['dhparam', '-out', 'dh1024.pem', '1024']);
    const { url, port } = await lab.sServer(cert, ['-no_tls1_3', '-dhparam', lab.file('dh1024.pem'), '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0']);
    expect((await sClient(port, ['-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256@SECLEVEL=0'])).serverTempKey).toBe('DH, 1024 bits');
    const r = await probe(url);
    expect(tlsOf(r).dhe).toEqual({ cipher: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', bits: 1024 });
    expect(finding(r, 'weakDhe')?.status).toBe('fail');
  });

  it('17 openssl s_server -www, single-threaded, gives a report (it never answers the malformed POST)', async () => {
    const cert = await lab.issue('www');
    const { url, port } = await lab.sServer(cert, []);
    expect((await sClient(port, [], 'GET / HTTP/1.0\r\n\r\n')).response).toMatch(/^HTTP\/1\.0 200 ok/);
    const r = await probe(url);
    expect(tlsOf(r).protocols['TLSv1.2']).toBe(true);
    expect(r.stdout).toContain('tls-minimum-version');
    // Every malformed request got an outcome of its own: an answer, or the reason it got none.
    const http = r.evidence.find((e) => e.probe === 'http')!.facts;
    expect(http.errorResponses).toHaveLength(2);
    for (const e of http.errorResponses) expect(e.status !== undefined || typeof e.error === 'string').toBe(true);
  });
});

if (!HAVE) it.skip('TLS matrix skipped: needs openssl, nginx and sslscan (.ci/run installs them)', () => undefined);
