/** One configured ajv instance for every JSON Schema the tool validates (rulebooks, params, configs, results). */
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { pointerToPath } from './yaml-source.js';

// ajv and ajv-formats are CommonJS: their default export arrives wrapped under NodeNext ESM.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;

export type { ErrorObject, ValidateFunction } from 'ajv';

export function createAjv() {
  // strict:false: schemas we ship may carry annotation keywords (e.g. `description` in odd places) that are harmless.
  const ajv = new (Ajv as unknown as new (o: object) => import('ajv').default)({ allErrors: true, strict: false, allowUnionTypes: true });
  (addFormats as unknown as (a: unknown) => void)(ajv);
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
