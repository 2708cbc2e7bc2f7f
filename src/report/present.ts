/**
 * Read-only views over an AssessmentResult that several renderers need (grouping, ordering, locations).
 * Nothing here computes a score: it only arranges what the result already holds, in a stable order so that
 * the same result always renders byte-identically.
 */
import { isAbsolute, relative } from 'node:path';
import type { SourceLocation } from '../model/evidence.js';
import type { AssessmentResult, ClauseResult, Finding, GateResult, RequirementResult, RequirementStatus } from '../model/result.js';
import { CHAPTERS, chapterOf, clauseTitle, compareClauses, formatPercent, label, pick, type Lang } from './i18n.js';

export interface RenderOptions {
  lang: 'zh' | 'en';
  /** Absolute paths under this folder are shown relative to it (the CLI passes the working directory). */
  baseDir?: string;
}

/** Dates in reports are shown in this zone unless the report metadata names another. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function timeZoneOf(result: AssessmentResult): string {
  return result.report?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** `YYYY-MM-DD` of an ISO instant in a time zone: a report is dated where it is issued, not in UTC. */
export function localDate(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  } catch {
    return iso.slice(0, 10); // an unknown zone in a hand-edited result: UTC date rather than nothing
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The run's date in the report's zone. */
export function reportDate(result: AssessmentResult): string {
  return localDate(result.generatedAt, timeZoneOf(result));
}

/** A path for display: relative to `baseDir` when absolute (an auditor's report must not leak a home folder). */
export function displayPath(file: string, baseDir: string | undefined): string {
  if (!baseDir || !isAbsolute(file)) return file;
  return relative(baseDir, file) || '.';
}

/** `file:line:column` (or `file#pointer`, or the probe target); '' when the finding has no location. */
export function formatLocation(location: SourceLocation | undefined, baseDir?: string): string {
  if (!location) return '';
  if (location.target && location.line === undefined) return location.target;
  let text = displayPath(location.file, baseDir);
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

/**
 * Requirements sorted by clause; inside a clause they keep the result's order, which is the rulebook's — the
 * order of the sentences in the standard (Array.prototype.sort is stable), not the alphabet of rule ids.
 */
export function sortedRequirements(result: AssessmentResult): RequirementResult[] {
  return [...result.requirements].sort((a, b) => compareClauses(a.clause, b.clause));
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
export function firstLocation(findings: readonly Finding[] | undefined, baseDir?: string): string {
  if (!findings) return '';
  const located = findings.filter((f) => f.location);
  const preferred = located.find(isProblem) ?? located[0];
  return preferred ? formatLocation(preferred.location, baseDir) : '';
}

/** The two scores with one sentence each saying what the figure means; every renderer shows both. */
export function scoreFigures(result: AssessmentResult, lang: Lang): { key: 'overall' | 'assessed'; label: string; value: string; means: string }[] {
  return [
    { key: 'overall', label: label('score.overall', lang), value: formatPercent(result.score), means: label('score.overall.means', lang) },
    { key: 'assessed', label: label('score.assessed', lang), value: formatPercent(result.scoreAssessed), means: label('score.assessed.means', lang) },
  ];
}

/** The gate the run applied, in words: the default rule first, then what the options added. */
export function gateRule(gate: GateResult, lang: Lang): string {
  const c = gate.criteria;
  const parts = [label('gate.rule.default', lang)];
  if (c.failOn) parts.push(label('gate.rule.failOn', lang, { severity: c.failOn }));
  if (c.failUnder !== undefined) parts.push(label('gate.rule.failUnder', lang, { n: c.failUnder }));
  if (c.minCoverage !== undefined) parts.push(label('gate.rule.minCoverage', lang, { n: c.minCoverage }));
  if (c.baseline) parts.push(label('gate.rule.baseline', lang, { file: c.baseline }));
  return `${label('gate.rule', lang)}${lang === 'zh' ? '：' : ': '}${parts.join(lang === 'zh' ? '；' : '; ')}${lang === 'zh' ? '。' : '.'}`;
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
