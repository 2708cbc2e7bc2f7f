/**
 * `jrt0185 attest init`: the answer sheet for one profile — every applicable rule an assessor may have to answer,
 * grouped by clause, with the question, what to look at and the standard's own text. The zh sheet is Chinese
 * throughout (comments, placeholders); only the YAML keys the loader reads stay as they are. With `--from`, the
 * answers of an earlier sheet are carried forward, and those given to a rule whose text has changed since are
 * marked for review. The same entries feed the Excel workbook (./xlsx.ts).
 */
import { createHash } from 'node:crypto';
import type { Rule } from '../../model/rulebook.js';
import { appliesTo, type Profile } from '../../engine/select.js';
import { chapterOf, CLAUSE_TITLES } from '../../model/clauses.js';
import { normaliseAnswer, text, type AnswerSheet } from './load.js';

export type Lang = 'zh' | 'en';

/** The rule text an answer was given to, as a short digest: `--from` compares it to spot changed requirements. */
export function textDigest(rule: Pick<Rule, 'text'>): string {
  return createHash('sha256').update(rule.text.zh).digest('hex').slice(0, 12);
}

/** An answer carried over from an earlier sheet. */
export interface PreviousAnswer {
  answer?: string;
  evidence?: string;
  note?: string;
  assessor?: string;
  date?: string;
  expires?: string;
  textDigest?: string;
}

export interface Previous {
  assessor?: string;
  date?: string;
  answers: Map<string, PreviousAnswer>;
}

/** Whether the rule's text is the one the earlier answer was given to. */
export type Review = 'same' | 'changed' | 'unknown';

export interface SheetEntry {
  rule: Rule;
  chapter: string;
  digest: string;
  previous?: PreviousAnswer;
  /** Only with a previous answer: 'changed' when its digest differs, 'unknown' when the old sheet had none. */
  review?: Review;
}

export interface CarryForward {
  /** Answers of the old sheet for rules that are no longer in this sheet (removed, renamed, other profile). */
  dropped: string[];
}

const WORDS = {
  zh: {
    shall: '应',
    should: '宜',
    'shall-not': '不应',
    critical: '严重',
    high: '高',
    medium: '中',
    low: '低',
    bank: '商业银行',
    app: '应用方',
    both: '商业银行与应用方',
    all: '全部',
  },
  en: { shall: 'shall', should: 'should', 'shall-not': 'shall not', critical: 'critical', high: 'high', medium: 'medium', low: 'low', bank: 'bank', app: 'application party', both: 'bank and application party', all: 'both' },
} as const;

export function word(key: keyof (typeof WORDS)['zh'], lang: Lang): string {
  return WORDS[lang][key];
}

/** "应, 严重, 商业银行, A1/A2" — the rule's obligation, severity, party and levels in the sheet's language. */
export function ruleFacts(rule: Rule, lang: Lang): string {
  return [word(rule.obligation, lang), word(rule.severity, lang), word(rule.subject, lang), rule.levels.join('/')].join(lang === 'zh' ? '，' : ', ');
}

/** The answer written in the sheet's language (是/否/不适用 or yes/no/n/a); unknown spellings are kept as written. */
export function answerWord(written: string | undefined, lang: Lang): string | undefined {
  if (written === undefined) return undefined;
  const answer = normaliseAnswer(written);
  if (!answer) return written;
  return lang === 'zh' ? { yes: '是', no: '否', 'n/a': '不适用' }[answer] : answer;
}

export function reviewNote(review: Review | undefined, lang: Lang): string | undefined {
  if (review === 'changed') return lang === 'zh' ? '注意：自上次答复以来，本条规则的原文已变更，请复核后保留或修改答复' : 'Note: the text of this rule changed since the earlier answer; review the answer before keeping it';
  if (review === 'unknown') return lang === 'zh' ? '注意：旧答复表未记录原文摘要，无法核对原文是否变更，请复核答复' : 'Note: the earlier sheet recorded no text digest, so a change of the rule text cannot be ruled out; review the answer';
  return undefined;
}

