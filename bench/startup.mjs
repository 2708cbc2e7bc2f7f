// npm run bench -- startup: the fixed cost every jrt0185 command pays before its own work, against `node -e 0` (the
// floor: node itself) in the same run, medians of interleaved runs. Rows:
//   --version                     argument parsing only
//   assess (tiny)                 the compliant fixture's OpenAPI description, JSON report (issue 17's fixed part)
//   probe: first connection       from spawn to the probe's first TCP connection to a local listener (issue 12: the
//                                 module graph before the first handshake); the listener then closes it
// each through bin/jrt0185.js (the CommonJS bundle with its V8 code cache, scripts/build-bundle.mjs), through the
// ES-module bundle (dist/bundle/main.js: what bin/jrt0185.js runs when V8 will not take the cache: another node, or
// V8 flags in NODE_OPTIONS) and through the separate modules of dist/cli (what the bundles replace), and each with
// and without NODE_EXTRA_CA_CERTS (node reads that bundle at every start; some CI images set it, this sandbox does).
// Options: --runs=N (default 9); --before=DIR adds rows for DIR/bin/jrt0185.js, another built checkout (e.g. an
// earlier commit from `git archive`, built with node_modules linked) to compare with.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARGS, ROOT, arg, ensureBuilt, table } from './lib.mjs';

const runs = Number(arg('--runs', '9')) || 9;
ensureBuilt();
const work = mkdtempSync(join(tmpdir(), 'jrt-startup-'));
const unbundled = join(work, 'unbundled.mjs');
writeFileSync(unbundled, `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/main.js')).href)});\nprocess.exitCode = await main(process.argv);\n`);
const modules = join(work, 'modules.mjs');
writeFileSync(modules, `const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/bundle/main.js')).href)});\nprocess.exitCode = await main(process.argv);\n`);
const before = ARGS.find((a) => a.startsWith('--before='))?.slice('--before='.length);
const entries = {
  'bundle + code cache': join(ROOT, 'bin', 'jrt0185.js'),
  'ES-module bundle': modules,
  'dist/cli': unbundled,
  ...(before ? { before: join(before, 'bin', 'jrt0185.js') } : {}),
};

// One listener for every probe row: it notes when a connection arrives and closes it at once.
const server = createServer((socket) => {
  server.emit('first-connection');
  socket.destroy();
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const probeUrl = `https://127.0.0.1:${server.address().port}/`;

/**
 * Spawns node with args; resolves with wall ms (to exit, or to the first connection) and, for runs to exit, user+sys
 * CPU ms (GNU time; a probe row is killed at its first connection, so it has none).
 */
function once(args, env, untilConnection) {
  return new Promise((resolve, reject) => {
    const cpuFile = join(work, 'cpu');
    const [cmd, argv] = untilConnection ? [process.execPath, args] : ['/usr/bin/time', ['-o', cpuFile, '-f', '%U %S', process.execPath, ...args]];
    const start = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let wall;
    const onConnection = () => {
      wall ??= Number(process.hrtime.bigint() - start) / 1e6;
      child.kill();
    };
    if (untilConnection) server.once('first-connection', onConnection);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      server.off('first-connection', onConnection);
      if (untilConnection) {
        if (wall === undefined) reject(new Error(`no connection before exit ${code ?? signal}: ${stderr.slice(-400)}`));
        else resolve({ wall, cpu: NaN });
        return;
      }
      wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`exit ${code ?? signal}: ${stderr.slice(-400)}`));
      const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      resolve({ wall, cpu: (user + sys) * 1000 });
    });
  });
}

const out = join(work, 'out');
const commands = [
  { name: '--version', args: ['--version'] },
  { name: 'assess (tiny)', args: ['assess', '--no-config', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--format', 'json', '--out', out, '--lang', 'en'] },
  { name: 'probe: first connection', args: ['probe', '--tls-only', probeUrl], untilConnection: true },
];
const envs = {
  'NODE_EXTRA_CA_CERTS as set': { ...process.env },
  'without NODE_EXTRA_CA_CERTS': Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS')),
};
const cases = [];
for (const [envName, env] of Object.entries(envs)) {
  cases.push({ env: envName, row: 'node -e 0 (peer)', entry: 'node', args: ['-e', '0'], envVars: env });
  for (const c of commands) for (const [entry, file] of Object.entries(entries)) cases.push({ env: envName, row: c.name, entry, args: [file, ...c.args], envVars: env, untilConnection: c.untilConnection });
}
// Interleaved: every case once per round, so a busy moment of the machine falls on all of them alike.
const samples = cases.map(() => []);
for (let round = 0; round < runs; round++) {
  for (const [i, c] of cases.entries()) samples[i].push(await once(c.args, c.envVars, c.untilConnection));
}
server.close();
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
for (const envName of Object.keys(envs)) {
  const peer = median(samples[cases.findIndex((c) => c.env === envName)].map((s) => s.wall));
  const rows = [['command', 'entry', 'wall ms', 'cpu ms', '× node -e 0']];
  for (const [i, c] of cases.entries()) {
    if (c.env !== envName) continue;
    const wall = median(samples[i].map((s) => s.wall));
    const cpu = median(samples[i].map((s) => s.cpu));
    rows.push([c.row, c.entry, wall.toFixed(0), Number.isNaN(cpu) ? 'n/a' : cpu.toFixed(0), `${(wall / peer).toFixed(2)}×`]);
  }
  console.log(`\nStart-up, ${envName}${envName.startsWith('NODE') && !process.env.NODE_EXTRA_CA_CERTS ? ' (not set here: same as without)' : ''} (medians of ${runs} interleaved runs; probe rows: wall time to the first connection)`);
  console.log(table(rows));
}
