/**
 * Reports out of a command: every chosen format rendered first, then written. WHY this order: a renderer that fails
 * (a PDF print, a bug) must leave no partial set of reports behind, and a reader of `--out` must never find an HTML
 * report beside a stale JSON one from an earlier run.
 */
import type { AssessmentResult } from '../model/result.js';
import { loadFormat, renderOutput, type RenderOptions } from '../report/formats.js';
import { writeAtomically } from '../report/write.js';
import { inertDocument } from '../report/inert.js';

export interface EmitOptions extends RenderOptions {
  /** Folder for the files; `-` (or toStdout) prints the one chosen format on stdout instead. */
  out: string;
  toStdout?: boolean;
}

/** A document ready to go out: written into `--out` under `fileName`, or printed on stdout when it has none. */
export interface RenderedDocument {
  fileName?: string;
  content: string | Uint8Array;
}

/** Renders `formats` of `result`, each to its document. */
export async function renderReports(formats: readonly string[], result: AssessmentResult, render: RenderOptions): Promise<RenderedDocument[]> {
  const rendered: RenderedDocument[] = [];
  for (const name of formats) {
    // Only the chosen formats' renderers load (report/formats.ts).
    const format = (await loadFormat(name))!;
    rendered.push({ fileName: format.fileName, content: await renderOutput(format, result, render) });
  }
  return rendered;
}

/** Writes the file documents into `out` atomically and prints the rest (all of them with toStdout); returns the paths written. */
export async function sendDocuments(rendered: readonly RenderedDocument[], out: string, toStdout = false): Promise<string[]> {
  const written: string[] = [];
  if (!toStdout) for (const { fileName, content } of rendered) if (fileName) written.push(await writeAtomically(out, fileName, content));
  for (const { fileName, content } of rendered) {
    if (fileName && !toStdout) continue;
    // A document printed on stdout may reach a CI log: no control character or workflow command of an input
    // survives (the terminal renderer escapes field by field; the others are checked line by line here).
    process.stdout.write(typeof content === 'string' && fileName ? inertDocument(content) : content);
  }
  return written;
}

/** Renders `formats` of `result`, writes the file formats into `out` atomically and prints the rest; returns the paths written. */
export async function emitReports(formats: readonly string[], result: AssessmentResult, opts: EmitOptions): Promise<string[]> {
  const { out, toStdout, ...render } = opts;
  return sendDocuments(await renderReports(formats, result, render), out, toStdout);
}
