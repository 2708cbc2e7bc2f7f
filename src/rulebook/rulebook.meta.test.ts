/**
 * The shipped rulebook against the standard (issue 4): every rule validates, every `fn` exists, every `text.zh`
 * is the standard's own words, every leaf clause of 7–12 and Annex B has rules, every registered check has a
 * RuleTester table, and docs/rulebook.md is current.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadRulebook } from './load.js';
import { rulesMarkdown } from './document.js';
import { defaultRegistry } from '../checks/index.js';
import { createAjv } from '../ajv.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { Rulebook } from '../model/rulebook.js';

const STANDARD = join(PACKAGE_ROOT, '..', 'shared', 'spec', 'JR-T-0185-2020.txt');
const LEAF_CLAUSES = [
  '7.1', '7.2.1', '7.2.2', '7.3.1', '7.3.2', '7.3.3', '7.3.4', '8', '9.1.1', '9.1.2', '9.2.1', '9.2.2', '9.3.1', '9.3.2', '9.3.3',
  '9.3.4', '9.3.5', '9.4', '10.1.1', '10.1.2', '10.2.1', '10.2.2', '10.2.3', '10.3', '10.4', '10.5', '11', '12.1', '12.2', '12.3',
  'B.2', 'B.3.2', 'B.3.3', 'B.3.4', 'B.3.5', 'B.3.6', 'B.3.7',
];

let rulebook: Rulebook;
beforeAll(async () => {
  rulebook = await loadRulebook();
});

describe('the shipped rulebook', () => {
  it('loads: schema, unique kebab-case ids, known checks, valid params', () => {
    expect(rulebook.rules.length).toBeGreaterThan(100);
    for (const r of rulebook.rules) expect(r.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(new Set(rulebook.rules.map((r) => r.id)).size).toBe(rulebook.rules.length);
  });

  it('has rules for every leaf clause of 7–12 and Annex B', () => {
    const clauses = new Set(rulebook.rules.map((r) => r.clause));
    expect(LEAF_CLAUSES.filter((c) => !clauses.has(c))).toEqual([]);
  });

  it.skipIf(!existsSync(STANDARD))('quotes the standard verbatim in text.zh (whitespace removed; …… elides, in order)', () => {
    const norm = (s: string) => s.replace(/\s+/g, '');
    const standard = norm(readFileSync(STANDARD, 'utf8'));
    // A sentence whose lead-in carries part of it (10.1.2 故障隔离) quotes lead-in …… bullet: each piece verbatim, in order.
    const quoted = (text: string): boolean => {
      let from = 0;
      for (const piece of norm(text).split('……')) {
        const at = standard.indexOf(piece, from);
        if (piece === '' || at < 0) return false;
        from = at + piece.length;
      }
      return true;
    };
    const missing = rulebook.rules.filter((r) => !quoted(r.text.zh)).map((r) => `${r.id}: ${r.text.zh}`);
    expect(missing).toEqual([]);
  });

  it('says for every check of every rule whether it decides the whole sentence or only part of it (covers)', () => {
    const unsaid = rulebook.rules.flatMap((r) => r.checks.filter((c) => c.covers !== 'whole' && c.covers !== 'part').map((c) => `${r.id}: ${c.fn}`));
    expect(unsaid).toEqual([]);
  });

  it('gives every rule remediation, an attestation question and what to look at, in zh and en', () => {
    for (const r of rulebook.rules) {
      for (const t of [r.remediation, r.attestation.question, r.attestation.evidence, r.text]) {
        expect(t.zh.trim().length, r.id).toBeGreaterThan(0);
        expect(t.en.trim().length, r.id).toBeGreaterThan(0);
      }
      // A rule with checks still needs an answer when its evidence is not supplied.
      expect(r.assessment, r.id).toContain('attestation');
    }
  });

  it('gives every registered check a RuleTester table (testCheck with valid and invalid cases)', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.test.ts')) sources.push(readFileSync(p, 'utf8'));
      }
    };
    walk(join(PACKAGE_ROOT, 'src'));
    const all = sources.join('\n');
    const untested = defaultRegistry.names().filter((name) => !new RegExp(`testCheck\\(\\s*['"]${name.replace('.', '\\.')}['"]`).test(all));
    expect(untested).toEqual([]);
  });

  it('accepts an absent `with` for every check: every params schema admits {}', () => {
    const ajv = createAjv();
    expect(defaultRegistry.all().filter((c) => !ajv.validate(c.params, {})).map((c) => c.name)).toEqual([]);
  });

  it('uses every registered check in at least one rule', () => {
    const used = new Set(rulebook.rules.flatMap((r) => r.checks.map((c) => c.fn)));
    expect(defaultRegistry.names().filter((n) => !used.has(n))).toEqual([]);
  });

  it('docs/rulebook.md is generated from the current rules (run `npm run docs` when this fails)', () => {
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'rulebook.md'), 'utf8');
    expect(doc).toBe(rulesMarkdown(rulebook));
  });

  it('keeps rule files relative to the package', () => {
    for (const f of rulebook.files) expect(relative(PACKAGE_ROOT, f).startsWith('rules')).toBe(true);
  });
});
