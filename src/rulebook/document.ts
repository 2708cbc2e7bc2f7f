/**
 * The rulebook as documents: JSON (`jrt0185 rules --format json`), Markdown (docs/rulebook.md is generated from
 * this and a test fails when it is stale), a plain list, and the per-clause coverage table.
 */
import { ruleAnchor, type Rule, type Rulebook } from '../model/rulebook.js';
import type { CheckRegistry } from '../checks/registry.js';
import type { EvidenceKind } from '../model/evidence.js';
import { defaultRegistry } from '../checks/index.js';
import { CHAPTERS, CLAUSE_TITLES, chapterOf } from '../model/clauses.js';
import { displayWidth } from '../report/wrap.js';

export function rulesJson(rulebook: Rulebook): string {
  const rules = rulebook.rules.map((r) => ({
    id: r.id,
    clause: r.clause,
    subject: r.subject,
    levels: r.levels,
    obligation: r.obligation,
    severity: r.severity,
    text: r.text,
    assessment: r.assessment,
    checks: r.checks.map((c) => ({ ...c, covers: c.covers ?? 'part' })),
    attestation: r.attestation,
    remediation: r.remediation,
    ...(r.whenNoEvidence ? { whenNoEvidence: r.whenNoEvidence } : {}),
    ...(r.weight !== undefined ? { weight: r.weight } : {}),
    ...(r.tags ? { tags: r.tags } : {}),
  }));
  return `${JSON.stringify(rules, null, 2)}\n`;
}

export interface ClauseCoverageRow {
  clause: string;
  rules: number;
  automatic: number;
  probe: number;
  /** Rules with checks none of which covers the whole sentence: a pass still needs an assessor's answer. */
  partial: number;
  attestationOnly: number;
}

/** A rule whose checks test only part of its sentence: passing them leaves it for an assessor to complete. */
export function checkedInPart(rule: Rule): boolean {
  return rule.checks.length > 0 && !rule.checks.some((c) => c.covers === 'whole');
}

/**
 * Per leaf clause: rules checked from files (automatic), by live probe, those whose checks decide only part (a pass
 * still needs an answer), or only by an assessor's answer.
 */
export function coverageTable(rules: Rule[]): ClauseCoverageRow[] {
  const rows = new Map<string, ClauseCoverageRow>();
  for (const r of rules) {
    const row = rows.get(r.clause) ?? { clause: r.clause, rules: 0, automatic: 0, probe: 0, partial: 0, attestationOnly: 0 };
    row.rules += 1;
    if (r.assessment.includes('automatic')) row.automatic += 1;
    if (r.assessment.includes('probe')) row.probe += 1;
    if (checkedInPart(r)) row.partial += 1;
    if (!r.assessment.includes('automatic') && !r.assessment.includes('probe')) row.attestationOnly += 1;
    rows.set(r.clause, row);
  }
  return [...rows.values()];
}

export function coverageText(rules: Rule[], lang: 'zh' | 'en'): string {
  const rows = coverageTable(rules);
  const head = lang === 'zh' ? ['条款', '规则', '自动', '探测', '部分（仍需确认）', '仅人工确认'] : ['clause', 'rules', 'automatic', 'probe', 'part (needs answer)', 'attestation only'];
  const total = rows.reduce(
    (t, r) => ({
      clause: lang === 'zh' ? '合计' : 'total',
      rules: t.rules + r.rules,
      automatic: t.automatic + r.automatic,
      probe: t.probe + r.probe,
      partial: t.partial + r.partial,
      attestationOnly: t.attestationOnly + r.attestationOnly,
    }),
    { clause: '', rules: 0, automatic: 0, probe: 0, partial: 0, attestationOnly: 0 },
  );
  const lines = [head, ...[...rows, total].map((r) => [r.clause, r.rules, r.automatic, r.probe, r.partial, r.attestationOnly].map(String))];
  const widths = head.map((_, i) => Math.max(...lines.map((l) => displayWidth(l[i]!))));
  return `${lines.map((l) => l.map((cell, i) => (i === 0 ? padEnd(cell, widths[i]!) : padStart(cell, widths[i]!))).join('  ')).join('\n')}\n`;
}

export function rulesText(rules: Rule[], lang: 'zh' | 'en'): string {
  return `${rules
    .map((r) => `${r.clause.padEnd(7)} ${r.id.padEnd(44)} ${r.obligation.padEnd(9)} ${r.severity.padEnd(8)} ${r.subject.padEnd(4)} ${r.levels.join('/').padEnd(5)} ${r.assessment.join('+')}\n        ${r.text[lang]}`)
    .join('\n')}\n`;
}

