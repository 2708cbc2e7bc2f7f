/** The `merge` run: shards' results combined into one assessment and rendered (registration: merge.ts). */
import { loadBaseline, runClock } from '../../assess.js';
import { loadRulebook } from '../../rulebook/load.js';
import { mergeShards } from '../../portfolio/merge.js';
import { emitReports } from '../emit.js';
import { inert } from '../../report/inert.js';
import type { MergeFlags } from './merge.js';
import { parseFormats, parseLang, parsePercent, parseSeverity, useColor } from '../options.js';

export async function mergeCommand(files: string[], flags: MergeFlags): Promise<number> {
  const formats = parseFormats(flags.format, ['terminal']);
  const lang = parseLang(flags.lang);
  const shards = [];
  for (const file of files) shards.push({ file, result: await loadBaseline(file) });
  const result = mergeShards(shards, {
    rulebook: await loadRulebook({ overlays: flags.rulebook }),
    now: runClock(),
    failUnder: parsePercent('--fail-under', flags.failUnder),
    failOn: parseSeverity(flags.failOn),
    minCoverage: parsePercent('--min-coverage', flags.minCoverage),
  });
  const written = await emitReports(formats, result, { lang, color: useColor(process.stdout, process.env, flags.color), out: flags.out ?? '.' });
  for (const file of written) process.stderr.write(`${lang === 'zh' ? '已写入' : 'wrote'} ${inert(file)}\n`);
  return result.gate.passed ? 0 : 1;
}

