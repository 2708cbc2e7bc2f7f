/**
 * The structural validation answers "valid" with the validator that stops at the first error and lists errors only
 * with the allErrors one (src/collectors/openapi/validate.ts). That is sound only if both modes agree on validity:
 * checked here, both compiled from the same official schemas, on every description of the shared corpus (third-party
 * specs, four of them invalid) and on small invalid documents of each version.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODE_OPTIONS, ajvFor, officialSchema } from '../src/collectors/openapi/validate.js';
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
function validator(version: OpenApiVersion, mode: keyof typeof MODE_OPTIONS): (doc: unknown) => boolean {
  const key = `${version}/${mode}`;
  let v = validators.get(key);
  if (!v) {
    const { schema, draft } = officialSchema(version);
    const compiled = ajvFor(draft, MODE_OPTIONS[mode]).compile(schema);
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
});