export function checksText(registry: CheckRegistry): string {
  return `${registry
    .all()
    .map((c) => `${c.name.padEnd(36)} [${c.evidence.join('+')}] ${c.description}`)
    .join('\n')}\n`;
}

const HOW: Record<string, string> = { automatic: 'automatic', probe: 'probe', attestation: 'attestation' };

const EVIDENCE_COLUMNS: readonly EvidenceKind[] = ['openapi', 'gateway', 'logs', 'probe'];

/**
 * Which requirements are decided by which evidence (README "Rulebook", docs/rulebook.md): one row per rule with checks,
 * one column per evidence kind — **whole** when a check on that evidence decides the whole sentence, *part* when its
 * checks there test only part of it (a pass still needs an answer). The kind of a check is its registry evidence.
 */
export function evidenceTable(rules: readonly Rule[], registry: CheckRegistry): string {
  const rows = rules
    .filter((r) => r.checks.length > 0)
    .map((r) => {
      const cells = EVIDENCE_COLUMNS.map((kind) => {
        const checks = r.checks.filter((c) => registry.get(c.fn)?.evidence.includes(kind));
        if (checks.length === 0) return '';
        return checks.some((c) => c.covers === 'whole') ? '**whole**' : '*part*';
      });
      return `| ${r.clause} | \`${r.id}\` | ${r.obligation} | ${cells.join(' | ')} |`;
    });
  return ['| clause | requirement | obligation | OpenAPI | gateway | logs | probe |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** docs/rulebook.md */
export function rulesMarkdown(rulebook: Rulebook, registry: CheckRegistry = defaultRegistry): string {
  const out: string[] = [
    '# jrt0185 rulebook — JR/T 0185-2020',
    '',
    '<!-- Generated by `jrt0185 rules --format md` from rules/*.yaml; do not edit (a test fails when it is stale). -->',
    '',
    `${rulebook.rules.length} requirements. How assessed: **automatic** = checks on OpenAPI, gateway or log evidence; **probe** = live checks; **attestation** = an assessor's recorded answer (used too when the evidence a check needs was not supplied). A check marked *(part)* tests only part of its sentence: when such checks pass and no check covering the whole sentence does, the requirement still needs a current answer (without one it is *not reviewed*); a failing check fails it either way. **part** counts the rules whose every check is partial.`,
    '',
    '## Coverage by clause',
    '',
    '| clause | rules | automatic | probe | part | attestation only |',
    '|---|---:|---:|---:|---:|---:|',
    ...coverageTable(rulebook.rules).map((r) => `| ${r.clause} | ${r.rules} | ${r.automatic} | ${r.probe} | ${r.partial} | ${r.attestationOnly} |`),
    '',
    '## Which evidence decides which requirement',
    '',
    '**whole**: a check on that evidence decides the whole sentence (its pass is the requirement\'s pass); *part*: the checks there test only part of it, so a pass still needs an answer. A failing check fails the requirement either way. Requirements without checks are assessed by attestation only.',
    '',
    evidenceTable(rulebook.rules, registry),
  ];
  for (const chapter of CHAPTERS) {
    const rules = rulebook.rules.filter((r) => chapterOf(r.clause) === chapter);
    if (rules.length === 0) continue;
    const t = CLAUSE_TITLES[chapter]!;
    out.push('', `## ${chapter === 'B' ? 'Annex B' : chapter} ${t.zh} — ${t.en}`, '');
    out.push('| clause | id | obligation | subject | levels | severity | assessed by | checks |', '|---|---|---|---|---|---|---|---|');
    for (const r of rules) {
      out.push(`| ${r.clause} | \`${r.id}\` | ${r.obligation} | ${r.subject} | ${r.levels.join(', ')} | ${r.severity} | ${r.assessment.map((a) => HOW[a]).join(', ')} | ${r.checks.map((c) => `\`${c.fn}\`${c.covers === 'whole' ? '' : ' *(part)*'}`).join(', ') || '—'} |`);
    }
    out.push('');
    for (const r of rules) {
      // An explicit anchor per rule: SARIF `helpUri` (and any link to one requirement) lands on the rule itself.
      out.push(`- <a id="${ruleAnchor(r.id)}"></a>**${r.clause} \`${r.id}\`** — ${cell(r.text.zh)}  `, `  *${cell(r.text.en)}*`);
    }
  }
  return `${out.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - displayWidth(s)));
}
function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - displayWidth(s))) + s;
}