/** The earlier sheet's answers, as written (not validated: a half-filled old sheet still carries what it has). */
export function previousAnswers(sheet: AnswerSheet): Previous {
  const root = (sheet.root && typeof sheet.root === 'object' && !Array.isArray(sheet.root) ? sheet.root : {}) as Record<string, unknown>;
  const answers = new Map<string, PreviousAnswer>();
  const raw = root.answers && typeof root.answers === 'object' && !Array.isArray(root.answers) ? (root.answers as Record<string, unknown>) : {};
  for (const [ruleId, value] of Object.entries(raw)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const a = value as Record<string, unknown>;
    const entry: PreviousAnswer = {};
    for (const key of ['answer', 'evidence', 'note', 'assessor', 'date', 'expires', 'textDigest'] as const) {
      const v = text(a[key]);
      if (v !== undefined) entry[key] = v;
    }
    if (Object.keys(entry).some((k) => k !== 'textDigest')) answers.set(ruleId, entry);
  }
  return { assessor: text(root.assessor), date: text(root.date), answers };
}

/** The rules of the sheet, in rulebook (sentence) order, each with its earlier answer when there is one. */
export function sheetEntries(rules: Rule[], profile: Profile, previous?: Previous): { entries: SheetEntry[]; carry: CarryForward } {
  const applicable = rules.filter((r) => appliesTo(r, profile) && r.assessment.includes('attestation'));
  const entries = applicable.map((rule): SheetEntry => {
    const digest = textDigest(rule);
    const old = previous?.answers.get(rule.id);
    if (!old) return { rule, chapter: chapterOf(rule.clause), digest };
    const review: Review = old.textDigest === undefined ? 'unknown' : old.textDigest === digest ? 'same' : 'changed';
    return { rule, chapter: chapterOf(rule.clause), digest, previous: old, review };
  });
  const present = new Set(applicable.map((r) => r.id));
  const dropped = [...(previous?.answers.keys() ?? [])].filter((id) => !present.has(id));
  return { entries, carry: { dropped } };
}

/** A YAML scalar: plain when it cannot be misread, else double-quoted (JSON strings are valid YAML). */
function scalar(value: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} _./()（）、，：-]*$/u.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/:\s|\s#/.test(value) ? value : JSON.stringify(value);
}

