/**
 * Mutated copies of real nginx configurations against Debian's `nginx -t` as the oracle. The rule: whenever nginx
 * rejects a configuration, the reader rejects it (InputError naming file and line) or warns with a problem that
 * hides evidence (so no rule checked on it can pass). Mutations: drop one `;`, drop one `{`, drop one `}`, add a
 * `}` after a directive. Sources: the fixture tree (written for this project), crossplane's "messy" config
 * and with-comments test config (nginxinc/nginx-go-crossplane), Ubuntu's default site and h5bp's TLS/HSTS snippets (see the corpus MANIFEST).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { collectGateway } from '../index.js';
import { buildH5bpTree, certInto, NGINX_CORPUS as CORPUS } from './trees.test-helpers.js';

const FIXTURE = new URL('../__fixtures__/nginx-tree/', import.meta.url).pathname;
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-nginx-mut-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Positions of a character outside comments (a `#` where a word starts, to the end of the line). */
function positions(text: string, ch: string): number[] {
  const out: number[] = [];
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') comment = false;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (!comment && c === ch) out.push(i);
  }
  return out;
}

/** At most `n` evenly spread items (the mutation count stays bounded on a large file). */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

function mutants(text: string): { what: string; text: string }[] {
  const out: { what: string; text: string }[] = [];
  const line = (i: number) => text.slice(0, i).split('\n').length;
  for (const i of spread(positions(text, ';'), 40)) out.push({ what: `drop ";" on line ${line(i)}`, text: text.slice(0, i) + text.slice(i + 1) });
  for (const i of positions(text, '{')) out.push({ what: `drop "{" on line ${line(i)}`, text: text.slice(0, i) + text.slice(i + 1) });
  for (const i of positions(text, '}')) out.push({ what: `drop "}" on line ${line(i)}`, text: text.slice(0, i) + text.slice(i + 1) });
  for (const i of spread(positions(text, ';'), 12)) out.push({ what: `add "}" after line ${line(i)}`, text: `${text.slice(0, i + 1)} }${text.slice(i + 1)}` });
  return out;
}

function nginxAccepts(prefix: string, conf: string): { ok: boolean; stderr: string } {
  const r = spawnSync('nginx', ['-t', '-q', '-p', `${prefix}/`, '-c', conf], { encoding: 'utf8', timeout: 20000 });
  return { ok: r.status === 0, stderr: r.stderr };
}

/** What the reader says: rejected, warned (a problem that hides evidence) or read cleanly. */
async function reader(conf: string, prefix: string): Promise<'rejected' | 'warned' | 'clean'> {
  try {
    const ev = await collectGateway(conf, { format: 'nginx', prefix });
    return ev.problems.some((p) => p.hidesEvidence) ? 'warned' : 'clean';
  } catch (e) {
    if (e instanceof InputError) return 'rejected';
    throw e;
  }
}

interface Case {
  name: string;
  /** Builds the tree in `dir`; returns the main config and the file to mutate. */
  build(dir: string): { conf: string; target: string };
}


function wrapped(corpusFile: string): Case {
  return {
    name: corpusFile,
    build(dir) {
      const target = join(dir, corpusFile);
      writeFileSync(target, readFileSync(join(CORPUS, corpusFile), 'utf8'));
      const conf = join(dir, 'nginx.conf');
      writeFileSync(conf, `events {}\nhttp {\n  include ${target};\n  server { listen 127.0.0.1:18080; location / { return 204; } }\n}\n`);
      return { conf, target };
    },
  };
}

const CASES: Case[] = [
  {
    name: 'fixture nginx.conf',
    build(dir) {
      cpSync(FIXTURE, dir, { recursive: true });
      certInto(join(dir, 'certs'));
      mkdirSync(join(dir, 'logs'), { recursive: true });
      return { conf: join(dir, 'nginx.conf'), target: join(dir, 'nginx.conf') };
    },
  },
  {
    name: 'fixture conf.d/10-api.conf',
    build(dir) {
      cpSync(FIXTURE, dir, { recursive: true });
      certInto(join(dir, 'certs'));
      mkdirSync(join(dir, 'logs'), { recursive: true });
      return { conf: join(dir, 'nginx.conf'), target: join(dir, 'conf.d/10-api.conf') };
    },
  },
  {
    name: 'crossplane-messy-nginx.conf',
    build(dir) {
      const conf = join(dir, 'nginx.conf');
      writeFileSync(conf, readFileSync(join(CORPUS, 'crossplane-messy-nginx.conf'), 'utf8').replace(/^(\s*)user\s[^;]*;/m, '$1#user;'));
      return { conf, target: conf };
    },
  },
  {
    name: 'public with-comments.conf (nginx-go-crossplane testdata)',
    build(dir) {
      const conf = join(dir, 'nginx.conf');
      writeFileSync(conf, readFileSync(new URL('../__fixtures__/public-nginx/with-comments.conf', import.meta.url), 'utf8'));
      return { conf, target: conf };
    },
  },
  {
    name: 'h5bp tree: conf.d/example.com.conf (listen 443 ssl http2, TLS policy includes)',
    build(dir) {
      const conf = buildH5bpTree(dir);
      return { conf, target: join(dir, 'conf.d/example.com.conf') };
    },
  },
  {
    name: 'h5bp tree: nginx.conf',
    build(dir) {
      const conf = buildH5bpTree(dir);
      return { conf, target: conf };
    },
  },
  wrapped('crossplane-ubuntu-default-sites-enabled-default.conf'),
  wrapped('h5bp-h5bp__tls__policy_strict.conf'),
  wrapped('h5bp-h5bp__security__strict-transport-security.conf'),
];

describe.skipIf(!hasNginx || !hasOpenssl)('mutated real configs: whenever nginx -t rejects, the reader rejects or warns', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = join(tmp, c.name.replace(/[^a-z0-9]+/gi, '-'));
      mkdirSync(dir, { recursive: true });
      const { conf, target } = c.build(dir);
      expect(nginxAccepts(dir, conf).ok).toBe(true);
      expect(await reader(conf, dir)).toBe('clean');
      const original = readFileSync(target, 'utf8');
      const misses: string[] = [];
      let rejectedByNginx = 0;
      const refusedValid: string[] = [];
      for (const m of mutants(original)) {
        writeFileSync(target, m.text);
        const t = nginxAccepts(dir, conf);
        if (t.ok) {
          // the converse: a mutant nginx accepts must not be refused (a valid file refused)
          if ((await reader(conf, dir)) === 'rejected') refusedValid.push(m.what);
          continue;
        }
        rejectedByNginx++;
        const ours = await reader(conf, dir);
        if (ours === "clean") misses.push(`${m.what}: nginx says ${t.stderr.trim().split("\n")[0]}`);
      }
      writeFileSync(target, original);
      // JRT_MUTATION_SUMMARY=1 prints the counts (for the README / reports); the assertions below are the test
      if (process.env.JRT_MUTATION_SUMMARY) console.info(`${c.name}: ${mutants(original).length} mutants, ${rejectedByNginx} rejected by nginx -t, ${misses.length} read silently`);
      expect(rejectedByNginx).toBeGreaterThan(0);
      expect(misses).toEqual([]);
      expect(refusedValid).toEqual([]);
    });
  }
});
