/**
 * The terminal report: score and coverage first, a verdict line, then per clause what failed (with file:line and
 * the masked excerpt), what errored, and how much is still waiting for an assessor. Colour only on a TTY without
 * NO_COLOR; the caller decides and passes `color`.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { AssessmentResult, Finding, RequirementResult } from '../model/result.js';
import { CHAPTERS, chapterOf, clauseTitle, formatPercent, label, pick, statusLabel, type Lang } from './i18n.js';
import { gateRule, scoreFigures } from './present.js';
import { inert } from './inert.js';
import { wrapLines } from './wrap.js';

export interface TerminalOptions {
  lang: Lang;
  color?: boolean;
  /** Findings listed per requirement before "… N more". */
  maxFindings?: number;
  /** Window width to wrap to (the CLI passes the TTY's columns); unset: no wrapping. */
  width?: number;
  /** --quiet: the verdict and the failures only. */
  quiet?: boolean;
}

export function renderTerminal(result: AssessmentResult, opts: TerminalOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const { lang } = opts;
  const max = opts.maxFindings ?? 5;
  const out: string[] = [];
  const zh = lang === 'zh';
  // Every string that comes from an input goes through inert(): no control character, escape sequence, newline or
  // workflow command of an input reaches the terminal or the CI log (src/report/inert.ts).
  if (opts.quiet) return renderQuiet(result, opts, c);

  out.push(c.bold(`${result.standard.id} ${pick(result.standard.title, lang)}`) + c.dim(`  ·  ${result.tool.name} ${result.tool.version}`));
  if (result.subjectName) out.push(`${label('report.subject', lang)}: ${inert(result.subjectName)}`);
  out.push(
    `${label('report.level', lang)} ${result.profile.level}  ·  ${label('report.role', lang)} ${result.profile.role === 'both' ? label('subject.both', lang) : label(`subject.${result.profile.role}`, lang)}  ·  ${result.rulebook.rules} ${label('report.rules', lang)}`,
  );
  const cov = result.coverage;
  out.push(
    '',
    `${c.bold(`${label('score.overall', lang)} ${formatPercent(result.score)}`)} / 100    ${c.bold(`${label('report.coverage', lang)} ${formatPercent(cov.total)}%`)}  ` +
      c.dim(
        `(${label('coverage.automatic', lang)} ${formatPercent(cov.automatic)}% · ${label('coverage.probe', lang)} ${formatPercent(cov.probe)}% · ${label('coverage.attested', lang)} ${formatPercent(cov.attested)}% · ${label('coverage.notReviewed', lang)} ${formatPercent(cov.notReviewed)}%${cov.error ? ` · ${label('coverage.error', lang)} ${formatPercent(cov.error)}%` : ''})`,
      ),
  );
  // Two scores, each with what it means: the overall one counts not-reviewed as 0, the other leaves them out.
  out.push(`${c.bold(`${label('score.assessed', lang)} ${formatPercent(result.scoreAssessed)}`)} / 100`);
  for (const figure of scoreFigures(result, lang)) out.push(c.dim(`  ${figure.means}`));
  out.push(c.dim(gateRule(result.gate, lang)));
  const verdict = result.gate.passed
    ? c.green.bold(`${label('report.verdict', lang)}: ${label('report.gate', lang)}${zh ? '' : ' '}${label('report.gate.passed', lang)}`)
    : c.red.bold(`${label('report.verdict', lang)}: ${label('report.gate', lang)}${zh ? '' : ' '}${label('report.gate.failed', lang)}`);
  out.push(verdict);
  for (const reason of result.gate.reasons) out.push(c.red(`  • ${inert(pick(reason, lang))}`));

  for (const chapter of CHAPTERS) {
    const clause = result.clauses.find((x) => x.clause === chapter);
    const reqs = result.requirements.filter((r) => chapterOf(r.clause) === chapter && r.status !== 'n/a');
    if (!clause || reqs.length === 0) continue;
    const statusColour = clause.status === 'pass' ? c.green : clause.status === 'fail' ? c.red : c.yellow;
    out.push(
      '',
      c.bold(`${chapter === 'B' ? (zh ? '附录B' : 'Annex B') : chapter} ${clauseTitle(chapter, lang)}`) +
        `  ${label('report.score', lang)} ${formatPercent(clause.score)}  ${label('report.coverage', lang)} ${formatPercent(clause.coverage)}%  ` +
        statusColour(label(`clauseStatus.${clause.status}`, lang)),
    );
    const counts = countBy(reqs.map((r) => r.status));
    out.push(
      c.dim(
        `  ${Object.entries(counts)
          .map(([s, n]) => `${statusLabel(s as RequirementResult['status'], lang)} ${n}`)
          .join(' · ')}`,
      ),
    );
    for (const req of reqs.filter((r) => r.status === 'fail' || r.status === 'manual-fail' || r.status === 'error')) {
      const mark = req.status === 'error' ? c.yellow('!') : c.red('✗');
      out.push(`  ${mark} ${req.clause} ${c.bold(req.ruleId)} ${c.dim(`[${label(`severity.${req.severity}`, lang)} · ${label(`obligation.${req.obligation}`, lang)}]`)} ${statusLabel(req.status, lang)}`);
      out.push(c.dim(`      ${truncate(pick(req.text, lang), 110)}`));
      const findings = result.findings.filter((f) => f.ruleId === req.ruleId && f.status !== 'warn' && !f.waiver);
      for (const f of findings.slice(0, max)) out.push(`      ${formatFinding(f, lang, c)}`);
      if (findings.length > max) out.push(c.dim(`      … ${label('report.noMoreFindings', lang, { n: findings.length - max })}`));
      if (req.status === 'manual-fail' && req.attestation) {
        out.push(c.dim(`      ${label('report.assessor', lang)} ${inert(req.attestation.assessor)} · ${inert(req.attestation.date)}${req.attestation.note ? ` · ${truncate(req.attestation.note, 200)}` : ''}`));
      }
      out.push(c.cyan(`      → ${truncate(pick(req.remediation, lang), 110)}`));
    }
    const warned = result.findings.filter((f) => chapterOf(f.clause) === chapter && f.status === 'warn');
    for (const f of warned.slice(0, max)) out.push(`  ${c.yellow('⚠')} ${f.clause} ${f.ruleId}: ${formatFinding(f, lang, c)}`);
    const waived = reqs.filter((r) => r.status === 'waived');
    for (const r of waived) out.push(c.dim(`  ~ ${r.clause} ${r.ruleId} ${statusLabel('waived', lang)}: ${inert(r.waiver?.reason)} (${inert(r.waiver?.owner)}, ${inert(r.waiver?.expires)})`));
  }
  const notReviewed = result.requirements.filter((r) => r.status === 'not-reviewed').length;
  if (notReviewed > 0) {
    out.push(
      '',
      c.yellow(
        zh
          ? `${notReviewed} 项要求未评审：需要人工确认（jrt0185 attest init --level ${result.profile.level}${result.profile.role === 'both' ? '' : ` --role ${result.profile.role}`} 生成答复模板，再以 --attest 提交）。`
          : `${notReviewed} requirements not reviewed: they need an attestation (jrt0185 attest init --level ${result.profile.level}${result.profile.role === 'both' ? '' : ` --role ${result.profile.role}`} writes the answer sheet; pass it with --attest).`,
      ),
    );
  }
  for (const w of result.warnings) out.push(c.yellow(`${zh ? '警告' : 'warning'}: ${inert(pick(w, lang))}`));
  return `${wrapLines(out, opts.width).join('\n')}\n`;
}

