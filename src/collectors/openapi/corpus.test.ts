/**
 * Every real third-party description in the shared corpus collects without throwing, with the
 * version and operation count the corpus MANIFEST.md records, and evidence pointers that land on
 * the right text in the file (checked by reading the file at the located line and column).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator, OpenApiDocumentEvidence } from '../../model/evidence.js';
import { collectOpenApi } from './index.js';
import { splitPointer } from './pointer.js';

const CORPUS = '/work/shared/corpus';
const OPENAPI = join(CORPUS, 'openapi');
const present = existsSync(OPENAPI) && existsSync(join(CORPUS, 'MANIFEST.md'));

function corpusFiles(): string[] {
  const top = readdirSync(OPENAPI).filter((f) => /\.(json|ya?ml)$/.test(f)).map((f) => join(OPENAPI, f));
  const guru = existsSync(join(OPENAPI, 'apisguru'))
    ? readdirSync(join(OPENAPI, 'apisguru')).map((f) => join(OPENAPI, 'apisguru', f))
    : [];
  return [...top, ...guru].sort();
}

/** MANIFEST.md rows: "| `openapi/x.json` | … | OpenAPI 3.1.0 JSON | … | … — schemes: …; 28 ops; …" */
function manifestFacts(): Map<string, { version: string; operations: number }> {
  const facts = new Map<string, { version: string; operations: number }>();
  for (const row of readFileSync(join(CORPUS, 'MANIFEST.md'), 'utf8').split('\n')) {
    const name = /^\| `(openapi\/[^`]+)`/.exec(row)?.[1];
    const operations = / (\d+) ops;/.exec(row)?.[1];
    const version = /\| (?:OpenAPI (3\.[01])\.\d+|Swagger (2\.0)) (?:JSON|YAML)/.exec(row);
    if (name && operations && version) facts.set(name, { version: version[1] ?? version[2], operations: Number(operations) });
  }
  return facts;
}

/** The text a located pointer lands on starts with its key (member) — checked on the file itself. */
function landsOnKey(lines: string[], locator: Locator, pointers: string[]): string[] {
  const wrong: string[] = [];
  const located = locator.locate(pointers);
  for (const pointer of pointers) {
    const key = splitPointer(pointer).at(-1)!;
    const at = located.get(pointer)!;
    const rest = lines[at.line - 1].slice(at.column - 1);
    const written = [`${key}:`, `"${key}"`, `'${key}'`, JSON.stringify(key)];
    if (!written.some((w) => rest.startsWith(w))) wrong.push(`${pointer} → ${at.line}:${at.column} "${rest.slice(0, 40)}"`);
  }
  return wrong;
}

describe.skipIf(!present)('shared corpus of real OpenAPI descriptions (skipped when /work/shared/corpus is absent)', () => {
  const files = present ? corpusFiles() : [];
  const facts = present ? manifestFacts() : new Map();
  const results = new Map<string, OpenApiDocumentEvidence>();

  it.each(files.map((f) => [relative(CORPUS, f), f]))(
    '%s collects with the manifest version and operation count, and locates its operations and properties',
    async (name, file) => {
      const { evidence, locators } = await collectOpenApi(file);
      results.set(name, evidence);
      const expected = facts.get(name);
      expect(expected, `MANIFEST.md has a row for ${name}`).toBeDefined();
      expect({ version: evidence.version, operations: evidence.operations.length }).toEqual(expected);

      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const root = locators[0];
      const operationPointers = evidence.operations.filter((o) => o.location.file === file).map((o) => o.location.pointer!);
      expect(landsOnKey(lines, root, operationPointers)).toEqual([]);

      const propertyPointers = new Set<string>();
      for (const operation of evidence.operations) {
        for (const response of operation.responses) {
          for (const media of response.content) {
            for (const node of media.nodes) {
              const pointer = node.location.pointer!;
              if (node.location.file === file && /\/properties\/[^/]+$/.test(pointer)) propertyPointers.add(pointer);
              if (propertyPointers.size >= 300) break;
            }
          }
        }
      }
      expect(landsOnKey(lines, root, [...propertyPointers])).toEqual([]);
    },
  );

  it('matches known facts of well-known specs', () => {
    const count = (name: string) => results.get(name)?.operations.length;
    expect(count('openapi/github-api.github.com.json')).toBe(1223);
    expect(count('openapi/adyen-BinLookupService-v54.yaml')).toBe(2);
    expect(count('openapi/stripe-spec3-2023-09.yaml')).toBe(468);
    expect(count('openapi/adyen-BalancePlatformTransferNotification-v4.json')).toBe(0);
    // Square's published specs really reference schemas they do not define.
    expect(results.get('openapi/square-connect-api.json')?.problems.some((p) => p.message.startsWith('unresolved $ref'))).toBe(true);
    // Swagger 2.0: one server per scheme when there is a host; without one, only the schemes as written.
    const govuk = results.get('openapi/govuk-pay-publicapi-swagger.json')!;
    expect(govuk.servers.map((s) => [s.url, s.location.pointer])).toEqual([['https://publicapi.payments.service.gov.uk', '/schemes/0']]);
    const obuk = results.get('openapi/obuk-account-info-swagger-v3.1.7.yaml')!;
    expect([obuk.schemes, obuk.servers]).toEqual([['https'], []]);
    const alipay = results.get('openapi/alipay-v3-openapi-2022-11.yaml')!;
    expect(alipay.servers.some((s) => s.url.startsWith('http://'))).toBe(true);
    expect(alipay.securitySchemes).toEqual([]);
  });
});
