// Shared helpers of the benchmark scripts: timing a command with GNU time (wall seconds + peak RSS), installing a
// peer tool into .bench-cache on demand (never a dependency of the package), and printing a table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(ROOT, '.bench-cache');
/** `--name value` from the command line, or the default. */
export const ARGS = process.argv.slice(2);
/** A flag's value, written `--runs 5` or `--runs=5`. */
export function arg(name, dflt) {
  const joined = ARGS.find((a) => a.startsWith(`${name}=`));
  if (joined !== undefined) return joined.slice(name.length + 1);
  const i = ARGS.indexOf(name);
  return i >= 0 ? ARGS[i + 1] : dflt;
}
export const CORPUS = process.env.JRT0185_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');

/** Runs cmd args under /usr/bin/time; returns { seconds, peakMb, status, stdout, stderr }. */
export function timed(cmd, args, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const lines = r.stderr.trim().split('\n');
  const [secs, kb] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds: secs, peakMb: kb / 1024, status: r.status, stdout: r.stdout, stderr: lines.slice(0, -1).join('\n') };
}

/** Median of `runs` timings (wall time and the peak RSS of that run). */
export function median(cmd, args, runs = 3, opts = {}) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(timed(cmd, args, opts));
  results.sort((a, b) => a.seconds - b.seconds);
  return results[Math.floor(results.length / 2)];
}

/** Installs an npm package into .bench-cache once; returns the path of its binary. */
export function peerBin(pkg, bin) {
  const path = join(CACHE, 'node_modules', '.bin', bin);
  if (!existsSync(path)) {
    mkdirSync(CACHE, { recursive: true });
    if (!existsSync(join(CACHE, 'package.json'))) writeFileSync(join(CACHE, 'package.json'), '{"private":true}\n');
    process.stderr.write(`installing ${pkg} into .bench-cache …\n`);
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', CACHE, pkg], { stdio: 'inherit' });
    if (r.status !== 0) return undefined;
  }
  return path;
}

export function ensureBuilt() {
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('build failed');
}

export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
}
