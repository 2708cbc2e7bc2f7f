// Part of `npm run build`: loads the shipped rulebook from rules/*.yaml with the loader's full validation (schema,
// check names, check params) and writes it as dist/rulebook.json, so an assessment does not parse the YAML.
// The loader uses that file only while its stamp matches the YAML, the schema, the checks and the loader
// (src/rulebook/compiled.ts); otherwise, and when the file is absent (tests run from src/), it loads the YAML.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const load = await import(pathToFileURL(join(dist, 'rulebook/load.js')).href);
const { compileRulebook, COMPILED_RULEBOOK } = await import(pathToFileURL(join(dist, 'rulebook/compiled.js')).href);
const { defaultRegistry } = await import(pathToFileURL(join(dist, 'checks/index.js')).href);
try {
  // Naming the files makes the loader read the YAML (never a previous dist/rulebook.json).
  const rulebook = await load.loadRulebook({ files: await load.defaultRuleFiles() });
  writeFileSync(COMPILED_RULEBOOK, await compileRulebook(rulebook, defaultRegistry));
} catch (e) {
  process.stderr.write(`build-rulebook: the rulebook does not load:\n${e?.message ?? e}\n`);
  process.exit(1);
}
