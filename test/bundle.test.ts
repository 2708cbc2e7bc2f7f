/**
 * The command-line bundle (dist/bundle/, scripts/build-bundle.mjs) that bin/jrt0185.js runs: it must behave exactly
 * as the sources do, start its worker threads from the bundle, and leave the parsers and validators it does not need
 * unloaded. Uses dist/ (built by `npm install`; skipped, with the reason in its name, when the bundle is absent).
 * Speed itself is measured by `npm run bench -- startup`, not here.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';

const BIN = resolve('bin/jrt0185.js');
const BUNDLE = resolve('dist/bundle');
const built = existsSync(join(BUNDLE, 'main.js'));
// A fixed clock and no colour: two runs of the same inputs give the same bytes.
const ENV = { SOURCE_DATE_EPOCH: '1798000000', NO_COLOR: '1', LANG: 'C', CI: 'true' };

function runBin(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...ENV, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file `dir` holds, by name. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jrt-bundle-'));
});

describe.skipIf(!built)(`the bundled command line${built ? '' : ' (dist/bundle absent: run npm install or npm run build)'}`, () => {
  it('writes the same reports, messages and exit code as the sources, byte for byte (two descriptions: the worker pool)', async () => {
    const args = (out: string) => [
      'assess', '--no-config', '--openapi', 'fixtures/leaky-bank/openapi.yaml', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--logs', 'fixtures/leaky-bank/logs/openapi-access.log',
      '--attest', 'fixtures/compliant-bank/attest.yaml', '--format', 'json,markdown,sarif,junit,csv', '--out', out, '--lang', 'en',
    ];
    const fromBundle = runBin(args(join(dir, 'bundle')), { JRT0185_WORKERS: '2' });
    const fromSources = await runCli(args(join(dir, 'sources')), ENV);
    expect(fromBundle.code, fromBundle.stderr).toBe(1);
    expect(fromBundle.code).toBe(fromSources.code);
    expect(fromBundle.stdout).toBe(fromSources.stdout);
    expect(fromBundle.stderr.replaceAll(join(dir, 'bundle'), 'OUT')).toBe(fromSources.stderr.replaceAll(join(dir, 'sources'), 'OUT'));
    const reports = filesOf(join(dir, 'bundle'));
    expect(Object.keys(reports)).toEqual(['jrt0185-junit.xml', 'jrt0185-report.csv', 'jrt0185-report.json', 'jrt0185-report.md', 'jrt0185-report.sarif']);
    expect(reports).toEqual(filesOf(join(dir, 'sources')));
    expect(JSON.parse(reports['jrt0185-report.json']!).apis).toHaveLength(2);
  });

  it('an input error is still one line naming the file and line, exit 2', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"openapi": "3.0.3",\n  "info": }\n');
    const r = runBin(['assess', '--no-config', '--openapi', bad, '--out', join(dir, 'bad-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(`jrt0185: ${bad}:`)).toBe(true);
    expect(r.stderr).toMatch(/^[^\n]+:\d+:\d+: not valid JSON[^\n]*\n$/);
    expect(existsSync(join(dir, 'bad-out'))).toBe(false);
  });

  it('worker threads start from the bundle: each worker entry is built, and named by the chunk that starts it', () => {
    const chunks = readdirSync(BUNDLE).map((n) => readFileSync(join(BUNDLE, n), 'utf8'));
    for (const worker of ['portfolio-worker.js', 'logs-worker.js']) {
      expect(existsSync(join(BUNDLE, worker)), worker).toBe(true);
      expect(chunks.some((c) => c.includes(`new URL("./${worker}", import.meta.url)`)), worker).toBe(true);
    }
  });

  it('a run on JSON inputs with the shipped rulebook loads no YAML parser and no JSON Schema compiler; a dry probe neither', () => {
    // The fixture description as JSON (the same document), so nothing in the run is YAML.
    const spec = join(dir, 'openapi.json');
    writeFileSync(spec, JSON.stringify(parse(readFileSync('fixtures/compliant-bank/openapi.yaml', 'utf8'))));
    // ajv, yaml and js-yaml load through require (src/ajv.ts, src/yaml-source.ts), which NODE_DEBUG=module traces.
    const loaded = (r: { stderr: string }) => [...r.stderr.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]);
    const assess = runBin(['assess', '--no-config', '--openapi', spec, '--format', 'json', '--out', join(dir, 'json-out')], { NODE_DEBUG: 'module' });
    expect(assess.code, assess.stderr.slice(-500)).toBe(0);
    for (const heavy of ['ajv', 'ajv-formats', 'yaml', 'js-yaml', 'exceljs', 'playwright-core', 'undici']) {
      expect(loaded(assess), heavy).not.toContain(heavy);
    }
    const probe = runBin(['probe', '--tls-only', '--dry-run', 'https://127.0.0.1:9/'], { NODE_DEBUG: 'module' });
    expect(probe.code, probe.stderr.slice(-500)).toBe(0);
    for (const heavy of ['ajv', 'ajv-formats', 'yaml', 'js-yaml', 'exceljs', 'playwright-core', 'undici']) {
      expect(loaded(probe), heavy).not.toContain(heavy);
    }
    // The same run with a YAML input does load js-yaml: the trace is real.
    const yamlRun = runBin(['assess', '--no-config', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json', '--out', join(dir, 'yaml-out')], { NODE_DEBUG: 'module' });
    expect(loaded(yamlRun)).toContain('js-yaml');
  });
});
