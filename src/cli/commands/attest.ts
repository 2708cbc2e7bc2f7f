import { existsSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { loadRulebook } from '../../rulebook/load.js';
import { attestationTemplate, previousAnswers, sheetEntries, type Previous } from '../../collectors/attestation/template.js';
import { readAnswerSheet } from '../../collectors/attestation/load.js';
import { writeAtomically } from '../../report/write.js';
import { parseLang, parseLevel, parseRole } from '../options.js';
import { UsageError } from '../../errors.js';

interface AttestInitFlags {
  level: string;
  role?: string;
  out?: string;
  rulebook?: string[];
  lang?: string;
  force?: boolean;
  from?: string;
  format?: string;
}

export async function attestInitCommand(flags: AttestInitFlags): Promise<number> {
  const format = flags.format ?? (flags.out && /\.xlsx$/i.test(flags.out) ? 'xlsx' : 'yaml');
  if (format !== 'yaml' && format !== 'xlsx') throw new UsageError(`--format must be yaml or xlsx (got "${flags.format}")`);
  if (format === 'xlsx' && !flags.out) throw new UsageError('--format xlsx writes a workbook: name it with --out answers.xlsx');
  const rulebook = await loadRulebook({ overlays: flags.rulebook });
  const profile = { level: parseLevel(flags.level)!, role: parseRole(flags.role) };
  const lang = parseLang(flags.lang);
  // An earlier sheet (YAML or workbook): its answers are carried into the new one.
  const previous: Previous | undefined = flags.from ? previousAnswers(await readAnswerSheet(flags.from)) : undefined;
  let content: string | Uint8Array;
  if (format === 'xlsx') {
    const { attestationWorkbook } = await import('../../collectors/attestation/xlsx.js');
    content = await attestationWorkbook(rulebook.rules, profile, lang, previous);
  } else {
    content = attestationTemplate(rulebook.rules, profile, lang, previous);
  }
  if (previous) {
    const { entries, carry } = sheetEntries(rulebook.rules, profile, previous);
    const carried = entries.filter((e) => e.previous);
    const changed = carried.filter((e) => e.review === 'changed').map((e) => e.rule.id);
    const unknown = carried.filter((e) => e.review === 'unknown').length;
    process.stderr.write(
      lang === 'zh'
        ? `沿用 ${flags.from} 的答复 ${carried.length} 项；原文已变更、需复核 ${changed.length} 项${changed.length ? `：${changed.join('、')}` : ''}${unknown ? `；无法核对原文 ${unknown} 项` : ''}${carry.dropped.length ? `；未沿用（规则不在本答复表中）${carry.dropped.length} 项：${carry.dropped.join('、')}` : ''}\n`
        : `carried ${carried.length} answers from ${flags.from}; ${changed.length} to review because the rule text changed${changed.length ? `: ${changed.join(', ')}` : ''}${unknown ? `; ${unknown} without a text digest to compare` : ''}${carry.dropped.length ? `; ${carry.dropped.length} not carried (rule not in this sheet): ${carry.dropped.join(', ')}` : ''}\n`,
    );
  }
  if (!flags.out) {
    process.stdout.write(content);
    return 0;
  }
  // An answer sheet holds an assessor's work: never overwrite one by accident.
  if (existsSync(flags.out) && !flags.force) throw new UsageError(`${flags.out} exists; use --force to overwrite it`);
  await writeAtomically(dirname(flags.out), basename(flags.out), content);
  process.stderr.write(`wrote ${flags.out}\n`);
  return 0;
}
