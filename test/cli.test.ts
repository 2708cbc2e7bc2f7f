import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrt-cli-'));
});
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('usage and input errors: one line naming the file and line, exit 2, nothing written', () => {
  it('broken YAML in a spec', async () => {
    const spec = file('broken.yaml', 'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a:\n    get: [\n');
    const out = join(dir, 'out-broken');
    const r = await runCli(['assess', '--openapi', spec, '--format', 'json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^jrt0185: ${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+(:\\d+)?: .+\\n$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
  it('a missing file', async () => {
    const r = await runCli(['assess', '--openapi', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('bad option values', async () => {
    const spec = 'fixtures/compliant-bank/openapi.yaml';
    for (const args of [
      ['--level', 'A3'],
      ['--role', 'regulator'],
      ['--format', 'docx'],
      ['--fail-under', '120'],
      ['--fail-on', 'urgent'],
      ['--lang', 'fr'],
    ]) {
      const r = await runCli(['assess', '--openapi', spec, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^jrt0185: --/);
    }
  });
  it('nothing to assess, an unknown command, an unknown option', async () => {
    expect((await runCli(['assess'])).code).toBe(2);
    expect((await runCli(['inspect'])).code).toBe(2);
    expect((await runCli(['assess', '--openapi', 'x', '--frobnicate'])).code).toBe(2);
  });
  it('--help and --version exit 0', async () => {
    const help = await runCli(['assess', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
    expect((await runCli(['--version'])).code).toBe(0);
  });
});

describe('uapi-id', () => {
  it('explains a valid id and exits 0', async () => {
    const r = await runCli(['uapi-id', 'OPC123450201000100000100', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
    expect(r.stdout).toContain('A2');
  });
  it('exits 1 on an invalid id and says which part is wrong', async () => {
    const r = await runCli(['uapi-id', 'OPC123450201000100000100', 'XXC123450301000100000100', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('XXC123450301000100000100  invalid');
    expect(r.stdout.match(/✗ /g)).toHaveLength(2);
  });
});

describe('report files', () => {
  it('are written with predictable names, and only those', async () => {
    const out = join(dir, 'out-formats');
    const r = await runCli(['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json,markdown,csv', '--out', out]);
    expect([0, 1]).toContain(r.code);
    expect(readdirSync(out).sort()).toEqual(['jrt0185-report.csv', 'jrt0185-report.json', 'jrt0185-report.md']);
    expect(JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8')).schemaVersion).toBe('1.0.0');
  });
});

describe('attest init', () => {
  it('writes the answer sheet for a profile, refuses to overwrite it, and the blank sheet loads as all not reviewed', async () => {
    const sheet = join(dir, 'attest.yaml');
    const first = await runCli(['attest', 'init', '--level', 'A1', '--role', 'app', '--out', sheet, '--lang', 'en']);
    expect(first.code).toBe(0);
    const text = readFileSync(sheet, 'utf8');
    expect(text).toContain('# profile: level A1, role app');
    expect(text).not.toMatch(/^  a2-/m); // A2-only sentences are not in an A1 sheet
    expect((await runCli(['attest', 'init', '--out', sheet])).code).toBe(2);
    expect((await runCli(['attest', 'init', '--out', sheet, '--force'])).code).toBe(0);
    const out = join(dir, 'out-blank');
    const r = await runCli(['assess', '--attest', sheet, '--level', 'A2', '--format', 'json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
    expect(result.coverage.attested).toBe(0);
    expect(result.coverage.notReviewed).toBe(100);
  });
});

describe('an unusable --out', () => {
  it('is an input error naming it, and nothing is left behind', async () => {
    const notADir = join(dir, 'a-file');
    writeFileSync(notADir, 'x');
    const r = await runCli(['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json', '--out', notADir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jrt0185: ${notADir}: the output folder is a file, not a folder\n`);
  });
});
