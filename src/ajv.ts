/** One configured ajv instance for every JSON Schema the tool validates (rulebooks, params, configs, results). */
import { createRequire } from 'node:module';
import { pointerToPath } from './yaml-source.js';

export type { ErrorObject, ValidateFunction } from 'ajv';

// ajv and ajv-formats (~65 CommonJS files, ~50–100 ms) load on the first schema compiled, not at start: a run on
// the precompiled rulebook with no configuration file never compiles one. Being CommonJS, they load synchronously;
// the default export of each may arrive wrapped.
let ajvClasses: { Ajv: new (o: object) => import('ajv').default; addFormats: (a: unknown) => void } | undefined;
function ajvPackages(): NonNullable<typeof ajvClasses> {
  if (!ajvClasses) {
    const require = createRequire(import.meta.url);
    const unwrap = <T>(m: T): T => (m as { default?: T }).default ?? m;
    ajvClasses = { Ajv: unwrap(require('ajv')), addFormats: unwrap(require('ajv-formats')) };
  }
  return ajvClasses;
}

/** `extra`: more ajv options (the build's `code: { source: true }` for standalone code, src/report/standalone-validator.ts). */
export function createAjv(extra: object = {}): import('ajv').default {
  const { Ajv, addFormats } = ajvPackages();
  // strict:false: schemas we ship may carry annotation keywords (e.g. `description` in odd places) that are harmless.
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, ...extra });
  addFormats(ajv);
  return ajv;
}

/** A readable one-line description of an ajv error. */
export function describeAjvError(e: import('ajv').ErrorObject): string {
  const where = e.instancePath || '(top level)';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}: missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/** Where an error stands, as a path of keys: an unknown property points at that property, not at its object. */
export function ajvErrorPath(e: import('ajv').ErrorObject): (string | number)[] {
  const path = pointerToPath(e.instancePath);
  if (e.keyword === 'additionalProperties') path.push((e.params as { additionalProperty: string }).additionalProperty);
  return path;
}
