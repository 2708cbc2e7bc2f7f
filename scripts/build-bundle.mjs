// Part of `npm run build`: bundles the command-line program (src/cli/main.ts) and the two worker-thread entry points
// with esbuild into a few ES-module files in dist/bundle/, which bin/jrt0185.js runs. WHY: start-up is most of a
// small CI run or a one-endpoint probe, and resolving, reading and compiling ~120 separate modules costs more than
// the same code in a handful of files. Code splitting keeps lazy imports lazy: each command, collector and renderer
// that main.ts or collect.ts imports on demand becomes a chunk loaded only when that command runs.
//
// The tsc output in dist/ stays the library (package "main") and what tests import; the bundle is one more view
// of the same sources, built in the same `npm run build`.
//
// The same program is also bundled as ONE CommonJS script, dist/bundle/main.cjs, which bin/jrt0185.js runs first
// (bin/load-bundle.js) with a V8 code cache made here by a training run (scripts/build-code-cache.mjs). WHY: node 20
// compiles an ES module from source at every start, and compiling was the largest part of a small run's fixed cost;
// a classic script can take V8's cached data. Lazy imports stay lazy there too: esbuild runs a module imported with
// import() only when it is imported (its code is compiled, from the cache, but not run). The worker threads start
// from the ES-module bundle. The file holds the script already inside the function node's CommonJS loader would
// wrap it in (run with node directly, it defines that function and does nothing else). Its last line names its
// build (a hash of its text) and the cache starts with the same name, so a cache from another build is never used.
//
// Two things a bundle would otherwise change, both handled here at build time:
// - `import.meta.url`: modules find shipped files relative to themselves (rules/, schemas/, presets/, the
//   precompiled validators, `yaml` and `ajv` through createRequire). In every source module it is replaced by the URL
//   that module has in dist/ (the tsc output), so those paths resolve exactly as they do unbundled.
// - worker threads: `new URL('./worker.js', import.meta.url)` naming a worker entry point becomes the bundled
//   worker beside the chunk, so a pool thread starts from the bundle too. The build fails if a worker entry is never
//   named this way (a renamed worker would otherwise silently run unbundled).
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import loader from '../bin/load-bundle.js';

const { BUILD_ID_LENGTH, BUILD_MARK, CACHE_SUFFIX, SCRIPT_WRAPPER } = loader;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const outdir = join(root, 'dist', 'bundle');
const toPosix = (p) => p.split(sep).join('/');

/** Worker entry points: source file (relative to src/) → bundled file name in dist/bundle/. */
const WORKERS = new Map([
  ['portfolio/worker.ts', 'portfolio-worker'],
  ['collectors/logs/worker.ts', 'logs-worker'],
]);
const workersNamed = new Set();

/** The URL a source module has once tsc has built it into dist/, written relative to a file in dist/bundle/. */
function distUrlExpression(file) {
  const distFile = join(root, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
  return `new URL(${JSON.stringify(toPosix(relative(outdir, distFile)))}, import.meta.url).href`;
}

/**
 * Bundled dependencies: commander (every run; loaded from node_modules, its ES-module-to-CommonJS interop costs ~30 ms
 * at every start) and chalk (several small ES modules). The others stay in node_modules and load lazily when needed:
 * ajv, yaml and js-yaml through createRequire, exceljs and playwright-core through import().
 */
const BUNDLED = new Set(['commander', 'chalk']);
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const EXTERNAL = Object.keys(pkg.dependencies).filter((d) => !BUNDLED.has(d));
// A bundled CommonJS module (commander) requires node built-ins; an ES module has no `require`, so each chunk gets one.
const REQUIRE_BANNER = "import { createRequire as __jrt0185CreateRequire } from 'node:module';\nconst require = __jrt0185CreateRequire(import.meta.url);";

const CHUNK_URL = '__jrt0185_chunk_url__';
const WORKER_URL = /new URL\((['"])(\.\.?\/[^'"]+\.js)\1,\s*import\.meta\.url\)/g;
// The CommonJS script's own URL (it has no import.meta), defined by its banner.
const SCRIPT_URL = '__jrt0185ScriptUrl';

/** `ownUrl`: how the output file names its own URL (import.meta.url in an ES module, SCRIPT_URL in the script). */
const importMetaUrl = (ownUrl) => ({
  name: 'import-meta-url-as-in-dist',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        text = text.replace(WORKER_URL, (whole, _q, spec) => {
          const target = toPosix(relative(src, resolve(dirname(args.path), spec))).replace(/\.js$/, '.ts');
          const bundled = WORKERS.get(target);
          if (!bundled) return whole;
          workersNamed.add(target);
          return `new URL(${JSON.stringify(`./${bundled}.js`)}, ${CHUNK_URL})`;
        });
        // Every other import.meta.url is the module's place in dist/; the worker's stays the chunk's own.
        text = text.replaceAll('import.meta.url', distUrlExpression(args.path)).replaceAll(CHUNK_URL, 'import.meta.url');
        if (ownUrl !== 'import.meta.url') text = text.replaceAll('import.meta.url', ownUrl);
      }
      return { contents: text, loader: 'ts' };
    });
    // commander requires node:child_process when it loads, for subcommands run as separate executables, which
    // jrt0185 has none of; loading it (with net, dgram and streams) cost ~6 ms at every start. Required on first use
    // instead. Should commander's code change, it is bundled as it is.
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      // Only when spawn is all it uses (the stand-in has nothing else).
      if (!text.includes(eager) || text.split('childProcess.').length !== text.split('childProcess.spawn(').length) return undefined;
      const lazy = "let childProcessModule;\nconst childProcess = { spawn: (...a) => (childProcessModule ??= require('node:child_process')).spawn(...a) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
});

/** What the ES-module bundle and the CommonJS script are built with alike. */
const COMMON = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
  legalComments: 'none',
  write: false,
};

