// npm run bench [-- openapi|nginx|logs|probe|portfolio|startup ...]: runs the named benchmarks (all by default), one after another
// so that each has both cores to itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['openapi', 'nginx', 'logs', 'probe', 'portfolio', 'startup'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
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
