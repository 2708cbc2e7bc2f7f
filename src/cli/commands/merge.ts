/** `jrt0185 merge PART.json… --out DIR --format LIST`: shards' results combined into one assessment (portfolio/merge.ts). */
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
      // Loaded on demand: start-up of every other command should not pay for the engine and the renderers.
      const { mergeCommand } = await import('./merge-run.js');
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