const result = await build({
  ...COMMON,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'main' },
    ...[...WORKERS].map(([file, out]) => ({ in: `src/${file}`, out })),
  ],
  splitting: true,
  format: 'esm',
  banner: { js: REQUIRE_BANNER },
  chunkNames: 'chunk-[hash]',
  plugins: [importMetaUrl('import.meta.url')],
  // JRT0185_BUNDLE_META=FILE writes esbuild's metafile there: which sources each chunk holds (for start-up work).
  metafile: !!process.env.JRT0185_BUNDLE_META,
});
if (process.env.JRT0185_BUNDLE_META) await writeFile(process.env.JRT0185_BUNDLE_META, JSON.stringify(result.metafile));

// The same command line as one CommonJS script (see the top of this file); its last line names this build.
const script = await build({
  ...COMMON,
  entryPoints: [{ in: 'src/cli/main.ts', out: 'main' }],
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // Strict as the ES modules are (the directive must come first), and the script's own URL for import.meta.url.
  banner: { js: `"use strict";\nconst ${SCRIPT_URL} = require("node:url").pathToFileURL(__filename).href;` },
  plugins: [importMetaUrl(SCRIPT_URL)],
  // import() becomes a require() inside a promise: code V8 restores from a cache has no way back to node's module
  // loader for import(). Builtins and the CommonJS packages (exceljs, undici, playwright-core's main) are the same
  // objects either way; a native import() left in the script fails the build (below).
  supported: { 'dynamic-import': false },
  // Every run reads and decodes the whole script: 1.15 MB, 0.88 MB without layout and comments (measured ~10 ms
  // less per run). Whitespace and comments only: names and code stay as they are.
  minifyWhitespace: true,
});
const scriptFile = join(outdir, 'main.cjs');
const scriptText = script.outputFiles[0].text;
if (/\bimport\s*\(/.test(scriptText)) {
  process.stderr.write('build-bundle: main.cjs still holds an import(), which fails in code restored from the cache\n');
  process.exit(1);
}
// Written inside the function node's CommonJS loader would wrap it in, so that bin/load-bundle.js compiles the
// file's text as it is read: wrapping it at run time made one more copy of the ~1.7 MB (two-byte) source.
const wrapped = `${SCRIPT_WRAPPER[0]}${scriptText}${SCRIPT_WRAPPER[1]}`;
const buildId = createHash('sha256').update(wrapped).digest('hex');
if (buildId.length !== BUILD_ID_LENGTH) throw new Error('build-bundle: build id length');
const outputs = [...result.outputFiles, { path: scriptFile, contents: Buffer.from(`${wrapped}${BUILD_MARK}${buildId}\n`) }];

const missing = [...WORKERS.keys()].filter((w) => !workersNamed.has(w));
if (missing.length) {
  process.stderr.write(`build-bundle: no module starts the worker(s) ${missing.join(', ')} with new URL('./…js', import.meta.url)\n`);
  process.exit(1);
}

// Written in place, each file atomically, and an old chunk removed only once it is ten minutes old: a build (every
// `npm run bench` starts with one) must not pull a chunk from under a run started a moment before it. Chunk names
// are content hashes, so an unchanged chunk keeps its name and file.
await mkdir(outdir, { recursive: true });
const written = new Set();
for (const { path, contents } of outputs) {
  written.add(path);
  const same = await readFile(path).then((old) => Buffer.compare(old, contents) === 0, () => false);
  if (same) continue;
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}
// V8's code cache for the script, made by a training run in a separate process (scripts/build-code-cache.mjs).
const cacheFile = scriptFile + CACHE_SUFFIX;
written.add(cacheFile);
// Without NODE_OPTIONS: V8 takes a cache only under the flags it was made with, so it is made under none, as most
// runs are (a run under others, --max-old-space-size say, is told so by the cache's probe and runs the ES modules).
const { NODE_OPTIONS: _ignored, ...trainingEnv } = process.env;
const training = spawnSync(process.execPath, [join(root, 'scripts', 'build-code-cache.mjs'), scriptFile, cacheFile], { cwd: root, encoding: 'utf8', env: trainingEnv });
if (training.status !== 0) {
  process.stderr.write(`build-bundle: the code cache's training run failed (exit ${training.status ?? training.signal}):\n${training.stderr}`);
  process.exit(1);
}
for (const name of await readdir(outdir)) {
  const file = join(outdir, name);
  if (written.has(file)) continue;
  const { mtimeMs } = await stat(file);
  if (Date.now() - mtimeMs > 600_000) await rm(file, { force: true });
}
