/**
 * What every file renderer owes the user, checked across all of them at once: it prints what the model holds
 * (masked excerpts exactly as given, nothing it could unmask or invent), and the same result always renders
 * to the same bytes whatever the clock says.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssessmentResult } from '../model/result.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { loadSample } from './testing.js';

const sample = loadSample();
type Renderer = (result: AssessmentResult, opts: { lang: 'zh' | 'en' }) => string;
const RENDERERS: Record<string, Renderer> = {
  html: renderHtml,
  sarif: renderSarif,
  junit: renderJunit,
  markdown: renderMarkdown,
  csv: renderCsv,
};

/** Undoes each format's escaping, enough to look for a value as text. */
function asText(format: string, output: string): string {
  switch (format) {
    case 'html':
      return output.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    case 'sarif':
      return JSON.stringify(JSON.parse(output), (_k, v: unknown) => v)
        .replace(/\\"/g, '"')
        .replace(/\\n/g, '\n');
    case 'junit':
      return output.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    case 'csv':
      return output.replace(/""/g, '"');
    default:
      return output;
  }
}

describe('the sample result', () => {
  it('is what `jrt0185 assess --format json` writes: it conforms to schemas/result.schema.json', () => {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/result.schema.json', import.meta.url)), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(schema);
    validate(sample);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('covers every requirement outcome and every finding status', () => {
    expect(new Set(sample.requirements.map((r) => r.status))).toEqual(
      new Set(['pass', 'fail', 'manual-pass', 'manual-fail', 'not-reviewed', 'n/a', 'error', 'waived']),
    );
    expect(new Set(sample.findings.map((f) => f.status))).toEqual(new Set(['pass', 'fail', 'warn', 'manual', 'n/a', 'error']));
  });
});

describe.each(Object.entries(RENDERERS))('%s renderer', (format, render) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows every failed finding\'s masked excerpt exactly as the model holds it', () => {
    const text = asText(format, render(sample, { lang: 'zh' }));
    // JUnit and Markdown list what is to be fixed: a waived requirement is listed with its waiver, not its findings.
    const waived = new Set(sample.requirements.filter((r) => r.status === 'waived').map((r) => r.ruleId));
    const listsWaivedFindings = format === 'html' || format === 'sarif';
    const excerpts = sample.findings
      .filter((f) => f.status === 'fail' && f.evidence && (listsWaivedFindings || !waived.has(f.ruleId)))
      .map((f) => f.evidence!);
    expect(excerpts.length).toBeGreaterThanOrEqual(5);
    // CSV is one row per requirement: it carries locations, not excerpts.
    if (format === 'csv') return;
    for (const excerpt of excerpts) expect(text).toContain(excerpt);
  });

  it('prints no card-number-like digit run the model does not hold', () => {
    for (const lang of ['zh', 'en'] as const) {
      const output = render(sample, { lang });
      // 13–19 consecutive digits would be an unmasked PAN; sha256 digests are hex and contain letters.
      const runs = output.match(/(?<![0-9a-f])\d{13,19}(?![0-9a-f])/g) ?? [];
      expect(runs).toEqual([]);
    }
  });

  it('is byte-identical at any wall-clock time (the only time is result.generatedAt)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = render(sample, { lang: 'zh' });
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));
    const second = render(structuredClone(sample), { lang: 'zh' });
    expect(second).toBe(first);
    expect(first).not.toContain('2030-01-01');
    expect(first).toContain(format === 'csv' ? '2026-11-12' : format === 'markdown' ? '2026-11-20' : '2026-11-20T08:30:00');
  });

  it('speaks the language asked for', () => {
    const zh = render(sample, { lang: 'zh' });
    const en = render(sample, { lang: 'en' });
    expect(zh).not.toBe(en);
    const statusZh = asText(format, zh);
    const statusEn = asText(format, en);
    expect(statusZh).toContain('不符合');
    expect(statusEn).toMatch(/Fail|fail/);
  });
});
