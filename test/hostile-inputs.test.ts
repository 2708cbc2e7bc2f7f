/**
 * Hostile inputs: a YAML alias bomb ("billion laughs") given as any kind of input is refused as an input error
 * (exit 2, one line naming the file) or read without expanding it, never a hang, a crash or exit 3.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

let bomb: string;
let out: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'jrt-hostile-'));
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const lines = ['_format_version: "3.0"', `a: &a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels.length; i++) lines.push(`${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
  lines.push('services:', '  - name: s', '    url: http://x', '    routes: [{ name: r, paths: [/a], tags: *i }]');
  bomb = join(dir, 'bomb.yaml');
  writeFileSync(bomb, `${lines.join('\n')}\n`);
  out = join(dir, 'out');
});

describe('a YAML alias bomb', () => {
  it.each([
    ['--openapi', ['assess', '--openapi']],
    ['--attest', ['assess', '--attest']],
    ['--waivers', ['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--waivers']],
    ['--rulebook', ['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--rulebook']],
    ['--config', ['assess', '--config']],
    ['probe --config', ['probe', '--config']],
  ])('as %s is an input error naming the file', async (_, args) => {
    const r = await runCli([...args, bomb, '--format', args[0] === 'probe' ? 'text' : 'json', ...(args[0] === 'assess' ? ['--out', out] : [])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(bomb);
  });
  it('as --gateway is read without expanding the aliases', async () => {
    const r = await runCli(['assess', '--gateway', bomb, '--format', 'json', '--out', out]);
    expect([0, 1]).toContain(r.code);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Issue #11: the author of a pull request controls every input, a config file above the working directory and the
// output folder. Each attack below is reproduced and must end as stated.
// ---------------------------------------------------------------------------------------------------------------
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const SPEC = resolve('fixtures/compliant-bank/openapi.yaml');
const ATTEST = resolve('fixtures/compliant-bank/attest.yaml');
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'jrt-attack-'));
});
const put = (name: string, text: string) => {
  const p = join(scratch, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
/** Runs the CLI with the working directory in `cwd`, as a CI job would inside the checked-out tree. */
async function runIn(cwd: string, args: string[]) {
  const saved = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(args, { SOURCE_DATE_EPOCH: '1795996800' });
  } finally {
    process.chdir(saved);
  }
}

