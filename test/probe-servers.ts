/**
 * Real TLS servers for the probe tests, started on 127.0.0.1 (free ports) and stopped by the test that starts them:
 * Debian's `openssl s_server` and `nginx`, with certificates made by the `openssl` binary in a temp folder. Also the
 * ground truth: `openssl s_client` and `sslscan` run against the same server.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from '../src/collectors/probe/testing.js';

export { freePort, waitForPort, which } from '../src/collectors/probe/testing.js';

const run = promisify(execFile);

/** Processes and folders this test run started: stopped and removed, by their own handle, at the end. */
export class Lab {
  readonly cleanups: (() => Promise<unknown> | void)[] = [];
  dir = '';

  async init(): Promise<void> {
    this.dir = await mkdtemp(path.join(tmpdir(), 'jrt0185-tls-matrix-'));
  }

  async close(): Promise<void> {
    for (const c of this.cleanups.reverse()) await c();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  async openssl(args: string[]): Promise<string> {
    const { stdout } = await run('openssl', args, { cwd: this.dir });
    return stdout;
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** A CA (RSA 2048, SHA-256), made once per lab. */
  async ca(): Promise<void> {
    await this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=jrt0185 matrix CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await writeFile(this.file('index.txt'), '');
    await writeFile(this.file('serial'), '1000\n');
  }

  /**
   * A server certificate issued by the lab CA with `openssl ca` (the one OpenSSL 3.0 tool that sets arbitrary
   * validity dates). key: 'rsa:N' or 'ed25519'. Dates as YYYYMMDDHHMMSSZ.
   */
  async issue(name: string, o: { key?: string; md?: string; start?: string; end?: string; san?: string; cn?: string } = {}): Promise<{ cert: string; key: string }> {
    const key = o.key ?? 'rsa:2048';
    if (key === 'ed25519') await this.openssl(['genpkey', '-algorithm', 'ed25519', '-out', `${name}.key`]);
    else await this.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${key.split(':')[1]}`, '-out', `${name}.key`]);
    await this.openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${o.cn ?? 'localhost'}`]);
    await writeFile(
      this.file(`${name}.cnf`),
      `[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = ./index.txt\nnew_certs_dir = .\nserial = ./serial\npolicy = p\nunique_subject = no\n[ p ]\ncommonName = supplied\n[ ext ]\nsubjectAltName = ${o.san ?? 'IP:127.0.0.1,DNS:localhost'}\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n`,
    );
    const now = new Date();
    const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
    await this.openssl([
      'ca', '-batch', '-config', `${name}.cnf`, '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext', '-extensions', 'ext',
      '-md', o.md ?? (key === 'ed25519' ? 'default' : 'sha256'),
      '-startdate', o.start ?? stamp(new Date(now.getTime() - 86400_000)),
      '-enddate', o.end ?? stamp(new Date(now.getTime() + 30 * 86400_000)),
    ]);
    return { cert: this.file(`${name}.pem`), key: this.file(`${name}.key`) };
  }

  async selfSigned(name: string): Promise<{ cert: string; key: string }> {
    await this.openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
    return { cert: this.file(`${name}.pem`), key: this.file(`${name}.key`) };
  }

  /** `openssl s_server -www` (single-threaded: one connection at a time), stopped by its pid at the end. */
  async sServer(cert: { cert: string; key: string }, args: string[]): Promise<{ url: string; port: number }> {
    const port = await freePort();
    const child: ChildProcess = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.cert, '-key', cert.key, '-www', '-quiet', ...args], { stdio: 'ignore', cwd: this.dir });
    this.cleanups.push(() => {
      child.kill();
    });
    await waitForPort(port);
    return { url: `https://127.0.0.1:${port}/`, port };
  }

  /** Debian nginx in the foreground, one process, with `servers` as its http{} body ({{PREFIX}} = its folder). */
  async nginx(name: string, servers: (ports: number[]) => string, portCount: number): Promise<number[]> {
    const prefix = this.file(`nginx-${name}`);
    await mkdir(prefix, { recursive: true });
    const ports = await Promise.all(Array.from({ length: portCount }, () => freePort()));
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
${servers(ports)}
}
`;
    await writeFile(path.join(prefix, 'nginx.conf'), conf);
    const child = spawn('nginx', ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { stdio: 'ignore' });
    this.cleanups.push(async () => {
      child.kill('SIGQUIT');
      await new Promise((r) => setTimeout(r, 100));
    });
    for (const p of ports) await waitForPort(p);
    return ports;
  }
}

export interface SClientResult {
  /** A handshake completed (s_client printed a protocol and a cipher other than "(NONE)"). */
  handshake: boolean;
  protocol?: string;
  cipher?: string;
  verifyCode?: number;
  /** The server sent a CertificateRequest (from the -msg trace). */
  certificateRequested: boolean;
  alert?: string;
  serverTempKey?: string;
  publicKeyBits?: number;
  /** What the server answered to the request written on stdin, if any. */
  response: string;
  text: string;
}

/** `openssl s_client` as ground truth: the same handshake a person would run by hand. */
export async function sClient(port: number, args: string[] = [], request = ''): Promise<SClientResult> {
  const text = await new Promise<string>((resolve) => {
    // -msg: every handshake message by name, so a CertificateRequest is seen as such (the "client certificate CA
    // names" summary line is printed whether or not one came).
    // -ign_eof only with a request: it keeps s_client reading until the server answers and closes; without one,
    // the end of stdin ends s_client right after the handshake (s_server is single-threaded: nothing may linger).
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...(request ? ['-ign_eof'] : []), '-msg', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill(), 5000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.stdin.end(request);
  });
  const m = (re: RegExp) => re.exec(text)?.[1];
  const protocol = m(/^\s*Protocol\s*:\s*(\S+)/m) ?? m(/^New, (TLSv[\d.]+),/m);
  const cipher = m(/Cipher is (\S+)/);
  const verify = m(/Verify return code: (\d+)/);
  return {
    handshake: cipher !== undefined && cipher !== '(NONE)',
    protocol,
    cipher,
    verifyCode: verify === undefined ? undefined : Number(verify),
    certificateRequested: /<<< [^\n]*CertificateRequest/.test(text),
    alert: m(/alert ([a-z ]+?):/) ?? m(/alert ([a-z ]+)\b/),
    serverTempKey: m(/Server Temp Key: ([^\n]+)/),
    publicKeyBits: Number(m(/Server public key is (\d+) bit/) ?? NaN),
    response: text.slice(text.indexOf('HTTP/') >= 0 ? text.indexOf('HTTP/') : text.length),
    text,
  };
}

export interface SslscanResult {
  protocols: Record<string, boolean>;
  ciphers: Set<string>;
}

export async function sslscan(port: number): Promise<SslscanResult> {
  const { stdout } = await run('sslscan', ['--no-colour', '--no-heartbleed', '--no-compression', '--no-fallback', '--no-renegotiation', '--no-groups', '--no-check-certificate', `127.0.0.1:${port}`], { timeout: 60000 });
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
