/**
 * The report as an audit deliverable (issue 16): for each fixture bank, the HTML and the PDF (`--format pdf`,
 * printed by Debian's Chromium through playwright-core) show the cover with every report-metadata key, the
 * conclusion, the signature blocks 编制 / 审核 / 批准 and page numbers. The HTML is checked in the browser's DOM
 * and printed the way a browser prints it; the PDF's text is extracted with pdftotext and its pages counted with
 * pdfinfo (poppler-utils, the oracle). Screenshots of both are kept in $TMPDIR/jrt0185-deliverable/.
 * Without Chromium the browser tests are skipped locally and fail in CI (.ci/run installs chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { CHROMIUM_ARGS, findBrowser } from '../src/report/pdf.js';
import { loadReportInfo } from '../src/report/report-info.js';

const EPOCH = '1795996800'; // 2026-11-30T00:00:00Z → 2026-11-30 08:00 in Asia/Shanghai
const fixtures = readdirSync('fixtures')
  .filter((n) => existsSync(join('fixtures', n, 'report-info.yaml')))
  .sort();
let browser: string | undefined;
try {
  browser = findBrowser();
} catch {
  browser = undefined;
}
const poppler = spawnSync('pdftotext', ['-v']).status === 0;
const ready = Boolean(browser) && poppler;
const SHOTS = join(tmpdir(), 'jrt0185-deliverable');

function pdfText(file: string, args: string[] = []): string {
  const r = spawnSync('pdftotext', ['-layout', ...args, file, '-'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function pdfPages(file: string): number {
  const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(/^Pages:\s+(\d+)/m.exec(r.stdout)![1]);
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('--report-info on the command line', () => {
  it('a bad --report-info is exit 2 with file:line and nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jrt-report-info-cli-'));
    const bad = join(dir, 'cli-bad.yaml');
    writeFileSync(bad, 'reportNumber: [1, 2]\n');
    const out = mkdtempSync(join(tmpdir(), 'jrt-report-info-out-'));
    const r = await runCli(['assess', '--openapi', 'fixtures/compliant-bank/openapi.yaml', '--report-info', bad, '--format', 'json,html', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:1:15: report information: /reportNumber: must be string`);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('the browser for --format pdf', () => {
  it('is required in CI (.ci/run installs chromium and poppler-utils)', () => {
    if (process.env.CI) expect(ready, 'chromium and pdftotext must be installed in CI').toBe(true);
  });

  it('none found: exit 2, a message naming how to install one, and nothing written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jrt-pdf-none-'));
    const r = await runCli(['assess', '--config', 'fixtures/leaky-bank/jrt0185.config.yaml', '--format', 'json,html,pdf', '--out', out], {
      PATH: '/nonexistent',
      CHROME_PATH: undefined,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('apt-get install chromium');
    expect(r.stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
    const named = await runCli(['assess', '--config', 'fixtures/leaky-bank/jrt0185.config.yaml', '--format', 'pdf', '--out', out], { CHROME_PATH: '/nonexistent/chrome' });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('CHROME_PATH=/nonexistent/chrome is not an executable file');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe.skipIf(!ready).each(fixtures)('the deliverable of fixtures/%s', (fixture) => {
  let out: string;
  let info: Awaited<ReturnType<typeof loadReportInfo>>;
  let context: import('playwright-core').BrowserContext;
  let profile: string;

  beforeAll(async () => {
    info = await loadReportInfo(join('fixtures', fixture, 'report-info.yaml'));
    out = mkdtempSync(join(tmpdir(), `jrt-deliverable-${fixture}-`));
    const r = await runCli(['assess', '--config', join('fixtures', fixture, 'jrt0185.config.yaml'), '--format', 'json,html,pdf', '--out', out], {
      SOURCE_DATE_EPOCH: EPOCH,
      CI: 'true',
    });
    expect([0, 1], r.stderr).toContain(r.code);
    mkdirSync(SHOTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'jrt-deliverable-profile-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: browser!, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 1500 } });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  /** Every metadata value as the cover prints it. */
  function metadataValues(): string[] {
    return [
      info.reportNumber!,
      info.client!,
      info.assessedParty!,
      info.organisation!,
      info.assessors!.join('、'),
      info.reviewer!,
      info.approver!,
      `${info.period!.from} 至 ${info.period!.to}`,
      info.scope!,
      info.method!,
      info.limitations!,
    ];
  }

  it('HTML in Chromium: the cover has all metadata, the conclusion and signature blocks, and printed pages are numbered', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => r.url().startsWith('file:') || requests.push(r.url()));
    const html = join(out, 'jrt0185-report.html');
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const cover = flat(await page.locator('header.cover').innerText());
    for (const value of metadataValues()) expect(cover).toContain(flat(value));
    expect(await page.locator('dl.facts dd.missing').count()).toBe(0);
    for (const key of ['standard', 'profile', 'date', 'tool', 'rulebook']) expect(await page.locator(`dd[data-field="${key}"]`).innerText()).not.toBe('');
    expect(await page.locator('dd[data-field="date"]').innerText()).toBe('2026-11-30');
    const conclusion = flat(await page.locator('#conclusion').innerText());
    expect(conclusion).toMatch(/^评估结论 本次评估依据 JR\/T 0185-2020/);
    expect(conclusion).toMatch(/总体得分 [\d.]+（未评审的要求按 0 分计入）；已评估要求得分 [\d.—]+/);
    expect(conclusion).toContain('门禁规则：任一严重（critical）级别的强制性要求（应 / 不应）未满足，即判定不通过');
    const signatures = await page.locator('table.signatures tbody tr').allInnerTexts();
    expect(signatures.map((row) => row.split('\t')[0])).toEqual(['编制', '审核', '批准']);
    expect(signatures.map((row) => row.split('\t')[1])).toEqual([info.assessors!.join('、'), info.reviewer, info.approver]);
    for (const row of signatures) expect(row).toContain('2026-11-30');
    const inputs = await page.locator('#inputs td').allInnerTexts();
    expect(inputs.some((cell) => /^[0-9a-f]{64}$/.test(cell))).toBe(true);
    await page.screenshot({ path: join(SHOTS, `${fixture}-html.png`), fullPage: false });
    // The browser's own print of the HTML numbers its pages and carries the report number (print CSS).
    const printed = join(out, 'html-printed.pdf');
    await page.pdf({ path: printed, preferCSSPageSize: true, printBackground: true });
    const pages = pdfPages(printed);
    const text = pdfText(printed);
    expect(text).toContain(`第 1 页 / 共 ${pages} 页`);
    expect(text).toContain(`第 ${pages} 页 / 共 ${pages} 页`);
    expect(text).toContain(`报告编号: ${info.reportNumber}`);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);

  it('PDF: A4, every page headed with the report number and numbered x / y, the cover complete on page 1', async () => {
    const pdf = join(out, 'jrt0185-report.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThan(2);
    const info2 = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
    expect(info2).toMatch(/Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)/);
    const all = pdfText(pdf);
    const perPage = all.split('\f').filter((p) => p.trim() !== '');
    expect(perPage).toHaveLength(pages);
    perPage.forEach((text, i) => {
      expect(text).toContain(`报告编号: ${info.reportNumber}`);
      expect(text).toContain(`第 ${i + 1} 页 / 共 ${pages} 页`);
    });
    const first = flat(pdfText(pdf, ['-f', '1', '-l', '1']));
    // pdftotext lays out columns with spaces: compare with whitespace removed.
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    for (const value of metadataValues()) expect(squeeze(first)).toContain(squeeze(value));
    for (const word of ['评估结论', '编制', '审核', '批准', '签字', '日期']) expect(first).toContain(word);
    const shot = spawnSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, join(SHOTS, `${fixture}-pdf-page1`)]);
    expect(shot.status).toBe(0);
    expect(statSync(join(SHOTS, `${fixture}-pdf-page1.png`)).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('the JSON carries the metadata and both scores', () => {
    const json = JSON.parse(readFileSync(join(out, 'jrt0185-report.json'), 'utf8'));
    expect(json.report).toEqual(info);
    expect(typeof json.score).toBe('number');
    expect(json.scoreAssessed === null || typeof json.scoreAssessed === 'number').toBe(true);
    expect(resolve(out)).not.toBe('');
  });
});
