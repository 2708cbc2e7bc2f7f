#!/usr/bin/env node
/**
 * Live-probe benchmark (issue 12): starts N loopback HTTPS endpoints (TLS 1.2 + 1.3, node's default suites, in a
 * separate process so that neither tool shares its event loop), then times in the same run, each as its own process
 * under GNU time (wall seconds, CPU seconds user + sys, peak RSS), median of --runs runs:
 *   - `jrt0185 probe --tls-only` (the work sslscan does: protocols, suites, certificate; no request waits for the
 *     rate cap, since it sends no HTTP beyond its one GET) on one endpoint and on all N in one process;
 *   - `jrt0185 probe` with its HTTP probes and the default rate cap (10 requests/s per host) on one endpoint;
 *   - `sslscan` on the same endpoints: one, and all N with the same number running at a time;
 *   - what one endpoint's time is made of: `node -e 0` (node's own start, with and without NODE_EXTRA_CA_CERTS,
 *     which this sandbox sets), and the TLS probe alone in a fresh node process (its modules and its connections, no
 *     command line, rulebook or report): the CLI row minus that one is the command's start-up and report.
 *
 *   npm run bench -- probe [--endpoints 50] [--concurrency 8] [--runs 3 | --runs=3] [--no-build]
 *
 * Goal: jrt0185 TLS-only ≤ 1.0× sslscan's wall time per endpoint (one endpoint and N), peak memory shown beside.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ARGS as args, ROOT as root, arg as argSpaced, table } from './lib.mjs';

/** `--name value` or `--name=value` (npm run bench passes only arguments that start with a dash). */
function arg(name, dflt) {
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : argSpaced(name, dflt);
}

/** cmd under GNU time: wall seconds, CPU seconds (user + sys), peak RSS in MB, exit status, stderr. */
function timed(cmd, cmdArgs, opts = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const lines = r.stderr.trim().split('\n');
  const [secs, user, sys, kb] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds: secs, cpu: user + sys, peakMb: kb / 1024, status: r.status, stderr: lines.slice(0, -1).join('\n') };
}

const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;

