#!/usr/bin/env node
// The command-line program bundled by scripts/build-bundle.mjs: start-up is most of a small CI run or a one-endpoint
// probe. First choice, dist/bundle/main.cjs: one CommonJS script run with the V8 code cache the build made for it
// (bin/load-bundle.js), when this node's V8 takes that cache; else the ES-module bundle dist/bundle/main.js (the
// same sources, compiled at every start); a build without the bundle (tsc alone) runs the separate modules in dist/.
//
// CommonJS (bin/package.json): a CommonJS entry point spares node its ES-module loader on the usual path.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { loadBundle, readCache } = require('./load-bundle.js');

const bundle = join(__dirname, '..', 'dist', 'bundle');
const script = join(bundle, 'main.cjs');
const cache = existsSync(script) ? readCache(script) : undefined;
const modules = join(bundle, 'main.js');
const loaded = cache
  ? Promise.resolve(loadBundle(script, cache).exports)
  : import(pathToFileURL(existsSync(modules) ? modules : join(__dirname, '..', 'dist', 'cli', 'main.js')).href);

loaded
  .then(({ main }) => main(process.argv))
  .then((code) => {
    process.exitCode = code;
  });
