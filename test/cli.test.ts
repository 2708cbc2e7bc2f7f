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
    expect(JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8')).schemaVersion).toBe('1.1.0');
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

describe('CI hygiene', () => {
  const SPEC = 'fixtures/compliant-bank/openapi.yaml';
  it('--out - writes the single chosen format to stdout and no file; two formats are a usage error', async () => {
    const r = await runCli(['assess', '--no-config', '--openapi', SPEC, '--format', 'json', '--out', '-']);
    expect([0, 1]).toContain(r.code);
    expect(JSON.parse(r.stdout).schemaVersion).toBe('1.1.0');
    expect(existsSync('-')).toBe(false);
    expect(r.stderr).toBe('configuration: none (--no-config)\n');
    const two = await runCli(['assess', '--openapi', SPEC, '--format', 'json,sarif', '--out', '-']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('jrt0185: --out - writes one format to standard output; choose it with --format (got json,sarif)\n');
  });
  it('--quiet prints the verdict and the failures only', async () => {
    const r = await runCli(['assess', '--no-config', '--openapi', 'fixtures/leaky-bank/openapi.yaml', '--quiet', '--lang', 'en', '--out', join(dir, 'quiet')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Verdict: Gate failed\n  • /);
    expect(r.stdout).toMatch(/^✗ 7.2.1 a2-mutual-authentication-design \[Critical\] Fail$/m);
    expect(r.stdout).not.toContain('Overall score');
    expect(r.stdout).not.toContain('warning:');
  });
  // EPIPE needs a real pipe: the built CLI in a child process (dist/ is built by `npm install`).
  const BIN = 'bin/jrt0185.js';
  const built = existsSync('dist/cli/main.js');
  it.skipIf(!built)(`a reader that leaves early (| head) ends the run quietly with its exit code${built ? '' : ' (dist/ absent)'}`, async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'assess', '--no-config', '--openapi', 'fixtures/leaky-bank/openapi.yaml', '--lang', 'en', '--format', 'json', '--out', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('configuration: none (--no-config)\n');
    expect(code, stderr).toBe(1);
  });
});

describe('progress on stderr', () => {
  it('only on a TTY outside CI; percent, bytes and throughput for a long input, redrawn in place and erased', async () => {
    const { createProgress, progressText } = await import('../src/cli/progress.js');
    let written = '';
    const tty = { isTTY: true, columns: 100, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    expect(createProgress(tty, { CI: 'true' })).toBeUndefined();
    expect(createProgress({ ...tty, isTTY: false } as NodeJS.WriteStream, {})).toBeUndefined();
    let t = 0;
    const p = createProgress(tty, {}, () => t)!;
    p.line('logs     access.log');
    t = 1000;
    p.bytes('logs/access.log', 0, 200 * 1024 * 1024);
    t = 3000;
    p.bytes('logs/access.log', 84 * 1024 * 1024, 200 * 1024 * 1024);
    t = 3050; // within 100 ms of the last redraw: skipped
    p.bytes('logs/access.log', 85 * 1024 * 1024, 200 * 1024 * 1024);
    p.done();
    expect(written.split('\u001b[2K\r')).toEqual(['', '… logs     access.log', '… access.log  0% · 0 B of 200.0 MB · 0 B/s', '… access.log  42% · 84.0 MB of 200.0 MB · 42.0 MB/s', '']);
    expect(progressText('a.log', 5, 10, 0)).toBe('a.log  50% · 5 B of 10 B · 0 B/s');
  });
});

describe('schema validators precompiled by the build (src/report/standalone-validator.ts)', () => {
  it('give the verdicts and the errors ajv gives compiling the schema at run time: configuration file, report information', async () => {
    const { createRequire } = await import('node:module');
    const { standaloneValidatorSource } = await import('../src/report/standalone-validator.js');
    const { CONFIG_VALIDATOR } = await import('../src/cli/config.js');
    const { REPORT_INFO_VALIDATOR } = await import('../src/report/report-info.js');
    const { createAjv } = await import('../src/ajv.js');
    const cases = {
      config: {
        spec: CONFIG_VALIDATOR,
        values: [
          {},
          { openapi: 'a.yaml', format: 'json', out: 'out', lang: 'en', level: 'A2', gate: { failUnder: 80 } },
          { openapi: ['a.yaml', 'b.json'], gateway: 'kong.yaml', format: ['json', 'html'] },
          { formatt: 'json', level: 'A3', lang: 'fr', gate: { failUnder: 200, bogus: 1 } },
          { openapi: [1, 2], out: 5 },
          ['a', 'b'],
          'text',
          null,
          { reportInfo: { reportNumber: 7 } },
        ],
      },
      reportInfo: {
        spec: REPORT_INFO_VALIDATOR,
        values: [
          {},
          { reportNumber: 'R-1', client: 'c', assessors: ['a', 'b'], period: { from: '2026-01-01', to: '2026-02-01' } },
          { reportNumber: 7, assessors: 'a', bogus: true },
          { period: { from: 1 } },
          [],
          null,
        ],
      },
    };
    for (const [name, { spec, values }] of Object.entries(cases)) {
      // The build's file, evaluated as node would load it.
      const module = { exports: {} as Record<string, unknown> };
      new Function('module', 'exports', 'require', standaloneValidatorSource(spec))(module, module.exports, createRequire(import.meta.url));
      const precompiled = module.exports as unknown as ((v: unknown) => boolean) & { errors?: unknown; schemaDigest?: string };
      expect(precompiled.schemaDigest, name).toMatch(/^[0-9a-f]{64}$/);
      const compiled = spec.compile(createAjv(), spec.schemaTexts().map((t) => JSON.parse(t)));
      let invalid = 0;
      for (const v of values) {
        const ok = compiled(v);
        if (!ok) invalid += 1;
        expect(precompiled(v), `${name} ${JSON.stringify(v)}`).toBe(ok);
        expect(precompiled.errors ?? null, `${name} ${JSON.stringify(v)}`).toEqual(compiled.errors ?? null);
      }
      expect(invalid, name).toBeGreaterThan(2);
    }
  });
});
