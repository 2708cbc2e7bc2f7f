/**
 * The structural validation answers "valid" with the validator that stops at the first error and lists errors only
 * with the allErrors one (src/collectors/openapi/validate.ts). That is sound only if both modes agree on validity:
 * checked here, both compiled from the same official schemas, on every description of the shared corpus (third-party
 * specs, four of them invalid) and on small invalid documents of each version. The stop-at-first-error one is the
 * exact code the build ships (`validatorSource`: no messages, no instance paths), loaded as the build's .cjs is.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODE_OPTIONS, ajvFor, officialSchema, validatorSource } from '../src/collectors/openapi/validate.js';
import { readLocalSource } from '../src/collectors/openapi/source.js';
import type { OpenApiVersion } from '../src/model/evidence.js';

const CORPUS = join('..', 'shared', 'corpus'); // relative to the repository root, where vitest runs
const present = existsSync(join(CORPUS, 'openapi'));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(json|ya?ml)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function versionOf(value: Record<string, unknown>): OpenApiVersion | undefined {
  if (value.swagger !== undefined) return '2.0';
  if (/^3\.0/.test(String(value.openapi))) return '3.0';
  if (/^3\./.test(String(value.openapi))) return '3.1';
  return undefined;
}

const validators = new Map<string, (doc: unknown) => boolean>();
const requireHere = createRequire(import.meta.url);

function compileFull(version: OpenApiVersion): (doc: unknown) => unknown {
  const { schema, draft } = officialSchema(version);
  return ajvFor(draft, MODE_OPTIONS.full).compile(schema);
}

/** A standalone validator module's export, evaluated as node loads the shipped CommonJS file. */
function loadStandalone(code: string): (doc: unknown) => unknown {
  const module = { exports: {} as { default?: (doc: unknown) => unknown } };
  new Function('module', 'exports', 'require', code)(module, module.exports, requireHere);
  return module.exports.default ?? (module.exports as unknown as (doc: unknown) => unknown);
}
function validator(version: OpenApiVersion, mode: keyof typeof MODE_OPTIONS): (doc: unknown) => boolean {
  const key = `${version}/${mode}`;
  let v = validators.get(key);
  if (!v) {
    const compiled = mode === 'first' ? loadStandalone(validatorSource(version, mode)) : compileFull(version);
    validators.set(key, (v = (doc) => compiled(doc) === true));
  }
  return v;
}

describe('structural validation: stop-at-first-error and allErrors agree on validity', () => {
  it.skipIf(!present)('on every corpus description', () => {
    let checked = 0;
    let invalid = 0;
    const disagree: string[] = [];
    for (const file of [...files(join(CORPUS, 'openapi')), ...files(join(CORPUS, 'openapi-real'))]) {
      let value: unknown;
      try {
        value = readLocalSource(file).value;
      } catch {
        continue; // unreadable inputs are the reader's tests' business
      }
      if (!value || typeof value !== 'object') continue;
      const version = versionOf(value as Record<string, unknown>);
      if (!version) continue;
      const full = validator(version, 'full')(value);
      if (full !== validator(version, 'first')(value)) disagree.push(file);
      checked++;
      if (!full) invalid++;
    }
    expect(disagree).toEqual([]);
    expect(checked).toBeGreaterThan(60);
    expect(invalid).toBeGreaterThan(0);
  }, 120_000);

  it('on small valid and invalid documents of each version', () => {
    const docs: [OpenApiVersion, unknown, boolean][] = [
      ['3.0', { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }, true],
      ['3.0', { openapi: '3.0.3', info: { title: 't' }, paths: {} }, false],
      ['3.0', { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'x', content: { 'application/json': { schema: { type: 'object', properties: { a: { $ref: 1 } } } } } } } } } } }, false],
      ['3.1', { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }, true],
      ['3.1', { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { a: {} } }, false],
      ['2.0', { swagger: '2.0', info: { title: 't', version: '1' }, paths: {} }, true],
      ['2.0', { swagger: '2.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: {} } } } }, false],
    ];
    for (const [version, doc, valid] of docs) {
      expect(validator(version, 'full')(doc)).toBe(valid);
      expect(validator(version, 'first')(doc)).toBe(valid);
    }
  }, 60_000);

  it.skipIf(!present)('on mutants of corpus descriptions (fixed seed): a value retyped, a member removed or added', () => {
    // The shipped stop-at-first-error code is rewritten (no messages, no instance paths): mutants reach far more of
    // its failure branches than the four invalid corpus descriptions do.
    let seed = 0xa11;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const sources = ['openapi/apisguru/afterbanks.com.json', 'openapi/paypal-payments_payouts_batch_v1.json', 'openapi/adyen-BinLookupService-v54.yaml', 'openapi/obuk-account-info-swagger-v3.1.7.yaml'];
    const replacements: unknown[] = [1, 'x', true, null, [], {}, { $ref: 1 }, { type: 'objekt' }, ['a']];
    let invalid = 0;
    let mutants = 0;
    for (const name of sources) {
      const original = readLocalSource(join(CORPUS, name)).value as Record<string, unknown>;
      const version = versionOf(original)!;
      for (let m = 0; m < 150; m++) {
        const doc = structuredClone(original);
        // A random path down the document, then one change there.
        let holder: Record<string, unknown> | unknown[] = doc;
        for (let depth = 0; depth < 12; depth++) {
          const keys = Object.keys(holder);
          if (keys.length === 0) break;
          const key = keys[Math.floor(next() * keys.length)]!;
          const child = (holder as Record<string, unknown>)[key];
          if (child === null || typeof child !== 'object' || next() < 0.15) {
            const r = next();
            if (r < 0.6) (holder as Record<string, unknown>)[key] = replacements[Math.floor(next() * replacements.length)];
            else if (r < 0.8 && !Array.isArray(holder)) delete holder[key];
            else if (!Array.isArray(holder)) holder[next() < 0.5 ? 'unknownMember' : 'x-extension'] = 1;
            break;
          }
          holder = child as Record<string, unknown>;
        }
        const full = validator(version, 'full')(doc);
        expect(validator(version, 'first')(doc), `${name} mutant ${m}`).toBe(full);
        mutants++;
        if (!full) invalid++;
      }
    }
    expect(mutants).toBe(600);
    expect(invalid).toBeGreaterThan(150);
  }, 120_000);
});
