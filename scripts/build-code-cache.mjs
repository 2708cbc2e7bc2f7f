// Part of `npm run build` (started by scripts/build-bundle.mjs): makes V8's code cache for the command line's
// CommonJS bundle. Usage: node scripts/build-code-cache.mjs dist/bundle/main.cjs dist/bundle/main.cjs.v8cache
//
// WHY a training run: V8's cache holds the code of the functions compiled when it is taken. Taken right after
// compiling, it would hold the top level only and every function would still be compiled at each start; taken after
// a small assessment, it holds what such a run needs (argument parsing, rulebook, reading, checks, scoring, the JSON
// report). Functions the training did not reach are compiled from source when first called, as without a cache.
// The cache changes no behaviour: it is the same code V8 would compile from the same source. Its header names the
// script's build and this V8, and a probe's cache tells a run whether V8 takes it (bin/load-bundle.js).
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import loader from '../bin/load-bundle.js';

const { BUILD_ID_LENGTH, buildIdOf, cacheFile: cacheFileOf, loadBundle } = loader;

const [scriptFile, cacheFile] = process.argv.slice(2);
const buildId = buildIdOf(readFileSync(scriptFile, 'utf8'));
if (buildId?.length !== BUILD_ID_LENGTH) throw new Error(`${scriptFile}: no build id on its last line`);

const work = mkdtempSync(join(tmpdir(), 'jrt0185-code-cache-'));
try {
  const { exports, script } = loadBundle(scriptFile, undefined);
  // The compliant fixture as YAML and as the same document in JSON: the common shapes of a small CI run.
  const yamlSpec = 'fixtures/compliant-bank/openapi.yaml';
  const jsonSpec = join(work, 'openapi.json');
  writeFileSync(jsonSpec, JSON.stringify(parse(readFileSync(yamlSpec, 'utf8')), null, 1));
  for (const [i, spec] of [yamlSpec, jsonSpec].entries()) {
    const args = ['assess', '--no-config', '--openapi', spec, '--format', 'json', '--out', join(work, `out-${i}`), '--lang', 'en'];
    const code = await exports.main([process.execPath, scriptFile, ...args]);
    if (code !== 0) throw new Error(`training run \`jrt0185 ${args.join(' ')}\` exited ${code}`);
  }
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, cacheFileOf(buildId, script.createCachedData()));
  renameSync(tmp, cacheFile);
} finally {
  rmSync(work, { recursive: true, force: true });
}
