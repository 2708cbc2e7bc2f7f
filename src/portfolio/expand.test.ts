import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs, looksLikeOpenApi } from './expand.js';
import { InputError } from '../errors.js';

const SPEC = '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'jrt-expand-'));
  const specs = join(root, 'specs');
  mkdirSync(join(specs, 'v2', 'schemas'), { recursive: true });
  mkdirSync(join(specs, '.git'), { recursive: true });
  mkdirSync(join(root, 'outside'), { recursive: true });
  writeFileSync(join(specs, 'b.json'), SPEC);
  writeFileSync(join(specs, 'a.yaml'), 'openapi: 3.1.0\ninfo: { title: a, version: "1" }\npaths: {}\n');
  writeFileSync(join(specs, 'Z.yml'), 'swagger: "2.0"\ninfo: { title: z, version: "1" }\npaths: {}\n');
  writeFileSync(join(specs, 'notes.txt'), 'openapi: 3.0.0');
  writeFileSync(join(specs, 'v2', 'api.json'), SPEC);
  writeFileSync(join(specs, 'v2', 'schemas', 'Account.json'), '{"type":"object","properties":{"openapi":{"type":"string"}}}');
  writeFileSync(join(specs, '.git', 'hidden.json'), SPEC);
  writeFileSync(join(root, 'outside', 'secret.json'), SPEC);
  symlinkSync(join(root, 'outside', 'secret.json'), join(specs, 'link-out.json'));
  symlinkSync(join(specs, 'b.json'), join(specs, 'link-in.json'));
  symlinkSync(join(root, 'outside'), join(specs, 'dir-link'));
  execFileSync('mkfifo', [join(specs, 'pipe.json')]);
  return root;
}

describe('expandInputs', () => {
  it('a directory: regular description files with the right endings, sorted, fragments and links out left aside', async () => {
    const root = tree();
    const specs = join(root, 'specs');
    const r = await expandInputs([specs], 'openapi');
    expect(r.files).toEqual(['Z.yml', 'a.yaml', 'b.json', 'link-in.json', 'v2/api.json'].map((f) => join(specs, f)));
    expect(r.skipped).toEqual([{ from: specs, files: [join(specs, 'v2/schemas/Account.json')] }]);
  });

  it('a pattern: matched from its literal base, `**` across folders', async () => {
    const root = tree();
    const specs = join(root, 'specs');
    expect((await expandInputs([`${specs}/*.json`], 'openapi')).files).toEqual([join(specs, 'b.json'), join(specs, 'link-in.json')]);
    expect((await expandInputs([`${specs}/**/api.json`], 'openapi')).files).toEqual([join(specs, 'v2/api.json')]);
    expect((await expandInputs([`${specs}/[a-b].*`], 'openapi')).files).toEqual([join(specs, 'a.yaml'), join(specs, 'b.json')]);
    // A pattern names its own endings (notes.txt), but still only regular files and never the FIFO.
    expect((await expandInputs([`${specs}/*.txt`, `${specs}/pipe.*`].slice(0, 1), 'gateway')).files).toEqual([join(specs, 'notes.txt')]);
    await expect(expandInputs([`${specs}/pipe.*`], 'openapi')).rejects.toThrow(/no regular file matches this pattern/);
  });

  it('plain names pass through untouched (the reader reports them); a file reached twice is kept once', async () => {
    const root = tree();
    const specs = join(root, 'specs');
    const r = await expandInputs([join(specs, 'b.json'), specs, 'missing.yaml'], 'openapi');
    expect(r.files[0]).toBe(join(specs, 'b.json'));
    expect(r.files.filter((f) => f === join(specs, 'b.json'))).toHaveLength(1);
    expect(r.files.at(-1)).toBe('missing.yaml');
  });

  it('bounded: too many files, an empty directory, a pattern matching nothing are input errors naming the argument', async () => {
    const root = tree();
    const specs = join(root, 'specs');
    await expect(expandInputs([specs], 'openapi', { maxFiles: 3 })).rejects.toThrow(/expands to more than 3 files/);
    const empty = mkdtempSync(join(tmpdir(), 'jrt-empty-'));
    const e = await expandInputs([empty], 'openapi').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(`${empty}: the directory holds no .yaml / .yml / .json file`);
    await expect(expandInputs([`${specs}/*.nothing`], 'openapi')).rejects.toThrow(/no regular file matches/);
  });

  it('gateways: configuration files of every kind are taken as they are (no description sniffing), .conf included', async () => {
    const dir = '../shared/corpus/gateway';
    const r = await expandInputs([dir], 'gateway');
    expect(r.skipped).toEqual([]);
    expect(r.files.length).toBeGreaterThan(5);
    expect(r.files.some((f) => f.endsWith('.conf'))).toBe(true);
    expect(r.files.every((f) => /\.(ya?ml|json|conf)$/.test(f))).toBe(true);
    expect([...r.files].sort((a, b) => (a < b ? -1 : 1))).toEqual(r.files);
  });

  it('gateways: a folder of Kubernetes manifests is one input (objects in one file name objects in another), a mixed folder is file by file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrt-k8s-'));
    writeFileSync(join(dir, 'plugin.yaml'), 'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata:\n  name: key-auth\nplugin: key-auth\n');
    writeFileSync(join(dir, 'ingress.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n    konghq.com/plugins: key-auth\nspec:\n  rules: []\n');
    expect((await expandInputs([dir], 'gateway')).files).toEqual([dir]);
    writeFileSync(join(dir, 'nginx.conf'), 'events {}\n');
    expect((await expandInputs([dir], 'gateway')).files).toEqual([join(dir, 'ingress.yaml'), join(dir, 'nginx.conf'), join(dir, 'plugin.yaml')]);
  });

  it('the corpus: the multi-file Unit description counts once, its 111 schema files are fragments', async () => {
    const dir = '../shared/corpus/openapi-real';
    const r = await expandInputs([dir], 'openapi');
    expect(r.files).toHaveLength(11);
    expect(r.files).toContain(`${dir}/unit-openapi/openapi.json`);
    expect(r.skipped[0]!.files).toHaveLength(111);
    expect(looksLikeOpenApi('../shared/corpus/openapi-real/unit-openapi/schemas/account/account.json')).toBe(false);
  });
});
