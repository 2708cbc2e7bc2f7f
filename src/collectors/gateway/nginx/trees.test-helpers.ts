/**
 * Real nginx configuration trees that Debian's nginx accepts, built in a temp directory for the tests that use
 * `nginx -t` / `nginx -T` as their oracle: the h5bp/server-configs-nginx corpus files put back at their upstream
 * paths (`h5bp-h5bp__tls__policy_strict.conf` → `h5bp/tls/policy_strict.conf`), the files the corpus does not hold
 * stubbed empty, and a generated certificate where h5bp expects one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseNginx } from './parser.js';

export const NGINX_CORPUS = new URL('../../../../../shared/corpus/gateway/nginx/', import.meta.url).pathname;

/** A self-signed certificate and key (`api.crt`, `api.key`) in `dir`. */
export function certInto(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=api.bank.example', '-keyout', join(dir, 'api.key'), '-out', join(dir, 'api.crt')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
}

/** The h5bp tree under `root`, with one of each conf.d template enabled; returns the main nginx.conf. */
export function buildH5bpTree(root: string): string {
  mkdirSync(root, { recursive: true });
  for (const f of readdirSync(NGINX_CORPUS).filter((n) => n.startsWith('h5bp-'))) {
    const rel = f === 'h5bp-nginx.conf' ? 'nginx.conf' : f.slice('h5bp-'.length).replace(/__/g, '/');
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(join(NGINX_CORPUS, f), join(root, rel));
  }
  // the templates are meant to be copied into conf.d/ (h5bp's README); do so with one of each
  copyFileSync(join(root, 'conf.d/templates/example.com.conf'), join(root, 'conf.d/example.com.conf'));
  copyFileSync(join(root, 'conf.d/templates/no-ssl.example.com.conf'), join(root, 'conf.d/no-ssl.example.com.conf'));
  certInto(join(root, 'certs'));
  const conf = join(root, 'nginx.conf');
  // stub what the corpus does not hold, until nothing is missing (stubs are empty, certificate_files gets the cert)
  for (let round = 0; round < 5; round++) {
    const missing = parseNginx(conf).problems.map((p) => /^include (.*): file not found/.exec(p.message)?.[1]).filter((x): x is string => !!x);
    if (!missing.length) break;
    for (const m of missing) {
      mkdirSync(dirname(m), { recursive: true });
      writeFileSync(m, m.endsWith('certificate_files.conf') ? `ssl_certificate ${root}/certs/api.crt;\nssl_certificate_key ${root}/certs/api.key;\n` : '');
    }
  }
  return conf;
}
