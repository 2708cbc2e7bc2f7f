/**
 * Reports out of a command: every chosen format rendered first, then written. WHY this order: a renderer that fails
 * (a PDF print, a bug) must leave no partial set of reports behind, and a reader of `--out` must never find an HTML
 * report beside a stale JSON one from an earlier run.
 */
import type { AssessmentResult } from '../model/result.js';
import { formatByName, renderOutput, type OutputFormat, type RenderOptions } from '../report/index.js';
import { writeAtomically } from '../report/write.js';
import { inertDocument } from '../report/inert.js';

export interface EmitOptions extends RenderOptions {
  /** Folder for the files; `-` (or toStdout) prints the one chosen format on stdout instead. */
  out: string;
  toStdout?: boolean;
}

/** Renders `formats` of `result`, writes the file formats into `out` atomically and prints the rest; returns the paths written. */
export async function emitReports(formats: readonly string[], result: AssessmentResult, opts: EmitOptions): Promise<string[]> {
  const { out, toStdout, ...render } = opts;
  const rendered: { format: OutputFormat; text: string | Uint8Array }[] = [];
  for (const name of formats) {
    const format = formatByName(name)!;
    rendered.push({ format, text: await renderOutput(format, result, render) });
  }
  const written: string[] = [];
  if (!toStdout) for (const { format, text } of rendered) if (format.fileName) written.push(await writeAtomically(out, format.fileName, text));
  for (const { format, text } of rendered) {
    if (format.fileName && !toStdout) continue;
    // A document printed on stdout may reach a CI log: no control character or workflow command of an input
    // survives (the terminal renderer escapes field by field; the others are checked line by line here).
    process.stdout.write(typeof text === 'string' && format.fileName ? inertDocument(text) : text);
  }
  return written;
}
