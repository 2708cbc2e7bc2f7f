/**
 * docs/ci/ examples stay runnable: each YAML parses, and each `npx jrt0185 assess …` line they contain runs (in
 * process, on the compliant fixture's config) with exactly those flags and writes the files the example publishes.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';

const EXAMPLES = ['github-actions.yml', 'gitlab-ci.yml', 'Jenkinsfile'];
const CONFIG = 'fixtures/compliant-bank/jrt0185.config.yaml';

describe.each(EXAMPLES)('docs/ci/%s', (name) => {
  const text = readFileSync(join('docs/ci', name), 'utf8');

  it.runIf(name.endsWith('.yml'))('is valid YAML', () => {
    expect(() => parse(text)).not.toThrow();
  });

  it('runs its assess command and writes what it publishes', async () => {
    const line = /npx jrt0185 (assess [^\n'"]*)/.exec(text)?.[1];
    expect(line).toBeDefined();
    const args = line!
      .trim()
      .split(/\s+/)
      .filter((a) => a !== '$baseline');
    const out = mkdtempSync(join(tmpdir(), 'jrt-ci-'));
    const at = args.indexOf('--out');
    args[at + 1] = out;
    const configAt = args.indexOf('--config');
    if (configAt >= 0) args[configAt + 1] = CONFIG;
    else args.push('--config', CONFIG);
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    for (const published of text.matchAll(/jrt0185-out\/(jrt0185-[a-z]+\.[a-z]+)/g)) {
      expect(existsSync(join(out, published[1]!)), published[1]).toBe(true);
    }
  });
});
