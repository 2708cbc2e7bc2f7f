/**
 * The gate is separate from the score (DESIGN.md): by default any failed `shall`/`shall-not` requirement of
 * severity critical fails it; --fail-under, --fail-on and --min-coverage tighten it. With a baseline only new
 * failures (not failed before, or with a finding the baseline did not have) count, and a score below the
 * baseline's fails it. A requirement in `error` on a rule the gate covers fails it too: a check that broke, or
 * evidence a reader lost, is never a pass in disguise. Pure.
 */
import type { Severity } from '../model/rulebook.js';
import { SEVERITY_ORDER } from '../model/rulebook.js';
import type { AssessmentResult, Finding, GateResult, RequirementResult } from '../model/result.js';
import type { LocalizedText } from '../model/outcome.js';

export interface GateOptions {
  failUnder?: number;
  failOn?: Severity;
  minCoverage?: number;
  /** The previous result to compare with (--baseline). */
  baseline?: { file: string; result: Pick<AssessmentResult, 'requirements' | 'findings'> & { score?: number | null } };
}

const FAILED = (r: RequirementResult) => r.status === 'fail' || r.status === 'manual-fail';
const ERRORED = (r: RequirementResult) => r.status === 'error';

/** Marks findings new/not new against the baseline and returns which failed requirements are new failures. */
export function newFailures(requirements: RequirementResult[], findings: Finding[], baseline?: GateOptions['baseline']): Set<string> {
  const failed = requirements.filter(FAILED);
  if (!baseline) return new Set(failed.map((r) => r.ruleId));
  const known = new Set(baseline.result.findings.map((f) => f.fingerprint));
  const failedBefore = new Set(baseline.result.requirements.filter(FAILED).map((r) => r.ruleId));
  for (const f of findings) f.new = !known.has(f.fingerprint);
  return new Set(
    failed
      .filter((r) => !failedBefore.has(r.ruleId) || findings.some((f) => f.ruleId === r.ruleId && f.status === 'fail' && f.new && !f.waiver))
      .map((r) => r.ruleId),
  );
}

export function evaluateGate(
  result: Pick<AssessmentResult, 'requirements' | 'findings' | 'score' | 'coverage'>,
  opts: GateOptions,
): GateResult {
  const reasons: LocalizedText[] = [];
  const fresh = newFailures(result.requirements, result.findings, opts.baseline);
  const counted = result.requirements.filter((r) => FAILED(r) && fresh.has(r.ruleId));
  const suffix = opts.baseline ? { zh: '（相对基线新增）', en: ' (new since the baseline)' } : { zh: '', en: '' };

  const critical = counted.filter((r) => r.severity === 'critical' && r.obligation !== 'should');
  if (critical.length > 0) {
    reasons.push({
      zh: `${critical.length} 项严重（critical）强制性要求未满足${suffix.zh}：${ids(critical)}`,
      en: `${critical.length} critical mandatory requirement(s) failed${suffix.en}: ${ids(critical)}`,
    });
  }
  if (opts.failOn) {
    const min = SEVERITY_ORDER.indexOf(opts.failOn);
    // The line says "N of severity X or higher": it counts every one of them, critical ones included.
    const hit = counted.filter((r) => SEVERITY_ORDER.indexOf(r.severity) >= min);
    if (hit.length > 0) {
      reasons.push({
        zh: `${hit.length} 项严重程度不低于 ${opts.failOn} 的要求未满足${suffix.zh}：${ids(hit)}`,
        en: `${hit.length} requirement(s) of severity ${opts.failOn} or higher failed${suffix.en}: ${ids(hit)}`,
      });
    }
  }
  // Errors on covered rules: what would have failed the gate had the check been able to say "fail". With a
  // baseline, an error the baseline already had is not new (the same broken input must not block every change).
  const erroredBefore = new Set(opts.baseline?.result.requirements.filter(ERRORED).map((r) => r.ruleId) ?? []);
  const minFailOn = opts.failOn ? SEVERITY_ORDER.indexOf(opts.failOn) : Infinity;
  const errored = result.requirements.filter(
    (r) => ERRORED(r) && !erroredBefore.has(r.ruleId) && ((r.severity === 'critical' && r.obligation !== 'should') || SEVERITY_ORDER.indexOf(r.severity) >= minFailOn),
  );
  if (errored.length > 0) {
    reasons.push({
      zh: `${errored.length} 项门禁覆盖的要求无法评估（错误：检查出错或输入证据缺失），不能视为通过${suffix.zh}：${ids(errored)}`,
      en: `${errored.length} requirement(s) the gate covers could not be assessed (error: a check broke or input evidence was lost), which is never a pass${suffix.en}: ${ids(errored)}`,
    });
  }
  const baselineScore = opts.baseline?.result.score;
  if (opts.baseline && typeof baselineScore === 'number' && (result.score ?? 0) < baselineScore) {
    reasons.push({
      zh: `得分 ${result.score ?? '—'} 低于基线的 ${baselineScore}`,
      en: `score ${result.score ?? '—'} is lower than the baseline's ${baselineScore}`,
    });
  }
  if (opts.failUnder !== undefined && (result.score ?? 0) < opts.failUnder) {
    reasons.push({ zh: `得分 ${result.score ?? '—'} 低于 --fail-under ${opts.failUnder}`, en: `score ${result.score ?? '—'} is below --fail-under ${opts.failUnder}` });
  }
  if (opts.minCoverage !== undefined && result.coverage.total < opts.minCoverage) {
    reasons.push({
      zh: `覆盖率 ${result.coverage.total}% 低于 --min-coverage ${opts.minCoverage}%`,
      en: `coverage ${result.coverage.total}% is below --min-coverage ${opts.minCoverage}%`,
    });
  }
  return {
    passed: reasons.length === 0,
    reasons,
    criteria: {
      failUnder: opts.failUnder,
      failOn: opts.failOn,
      minCoverage: opts.minCoverage,
      baseline: opts.baseline?.file,
      baselineScore: opts.baseline ? (baselineScore ?? null) : undefined,
      defaultCritical: true,
    },
  };
}

function ids(reqs: RequirementResult[]): string {
  const shown = reqs.slice(0, 5).map((r) => `${r.ruleId} (${r.clause})`);
  return reqs.length > 5 ? `${shown.join(', ')} …` : shown.join(', ');
}
