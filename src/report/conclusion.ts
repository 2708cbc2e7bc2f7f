/**
 * 评估结论: one paragraph written from the result — score and what it means, coverage, the failed critical
 * requirements by id and clause, and what was not reviewed. It only arranges figures the result holds; an auditor
 * reads it as the report's verdict, so every number in it is one the tables show too.
 */
import type { AssessmentResult, RequirementResult } from '../model/result.js';
import { compareClauses, formatPercent, label, type Lang } from './i18n.js';
import { subjectOf } from './present.js';

/** Ids named in full before "and N more"; the tables list the rest. */
const MAX_NAMED = 8;

const FAILED = (r: RequirementResult) => r.status === 'fail' || r.status === 'manual-fail';

function named(reqs: RequirementResult[], lang: Lang): string {
  const shown = reqs.slice(0, MAX_NAMED).map((r) => `${r.ruleId}（${r.clause}）`);
  const list = shown.join(lang === 'zh' ? '、' : ', ');
  const rest = reqs.length - shown.length;
  const text = rest > 0 ? (lang === 'zh' ? `${list} 等 ${reqs.length} 项` : `${list} and ${rest} more`) : list;
  return lang === 'zh' ? text : text.replace(/（/g, ' (').replace(/）/g, ')');
}

/** Leaf clauses of the not-reviewed requirements, in the standard's order, capped. */
function clauses(reqs: RequirementResult[], lang: Lang): string {
  const unique = [...new Set(reqs.map((r) => r.clause))].sort(compareClauses);
  const shown = unique.slice(0, 12);
  const list = shown.join(lang === 'zh' ? '、' : ', ');
  return unique.length > shown.length ? (lang === 'zh' ? `${list} 等` : `${list} and others`) : list;
}

export function conclusionParagraph(result: AssessmentResult, lang: Lang): string {
  const reqs = result.requirements;
  const applicable = reqs.filter((r) => r.status !== 'n/a' && r.status !== 'waived');
  const count = (pred: (r: RequirementResult) => boolean) => applicable.filter(pred).length;
  const automatic = count((r) => (r.status === 'pass' || r.status === 'fail') && r.source === 'automatic');
  const probe = count((r) => (r.status === 'pass' || r.status === 'fail') && r.source === 'probe');
  const attested = count((r) => r.status === 'manual-pass' || r.status === 'manual-fail');
  const decided = automatic + probe + attested;
  const notReviewed = applicable.filter((r) => r.status === 'not-reviewed');
  const errors = applicable.filter((r) => r.status === 'error');
  const failed = applicable.filter(FAILED);
  const criticalFailed = failed.filter((r) => r.severity === 'critical' && r.obligation !== 'should');
  const otherFailed = failed.length - criticalFailed.length;
  const waived = reqs.filter((r) => r.status === 'waived').length;
  const subject = result.report?.assessedParty ?? subjectOf(result) ?? label('report.unnamed', lang);
  const role = label(`subject.${result.profile.role}`, lang);
  const score = formatPercent(result.score);
  const assessed = formatPercent(result.scoreAssessed);
  const coverage = formatPercent(result.coverage.total);
  const gate = label(result.gate.passed ? 'report.gate.passed' : 'report.gate.failed', lang);

  if (lang === 'zh') {
    const parts = [
      `本次评估依据 ${result.standard.id}《${result.standard.title.zh}》，按安全级别 ${result.profile.level}、评估角色“${role}”，对“${subject}”开展。`,
      `适用要求 ${applicable.length} 项，已得出结论 ${decided} 项（自动检查 ${automatic} 项、在线探测 ${probe} 项、人工确认 ${attested} 项），覆盖率 ${coverage}%。`,
      `总体得分 ${score}（未评审的要求按 0 分计入）；已评估要求得分 ${assessed}（仅计入已得出结论的要求）。`,
      criticalFailed.length > 0
        ? `严重级强制性要求未满足 ${criticalFailed.length} 项：${named(criticalFailed, lang)}。`
        : `未发现严重级强制性要求不符合。`,
      otherFailed > 0 ? `其他不符合的要求 ${otherFailed} 项，详见各章节。` : '',
      errors.length > 0 ? `${errors.length} 项要求因检查出错未能评估，按 0 分计：${named(errors, lang)}。` : '',
      notReviewed.length > 0
        ? `未评审的要求 ${notReviewed.length} 项（条款 ${clauses(notReviewed, lang)}），本报告对其符合情况不作结论。`
        : `全部适用要求均已评估。`,
      waived > 0 ? `已豁免 ${waived} 项，不计入得分。` : '',
      `门禁${gate}。`,
    ];
    return parts.filter(Boolean).join('');
  }
  const parts = [
    `This assessment against ${result.standard.id} (${result.standard.title.en}) covered "${subject}" at security level ${result.profile.level}, role: ${role}.`,
    `Of ${applicable.length} applicable requirements, ${decided} reached an outcome (${automatic} by automatic checks, ${probe} by probes, ${attested} by attestation): coverage ${coverage}%.`,
    `The overall score is ${score} (requirements not reviewed count as 0); the score over assessed requirements is ${assessed}.`,
    criticalFailed.length > 0
      ? `${criticalFailed.length} critical mandatory requirement(s) failed: ${named(criticalFailed, lang)}.`
      : 'No critical mandatory requirement failed.',
    otherFailed > 0 ? `${otherFailed} other requirement(s) failed; see the clauses below.` : '',
    errors.length > 0 ? `${errors.length} requirement(s) could not be assessed because a check broke, and count as 0: ${named(errors, lang)}.` : '',
    notReviewed.length > 0
      ? `${notReviewed.length} requirement(s) were not reviewed (clauses ${clauses(notReviewed, lang)}); this report draws no conclusion about them.`
      : 'Every applicable requirement was assessed.',
    waived > 0 ? `${waived} requirement(s) are waived and not scored.` : '',
    `The gate ${gate}.`,
  ];
  return parts.filter(Boolean).join(' ');
}
