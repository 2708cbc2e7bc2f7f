// Part of `npm run build`: bundles the command-line program (src/cli/main.ts) and the two worker-thread entry points
// with esbuild into a few ES-module files in dist/bundle/, which bin/jrt0185.js runs. WHY: start-up is most of a
// small CI run or a one-endpoint probe, and resolving, reading and compiling ~120 separate modules costs more than
// the same code in a handful of files. Code splitting keeps lazy imports lazy: each command, collector and renderer
// that main.ts or collect.ts imports on demand becomes a chunk loaded only when that command runs.
//
// The tsc output in dist/ stays the library (package "main") and what tests import; the bundle is one more view
// of the same sources, built in the same `npm run build`.
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
import { fileURLToPath } from 'node:url';

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

const importMetaUrl = {
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
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'main' },
    ...[...WORKERS].map(([file, out]) => ({ in: `src/${file}`, out })),
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  banner: { js: REQUIRE_BANNER },
  chunkNames: 'chunk-[hash]',
  tsconfig: 'tsconfig.build.json',
  plugins: [importMetaUrl],
  logLevel: 'warning',
  legalComments: 'none',
  // JRT0185_BUNDLE_META=FILE writes esbuild's metafile there: which sources each chunk holds (for start-up work).
  metafile: !!process.env.JRT0185_BUNDLE_META,
  write: false,
});
if (process.env.JRT0185_BUNDLE_META) await writeFile(process.env.JRT0185_BUNDLE_META, JSON.stringify(result.metafile));

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
for (const { path, contents } of result.outputFiles) {
  written.add(path);
  const same = await readFile(path).then((old) => Buffer.compare(old, contents) === 0, () => false);
  if (same) continue;
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}
for (const name of await readdir(outdir)) {
  const file = join(outdir, name);
  if (written.has(file)) continue;
  const { mtimeMs } = await stat(file);
  if (Date.now() - mtimeMs > 600_000) await rm(file, { force: true });
}
