/**
 * docs/ci/ examples stay runnable: each YAML parses, and each `npx jrt0185 assess …` line they contain runs (in
 * process, on the compliant fixture's config) with exactly those flags and writes the files the example publishes.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync as fsRename } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { compileGlob, globBase, isGlob } from '../src/input/glob.js';
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

/**
 * The portfolio examples (shards, then a merge): every `npx jrt0185 assess …` and `npx jrt0185 merge …` line runs
 * with its exact flags, the shard index put where the CI system puts it (`${{ matrix.shard }}`,
 * `${JOB_COMPLETION_INDEX}`, parallel's `{}`), on a portfolio of real descriptions (copied to a temporary apis/;
 * sources in ../shared/corpus/MANIFEST.md); the merge's shell pattern is expanded as the shell would; and the
 * merged result is the one a single run over apis/ gives.
 */
const PORTFOLIO_EXAMPLES = ['portfolio-github-actions.yml', 'portfolio-k8s-indexed-job.yaml', 'portfolio-gnu-parallel.sh'];
const PORTFOLIO_SPECS = [
  'fixtures/compliant-bank/openapi.yaml',
  'fixtures/leaky-bank/openapi.yaml',
  '../shared/corpus/openapi/apisguru/afterbanks.com.json',
  '../shared/corpus/openapi/adyen-BinLookupService-v54.yaml',
  '../shared/corpus/openapi/apisguru/apisetu.gov.in__ucobank.json',
];

describe.each(PORTFOLIO_EXAMPLES)('docs/ci/%s', (name) => {
  const text = readFileSync(join('docs/ci', name), 'utf8');

  it.runIf(!name.endsWith('.sh'))('is valid YAML', () => {
    expect(() => parseAllDocuments(text).map((d) => d.toJS())).not.toThrow();
    expect(parseAllDocuments(text).every((d) => d.errors.length === 0)).toBe(true);
  });

  it('runs its shard and merge commands, and the merge equals one run', async () => {
    const work = mkdtempSync(join(tmpdir(), 'jrt-ci-portfolio-'));
    const apis = join(work, 'apis');
    mkdirSync(apis);
    PORTFOLIO_SPECS.forEach((f, i) => copyFileSync(f, join(apis, `${i}-${f.split('/').pop()}`)));
    const count = Number(/--shard [^\n]*?\/(\d+) /.exec(text)?.[1] ?? /SHARDS=(\d+)/.exec(text)?.[1]);
    expect(count).toBe(4);
    const assessLine = /npx jrt0185 (assess [^\n]*?)(?: \|\| \[|"|$)/m.exec(text)![1]!;
    const mergeLine = /npx jrt0185 (merge [^\n]*)/.exec(text)![1]!;
    // Paths as the example writes them, moved into the temporary work folder.
    const place = (arg: string) => (/^\/?apis$/.test(arg) ? apis : /^(\/results\/|shards\/|shard-|jrt0185-out)/.test(arg) ? join(work, arg.replace(/^\//, '')) : arg);
    const words = (line: string, index?: number) =>
      line
        .replace(/\$\{\{ matrix\.shard \}\}|\$\{JOB_COMPLETION_INDEX\}|\{\}/g, String(index))
        .replace(/\$SHARDS/g, String(count))
        .trim()
        .split(/\s+/)
        .map(place);
    for (let i = 0; i < count; i++) {
      const r = await runCli(words(assessLine, i));
      expect([0, 1], r.stderr).toContain(r.code);
    }
    // GitHub's download-artifact puts each shard in a folder of its artifact's name: do the same.
    if (name.includes('github')) for (let i = 0; i < count; i++) renameSync(join(work, `shard-${i}`), join(work, 'shards', `jrt0185-shard-${i}`), true);
    const args = words(mergeLine).flatMap((a) => (isGlob(a) ? expandPattern(a) : [a]));
    expect(args.filter((a) => a.endsWith('jrt0185-report.json'))).toHaveLength(count);
    const merged = await runCli(args);
    expect([0, 1], merged.stderr).toContain(merged.code);
    const out = args[args.indexOf('--out') + 1]!;
    const one = await runCli(['assess', '--openapi', apis, '--level', 'A2', '--role', 'bank', '--format', 'json', '--out', join(work, 'one'), '--no-config']);
    expect(merged.code).toBe(one.code);
    const m = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
    const o = JSON.parse(readFileSync(join(work, 'one', 'jrt0185-report.json'), 'utf8'));
    expect({ score: m.score, requirements: m.requirements, findings: m.findings, apis: m.apis }).toEqual({ score: o.score, requirements: o.requirements, findings: o.findings, apis: o.apis });
    expect(m.apis).toHaveLength(PORTFOLIO_SPECS.length);
  });
});

/** A shell pattern expanded as sh would (sorted matches), with the linear glob matcher. */
function expandPattern(pattern: string): string[] {
  const glob = compileGlob(pattern);
  const base = globBase(pattern);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (glob.match(p)) found.push(p);
    }
  };
  walk(base);
  return found.sort();
}

function renameSync(from: string, to: string, mkdir: boolean): void {
  if (mkdir) mkdirSync(join(to, '..'), { recursive: true });
  fsRename(from, to);
}
