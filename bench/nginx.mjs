#!/usr/bin/env node
/**
 * nginx parser benchmark (issue 5): generates a 50,000-line nginx configuration split over include files
 * (seeded, in a temp dir, deleted afterwards): http-level TLS policy, log formats, limit_req zones, maps and
 * upstreams, then servers with TLS listeners, nested locations, `if` blocks and snippet includes in
 * conf.d/*.conf. Times the gateway collector (parse + includes + inheritance → evidence) in a child process
 * and `nginx -T -p <prefix> -c <conf>` on the same tree, and prints wall time, peak RSS and their ratio.
 *
 *   node bench/nginx.mjs [--lines 50000] [--seed 185] [--runs 3] [--keep] [--dist]
 *
 * Asserts: the collector reads every generated file (same list as nginx -T) and finds every location.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ARGS as args, ROOT as root, arg } from './lib.mjs';

// Child mode: collect the tree and report the result summary + own peak RSS as JSON on stdout.
if (args[0] === '--child') {
  const [, modulePath, conf] = args;
  const t0 = process.hrtime.bigint();
  const { collectGateway, parseNginx } = await import(pathToFileURL(modulePath).href);
  const ev = await collectGateway(conf, { format: 'nginx' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const files = [...new Set(parseNginx(conf).files)];
  process.stdout.write(
    JSON.stringify({ ms, routes: ev.routes.length, listeners: ev.listeners.length, problems: ev.problems.length, files, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
  process.exit(0);
}

/** mulberry32: a small seeded PRNG so the generated tree is the same on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(dir, targetLines, seed) {
  const rand = rng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  mkdirSync(join(dir, 'conf.d'), { recursive: true });
  mkdirSync(join(dir, 'snippets'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  mkdirSync(join(dir, 'certs'), { recursive: true });
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=bench.example', '-keyout', join(dir, 'certs/k.pem'), '-out', join(dir, 'certs/c.pem')], { encoding: 'utf8' });
  const tls = cert.status === 0;
  let lines = 0;
  const w = (file, text) => {
    writeFileSync(join(dir, file), text);
    lines += text.split('\n').length - 1;
  };
  w(
    'snippets/security.conf',
    ['# shared security headers and access rules', 'add_header X-Content-Type-Options nosniff always;', 'add_header X-Frame-Options DENY always;', 'deny 192.0.2.1;', 'allow all;', ''].join('\n'),
  );
  w('snippets/proxy.conf', ['proxy_set_header Host $host;', 'proxy_set_header X-Request-Id $request_id;', 'proxy_http_version 1.1;', 'proxy_read_timeout 30s;', ''].join('\n'));
  const upstreams = 40;
  const http = [
    '# generated bank API gateway (bench)',
    'worker_processes 1;',
    'error_log stderr;',
    'events {',
    '    worker_connections 1024;',
    '}',
    'http {',
    '    server_tokens off;',
    '    ssl_protocols TLSv1.2 TLSv1.3;',
    "    ssl_ciphers 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:!aNULL:!MD5';",
    "    log_format api escape=json '{\"time\":\"$time_iso8601\",\"request_id\":\"$request_id\",\"app_id\":\"$http_x_app_id\",'",
    "                               '\"u_api_id\":\"$http_x_u_api_id\",\"status\":$status,\"duration\":$request_time}';",
    '    access_log logs/access.log api;',
    '    limit_req_zone $binary_remote_addr zone=perip:10m rate=20r/s;',
    '    limit_req_zone $http_x_app_id zone=perapp:10m rate=100r/s;',
    '    map $http_x_app_id $app_blocked {',
    '        default 0;',
    ...Array.from({ length: 50 }, (_, i) => `        "app-${String(i).padStart(4, '0')}" 1;`),
    '    }',
    ...Array.from({ length: upstreams }, (_, i) => [`    upstream core${i} {`, `        server 10.0.${i}.1:8080 max_fails=3;`, `        server 10.0.${i}.2:8080 backup;`, '        keepalive 16;', '    }']).flat(),
    '    include conf.d/*.conf;',
    '}',
    '',
  ].join('\n');
  w('nginx.conf', http);
  let fileNo = 0;
  let servers = 0;
  let locations = 0;
  while (lines < targetLines) {
    const out = [];
    for (let s = 0; s < 10 && lines + out.length < targetLines; s++) {
      const host = `api${servers}.bank.example`;
      out.push(`# service ${servers}`, 'server {');
      if (tls) out.push('    listen 443 ssl;', `    ssl_certificate ${join(dir, 'certs/c.pem')};`, `    ssl_certificate_key ${join(dir, 'certs/k.pem')};`);
      else out.push('    listen 8080;');
      out.push(`    server_name ${host};`, '    limit_req zone=perip burst=40;', '    include snippets/security.conf;');
      const nloc = 8 + Math.floor(rand() * 8);
      for (let l = 0; l < nloc; l++) {
        const kind = pick(['prefix', 'prefix', 'exact', 'regex', 'nested']);
        const path = `/v${1 + (l % 3)}/${pick(['accounts', 'payments', 'transfers', 'cards', 'rates', 'customers'])}${l}`;
        const up = `core${Math.floor(rand() * upstreams)}`;
        if (kind === 'exact') out.push(`    location = ${path} {`, `        proxy_pass http://${up};`, '    }');
        else if (kind === 'regex') out.push(`    location ~ ^${path}/[0-9]+$ {`, '        limit_req zone=perapp burst=10 nodelay;', `        proxy_pass http://${up};`, '        include snippets/proxy.conf;', '    }');
        else if (kind === 'nested')
          out.push(`    location ${path}/ {`, `        location ~ \\.json$ {`, '            if ($app_blocked) {', '                return 403;', '            }', `            proxy_pass http://${up};`, '        }', `        proxy_pass http://${up};`, '    }');
        else out.push(`    location ${path} {`, "        add_header Cache-Control 'no-store';", `        proxy_pass http://${up};`, '        include snippets/proxy.conf;', '    }');
        locations += kind === 'nested' ? 2 : 1;
      }
      out.push('}', '');
      servers++;
    }
    w(`conf.d/${String(fileNo).padStart(3, '0')}-services.conf`, out.join('\n'));
    fileNo++;
  }
  return { lines, files: fileNo + 3, servers, locations, tls };
}

function buildModule() {
  // dist/ may be stale (the lead builds it); this feature's modules alone compile in a second
  const dist = join(root, 'dist/collectors/gateway/index.js');
  if (args.includes('--dist') && existsSync(dist)) return { module: dist, how: 'dist/' };
  // inside the project, so that the build resolves `yaml` from node_modules
  mkdirSync(join(root, '.bench-cache'), { recursive: true });
  const out = mkdtempSync(join(root, '.bench-cache', 'gw-build-'));
  const r = spawnSync(
    'npx',
    ['tsc', '--ignoreConfig', '--outDir', out, '--rootDir', 'src', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', 'src/collectors/gateway/index.ts'],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  return { module: join(out, 'collectors/gateway/index.js'), how: 'temp build of src/collectors/gateway (no dist/)', cleanup: out };
}

function timed(cmd, cmdArgs) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = r.stderr.trim().split('\n');
  const [secs, kb] = lines[lines.length - 1].split(' ').map(Number);
  return { seconds: secs, peakMb: kb / 1024, status: r.status, stdout: r.stdout, stderr: lines.slice(0, -1).join('\n') };
}

function median(cmd, cmdArgs, runs) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(timed(cmd, cmdArgs));
  rs.sort((a, b) => a.seconds - b.seconds);
  return rs[Math.floor(rs.length / 2)];
}

const targetLines = Number(arg('--lines', '50000'));
const seed = Number(arg('--seed', '185'));
const runs = Number(arg('--runs', '3'));
const dir = mkdtempSync(join(tmpdir(), 'jrt0185-nginx-bench-'));
let cleanup;
try {
  const gen = generate(dir, targetLines, seed);
  console.log(`generated ${gen.lines} lines in ${gen.files} files (${gen.servers} servers, ${gen.locations} locations${gen.tls ? ', TLS listeners' : ', plain listeners (no openssl)'}) in ${dir}`);
  const built = buildModule();
  cleanup = built.cleanup;
  console.log(`collector: ${built.how}`);
  const conf = join(dir, 'nginx.conf');

  const ours = median(process.execPath, [fileURLToPath(import.meta.url), '--child', built.module, conf], runs);
  if (ours.status !== 0) throw new Error(`collector failed: ${ours.stderr}`);
  const result = JSON.parse(ours.stdout);
  if (result.routes !== gen.locations) throw new Error(`collector found ${result.routes} routes, expected ${gen.locations}`);

  const hasNginx = spawnSync('nginx', ['-v']).status === 0;
  const rows = [['', 'wall s', 'peak RSS MB']];
  rows.push(['jrt0185 collectGateway (node, whole process)', ours.seconds.toFixed(2), ours.peakMb.toFixed(1)]);
  console.log(`collector in-process: ${result.ms.toFixed(0)} ms (import + parse + includes + inheritance), ${result.routes} routes, ${result.listeners} listeners`);
  if (hasNginx) {
    const ng = median('nginx', ['-T', '-q', '-p', `${dir}/`, '-c', conf], runs);
    if (ng.status !== 0) throw new Error(`nginx -T rejected the generated tree: ${ng.stderr}`);
    const theirs = [...ng.stdout.matchAll(/^# configuration file (.*):$/gm)].map((m) => m[1]);
    if (JSON.stringify(theirs) !== JSON.stringify(result.files)) throw new Error('include resolution differs from nginx -T');
    rows.push(['nginx -T (Debian nginx, C)', ng.seconds.toFixed(2), ng.peakMb.toFixed(1)]);
    rows.push(['ratio jrt0185 / nginx -T', (ours.seconds / Math.max(ng.seconds, 0.01)).toFixed(1) + 'x', (ours.peakMb / ng.peakMb).toFixed(1) + 'x']);
    console.log(`include resolution identical to nginx -T (${theirs.length} files)`);
  } else {
    console.log('nginx not installed: no comparison (apt-get install nginx-light)');
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  console.log(rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n'));
  console.log(`median of ${runs} runs; GNU time reports wall seconds at 10 ms resolution`);
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  if (cleanup) rmSync(cleanup, { recursive: true, force: true });
}
