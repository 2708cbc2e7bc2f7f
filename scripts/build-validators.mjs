// Part of `npm run build`: compiles once, with ajv's standalone code generation, every JSON Schema validator a run
// uses, so that no run loads ajv or compiles a schema it did not have to.
// - The official OpenAPI / Swagger schemas, into dist/collectors/openapi/validators/*.cjs (50–140 ms each to compile):
//   two per version, one that stops at the first error (proves the usual valid document cheaply), one listing all.
//   The collector compiles at run time when these files are absent (tests run from src/).
// - The tool's own schemas that runs validate input against (the configuration file's, the report information's),
//   next to the modules that use them (src/report/standalone-validator.ts): a run with a configuration file then
//   loads no ajv (~100–150 ms). Each names the digest of the schema texts it came from and is used only while they
//   still match.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const load = (file) => import(pathToFileURL(join(dist, file)).href);

/** Writes atomically: a run may be reading the file while a build writes it. */
function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const { validatorSource, precompiledValidatorPath, MODE_OPTIONS } = await load('collectors/openapi/validate.js');
for (const version of ['2.0', '3.0', '3.1']) {
  for (const mode of Object.keys(MODE_OPTIONS)) write(join(dist, 'collectors/openapi', precompiledValidatorPath(version, mode)), validatorSource(version, mode));
}

const { standaloneValidatorSource } = await load('report/standalone-validator.js');
for (const spec of [(await load('cli/config.js')).CONFIG_VALIDATOR, (await load('report/report-info.js')).REPORT_INFO_VALIDATOR]) {
  write(spec.file, standaloneValidatorSource(spec));
}
