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

export interface RenderOptions {
  lang: Lang;
  color?: boolean;
}

export interface OutputFormat {
  name: string;
  /** File written in --out; undefined for formats printed on stdout. */
  fileName?: string;
  render(result: AssessmentResult, opts: RenderOptions): string;
}

export const FORMATS: OutputFormat[] = [
  { name: 'terminal', render: (r, o) => renderTerminal(r, o) },
  { name: 'json', fileName: 'jrt0185-report.json', render: (r) => renderJson(r) },
  { name: 'markdown', fileName: 'jrt0185-report.md', render: (r, o) => renderMarkdown(r, o) },
  { name: 'html', fileName: 'jrt0185-report.html', render: (r, o) => renderHtml(r, o) },
  // SARIF URIs are relative to the working directory, where code-scanning tools resolve them.
  { name: 'sarif', fileName: 'jrt0185-report.sarif', render: (r, o) => renderSarif(r, { ...o, baseDir: process.cwd() }) },
  { name: 'junit', fileName: 'jrt0185-junit.xml', render: (r, o) => renderJunit(r, o) },
  { name: 'csv', fileName: 'jrt0185-report.csv', render: (r, o) => renderCsv(r, o) },
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
