/**
 * The portfolio pool in worker threads gives exactly the parts the same work gives in this thread, in input order,
 * and a description that cannot be read is an input error naming it (not a crash, not a silent gap). Worker threads
 * run the built JavaScript, so this test uses dist/ (built by `npm install`; skipped, with the reason in its name,
 * when dist/ is absent). Descriptions: fixtures and real third-party ones (../shared/corpus/MANIFEST.md).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = resolve('dist/portfolio/pool.js');
const SPECS = [
  'fixtures/compliant-bank/openapi.yaml',
  '../shared/corpus/openapi/adyen-BinLookupService-v54.yaml',
  '../shared/corpus/openapi/apisguru/afterbanks.com.json',
  'fixtures/leaky-bank/openapi.yaml',
  '../shared/corpus/openapi/apisguru/apisetu.gov.in__ucobank.json',
];

describe.skipIf(!existsSync(DIST))(`portfolio worker pool${existsSync(DIST) ? '' : ' (dist/ absent: run npm install or npm run build)'}`, { timeout: 180_000 }, () => {
  it('matches the in-thread assessment exactly, part for part, in input order', async () => {
    const { assessDocuments } = (await import(pathToFileURL(DIST).href)) as typeof import('../src/portfolio/pool.js');
    const { loadRulebook } = (await import(pathToFileURL(resolve('dist/rulebook/load.js')).href)) as typeof import('../src/rulebook/load.js');
    const rulebook = await loadRulebook();
    const shared = { rules: rulebook.rules, level: 'A2' as const };
    const threads = await assessDocuments(SPECS, shared, { workers: 2 });
    const inline = await assessDocuments(SPECS, shared, { workers: 1 });
    expect(threads.map((p) => p.api.file)).toEqual(SPECS);
    expect(threads).toEqual(inline);
  });

  it('reports how far through the portfolio it is, by input bytes, one step per description, in threads and in-thread', async () => {
    const { assessDocuments } = (await import(pathToFileURL(DIST).href)) as typeof import('../src/portfolio/pool.js');
    const { loadRulebook } = (await import(pathToFileURL(resolve('dist/rulebook/load.js')).href)) as typeof import('../src/rulebook/load.js');
    const total = SPECS.reduce((sum, f) => sum + statSync(f).size, 0);
    for (const workers of [1, 2]) {
      const steps: [string, number, number][] = [];
      await assessDocuments(SPECS, { rules: (await loadRulebook()).rules, level: 'A2' }, { workers, progressBytes: (label, done, all) => steps.push([label, done, all]) });
      expect(steps.map((s) => s[0])).toEqual(SPECS.map((_, i) => `openapi  ${i + 1} of ${SPECS.length} descriptions`));
      expect(steps.every((s) => s[2] === total)).toBe(true);
      expect(steps.at(-1)![1]).toBe(total);
    }
  });

  it('a description that cannot be read is an input error naming it, whichever thread read it', async () => {
    const { assessDocuments } = (await import(pathToFileURL(DIST).href)) as typeof import('../src/portfolio/pool.js');
    const { InputError } = (await import(pathToFileURL(resolve('dist/errors.js')).href)) as typeof import('../src/errors.js');
    const { loadRulebook } = (await import(pathToFileURL(resolve('dist/rulebook/load.js')).href)) as typeof import('../src/rulebook/load.js');
    const broken = join(mkdtempSync(join(tmpdir(), 'jrt-pool-')), 'broken.json');
    writeFileSync(broken, '{"openapi": "3.0.0", "info": {');
    const e = await assessDocuments([SPECS[0]!, broken, SPECS[2]!], { rules: (await loadRulebook()).rules, level: 'A2' }, { workers: 2 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)?`));
  });
});
