// npm run bench [-- openapi|nginx|logs|probe|portfolio|startup ...]: runs the named benchmarks (all by default), one after another
// so that each has both cores to itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['openapi', 'nginx', 'logs', 'probe', 'portfolio', 'startup'];
// Bare words name benchmarks; flags go to every benchmark, with the value after a flag written `--runs 5` as well as
// `--runs=5` (a bare word right after a flag that is not a benchmark's name is that flag's value).
const chosen = [];
const extra = [];
for (const [i, a] of process.argv.slice(2).entries()) {
  const prev = process.argv[i + 1];
  if (a.startsWith('-') || (prev?.startsWith('-') && !prev.includes('=') && !all.includes(a))) extra.push(a);
  else chosen.push(a);
}
let failed = false;
for (const name of chosen.length ? chosen : all) {
  const script = join(here, `${name}.mjs`);
  if (!existsSync(script)) {
    console.log(`\n== ${name}: no such benchmark (choose from ${all.join(', ')})`);
    failed = true;
    continue;
  }
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [script, ...extra], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
