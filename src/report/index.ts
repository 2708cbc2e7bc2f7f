/**
 * Output formats for library users: every format with its renderer loaded, so `render` is synchronous. The table of
 * names, file names and renderers is report/formats.ts; the command line loads only the formats it renders.
 */
import type { AssessmentResult } from '../model/result.js';
import { FORMAT_TABLE, formatNamed, loadEntry, type OutputFormat, type RenderOptions } from './formats.js';

export { FORMAT_NAMES, renderOutput, type OutputFormat, type RenderOptions } from './formats.js';

export const FORMATS: OutputFormat[] = await Promise.all(FORMAT_TABLE.map(loadEntry));

export function formatByName(name: string): OutputFormat | undefined {
  const f = formatNamed(name);
  return f && FORMATS.find((x) => x.name === f.name);
}

export function renderReport(result: AssessmentResult, format: string, opts: RenderOptions): string {
  const f = formatByName(format);
  if (!f) throw new Error(`unknown format ${format}`);
  return f.render(result, opts);
}
