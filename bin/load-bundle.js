// Runs the command line's CommonJS bundle (dist/bundle/main.cjs, scripts/build-bundle.mjs) with the V8 code cache the
// build made for it (main.cjs.v8cache); CommonJS itself (bin/package.json). WHY: compiling the command line's code
// was the largest part of a small run's fixed cost, and node 20 keeps no compiled code between runs of an ES module;
// a classic script compiled by vm.Script can take V8's cached data. The cache is only ever written by the build
// (scripts/build-code-cache.mjs): nothing here writes.
//
// The cache starts with a header naming the build of the script it was made for (the script's last line names its
// build too: V8 itself would only compare the source's length) and the V8 version that made it, then the cache of a
// tiny probe script made with it. A cache V8 will not take (another V8, or other V8 flags: NODE_OPTIONS=
// --max-old-space-size=… in many CI jobs) is of no use, and the script without one starts slower than the ES-module
// bundle, so bin/jrt0185.js runs that instead: the probe's cache, rejected or not exactly as the script's would be
// (V8 checks its version and flags the same way for both), tells in ~0.1 ms. A cache for another build (a build that
// ran between reading the two files) is left unused and the script compiled from source. Either way the same code
// runs.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

/**
 * The bundle as the build writes it: its code inside the function node's CommonJS loader would wrap it in, so that
 * the file's text is what V8 compiles (no copy of the ~1.7 MB source to wrap it at every start).
 */
const SCRIPT_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];
/** The bundle's last line: `//# jrt0185-build=<hex sha-256 of everything before it>`, written by the build. */
const BUILD_MARK = '\n//# jrt0185-build=';
const BUILD_ID_LENGTH = 64;
/**
 * The cache's header: the build id, the V8 version that made the cache (padded with spaces), the probe's cache
 * length (8 hex digits); then the probe's cache, then the script's.
 */
const V8_LENGTH = 32;
const PROBE_LENGTH_DIGITS = 8;
const HEADER_LENGTH = BUILD_ID_LENGTH + V8_LENGTH + PROBE_LENGTH_DIGITS;
const CACHE_SUFFIX = '.v8cache';
/** The probe script: V8 takes or rejects its cache as it would the bundle's (same version and flag checks). */
const PROBE_SOURCE = "'jrt0185: does this V8 take a cache made by the build?'";

/** The build id the bundle's last line names, or undefined. */
function buildIdOf(source) {
  const at = source.lastIndexOf(BUILD_MARK);
  return at < 0 ? undefined : source.slice(at + BUILD_MARK.length, at + BUILD_MARK.length + BUILD_ID_LENGTH);
}

const v8Version = () => process.versions.v8.padEnd(V8_LENGTH).slice(0, V8_LENGTH);

/** The cache file the build writes: header, the probe's cache made by this V8, the script's cache. */
function cacheFile(buildId, scriptCache) {
  const probe = new vm.Script(PROBE_SOURCE).createCachedData();
  const header = `${buildId}${v8Version()}${probe.length.toString(16).padStart(PROBE_LENGTH_DIGITS, '0')}`;
  return Buffer.concat([Buffer.from(header, 'latin1'), probe, scriptCache]);
}

/**
 * The build's cache for `file` when this V8, with its flags, takes it; else undefined (none, unreadable, another
 * V8's, or rejected under other V8 flags). Returned whole: loadBundle checks it names the script's build.
 */
function readCache(file) {
  let cache;
  try {
    cache = readFileSync(file + CACHE_SUFFIX);
  } catch {
    return undefined;
  }
  if (cache.length <= HEADER_LENGTH || cache.toString('latin1', BUILD_ID_LENGTH, BUILD_ID_LENGTH + V8_LENGTH) !== v8Version()) return undefined;
  const probeLength = Number.parseInt(cache.toString('latin1', BUILD_ID_LENGTH + V8_LENGTH, HEADER_LENGTH), 16);
  if (!(probeLength > 0) || HEADER_LENGTH + probeLength >= cache.length) return undefined;
  const probe = new vm.Script(PROBE_SOURCE, { cachedData: cache.subarray(HEADER_LENGTH, HEADER_LENGTH + probeLength) });
  if (probe.cachedDataRejected !== false) return undefined;
  return { buildId: cache.toString('latin1', 0, BUILD_ID_LENGTH), data: cache.subarray(HEADER_LENGTH + probeLength) };
}

/**
 * Compiles and runs the CommonJS bundle `file` (an absolute path) the way node's own loader runs a .cjs module, with
 * `cache` (readCache's `{ buildId, data }`) when it was made for this build of the script. Returns its exports and
 * the compiled script (the build asks it for the cache).
 */
function loadBundle(file, cache) {
  const source = readFileSync(file, 'utf8');
  const fits = cache !== undefined && cache.buildId === buildIdOf(source);
  // No importModuleDynamically: code restored from a cache loses it (node 20), so the build leaves no import() in
  // the bundle (esbuild turns each into a require).
  const script = new vm.Script(source, {
    filename: file,
    cachedData: fits ? cache.data : undefined,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script };
}

module.exports = { BUILD_MARK, BUILD_ID_LENGTH, CACHE_SUFFIX, SCRIPT_WRAPPER, buildIdOf, cacheFile, readCache, loadBundle };
