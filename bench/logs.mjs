#!/usr/bin/env node
/**
 * Log scan benchmark (issue 13): realistic input of at least 1 GB, plain and gzip, against ripgrep in the same run.
 *
 * Generated in a temp dir (deleted afterwards), seeded:
 * - half JSON-lines API gateway logs, about 1 % of the lines carrying personal data (card numbers, ID numbers,
 *   mobiles, e-mails, names under a name label) among decoys (order numbers, millisecond timestamps, Luhn-invalid
 *   card-like numbers, ID-like numbers with a wrong check character);
 * - half real public logs repeated: test/logs-public (Loghub samples: HDFS, Mac, Linux, OpenSSH, Zookeeper, Android,
 *   Apache error log, Proxifier, HealthApp) and the corpus's Spring Boot and HAProxy text logs as one text log,
 *   and the corpus's NCSA combined access-log lines as one access log;
 * - a `.gz` copy of each (gzip -1).
 * The collector scans every file in a child process (plain: byte ranges in worker threads; .gz: one thread
 * inflates, workers scan); ripgrep counts an equivalent pattern set (card-like digit runs, mobiles, ID numbers,
 * e-mails, `password|secret|token` labels; `-z` for .gz) over the same files. Each side runs `--runs` times,
 * alternating; medians count.
 *
 *   node bench/logs.mjs [--size-mb 1024] [--seed 185] [--runs 3] [--keep]
 *
 * Asserts: every planted value found at its line, no card / ID / mobile / e-mail / name / secret detection anywhere
 * else (the public logs hold none). Targets: scan wall time within 2× ripgrep's (≥ 0.5× its speed) on plain
 * files, .gz within 1.5× of plain, peak RSS < 300 MB.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ARGS as args, CORPUS, ROOT as root, arg } from './lib.mjs';

// ---------------------------------------------------------------------------------------------
// Child mode: scan the given files and report results + own peak RSS as JSON on stdout.
// ---------------------------------------------------------------------------------------------
if (args[0] === '--child') {
  const [, modulePath, ...files] = args;
  const { collectLogs } = await import(pathToFileURL(modulePath).href);
  const out = [];
  for (const file of files) {
    const t0 = process.hrtime.bigint();
    // Enough samples to place every planted value (about 3,000 per kind per GB); the default is 5.
    const ev = await collectLogs(file, { sampleCap: 20_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    out.push({
      file,
      ms,
      lines: ev.lines,
      format: ev.format,
      problems: ev.problems.map((p) => p.message),
      detections: Object.fromEntries(ev.detections.map((d) => [d.detector, { count: d.count, lines: d.samples.map((s) => s.location.line) }])),
    });
  }
  process.stdout.write(JSON.stringify({ results: out, maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Build (dist/ when the tree compiles, else only this feature's modules into a temp dir).
// ---------------------------------------------------------------------------------------------
function buildModule() {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  const dist = join(root, 'dist/collectors/logs/index.js');
  if (build.status === 0 && existsSync(dist)) return { module: dist, how: 'dist/ (npx tsc -p tsconfig.build.json)' };
  const out = mkdtempSync(join(tmpdir(), 'jrt0185-logs-build-'));
  const own = spawnSync(
    'npx',
    ['tsc', '--ignoreConfig', '--outDir', out, '--rootDir', 'src', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', 'src/collectors/logs/index.ts', 'src/collectors/logs/worker.ts'],
    { cwd: root, encoding: 'utf8' },
  );
  if (own.status !== 0) throw new Error(`cannot compile the log collector:\n${own.stdout}${own.stderr}`);
  return { module: join(out, 'collectors/logs/index.js'), how: `temp build of src/collectors/logs (tree did not compile: ${(build.stdout || '').split('\n')[0]})`, cleanup: out };
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function luhnCheckDigit(body) {
  let sum = 0;
  let dbl = true;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    let d = body.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return String((10 - (sum % 10)) % 10);
}

const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_C = '10X98765432';
function idCheck(body) {
  let s = 0;
  for (let i = 0; i < 17; i += 1) s += (body.charCodeAt(i) - 48) * ID_W[i];
  return ID_C[s % 11];
}

function makeGenerator(seed) {
  const rnd = mulberry32(seed);
  const int = (n) => Math.floor(rnd() * n);
  const digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i += 1) s += String(int(10));
    return s;
  };
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i += 1) s += '0123456789abcdef'[int(16)];
    return s;
  };
  const PAN_PREFIXES = [['4', 16], ['51', 16], ['62', 16], ['62', 19], ['6011', 16], ['37', 15], ['3528', 16], ['9558', 19]];
  const pan = () => {
    const [p, len] = PAN_PREFIXES[int(PAN_PREFIXES.length)];
    const body = p + digits(len - p.length - 1);
    return body + luhnCheckDigit(body);
  };
  const badPan = () => {
    const v = pan();
    const last = (Number(v[v.length - 1]) + 1 + int(8)) % 10;
    return v.slice(0, -1) + String(last);
  };
  const REGIONS = ['110105', '310104', '440304', '510107', '620102', '330106'];
  const idNo = (regions = REGIONS) => {
    const y = 1950 + int(55);
    const m = String(1 + int(12)).padStart(2, '0');
    const d = String(1 + int(28)).padStart(2, '0');
    const body = regions[int(regions.length)] + y + m + d + digits(3);
    return body + idCheck(body);
  };
  // Decoy IDs avoid 62xxxx: an 18-digit 62… number that passes Luhn is a plausible UnionPay card.
  const badId = () => {
    const v = idNo(REGIONS.filter((r) => !r.startsWith('62')));
    const c = ID_C[(ID_C.indexOf(v[17]) + 1 + int(9)) % 11];
    return v.slice(0, 17) + c;
  };
  const mobile = () => `1${'3456789'[int(7)]}${digits(9)}`;
  const orderNo = () => `20240501${digits(8 + int(4))}`;
  return { rnd, int, digits, hex, pan, badPan, idNo, badId, mobile, orderNo };
}


const NAMES = ['王小明', '李娜', '张伟', '刘洋', '陈静', '阿卜杜拉·买买提'];

/** Writes `text()` lines until `sizeBytes`; returns the lines written. */
async function writeLines(file, sizeBytes, next) {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  let written = 0;
  let line = 0;
  let buf = '';
  while (written + buf.length < sizeBytes) {
    line += 1;
    buf += `${next(line)}\n`;
    if (buf.length >= 1 << 20) {
      written += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  if (buf) {
    written += Buffer.byteLength(buf);
    out.write(buf);
  }
  await new Promise((r) => out.end(r));
  return { lines: line, bytes: written };
}

/** JSON-lines API gateway log; about one line in 100 carries a planted personal value. */
async function generateApiLog(file, sizeBytes, seed) {
  const g = makeGenerator(seed);
  const planted = { pan: [], 'id-card': [], mobile: [], email: [], 'person-name': [] };
  const t0 = 1746072000000;
  const PATHS = ['/api/v1/payments', '/api/v1/accounts/balance', '/api/v1/transfers', '/open/v2/cards/bind', '/api/v1/statements'];
  const KINDS = Object.keys(planted);
  const { lines, bytes } = await writeLines(file, sizeBytes, (line) => {
    const ts = t0 + line * 7;
    const plant = g.int(100) === 0 ? KINDS[g.int(KINDS.length)] : undefined;
    if (plant) planted[plant].push(line);
    const rec = {
      '@timestamp': new Date(ts).toISOString(),
      level: 'INFO',
      logger: 'c.b.gateway.AccessLog',
      traceId: g.hex(32),
      appId: `APP${1000 + g.int(200)}`,
      uApiId: `01A0${g.digits(12)}`,
      method: 'POST',
      path: PATHS[g.int(PATHS.length)],
      status: 200,
      durationMs: g.int(900),
      time: ts,
      orderNo: g.orderNo(),
      ref: [g.orderNo(), g.badPan(), g.badId(), String(ts)][g.int(4)],
      msg: plant === 'pan' ? `charge card ${g.pan()} accepted` : 'request completed',
      ...(plant === 'id-card' ? { customer: { idNo: g.idNo() } } : {}),
      ...(plant === 'mobile' ? { contactPhone: g.mobile() } : {}),
      ...(plant === 'email' ? { notify: `u${g.digits(6)}@mail.example.cn` } : {}),
      ...(plant === 'person-name' ? { payer: { name: NAMES[g.int(NAMES.length)] } } : {}),
    };
    return JSON.stringify(rec);
  });
  return { planted, lines, bytes };
}

/** Real public logs repeated: the text log and the access log hold no personal data. */
function publicLines() {
  const read = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const pub = join(root, 'test', 'logs-public');
  const text = [
    ...readdirSync(pub).filter((f) => f.endsWith('.log')).sort().flatMap((f) => read(join(pub, f))),
    ...read(join(CORPUS, 'logs-real', 'spring-boot-app-startup-text.log')),
    ...read(join(CORPUS, 'logs-real', 'apisix-access-log-request-id.log')),
    ...read(join(CORPUS, 'logs', 'haproxy.log')),
  ];
  // Only lines in NCSA combined layout, so that the access log is read as one (the malformed corpus line is left out).
  const access = [...read(join(CORPUS, 'logs', 'combined-access.log')), ...read(join(CORPUS, 'logs', 'vhost-access-with-user-latency.log'))];
  return { text, access };
}

function gzipCopy(file) {
  const r = spawnSync('sh', ['-c', `gzip -1 -c '${file}' > '${file}.gz'`]);
  if (r.status !== 0) throw new Error(`gzip failed: ${r.stderr}`);
  return `${file}.gz`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------
const sizeMb = Number(arg('--size-mb', '1024'));
const seed = Number(arg('--seed', '185'));
const runs = Math.max(1, Number(arg('--runs', '3')));
const dir = mkdtempSync(join(tmpdir(), 'jrt0185-logs-bench-'));
let built;
let failed = false;
try {
  built = buildModule();
  console.log(`module: ${built.how}`);
  const t = Date.now();
  const api = await generateApiLog(join(dir, 'api-gateway.jsonl'), (sizeMb / 2) * 1048576, seed);
  const { text, access } = publicLines();
  const sys = await writeLines(join(dir, 'system.log'), (sizeMb / 4) * 1048576, (i) => text[(i - 1) % text.length]);
  const acc = await writeLines(join(dir, 'access.log'), (sizeMb / 4) * 1048576, (i) => access[(i - 1) % access.length]);
  const plain = [join(dir, 'api-gateway.jsonl'), join(dir, 'system.log'), join(dir, 'access.log')];
  const gz = plain.map(gzipCopy);
  const mb = (files) => files.reduce((n, f) => n + statSync(f).size, 0) / 1048576;
  const planted = Object.entries(api.planted).map(([k, v]) => `${k} ${v.length}`).join(', ');
  console.log(`generated in ${((Date.now() - t) / 1000).toFixed(0)} s: api-gateway.jsonl ${(api.bytes / 1048576).toFixed(0)} MiB (${api.lines} lines; planted ${planted}), system.log ${(sys.bytes / 1048576).toFixed(0)} MiB (${sys.lines} lines from ${text.length} public lines), access.log ${(acc.bytes / 1048576).toFixed(0)} MiB (${acc.lines} lines from ${access.length}); .gz ${mb(gz).toFixed(0)} MiB`);

  const RG = [
    '-e', '\\b[0-9]{13,19}\\b', '-e', '\\b[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{1,7}\\b', // card-like digit runs
    '-e', '\\b(?:\\+?86)?1[3-9][0-9]{9}\\b', // mobiles
    '-e', '\\b[1-8][0-9]{16}[0-9Xx]\\b', // ID numbers
    '-e', '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{2,}', // e-mails
    '-e', '(?i)(?:password|passwd|pwd|secret|token)["\']?\\s*[:=]', // credential labels
  ];
  const timeRg = (files, z) => {
    const r0 = process.hrtime.bigint();
    const r = spawnSync('rg', ['--no-config', '--count-matches', ...(z ? ['-z'] : []), ...RG, ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.error) throw new Error(`ripgrep not runnable (${r.error.message}); install it: apt-get install -y ripgrep`);
    return Number(process.hrtime.bigint() - r0) / 1e6;
  };
  const timeScan = (files) => {
    const s0 = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', built.module, ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const ms = Number(process.hrtime.bigint() - s0) / 1e6;
    if (child.status !== 0) throw new Error(`scan failed: ${child.stderr}`);
    return { ms, report: JSON.parse(child.stdout) };
  };

  spawnSync('cat', [...plain, ...gz], { stdio: ['ignore', 'ignore', 'ignore'] }); // warm the page cache for both
  const times = { rgPlain: [], rgGz: [], scanPlain: [], scanGz: [] };
  let reports = {};
  for (let run = 1; run <= runs; run += 1) {
    times.rgPlain.push(timeRg(plain, false));
    const p = timeScan(plain);
    times.scanPlain.push(p.ms);
    times.rgGz.push(timeRg(gz, true));
    const z = timeScan(gz);
    times.scanGz.push(z.ms);
    reports = { plain: p.report, gz: z.report };
    console.log(`run ${run}: ripgrep ${(times.rgPlain.at(-1) / 1000).toFixed(2)} s plain, ${(times.rgGz.at(-1) / 1000).toFixed(2)} s .gz; scan ${(p.ms / 1000).toFixed(2)} s plain (peak ${(p.report.maxRssKb / 1024).toFixed(0)} MB), ${(z.ms / 1000).toFixed(2)} s .gz (peak ${(z.report.maxRssKb / 1024).toFixed(0)} MB)`);
  }
  for (const r of [...reports.plain.results, ...reports.gz.results]) {
    const dets = Object.entries(r.detections).map(([k, v]) => `${k} ${v.count}`).join(', ') || 'none';
    console.log(`  ${r.file.split('/').pop()} [${r.format}] ${r.lines} lines, ${(r.ms / 1000).toFixed(2)} s; detections: ${dets}${r.problems.length ? `; problems: ${r.problems.join(' | ')}` : ''}`);
  }
  const plainMb = mb(plain);
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const rss = Math.max(reports.plain.maxRssKb, reports.gz.maxRssKb) / 1024;
  const ratio = m.rgPlain / m.scanPlain;
  const gzRatio = m.scanGz / m.scanPlain;
  console.log(`median of ${runs}: ripgrep ${(m.rgPlain / 1000).toFixed(2)} s (${(plainMb / (m.rgPlain / 1000)).toFixed(0)} MiB/s) plain, ${(m.rgGz / 1000).toFixed(2)} s .gz; scan ${(m.scanPlain / 1000).toFixed(2)} s (${(plainMb / (m.scanPlain / 1000)).toFixed(0)} MiB/s) plain, ${(m.scanGz / 1000).toFixed(2)} s .gz (${(plainMb / (m.scanGz / 1000)).toFixed(0)} MiB/s of inflated log)`);
  console.log(`scan speed / ripgrep's on plain files: ${ratio.toFixed(2)}x (target >= 0.5x); .gz / plain scan time: ${gzRatio.toFixed(2)}x (target <= 1.5x); peak RSS ${rss.toFixed(0)} MB (target < 300 MB)`);

  // Every planted value at its line, nothing else anywhere.
  for (const [label, rep] of Object.entries(reports)) {
    const [apiR, sysR, accR] = rep.results;
    for (const [det, want] of Object.entries(api.planted)) {
      const got = (apiR.detections[det]?.lines ?? []).slice().sort((a, b) => a - b);
      if (got.length !== want.length || !got.every((l, j) => l === want[j])) {
        failed = true;
        console.log(`FAIL ${label} api-gateway.jsonl ${det}: planted ${want.length}, found ${got.length}; missing ${want.filter((l) => !got.includes(l)).slice(0, 5).join(',')}; unexpected ${got.filter((l) => !want.includes(l)).slice(0, 5).join(',')}`);
      }
    }
    const extra = Object.keys(apiR.detections).filter((d) => !(d in api.planted));
    const publicHits = [sysR, accR].flatMap((r) => Object.entries(r.detections).map(([d, v]) => `${r.file.split('/').pop()}: ${d} ×${v.count}`));
    if (extra.length || publicHits.length) {
      failed = true;
      console.log(`FAIL ${label}: unexpected detections ${[...extra, ...publicHits].join('; ')}`);
    }
  }
  if (!failed) console.log('OK: every planted value found at its line; no detection in the public logs or elsewhere');
  if (ratio < 0.5) console.log('BELOW TARGET: scan speed vs ripgrep on plain files');
  if (gzRatio > 1.5) console.log('BELOW TARGET: .gz scan time vs plain');
  if (rss >= 300) console.log('BELOW TARGET: peak RSS');
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
  if (built?.cleanup) rmSync(built.cleanup, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
