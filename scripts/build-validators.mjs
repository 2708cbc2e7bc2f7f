// Part of `npm run build`: compiles the official OpenAPI / Swagger schemas once, with ajv's standalone code
// generation, into dist/collectors/openapi/validators/*.cjs, so no run pays 50–140 ms to compile them.
// The collector falls back to compiling at run time when these files are absent (tests run from src/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/collectors/openapi');
const { validatorSource, precompiledValidatorPath, MODE_OPTIONS } = await import(pathToFileURL(join(dist, 'validate.js')).href);

// Two per version: one that stops at the first error (proves the usual valid document cheaply), one listing all.
for (const version of ['2.0', '3.0', '3.1']) {
  for (const mode of Object.keys(MODE_OPTIONS)) {
    const file = join(dist, precompiledValidatorPath(version, mode));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, validatorSource(version, mode));
  }
}