/** --quiet: the verdict with its reasons, then each failed or errored requirement with its findings. */
function renderQuiet(result: AssessmentResult, opts: TerminalOptions, c: ChalkInstance): string {
  const { lang } = opts;
  const max = opts.maxFindings ?? 5;
  const zh = lang === 'zh';
  const out: string[] = [];
  out.push(
    result.gate.passed
      ? c.green.bold(`${label('report.verdict', lang)}: ${label('report.gate', lang)}${zh ? '' : ' '}${label('report.gate.passed', lang)}`)
      : c.red.bold(`${label('report.verdict', lang)}: ${label('report.gate', lang)}${zh ? '' : ' '}${label('report.gate.failed', lang)}`),
  );
  for (const reason of result.gate.reasons) out.push(c.red(`  • ${inert(pick(reason, lang))}`));
  for (const req of result.requirements.filter((r) => r.status === 'fail' || r.status === 'manual-fail' || r.status === 'error')) {
    out.push(`${req.status === 'error' ? c.yellow('!') : c.red('✗')} ${req.clause} ${c.bold(req.ruleId)} ${c.dim(`[${label(`severity.${req.severity}`, lang)}]`)} ${statusLabel(req.status, lang)}`);
    const findings = result.findings.filter((f) => f.ruleId === req.ruleId && f.status !== 'warn' && !f.waiver);
    for (const f of findings.slice(0, max)) out.push(`    ${formatFinding(f, lang, c)}`);
    if (findings.length > max) out.push(c.dim(`    … ${label('report.noMoreFindings', lang, { n: findings.length - max })}`));
  }
  return `${wrapLines(out, opts.width).join('\n')}\n`;
}

function formatFinding(f: Finding, lang: Lang, c: ChalkInstance): string {
  const loc = f.location;
  const where = inert(
    loc ? loc.target ?? `${loc.file}${loc.line !== undefined ? `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}` : loc.pointer ? `#${loc.pointer}` : ''}` : '',
  );
  const raw = pick(f.message, lang);
  const message = inert(raw);
  // Many messages quote their masked excerpt already; print it again only when they do not.
  const excerpt = f.evidence && !raw.includes(f.evidence) ? c.dim(`  «${truncate(f.evidence, 60)}»`) : '';
  // With --baseline, what the baseline did not have is marked, so a reviewer sees what this change brought.
  const fresh = f.new === true && f.status === 'fail' ? `${c.magenta.bold(lang === 'zh' ? '[新增]' : '[new]')} ` : '';
  return `${fresh}${where ? `${c.underline(where)}  ` : ''}${message}${excerpt}`;
}

function truncate(s: string, n: number): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return inert(chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : chars.join(''));
}

function countBy(values: string[]): Record<string, number> {
  const order = ['fail', 'manual-fail', 'error', 'not-reviewed', 'pass', 'manual-pass', 'waived'];
  const out: Record<string, number> = {};
  for (const s of order) {
    const n = values.filter((v) => v === s).length;
    if (n) out[s] = n;
  }
  return out;
}
