// Part of `npm run build`: compiles the tool's own JSON Schemas that runs validate input against (the configuration
// file's, the report information's) once, with ajv's standalone code, next to the modules that use them in dist/
// (src/report/standalone-validator.ts), so such a run loads no ajv and compiles no schema (~100–150 ms). Each file
// names the digest of the schema texts it came from; a run uses it only while they still match.
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const { standaloneValidatorSource } = await load('report/standalone-validator.js');
const specs = [(await load('cli/config.js')).CONFIG_VALIDATOR, (await load('report/report-info.js')).REPORT_INFO_VALIDATOR];
for (const spec of specs) {
  // In place atomically: a run may be reading it while a build writes it.
  const tmp = `${spec.file}.${process.pid}.tmp`;
  writeFileSync(tmp, standaloneValidatorSource(spec));
  renameSync(tmp, spec.file);
}
