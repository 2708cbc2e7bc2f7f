/**
 * The answer sheet as Excel working papers (`attest init --format xlsx`, `assess --attest answers.xlsx`): assessors
 * in Chinese banks work in Excel, not YAML. One row per requirement — clause, the standard's text, the question,
 * what to look at — and answer / evidence / note columns with data validation; a second sheet holds the default
 * assessor and date. Read back by header names (Chinese or English, so a reordered or translated sheet still
 * reads), with every problem naming the sheet, row and column. A workbook is a zip: its directory is checked
 * before it is opened, so a decompression bomb is refused, not inflated.
 */
import { readInputFile } from '../../input/read.js';
import type ExcelJS from 'exceljs';
import type { Rule } from '../../model/rulebook.js';
import type { Profile } from '../../engine/select.js';
import { InputError } from '../../errors.js';
import type { AnswerSheet } from './load.js';
import { answerWord, reviewNote, ruleFacts, sheetEntries, type Lang, type Previous } from './template.js';

const MAX_WORKBOOK_BYTES = 16 * 1024 * 1024;
/** Total inflated size and ratio a workbook may reach (a 5 000-row sheet is a few MB). */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
const MAX_RATIO = 200;
const MAX_ROWS = 20_000;

type ColumnKey =
  | 'ruleId'
  | 'clause'
  | 'facts'
  | 'text'
  | 'question'
  | 'lookAt'
  | 'answer'
  | 'evidence'
  | 'note'
  | 'assessor'
  | 'date'
  | 'expires'
  | 'review'
  | 'textDigest';

const COLUMNS: { key: ColumnKey; zh: string; en: string; width: number }[] = [
  { key: 'ruleId', zh: '规则编号', en: 'Rule id', width: 30 },
  { key: 'clause', zh: '条款', en: 'Clause', width: 8 },
  { key: 'facts', zh: '要求强度、严重程度、适用方、级别', en: 'Obligation, severity, party, levels', width: 22 },
  { key: 'text', zh: '标准原文', en: 'Text of the standard', width: 50 },
  { key: 'question', zh: '问题', en: 'Question', width: 50 },
  { key: 'lookAt', zh: '查看内容', en: 'What to look at', width: 40 },
  { key: 'answer', zh: '答复', en: 'Answer', width: 10 },
  { key: 'evidence', zh: '证据', en: 'Evidence', width: 36 },
  { key: 'note', zh: '备注', en: 'Note', width: 36 },
  { key: 'assessor', zh: '评估人', en: 'Assessor', width: 14 },
  { key: 'date', zh: '日期', en: 'Date', width: 12 },
  { key: 'expires', zh: '有效期至', en: 'Expires', width: 12 },
  { key: 'review', zh: '复核提示', en: 'Review', width: 30 },
  { key: 'textDigest', zh: '原文摘要', en: 'Text digest', width: 14 },
];
const HEADER_KEYS = new Map<string, ColumnKey>(COLUMNS.flatMap((c) => [[c.zh, c.key] as const, [c.en.toLowerCase(), c.key] as const]));
const SHEET_NAMES = { zh: { answers: '答复', defaults: '默认值' }, en: { answers: 'Answers', defaults: 'Defaults' } } as const;
const DEFAULT_LABELS = { assessor: ['评估人', 'Assessor'], date: ['日期', 'Date'] } as const;

async function excel(): Promise<typeof ExcelJS> {
  const mod = (await import('exceljs')) as unknown as { default?: typeof ExcelJS } & typeof ExcelJS;
  return mod.default ?? mod;
}