describe('a configuration file found above the working directory (planted by the change under review)', () => {
  it('may not loosen the gate or open the network: each such key is an input error naming the key and file:line', async () => {
    const repo = join(scratch, 'repo-loosen');
    const cfg = put(
      'repo-loosen/jrt0185.config.yaml',
      ['openapi: api.yaml', 'waivers: waivers.yaml', 'baseline: old.json', 'rulebook: [overlay.yaml]', 'probeConfig: probe.yaml', 'allowRemoteRefs: true', 'level: A1', ''].join('\n'),
    );
    put('repo-loosen/api.yaml', readFileSync(SPEC, 'utf8'));
    mkdirSync(join(repo, 'sub'), { recursive: true });
    const r = await runIn(join(repo, 'sub'), ['assess', '--format', 'json', '--out', join(scratch, 'out-loosen')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      `jrt0185: ${cfg}:2:10: "waivers" may not be set by a configuration file found by walking up from the working directory: waivers take failed requirements out of the score and the gate; name the file with --config, or pass --waivers`,
    );
    for (const [i, key] of ['baseline', 'rulebook', 'probeConfig', 'allowRemoteRefs'].entries()) expect(lines[i + 1]).toContain(`${cfg}:${i + 3}:`), expect(lines[i + 1]).toContain(`"${key}" may not be set`);
    expect(lines[5]).toContain(`${cfg}:7:8: "level: A1" may not be set`);
    expect(existsSync(join(scratch, 'out-loosen'))).toBe(false);
  });
  it('may not read outside its own folder (a log path to a credentials file)', async () => {
    const secret = put('home/.aws/credentials', '[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    const cfg = put('repo-reach/jrt0185.config.yaml', `openapi: ${SPEC}\nlogs: ../home/.aws/credentials\n`);
    const r = await runIn(join(scratch, 'repo-reach'), ['assess', '--format', 'json', '--out', join(scratch, 'out-reach')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:1:10: "openapi: ${SPEC}" leaves the folder of a configuration file found`);
    expect(r.stderr).toContain(`${cfg}:2:7: "logs: ../home/.aws/credentials" leaves the folder`);
    expect(existsSync(secret)).toBe(true);
  });
  it('may set inputs, names and formats and tighten the gate; the run names it on stderr', async () => {
    const cfg = put('repo-tight/jrt0185.config.yaml', 'name: 演示\nopenapi: api.yaml\nattest: attest.yaml\nformat: json\ngate:\n  failUnder: 99.5\n');
    put('repo-tight/api.yaml', readFileSync(SPEC, 'utf8'));
    put('repo-tight/attest.yaml', readFileSync(ATTEST, 'utf8'));
    const out = join(scratch, 'out-tight');
    const r = await runIn(join(scratch, 'repo-tight'), ['assess', '--out', out, '--lang', 'en']);
    expect(r.code).toBe(1);
    const result = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
    expect(result.subjectName).toBe('演示');
    expect(result.gate.criteria.failUnder).toBe(99.5);
    expect(r.stderr.split('\n')[0]).toBe(`configuration: ${cfg} (found above the working directory: it may tighten the gate, never loosen it)`);
  });
  it('the same keys are allowed from a file named with --config, and --no-config ignores a found one', async () => {
    const repo = join(scratch, 'repo-trusted');
    put('repo-trusted/jrt0185.config.yaml', 'waivers: nowhere.yaml\n');
    const named = put('trusted.config.yaml', `openapi: ${SPEC}\nallowRemoteRefs: false\nlevel: A1\n`);
    const viaFlag = await runIn(repo, ['assess', '--config', named, '--format', 'json', '--out', join(scratch, 'out-trusted'), '--lang', 'en']);
    expect([0, 1]).toContain(viaFlag.code);
    expect(viaFlag.stderr).toContain(`configuration: ${named} (named with --config)`);
    const none = await runIn(repo, ['assess', '--no-config', '--openapi', SPEC, '--format', 'json', '--out', join(scratch, 'out-none'), '--lang', 'en']);
    expect([0, 1]).toContain(none.code);
    expect(none.stderr.split('\n')[0]).toBe('configuration: none (--no-config)');
  });
});

describe('duplicate keys: readers disagree on which one wins, so they are input errors naming both lines', () => {
  it('in a JSON OpenAPI description', async () => {
    const spec = put('dup.json', '{\n  "openapi": "3.0.3",\n  "info": {"title": "x", "version": "1"},\n  "servers": [{"url": "https://a.example"}],\n  "paths": {},\n  "servers": [{"url": "http://plain.example"}]\n}\n');
    const r = await runCli(['assess', '--openapi', spec, '--format', 'json', '--out', join(scratch, 'out-dup')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`jrt0185: ${spec}:6:3: duplicate key "servers" (lines 4 and 6): readers disagree on which one wins, so the file means different things to different tools; keep one\n`);
  });
  it('in a YAML OpenAPI description, a waiver file and a baseline', async () => {
    const spec = put('dup.yaml', 'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\n  title: y\npaths: {}\n');
    const r = await runCli(['assess', '--openapi', spec, '--format', 'json', '--out', join(scratch, 'out-dup')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${spec}:5:3: duplicate key "title" (lines 3 and 5)`);
    const waivers = put('dup-waivers.yaml', 'waivers:\n  - ruleId: tls-minimum-version\n    reason: a\n    owner: b\n    expires: 2027-01-01\n    owner: c\n');
    const w = await runCli(['assess', '--openapi', SPEC, '--waivers', waivers, '--format', 'json', '--out', join(scratch, 'out-dup')]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain(`${waivers}:6:5: duplicate key "owner" (lines 4 and 6)`);
    const baseline = put('dup-baseline.json', '{"schemaVersion": "1.0.0",\n"requirements": [],\n"findings": [],\n"requirements": []}');
    const b = await runCli(['assess', '--openapi', SPEC, '--baseline', baseline, '--format', 'json', '--out', join(scratch, 'out-dup')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${baseline}:4:1: duplicate key "requirements" (lines 2 and 4)`);
  });
});

describe('an alias bomb in flow style (anchors right after a JSON-like key) gets the alias budget too', () => {
  const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
  const entries = [`"a":&a [${Array(9).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels.length; i++) entries.push(`"${levels[i]}":&${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`);
  const flow = `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}, "x-bomb": {${entries.join(', ')}}}\n`;
  it.each([
    ['--openapi', (f: string) => ['--openapi', f]],
    ['--waivers', (f: string) => ['--openapi', SPEC, '--waivers', f]],
  ])('as %s is an input error naming the file', async (_, args) => {
    const bombFile = put(`flow-bomb-${_.slice(2)}.yaml`, flow);
    const r = await runCli(['assess', ...args(bombFile), '--format', 'json', '--out', join(scratch, 'out-flow')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(bombFile);
  });
});

describe('only regular files are read', () => {
  const fifo = () => {
    const p = join(scratch, `pipe-${Math.random().toString(36).slice(2)}`);
    execFileSync('mkfifo', [p]);
    return p;
  };
  it.each([
    ['--openapi /dev/zero', () => ['--openapi', '/dev/zero'], /\/dev\/zero: OpenAPI description is a device, not a regular file/],
    ['--attest a folder', () => ['--attest', scratch], /attestation file is a directory, not a file/],
    ['--waivers a FIFO (nobody ever writes to it)', () => ['--openapi', SPEC, '--waivers', fifo()], /waiver file is a named pipe \(FIFO\), not a regular file/],
    ['--attest a FIFO', () => ['--attest', fifo()], /attestation file is a named pipe \(FIFO\), not a regular file/],
    ['--baseline /dev/zero', () => ['--openapi', SPEC, '--baseline', '/dev/zero'], /\/dev\/zero: result file is a device, not a regular file/],
    ['--rulebook /dev/urandom', () => ['--openapi', SPEC, '--rulebook', '/dev/urandom'], /\/dev\/urandom: rulebook overlay is a device, not a regular file/],
  ])('%s is an input error, at once', async (_, args, message) => {
    const r = await runCli(['assess', ...args(), '--format', 'json', '--out', join(scratch, 'out-irregular')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('a $ref to /dev/zero or a FIFO is an input error', async () => {
    for (const target of ['/dev/zero', fifo()]) {
      const spec = put(`ref-${target.length}.yaml`, `openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": {$ref: "${target}#/r"}\n`);
      const r = await runCli(['assess', '--openapi', spec, '--format', 'json', '--out', join(scratch, 'out-ref')]);
      expect(r.code, target).toBe(2);
      expect(r.stderr).toContain(`${target}: OpenAPI description is a `);
    }
  });
});

describe('reports are written safely', () => {
  it('a symlink planted at the report name is replaced, never written through; no temporary file is left', async () => {
    const out = join(scratch, 'out-symlink');
    mkdirSync(out, { recursive: true });
    const victim = put('victim.txt', 'precious\n');
    symlinkSync(victim, join(out, 'jrt0185-report.json'));
    symlinkSync(victim, join(out, 'jrt0185-report.md'));
    const r = await runCli(['assess', '--openapi', SPEC, '--format', 'json,markdown', '--out', out]);
    expect([0, 1]).toContain(r.code);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    for (const name of ['jrt0185-report.json', 'jrt0185-report.md']) expect(lstatSync(join(out, name)).isFile()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['jrt0185-report.json', 'jrt0185-report.md']);
  });
});

describe('terminal output is inert', () => {
  it('control characters, escape sequences, newlines and workflow commands in input text are escaped', async () => {
    const title = 'Bank\u001b]0;owned\u0007\u001b[2J\r\nVerdict: Gate passed\n::error file=x::forged\n##vso[task.complete result=Succeeded]';
    const spec = put('hostile-title.json', JSON.stringify({ openapi: '3.0.3', info: { title, version: '1' }, servers: [{ url: 'http://plain.example/\u001b[8m' }], paths: {} }));
    const r = await runCli(['assess', '--openapi', spec, '--lang', 'en', '--out', join(scratch, 'out-inert')]);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('Verdict:'))).toHaveLength(1);
    expect(lines.some((l) => /^\s*(::|##vso\[)/.test(l))).toBe(false);
    expect(r.stdout).toContain('Bank\\e]0;owned\\x07\\e[2J\\r\\nVerdict: Gate passed\\n:\u200b:error file=x:\u200b:forged');
  });
  it('--out - prints the one chosen format with no workflow command at a line start', async () => {
    const spec = put('hostile-md.json', JSON.stringify({ openapi: '3.0.3', info: { title: 'x\n::error::forged\n\u001b[2J', version: '1' }, paths: {} }));
    const r = await runCli(['assess', '--openapi', spec, '--format', 'markdown', '--out', '-', '--lang', 'en']);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toContain('# ');
    expect(r.stdout).not.toMatch(/^\s*::/m);
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe('error lines are inert too', () => {
  it('a file name with a newline and a workflow command stays one line on stderr', async () => {
    const name = join(scratch, 'x\n::error file=a::forged\u001b[2J.yaml');
    writeFileSync(name, 'a: 1\na: 2\n');
    const r = await runCli(['assess', '--attest', name, '--format', 'json', '--out', join(scratch, 'out-errline')]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and the final newline
    expect(r.stderr).not.toMatch(/^\s*::/m);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('x\\n:\u200b:error file=a:\u200b:forged\\e[2J.yaml:2:1: duplicate key "a" (lines 1 and 2)');
  });
});

describe('waiver globs are matched linearly', () => {
  it('a pattern that backtracks exponentially as a regular expression ends at once (no match)', async () => {
    const { globMatch } = await import('../src/engine/evaluate.js');
    expect(globMatch(`${'a*'.repeat(40)}b`, 'a'.repeat(20000))).toBe(false);
    expect(globMatch(`${'a*'.repeat(40)}b`, `${'a'.repeat(100)}b`)).toBe(true);
    // Too long to compile: matches nothing, so it can never waive anything.
    expect(globMatch('*'.repeat(5000), 'x')).toBe(false);
  });
});
