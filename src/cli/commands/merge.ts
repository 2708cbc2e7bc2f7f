/** `jrt0185 merge PART.json… --out DIR --format LIST`: shards' results combined into one assessment (portfolio/merge.ts). */
import { loadBaseline, runClock } from '../../assess.js';
import { loadRulebook } from '../../rulebook/load.js';
import { mergeShards } from '../../portfolio/merge.js';
import { formatByName, renderOutput } from '../../report/index.js';
import { writeAtomically } from '../../report/write.js';
import { parseFormats, parseLang, parsePercent, parseSeverity, useColor } from '../options.js';
import { UsageError } from '../../errors.js';

export interface MergeFlags {
  format?: string;
  out?: string;
  lang?: string;
  rulebook?: string[];
  failUnder?: string;
  failOn?: string;
  minCoverage?: string;
  color?: boolean;
}

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

/** Registers `merge` on the program (one line in main.ts). */
export function registerMerge(program: import('commander').Command): void {
  program
    .command('merge')
    .description('combine shard results (assess --shard --format json) into one assessment: the result one run over all their inputs gives')
    .argument('<part...>', 'JSON results written by `assess --shard … --format json`')
    .option('--format <list>', 'terminal,json,markdown,html,sarif,junit,csv (default terminal)')
    .option('--out <dir>', 'folder for report files (default .)')
    .option('--lang <lang>', 'zh or en')
    .option('--rulebook <file>', 'the rulebook overlays the shards were assessed with (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--fail-under <score>', 'gate: fail when the score is below this (default: the shards\' own)')
    .option('--fail-on <severity>', 'gate: fail on any failed requirement of this severity or higher (default: the shards\' own)')
    .option('--min-coverage <percent>', 'gate: fail when coverage is below this (default: the shards\' own)')
    .option('--no-color', 'no colour in terminal output')
    .addHelpText('after', `
Examples:
  jrt0185 assess --openapi specs/ --shard 0/2 --format json --out shard-0
  jrt0185 assess --openapi specs/ --shard 1/2 --format json --out shard-1
  jrt0185 merge shard-*/jrt0185-report.json --format html,json --out report/

Exit codes: 0 merged and the gate holds · 1 merged and the gate fails · 2 shards that are not one assessment, or bad input`)
    .action(async (files: string[], opts: MergeFlags) => {
      process.exitCode = await mergeCommand(files, opts);
    });
}

/** `--shard` (record only) or `--shard I/N` (this shard's slice too). */
export function parseShard(v: string | boolean | undefined): boolean | { index: number; count: number } | undefined {
  if (v === undefined || v === false) return undefined;
  if (v === true) return true;
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--shard must be I/N with 0 ≤ I < N, e.g. 0/4 (got "${v}")`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