/** Writes the answer sheet as a workbook (bytes of an .xlsx file). */
export async function attestationWorkbook(rules: Rule[], profile: Profile, lang: Lang, previous?: Previous): Promise<Uint8Array> {
  const { Workbook } = await excel();
  const { entries } = sheetEntries(rules, profile, previous);
  const wb = new Workbook();
  wb.creator = 'jrt0185';
  // A fixed date: the same rulebook and profile give the same workbook.
  wb.created = wb.modified = new Date(Date.UTC(2020, 1, 13));
  const names = SHEET_NAMES[lang];
  const sheet = wb.addWorksheet(names.answers, { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c[lang], key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  const answers = lang === 'zh' ? ['是', '否', '不适用'] : ['yes', 'no', 'n/a'];
  for (const entry of entries) {
    const { rule } = entry;
    const old = entry.previous;
    const row = sheet.addRow({
      ruleId: rule.id,
      clause: rule.clause,
      facts: ruleFacts(rule, lang),
      text: lang === 'zh' ? rule.text.zh : `${rule.text.zh}\n${rule.text.en}`,
      question: rule.attestation.question[lang],
      lookAt: rule.attestation.evidence[lang],
      answer: answerWord(old?.answer, lang) ?? null,
      evidence: old?.evidence ?? null,
      note: old?.note ?? null,
      assessor: old?.assessor ?? null,
      date: old?.date ?? null,
      expires: old?.expires ?? null,
      review: reviewNote(entry.review, lang) ?? null,
      textDigest: entry.digest,
    });
    row.alignment = { vertical: 'top', wrapText: true };
    const cell = (key: ColumnKey) => row.getCell(COLUMNS.findIndex((c) => c.key === key) + 1);
    cell('answer').dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${answers.join(',')}"`],
      showErrorMessage: true,
      errorTitle: lang === 'zh' ? '答复无效' : 'Invalid answer',
      error: lang === 'zh' ? '请选择“是”“否”或“不适用”，未答复请留空。' : 'Choose yes, no or n/a; leave it empty when not answered.',
      showInputMessage: true,
      prompt: lang === 'zh' ? '是 | 否 | 不适用；留空表示未答复' : 'yes | no | n/a; empty = not answered',
    };
    for (const key of ['evidence', 'note'] as const) {
      cell(key).dataValidation = {
        type: 'textLength',
        operator: 'lessThanOrEqual',
        formulae: [2000],
        allowBlank: true,
        showErrorMessage: true,
        error: lang === 'zh' ? '不超过 2000 个字符。' : 'At most 2000 characters.',
        showInputMessage: true,
        prompt:
          key === 'evidence'
            ? lang === 'zh'
              ? '答“是”时必填：文档、记录或截图的编号或名称'
              : 'Required for yes: a document, record or screenshot reference'
            : lang === 'zh'
              ? '答“否”或“不适用”时必填：说明原因'
              : 'Required for no and n/a: why',
      };
    }
    for (const key of ['date', 'expires'] as const) {
      cell(key).numFmt = '@'; // text: a typed 2026-11-20 stays 2026-11-20, not a serial number
      cell(key).dataValidation = {
        type: 'textLength',
        operator: 'equal',
        formulae: [10],
        allowBlank: true,
        showErrorMessage: true,
        error: lang === 'zh' ? '日期格式为 YYYY-MM-DD。' : 'Dates are YYYY-MM-DD.',
        showInputMessage: true,
        prompt: 'YYYY-MM-DD',
      };
    }
    if (entry.review === 'changed' || entry.review === 'unknown') cell('review').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  const defaults = wb.addWorksheet(names.defaults);
  defaults.columns = [{ width: 12 }, { width: 30 }, { width: 60 }];
  defaults.addRow([DEFAULT_LABELS.assessor[lang === 'zh' ? 0 : 1], previous?.assessor ?? null, lang === 'zh' ? '评估人姓名：未逐行填写评估人的答复采用此值' : 'Assessor for every row that does not name one']);
  defaults.addRow([DEFAULT_LABELS.date[lang === 'zh' ? 0 : 1], previous?.date ?? null, lang === 'zh' ? '日期（YYYY-MM-DD）：未逐行填写日期的答复采用此值' : 'Date (YYYY-MM-DD) for every row that does not give one']);
  defaults.getCell('B2').numFmt = '@';
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * Refuses a zip whose directory declares more than the caps inflate to, before any inflation: the End Of Central
 * Directory record gives the directory, whose entries give each member's sizes.
 */
export function checkZipBounds(bytes: Buffer, file: string): void {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > bytes.length) throw new InputError(file, undefined, 'not an Excel workbook (.xlsx): no zip directory found');
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  let inflated = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw new InputError(file, undefined, 'not an Excel workbook (.xlsx): damaged zip directory');
    const compressed = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    inflated += size;
    if (size > MAX_INFLATED_BYTES || inflated > MAX_INFLATED_BYTES || (size > 1024 * 1024 && size / Math.max(compressed, 1) > MAX_RATIO)) {
      throw new InputError(file, undefined, 'workbook inflates to more than the 256 MB (or 200:1) limit; refusing to open it');
    }
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
}

/** A cell's value as the text an assessor sees: rich text joined, a formula's result, a date as YYYY-MM-DD. */
function cellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim() || undefined;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim() || undefined;
    if ('error' in value) return String(value.error);
    return undefined;
  }
  return String(value).trim() || undefined;
}

/**
 * A date cell: Excel keeps a typed date as a serial day number (1900 date system, day 0 = 1899-12-30) whatever the
 * cell's format says, so a number in a date column is read back as the date it shows.
 */
