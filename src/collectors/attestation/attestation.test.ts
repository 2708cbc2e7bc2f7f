/**
 * The attestation workflow: answers in Chinese or English, a wholly Chinese zh sheet with comments wrapped at word
 * and character boundaries, `attest init --from` carrying answers forward, and the Excel working papers
 * round-tripping to the same outcomes as the YAML answers. Sample answers: fixtures/partner-app/attest.yaml.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import jsyaml from 'js-yaml';
import { loadRulebook } from '../../rulebook/load.js';
import type { Rule } from '../../model/rulebook.js';
import { loadAttestations, normaliseAnswer } from './load.js';
import { attestationTemplate, previousAnswers, textDigest, wrap } from './template.js';
import { attestationWorkbook, checkZipBounds } from './xlsx.js';
import { readAnswerSheet } from './load.js';
import { assess } from '../../assess.js';
import { inputProblems } from '../../testing.js';

const dir = mkdtempSync(join(tmpdir(), 'jrt-attest-'));
const TODAY = '2026-12-01';
let rules: Rule[];
beforeAll(async () => {
  rules = (await loadRulebook({})).rules;
});

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}


describe('answers', () => {
  it('accept 是 / 否 / 不适用 and yes / no / n/a, n-a, y / n in any case', () => {
    expect(['是', 'yes', 'Y', 'y', 'YES'].map(normaliseAnswer)).toEqual(['yes', 'yes', 'yes', 'yes', 'yes']);
    expect(['否', 'no', 'N', 'n'].map(normaliseAnswer)).toEqual(['no', 'no', 'no', 'no']);
    expect(['不适用', 'n/a', 'N/A', 'n-a', 'na'].map(normaliseAnswer)).toEqual(['n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
    expect(['也许', 'maybe', 'ok', ''].map(normaliseAnswer)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('load from a sheet written in Chinese, and a wrong answer names the accepted spellings at its line', async () => {
    const [a, b, c] = rules.filter((r) => r.assessment.includes('attestation'));
    const sheet = file(
      'zh.yaml',
      [
        'assessor: 王敏',
        'date: 2026-11-20',
        'answers:',
        `  ${a!.id}:`,
        '    answer: 是',
        '    evidence: 制度文件 DOC-1',
        `  ${b!.id}:`,
        '    answer: 不适用',
        '    note: 本行未开放该类接口',
        `  ${c!.id}:`,
        '    answer: n',
        '    note: 未见记录',
      ].join('\n'),
    );
    const records = await loadAttestations(sheet, rules, TODAY);
    expect([...records.values()].map((r) => r.answer)).toEqual(['yes', 'n/a', 'no']);
    const bad = file('bad.yaml', ['assessor: 王敏', 'date: 2026-11-20', 'answers:', `  ${a!.id}:`, '    answer: 也许'].join('\n'));
    expect(await inputProblems(() => loadAttestations(bad, rules, TODAY))).toEqual([
      `${bad}:5:13: answer for ${a!.id} must be 是, 否 or 不适用 (yes, no or n/a) (got "也许")`,
    ]);
  });
});

describe('the answer sheet (attest init)', () => {
  it('is wholly Chinese in zh: headers, comments and placeholders', () => {
    const text = attestationTemplate(rules, { level: 'A2', role: 'bank' }, 'zh');
    expect(text.split('\n')[0]).toBe('# jrt0185 人工确认答复表 — JR/T 0185-2020 商业银行应用程序接口安全管理规范');
    for (const english of ['profile:', 'answer: yes | no', 'needs evidence', 'also checked by', 'Question', 'Look at', 'name of the assessor', 'default for every answer', 'requirements']) {
      expect(text).not.toContain(english);
    }
    expect(text).toContain('    answer:   # 是 | 否 | 不适用');
    expect(text).toContain('    evidence:   # 证据编号或名称（答“是”时必填）');
    expect(text).toContain('    note:   # 说明（答“否”或“不适用”时必填）');
    expect(text).toMatch(/^ {2}# 7\.1［应，高，商业银行，A1\/A2］ · 自动检查：/m);
    // Comments are Chinese apart from identifiers: rule check names, the standard's own Latin terms, YAML keys.
    const comments = text.split('\n').filter((l) => l.trimStart().startsWith('#'));
    for (const line of comments) {
      const words = line.match(/\b[A-Za-z]{4,}\b/g) ?? [];
      const allowed = /^(jrt0185|answer|evidence|note|expires|textDigest|attest|init|from|HTTPS?|Token|Cookie|Session|OAuth|OpenAPI|[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[a-z]+[A-Z][A-Za-z]*)$/;
      const fromRules = new Set(rules.flatMap((r) => `${r.text.zh} ${r.attestation.question.zh} ${r.attestation.evidence.zh} ${r.checks.map((k) => k.fn).join(' ')}`.match(/[A-Za-z]{4,}/g) ?? []));
      for (const w of words) expect(allowed.test(w) || fromRules.has(w), `${w} in: ${line}`).toBe(true);
    }
  });

  it('wraps comments at word and character boundaries, never inside a word, never starting a line with closing punctuation', () => {
    const text = 'API接口应使用TLS 1.2及以上版本，并校验证书 https://example.com/a/very/long/path/that/must/not/break 的有效性。';
    const lines = wrap(text, 20);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    for (const w of ['TLS', '1.2', 'https://example.com/a/very/long/path/that/must/not/break', 'API']) expect(lines.some((l) => l.includes(w))).toBe(true);
    for (const l of lines) expect(l).not.toMatch(/^[，。、；：）]/);
    // Every Latin word of every rule survives whole in the sheet's comments.
    const sheet = attestationTemplate(rules, { level: 'A2' }, 'zh');
    for (const rule of rules.filter((r) => r.assessment.includes('attestation'))) {
      const wrapped = wrap(`原文：${rule.text.zh}`);
      for (const w of rule.text.zh.match(/[A-Za-z0-9][A-Za-z0-9_./:-]*/g) ?? []) expect(wrapped.some((l) => l.includes(w)), `${w} of ${rule.id}`).toBe(true);
      expect(sheet).toContain(`    textDigest: ${textDigest(rule)}`);
    }
    expect(wrap('甲'.repeat(120)).map((l) => l.length)).toEqual([48, 48, 24]);
  });

  it('--from carries earlier answers forward and marks those whose rule text changed', async () => {
    const attested = rules.filter((r) => r.assessment.includes('attestation') && r.subject !== 'app');
    const [same, changed, noDigest] = attested;
    const old = file(
      'old.yaml',
      [
        'assessor: 李静',
        'date: 2026-05-20',
        'answers:',
        `  ${same!.id}:`,
        '    answer: yes',
        '    evidence: "DOC-7: 制度"',
        `    textDigest: ${textDigest(same!)}`,
        `  ${changed!.id}:`,
        '    answer: 否',
        '    note: 未建立',
        '    textDigest: 000000000000',
        `  ${noDigest!.id}:`,
        '    answer: n/a',
        '    note: 不涉及',
        '  retired-rule-id:',
        '    answer: yes',
        '    evidence: x',
      ].join('\n'),
    );
    const previous = previousAnswers(await readAnswerSheet(old));
    const next = attestationTemplate(rules, { level: 'A2', role: 'bank' }, 'zh', previous);
    expect(next).toContain('assessor: 李静');
    expect(next).toContain(`  ${same!.id}:\n    answer: 是\n    evidence: "DOC-7: 制度"\n    note:`);
    const before = (id: string) => next.slice(0, next.indexOf(`  ${id}:\n`)).split('\n').slice(-2)[0];
    expect(before(changed!.id)).toBe('  # ⚠ 注意：自上次答复以来，本条规则的原文已变更，请复核后保留或修改答复');
    expect(before(noDigest!.id)).toContain('旧答复表未记录原文摘要');
    expect(before(same!.id)).not.toContain('⚠');
    expect(next).not.toContain('retired-rule-id');
    // The carried sheet loads to the same answers.
    const carried = await loadAttestations(file('carried.yaml', next), rules, TODAY);
    expect([...carried].map(([id, r]) => [id, r.answer, r.evidence ?? r.note])).toEqual([
      [same!.id, 'yes', 'DOC-7: 制度'],
      [changed!.id, 'no', '未建立'],
      [noDigest!.id, 'n/a', '不涉及'],
    ]);
    expect((jsyaml.load(next) as { answers: Record<string, unknown> }).answers[changed!.id]).toMatchObject({ textDigest: textDigest(changed!) });
  });
});

