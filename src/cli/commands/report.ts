import { loadBaseline } from '../../assess.js';
import { emitReports } from '../emit.js';
import { inert } from '../../report/inert.js';
import { diffResults, hasRegressions, renderDiff } from '../../report/diff.js';
import { parseFormats, parseLang, useColor } from '../options.js';
import { UsageError } from '../../errors.js';
import { loadReportInfo, withReportInfo } from '../../report/report-info.js';
import { findBrowser } from '../../report/pdf.js';

/** Re-renders a saved result: the renderers present the model as saved, nothing is re-assessed. */
export async function reportCommand(file: string, flags: { format: string; out: string; lang?: string; reportInfo?: string }): Promise<number> {
  const saved = await loadBaseline(file);
  const result = flags.reportInfo ? withReportInfo(saved, await loadReportInfo(flags.reportInfo)) : saved;
  const lang = parseLang(flags.lang);
  const formats = parseFormats(flags.format, ['html']);
  if (formats.includes('pdf')) findBrowser(); // no browser: exit 2 before any file is written
  for (const file of await emitReports(formats, result, { lang, color: useColor(process.stdout), out: flags.out })) process.stderr.write(`wrote ${inert(file)}\n`);
  return 0;
}

/** Exit 1 when the new result has regressions (a requirement got worse or a new failing finding appeared). */
export async function diffCommand(oldFile: string, newFile: string, flags: { format: string; lang?: string }): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
  const diff = diffResults(await loadBaseline(oldFile), await loadBaseline(newFile));
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, parseLang(flags.lang)));
  return hasRegressions(diff) ? 1 : 0;
}
