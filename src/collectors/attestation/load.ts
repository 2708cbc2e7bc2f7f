/**
 * Attestation answers: an assessor's recorded answer for requirements no machine can see (or whose evidence was
 * not supplied). Two file formats, one meaning (both written by `jrt0185 attest init`):
 *
 * YAML —
 *   assessor: 王敏 (default for every answer)       date: 2026-11-20 (default)
 *   answers:
 *     secure-coding-standard:
 *       answer: 是 | 否 | 不适用   (also yes | no | n/a, y | n, n-a; empty = not answered yet → not-reviewed)
 *       evidence: "DOC-SEC-001 v3"  (required for yes)
 *       note: "…"                   (required for no and n/a)
 *       assessor / date / expires   (override the defaults; expires in the past → not-reviewed)
 *       textDigest: 1a2b3c4d5e6f    (the rule text the answer was given to; `attest init --from` compares it)
 *
 * Excel (.xlsx, `attest init --format xlsx`) — one row per requirement on the first sheet, read by its header
 * names, defaults on a second sheet; see ./xlsx.ts. Problems name the sheet, row and column.
 */
import type { AttestationRecord } from '../../model/result.js';
import type { Rule } from '../../model/rulebook.js';
import { InputError, InputErrors } from '../../errors.js';
import { readYamlSource } from '../../yaml-source.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const ANSWER_KEYS = new Set(['answer', 'evidence', 'assessor', 'date', 'expires', 'note', 'textDigest']);

/** Every spelling of an answer an assessor may write, in Chinese or English, mapped to the model's three values. */
const ANSWER_WORDS: Record<string, AttestationRecord['answer']> = {
  是: 'yes',
  yes: 'yes',
  y: 'yes',
  否: 'no',
  no: 'no',
  n: 'no',
  不适用: 'n/a',
  'n/a': 'n/a',
  'n-a': 'n/a',
  na: 'n/a',
};

/** The answer an assessor wrote, normalised; undefined when it is none of the accepted spellings. */
export function normaliseAnswer(written: string): AttestationRecord['answer'] | undefined {
  return ANSWER_WORDS[written.trim().toLowerCase()];
}

export function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** YAML 1.2 reads `yes` as a string and 2026-11-20 as a string; normalise the odd cases (Date objects, booleans). */
export function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v).trim() || undefined;
}

/**
 * An answer sheet read from any format: the same shape as the YAML file, plus a way to name where a value sits
 * (YAML: line and column; Excel: sheet, row and column).
 */
export interface AnswerSheet {
  file: string;
  root: unknown;
  problemAt(path: (string | number)[], hint: string): InputError;
  /** Where an answer is recorded, for the report's attestation table. */
  locationOf(ruleId: string): AttestationRecord['location'];
}

async function yamlSheet(file: string): Promise<AnswerSheet> {
  const src = await readYamlSource(file, 'attestation file');
  return {
    file,
    root: src.value,
    problemAt(path, hint) {
      const pos = src.position(path);
      return new InputError(file, pos.line, hint, pos.column);
    },
    locationOf(ruleId) {
      const pos = src.position(['answers', ruleId]);
      return { file, line: pos.line, column: pos.column };
    },
  };
}

/** An .xlsx workbook (by name, or by its zip signature whatever the name). */
export async function isWorkbook(file: string): Promise<boolean> {
  if (/\.xlsx$/i.test(file)) return true;
  const { open } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; anything but a regular file is left to the YAML
    // reader, which refuses it with its reason (src/input/read.ts).
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!(await handle.stat()).isFile()) return false;
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      return head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    } finally {
      await handle.close();
    }
  } catch {
    return false; // the YAML reader reports an unreadable file with its reason
  }
}

export async function readAnswerSheet(file: string): Promise<AnswerSheet> {
  if (await isWorkbook(file)) {
    const { readWorkbookSheet } = await import('./xlsx.js');
    return readWorkbookSheet(file);
  }
  return yamlSheet(file);
}

