/**
 * Markdown for pull-request comments and wikis (GitHub/GitLab flavoured): the verdict first, then what to fix,
 * with everything that passed folded away in <details>. Text from specs and configs is escaped so it cannot
 * turn into links, HTML or broken tables in a rendered comment.
 */
import type { AssessmentResult, Finding, RequirementResult } from '../model/result.js';
import { escapeHtml } from './html.js';
import { formatPercent, label, pick, statusLabel, type Lang } from './i18n.js';
import {
  FAILED_STATUSES,
  clauseTable,
  PASSED_STATUSES,
  findingsByRule,
  formatLocation,
  isProblem,
  gateRule,
  reportDate,
  scoreFigures,
  sortedRequirements,
  type RenderOptions,
} from './present.js';
import { assessmentFacts, coverSubject, inputRows, metadataFacts, signatureBlocks } from './cover.js';
import { conclusionParagraph } from './conclusion.js';
import { portfolioMarkdown } from './portfolio.js';

const MAX_FINDINGS_PER_REQUIREMENT = 20;

/**
 * Inline text: every ASCII punctuation Markdown or GFM gives a meaning to is backslash-escaped (CommonMark allows
 * escaping any of them), so `<img onerror>` stays text, `[x](y)` no link, and a `|` cannot split a table cell.
 */
