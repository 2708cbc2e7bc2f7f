/**
 * `--format pdf`: the HTML report printed by a local Chromium through playwright-core. A4, the report number in the
 * page header and "page x of y" in the footer come from the HTML's own print CSS (page-margin boxes), so the PDF is
 * the HTML as a browser prints it. The browser is the user's: CHROME_PATH, else chromium / chrome on PATH; none
 * found is a usage error naming how to install one, raised before any report file is written. The page loads with
 * JavaScript off and every network request refused: the report is self-contained.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UsageError } from '../errors.js';

/** Executable names tried on PATH, in order. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** Flags for a headless print in a container: no sandbox (no user namespaces), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A PDF print that takes longer than this is stuck (a 13 MB spec's report prints in seconds). */
const PRINT_TIMEOUT_MS = 120_000;

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const INSTALL_HINT =
  'install one (Debian/Ubuntu: apt-get install chromium; Alpine: apk add chromium; macOS: brew install --cask chromium) or set CHROME_PATH to its executable';

/** The browser to print with: CHROME_PATH when set (it must be an executable file), else the first one on PATH. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CHROME_PATH;
  if (named) {
    if (isExecutableFile(named)) return named;
    throw new UsageError(`--format pdf: CHROME_PATH=${named} is not an executable file; ${INSTALL_HINT}`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  throw new UsageError(`--format pdf needs Chromium or Chrome and none was found on PATH (${BROWSER_NAMES.join(', ')}); ${INSTALL_HINT}`);
}

/** Prints a self-contained HTML report to PDF bytes. */
export async function printPdf(html: string, executablePath: string): Promise<Uint8Array> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new UsageError('--format pdf needs the playwright-core package (npm install playwright-core)');
  }
  // A fresh profile per print: nothing from an earlier run (cookies, cache, extensions) reaches this one.
  const profile = mkdtempSync(join(tmpdir(), 'jrt0185-pdf-'));
  try {
    let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        headless: true,
        javaScriptEnabled: false,
        offline: true,
        args: CHROMIUM_ARGS,
        timeout: PRINT_TIMEOUT_MS,
      });
    } catch (e) {
      throw new UsageError(`--format pdf: could not start ${executablePath}: ${firstLine((e as Error).message)}; ${INSTALL_HINT}`);
    }
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
      page.setDefaultTimeout(PRINT_TIMEOUT_MS);
      // format A4 too: the HTML's @page says A4, and this keeps it A4 should a hand-edited report drop that rule.
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
      return new Uint8Array(pdf);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