export function attestationTemplate(rules: Rule[], profile: Profile, lang: Lang, previous?: Previous): string {
  const { entries } = sheetEntries(rules, profile, previous);
  const zh = lang === 'zh';
  const role = profile.role ?? 'both';
  const out: string[] = zh
    ? [
        `# jrt0185 人工确认答复表 — JR/T 0185-2020 商业银行应用程序接口安全管理规范`,
        `# 评估配置：安全级别 ${profile.level}，评估角色 ${word(role === 'both' ? 'both' : role, 'zh')}；共 ${entries.length} 项要求`,
        ...wrap('答复（answer）填写“是”“否”或“不适用”。答“是”须填写证据（evidence：文档、记录或截图的编号或名称）；答“否”或“不适用”须填写备注（note）说明原因。').map((l) => `# ${l}`),
        `# 已由自动检查或在线探测判定的要求，仅在未提供其所需证据时采用本答复。`,
        `# 超过有效期（expires）的答复按未评审处理。textDigest 为原文摘要，供下次 attest init --from 核对原文是否变更，请勿修改。`,
        `assessor: ${previous?.assessor ? scalar(previous.assessor) : ''}   # 评估人姓名（所有答复的默认值）`,
        `date: ${previous?.date ? scalar(previous.date) : ''}   # 日期，格式 YYYY-MM-DD（所有答复的默认值）`,
        `answers:`,
      ]
    : [
        `# jrt0185 attestation — JR/T 0185-2020 Commercial Bank API Security Management Specification`,
        `# profile: level ${profile.level}, role ${role}; ${entries.length} requirements`,
        `# answer: yes | no | n/a (是 | 否 | 不适用 too). "yes" needs evidence (a reference); "no" and "n/a" need a note.`,
        `# Requirements that automatic checks or probes decide use an answer only when their evidence was not supplied.`,
        `# An answer past its "expires" date counts as not reviewed. textDigest records the rule text answered; keep it.`,
        `assessor: ${previous?.assessor ? scalar(previous.assessor) : ''}   # name of the assessor (default for every answer)`,
        `date: ${previous?.date ? scalar(previous.date) : ''}   # YYYY-MM-DD (default for every answer)`,
        `answers:`,
      ];
  let chapter = '';
  for (const entry of entries) {
    const { rule } = entry;
    if (entry.chapter !== chapter) {
      chapter = entry.chapter;
      const title = CLAUSE_TITLES[chapter];
      const heading = chapter === 'B' ? (zh ? '附录 B ' : 'Annex B ') : `${chapter} `;
      out.push('', `  # ── ${heading}${title ? title[lang] : ''} ${'─'.repeat(40)}`);
    }
    const checks = rule.checks.map((k) => k.fn).join(', ');
    const how = checks ? (zh ? ` · 自动检查：${checks}` : ` · also checked by: ${checks}`) : '';
    const comment = (s: string) => wrap(s).map((l) => `  # ${l}`);
    const old = entry.previous;
    const note = reviewNote(entry.review, lang);
    out.push(
      '',
      ...comment(zh ? `${rule.clause}［${ruleFacts(rule, 'zh')}］${how}` : `${rule.clause} [${ruleFacts(rule, 'en')}]${how}`),
      ...comment(`原文：${rule.text.zh}`),
      ...(zh ? [] : comment(`Text: ${rule.text.en}`)),
      ...comment(`${zh ? '问题：' : 'Question: '}${rule.attestation.question[lang]}`),
      ...comment(`${zh ? '查看：' : 'Look at: '}${rule.attestation.evidence[lang]}`),
      ...(note ? comment(`⚠ ${note}`) : []),
      `  ${rule.id}:`,
      `    answer: ${old?.answer ? scalar(answerWord(old.answer, lang)!) : `  # ${zh ? '是 | 否 | 不适用' : 'yes | no | n/a'}`}`,
      `    evidence: ${old?.evidence ? scalar(old.evidence) : `  # ${zh ? '证据编号或名称（答“是”时必填）' : 'reference to a document, record or screenshot (required for yes)'}`}`,
      `    note: ${old?.note ? scalar(old.note) : `  # ${zh ? '说明（答“否”或“不适用”时必填）' : 'why (required for no and n/a)'}`}`,
      ...(old?.assessor ? [`    assessor: ${scalar(old.assessor)}`] : []),
      ...(old?.date ? [`    date: ${scalar(old.date)}`] : []),
      ...(old?.expires ? [`    expires: ${scalar(old.expires)}`] : []),
      `    textDigest: ${entry.digest}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** Display width: CJK and full-width characters take two columns in a terminal or editor. */
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1;
  return n;
}

/** Punctuation that must not start a line (it closes or ends what came before). */
const CLOSING = /^[，。、；：！？）》」』】〕”’,.;:!?)\]}%]+/u;

/**
 * Line breaking for comments: a Chinese character may end a line anywhere (character boundary), a run of Latin
 * letters, digits or symbols (a word, an identifier, a URL) is never split, and closing punctuation stays with what
 * it closes. A single word wider than the line gets a line of its own, whole.
 */
export function wrap(s: string, max = 96): string[] {
  const tokens: string[] = [];
  for (const m of s.matchAll(/\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]+/gu)) {
    let token = m[0];
    const closing = CLOSING.exec(token)?.[0];
    const prev = tokens[tokens.length - 1];
    if (closing && prev !== undefined && !/^\s+$/.test(prev)) {
      tokens[tokens.length - 1] = prev + closing;
      token = token.slice(closing.length);
      if (!token) continue;
    }
    tokens.push(token);
  }
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' ';
      continue;
    }
    if (line && width(line) + width(token) > max) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}
