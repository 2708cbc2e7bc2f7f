/**
 * The cover and front matter of the deliverable, as plain label/value pairs that the HTML, Markdown and PDF
 * renderers lay out: who commissioned, did, reviewed and approved the assessment (report metadata), what it was
 * assessed against and with (standard and edition, tool, rulebook digest, profile), and the signature blocks.
 * A metadata key that was not given is still listed, as "not provided": a cover with a silent gap reads as complete.
 */
import type { AssessmentResult, ReportInfo } from '../model/result.js';
import { label, pick, type Lang } from './i18n.js';
import { displayPath, reportDate, subjectOf, timeZoneOf } from './present.js';

export interface CoverFact {
  /** Stable key for tests and `data-field` attributes. */
  key: string;
  label: string;
  value: string;
  /** True when the report metadata did not give it. */
  missing?: boolean;
}

export interface SignatureBlock {
  key: 'prepared' | 'reviewed' | 'approved';
  role: string;
  name: string;
  date: string;
}

const METADATA_KEYS = ['reportNumber', 'client', 'assessedParty', 'organisation', 'assessors', 'reviewer', 'approver', 'period', 'scope', 'method', 'limitations'] as const;

function metadataValue(info: ReportInfo, key: (typeof METADATA_KEYS)[number], lang: Lang): string | undefined {
  switch (key) {
    case 'assessors':
      return info.assessors?.length ? info.assessors.join(lang === 'zh' ? '、' : ', ') : undefined;
    case 'period':
      return info.period ? label('cover.periodRange', lang, { from: info.period.from, to: info.period.to }) : undefined;
    default:
      return info[key];
  }
}

/** The report metadata keys, in the cover's order, each with its value or "not provided". */
export function metadataFacts(result: AssessmentResult, lang: Lang): CoverFact[] {
  const info = result.report ?? {};
  return METADATA_KEYS.map((key) => {
    const value = metadataValue(info, key, lang);
    return value === undefined
      ? { key, label: label(`cover.${key}`, lang), value: label('cover.notProvided', lang), missing: true }
      : { key, label: label(`cover.${key}`, lang), value };
  });
}

/** What the assessment was made against and with: standard, profile, date, tool, rulebook. */
export function assessmentFacts(result: AssessmentResult, lang: Lang): CoverFact[] {
  const year = /-(\d{4})$/.exec(result.standard.id)?.[1] ?? '';
  return [
    {
      key: 'standard',
      label: label('report.standard', lang),
      value: `${label('cover.standardVersion', lang, { id: result.standard.id, year })} ${pick(result.standard.title, lang)}`,
    },
    {
      key: 'profile',
      label: label('report.profile', lang),
      value: `${label('report.level', lang)} ${result.profile.level} · ${label('report.role', lang)} ${label(`subject.${result.profile.role}`, lang)}`,
    },
    { key: 'date', label: label('cover.issueDate', lang), value: reportDate(result) },
    { key: 'timeZone', label: label('cover.timeZone', lang), value: timeZoneOf(result) },
    { key: 'tool', label: label('report.tool', lang), value: `${result.tool.name} ${result.tool.version}` },
    {
      key: 'rulebook',
      label: label('report.rulebook', lang),
      value: `${result.rulebook.rules} ${label('report.rules', lang)} · SHA-256 ${result.rulebook.digest}`,
    },
  ];
}

/** The input files with their SHA-256, paths relative to `baseDir`. */
export function inputRows(result: AssessmentResult, lang: Lang, baseDir?: string): string[][] {
  return result.inputs.map((i) => [label(`input.${i.kind}`, lang), displayPath(i.file, baseDir), i.format ?? '', i.sha256]);
}

/** The cover's headline: the assessed party (metadata), else the subject name, else the first OpenAPI file. */
export function coverSubject(result: AssessmentResult, lang: Lang): string {
  return result.report?.assessedParty ?? subjectOf(result) ?? label('report.unnamed', lang);
}

/** 编制 / 审核 / 批准: names from the metadata (assessors prepare), dated on the report date, signature left blank. */
export function signatureBlocks(result: AssessmentResult, lang: Lang): SignatureBlock[] {
  const info = result.report ?? {};
  const date = reportDate(result);
  return [
    { key: 'prepared', role: label('sign.prepared', lang), name: info.assessors?.join(lang === 'zh' ? '、' : ', ') ?? '', date },
    { key: 'reviewed', role: label('sign.reviewed', lang), name: info.reviewer ?? '', date },
    { key: 'approved', role: label('sign.approved', lang), name: info.approver ?? '', date },
  ];
}
