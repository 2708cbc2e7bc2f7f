#!/usr/bin/env node
/**
 * Live-probe benchmark (issue 7): starts N loopback HTTPS endpoints (TLS 1.2 + 1.3, node's default suites, in a
 * separate process so the prober has its own event loop), then times in the same run:
 *   - jrt0185's full TLS + HTTP probe (probeUrls) on one endpoint, then on all N with bounded concurrency;
 *   - `sslscan` on the same endpoints (same concurrency);
 *   - `testssl.sh --protocols --each-cipher` on one endpoint (on all N only with --testssl-all: ~12 s each;
 *     testssl.sh 3.0 has no --ciphers option).
 *
 *   node bench/probe.mjs [--endpoints 50] [--concurrency 10] [--testssl-all]
 *
 * Targets: one endpoint < 1 s, 50 endpoints < 10 s, faster than sslscan per endpoint.
 */
import { spawn, spawnSync, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { ARGS as args, ROOT as root, arg } from './lib.mjs';
const run = promisify(execFile);
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
  process.stdout.write(`${JSON.stringify({ ports, ca: pki.caCertPem })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  await main();
}

async function mapBounded(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

function has(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

async function main() {
  const n = Number(arg('--endpoints', '50'));
  const concurrency = Number(arg('--concurrency', '10'));
  if (!args.includes('--no-build')) {
    // tsc emits even when unrelated files have type errors; the probe modules are what matter here.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  }
  if (!existsSync(join(root, 'dist', 'collectors', 'probe', 'index.js'))) throw new Error('dist/collectors/probe/index.js missing: npm run build failed');
  const { probeUrls } = await import(dist('collectors/probe/index.js'));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { ports, ca } = await new Promise((resolveReady) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolveReady(JSON.parse(buf));
    });
  });
  const urls = ports.map((p) => `https://127.0.0.1:${p}/api/v1/accounts`);
  const rows = [['tool', 'endpoints', 'wall s', 's / endpoint']];
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    const r = await fn();
    return { seconds: Number(process.hrtime.bigint() - t) / 1e9, r };
  };

  // Warm-up: first TLS handshake of the process loads OpenSSL tables; not part of the measurement.
  await probeUrls([urls[0]], { ca: [ca] });

  const one = await time(() => probeUrls([urls[0]], { ca: [ca] }));
  rows.push(['jrt0185 probe (TLS+HTTP), rate cap 10/s', 1, one.seconds.toFixed(3), one.seconds.toFixed(3)]);
  // The default rate cap (10 requests/s per host) spaces the 3 HTTP requests 100 ms apart; without it the
  // wall time is the probe's own cost.
  const fast = await time(() => probeUrls([urls[0]], { ca: [ca], ratePerSecond: 1000 }));
  rows.push(['jrt0185 probe (TLS+HTTP), rate cap 1000/s', 1, fast.seconds.toFixed(3), fast.seconds.toFixed(3)]);
  const all = await time(() => probeUrls(urls, { ca: [ca], concurrency }));
  rows.push([`jrt0185 probe (TLS+HTTP), ${concurrency} at a time`, n, all.seconds.toFixed(3), (all.seconds / n).toFixed(3)]);
  const tlsFacts = all.r.filter((e) => e.probe === 'tls').map((e) => e.facts);
  const agree = tlsFacts.every((f) => f.protocols['TLSv1.2'] && f.protocols['TLSv1.3'] && !f.protocols.TLSv1 && f.clientCertificate === 'none');

  let sslscanOne;
  if (has('sslscan')) {
    const sslscan = (u) => run('sslscan', ['--no-colour', '--no-heartbleed', '--no-compression', '--no-fallback', '--no-renegotiation', '--no-groups', new URL(u).host], { timeout: 120000 });
    sslscanOne = await time(() => sslscan(urls[0]));
    rows.push(['sslscan', 1, sslscanOne.seconds.toFixed(3), sslscanOne.seconds.toFixed(3)]);
    const sslscanAll = await time(() => mapBounded(urls, concurrency, sslscan));
    rows.push([`sslscan, ${concurrency} at a time`, n, sslscanAll.seconds.toFixed(3), (sslscanAll.seconds / n).toFixed(3)]);
    rows.push(['ratio sslscan / jrt0185 (1 endpoint, cap 10/s)', '', (sslscanOne.seconds / one.seconds).toFixed(2), '']);
    rows.push(['ratio sslscan / jrt0185 (1 endpoint, cap 1000/s)', '', (sslscanOne.seconds / fast.seconds).toFixed(2), '']);
    rows.push([`ratio sslscan / jrt0185 (${n} endpoints)`, '', (sslscanAll.seconds / all.seconds).toFixed(2), '']);
  } else rows.push(['sslscan', 'not installed', '', '']);

  const testssl = has('testssl') ? 'testssl' : has('testssl.sh') ? 'testssl.sh' : undefined;
  if (testssl) {
    // testssl.sh 3.0 has no --ciphers; --each-cipher is its per-suite scan.
    const t = (u) => run(testssl, ['--quiet', '--color', '0', '--warnings', 'off', '--protocols', '--each-cipher', new URL(u).host], { timeout: 600000 });
    const tOne = await time(() => t(urls[0]));
    rows.push([`${testssl} --protocols --each-cipher`, 1, tOne.seconds.toFixed(3), tOne.seconds.toFixed(3)]);
    rows.push([`ratio ${testssl} / jrt0185 (1 endpoint)`, '', (tOne.seconds / one.seconds).toFixed(1), '']);
    if (args.includes('--testssl-all')) {
      const tAll = await time(() => mapBounded(urls, concurrency, t));
      rows.push([`${testssl}, ${concurrency} at a time`, n, tAll.seconds.toFixed(3), (tAll.seconds / n).toFixed(3)]);
    }
  } else rows.push(['testssl.sh', 'not installed', '', '']);

  child.stdin.end();
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  console.log(rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n'));
  const targets = [
    [`one endpoint < 1 s`, one.seconds < 1],
    [`${n} endpoints < 10 s`, all.seconds < 10],
    ...(sslscanOne ? [[`faster than sslscan per endpoint (rate cap lifted)`, fast.seconds < sslscanOne.seconds]] : []),
    ['results as expected on every endpoint (TLS 1.2+1.3 only, no client certificate)', agree],
  ];
  for (const [what, ok] of targets) console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  process.exitCode = targets.every(([, ok]) => ok) ? 0 : 1;
}
