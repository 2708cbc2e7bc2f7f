import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../model/result.js';
import { INJECTION, loadSample } from './testing.js';
import { renderHtml } from './html.js';
import { escapeMarkdown, renderMarkdown } from './markdown.js';
import { portfolioHtml, portfolioMarkdown } from './portfolio.js';

const api = (file: string, score: number | null, over: Partial<ApiResult> = {}): ApiResult => ({ file, format: 'openapi 3.0', operations: 3, score, coverage: 10, failed: 2, failures: 5, errors: 0, ...over });
const APIS = [api('specs/b.yaml', 40, { title: 'Payments', failures: 9 }), api('specs/a.json', 12.5, { operations: 40 }), api('specs/c.yaml', null, { title: INJECTION, errors: 1 })];

describe('portfolio table', () => {
  it('HTML: one body per order (input order first, then each column), switched by the headings, no script', () => {
    const result = { ...loadSample(), apis: APIS };
    const html = portfolioHtml(result, 'en');
    const bodies = [...html.matchAll(/<tbody class="pf-rows pf-rows-(\d)">(.*?)<\/tbody>/g)].map((m) => [...m[2]!.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((r) => r[1]));
    expect(bodies).toHaveLength(8);
    expect(bodies[0]).toEqual(['Payments — specs/b.yaml', 'specs/a.json', expect.stringContaining('c.yaml')]);
    expect(bodies[1]![0]).toBe('specs/a.json'); // by name
    expect(bodies[3]!.map((r) => r!.slice(-6))).toEqual(['c.yaml', 'a.json', 'b.yaml']); // score, lowest (none) first
    expect(html).toContain('<label for="pf-order-3"');
    expect(html).toContain('#pf-order-0:checked~table .pf-rows-0');
    expect(html).not.toMatch(/<script|<img|<svg/i);
    // In the report: inside the summary, and the page's policy still forbids every script.
    const page = renderHtml(result, { lang: 'zh' });
    expect(page).toContain('id="portfolio"');
    expect(page).toContain("default-src 'none'");
    expect(page).not.toMatch(/<script/i);
  });

  it('Markdown: lowest score first, cells escaped', () => {
    const lines = portfolioMarkdown({ ...loadSample(), apis: APIS }, 'en');
    expect(lines[0]).toBe('### Per-API results (3)');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| API'));
    expect(rows.map((r) => r.split(' | ')[2])).toEqual(['—', '12.5', '40']);
    expect(rows[0]).toContain(escapeMarkdown(INJECTION));
    expect(renderMarkdown({ ...loadSample(), apis: APIS }, { lang: 'en' })).toContain('### Per-API results (3)');
  });

  it('absent for one description or none', () => {
    expect(portfolioHtml({ ...loadSample(), apis: [APIS[0]!] }, 'en')).toBe('');
    expect(portfolioMarkdown(loadSample(), 'en')).toEqual([]);
  });
});