describe('Excel working papers', () => {
  /** Fills a workbook written by `attest init --format xlsx` from a YAML answer sheet, as an assessor would. */
  async function fillFromYaml(workbook: Uint8Array, yamlFile: string): Promise<Uint8Array> {
    const answers = jsyaml.load(readFileSync(yamlFile, 'utf8')) as { assessor: string; date: string; answers: Record<string, Record<string, string> | null> };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(workbook as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('答复')!;
    const header = (sheet.getRow(1).values as string[]).map(String);
    const col = (name: string) => header.indexOf(name);
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const a = answers.answers[String(row.getCell(col('规则编号')).value)];
      if (!a?.answer) return;
      row.getCell(col('答复')).value = { yes: '是', no: '否', 'n/a': '不适用' }[a.answer] ?? a.answer;
      if (a.evidence) row.getCell(col('证据')).value = a.evidence;
      if (a.note) row.getCell(col('备注')).value = a.note;
      if (a.expires) row.getCell(col('有效期至')).value = String(a.expires);
    });
    const defaults = wb.getWorksheet('默认值')!;
    defaults.getCell('B1').value = answers.assessor;
    defaults.getCell('B2').value = answers.date;
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it('init → filled in by a script → assess gives the same outcomes as the YAML answers', async () => {
    const profile = { level: 'A2', role: 'app' } as const;
    const blank = await attestationWorkbook(rules, profile, 'zh');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(blank as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('答复')!;
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(['规则编号', '条款', '要求强度、严重程度、适用方、级别', '标准原文', '问题', '查看内容', '答复', '证据', '备注', '评估人', '日期', '有效期至', '复核提示', '原文摘要']);
    expect(sheet.getRow(2).getCell(7).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否,不适用"'] });
    expect(sheet.getRow(2).getCell(8).dataValidation).toMatchObject({ type: 'textLength' });
    const yaml = 'fixtures/partner-app/attest.yaml';
    const xlsx = file('partner-app.xlsx', await fillFromYaml(blank, yaml));
    const now = new Date('2026-12-01T00:00:00Z');
    const fromYaml = await assess({ attest: yaml, level: 'A2', role: 'app', now });
    const fromXlsx = await assess({ attest: xlsx, level: 'A2', role: 'app', now });
    const outcomes = (r: typeof fromYaml) => r.requirements.map((q) => [q.ruleId, q.status, q.attestation?.answer, q.attestation?.evidence ?? q.attestation?.note]);
    expect(outcomes(fromXlsx)).toEqual(outcomes(fromYaml));
    expect(fromXlsx.requirements.filter((r) => r.status === 'manual-pass' || r.status === 'manual-fail').length).toBeGreaterThan(5);
    expect(fromXlsx.score).toBe(fromYaml.score);
    const located = fromXlsx.requirements.find((r) => r.attestation)!.attestation!.location;
    expect(located.file).toBe(xlsx);
    expect(located.line).toBeGreaterThan(1);
  });

  it('errors name the sheet, row and column', async () => {
    const blank = await attestationWorkbook(rules, { level: 'A2', role: 'bank' }, 'zh');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(blank as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('答复')!;
    const ids = [String(sheet.getRow(2).getCell(1).value), String(sheet.getRow(3).getCell(1).value), String(sheet.getRow(4).getCell(1).value)];
    sheet.getRow(2).getCell(7).value = '也许';
    sheet.getRow(3).getCell(7).value = '是'; // no evidence
    sheet.getRow(4).getCell(7).value = '否';
    sheet.getRow(4).getCell(9).value = '未建立';
    sheet.getRow(4).getCell(11).value = '2026-13-40';
    wb.getWorksheet('默认值')!.getCell('B1').value = '王敏';
    wb.getWorksheet('默认值')!.getCell('B2').value = '2026-11-20';
    const bad = file('bad.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(await inputProblems(() => loadAttestations(bad, rules, TODAY))).toEqual([
      `${bad}: sheet "答复", row 2, column G (答复): answer for ${ids[0]} must be 是, 否 or 不适用 (yes, no or n/a) (got "也许")`,
      `${bad}: sheet "答复", row 3, column H (证据): a "yes" for ${ids[1]} needs an evidence reference (document, record, screenshot)`,
      `${bad}: sheet "答复", row 4, column K (日期): date "2026-13-40" for ${ids[2]} is not a valid YYYY-MM-DD date`,
    ]);
    const noHeader = new ExcelJS.Workbook();
    noHeader.addWorksheet('Sheet1').addRow(['a', 'b']);
    const plain = file('plain.xlsx', new Uint8Array(await noHeader.xlsx.writeBuffer()));
    expect(await inputProblems(() => loadAttestations(plain, rules, TODAY))).toEqual([
      `${plain}: sheet "Sheet1", row 1: no "规则编号" (Rule id) column in the header row (see \`jrt0185 attest init --format xlsx\`)`,
    ]);
  });

  it('refuses a workbook whose zip directory declares a decompression bomb, before inflating it', () => {
    // One central-directory entry claiming 1 GiB inflated from 1 KiB, then the end-of-directory record.
    const entry = Buffer.alloc(46 + 1);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(1024, 20);
    entry.writeUInt32LE(1024 * 1024 * 1024, 24);
    entry.writeUInt16LE(1, 28);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(0, 16);
    expect(() => checkZipBounds(Buffer.concat([entry, eocd]), 'bomb.xlsx')).toThrow('workbook inflates to more than the 256 MB (or 200:1) limit');
    expect(() => checkZipBounds(Buffer.from('not a zip'), 'x.xlsx')).toThrow('no zip directory found');
  });
});