function dateText(value: ExcelJS.CellValue): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 2_958_466) {
    return new Date(Date.UTC(1899, 11, 30) + value * 86_400_000).toISOString().slice(0, 10);
  }
  return cellText(value);
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Reads a workbook written by `attest init --format xlsx` (and filled in by an assessor) as an answer sheet. */
export async function readWorkbookSheet(file: string): Promise<AnswerSheet> {
  // Only a regular file, the cap on bytes actually read (src/input/read.ts).
  const bytes = await readInputFile(file, { maxBytes: MAX_WORKBOOK_BYTES, what: 'attestation workbook' });
  checkZipBounds(bytes, file);
  const { Workbook } = await excel();
  const wb = new Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new InputError(file, undefined, `not a readable Excel workbook (.xlsx): ${(e as Error).message.split('\n')[0]}`);
  }
  const sheet = wb.worksheets.find((s) => s.name === SHEET_NAMES.zh.answers || s.name === SHEET_NAMES.en.answers) ?? wb.worksheets[0];
  if (!sheet) throw new InputError(file, undefined, 'workbook has no sheet');
  const where = (row: number | undefined, column: number | undefined, sheetName = sheet.name) => {
    const parts = [`sheet "${sheetName}"`];
    if (row !== undefined) parts.push(`row ${row}`);
    if (column !== undefined) parts.push(`column ${columnLetter(column)} (${headerText.get(column) ?? ''})`);
    return parts.join(', ');
  };
  const headerText = new Map<number, string>();
  const columnOf = new Map<ColumnKey, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const name = cellText(cell.value);
    if (!name) return;
    headerText.set(col, name);
    const key = HEADER_KEYS.get(name) ?? HEADER_KEYS.get(name.toLowerCase());
    if (key && !columnOf.has(key)) columnOf.set(key, col);
  });
  for (const needed of ['ruleId', 'answer'] as const) {
    if (!columnOf.has(needed)) {
      const c = COLUMNS.find((x) => x.key === needed)!;
      throw new InputError(file, undefined, `${where(1, undefined)}: no "${c.zh}" (${c.en}) column in the header row (see \`jrt0185 attest init --format xlsx\`)`);
    }
  }
  if (sheet.rowCount > MAX_ROWS) throw new InputError(file, undefined, `${where(undefined, undefined)}: more than ${MAX_ROWS} rows; refusing to read it`);

  const answers: Record<string, Record<string, string>> = {};
  const rowOf = new Map<string, number>();
  const problems: string[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const ruleId = cellText(row.getCell(columnOf.get('ruleId')!).value);
    if (!ruleId) continue;
    if (rowOf.has(ruleId)) {
      problems.push(`${where(r, columnOf.get('ruleId'))}: rule ${ruleId} appears twice (first on row ${rowOf.get(ruleId)})`);
      continue;
    }
    rowOf.set(ruleId, r);
    const entry: Record<string, string> = {};
    for (const key of ['answer', 'evidence', 'note', 'assessor', 'date', 'expires', 'textDigest'] as const) {
      const col = columnOf.get(key);
      const read = key === 'date' || key === 'expires' ? dateText : cellText;
      const value = col === undefined ? undefined : read(row.getCell(col).value);
      if (value !== undefined) entry[key] = value;
    }
    answers[ruleId] = entry;
  }
  if (problems.length > 0) throw new InputError(file, undefined, problems.join('; '));

  const root: Record<string, unknown> = { answers };
  const defaults = wb.worksheets.find((s) => s.name === SHEET_NAMES.zh.defaults || s.name === SHEET_NAMES.en.defaults);
  const defaultRow = new Map<string, number>();
  if (defaults) {
    for (let r = 1; r <= Math.min(defaults.rowCount, 20); r++) {
      const name = cellText(defaults.getRow(r).getCell(1).value);
      for (const key of ['assessor', 'date'] as const) {
        if (name && (DEFAULT_LABELS[key] as readonly string[]).includes(name)) {
          const value = (key === 'date' ? dateText : cellText)(defaults.getRow(r).getCell(2).value);
          if (value !== undefined) root[key] = value;
          defaultRow.set(key, r);
        }
      }
    }
  }
  return {
    file,
    root,
    problemAt(path, hint) {
      if (path[0] === 'answers' && typeof path[1] === 'string') {
        const key = path[2] === undefined ? undefined : (path[2] as ColumnKey);
        const col = key ? columnOf.get(key) : undefined;
        return new InputError(file, undefined, `${where(rowOf.get(path[1]), col)}: ${hint}`);
      }
      if ((path[0] === 'assessor' || path[0] === 'date') && defaults) {
        return new InputError(file, undefined, `sheet "${defaults.name}", row ${defaultRow.get(path[0]) ?? 1}, column B: ${hint}`);
      }
      return new InputError(file, undefined, `${where(undefined, undefined)}: ${hint}`);
    },
    locationOf(ruleId) {
      return { file, line: rowOf.get(ruleId) ?? 1, column: columnOf.get('answer') };
    },
  };
}
