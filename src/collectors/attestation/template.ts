/**
 * `jrt0185 attest init`: the answer sheet for one profile — every applicable rule an assessor may have to answer,
 * grouped by clause, with the question, what to look at and the standard's own text as comments.
 */
import type { Rule } from '../../model/rulebook.js';
import { appliesTo, type Profile } from '../../engine/select.js';
import { chapterOf, CLAUSE_TITLES } from '../../model/clauses.js';

export function attestationTemplate(rules: Rule[], profile: Profile, lang: 'zh' | 'en'): string {
  const applicable = rules.filter((r) => appliesTo(r, profile) && r.assessment.includes('attestation'));
  const out: string[] = [
    `# jrt0185 attestation — JR/T 0185-2020 商业银行应用程序接口安全管理规范`,
    `# profile: level ${profile.level}, role ${profile.role ?? 'both'}; ${applicable.length} requirements`,
    `# answer: yes | no | n/a. "yes" needs evidence (a reference); "no" and "n/a" need a note.`,
    `# Requirements that automatic checks or probes decide use an answer only when their evidence was not supplied.`,
    `# An answer past its "expires" date counts as not reviewed.`,
    `assessor:   # name of the assessor (default for every answer)`,
    `date:       # YYYY-MM-DD (default for every answer)`,
    `answers:`,
  ];
  let chapter = '';
  for (const rule of applicable) {
    const c = chapterOf(rule.clause);
    if (c !== chapter) {
      chapter = c;
      const title = CLAUSE_TITLES[c];
      out.push('', `  # ── ${c === 'B' ? '' : `${c} `}${title ? title[lang] : ''} ${'─'.repeat(40)}`);
    }
    const how = rule.checks.length > 0 ? ` · also checked by: ${rule.checks.map((k) => k.fn).join(', ')}` : '';
    out.push(
      '',
      `  # ${rule.clause} [${rule.obligation}, ${rule.severity}, ${rule.subject}, ${rule.levels.join('/')}]${how}`,
      ...wrap(`原文：${rule.text.zh}`).map((l) => `  # ${l}`),
      ...(lang === 'en' ? wrap(`Text: ${rule.text.en}`).map((l) => `  # ${l}`) : []),
      ...wrap(`${lang === 'zh' ? '问题' : 'Question'}: ${rule.attestation.question[lang]}`).map((l) => `  # ${l}`),
      ...wrap(`${lang === 'zh' ? '查看' : 'Look at'}: ${rule.attestation.evidence[lang]}`).map((l) => `  # ${l}`),
      `  ${rule.id}:`,
      `    answer:`,
      `    evidence:`,
      `    note:`,
    );
  }
  return `${out.join('\n')}\n`;
}

function wrap(s: string, width = 100): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const ch of s) {
    cur += ch;
    if ([...cur].length >= width) {
      lines.push(cur);
      cur = '';
    }
  }
  if (cur) lines.push(cur);
  return lines;
}
