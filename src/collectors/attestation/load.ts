/**
 * Attestation answers: an assessor's recorded answer for requirements no machine can see (or whose evidence was
 * not supplied). File format (written by `jrt0185 attest init`):
 *
 *   assessor: 王敏 (default for every answer)       date: 2026-11-20 (default)
 *   answers:
 *     secure-coding-standard:
 *       answer: yes | no | n/a     (empty = not answered yet → not-reviewed)
 *       evidence: "DOC-SEC-001 v3"  (required for yes)
 *       note: "…"                   (required for no and n/a)
 *       assessor / date / expires   (override the defaults; expires in the past → not-reviewed)
 */
import type { AttestationRecord } from '../../model/result.js';
import type { Rule } from '../../model/rulebook.js';
import { InputError, InputErrors } from '../../errors.js';
import { readYamlSource } from '../../yaml-source.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ANSWER_KEYS = new Set(['answer', 'evidence', 'assessor', 'date', 'expires', 'note']);

function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** YAML 1.2 reads `yes` as a string and 2026-11-20 as a string; normalise the odd cases (Date objects, booleans). */
function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v).trim() || undefined;
}

export async function loadAttestations(file: string, rules: Rule[], today: string): Promise<Map<string, AttestationRecord>> {
  const src = await readYamlSource(file, 'attestation file');
  const problems: InputError[] = [];
  const at = (path: (string | number)[], hint: string) => {
    const pos = src.position(path);
    problems.push(new InputError(file, pos.line, hint, pos.column));
  };
  const root = src.value as Record<string, unknown> | null;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new InputError(file, 1, 'attestation file must be a mapping with an `answers:` mapping (see `jrt0185 attest init`)');
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
    const answer = text(a.answer)?.toLowerCase();
    if (answer === undefined) continue; // not answered yet
    if (answer !== 'yes' && answer !== 'no' && answer !== 'n/a') {
      at([...path, 'answer'], `answer for ${ruleId} must be yes, no or n/a (got "${answer}")`);
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
    if (answer === 'yes' && !evidence) (ok = false), at([...path], `a "yes" for ${ruleId} needs an evidence reference (document, record, screenshot)`);
    if ((answer === 'no' || answer === 'n/a') && !note) (ok = false), at([...path], `a "${answer}" for ${ruleId} needs a note saying why`);
    if (!ok) continue;
    const pos = src.position(path);
    records.set(ruleId, {
      answer,
      evidence,
      assessor: assessor!,
      date: date!,
      expires,
      note,
      expired: expires !== undefined && expires < today,
      location: { file, line: pos.line, column: pos.column },
    });
  }
  if (problems.length > 0) throw problems.length === 1 ? problems[0]! : new InputErrors(problems);
  return records;
}