export function escapeMarkdown(text: unknown): string {
  return String(text ?? '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

/** A code span that survives backticks in its content; `inTable` also escapes pipes, as GFM tables require. */
export function codeSpan(text: string, inTable = false): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  const body = inTable ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}

function findingItem(finding: Finding, lang: Lang, baseDir?: string): string {
  const where = formatLocation(finding.location, baseDir);
  const marks = [finding.new ? `🆕 ${label('report.newFinding', lang)}` : '', finding.waiver ? label('report.waivedFinding', lang) : '']
    .filter(Boolean)
    .map((m) => ` _${escapeMarkdown(m)}_`)
    .join('');
  let line = `- **${escapeMarkdown(statusLabel(finding.status, lang))}**${marks}${where ? ` ${codeSpan(where)}` : ''} ${escapeMarkdown(pick(finding.message, lang))}`;
  if (finding.evidence !== undefined && finding.evidence !== '') line += `\n  ${codeSpan(finding.evidence)}`;
  return line;
}

function failedRequirement(requirement: RequirementResult, findings: Finding[] | undefined, lang: Lang, baseDir?: string): string {
  const heading = `#### ${escapeMarkdown(requirement.clause)} ${codeSpan(requirement.ruleId)} — ${escapeMarkdown(
    `${statusLabel(requirement.status, lang)} · ${label(`severity.${requirement.severity}`, lang)} · ${label(`obligation.${requirement.obligation}`, lang)}`,
  )}`;
  const parts = [heading, '', `> ${escapeMarkdown(pick(requirement.text, lang))}`, ''];
  const problems = (findings ?? []).filter(isProblem);
  for (const finding of problems.slice(0, MAX_FINDINGS_PER_REQUIREMENT)) parts.push(findingItem(finding, lang, baseDir));
  if (problems.length > MAX_FINDINGS_PER_REQUIREMENT) {
    parts.push(`- ${escapeMarkdown(label('report.noMoreFindings', lang, { n: problems.length - MAX_FINDINGS_PER_REQUIREMENT }))}`);
  }
  const a = requirement.attestation;
  if (a) {
    parts.push(
      `- ${escapeMarkdown(
        `${label('report.answer', lang)}: ${label(`answer.${a.answer}`, lang)} · ${label('report.assessor', lang)}: ${a.assessor} · ${a.date}${a.note ? ` · ${a.note}` : ''}`,
      )}`,
    );
  }
  if (problems.length > 0 || a) parts.push('');
  parts.push(`**${escapeMarkdown(label('report.remediation', lang))}:** ${escapeMarkdown(pick(requirement.remediation, lang))}`);
  return parts.join('\n');
}

function listItem(requirement: RequirementResult, lang: Lang, findings?: Finding[]): string {
  let line = `- ${escapeMarkdown(requirement.clause)} ${codeSpan(requirement.ruleId)} — ${escapeMarkdown(statusLabel(requirement.status, lang))}: ${escapeMarkdown(
    pick(requirement.text, lang),
  )}`;
  // Evidence for a pass: what its checks examined (the places are in the HTML and JSON).
  for (const f of (findings ?? []).filter((x) => x.status === 'pass' && x.messageId === 'examined')) line += `\n  - ${escapeMarkdown(pick(f.message, lang))}`;
  const a = requirement.attestation;
  if (a) line += ` _(${escapeMarkdown(`${label('report.assessor', lang)}: ${a.assessor}, ${a.date}`)})_`;
  const w = requirement.waiver;
  if (w) {
    line += ` _(${escapeMarkdown(`${label('report.reason', lang)}: ${w.reason}; ${label('report.owner', lang)}: ${w.owner}; ${label('report.expires', lang)}: ${w.expires}`)})_`;
  }
  return line;
}

function details(summary: string, items: string[]): string {
  if (items.length === 0) return '';
  // Inside an HTML block Markdown escapes are not processed: the summary is HTML-escaped instead.
  return `<details>\n<summary>${escapeHtml(summary)} (${items.length})</summary>\n\n${items.join('\n')}\n\n</details>\n`;
}

/** Renders the result as Markdown (a PR comment or wiki page). */
export function renderMarkdown(result: AssessmentResult, opts: RenderOptions): string {
  const lang = opts.lang;
  const findings = findingsByRule(result);
  const requirements = sortedRequirements(result);
  const subject = coverSubject(result, lang);
  const out: string[] = [];

  out.push(`## ${escapeMarkdown(`JR/T 0185-2020 — ${subject}`)}`, '');
  const verdict = result.gate.passed ? `✅ ${label('report.gate', lang)} ${label('report.gate.passed', lang)}` : `❌ ${label('report.gate', lang)} ${label('report.gate.failed', lang)}`;
  out.push(
    `**${escapeMarkdown(verdict)}** · ${escapeMarkdown(label('score.overall', lang))} **${escapeMarkdown(formatPercent(result.score))}** · ${escapeMarkdown(
      label('score.assessed', lang),
    )} **${escapeMarkdown(formatPercent(result.scoreAssessed))}** · ${escapeMarkdown(
      label('report.coverage', lang),
    )} **${escapeMarkdown(formatPercent(result.coverage.total))}%** · ${escapeMarkdown(
      `${result.profile.level} / ${label(`subject.${result.profile.role}`, lang)} · ${reportDate(result)}`,
    )}`,
  );
  if (result.gate.reasons.length) {
    out.push('');
    for (const reason of result.gate.reasons) out.push(`- ${escapeMarkdown(pick(reason, lang))}`);
  }
  out.push('', escapeMarkdown(gateRule(result.gate, lang)), '');
  for (const figure of scoreFigures(result, lang)) out.push(`- ${escapeMarkdown(figure.means)}`);
  out.push('');

  // Cover and front matter: report metadata, what it was assessed against and with, conclusion, signatures.
  out.push(`### ${escapeMarkdown(label('cover.frontMatter', lang))}`, '', '| | |', '|---|---|');
  for (const fact of [...metadataFacts(result, lang), ...assessmentFacts(result, lang)]) out.push(`| ${escapeMarkdown(fact.label)} | ${escapeMarkdown(fact.value)} |`);
  out.push('', `| ${[label('report.kind', lang), label('report.file', lang), label('report.format', lang), 'SHA-256'].map(escapeMarkdown).join(' | ')} |`, '|---|---|---|---|');
  for (const row of inputRows(result, lang, opts.baseDir)) out.push(`| ${row.map((cell, i) => (i === 3 ? codeSpan(cell, true) : escapeMarkdown(cell))).join(' | ')} |`);
  out.push('', `### ${escapeMarkdown(label('conclusion.title', lang))}`, '', escapeMarkdown(conclusionParagraph(result, lang)), '');
  out.push(
    `### ${escapeMarkdown(label('sign.title', lang))}`,
    '',
    `| | ${[label('sign.name', lang), label('sign.signature', lang), label('sign.date', lang)].map(escapeMarkdown).join(' | ')} |`,
    '|---|---|---|---|',
    ...signatureBlocks(result, lang).map((b) => `| ${escapeMarkdown(b.role)} | ${escapeMarkdown(b.name)} | | ${escapeMarkdown(b.date)} |`),
    '',
  );

  const scores = clauseTable(result.clauses, lang);
  out.push(`| ${scores.head.map(escapeMarkdown).join(' | ')} |`, '|---|---|--:|--:|---|--:|');
  for (const row of scores.rows) out.push(`| ${row.map(escapeMarkdown).join(' | ')} |`);
  out.push(
    '',
    escapeMarkdown(
      `${label('report.coverage', lang)}: ${label('coverage.automatic', lang)} ${formatPercent(result.coverage.automatic)}% · ${label(
        'coverage.probe',
        lang,
      )} ${formatPercent(result.coverage.probe)}% · ${label('coverage.attested', lang)} ${formatPercent(result.coverage.attested)}% · ${label(
        'coverage.notReviewed',
        lang,
      )} ${formatPercent(result.coverage.notReviewed)}% · ${label('coverage.error', lang)} ${formatPercent(result.coverage.error)}%`,
    ),
    '',
  );

  out.push(...portfolioMarkdown(result, lang, opts.baseDir));
  const failed = requirements.filter((r) => FAILED_STATUSES.has(r.status));
  out.push(`### ${escapeMarkdown(label('report.failed', lang))} (${failed.length})`, '');
  if (failed.length === 0) out.push(escapeMarkdown(label('report.none', lang)), '');
  for (const r of failed) out.push(failedRequirement(r, findings.get(r.ruleId), lang, opts.baseDir), '');

  const passed = requirements.filter((r) => PASSED_STATUSES.has(r.status)).map((r) => listItem(r, lang, findings.get(r.ruleId)));
  const notReviewed = requirements.filter((r) => r.status === 'not-reviewed').map((r) => listItem(r, lang));
  const other = requirements.filter((r) => r.status === 'waived' || r.status === 'n/a').map((r) => listItem(r, lang));
  for (const block of [
    details(label('report.passed', lang), passed),
    details(label('report.notReviewed', lang), notReviewed),
    details(label('report.other', lang), other),
  ]) {
    if (block) out.push(block);
  }

  if (result.warnings.length) {
    out.push(`### ${escapeMarkdown(label('report.warnings', lang))}`, '');
    for (const w of result.warnings) out.push(`- ${escapeMarkdown(pick(w, lang))}`);
    out.push('');
  }
  out.push(
    `<sub>${escapeMarkdown(
      `${label('report.generatedBy', lang, { tool: `${result.tool.name} ${result.tool.version}` })} · ${label('report.rulebook', lang)} ${result.rulebook.digest}`,
    )}</sub>`,
  );
  return `${out.join('\n')}\n`;
}
