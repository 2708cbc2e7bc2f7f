#!/usr/bin/env node
// Screenshot of the HTML report for the README, taken offline in Debian's headless Chromium.
//
//   node scripts/render-html-screenshot.mjs [REPORT.html | RESULT.json] [OUT.png] [--lang zh|en]
//
// A RESULT.json is rendered with the built renderer (run `npm run build` first); the default input is the
// renderers' hand-written sample result and the default output docs/report-screenshot.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const langAt = args.indexOf('--lang');
const lang = langAt >= 0 ? args.splice(langAt, 2)[1] : 'zh';
if (lang !== 'zh' && lang !== 'en') {
  console.error(`--lang must be zh or en, not ${lang}`);
  process.exit(2);
}
const input = resolve(args[0] ?? join(root, 'src/report/__fixtures__/sample-result.json'));
const output = resolve(args[1] ?? join(root, 'docs/report-screenshot.png'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'jrt0185-shot-'));
try {
  let htmlFile = input;
  if (input.endsWith('.json')) {
    let renderHtml;
    try {
      ({ renderHtml } = await import(pathToFileURL(join(root, 'dist/report/html.js')).href));
    } catch {
      console.error('dist/report/html.js not found: run `npm run build` first, or pass an HTML report.');
      process.exit(2);
    }
    htmlFile = join(work, 'report.html');
    writeFileSync(htmlFile, renderHtml(JSON.parse(readFileSync(input, 'utf8')), { lang }));
  }
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath,
    headless: true,
    viewport: { width: 1100, height: 1400 },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('request', (r) => r.url() !== pathToFileURL(htmlFile).href && problems.push(`request: ${r.url()}`));
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    mkdirSync(dirname(output), { recursive: true });
    await page.screenshot({ path: output, fullPage: false });
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exit(1);
    }
    console.log(output);
  } finally {
    await context.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
