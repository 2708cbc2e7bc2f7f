/**
 * Score and coverage (DESIGN.md): weight w per requirement from severity (should = half), score = 100·Σw·s/Σw over
 * applicable requirements, overall and per chapter, no partial credit; coverage = share of weight with a
 * definitive outcome, split by how it was reached. Pure.
 */
import type { ClauseResult, Coverage, RequirementResult } from '../model/result.js';
import { CHAPTERS, CLAUSE_TITLES, chapterOf } from '../model/clauses.js';

const SCORED = (r: RequirementResult) => r.status !== 'n/a' && r.status !== 'waived';
const SATISFIED = (r: RequirementResult) => r.status === 'pass' || r.status === 'manual-pass';
const DEFINITIVE = (r: RequirementResult) => r.status === 'pass' || r.status === 'fail' || r.status === 'manual-pass' || r.status === 'manual-fail';

const round1 = (x: number) => Math.round(x * 10) / 10;

export function scoreOf(requirements: RequirementResult[]): number | null {
  const scored = requirements.filter(SCORED);
  const total = scored.reduce((s, r) => s + r.weight, 0);
  if (total === 0) return null;
  return round1((100 * scored.filter(SATISFIED).reduce((s, r) => s + r.weight, 0)) / total);
}

/**
 * The score over assessed requirements: the same weighted sum, but only over requirements that were assessed
 * (an automatic, probe or attested outcome, or a check that broke — which still scores 0: a failure to assess is
 * never credit). Not-reviewed requirements are left out, so this figure says how well what was looked at
 * complies, and says nothing about what was not; it is always shown next to the overall score and coverage.
 */
export function assessedScoreOf(requirements: RequirementResult[]): number | null {
  return scoreOf(requirements.filter((r) => r.status !== 'not-reviewed'));
}

export function coverageOf(requirements: RequirementResult[]): Coverage {
  const scored = requirements.filter(SCORED);
  const total = scored.reduce((s, r) => s + r.weight, 0);
  const share = (pred: (r: RequirementResult) => boolean) =>
    total === 0 ? 0 : round1((100 * scored.filter(pred).reduce((s, r) => s + r.weight, 0)) / total);
  return {
    total: share(DEFINITIVE),
    automatic: share((r) => (r.status === 'pass' || r.status === 'fail') && r.source === 'automatic'),
    probe: share((r) => (r.status === 'pass' || r.status === 'fail') && r.source === 'probe'),
    attested: share((r) => r.status === 'manual-pass' || r.status === 'manual-fail'),
    notReviewed: share((r) => r.status === 'not-reviewed'),
    error: share((r) => r.status === 'error'),
  };
}

export function clauseResults(requirements: RequirementResult[]): ClauseResult[] {
  return CHAPTERS.map((chapter) => {
    const reqs = requirements.filter((r) => chapterOf(r.clause) === chapter);
    const scored = reqs.filter(SCORED);
    let status: ClauseResult['status'];
    if (scored.length === 0) status = 'n/a';
    else if (scored.some((r) => r.status === 'fail' || r.status === 'manual-fail')) status = 'fail';
    else if (scored.some((r) => r.status === 'not-reviewed' || r.status === 'error')) status = 'incomplete';
    else status = 'pass';
    return {
      clause: chapter,
      title: CLAUSE_TITLES[chapter]!,
      score: scoreOf(reqs),
      coverage: scored.length === 0 ? null : coverageOf(reqs).total,
      status,
      requirements: reqs.length,
    };
  });
}
