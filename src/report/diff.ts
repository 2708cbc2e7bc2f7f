/**
 * `jrt0185 diff old.json new.json`: what got better or worse between two assessments. Requirements are matched
 * by rule id; findings by fingerprint (rule id + location identity, never the line), so a finding that only
 * moved lines is neither "fixed" nor "new".
 */
import type { LocalizedText } from '../model/outcome.js';
import type { AssessmentResult, Finding, RequirementResult, RequirementStatus } from '../model/result.js';
import { compareClauses, formatPercent, label, pick, statusLabel, type Lang } from './i18n.js';
import { formatLocation, isProblem } from './present.js';
import { inert } from './inert.js';

export interface RequirementChange {
  ruleId: string;
  clause: string;
  text: LocalizedText;
  before: RequirementStatus;
  after: RequirementStatus;
}

export interface FigureChange {
  before: number | null;
  after: number | null;
  /** after − before, one decimal; null when either side was not assessed. */
  delta: number | null;
}

export interface ResultDiff {
  score: FigureChange;
  coverage: FigureChange;
  /** Outcome moved towards compliance (e.g. fail → pass, not-reviewed → manual-pass). */
  improved: RequirementChange[];
  /** Outcome moved away from compliance (e.g. pass → fail, manual-pass → not-reviewed after an attestation expired). */
  regressed: RequirementChange[];
  /** Outcome changed without getting better or worse (e.g. fail → error, n/a → waived). */
  changed: RequirementChange[];
  /** Requirements only in the new result (rulebook or profile changed). */
  added: RequirementResult[];
  /** Requirements only in the old result. */
  removed: RequirementResult[];
  /** Failed, warned or broken findings whose fingerprint the old result did not have. */
  newFindings: Finding[];
  /** Failed, warned or broken findings of the old result whose fingerprint is gone. */
  fixedFindings: Finding[];
}

/**
 * How compliant an outcome is, for ordering only: passes above everything, excluded outcomes (waived, n/a) in the
 * middle, undecided outcomes (not reviewed, error) below them and failures at the bottom.
 */
const RANK: Record<RequirementStatus, number> = {
  pass: 4,
  'manual-pass': 4,
  waived: 3,
  'n/a': 3,
  'not-reviewed': 1,
  error: 1,
  fail: 0,
  'manual-fail': 0,
};

function figure(before: number | null, after: number | null): FigureChange {
  return { before, after, delta: before === null || after === null ? null : Math.round((after - before) * 10) / 10 };
}

function byClause<T extends { clause: string; ruleId: string }>(a: T, b: T): number {
  return compareClauses(a.clause, b.clause) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

function problemsByFingerprint(result: AssessmentResult): Map<string, Finding> {
  const map = new Map<string, Finding>();
  for (const finding of result.findings) if (isProblem(finding) && !map.has(finding.fingerprint)) map.set(finding.fingerprint, finding);
  return map;
}

/** Compares two results of the same subject; neither is modified. */
export function diffResults(before: AssessmentResult, after: AssessmentResult): ResultDiff {
  const oldRequirements = new Map(before.requirements.map((r) => [r.ruleId, r]));
  const newRequirements = new Map(after.requirements.map((r) => [r.ruleId, r]));
  const diff: ResultDiff = {
    score: figure(before.score, after.score),
    coverage: figure(before.coverage.total, after.coverage.total),
    improved: [],
    regressed: [],
    changed: [],
    added: [],
    removed: [],
    newFindings: [],
    fixedFindings: [],
  };
  for (const [ruleId, now] of newRequirements) {
    const was = oldRequirements.get(ruleId);
    if (!was) {
      diff.added.push(now);
      continue;
    }
    if (was.status === now.status) continue;
    const change: RequirementChange = { ruleId, clause: now.clause, text: now.text, before: was.status, after: now.status };
    const delta = RANK[now.status] - RANK[was.status];
    (delta > 0 ? diff.improved : delta < 0 ? diff.regressed : diff.changed).push(change);
  }
  for (const [ruleId, was] of oldRequirements) if (!newRequirements.has(ruleId)) diff.removed.push(was);

  const oldProblems = problemsByFingerprint(before);
  const newProblems = problemsByFingerprint(after);
  for (const [fingerprint, finding] of newProblems) if (!oldProblems.has(fingerprint)) diff.newFindings.push(finding);
  for (const [fingerprint, finding] of oldProblems) if (!newProblems.has(fingerprint)) diff.fixedFindings.push(finding);

  for (const list of [diff.improved, diff.regressed, diff.changed]) list.sort(byClause);
  diff.added.sort(byClause);
  diff.removed.sort(byClause);
  diff.newFindings.sort((a, b) => byClause(a, b) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  diff.fixedFindings.sort((a, b) => byClause(a, b) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return diff;
}

/** True when anything got worse: a requirement regressed or a new problem finding appeared. */
export function hasRegressions(diff: ResultDiff): boolean {
  return diff.regressed.length > 0 || diff.newFindings.length > 0;
}

function signed(delta: number | null): string {
  if (delta === null) return '';
  return ` (${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatPercent(Math.abs(delta))})`;
}

/** Plain-text rendering of a diff for the terminal or a CI log. */
export function renderDiff(diff: ResultDiff, lang: Lang): string {
  const lines: string[] = [label('diff.title', lang), ''];
  lines.push(`${label('report.score', lang)}: ${formatPercent(diff.score.before)} → ${formatPercent(diff.score.after)}${signed(diff.score.delta)}`);
  lines.push(
    `${label('report.coverage', lang)}: ${formatPercent(diff.coverage.before)}% → ${formatPercent(diff.coverage.after)}%${signed(diff.coverage.delta)}`,
  );
  // Both results are files someone handed over: their text is made inert before it reaches a terminal (inert.ts).
  const changeLine = (c: RequirementChange) =>
    `  ${inert(c.clause)} ${inert(c.ruleId)}: ${statusLabel(c.before, lang)} → ${statusLabel(c.after, lang)} — ${inert(pick(c.text, lang))}`;
  const requirementLine = (r: RequirementResult) => `  ${inert(r.clause)} ${inert(r.ruleId)}: ${statusLabel(r.status, lang)} — ${inert(pick(r.text, lang))}`;
  const findingLine = (f: Finding) => {
    const where = inert(formatLocation(f.location));
    return `  ${inert(f.clause)} ${inert(f.ruleId)} [${statusLabel(f.status, lang)}]${where ? ` ${where}` : ''} — ${inert(pick(f.message, lang))}`;
  };
  const sections: [string, string[]][] = [
    [label('diff.regressed', lang), diff.regressed.map(changeLine)],
    [label('diff.newFindings', lang), diff.newFindings.map(findingLine)],
    [label('diff.improved', lang), diff.improved.map(changeLine)],
    [label('diff.fixedFindings', lang), diff.fixedFindings.map(findingLine)],
    [label('diff.changed', lang), diff.changed.map(changeLine)],
    [label('diff.added', lang), diff.added.map(requirementLine)],
    [label('diff.removed', lang), diff.removed.map(requirementLine)],
  ];
  let any = false;
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    any = true;
    lines.push('', `${title} (${items.length})`, ...items);
  }
  if (!any) lines.push('', label('diff.unchanged', lang));
  return `${lines.join('\n')}\n`;
}
