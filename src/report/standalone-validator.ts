/**
 * Validators of the tool's own JSON Schemas (the configuration file, report information) compiled once by the build
 * with ajv's standalone code (scripts/build-validators.mjs). WHY: loading ajv (~600 CommonJS files) and
 * compiling a schema cost ~100–150 ms of every run that reads such a file — with a configuration file, most CI
 * runs. The generated code is what ajv compiles at run time with the same options, so verdicts and errors are the
 * same. It names the digest of the schema texts it came from and is used only while they still match; otherwise,
 * and when the build's file is absent (tests run from src/), ajv compiles the schema as before.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { createAjv, type ValidateFunction } from '../ajv.js';

export interface SchemaValidatorSpec {
  /** The build's file for it (absolute path, `.cjs`). */
  file: string;
  /** The schema files' texts it is compiled from. */
  schemaTexts: () => string[];
  /** Compiles it with `ajv` from those schemas (parsed, in the same order). */
  compile: (ajv: ReturnType<typeof createAjv>, schemas: unknown[]) => ValidateFunction;
}

function digestOf(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(`${text.length}\n`).update(text);
  return hash.digest('hex');
}

/** The standalone code the build writes to `spec.file`. */
export function standaloneValidatorSource(spec: SchemaValidatorSpec): string {
  const standaloneCode = createRequire(import.meta.url)('ajv/dist/standalone').default as typeof import('ajv/dist/standalone/index.js').default;
  const texts = spec.schemaTexts();
  const ajv = createAjv({ code: { source: true } });
  const code = standaloneCode(ajv, spec.compile(ajv, texts.map((t) => JSON.parse(t))));
  return `${code}\nmodule.exports.schemaDigest = ${JSON.stringify(digestOf(texts))};\n`;
}

/** The build's validator while it was compiled from the schemas as they are now, else one ajv compiles now. */
export function schemaValidator(spec: SchemaValidatorSpec): ValidateFunction {
  const texts = spec.schemaTexts();
  try {
    const precompiled = createRequire(import.meta.url)(spec.file) as ValidateFunction & { schemaDigest?: unknown };
    if (precompiled.schemaDigest === digestOf(texts)) return precompiled;
  } catch {
    // Not built: compiled below.
  }
  return spec.compile(createAjv(), texts.map((t) => JSON.parse(t)));
}
