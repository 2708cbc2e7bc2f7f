// npm run bench -- portfolio: every description of the corpus's openapi/ and openapi-real/ folders in one
// `jrt0185 assess` run (directories expanded, $ref fragments left aside), with the worker pool at one thread per
// core beside the same run on one thread (JRT0185_WORKERS=1), in the same invocation: wall time, seconds per 10 MB
// of input, peak RSS (the process's, worker threads included). Then the same portfolio as two shards and a merge,
// and Stripe's description alone as a yardstick of how loaded the machine is.
// Goal (issue 17): under 2 s per 10 MB on 2 cores, peak ≤ 500 MB. `--runs N` (default 3) for medians.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CORPUS, ROOT, arg, ensureBuilt, table } from './lib.mjs';

const dirs = [join(CORPUS, 'openapi'), join(CORPUS, 'openapi-real')];
if (!dirs.every(existsSync)) {
  console.log(`portfolio bench skipped: corpus not found at ${CORPUS} (set JRT0185_CORPUS)`);
  process.exit(0);
}
if (!process.argv.includes('--no-build')) ensureBuilt();
const runs = Number(arg('--runs', '3'));
const out = mkdtempSync(join(tmpdir(), 'jrt-bench-portfolio-'));
const bin = join(ROOT, 'bin', 'jrt0185.js');
const assessArgs = (dir) => ['assess', ...dirs.flatMap((d) => ['--openapi', d]), '--format', 'json', '--out', dir, '--lang', 'en', '--no-config'];
/**
 * Wall seconds, peak RSS and CPU seconds (user + system) of one run. CPU time is what the machine's other load does
 * not change: on a shared machine the wall time says how busy it was, the CPU time what the run cost.
 */
function timedCpu(args, env) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env });
  const lines = r.stderr.trim().split('\n');
  const [secs, kb, user, sys] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds: secs, peakMb: kb / 1024, cpu: user + sys, status: r.status, stderr: lines.slice(0, -1).join('\n') };
}
const run = (label, args, env) => {
  const all = Array.from({ length: runs }, () => timedCpu(args, { ...process.env, ...env })).sort((a, b) => a.seconds - b.seconds);
  const r = all[Math.floor(all.length / 2)];
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed: ${r.stderr}`);
  return r;
};

// A yardstick in the same invocation: one description alone (Stripe's 4.2 MB JSON), so the portfolio's time reads
// as a multiple of it whatever else the machine is doing (the README gives Stripe's time on an idle machine).
const stripe = join(CORPUS, 'openapi', 'stripe-spec3-2022-04.json');
const yardstick = run('stripe alone', ['assess', '--openapi', stripe, '--format', 'json', '--out', join(out, 'stripe'), '--lang', 'en', '--no-config'], {});
const pool = run('pool', assessArgs(join(out, 'pool')), {});
const single = run('one thread', assessArgs(join(out, 'single')), { JRT0185_WORKERS: '1' });
// The bytes assessed: every file read (descriptions and the files their $refs reach), once each.
const result = JSON.parse(readFileSync(join(out, 'pool', 'jrt0185-report.json'), 'utf8'));
const files = [...new Set(result.inputs.filter((i) => i.kind === 'openapi').map((i) => i.file))];
const mb = files.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
const shards = [0, 1].map((i) => run(`shard ${i}`, [...assessArgs(join(out, `s${i}`)), '--shard', `${i}/2`], { JRT0185_WORKERS: '1' }));
const merge = run('merge', ['merge', join(out, 's0', 'jrt0185-report.json'), join(out, 's1', 'jrt0185-report.json'), '--format', 'json', '--out', join(out, 'merged')], {});
const merged = JSON.parse(readFileSync(join(out, 'merged', 'jrt0185-report.json'), 'utf8'));
rmSync(out, { recursive: true, force: true });

const per10 = (s) => ((s * 10) / mb).toFixed(2);
console.log(
  `Portfolio: ${result.apis.length} descriptions, ${files.length} files read, ${mb.toFixed(1)} MB; ${result.findings.length} findings; ` +
    `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}; medians of ${runs} runs`,
);
console.log(
  table([
    ['run', 'wall s', 's per 10 MB', 'CPU s', 'CPU s per 10 MB', 'peak MB'],
    [`pool (${Math.min(8, availableParallelism())} threads)`, pool.seconds.toFixed(2), per10(pool.seconds), pool.cpu.toFixed(2), per10(pool.cpu), pool.peakMb.toFixed(0)],
    ['one thread', single.seconds.toFixed(2), per10(single.seconds), single.cpu.toFixed(2), per10(single.cpu), single.peakMb.toFixed(0)],
    ['shard 0/2 (one thread)', shards[0].seconds.toFixed(2), '', shards[0].cpu.toFixed(2), '', shards[0].peakMb.toFixed(0)],
    ['shard 1/2 (one thread)', shards[1].seconds.toFixed(2), '', shards[1].cpu.toFixed(2), '', shards[1].peakMb.toFixed(0)],
    ['merge of the two', merge.seconds.toFixed(2), '', merge.cpu.toFixed(2), '', merge.peakMb.toFixed(0)],
    ['yardstick: Stripe 4.2 MB alone', yardstick.seconds.toFixed(2), per10(yardstick.seconds * (mb / 4.17)), yardstick.cpu.toFixed(2), per10(yardstick.cpu * (mb / 4.17)), yardstick.peakMb.toFixed(0)],
  ]),
);
console.log(`portfolio (pool) = ${(pool.seconds / yardstick.seconds).toFixed(1)}× Stripe alone, for ${(mb / 4.17).toFixed(1)}× its bytes`);
console.log(`pool on ${availableParallelism()} idle cores, at best: ${(pool.cpu / availableParallelism()).toFixed(1)} s (its CPU time spread evenly), ${per10(pool.cpu / availableParallelism())} s per 10 MB`);
console.log(`pool speed-up over one thread: ${(single.seconds / pool.seconds).toFixed(2)}×; merged score ${merged.score} = one run ${result.score}: ${merged.score === result.score}`);
