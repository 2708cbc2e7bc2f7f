/**
 * JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins junit step): a test suite per
 * chapter, a test case per requirement. Failed requirements become failures an engineer can click through;
 * what a machine could not decide (not reviewed, n/a, waived) is skipped, never counted as passed.
 */
import type { AssessmentResult, Finding, RequirementResult } from '../model/result.js';
import { clauseTitle, formatPercent, label, pick, statusLabel } from './i18n.js';
import { findingsByRule, formatLocation, isProblem, requirementsByChapter, type RenderOptions } from './present.js';

/** Characters XML 1.0 does not allow at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const ILLEGAL_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes for XML text and attribute values and drops characters XML 1.0 forbids. */
export function escapeXml(text: unknown): string {
  return String(text ?? '')
    .replace(ILLEGAL_XML, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** In attributes a newline would be normalised to a space by parsers; keep it as a character reference. */
function attr(text: unknown): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

type CaseKind = 'passed' | 'failure' | 'error' | 'skipped';

function caseKind(requirement: RequirementResult): CaseKind {
  switch (requirement.status) {
    case 'pass':
    case 'manual-pass':
      return 'passed';
    case 'fail':
    case 'manual-fail':
      return 'failure';
    case 'error':
      return 'error';
    default:
      return 'skipped';
  }
}

function findingLines(findings: Finding[] | undefined, lang: RenderOptions['lang']): string[] {
  return (findings ?? []).filter(isProblem).map((f) => {
    const where = formatLocation(f.location);
    const marks = `${f.new ? ` [${label('report.newFinding', lang)}]` : ''}${f.waiver ? ` [${label('report.waivedFinding', lang)}]` : ''}`;
    return `- [${statusLabel(f.status, lang)}]${marks} ${where ? `${where} ` : ''}${pick(f.message, lang)}${f.evidence !== undefined ? `\n    ${f.evidence}` : ''}`;
  });
}

function testCase(requirement: RequirementResult, findings: Finding[] | undefined, lang: RenderOptions['lang']): string {
  const kind = caseKind(requirement);
  const text = pick(requirement.text, lang);
  const open = `    <testcase classname="${attr(`JR/T 0185-2020.${requirement.clause}`)}" name="${attr(`${requirement.ruleId}: ${text}`)}" time="0"`;
  const status = statusLabel(requirement.status, lang);
  const remediation = `${label('report.remediation', lang)}: ${pick(requirement.remediation, lang)}`;
  if (kind === 'passed') return `${open}/>`;
  if (kind === 'skipped') {
    let message = status;
    if (requirement.waiver) {
      message += ` — ${label('report.reason', lang)}: ${requirement.waiver.reason}; ${label('report.owner', lang)}: ${requirement.waiver.owner}; ${label(
        'report.expires',
        lang,
      )}: ${requirement.waiver.expires}`;
    }
    return `${open}>\n      <skipped message="${attr(message)}"/>\n    </testcase>`;
  }
  const lines = findingLines(findings, lang);
  const attestation = requirement.attestation;
  if (attestation) {
    lines.push(
      `- ${label('report.answer', lang)}: ${label(`answer.${attestation.answer}`, lang)} (${label('report.assessor', lang)}: ${attestation.assessor}, ${attestation.date})` +
        (attestation.note ? ` ${attestation.note}` : ''),
    );
  }
  const body = [`${requirement.clause} ${clauseTitle(requirement.clause, lang)}`, text, '', ...lines, '', remediation].join('\n');
  const first = lines[0]?.replace(/^- /, '').split('\n')[0];
  const message = first ? `${status}: ${first}` : status;
  const element = kind === 'failure' ? 'failure' : 'error';
  const type = kind === 'failure' ? `${requirement.obligation}/${requirement.severity}` : 'error';
  return `${open}>\n      <${element} message="${attr(message)}" type="${attr(type)}">${escapeXml(body)}</${element}>\n    </testcase>`;
}

/** Renders the result as a JUnit XML document (testsuites → testsuite per chapter → testcase per requirement). */
export function renderJunit(result: AssessmentResult, opts: RenderOptions): string {
  const lang = opts.lang;
  const findings = findingsByRule(result);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const { chapter, requirements } of requirementsByChapter(result)) {
    if (requirements.length === 0) continue;
    const counts = { failure: 0, error: 0, skipped: 0 };
    for (const r of requirements) {
      const kind = caseKind(r);
      if (kind !== 'passed') counts[kind] += 1;
    }
    tests += requirements.length;
    failures += counts.failure;
    errors += counts.error;
    skipped += counts.skipped;
    const clause = result.clauses.find((c) => c.clause === chapter);
    const title = clause ? pick(clause.title, lang) : clauseTitle(chapter, lang);
    suites.push(
      `  <testsuite name="${attr(`JR/T 0185-2020 ${chapter} ${title}`)}" tests="${requirements.length}" failures="${counts.failure}" errors="${counts.error}" skipped="${counts.skipped}" time="0" timestamp="${attr(
        result.generatedAt.replace(/Z$|[+-]\d\d:\d\d$/, ''),
      )}">\n` +
        `    <properties>\n` +
        `      <property name="clause" value="${attr(chapter)}"/>\n` +
        `      <property name="score" value="${attr(formatPercent(clause?.score))}"/>\n` +
        `      <property name="coverage" value="${attr(formatPercent(clause?.coverage))}"/>\n` +
        `    </properties>\n` +
        requirements.map((r) => testCase(r, findings.get(r.ruleId), lang)).join('\n') +
        `\n  </testsuite>`,
    );
  }
  const name = `JR/T 0185-2020 ${result.profile.level}${result.subjectName ? ` ${result.subjectName}` : ''}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${attr(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">\n` +
    suites.join('\n') +
    (suites.length ? '\n' : '') +
    `</testsuites>\n`
  );
}
