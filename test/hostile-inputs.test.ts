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
