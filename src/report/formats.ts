/**
 * Output formats: format name → file name in --out and renderer. Renderers present a result; they never recompute.
 * Each renderer's module loads only when its format is asked for: `--format json` never parses the HTML, SARIF or
 * terminal renderers (nor chalk), and option parsing checks `--format` against the names alone. report/index.ts
 * loads them all, for the synchronous library API (FORMATS, renderReport).
 */
import type { AssessmentResult } from '../model/result.js';
import type { Lang } from './i18n.js';

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

type Renderer = Omit<OutputFormat, 'name' | 'fileName'>;

export interface FormatEntry {
  name: string;
  fileName?: string;
  /** The format's renderer, its module loaded on the first call. */
  load(): Promise<Renderer>;
}

const withBase = (o: RenderOptions) => ({ ...o, baseDir: o.baseDir ?? process.cwd() });

export const FORMAT_TABLE: readonly FormatEntry[] = [
  { name: 'terminal', load: async () => { const { renderTerminal } = await import('./terminal.js'); return { render: (r, o) => renderTerminal(r, o) }; } },
  { name: 'json', fileName: 'jrt0185-report.json', load: async () => { const { renderJson } = await import('./json.js'); return { render: (r) => renderJson(r) }; } },
  { name: 'markdown', fileName: 'jrt0185-report.md', load: async () => { const { renderMarkdown } = await import('./markdown.js'); return { render: (r, o) => renderMarkdown(r, withBase(o)) }; } },
  { name: 'html', fileName: 'jrt0185-report.html', load: async () => { const { renderHtml } = await import('./html.js'); return { render: (r, o) => renderHtml(r, withBase(o)) }; } },
  {
    name: 'pdf',
    fileName: 'jrt0185-report.pdf',
    load: async () => {
      const [{ renderHtml }, { findBrowser, printPdf }] = await Promise.all([import('./html.js'), import('./pdf.js')]);
      return {
        render: (r, o) => renderHtml(r, withBase(o)),
        // The browser is looked up first: none installed is a usage error before anything is printed or written.
        renderBytes: async (r, o) => printPdf(renderHtml(r, withBase(o)), findBrowser()),
      };
    },
  },
  // SARIF URIs are relative to the working directory, where code-scanning tools resolve them.
  { name: 'sarif', fileName: 'jrt0185-report.sarif', load: async () => { const { renderSarif } = await import('./sarif.js'); return { render: (r, o) => renderSarif(r, { ...o, baseDir: process.cwd() }) }; } },
  { name: 'junit', fileName: 'jrt0185-junit.xml', load: async () => { const { renderJunit } = await import('./junit.js'); return { render: (r, o) => renderJunit(r, o) }; } },
  { name: 'csv', fileName: 'jrt0185-report.csv', load: async () => { const { renderCsv } = await import('./csv.js'); return { render: (r, o) => renderCsv(r, withBase(o)) }; } },
];

export const FORMAT_NAMES = FORMAT_TABLE.map((f) => f.name);

/** A format's table entry by its name (`md` is markdown), or undefined. */
export function formatNamed(name: string): FormatEntry | undefined {
  return FORMAT_TABLE.find((f) => f.name === name || (name === 'md' && f.name === 'markdown'));
}

/** A table entry with its renderer loaded. */
export async function loadEntry({ load, ...format }: FormatEntry): Promise<OutputFormat> {
  return { ...format, ...(await load()) };
}

/** A format with its renderer loaded (only that format's code), or undefined for an unknown name. */
export async function loadFormat(name: string): Promise<OutputFormat | undefined> {
  const entry = formatNamed(name);
  return entry && loadEntry(entry);
}

/** The content of a format's output: text, or bytes for a binary format (pdf). Commands write what this returns. */
export async function renderOutput(format: OutputFormat, result: AssessmentResult, opts: RenderOptions): Promise<string | Uint8Array> {
  return format.renderBytes ? format.renderBytes(result, opts) : format.render(result, opts);
}