// Child mode: serve N endpoints, print their ports, stay up until stdin closes.
if (args[0] === '--serve') {
  const { generatePki } = await import(dist('simulator/certs.js'));
  const pki = await generatePki();
  const n = Number(args[1]);
  const ports = [];
  for (let i = 0; i < n; i++) {
    const s = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem, minVersion: 'TLSv1.2' }, (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'strict-transport-security': 'max-age=31536000' });
      res.end('{"code":"UNAUTHENTICATED"}');
    });
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    ports.push(s.address().port);
  }
  process.stdout.write(`${JSON.stringify({ ports, caFile: pki.caCertFile })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    rmSync(pki.dir, { recursive: true, force: true });
    process.exit(0);
  });
} else {
  await main();
}

function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

/** Median by wall time of `runs` timings of fn (each returns { seconds, peakMb }). */
async function median(runs, fn) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await fn());
  all.sort((a, b) => a.seconds - b.seconds);
  return all[Math.floor(all.length / 2)];
}

/** N commands, `concurrency` at a time, each under GNU time: wall of the whole batch, largest peak RSS of one. */
async function batch(cmds, concurrency) {
  const started = process.hrtime.bigint();
  let next = 0;
  let peakMb = 0;
  let cpu = 0;
  let failures = 0;
  const one = (cmd) =>
    new Promise((resolve) => {
      const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => {
        const [, user, sys, kb] = (err.trim().split('\n').pop() ?? '').split(' ').map(Number);
        peakMb = Math.max(peakMb, (kb || 0) / 1024);
        cpu += (user || 0) + (sys || 0);
        if (code !== 0) failures += 1;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: Math.min(concurrency, cmds.length) }, async () => {
      while (next < cmds.length) await one(cmds[next++]);
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu, peakMb, failures };
}

async function main() {
  const n = Number(arg('--endpoints', '50'));
  const concurrency = Number(arg('--concurrency', '8'));
  const runs = Number(arg('--runs', '3'));
  if (!args.includes('--no-build')) {
    // The steps of `npm run build` one by one: tsc emits even when unrelated files have type errors (which stop
    // `npm run build` before the bundle), and bin/jrt0185.js runs the bundle when there is one, so a stale bundle
    // would be measured instead of the code.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    for (const step of ['build-validators.mjs', 'build-rulebook.mjs', 'build-bundle.mjs']) {
      if (!existsSync(join(root, 'scripts', step))) continue;
      const r = spawnSync(process.execPath, [join(root, 'scripts', step)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error(`scripts/${step} failed`);
    }
  }
  if (!existsSync(join(root, 'dist', 'collectors', 'probe', 'index.js'))) throw new Error('dist/collectors/probe/index.js missing: npm run build failed');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { ports, caFile } = await new Promise((resolveReady) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolveReady(JSON.parse(buf));
    });
  });
  const urls = ports.map((p) => `https://127.0.0.1:${p}/api/v1/accounts`);
  const out = mkdtempSync(join(tmpdir(), 'jrt0185-bench-probe-'));
  const cli = join(root, 'bin', 'jrt0185.js');
  const jrt = (extra, list) => () => {
    const r = timed(process.execPath, [cli, 'probe', ...list, '--ca', caFile, '--format', 'json', '--out', out, ...extra]);
    if (r.status !== 0 && r.status !== 1) throw new Error(`jrt0185 probe exited ${r.status}: ${r.stderr}`);
    return r;
  };
  const sslscanArgs = (u) => ['sslscan', '--no-colour', '--no-heartbleed', '--no-compression', '--no-fallback', '--no-renegotiation', '--no-groups', new URL(u).host];

  // Warm-up (page cache, OpenSSL tables): not measured.
  jrt(['--tls-only'], [urls[0]])();

  const rows = [['run', 'endpoints', 'wall s', 's / endpoint', 'CPU s', 'peak MB']];
  const row = (name, count, r) => rows.push([name, count, r.seconds.toFixed(3), (r.seconds / count).toFixed(3), r.cpu.toFixed(3), r.peakMb.toFixed(1)]);
  // What one endpoint is made of: node's own start, and the TLS probe alone (no CLI, rulebook or report).
  const nodeStart = await median(runs, () => timed(process.execPath, ['-e', '0']));
  row('node -e 0 (node start alone)', 1, nodeStart);
  const withoutExtraCa = { ...process.env };
  delete withoutExtraCa.NODE_EXTRA_CA_CERTS;
  const nodeBare = await median(runs, () => timed(process.execPath, ['-e', '0'], { env: withoutExtraCa }));
  row('node -e 0 without NODE_EXTRA_CA_CERTS', 1, nodeBare);
  const probeAlone = `const { probeUrls, readPemFiles } = await import(${JSON.stringify(dist('collectors/probe/urls.js'))});
    await probeUrls([${JSON.stringify(urls[0])}], { tlsOnly: true, ca: await readPemFiles([${JSON.stringify(caFile)}]) });`;
  const tlsAlone = await median(runs, () => timed(process.execPath, ['--input-type=module', '-e', probeAlone]));
  row('TLS probe alone: node + probe modules + connections', 1, tlsAlone);
  const tlsOne = await median(runs, jrt(['--tls-only'], [urls[0]]));
  row('jrt0185 probe --tls-only', 1, tlsOne);
  const fullOne = await median(runs, jrt([], [urls[0]]));
  row('jrt0185 probe (TLS + HTTP, rate cap 10/s)', 1, fullOne);
  const tlsAll = await median(runs, jrt(['--tls-only'], urls));
  row(`jrt0185 probe --tls-only, one process (8 URLs at a time)`, n, tlsAll);

  let sslOne;
  let sslAll;
  if (has('sslscan')) {
    sslOne = await median(runs, async () => batch([sslscanArgs(urls[0])], 1));
    row('sslscan', 1, sslOne);
    sslAll = await median(runs, async () => batch(urls.map(sslscanArgs), concurrency));
    row(`sslscan, ${concurrency} processes at a time (peak: largest one)`, n, sslAll);
  } else rows.push(['sslscan', 'not installed', '', '', '']);
  child.stdin.end();
  rmSync(out, { recursive: true, force: true });

  console.log(table(rows));
  if (!sslOne) return;
  const ratioOne = tlsOne.seconds / sslOne.seconds;
  const ratioAll = tlsAll.seconds / n / (sslAll.seconds / n);
  console.log(`\nratio jrt0185 --tls-only / sslscan, wall per endpoint: 1 endpoint ${ratioOne.toFixed(2)}×, ${n} endpoints ${ratioAll.toFixed(2)}×`);
  console.log(`peak memory: jrt0185 ${tlsAll.peakMb.toFixed(1)} MB for all ${n} in one process; sslscan ${sslAll.peakMb.toFixed(1)} MB per process (${concurrency} at a time)`);
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  console.log(
    `one endpoint, wall: node start ${ms(nodeStart.seconds)} (${ms(nodeBare.seconds)} without NODE_EXTRA_CA_CERTS); ` +
      `probe modules + TLS work ${ms(tlsAlone.seconds - nodeStart.seconds)}; command start-up, rulebook and report ${ms(tlsOne.seconds - tlsAlone.seconds)}; ` +
      `sslscan's whole run ${ms(sslOne.seconds)}`,
  );
  const targets = [
    ['jrt0185 --tls-only ≤ 1.0× sslscan per endpoint (1 endpoint)', ratioOne <= 1.0],
    [`jrt0185 --tls-only ≤ 1.0× sslscan per endpoint (${n} endpoints)`, ratioAll <= 1.0],
  ];
  for (const [what, ok] of targets) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  process.exitCode = targets.every(([, ok]) => ok) ? 0 : 1;
}
