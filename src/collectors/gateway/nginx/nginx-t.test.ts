/**
 * The parser's include resolution against Debian's `nginx -T`, which dumps every file it reads, in order.
 * nginx must accept the whole configuration to dump it, so each tree is built in a temp prefix: the fixture
 * tree with a generated certificate; the h5bp corpus files put back at the paths they have upstream
 * (`h5bp-h5bp__tls__policy_strict.conf` → `h5bp/tls/policy_strict.conf`) with empty stubs for the upstream
 * files the corpus does not hold; and every corpus file as it stands (only those nginx accepts are compared).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { parseNginx } from './parser.js';
import { buildH5bpTree, certInto } from './trees.test-helpers.js';

const FIXTURE = new URL('../__fixtures__/nginx-tree/', import.meta.url).pathname;
const CORPUS = '/work/shared/corpus/gateway/nginx';
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-nginx-t-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function nginxT(prefix: string, conf: string): { ok: boolean; files: string[]; stderr: string } {
  const r = spawnSync('nginx', ['-T', '-q', '-p', prefix, '-c', conf], { encoding: 'utf8', timeout: 20000 });
  const files = [...r.stdout.matchAll(/^# configuration file (.*):$/gm)].map((m) => m[1]!);
  return { ok: r.status === 0, files, stderr: r.stderr };
}


describe.skipIf(!hasNginx || !hasOpenssl)(`include resolution agrees with nginx -T${hasNginx ? '' : ' (skipped: nginx is not installed; apt-get install nginx-light)'}${hasOpenssl ? '' : ' (skipped: openssl is not installed)'}`, () => {
  it('fixture tree: globs (sorted, empty match allowed), nested includes, non-glob include', () => {
    const root = join(tmp, 'fixture');
    cpSync(FIXTURE, root, { recursive: true });
    certInto(join(root, 'certs'));
    mkdirSync(join(root, 'logs'), { recursive: true });
    const conf = join(root, 'nginx.conf');
    const t = nginxT(`${root}/`, conf);
    expect(t.stderr).toBe('');
    expect(t.ok).toBe(true);
    const ours = parseNginx(conf);
    expect(ours.files).toEqual(t.files);
    expect(ours.files.map((f) => f.slice(root.length + 1))).toEqual(['nginx.conf', 'mime.types', 'conf.d/10-api.conf', 'snippets/deny.conf', 'conf.d/20-legacy.conf']);
  });

  it('h5bp corpus files at their upstream paths, missing upstream files stubbed', () => {
    const root = join(tmp, 'h5bp');
    const conf = buildH5bpTree(root);
    const t = nginxT(`${root}/`, conf);
    expect(t.stderr).toBe('');
    const ours = parseNginx(conf);
    expect(ours.problems).toEqual([]);
    // nginx -T dumps a file once however often it is included, and so does the parser
    expect(ours.files).toEqual(t.files);
    expect(ours.files.length).toBeGreaterThan(12);
  });

  it('corpus files as they stand, or wrapped in http {} when they are fragments: the ones nginx accepts are read identically', () => {
    const accepted: string[] = [];
    const dir = join(tmp, 'corpus');
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(CORPUS).sort()) {
      // `user nginx;` names an account this machine lacks: comment it out (line numbers unchanged)
      const text = readFileSync(join(CORPUS, f), 'utf8').replace(/^(\s*)user\s[^;]*;/m, '$1#user;');
      const copy = join(dir, f);
      writeFileSync(copy, text);
      const wrapper = join(dir, `wrap-${f}`);
      writeFileSync(wrapper, `events {}\nhttp {\n  include ${copy};\n}\n`);
      for (const conf of [copy, wrapper]) {
        const t = nginxT(`${dir}/`, conf);
        if (!t.ok) continue;
        accepted.push(`${f}${conf === wrapper ? ' (in http {})' : ''}`);
        expect([...new Set(parseNginx(conf).files)]).toEqual(t.files);
        break;
      }
    }
    // the rest need NGINX Plus / njs modules, the F5 metrics module, or include files the corpus does not
    // hold (the h5bp tree above rebuilds those)
    expect(accepted).toMatchInlineSnapshot(`
      [
        "crossplane-messy-nginx.conf",
        "crossplane-ubuntu-default-sites-enabled-default.conf (in http {})",
        "h5bp-h5bp__security__server_software_information.conf (in http {})",
        "h5bp-h5bp__security__strict-transport-security.conf (in http {})",
        "h5bp-h5bp__tls__policy_balanced.conf (in http {})",
        "h5bp-h5bp__tls__policy_strict.conf (in http {})",
        "h5bp-h5bp__tls__ssl_engine.conf (in http {})",
      ]
    `);
  });

  it('syntax errors: same line as nginx -t', () => {
    const cases = [
      'events {}\nhttp {\n  server_tokens off\n',
      'events {}\nhttp {\n  server {\n  }\n',
      'events {}\nhttp {\n  server {\n    listen 80\n  }\n}\n',
      'events {}\n}\n',
      // a lost ";" before `server {`: the directive takes no block (it used to swallow the server silently)
      'events {}\nhttp {\n  server_tokens off\n  server {\n    listen 80;\n  }\n}\n',
      'events {}\nhttp {\n  server;\n}\n',
      'events {}\nhttp {\n  location / {\n  }\n}\n',
      'events {}\nhttp {\n  server {\n    root /srv\n    index index.html;\n  }\n}\n',
      'events {}\nhttp {\n  map $a $b {\n    default 0\n    x 1;\n  }\n}\n',
    ];
    cases.forEach((text, i) => {
      const conf = join(tmp, `broken-${i}.conf`);
      writeFileSync(conf, text);
      const t = spawnSync('nginx', ['-t', '-q', '-p', `${tmp}/`, '-c', conf], { encoding: 'utf8' });
      const nginxLine = Number(/:(\d+)\s*$/m.exec(t.stderr)?.[1]);
      let ours: number | undefined;
      try {
        parseNginx(conf);
      } catch (e) {
        ours = (e as InputError).line;
      }
      expect(ours, `${text} → ${t.stderr}`).toBe(nginxLine);
    });
  });
});

it('the fixture tree exists where the nginx -T comparison expects it', () => {
  expect(existsSync(join(FIXTURE, 'nginx.conf'))).toBe(true);
});
