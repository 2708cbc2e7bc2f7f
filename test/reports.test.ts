/**
 * Sample reports (issue 8): every format produced from every fixture, validated (JSON and SARIF against their
 * schemas, JUnit parsed), scanned for any unmasked value the fixtures plant, byte-identical between two runs with
 * the same clock, and equal to what reports/ holds (regenerate with `npm run reports`).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { runCli } from './run-cli.js';
import { createAjv } from '../src/ajv.js';
import { PLANTED_SECRETS } from './planted.js';
import { sarifValidator } from '../src/report/testing.js';

const EPOCH = '1795996800';
const FORMATS = 'json,html,sarif,junit,markdown,csv';
const FILES = ['jrt0185-junit.xml', 'jrt0185-report.csv', 'jrt0185-report.html', 'jrt0185-report.json', 'jrt0185-report.md', 'jrt0185-report.sarif'];
const fixtures = readdirSync('fixtures')
  .filter((n) => existsSync(join('fixtures', n, 'jrt0185.config.yaml')))
  .sort();

const rendered = new Map<string, Map<string, string>>();
async function render(fixture: string): Promise<Map<string, string>> {
  const out = mkdtempSync(join(tmpdir(), `jrt-reports-${fixture}-`));
  const r = await runCli(['assess', '--config', join('fixtures', fixture, 'jrt0185.config.yaml'), '--format', FORMATS, '--out', out], { SOURCE_DATE_EPOCH: EPOCH, CI: 'true' });
  expect([0, 1], r.stderr).toContain(r.code);
  return new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

beforeAll(async () => {
  for (const f of fixtures) rendered.set(f, await render(f));
}, 120_000);

describe.each(fixtures)('reports of fixtures/%s', (fixture) => {
  it('has every format, with predictable names', () => {
    expect([...rendered.get(fixture)!.keys()].sort()).toEqual(FILES);
  });

  it('JSON validates against schemas/result.schema.json', () => {
    const validate = createAjv().compile(JSON.parse(readFileSync('schemas/result.schema.json', 'utf8')));
    const ok = validate(JSON.parse(rendered.get(fixture)!.get('jrt0185-report.json')!));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('SARIF validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(JSON.parse(rendered.get(fixture)!.get('jrt0185-report.sarif')!)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('JUnit parses, with one test case per requirement', () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(rendered.get(fixture)!.get('jrt0185-junit.xml')!);
    const suites = [xml.testsuites.testsuite].flat();
    const cases = suites.flatMap((s: { testcase?: unknown }) => [s.testcase ?? []].flat());
    const json = JSON.parse(rendered.get(fixture)!.get('jrt0185-report.json')!);
    expect(cases.length).toBe(json.requirements.length);
  });

  it('no output carries a planted secret or personal value in clear', () => {
    for (const [file, text] of rendered.get(fixture)!) {
      for (const planted of PLANTED_SECRETS) expect(text.includes(planted), `${file} contains ${planted.slice(0, 4)}…`).toBe(false);
    }
  });

  it('is what reports/ holds (run `npm run reports` after an intended change)', () => {
    for (const [file, text] of rendered.get(fixture)!) {
      const sample = join('reports', fixture, file);
      expect(existsSync(sample), `${sample} exists`).toBe(true);
      expect(text === readFileSync(sample, 'utf8'), `${sample} is current`).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('the same inputs and clock give byte-identical reports', async () => {
    const fixture = fixtures[0]!;
    const again = await render(fixture);
    for (const [file, text] of rendered.get(fixture)!) expect(again.get(file) === text, file).toBe(true);
  });
});