export async function loadAttestations(file: string, rules: Rule[], today: string): Promise<Map<string, AttestationRecord>> {
  return validateAnswers(await readAnswerSheet(file), rules, today);
}

export function validateAnswers(sheet: AnswerSheet, rules: Rule[], today: string): Map<string, AttestationRecord> {
  const problems: InputError[] = [];
  const at = (path: (string | number)[], hint: string) => problems.push(sheet.problemAt(path, hint));
  const root = sheet.root as Record<string, unknown> | null;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw sheet.problemAt([], 'attestation file must be a mapping with an `answers:` mapping (see `jrt0185 attest init`)');
  }
  const known = new Map(rules.map((r) => [r.id, r]));
  const defaultAssessor = text(root.assessor);
  const defaultDate = text(root.date);
  if (defaultDate && !isRealDate(defaultDate)) at(['date'], `date "${defaultDate}" is not a valid YYYY-MM-DD date`);
  for (const key of Object.keys(root)) {
    if (!['assessor', 'date', 'answers', 'profile', 'subject'].includes(key)) at([key], `unknown top-level key "${key}" (expected assessor, date, answers)`);
  }
  const answers = root.answers ?? {};
  if (typeof answers !== 'object' || Array.isArray(answers)) {
    at(['answers'], '`answers` must be a mapping of rule id → answer');
    throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  }
  const records = new Map<string, AttestationRecord>();
  for (const [ruleId, raw] of Object.entries(answers as Record<string, unknown>)) {
    const path = ['answers', ruleId];
    if (!known.has(ruleId)) {
      at(path, `unknown rule id "${ruleId}" (see \`jrt0185 rules\`)`);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      at(path, `answer for ${ruleId} must be a mapping with answer, evidence, assessor, date`);
      continue;
    }
    const a = raw as Record<string, unknown>;
    for (const key of Object.keys(a)) if (!ANSWER_KEYS.has(key)) at([...path, key], `unknown key "${key}" in the answer for ${ruleId}`);
    const written = text(a.answer);
    if (written === undefined) continue; // not answered yet
    const answer = normaliseAnswer(written);
    if (answer === undefined) {
      at([...path, 'answer'], `answer for ${ruleId} must be 是, 否 or 不适用 (yes, no or n/a) (got "${written}")`);
      continue;
    }
    const assessor = text(a.assessor) ?? defaultAssessor;
    const date = text(a.date) ?? defaultDate;
    const expires = text(a.expires);
    const evidence = text(a.evidence);
    const note = text(a.note);
    let ok = true;
    if (!assessor) (ok = false), at([...path], `answer for ${ruleId} needs an assessor (here or at the top level)`);
    if (!date) (ok = false), at([...path], `answer for ${ruleId} needs a date (here or at the top level)`);
    else if (!isRealDate(date)) (ok = false), at([...path, 'date'], `date "${date}" for ${ruleId} is not a valid YYYY-MM-DD date`);
    else if (date > today) (ok = false), at([...path, 'date'], `date ${date} for ${ruleId} is in the future`);
    if (expires !== undefined && !isRealDate(expires)) (ok = false), at([...path, 'expires'], `expires "${expires}" for ${ruleId} is not a valid YYYY-MM-DD date`);
    if (answer === 'yes' && !evidence) (ok = false), at([...path, 'evidence'], `a "yes" for ${ruleId} needs an evidence reference (document, record, screenshot)`);
    if ((answer === 'no' || answer === 'n/a') && !note) (ok = false), at([...path, 'note'], `a "${written}" for ${ruleId} needs a note saying why`);
    if (!ok) continue;
    records.set(ruleId, {
      answer,
      evidence,
      assessor: assessor!,
      date: date!,
      expires,
      note,
      expired: expires !== undefined && expires < today,
      location: sheet.locationOf(ruleId),
    });
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  return records;
}
