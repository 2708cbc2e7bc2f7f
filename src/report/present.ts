/**
 * Read-only views over an AssessmentResult that several renderers need (grouping, ordering, locations).
 * Nothing here computes a score: it only arranges what the result already holds, in a stable order so that
 * the same result always renders byte-identically.
 */
import type { SourceLocation } from '../model/evidence.js';
import type { AssessmentResult, ClauseResult, Finding, RequirementResult, RequirementStatus } from '../model/result.js';
import { CHAPTERS, chapterOf, clauseTitle, compareClauses, formatPercent, label, pick, type Lang } from './i18n.js';

export interface RenderOptions {
  lang: 'zh' | 'en';
}

/** `file:line:column` (or `file#pointer`, or the probe target); '' when the finding has no location. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  if (location.target && location.line === undefined) return location.target;
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  } else if (location.pointer !== undefined) {
    text += `#${location.pointer}`;
  }
  return text;
}

/** Findings of each requirement, in the result's order (the engine's order is already deterministic). */
export function findingsByRule(result: AssessmentResult): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const list = map.get(finding.ruleId);
    if (list) list.push(finding);
    else map.set(finding.ruleId, [finding]);
  }
  return map;
}

/** Requirements sorted by clause then rule id, so every renderer lists them in the standard's order. */
export function sortedRequirements(result: AssessmentResult): RequirementResult[] {
  return [...result.requirements].sort((a, b) => compareClauses(a.clause, b.clause) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

/** Chapters (7–12, B, then any other the rulebook brings) with their requirements; empty chapters included. */
export function requirementsByChapter(result: AssessmentResult): { chapter: string; requirements: RequirementResult[] }[] {
  const chapters = new Map<string, RequirementResult[]>(CHAPTERS.map((c) => [c, []]));
  for (const clause of result.clauses) if (!chapters.has(clause.clause)) chapters.set(clause.clause, []);
  for (const requirement of sortedRequirements(result)) {
    const chapter = chapterOf(requirement.clause);
    const list = chapters.get(chapter);
    if (list) list.push(requirement);
    else chapters.set(chapter, [requirement]);
  }
  return [...chapters.entries()].map(([chapter, requirements]) => ({ chapter, requirements }));
}

/** Failed outcomes (automatic or attested) first: what an application party has to fix. */
export const FAILED_STATUSES: ReadonlySet<RequirementStatus> = new Set<RequirementStatus>(['fail', 'manual-fail', 'error']);
export const PASSED_STATUSES: ReadonlySet<RequirementStatus> = new Set<RequirementStatus>(['pass', 'manual-pass']);

/** Findings worth showing next to a requirement: what failed, warned or broke. */
export function isProblem(finding: Finding): boolean {
  return finding.status === 'fail' || finding.status === 'warn' || finding.status === 'error';
}

/** The first finding that points somewhere, preferring problems; for one-line summaries (CSV). */
export function firstLocation(findings: readonly Finding[] | undefined): string {
  if (!findings) return '';
  const located = findings.filter((f) => f.location);
  const preferred = located.find(isProblem) ?? located[0];
  return preferred ? formatLocation(preferred.location) : '';
}

/** The assessed subject shown on covers: `subjectName`, else the first OpenAPI input's file name. */
export function subjectOf(result: AssessmentResult): string | undefined {
  if (result.subjectName) return result.subjectName;
  const openapi = result.inputs.find((i) => i.kind === 'openapi');
  return openapi?.file;
}

/** The per-clause score table, as plain cells (each renderer escapes them for its format). */
export function clauseTable(clauses: readonly ClauseResult[], lang: Lang): { head: string[]; rows: string[][] } {
  return {
    head: ['report.clause', 'report.title.col', 'report.score', 'report.coverage', 'report.status', 'report.requirements'].map((k) => label(k, lang)),
    rows: clauses.map((c) => [
      c.clause,
      pick(c.title, lang) || clauseTitle(c.clause, lang),
      formatPercent(c.score),
      c.coverage === null ? '—' : `${formatPercent(c.coverage)}%`,
      label(`clauseStatus.${c.status}`, lang),
      String(c.requirements),
    ]),
  };
}
