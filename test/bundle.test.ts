/**
 * The command-line bundle (dist/bundle/, scripts/build-bundle.mjs) that bin/jrt0185.js runs — the CommonJS script
 * main.cjs with its V8 code cache (bin/load-bundle.js) — must behave exactly as the sources do, start its worker
 * threads from the bundle, use its code cache only when the cache was made for it, and leave the parsers and
 * validators it does not need unloaded. Uses dist/ (built by `npm install`; skipped, with the reason in its name,
 * when the bundle is absent).
 * Speed itself is measured by `npm run bench -- startup`, not here.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';

const BIN = resolve('bin/jrt0185.js');
const BUNDLE = resolve('dist/bundle');
const SCRIPT = join(BUNDLE, 'main.cjs');
const LOADER = resolve('bin/load-bundle.js');
const built = existsSync(join(BUNDLE, 'main.js')) && existsSync(SCRIPT);
// Without NODE_OPTIONS: V8 flags there would make V8 reject the code cache (the run stays right, only slower).
const NO_V8_FLAGS = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS')) as Record<string, string>;
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
    const chunks = readdirSync(BUNDLE).filter((n) => n.endsWith('.js')).map((n) => readFileSync(join(BUNDLE, n), 'utf8'));
    const script = readFileSync(SCRIPT, 'utf8');
    for (const worker of ['portfolio-worker.js', 'logs-worker.js']) {
      expect(existsSync(join(BUNDLE, worker)), worker).toBe(true);
      expect(chunks.some((c) => c.includes(`new URL("./${worker}", import.meta.url)`)), worker).toBe(true);
      // The CommonJS script bin/jrt0185.js runs starts the same bundled workers.
      expect(script.includes(`new URL("./${worker}",__jrt0185ScriptUrl)`), worker).toBe(true);
    }
  });

  it('bin/jrt0185.js runs the CommonJS script with the code cache the build made for it, which V8 accepts', () => {
    const r = spawnSync(process.execPath, ['-e', `const { loadBundle, readCache } = require(${JSON.stringify(LOADER)});
const { script, exports } = loadBundle(${JSON.stringify(SCRIPT)}, readCache(${JSON.stringify(SCRIPT)}));
process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, main: typeof exports.main }));`], { encoding: 'utf8', env: NO_V8_FLAGS });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rejected: false, main: 'function' });
    // Code restored from a cache cannot reach node's loader through import(): the build turns every one into a require.
    expect(/\bimport\s*\(/.test(readFileSync(SCRIPT, 'utf8'))).toBe(false);
  });

  it('a code cache made for another build, by another V8, under other V8 flags, or one V8 rejects, is left unused: the same report', () => {
    const cache = readFileSync(`${SCRIPT}.v8cache`);
    // bin/load-bundle.js: build id (64), V8 version (32), the probe's cache length (8 hex digits), the probe's cache.
    const data = 64 + 32 + 8 + Number.parseInt(cache.toString('latin1', 96, 104), 16);
    const cases: Record<string, { data: Buffer; rejected: string; env?: Record<string, string> }> = {
      // Another build of the script (a build that ran in between): the script is compiled from source.
      'another build': { data: Buffer.concat([Buffer.from('f'.repeat(64), 'latin1'), cache.subarray(64)]), rejected: 'undefined' },
      // This build, but data V8 does not take (its own header altered): V8 compiles from source.
      'rejected by V8': { data: Buffer.concat([cache.subarray(0, data), Buffer.from([cache[data]! ^ 0xff]), cache.subarray(data + 1)]), rejected: 'true' },
      // Made by another V8: not used (bin/jrt0185.js then runs the ES-module bundle).
      'another V8': { data: Buffer.concat([cache.subarray(0, 64), Buffer.from('0.0.0'.padEnd(32), 'latin1'), cache.subarray(96)]), rejected: 'no cache' },
      // V8 flags the cache was not made under: the probe says so, and the ES-module bundle runs.
      'other V8 flags': { data: cache, rejected: 'no cache', env: { NODE_OPTIONS: '--max-old-space-size=3000' } },
    };
    const args = (out: string) => ['assess', '--no-config', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json', '--out', out, '--lang', 'en'];
    const reference = runBin(args(join(dir, 'cache-ref')));
    expect(reference.code, reference.stderr).toBe(0);
    const expected = readFileSync(join(dir, 'cache-ref', 'jrt0185-report.json'), 'utf8');
    for (const [name, { data, rejected, env }] of Object.entries(cases)) {
      // A copy beside the script (its paths to rules/ and dist/ are relative to dist/bundle/).
      const copy = join(BUNDLE, `.test-${process.pid}-${name.replaceAll(' ', '-')}.cjs`);
      try {
        writeFileSync(copy, readFileSync(SCRIPT));
        writeFileSync(`${copy}.v8cache`, data);
        const before = readdirSync(BUNDLE).sort();
        const out = join(dir, `cache-${name.replaceAll(' ', '-')}`);
        // What bin/jrt0185.js does, with the copy.
        const r = spawnSync(process.execPath, ['-e', `const { loadBundle, readCache } = require(${JSON.stringify(LOADER)});
const cache = readCache(${JSON.stringify(copy)});
const loaded = cache ? loadBundle(${JSON.stringify(copy)}, cache) : undefined;
process.stderr.write('rejected=' + (loaded ? loaded.script.cachedDataRejected : 'no cache') + '\\n');
const main = loaded ? Promise.resolve(loaded.exports.main) : import(${JSON.stringify(pathToFileURL(join(BUNDLE, 'main.js')).href)}).then((m) => m.main);
main.then((m) => m([process.execPath, 'jrt0185', ...${JSON.stringify(args(out))}])).then((code) => { process.exitCode = code; });`], { encoding: 'utf8', env: { ...NO_V8_FLAGS, ...ENV, ...env } });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr.split('\n')[0], name).toBe(`rejected=${rejected}`);
        expect(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'), name).toBe(expected);
        expect(readdirSync(BUNDLE).sort(), name).toEqual(before);
      } finally {
        rmSync(copy, { force: true });
        rmSync(`${copy}.v8cache`, { force: true });
      }
    }
  });

  it('a run on JSON inputs with the shipped rulebook loads no YAML parser and no JSON Schema compiler, nor with a configuration file; a dry probe neither', () => {
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
    // With a configuration file too: its schema's validator is precompiled by the build (dist/cli/config-validator.cjs).
    const config = join(dir, 'jrt0185.config.yaml');
    writeFileSync(config, `openapi: openapi.json\nformat: json\nout: config-out\n`);
    const configured = runBin(['assess', '--config', config], { NODE_DEBUG: 'module' });
    expect(configured.code, configured.stderr.slice(-500)).toBe(0);
    for (const heavy of ['ajv', 'ajv-formats', 'yaml', 'exceljs', 'playwright-core', 'undici']) {
      expect(loaded(configured), heavy).not.toContain(heavy);
    }
    // The same run with a YAML input does load js-yaml: the trace is real.
    const yamlRun = runBin(['assess', '--no-config', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json', '--out', join(dir, 'yaml-out')], { NODE_DEBUG: 'module' });
    expect(loaded(yamlRun)).toContain('js-yaml');
  });
});
