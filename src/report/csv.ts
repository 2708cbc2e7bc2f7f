/**
 * CSV working papers: one row per finding (message, location and every related place, masked evidence, waiver),
 * with its requirement's columns repeated, and one row for a requirement without findings; attestation answers
 * with their evidence and note. RFC 4180 quoting, CRLF line ends,
 * UTF-8 with a byte-order mark so Excel opens the Chinese text correctly. Cells that a spreadsheet would run as
 * a formula (starting with = + - @, tab or CR) are prefixed with an apostrophe: a spec title cannot become
 * `=HYPERLINK(...)` in an assessor's workbook.
 */
import type { AssessmentResult, Finding, WaiverRecord } from '../model/result.js';
import { label, pick, statusLabel } from './i18n.js';
import { findingsByRule, firstLocation, formatLocation, sortedRequirements, type RenderOptions } from './present.js';

export const CSV_BOM = '\uFEFF';

/** Defuses formula injection (OWASP CSV injection) and quotes per RFC 4180 when needed. */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS = [
  'ruleId',
  'clause',
  'subject',
  'levels',
  'obligation',
  'severity',
  'weight',
  'status',
  'statusLabel',
  'source',
  'fail',
  'warn',
  'pass',
  'error',
  'manual',
  'n/a',
  'textZh',
  'textEn',
  'remediation',
  'firstLocation',
  'attestationAnswer',
  'attestationAssessor',
  'attestationDate',
  'waiverReason',
  'waiverOwner',
  'waiverExpires',
  'attestationEvidence',
  'attestationNote',
  'findingStatus',
  'findingCheck',
  'findingMessage',
  'findingLocation',
  'findingEvidence',
  'findingWaiver',
] as const;

function waiverText(w: WaiverRecord | undefined): string {
  return w ? `${w.reason} · ${w.owner} · ${w.expires}` : '';
}

/** The finding's own location, then every related place, `; `-separated (a row stays one line). */
function findingPlaces(f: Finding, baseDir: string | undefined): string {
  const places = [formatLocation(f.location, baseDir), ...(f.locations ?? []).map((l) => `${formatLocation(l, baseDir)}${l.subject ? ` ${l.subject}` : ''}`)];
  return [...new Set(places.filter(Boolean))].join('; ');
}

/**
 * Renders one row per finding (a requirement without findings: one row). Header names are stable English identifiers (so a workbook's lookups survive
 * a language switch); `statusLabel` and `remediation` follow `opts.lang`; both texts of the standard are given.
 */
export function renderCsv(result: AssessmentResult, opts: RenderOptions): string {
  const lang = opts.lang;
  const findings = findingsByRule(result);
  const rows: string[] = [COLUMNS.map(csvCell).join(',')];
  for (const r of sortedRequirements(result)) {
    const own = findings.get(r.ruleId) ?? [];
    const counts = r.findingCounts;
    const cells: Record<(typeof COLUMNS)[number], unknown> = {
      ruleId: r.ruleId,
      clause: r.clause,
      subject: r.subject,
      levels: r.levels.join(' '),
      obligation: r.obligation,
      severity: r.severity,
      weight: r.weight,
      status: r.status,
      statusLabel: statusLabel(r.status, lang),
      source: r.source,
      fail: counts.fail ?? 0,
      warn: counts.warn ?? 0,
      pass: counts.pass ?? 0,
      error: counts.error ?? 0,
      manual: counts.manual ?? 0,
      'n/a': counts['n/a'] ?? 0,
      textZh: r.text.zh,
      textEn: r.text.en,
      remediation: lang === 'en' ? r.remediation.en || r.remediation.zh : r.remediation.zh || r.remediation.en,
      firstLocation: firstLocation(own, opts.baseDir),
      attestationAnswer: r.attestation ? label(`answer.${r.attestation.answer}`, 'en') : '',
      attestationAssessor: r.attestation?.assessor ?? '',
      attestationDate: r.attestation?.date ?? '',
      waiverReason: r.waiver?.reason ?? '',
      waiverOwner: r.waiver?.owner ?? '',
      waiverExpires: r.waiver?.expires ?? '',
      attestationEvidence: r.attestation?.evidence ?? '',
      attestationNote: r.attestation?.note ?? '',
      findingStatus: '',
      findingCheck: '',
      findingMessage: '',
      findingLocation: '',
      findingEvidence: '',
      findingWaiver: '',
    };
    const perFinding: (Record<(typeof COLUMNS)[number], unknown> | undefined)[] = own.length
      ? own.map((f) => ({
          ...cells,
          findingStatus: f.status,
          findingCheck: f.check ?? '',
          findingMessage: pick(f.message, lang),
          findingLocation: findingPlaces(f, opts.baseDir),
          findingEvidence: f.evidence ?? '',
          findingWaiver: waiverText(f.waiver),
        }))
      : [cells];
    for (const row of perFinding) rows.push(COLUMNS.map((c) => csvCell(row![c])).join(','));
  }
  return `${CSV_BOM}${rows.join('\r\n')}\r\n`;
}
