import { describe, expect, it } from 'vitest';
import { compileGlob, globBase, globMatch, isGlob } from './glob.js';

describe('globMatch', () => {
  it.each([
    ['*.yaml', 'openapi.yaml', true],
    ['*.yaml', 'specs/openapi.yaml', false],
    ['specs/*.yaml', 'specs/openapi.yaml', true],
    ['specs/*.yaml', 'specs/v2/openapi.yaml', false],
    ['specs/**/*.yaml', 'specs/openapi.yaml', true],
    ['specs/**/*.yaml', 'specs/v2/beta/openapi.yaml', true],
    ['specs/**/*.yaml', 'specs/v2/beta/openapi.json', false],
    ['specs/**/*.yaml', 'specsx/openapi.yaml', false],
    ['specs/**/b.yaml', 'specs/xb.yaml', false],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'a/b/c.json', true],
    ['specs/**', 'specs/a/b', true],
    ['specs/**', 'other/a', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['a?c', 'ac', false],
    ['v[0-9].yaml', 'v2.yaml', true],
    ['v[0-9].yaml', 'vx.yaml', false],
    ['v[!0-9].yaml', 'vx.yaml', true],
    ['v[^0-9].yaml', 'v2.yaml', false],
    ['[ab]/x', 'a/x', true],
    ['[ab]/x', '//x', false],
    ['x[]]y', 'x]y', true],
    ['x[', 'x[', true],
    ['\\*.yaml', '*.yaml', true],
    ['\\*.yaml', 'a.yaml', false],
    ['a**b', 'axxb', true],
    ['a**b', 'a/b', false],
    ['./specs/*.json', 'specs/a.json', true],
    ['specs/*.json', './specs/a.json', true],
    ['specs/*.json', 'specs\\a.json', true],
    ['', '', true],
    ['*', '', true],
    ['?', '', false],
  ])('%s ~ %s → %s', (pattern, path, expected) => {
    expect(globMatch(pattern, path)).toBe(expected);
  });

  it('agrees with a reference matcher on every pattern and path of a small alphabet', () => {
    // Reference: the regex translation (fine on these short strings, where backtracking cannot blow up).
    const ref = (pattern: string, path: string): boolean => {
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i]!;
        if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
      }
      return new RegExp(`^${re}$`).test(path);
    };
    const alphabet = ['a', 'b', '*', '?', '/'];
    const paths = ['', 'a', 'b', 'ab', 'ba', 'aab', 'a/b', 'ab/a', 'a/a/b', 'bbb', 'abab'];
    const patterns: string[] = [''];
    for (let len = 1; len <= 4; len++) {
      for (const p of patterns.filter((x) => x.length === len - 1)) for (const c of alphabet) patterns.push(p + c);
    }
    for (const pattern of patterns) {
      if (pattern.includes('**')) continue; // `**` is the globstar, not two single stars
      for (const path of paths) expect(globMatch(pattern, path), `${pattern} ~ ${path}`).toBe(ref(pattern, path));
    }
  });

  it('is linear on patterns that make a backtracking matcher exponential', () => {
    // `a*a*…a*b` over `aaaa…` (no b): a regex engine backtracks through every way to split the a's among the stars.
    const pattern = `${'a*'.repeat(40)}b`;
    const name = 'a'.repeat(20_000);
    const glob = compileGlob(pattern);
    expect(glob.match(name)).toBe(false);
    expect(glob.match(`${name}b`)).toBe(true);
    // The same for the globstar form over a deep path.
    const deep = `${'**/a'.repeat(30)}/b`;
    const path = Array.from({ length: 2000 }, () => 'a').join('/');
    expect(globMatch(deep, path)).toBe(false);
    expect(globMatch(deep, `${path}/b`)).toBe(true);
    expect(globMatch(`*${'?*'.repeat(30)}x`, 'y'.repeat(20_000))).toBe(false);
  });

  it('refuses an over-long pattern instead of spending unbounded time', () => {
    expect(() => compileGlob('*'.repeat(5000))).toThrow(/longer than/);
  });
});

describe('isGlob and globBase', () => {
  it.each([
    ['specs/*.yaml', true, 'specs'],
    ['specs/v2/**/*.json', true, 'specs/v2'],
    ['*.json', true, '.'],
    ['/abs/dir/[ab].yaml', true, '/abs/dir'],
    ['plain/file.yaml', false, 'plain'],
    ['esc\\*aped.yaml', false, '.'],
  ])('%s', (pattern, glob, base) => {
    expect(isGlob(pattern)).toBe(glob);
    expect(globBase(pattern)).toBe(base);
  });
});
