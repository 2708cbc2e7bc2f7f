/** Output formats: format name → renderer and file name in --out. Renderers present a result; they never recompute. */
import type { AssessmentResult } from '../model/result.js';
import type { Lang } from './i18n.js';
import { renderJson } from './json.js';
import { renderTerminal } from './terminal.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { renderSarif } from './sarif.js';
import { renderJunit } from './junit.js';
import { renderCsv } from './csv.js';
import { findBrowser, printPdf } from './pdf.js';

export interface RenderOptions {
  lang: Lang;
  color?: boolean;
  /** Absolute paths under it are shown relative to it; default the working directory. */
  baseDir?: string;
  /** Terminal only: window width to wrap to, and --quiet (verdict and failures only). */
  width?: number;
  quiet?: boolean;
}

export interface OutputFormat {
  name: string;
  /** File written in --out; undefined for formats printed on stdout. */
  fileName?: string;
  /** The text of the format; for a binary format (pdf), the text it is made from (the HTML it prints). */
  render(result: AssessmentResult, opts: RenderOptions): string;
  /** Binary formats only: the file's bytes. */
  renderBytes?(result: AssessmentResult, opts: RenderOptions): Promise<Uint8Array>;
}

const withBase = (o: RenderOptions) => ({ ...o, baseDir: o.baseDir ?? process.cwd() });

export const FORMATS: OutputFormat[] = [
  { name: 'terminal', render: (r, o) => renderTerminal(r, o) },
  { name: 'json', fileName: 'jrt0185-report.json', render: (r) => renderJson(r) },
  { name: 'markdown', fileName: 'jrt0185-report.md', render: (r, o) => renderMarkdown(r, withBase(o)) },
  { name: 'html', fileName: 'jrt0185-report.html', render: (r, o) => renderHtml(r, withBase(o)) },
  {
    name: 'pdf',
    fileName: 'jrt0185-report.pdf',
    render: (r, o) => renderHtml(r, withBase(o)),
    // The browser is looked up first: none installed is a usage error before anything is printed or written.
    renderBytes: async (r, o) => printPdf(renderHtml(r, withBase(o)), findBrowser()),
  },
  // SARIF URIs are relative to the working directory, where code-scanning tools resolve them.
  { name: 'sarif', fileName: 'jrt0185-report.sarif', render: (r, o) => renderSarif(r, { ...o, baseDir: process.cwd() }) },
  { name: 'junit', fileName: 'jrt0185-junit.xml', render: (r, o) => renderJunit(r, o) },
  { name: 'csv', fileName: 'jrt0185-report.csv', render: (r, o) => renderCsv(r, withBase(o)) },
];

export const FORMAT_NAMES = FORMATS.map((f) => f.name);

export function formatByName(name: string): OutputFormat | undefined {
  return FORMATS.find((f) => f.name === name || (name === 'md' && f.name === 'markdown'));
}

export function renderReport(result: AssessmentResult, format: string, opts: RenderOptions): string {
  const f = formatByName(format);
  if (!f) throw new Error(`unknown format ${format}`);
  return f.render(result, opts);
}

/** The content of a format's output: text, or bytes for a binary format (pdf). Commands write what this returns. */
export async function renderOutput(format: OutputFormat, result: AssessmentResult, opts: RenderOptions): Promise<string | Uint8Array> {
  return format.renderBytes ? format.renderBytes(result, opts) : format.render(result, opts);
}
