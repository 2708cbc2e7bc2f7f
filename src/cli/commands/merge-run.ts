/** The `merge` run: shards' results combined into one assessment and rendered (registration: merge.ts). */
import { loadBaseline, runClock } from '../../assess.js';
import { loadRulebook } from '../../rulebook/load.js';
import { mergeShards } from '../../portfolio/merge.js';
import { formatByName, renderOutput } from '../../report/index.js';
import { writeAtomically } from '../../report/write.js';
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
  // Every format is rendered before any file is written: a failure leaves no partial set of reports.
  const color = useColor(process.stdout, process.env, flags.color);
  const rendered = [];
  for (const name of formats) {
    const format = formatByName(name)!;
    rendered.push({ format, content: await renderOutput(format, result, { lang, color }) });
  }
  for (const { format, content } of rendered) {
    if (format.fileName) process.stderr.write(`${lang === 'zh' ? '已写入' : 'wrote'} ${await writeAtomically(flags.out ?? '.', format.fileName, content)}\n`);
    else process.stdout.write(content);
  }
  return result.gate.passed ? 0 : 1;
}

