// npm run bench -- openapi: `jrt0185 assess` on the corpus's Stripe (~4 MB) and GitHub (~13 MB) specs against
// Spectral (spectral:oas ruleset) on the same files, in the same run: wall time, peak RSS, ratio.
// Targets (issue 17): Stripe JSON ≤ 0.4 s and ≥ 15× Spectral, GitHub ≤ 0.8 s, peak RSS ≤ 200 MB for both (issue 3's
// were Stripe < 3 s, GitHub < 8 s, < 1 GB, ≥ 5×). That findings stay identical while this gets faster is checked by
// test/openapi-fingerprints.test.ts, not here.
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARGS, CORPUS, ROOT, arg, ensureBuilt, median, peerBin, table, timed } from './lib.mjs';

// Options (flags only: `npm run bench` takes bare words as benchmark names):
//   --no-peer   skip Spectral (it takes minutes on a loaded machine); the ratio column is then n/a
//   --stripe    the two Stripe specs only (leave out GitHub's 13 MB)
//   --runs=N    runs per spec for jrt0185 (median; default 3)
//   --no-build  run the dist/ already built (as bench/portfolio.mjs does)
//   --before=DIR  also run DIR/bin/jrt0185.js (another built checkout, e.g. an earlier commit from `git archive` with
//               node_modules linked), alternating with this one run by run: this machine's speed drifts by a fifth
//               within an hour, so a change is judged against the code before it in the same minutes
const noPeer = ARGS.includes('--no-peer');
const runs = Number(arg('--runs', '3')) || 3;
const names = ['stripe-spec3-2023-09.yaml', 'stripe-spec3-2022-04.json', ...(ARGS.includes('--stripe') ? [] : ['github-api.github.com.json'])];
const specs = names.map((f) => join(CORPUS, 'openapi', f));
if (!specs.every(existsSync)) {
  console.log(`openapi bench skipped: corpus not found at ${CORPUS} (set JRT0185_CORPUS)`);
  process.exit(0);
}
if (!ARGS.includes('--no-build')) ensureBuilt();
const out = mkdtempSync(join(tmpdir(), 'jrt-bench-'));
const spectral = noPeer ? undefined : peerBin('@stoplight/spectral-cli@6', 'spectral');
const ruleset = join(out, '.spectral.yaml');
writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');

const before = arg('--before', undefined);
const assessArgs = (bin, spec) => [join(bin, 'bin', 'jrt0185.js'), 'assess', '--no-config', '--openapi', spec, '--format', 'json', '--out', out, '--lang', 'en'];
const ok = (r, spec) => {
  if (r.status !== 0 && r.status !== 1) throw new Error(`assess failed on ${spec}: ${r.stderr}`);
  return r;
};
/** Medians of `runs` runs of this checkout and, when --before is given, of that one, alternating run by run. */
function alternating(spec) {
  const mine = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    if (before) theirs.push(ok(timed(process.execPath, assessArgs(before, spec)), spec));
    mine.push(ok(timed(process.execPath, assessArgs(ROOT, spec)), spec));
  }
  const mid = (list) => list.sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)];
  return { ours: mid(mine), earlier: theirs.length > 0 ? mid(theirs) : undefined };
}

const rows = [['spec', 'size MB', ...(before ? ['before s', 'before MB'] : []), 'jrt0185 s', 'jrt0185 MB', 'spectral s', 'spectral MB', 'speed-up']];
for (const spec of specs) {
  const { ours, earlier } = alternating(spec);
  // Spectral takes ~77 s on GitHub: three runs where it is affordable, one there.
  const spectralRuns = spec.includes('github') ? 1 : 3;
  const theirs = spectral ? median(spectral, ['lint', spec, '--ruleset', ruleset, '--format', 'json', '--quiet'], spectralRuns) : undefined;
  const { size } = await import('node:fs').then((fs) => fs.statSync(spec));
  rows.push([
    spec.split('/').pop(),
    (size / 1e6).toFixed(1),
    ...(earlier ? [earlier.seconds.toFixed(2), earlier.peakMb.toFixed(0)] : []),
    ours.seconds.toFixed(2),
    ours.peakMb.toFixed(0),
    theirs ? theirs.seconds.toFixed(2) : 'n/a',
    theirs ? theirs.peakMb.toFixed(0) : 'n/a',
    theirs ? `${(theirs.seconds / ours.seconds).toFixed(1)}×` : 'n/a',
  ]);
}
rmSync(out, { recursive: true, force: true });
console.log(`OpenAPI assess vs Spectral (jrt0185: medians of ${runs} runs${before ? `, alternating with ${before}` : ''}; Spectral: 3 runs, once on GitHub${noPeer ? ', skipped (--no-peer)' : ''}; wall time, peak RSS)`);
console.log(table(rows));
