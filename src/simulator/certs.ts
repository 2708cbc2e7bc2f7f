/**
 * Test-only PKI, generated with the `openssl` binary into a fresh temporary directory each time the simulator
 * or a test starts: a CA, a server certificate for 127.0.0.1/localhost and a client certificate for the
 * application party. Nothing is committed, so nothing that looks like a real secret ever sits in the tree.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  dir: string;
  caCertPem: string;
  caCertFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertFile: string;
  clientKeyFile: string;
  clientCertPem: string;
  clientKeyPem: string;
}

export interface PkiOptions {
  /** Digest the CA signs the server certificate with (sha256 by default; sha1 to plant a weak signature). */
  serverDigest?: 'sha256' | 'sha1' | 'sha384';
  serverKeyBits?: number;
  /** Days the server certificate is valid. */
  serverDays?: number;
  serverCommonName?: string;
  subjectAltName?: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

export async function generatePki(opts: PkiOptions = {}): Promise<TestPki> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jrt0185-pki-'));
  const san = opts.subjectAltName ?? 'IP:127.0.0.1,DNS:localhost';
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=jrt0185 test CA/O=jrt0185 simulator', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  await writeFile(path.join(dir, 'server.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await writeFile(path.join(dir, 'client.ext'), `basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n`);
  await openssl(['req', '-newkey', `rsa:${opts.serverKeyBits ?? 2048}`, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${opts.serverCommonName ?? 'localhost'}/O=jrt0185 simulator bank`], dir);
  const days = opts.serverDays ?? 30;
  const sign = ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', `-${opts.serverDigest ?? 'sha256'}`, '-extfile', 'server.ext'];
  await openssl([...sign, '-days', String(days)], dir);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=app-party-demo/O=jrt0185 simulator app'], dir);
  await openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '30', '-sha256', '-extfile', 'client.ext'], dir);
  const f = (n: string) => path.join(dir, n);
  const r = (n: string) => readFile(f(n), 'utf8');
  return {
    dir,
    caCertFile: f('ca.pem'),
    caCertPem: await r('ca.pem'),
    serverCertFile: f('server.pem'),
    serverKeyFile: f('server.key'),
    serverCertPem: await r('server.pem'),
    serverKeyPem: await r('server.key'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    clientCertPem: await r('client.pem'),
    clientKeyPem: await r('client.key'),
  };
}
